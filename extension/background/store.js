// The one owner and writer of the vault.
//
// storage.local holds sealed blobs: "vault" (current generation) and "vault.prev" (the
// one before); after a recovery "vault.damaged" (the copy that did not open, kept until the
// next successful write); after "set this vault aside" (recovery.js) "vault.aside" (the
// sealed copies of the vault set aside, until it is opened again or deleted for good). Plain
// beside them: "vault.count" (how many accounts the vault holds, so a locked browser can say
// what setting it aside hides) and "vault.recovered" (when a fallback to the previous copy
// happened, until the user has seen it). storage.session (memory only, trusted contexts only) holds the data key while
// unlocked — never the password — so a restarted service worker resumes without asking
// again. The data key is fixed between password changes; a password change draws a new
// one (see changePassword), so old copies under the old password open nothing current; and the key that seals the popup's cached View (shared/session-seal.js), so that
// no storage area holds account data in the clear. Every write seals a new blob, proves it
// opens to what was meant, and then replaces
// the current generation while keeping the previous one, in a single storage call. All
// operations run one at a time through a queue, so two popups cannot interleave writes.
import { call } from "../shared/core.js";
import { CodedError, Errors } from "../shared/messages.js";
import { SEAL_KEY, newSealKey } from "../shared/session-seal.js";

const CURRENT = "vault";
const PREVIOUS = "vault.prev";
const DAMAGED = "vault.damaged";
const ASIDE = "vault.aside";
const COUNT = "vault.count";
const RECOVERED = "vault.recovered";
const SESSION_KEY = "key";
const SESSION_SETTINGS = "settings";
const FORMAT = 1; // shape of the storage record around the blob

export const DEFAULT_SETTINGS = Object.freeze({ autoLockMinutes: 15, lockOnScreenLock: false });

/** @type {{key: string, blob: string, gen: number, vault: {accounts: object[], settings: object}}|null} */
let mem = null;
let queue = Promise.resolve();
const changeListeners = [];
const writeHooks = [];

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
 * Subscribes to vault changes: fn({reason, ids, settings}) after each committed write, and
 * after create, unlock, lock and set-aside. reason is one of create, unlock, lock, aside, add,
 * update, delete, reorder, hotp, settings, password, replace (or whatever a feature module
 * passes to update()). settings: a copy of the open vault's settings as committed (absent
 * after lock and aside), so listeners can derive what they show without another read.
 */
export function onChange(fn) {
  changeListeners.push(fn);
}

/**
 * Registers fn(vault, {reason, ids}) to run inside every update(), on the new vault after
 * the feature's own change and before it is sealed: what fn records is part of the same
 * single write as the change, so the two can never disagree (a lock racing the change or a
 * killed browser cannot separate them). fn may be async and may throw to abort the write.
 * @param {(vault: {accounts: object[], settings: object}, change: {reason: string, ids: string[]}) => any} fn
 */
export function beforeWrite(fn) {
  writeHooks.push(fn);
}

function emit(reason, ids = []) {
  const settings = mem ? structuredClone(mem.vault.settings) : undefined;
  for (const fn of changeListeners) {
    try {
      fn({ reason, ids, settings });
    } catch (e) {
      console.error("codeward: change listener failed:", e && e.message);
    }
  }
}

async function readRecords() {
  const got = await chrome.storage.local.get([CURRENT, PREVIOUS]);
  return { current: got[CURRENT] ?? null, previous: got[PREVIOUS] ?? null };
}

const genOf = (rec) => (rec && Number.isSafeInteger(rec.gen) && rec.gen > 0 ? rec.gen : 0);

/**
 * Runs the core function fn ("vaultUnlock" or "vaultOpen") on a stored record. Every way a
 * record can fail to open — not an object, no blob, bad base64, a header or payload that
 * does not authenticate — comes out as a CodedError with a plain message: "wrong_password"
 * (the check value did not match), "unsupported_version", or "corrupt". The core's own
 * messages ("argument 1 must be base64") stay in the console.
 */
async function openRecord(fn, rec, secret) {
  if (!rec || typeof rec !== "object" || typeof rec.blob !== "string" || rec.blob === "") {
    throw new CodedError("corrupt", "the stored vault is damaged");
  }
  try {
    return await call(fn, rec.blob, secret);
  } catch (e) {
    if (e.code === Errors.WRONG_PASSWORD) throw new CodedError(Errors.WRONG_PASSWORD, "wrong master password");
    if (e.code === "unsupported_version") throw new CodedError("unsupported_version", "the stored vault was made by a newer version of Codeward");
    console.warn("codeward: a stored vault copy does not open:", e.code, e.message);
    throw new CodedError("corrupt", "the stored vault is damaged");
  }
}

