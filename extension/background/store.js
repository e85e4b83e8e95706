// The one owner and writer of the vault.
//
// storage.local holds only sealed blobs: "vault" (current generation) and "vault.prev" (the
// one before). storage.session (memory only, trusted contexts only) holds the data key while
// unlocked — never the password — so a restarted service worker resumes without asking
// again; and the key that seals the popup's cached View (shared/session-seal.js), so that
// no storage area holds account data in the clear. Every write seals a new blob, proves it
// opens to what was meant, and then replaces
// the current generation while keeping the previous one, in a single storage call. All
// operations run one at a time through a queue, so two popups cannot interleave writes.
import { call } from "../shared/core.js";
import { CodedError, Errors } from "../shared/messages.js";
import { SEAL_KEY, newSealKey } from "../shared/session-seal.js";

const CURRENT = "vault";
const PREVIOUS = "vault.prev";
const SESSION_KEY = "key";
const SESSION_SETTINGS = "settings";
const FORMAT = 1; // shape of the storage record around the blob

export const DEFAULT_SETTINGS = Object.freeze({ autoLockMinutes: 15, lockOnScreenLock: false });

/** @type {{key: string, blob: string, gen: number, vault: {accounts: object[], settings: object}}|null} */
let mem = null;
let queue = Promise.resolve();
const changeListeners = [];

// Only the background (trusted) may read the data key; content scripts never see session storage.
if (chrome.storage.session.setAccessLevel) {
  chrome.storage.session.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" }).catch(() => {});
}

/** Runs fn after every earlier store operation has finished. */
function serialized(fn) {
  const run = queue.then(fn);
  queue = run.catch(() => {});
  return run;
}

/**
 * Subscribes to vault changes: fn({reason, ids}) after each committed write.
 * reason is one of create, unlock, lock, add, update, delete, reorder, hotp, settings,
 * password, replace (or whatever a feature module passes to update()).
 */
export function onChange(fn) {
  changeListeners.push(fn);
}

function emit(reason, ids = []) {
  for (const fn of changeListeners) {
    try {
      fn({ reason, ids });
    } catch (e) {
      console.error("codeward: change listener failed:", e && e.message);
    }
  }
}

async function readRecords() {
  const got = await chrome.storage.local.get([CURRENT, PREVIOUS]);
  return { current: got[CURRENT] ?? null, previous: got[PREVIOUS] ?? null };
}

function parseVault(json) {
  const v = JSON.parse(json);
  v.accounts ??= [];
  v.settings = { ...DEFAULT_SETTINGS, ...(v.settings ?? {}) };
  return v;
}

/** "none" (no vault yet), "locked" or "unlocked". */
export function state() {
  return serialized(async () => {
    if (mem) return "unlocked";
    const s = await chrome.storage.session.get(SESSION_KEY);
    if (s[SESSION_KEY]) return "unlocked";
    const { current } = await readRecords();
    return current ? "locked" : "none";
  });
}

/**
 * Makes sure the vault is open in memory, reopening it with the data key from
 * storage.session after a worker restart. Must run inside serialized().
 */
async function ensureOpen() {
  if (mem) return mem;
  const s = await chrome.storage.session.get(SESSION_KEY);
  const key = s[SESSION_KEY];
  if (!key) throw new CodedError(Errors.LOCKED, "the vault is locked");
  const { current, previous } = await readRecords();
  if (!current) throw new CodedError(Errors.NO_VAULT, "there is no vault");
  for (const rec of [current, previous]) {
    if (!rec) continue;
    try {
      const vault = parseVault(await call("vaultOpen", rec.blob, key));
      mem = { key, blob: rec.blob, gen: rec.gen, vault };
      return mem;
    } catch (e) {
      if (e.code !== "corrupt") throw e;
      console.error("codeward: a stored vault generation does not open; trying the previous one");
    }
  }
  throw new CodedError("corrupt", "the stored vault does not open");
}

