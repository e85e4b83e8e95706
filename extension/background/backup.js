// Page-tier handlers for backups and restores, and the backup reminder (the popup's line
// and the toolbar badge).
//
// Reminder state lives in the sealed vault's settings under "backup" (../backup/state.js).
// Only the number of changed accounts is also kept outside the vault, in storage.local
// under PENDING_KEY, so that the badge can be shown while the vault is locked and after a
// browser restart; it says nothing about which accounts or what they hold.
//
// Backup files are made here but downloaded by the backup page: a service worker has no
// URL.createObjectURL, and Firefox refuses data: URLs for downloads.
import { call } from "../shared/core.js";
import { Kinds, Errors, CodedError, Limits, mib } from "../shared/messages.js";
import { registerHandlers } from "./router.js";
import * as store from "./store.js";
import { backupState } from "../backup/state.js";

const K = Kinds.page;

/** storage.local key of the plain count of accounts changed since the last backup. */
export const PENDING_KEY = "backup.pending";

/** Largest backup file accepted from a page: the format's own bound. */
const MAX_FILE_CHARS = Limits.BACKUP_FILE;

const BADGE_COLOR = "#b45309";

export const changedCount = (b) => Object.keys(b.changes).length;

// --- the badge ----------------------------------------------------------------------------

async function showPending(count) {
  await chrome.storage.local.set({ [PENDING_KEY]: count });
  const text = count > 0 ? (count > 99 ? "99+" : String(count)) : "";
  await chrome.action.setBadgeText({ text });
  if (count > 0) await chrome.action.setBadgeBackgroundColor({ color: BADGE_COLOR });
  const title =
    count === 0 ? "Codeward" : `Codeward — ${count} account${count === 1 ? "" : "s"} changed since your last backup`;
  await chrome.action.setTitle({ title });
}

// The badge is not kept across browser restarts: put it back whenever the background starts.
chrome.storage.local
  .get(PENDING_KEY)
  .then((got) => showPending(Number(got[PENDING_KEY]) || 0))
  .catch(() => {});

/** Applies fn to the backup state inside a vault write (the badge follows from onChange). */
export async function writeState(fn, reason) {
  return store.update(async (v) => {
    const b = backupState(v.settings);
    const r = await fn(b, v);
    v.settings.backup = b;
    return r;
  }, reason);
}

// --- change tracking ------------------------------------------------------------------------

// Reasons of store writes that change no account as a backup holds it: a reorder or an HOTP
// step (codes already shown are not worth a new backup), settings, and this module's own
// (which record what they change themselves).
const IGNORED = new Set(["create", "unlock", "lock", "reorder", "hotp", "settings", "password", "backup", "restore"]);
const KIND_OF = { add: "added", import: "added", delete: "deleted" };

/** Records that ids changed in b (kind: added, edited or deleted). */
function record(b, ids, kind) {
  for (const id of ids) {
    const had = b.changes[id];
    b.seq += 1;
    if (had && had.kind === "added") {
      // Never in a backup: deleting it again leaves nothing to back up; an edit keeps it new.
      if (kind === "deleted") delete b.changes[id];
      else b.changes[id] = { kind: "added", seq: b.seq };
    } else {
      b.changes[id] = { kind: had && kind === "added" ? "edited" : kind, seq: b.seq };
    }
  }
  delete b.undo; // the previous generation no longer holds the vault before a replace
}

// The change and its record are sealed in one write: an add racing a lock, or a browser
// killed right after the change, cannot leave the change uncounted.
store.beforeWrite((v, { reason, ids }) => {
  if (IGNORED.has(reason) || !ids || ids.length === 0) return;
  const b = backupState(v.settings);
  record(b, ids, KIND_OF[reason] ?? "edited");
  v.settings.backup = b;
});

// The plain count outside the vault is derived from the sealed state after every commit,
// create and unlock (so a count lost to a crash comes back at the next unlock).
store.onChange(({ reason, settings }) => {
  if (reason === "aside") {
    showPending(0).catch(() => {});
    return;
  }
  if (!settings) return;
  showPending(changedCount(backupState(settings))).catch(() => {});
});

// --- handlers -------------------------------------------------------------------------------

function text(x, what) {
  if (typeof x !== "string" || x === "") throw new CodedError(Errors.INVALID, `${what} is missing`);
  return x;
}

function backupFile(x) {
  const s = text(x, "the backup file");
  if (s.length > MAX_FILE_CHARS) {
    throw new CodedError("too_large", `this file is too large to be a Codeward backup (the limit is ${MAX_FILE_CHARS >> 20} MiB)`);
  }
  return s;
}

/**
 * Decrypts a backup file. With key (the file's key, derived by the restore page's worker:
 * see extension/backup/key-worker.js) no KDF runs here; with the password the background
 * runs Argon2id itself, within the core's reading bounds (at most 256 MiB).
 */
function readBackup(file, password, key) {
  if (key !== undefined) return call("backupReadKeyed", backupFile(file), text(key, "the backup key"));
  return call("backupRead", backupFile(file), text(password, "the backup password"));
}

async function requireUnlocked() {
  const state = await store.state();
  if (state === "none") throw new CodedError(Errors.NO_VAULT, "there is no vault yet");
  if (state !== "unlocked") throw new CodedError(Errors.LOCKED, "the vault is locked");
}

/** Whether "Undo replace" can still put back what the last replace removed. */
async function undoAvailable(settings) {
  const u = backupState(settings).undo;
  if (!u) return null;
  const prev = await store.previousVault().catch(() => null);
  // The previous generation is the vault before the replace only if the replace was the
  // last write: then it does not carry this replace's marker yet.
  if (!prev || backupState(prev.settings).undo?.at === u.at) return null;
  return { count: prev.accounts.length, at: u.at };
}