/** The password slot of a record's blob as text, or null when it cannot be read. */
function slotOf(rec) {
  try {
    const slots = JSON.parse(atob(rec.blob)).slots;
    return Array.isArray(slots) ? JSON.stringify(slots) : null;
  } catch {
    return null;
  }
}

/**
 * The error to report when no stored copy opened: a wrong password if any copy said so (the
 * person can try again, and the right password may open it), else a newer version, else
 * damage — both copies are then beyond what a password can fix.
 */
function worstOf(errors) {
  for (const code of [Errors.WRONG_PASSWORD, "unsupported_version"]) {
    const e = errors.find((x) => x.code === code);
    if (e) return e;
  }
  return new CodedError("corrupt", "the stored vault is damaged: neither its copy nor the one before it opens");
}

/**
 * Opens the first stored copy that opens, current before previous: fn is "vaultUnlock" with
 * the password or "vaultOpen" with the data key. Any failure of the current copy tries the
 * previous one with the same secret, except a wrong password against a previous copy with
 * the very same password slot (the same Argon2id run would answer the same; a damaged check
 * value or salt makes the slots differ, so the previous copy is then tried).
 * @returns {Promise<{value: any, used: object, fellBack: boolean, current: object|null, previous: object|null}>}
 */
async function openStored(fn, secret, records = null) {
  const { current, previous } = records ?? (await readRecords());
  if (current == null && previous == null) throw new CodedError(Errors.NO_VAULT, "there is no vault");
  const errors = [];
  if (current != null) {
    try {
      return { value: await openRecord(fn, current, secret), used: current, fellBack: false, current, previous };
    } catch (e) {
      errors.push(e);
    }
  }
  const sameSlot = errors[0]?.code === Errors.WRONG_PASSWORD && slotOf(current) !== null && slotOf(current) === slotOf(previous);
  if (previous != null && !sameSlot) {
    try {
      return { value: await openRecord(fn, previous, secret), used: previous, fellBack: true, current, previous };
    } catch (e) {
      errors.push(e);
    }
  }
  throw worstOf(errors);
}

/**
 * After the previous copy opened in place of the current one: makes it the current copy
 * again, keeps the one that failed under DAMAGED until the next successful write, and leaves
 * the RECOVERED marker that makes the popup tell the person (never a silent fallback).
 */
async function repair({ current, previous }, vault) {
  const gen = Math.max(genOf(current), genOf(previous)) + 1;
  const rec = { format: FORMAT, gen, blob: previous.blob };
  const set = {
    [CURRENT]: rec,
    [COUNT]: vault.accounts.length,
    [RECOVERED]: { at: new Date().toISOString(), missing: current == null },
  };
  if (current != null) set[DAMAGED] = current;
  try {
    await chrome.storage.local.set(set);
  } catch (e) {
    // The vault is open all the same; the next write stores it.
    console.error("codeward: could not write the repaired vault:", e && e.message);
  }
  console.warn("codeward: the current vault copy did not open; the previous copy was used");
  return gen;
}

function parseVault(json) {
  const v = JSON.parse(json);
  v.accounts ??= [];
  v.settings = { ...DEFAULT_SETTINGS, ...(v.settings ?? {}) };
  return v;
}

/**
 * "none" (no vault yet), "locked" or "unlocked". Any stored copy, current or previous, even
 * one that does not open, makes it "locked": a first run would overwrite it. (A vault set
 * aside does not count: its owner chose to start over.)
 */