// Only what the background needs while the vault is not open yet (after a restart): the
// auto-lock settings. Other features' settings may name sites or accounts; they stay sealed.
function lockSettings(settings) {
  return { autoLockMinutes: settings.autoLockMinutes, lockOnScreenLock: settings.lockOnScreenLock };
}

async function remember(key, settings) {
  await chrome.storage.session.set({ [SESSION_KEY]: key, [SESSION_SETTINGS]: lockSettings(settings), [SEAL_KEY]: newSealKey() });
}

/** The key that seals page caches in storage.session (see session-seal.js); null if locked. */
export async function sealKey() {
  const s = await chrome.storage.session.get(SEAL_KEY);
  return s[SEAL_KEY] ?? null;
}

// The same rules as a backup password (internal/passgen): a copy of the sealed vault can be
// attacked offline just the same. reason (e.g. "short") lets the page say why.
async function checkNewPassword(password) {
  if (typeof password !== "string") throw new CodedError(Errors.INVALID, "the master password must be text");
  const judged = await call("passwordJudge", password);
  if (judged.verdict === "weak") {
    throw new CodedError(Errors.WEAK_PASSWORD, `the master password is too weak (${judged.reason})`, judged.reason);
  }
}

/**
 * Creates the vault (first run, or a restore on a fresh install) and leaves it unlocked.
 * @param {string} password
 * @param {object[]} [accounts] already validated accounts to start with
 */
export function create(password, accounts = []) {
  return serialized(async () => {
    await checkNewPassword(password);
    const { current } = await readRecords();
    if (current) throw new CodedError(Errors.EXISTS, "a vault already exists");
    const vault = { accounts, settings: { ...DEFAULT_SETTINGS } };
    const { blob, key } = await call("vaultCreate", JSON.stringify(vault), password);
    const opened = parseVault(await call("vaultOpen", blob, key));
    if (!sameVault(opened, vault)) throw new CodedError(Errors.INTERNAL, "the new vault did not verify");
    await chrome.storage.local.set({ [CURRENT]: { format: FORMAT, gen: 1, blob } });
    await remember(key, opened.settings);
    mem = { key, blob, gen: 1, vault: opened };
    emit("create", accounts.map((a) => a.id));
  });
}

/** Unlocks with the master password. Wrong password: CodedError wrong_password, nothing changes. */
export function unlock(password) {
  return serialized(async () => {
    if (typeof password !== "string" || password === "") {
      throw new CodedError(Errors.WRONG_PASSWORD, "wrong master password");
    }
    const { current, previous } = await readRecords();
    if (!current) throw new CodedError(Errors.NO_VAULT, "there is no vault");
    let result, rec;
    try {
      result = await call("vaultUnlock", current.blob, password);
      rec = current;
    } catch (e) {
      // A damaged current generation falls back to the previous one; a wrong password does not.
      if (e.code !== "corrupt" || !previous) throw e;
      result = await call("vaultUnlock", previous.blob, password);
      rec = previous;
    }
    const vault = parseVault(result.vault);
    await remember(result.key, vault.settings);
    mem = { key: result.key, blob: rec.blob, gen: rec.gen, vault };
    emit("unlock");
  });
}

/** Forgets the data key everywhere (memory and storage.session). */
export function lock() {
  return serialized(async () => {
    mem = null;
    await chrome.storage.session.clear();
    emit("lock");
  });
}

/** Returns a deep copy of the open vault ({accounts, settings}). */
export function snapshot() {
  return serialized(async () => structuredClone((await ensureOpen()).vault));
}

/**
 * Opens the previous stored generation with the data key, or returns null when there is
 * none or it is the current one (after a password change). Undoing a restore reads it.
 */
export function previousVault() {
  return serialized(async () => {
    const m = await ensureOpen();
    const { previous } = await readRecords();
    if (!previous || previous.gen >= m.gen) return null;
    return parseVault(await call("vaultOpen", previous.blob, m.key));
  });
}

