// Automatic backups: after the accounts change and the user has stopped changing them for a
// while (delaySeconds, 60 by default), write one ordinary backup file with the key derived
// at set-up and hand it to every destination that is on (destinations/index.js).
//
// - The key (Argon2id output, salt, parameters) and the destinations' grants live in the
//   sealed vault under settings.secrets (secrets.js keeps them from every page); the rest
//   under settings.auto: which destinations are on, the files each wrote (for retention), a
//   digest of the accounts each holds (so nothing is written when nothing changed), the last
//   success and the last problem.
// - Timing uses chrome.alarms, so a worker that went to sleep after the change still makes
//   the backup. Only while unlocked: an alarm that finds the vault locked does nothing, and
//   the next unlock schedules it again.
// - The reminder count clears only for changes every destination that is on has confirmed
//   (a finished download, a Drive file id); a failure keeps the count, is recorded with its
//   fix for the popup, and is retried with backoff.
import { call } from "../shared/core.js";
import { Kinds, Errors, CodedError } from "../shared/messages.js";
import { registerHandlers } from "./router.js";
import * as store from "./store.js";
import { backupState } from "../backup/state.js";
import { writeState, changedCount } from "./backup.js";
import { DESTINATIONS, destination, DestinationError } from "./destinations/index.js";

const K = Kinds.page;
const ALARM = "codeward.autobackup";
const DEFAULT_DELAY = 60; // seconds of quiet after the last change
const DEFAULT_KEEP = 10;
const MAX_BACKOFF = 3600; // seconds

// Store writes after which the accounts may differ from the last backup. The digest decides
// whether they really do.
const QUIET = new Set(["unlock", "lock", "aside", "settings", "password", "backup", "autobackup"]);

/** settings.auto with defaults filled in (a fresh object). */
export function autoOf(settings) {
  const a = (settings && settings.auto) || {};
  const dests = {};
  for (const d of DESTINATIONS) {
    const s = (a.dests && a.dests[d.id]) || {};
    dests[d.id] = {
      on: s.on === true,
      connected: s.connected === true,
      files: Array.isArray(s.files) ? s.files : [],
      digest: typeof s.digest === "string" ? s.digest : null,
      seq: Number.isInteger(s.seq) ? s.seq : -1,
      last: typeof s.last === "string" ? s.last : null,
      problem: s.problem ?? null,
      ...(s.folderId ? { folderId: s.folderId } : {}),
    };
  }
  return {
    on: a.on === true,
    delaySeconds: Number.isFinite(a.delaySeconds) ? a.delaySeconds : DEFAULT_DELAY,
    keep: Number.isInteger(a.keep) ? a.keep : DEFAULT_KEEP,
    last: a.last ?? null,
    attempts: Number.isInteger(a.attempts) ? a.attempts : 0,
    dests,
  };
}

const secretsOf = (settings) => ({ ...((settings && settings.secrets) || {}) });

// --- scheduling ----------------------------------------------------------------------------

async function schedule(seconds) {
  await chrome.alarms.create(ALARM, { delayInMinutes: Math.max(seconds, 0.5) / 60 });
}

async function scheduleFromVault() {
  if ((await store.state()) !== "unlocked") return;
  const a = autoOf((await store.snapshot()).settings);
  if (a.on) await schedule(a.delaySeconds);
}

store.onChange(({ reason, settings }) => {
  if (reason === "create" && pendingGrants.size) {
    adoptPendingGrants().catch((e) => console.error("codeward: could not keep the destination grant:", e && e.message));
  }
  if (QUIET.has(reason) && reason !== "unlock") return;
  // Every change pushes the alarm back (debounce); an unlock catches up on changes made
  // just before the last lock. The committed settings come with the event: no vault read.
  if (settings) {
    const a = autoOf(settings);
    if (a.on) schedule(a.delaySeconds).catch(() => {});
    return;
  }
  scheduleFromVault().catch(() => {});
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name !== ALARM) return;
  runOnce(false).catch((e) => console.error("codeward: automatic backup failed:", e && e.message));
});

// --- one backup ----------------------------------------------------------------------------

let running = Promise.resolve();

/** Runs backups one at a time. */
function runOnce(force) {
  const r = running.then(() => backupNow(force));
  running = r.catch(() => {});
  return r;
}

const pad = (n) => String(n).padStart(2, "0");

/** codeward-backup-2026-12-06-04-55-12.json in local time (the browser uniquifies repeats). */
function fileName(d) {
  return `codeward-backup-${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}-${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}.json`;
}