export function state() {
  return serialized(async () => {
    if (mem) return "unlocked";
    const s = await chrome.storage.session.get(SESSION_KEY);
    if (s[SESSION_KEY]) return "unlocked";
    const { current, previous } = await readRecords();
    return current != null || previous != null ? "locked" : "none";
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
  const opened = await openStored("vaultOpen", key);
  const vault = parseVault(opened.value);
  const gen = opened.fellBack ? await repair(opened, vault) : genOf(opened.used);
  mem = { key, blob: opened.used.blob, gen, vault };
  return mem;
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
    const { current, previous } = await readRecords();
    if (current != null || previous != null) throw new CodedError(Errors.EXISTS, "a vault already exists");
    const vault = { accounts, settings: { ...DEFAULT_SETTINGS } };
    const { blob, key } = await call("vaultCreate", JSON.stringify(vault), password);
    const opened = parseVault(await call("vaultOpen", blob, key));
    if (!sameVault(opened, vault)) throw new CodedError(Errors.INTERNAL, "the new vault did not verify");
    await chrome.storage.local.set({ [CURRENT]: { format: FORMAT, gen: 1, blob }, [COUNT]: opened.accounts.length });
    await chrome.storage.local.remove([DAMAGED, RECOVERED]);
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
    const opened = await openStored("vaultUnlock", password);
    const result = opened.value;
    const vault = parseVault(result.vault);
    const gen = opened.fellBack ? await repair(opened, vault) : genOf(opened.used);
    await remember(result.key, vault.settings);
    mem = { key: result.key, blob: opened.used.blob, gen, vault };
    await chrome.storage.local.set({ [COUNT]: vault.accounts.length }).catch(() => {});
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
 * A name for one stored state of the vault: its generation number and a digest of its sealed
 * blob, so that a copy changed outside the store (damaged, replaced) gets another name too.
 */
async function tagOf(gen, blob) {
  // The last tag is kept: every popup open asks for it (is the View current?), and hashing
  // the blob (2 MB at 5,000 accounts) each time made that cost grow with the vault.
  if (lastTag && lastTag.gen === gen && lastTag.blob === blob) return lastTag.tag;
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(String(blob))));
  const tag = `${gen}:${[...d.subarray(0, 8)].map((x) => x.toString(16).padStart(2, "0")).join("")}`;
  lastTag = { gen, blob, tag };
  return tag;
}
/** @type {{gen: unknown, blob: unknown, tag: string}|null} */
let lastTag = null;

/** A deep copy of the open vault with the tag of the stored state it is: {vault, gen}. */
export function versioned() {
  return serialized(async () => {
    const m = await ensureOpen();
    return { vault: structuredClone(m.vault), gen: await tagOf(m.gen, m.blob) };
  });
}

/**
 * The tag (see versioned) of the vault as stored now, read without opening the vault; null
 * when there is none. It changes with every write: caches compare it with theirs.
 */
export function generation() {
  return serialized(async () => {
    if (mem) return tagOf(mem.gen, mem.blob);
    const { current } = await readRecords();
    return current ? tagOf(genOf(current), current.blob) : null;
  });
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
    for (const hook of writeHooks) await hook(next, { reason, ids });
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
    [COUNT]: opened.accounts.length,
  });
  mem = { key: m.key, blob, gen, vault: opened };
  // Both kept copies now open: a copy that failed before has served its purpose.
  await chrome.storage.local.remove(DAMAGED);
  await chrome.storage.session.set({ [SESSION_SETTINGS]: lockSettings(opened.settings) });
}

/**
 * Changes the master password after checking the current one. The core seals the vault under
 * a new data key for the new password; the new blob must unlock with the new password to
 * that key before it is stored. Both stored generations then hold it, so neither the old
 * password nor the old key opens anything that is kept (old copies the browser's storage
 * files may still hold open only what they held then).
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
    const { blob, key } = await call("vaultChangePassword", m.blob, m.key, newPassword);
    const proof = await call("vaultUnlock", blob, newPassword);
    if (proof.key !== key || key === m.key || !sameVault(parseVault(proof.vault), m.vault)) {
      throw new CodedError(Errors.INTERNAL, "the re-sealed vault did not verify; the password is unchanged");
    }
    const gen = m.gen + 1;
    const rec = { format: FORMAT, gen, blob };
    // storage.local and storage.session cannot change in one step: drop the old key first, so
    // that a worker killed in between comes back locked (either password then unlocks what
    // was stored) rather than holding a key that opens nothing.
    await chrome.storage.session.remove(SESSION_KEY);
    await chrome.storage.local.set({ [PREVIOUS]: rec, [CURRENT]: rec });
    await chrome.storage.local.remove(DAMAGED); // sealed under the old key too
    await chrome.storage.session.set({ [SESSION_KEY]: key });
    mem = { ...m, key, blob, gen };
    emit("password");
  });
}

// --- recovery: the notice, and setting a vault aside ----------------------------------------

/**
 * {at, missing} when the last open used the previous copy because the current one did not
 * open (missing: it was not there at all), until the person dismisses the notice; else null.
 */
export async function recoveryNotice() {
  const got = await chrome.storage.local.get(RECOVERED);
  return got[RECOVERED] ?? null;
}

/** The person has seen the recovery notice. */
export function dismissRecoveryNotice() {
  return serialized(() => chrome.storage.local.remove(RECOVERED));
}