async function status() {
  const state = await store.state();
  if (state !== "unlocked") {
    const got = await chrome.storage.local.get(PENDING_KEY);
    return { state, changed: Number(got[PENDING_KEY]) || 0, accounts: null, last: null, askWhereToSave: true, undo: null };
  }
  const v = await store.snapshot();
  const b = backupState(v.settings);
  return {
    state,
    accounts: v.accounts.length,
    changed: changedCount(b),
    last: b.last,
    askWhereToSave: b.askWhereToSave,
    undo: await undoAvailable(v.settings),
  };
}

function previewOf(accounts) {
  return accounts
    .slice()
    .sort((x, y) => (x.order ?? 0) - (y.order ?? 0))
    .map((a) => ({ issuer: a.issuer ?? "", name: a.name ?? "", type: a.type }));
}

registerHandlers("page", {
  [K.BACKUP_STATUS]: status,

  [K.BACKUP_SUGGEST]: async () => ({ password: await call("passwordSuggest") }),

  [K.BACKUP_JUDGE]: async ({ password }) => {
    if (typeof password !== "string") throw new CodedError(Errors.INVALID, "password must be text");
    return call("passwordJudge", password);
  },

  [K.BACKUP_SETTINGS]: async ({ askWhereToSave }) => {
    if (typeof askWhereToSave !== "boolean") throw new CodedError(Errors.INVALID, "askWhereToSave must be true or false");
    await writeState((b) => {
      b.askWhereToSave = askWhereToSave;
    }, "backup");
    return status();
  },

  [K.BACKUP_CREATE]: async ({ masterPassword, backupPassword }) => {
    await requireUnlocked();
    const pw = text(backupPassword, "the backup password");
    const judged = await call("passwordJudge", pw);
    if (judged.verdict === "weak") throw new CodedError(Errors.WEAK_PASSWORD, judged.hint, judged.reason);
    // Prove it is you: the master password must open the stored vault, whoever left the
    // browser unlocked. It is used for this check only and not kept.
    await store.verifyPassword(text(masterPassword, "the master password"));
    const v = await store.snapshot();
    const file = await call("backupWrite", JSON.stringify(v.accounts), pw);
    return { file, seq: backupState(v.settings).seq, count: v.accounts.length };
  },

  [K.BACKUP_DONE]: async ({ seq }) => {
    if (!Number.isInteger(seq) || seq < 0) throw new CodedError(Errors.INVALID, "seq must be a whole number");
    await writeState((b) => {
      for (const [id, c] of Object.entries(b.changes)) if (c.seq <= seq) delete b.changes[id];
      b.last = new Date().toISOString();
      delete b.undo;
    }, "backup");
    return status();
  },

  [K.RESTORE_PREVIEW]: async ({ file, password, key }) => {
    const r = await readBackup(file, password, key);
    const incoming = JSON.parse(r.accounts);
    const out = {
      created: r.created,
      count: incoming.length,
      accounts: previewOf(incoming),
      problems: r.problems,
      state: await store.state(),
    };
    if (out.state === "unlocked") {
      const v = await store.snapshot();
      const m = await call("backupMerge", JSON.stringify(v.accounts), r.accounts, "merge");
      Object.assign(out, { current: v.accounts.length, fresh: m.added.length, duplicates: m.skipped });
    }
    return out;
  },

  [K.RESTORE_APPLY]: async ({ file, password, key, mode, masterPassword }) => {
    if (!["merge", "replace", "create"].includes(mode)) throw new CodedError(Errors.INVALID, "unknown restore mode");
    const r = await readBackup(file, password, key);
    if (mode === "create") {
      const m = await call("backupMerge", "[]", r.accounts, "replace");
      await store.create(text(masterPassword, "the new master password"), JSON.parse(m.accounts));
      return { mode, added: m.added.length, skipped: m.skipped, total: m.added.length };
    }
    await requireUnlocked();
    return writeState(async (b, v) => {
      const m = await call("backupMerge", JSON.stringify(v.accounts), r.accounts, mode);
      const before = v.accounts.length;
      v.accounts = JSON.parse(m.accounts);
      if (mode === "merge") {
        // The merged vault is in no single backup yet.
        record(b, m.added, "added");
        record(b, m.updated, "edited");
      } else {
        // The vault is now exactly what the file holds: nothing to remind about. The store
        // keeps the vault before this write as the previous generation; undo reads it back.
        b.changes = {};
        b.undo = { count: before, at: new Date().toISOString() };
      }
      return { mode, added: m.added.length, skipped: m.skipped, updated: m.updated.length, total: v.accounts.length };
    }, "restore");
  },

  [K.RESTORE_UNDO]: async () => {
    await requireUnlocked();
    const v = await store.snapshot();
    const u = await undoAvailable(v.settings);
    const prev = u && (await store.previousVault());
    if (!u || !prev) throw new CodedError("no_undo", "the replace can no longer be undone: the vault has changed since");
    return writeState((b, cur) => {
      if (b.undo?.at !== u.at) throw new CodedError("no_undo", "the replace can no longer be undone: the vault has changed since");
      const old = backupState(prev.settings);
      cur.accounts = prev.accounts;
      b.changes = old.changes;
      b.seq = Math.max(b.seq, old.seq);
      b.last = old.last;
      delete b.undo;
      return { mode: "undo", total: cur.accounts.length };
    }, "restore");
  },
});