async function digestOf(text) {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(h, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The accounts in their shown order: what a backup holds, and what the digest covers. */
const ordered = (accounts) => accounts.slice().sort((x, y) => (x.order ?? 0) - (y.order ?? 0));

/**
 * Writes one file and hands it to the destinations that do not hold the current accounts
 * yet (all that are on when force). Records every outcome in one sealed write.
 */
async function backupNow(force) {
  if ((await store.state()) !== "unlocked") return null;
  const v = await store.snapshot();
  const a = autoOf(v.settings);
  const secrets = secretsOf(v.settings);
  if (!a.on || !secrets.backupKey) return null;
  const accountsJSON = JSON.stringify(ordered(v.accounts));
  const digest = await digestOf(accountsJSON);
  const seq = backupState(v.settings).seq;
  const on = DESTINATIONS.filter((d) => a.dests[d.id].on);
  const targets = on.filter((d) => force || a.dests[d.id].digest !== digest || a.dests[d.id].problem);

  /** @type {Object<string, {ok: boolean, stored?: object, gone?: string[], problem?: object, secret?: any, state?: object}>} */
  const outcomes = {};
  const at = new Date();
  if (targets.length) {
    const text = await call("backupWriteKeyed", accountsJSON, secrets.backupKey);
    const file = { name: fileName(at), text, created: at.toISOString() };
    for (const d of targets) outcomes[d.id] = await saveTo(d, file, a, secrets);
  }

  await writeState((b, vault) => {
    const cur = autoOf(vault.settings);
    const sec = secretsOf(vault.settings);
    for (const [id, out] of Object.entries(outcomes)) {
      const st = cur.dests[id];
      if (!st.on) continue; // turned off meanwhile
      Object.assign(st, out.state ?? {});
      if (out.secret !== undefined && sec[id]) sec[id] = out.secret; // a rotated grant, if still connected
      if (out.ok) {
        st.files = [out.stored, ...st.files].filter((f) => !(out.gone ?? []).includes(f.id));
        st.digest = digest;
        st.seq = seq;
        st.last = at.toISOString();
        st.problem = null;
      } else {
        st.problem = out.problem; // a grant that no longer works stays until the user reconnects or disconnects
      }
    }
    // Destinations whose last success already holds these exact accounts count as confirmed.
    const enabled = Object.values(cur.dests).filter((s) => s.on);
    const confirmed = enabled.length > 0 && enabled.every((s) => s.digest === digest && !s.problem);
    if (confirmed) {
      const upTo = Math.min(...enabled.map((s) => s.seq));
      const before = changedCount(b);
      for (const [id, c] of Object.entries(b.changes)) if (c.seq <= upTo) delete b.changes[id];
      if (Object.values(outcomes).some((o) => o.ok) || changedCount(b) < before) b.last = at.toISOString();
    }
    const okLabels = Object.entries(outcomes)
      .filter(([, o]) => o.ok)
      .map(([id]) => destination(id).label);
    if (okLabels.length) cur.last = { at: at.toISOString(), to: okLabels };
    const failed = Object.values(outcomes).some((o) => !o.ok);
    cur.attempts = failed ? cur.attempts + 1 : 0;
    vault.settings.auto = cur;
    vault.settings.secrets = sec;
  }, "autobackup");

  const retry = Object.values(outcomes).some((o) => !o.ok && o.problem.fix === "retry");
  if (retry) {
    const after = autoOf((await store.snapshot()).settings);
    await schedule(Math.min(MAX_BACKOFF, after.delaySeconds * 2 ** Math.min(after.attempts, 12)));
  }
  return outcomes;
}

/** Saves file to d and applies retention; never throws (the outcome says what happened). */
async function saveTo(d, file, a, secrets) {
  const st = a.dests[d.id];
  const out = { ok: false };
  const ctx = {
    state: { ...st },
    secret: secrets[d.id] ?? null,
    setSecret(s) {
      out.secret = s;
      ctx.secret = s;
    },
    setState(patch) {
      out.state = { ...(out.state ?? {}), ...patch };
    },
  };
  try {
    if (d.needsConnection && !ctx.secret) throw new DestinationError("reconnect", `${d.label} is not connected`);
    out.stored = await d.save(file, ctx);
    out.ok = true;
    const excess = [out.stored, ...st.files].slice(a.keep);
    if (excess.length) out.gone = await d.remove(excess.map((f) => f.id), ctx).catch(() => []);
  } catch (e) {
    const fix = e instanceof DestinationError ? e.fix : "retry";
    const message = e instanceof DestinationError ? e.message : "an unexpected error stopped the backup";
    if (!(e instanceof DestinationError)) console.error("codeward: destination failed:", d.id, e && e.name, e && e.message);
    out.problem = { fix, message, at: new Date().toISOString() };
  }
  return out;
}

// --- grants held before a vault exists (restore on a new install) ---------------------------

/** @type {Map<string, any>} destination id → secret, in this worker's memory only */
const pendingGrants = new Map();

async function adoptPendingGrants() {
  const grants = [...pendingGrants.entries()];
  pendingGrants.clear();
  await store.update((v) => {
    const a = autoOf(v.settings);
    const sec = secretsOf(v.settings);
    for (const [id, secret] of grants) {
      sec[id] = secret;
      a.dests[id].connected = true;
    }
    v.settings.auto = a;
    v.settings.secrets = sec;
  }, "autobackup");
}

// --- handlers --------------------------------------------------------------------------------

function text(x, what) {
  if (typeof x !== "string" || x === "") throw new CodedError(Errors.INVALID, `${what} is missing`);
  return x;
}

async function requireUnlocked() {
  const state = await store.state();
  if (state === "none") throw new CodedError(Errors.NO_VAULT, "there is no vault yet");
  if (state !== "unlocked") throw new CodedError(Errors.LOCKED, "the vault is locked");
}

function dest(id) {
  const d = typeof id === "string" ? destination(id) : undefined;
  if (!d) throw new CodedError(Errors.INVALID, "unknown destination");
  return d;
}

async function status() {
  const state = await store.state();
  const views = [];
  let a = autoOf(null);
  let changed = 0;
  if (state === "unlocked") {
    const v = await store.snapshot();
    a = autoOf(v.settings);
    changed = changedCount(backupState(v.settings));
  }
  for (const d of DESTINATIONS) {
    const s = a.dests[d.id];
    const av = await d.available();
    views.push({
      id: d.id,
      label: d.label,
      on: s.on,
      connected: d.needsConnection ? s.connected || pendingGrants.has(d.id) : true,
      needsConnection: d.needsConnection,
      ready: av.ready,
      ...(av.why ? { why: av.why } : {}),
      last: s.last,
      files: s.files.length,
      problem: s.problem,
    });
  }
  const alarm = await chrome.alarms.get(ALARM);
  return {
    state,
    on: a.on,
    delaySeconds: a.delaySeconds,
    keep: a.keep,
    last: a.last,
    changed,
    destinations: views,
    next: alarm ? alarm.scheduledTime : null,
  };
}

/** Applies {id: boolean} to the destinations of a; refuses one that cannot be turned on. */
async function chooseDestinations(a, choice) {
  if (!choice || typeof choice !== "object") return;
  for (const [id, want] of Object.entries(choice)) {
    const d = dest(id);
    if (typeof want !== "boolean") throw new CodedError(Errors.INVALID, "destinations take true or false");
    if (want) {
      const av = await d.available();
      if (!av.ready) throw new CodedError("not_available", av.why);
      if (d.needsConnection && !a.dests[id].connected) throw new CodedError("not_connected", `connect ${d.label} first`);
    }
    a.dests[id].on = want;
    if (!want) a.dests[id].problem = null;
  }
}

function destinationError(e) {
  if (e instanceof DestinationError) return new CodedError("destination", e.message);
  return e;
}

registerHandlers("page", {
  [K.AUTO_STATUS]: status,

  [K.AUTO_SETUP]: async ({ masterPassword, backupPassword, destinations }) => {
    await requireUnlocked();
    const pw = text(backupPassword, "the backup password");
    const judged = await call("passwordJudge", pw);
    if (judged.verdict === "weak") throw new CodedError("weak_password", judged.hint, judged.reason);
    await store.verifyPassword(text(masterPassword, "the master password"));
    // Argon2id runs here, once; every automatic backup after this reuses its output.
    const key = await call("backupKeyDerive", pw);
    await store.update(async (v) => {
      const a = autoOf(v.settings);
      await chooseDestinations(a, destinations);
      if (!Object.values(a.dests).some((s) => s.on)) throw new CodedError(Errors.INVALID, "choose where the backups go");
      a.on = true;
      a.attempts = 0;
      // A new key: what the destinations hold was written with the old one.
      for (const s of Object.values(a.dests)) s.digest = null;
      v.settings.auto = a;
      v.settings.secrets = { ...secretsOf(v.settings), backupKey: key };
    }, "autobackup");
    await schedule(Math.min(autoOf((await store.snapshot()).settings).delaySeconds, 5));
    return status();
  },

  [K.AUTO_OFF]: async ({ masterPassword }) => {
    await requireUnlocked();
    await store.verifyPassword(text(masterPassword, "the master password"));
    await store.update((v) => {
      const a = autoOf(v.settings);
      a.on = false;
      for (const s of Object.values(a.dests)) s.problem = null;
      const sec = secretsOf(v.settings);
      delete sec.backupKey;
      v.settings.auto = a;
      v.settings.secrets = sec;
    }, "autobackup");
    await chrome.alarms.clear(ALARM);
    return status();
  },

  [K.AUTO_CONFIG]: async ({ destinations, keep, delaySeconds }) => {
    await requireUnlocked();
    if (keep !== undefined && (!Number.isInteger(keep) || keep < 1 || keep > 100)) {
      throw new CodedError(Errors.INVALID, "keep between 1 and 100 backups");
    }
    if (delaySeconds !== undefined && (typeof delaySeconds !== "number" || !(delaySeconds >= 1 && delaySeconds <= 3600))) {
      throw new CodedError(Errors.INVALID, "the delay must be between 1 second and 1 hour");
    }
    await store.update(async (v) => {
      const a = autoOf(v.settings);
      await chooseDestinations(a, destinations);
      if (keep !== undefined) a.keep = keep;
      if (delaySeconds !== undefined) a.delaySeconds = delaySeconds;
      v.settings.auto = a;
    }, "autobackup");
    await scheduleFromVault();
    return status();
  },

  [K.AUTO_RUN]: async () => {
    await requireUnlocked();
    const v = await store.snapshot();
    if (!autoOf(v.settings).on || !secretsOf(v.settings).backupKey) {
      throw new CodedError("not_set_up", "automatic backups are not set up");
    }
    await runOnce(true);
    return status();
  },

  [K.DEST_CONNECT_START]: async ({ dest: id }) => {
    const d = dest(id);
    if (!d.connectStart) throw new CodedError(Errors.INVALID, `${d.label} needs no sign-in`);
    const av = await d.available();
    if (!av.ready) throw new CodedError("not_available", av.why);
    try {
      return { url: await d.connectStart() };
    } catch (e) {
      throw destinationError(e);
    }
  },

  [K.DEST_CONNECT_FINISH]: async (payload) => {
    const d = dest(payload.dest);
    if (!d.connectFinish) throw new CodedError(Errors.INVALID, `${d.label} needs no connection`);
    let secret;
    try {
      secret = await d.connectFinish(payload);
    } catch (e) {
      throw destinationError(e);
    }
    const state = await store.state();
    if (state !== "unlocked") {
      // No open vault to keep it in: hold it in memory for the restore that follows; a vault
      // created now adopts it (see adoptPendingGrants).
      pendingGrants.set(d.id, secret);
      return status();
    }
    await store.update((v) => {
      const a = autoOf(v.settings);
      const sec = secretsOf(v.settings);
      sec[d.id] = secret;
      a.dests[d.id].connected = true;
      a.dests[d.id].problem = null;
      v.settings.auto = a;
      v.settings.secrets = sec;
    }, "autobackup");
    await scheduleFromVault();
    return status();
  },

  [K.DEST_DISCONNECT]: async ({ dest: id }) => {
    const d = dest(id);
    pendingGrants.delete(d.id);
    await requireUnlocked();
    let old = null;
    await store.update((v) => {
      const a = autoOf(v.settings);
      const sec = secretsOf(v.settings);
      old = sec[d.id] ?? null;
      delete sec[d.id];
      Object.assign(a.dests[d.id], { on: false, connected: false, problem: null, digest: null, files: [] });
      delete a.dests[d.id].folderId;
      v.settings.auto = a;
      v.settings.secrets = sec;
    }, "autobackup");
    if (d.disconnect) await d.disconnect(old).catch(() => {});
    return status();
  },

  [K.DEST_LIST]: async ({ dest: id }) => {
    const d = dest(id);
    if (!d.list) throw new CodedError("not_available", `Codeward cannot list the backups in ${d.label}`);
    const ctx = await readContext(d);
    try {
      return await d.list(ctx);
    } catch (e) {
      throw destinationError(e);
    }
  },

  [K.DEST_FETCH]: async ({ dest: id, id: fileId }) => {
    const d = dest(id);
    if (!d.fetch) throw new CodedError("not_available", `Codeward cannot read backups from ${d.label}`);
    const ctx = await readContext(d);
    try {
      return { file: await d.fetch(text(fileId, "the backup"), ctx) };
    } catch (e) {
      throw destinationError(e);
    }
  },
});

/** A context for reading (list, fetch): from the open vault, or a grant held in memory. */
async function readContext(d) {
  let secret = pendingGrants.get(d.id) ?? null;
  let state = {};
  if ((await store.state()) === "unlocked") {
    const v = await store.snapshot();
    secret = secretsOf(v.settings)[d.id] ?? secret;
    state = autoOf(v.settings).dests[d.id];
  }
  if (d.needsConnection && !secret) throw new CodedError("not_connected", `connect ${d.label} first`);
  return { state, secret, setSecret() {}, setState() {} };
}