/**
 * What a locked browser can say about its vaults: how many accounts the vault holds (as
 * counted at its last open or write; null if never counted) and the vault set aside, if any.
 * @returns {Promise<{accounts: number|null, aside: {at: string, accounts: number|null}|null}>}
 */
export function recoveryInfo() {
  return serialized(async () => {
    const got = await chrome.storage.local.get([COUNT, ASIDE]);
    const count = (n) => (Number.isSafeInteger(n) && n >= 0 ? n : null);
    const a = got[ASIDE];
    return { accounts: count(got[COUNT]), aside: a ? { at: String(a.at ?? ""), accounts: count(a.accounts) } : null };
  });
}

/**
 * Sets this browser's vault aside: its sealed copies (current, previous, and a damaged one
 * kept after a recovery) move, still sealed, to the ASIDE slot, and the browser has no vault
 * any more — a backup can then be restored into a new one, or a fresh vault created. The
 * old vault still opens with its password (openAside) until deleteAside. For a forgotten
 * master password and for a vault whose copies are all damaged. Locks first.
 */
export function setAside() {
  return serialized(async () => {
    const got = await chrome.storage.local.get([CURRENT, PREVIOUS, DAMAGED, COUNT, ASIDE]);
    const current = got[CURRENT] ?? null;
    const previous = got[PREVIOUS] ?? null;
    if (current == null && previous == null) throw new CodedError(Errors.NO_VAULT, "there is no vault to set aside");
    const old = got[ASIDE];
    // A set-aside interrupted after its first step has already copied this vault: finish it.
    const done = old && old.copies && JSON.stringify(old.copies.current ?? null) === JSON.stringify(current);
    if (old && !done) {
      throw new CodedError("aside_exists", "an older vault is already set aside: open it or delete it for good first");
    }
    mem = null;
    await chrome.storage.session.clear();
    if (!done) {
      const copies = { current, previous };
      if (got[DAMAGED] != null) copies.damaged = got[DAMAGED];
      await chrome.storage.local.set({ [ASIDE]: { format: FORMAT, at: new Date().toISOString(), accounts: got[COUNT] ?? null, copies } });
    }
    await chrome.storage.local.remove([CURRENT, PREVIOUS, DAMAGED, COUNT, RECOVERED]);
    emit("aside");
  });
}

/**
 * Opens the vault set aside with its master password and makes it this browser's vault
 * again, unlocked. A vault created or restored meanwhile takes its place in the ASIDE slot
 * (still sealed; it opens the same way), so nothing is lost in either direction — the swap
 * is one storage write. Error codes: no_aside, wrong_password, corrupt.
 */
export function openAside(password) {
  return serialized(async () => {
    if (typeof password !== "string" || password === "") {
      throw new CodedError(Errors.WRONG_PASSWORD, "wrong master password");
    }
    const got = await chrome.storage.local.get([CURRENT, PREVIOUS, DAMAGED, COUNT, ASIDE]);
    const aside = got[ASIDE];
    if (!aside || !aside.copies) throw new CodedError("no_aside", "no vault is set aside");
    const opened = await openStored("vaultUnlock", password, {
      current: aside.copies.current ?? null,
      previous: aside.copies.previous ?? null,
    });
    const vault = parseVault(opened.value.vault);
    const gen = genOf(opened.used) + 1;
    const rec = { format: FORMAT, gen, blob: opened.used.blob };
    const set = {
      [CURRENT]: rec,
      [PREVIOUS]: opened.fellBack ? rec : aside.copies.previous ?? rec,
      [COUNT]: vault.accounts.length,
    };
    const current = got[CURRENT] ?? null;
    const previous = got[PREVIOUS] ?? null;
    if (current != null || previous != null) {
      const copies = { current, previous };
      if (got[DAMAGED] != null) copies.damaged = got[DAMAGED];
      set[ASIDE] = { format: FORMAT, at: new Date().toISOString(), accounts: got[COUNT] ?? null, copies };
    }
    mem = null;
    await chrome.storage.session.clear();
    await chrome.storage.local.set(set);
    const stale = [DAMAGED, RECOVERED];
    if (!set[ASIDE]) stale.push(ASIDE);
    await chrome.storage.local.remove(stale);
    await remember(opened.value.key, vault.settings);
    mem = { key: opened.value.key, blob: rec.blob, gen, vault };
    emit("unlock");
  });
}

/** Deletes the vault set aside, for good. */
export function deleteAside() {
  return serialized(async () => {
    const got = await chrome.storage.local.get(ASIDE);
    if (!got[ASIDE]) throw new CodedError("no_aside", "no vault is set aside");
    await chrome.storage.local.remove(ASIDE);
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