/** Checks the master password against the stored vault without changing anything. */
export function verifyPassword(password) {
  return serialized(async () => {
    const m = await ensureOpen();
    if (typeof password !== "string" || password === "") {
      throw new CodedError(Errors.WRONG_PASSWORD, "wrong master password");
    }
    const r = await call("vaultUnlock", m.blob, password);
    if (r.key !== m.key) throw new CodedError(Errors.WRONG_PASSWORD, "wrong master password");
  });
}

/**
 * Applies fn to a copy of the vault and commits the result: reseal, verify that the new
 * blob opens to the same content, then replace the current generation and keep the old one.
 * fn may be async and may throw to abort (nothing is written then).
 * @param {(vault: {accounts: object[], settings: object}) => any} fn
 * @param {string} reason passed to onChange listeners
 * @param {string[]} [ids] accounts concerned, for onChange listeners
 * @returns {Promise<any>} what fn returned
 */
export function update(fn, reason, ids = []) {
  return serialized(async () => {
    const m = await ensureOpen();
    const next = structuredClone(m.vault);
    const out = await fn(next);
    await commit(m, next);
    emit(reason, ids);
    return out;
  });
}

async function commit(m, next) {
  const blob = await call("vaultReseal", m.blob, m.key, JSON.stringify(next));
  const opened = parseVault(await call("vaultOpen", blob, m.key));
  if (!sameVault(opened, next)) throw new CodedError(Errors.INTERNAL, "the sealed vault did not verify; nothing was written");
  const gen = m.gen + 1;
  await chrome.storage.local.set({
    [PREVIOUS]: { format: FORMAT, gen: m.gen, blob: m.blob },
    [CURRENT]: { format: FORMAT, gen, blob },
  });
  mem = { key: m.key, blob, gen, vault: opened };
  await chrome.storage.session.set({ [SESSION_SETTINGS]: lockSettings(opened.settings) });
}

/**
 * Changes the master password after checking the current one. The new blob must unlock with
 * the new password before it is stored; both stored generations then hold it, so the old
 * password opens nothing that is kept.
 */
export function changePassword(currentPassword, newPassword) {
  return serialized(async () => {
    const m = await ensureOpen();
    await checkNewPassword(newPassword);
    if (typeof currentPassword !== "string" || currentPassword === "") {
      throw new CodedError(Errors.WRONG_PASSWORD, "wrong master password");
    }
    const check = await call("vaultUnlock", m.blob, currentPassword);
    if (check.key !== m.key) throw new CodedError(Errors.WRONG_PASSWORD, "wrong master password");
    const blob = await call("vaultChangePassword", m.blob, m.key, newPassword);
    const proof = await call("vaultUnlock", blob, newPassword);
    if (proof.key !== m.key || !sameVault(parseVault(proof.vault), m.vault)) {
      throw new CodedError(Errors.INTERNAL, "the re-sealed vault did not verify; the password is unchanged");
    }
    const gen = m.gen + 1;
    const rec = { format: FORMAT, gen, blob };
    await chrome.storage.local.set({ [PREVIOUS]: rec, [CURRENT]: rec });
    mem = { ...m, blob, gen };
    emit("password");
  });
}

/** Auto-lock settings cached in storage.session, readable without opening the vault (null if locked). */
export async function sessionSettings() {
  const s = await chrome.storage.session.get(SESSION_SETTINGS);
  return s[SESSION_SETTINGS] ?? null;
}

// The fields that make an account what it is; dates may be re-formatted by the core.
const FIELDS = ["id", "type", "issuer", "name", "secret", "algorithm", "digits", "period", "counter", "order", "sites", "note"];

// Empty values are equal to absent ones: the core omits them when it writes JSON.
const blank = (x) => x === undefined || x === null || x === "" || x === 0 || (Array.isArray(x) && x.length === 0);

function sameVault(a, b) {
  const canon = (v) =>
    JSON.stringify({
      accounts: (v.accounts ?? []).map((acc) => FIELDS.map((f) => (blank(acc[f]) ? null : acc[f]))),
      settings: v.settings ?? null,
    });
  return canon(a) === canon({ ...b, settings: { ...DEFAULT_SETTINGS, ...(b.settings ?? {}) } });
}
