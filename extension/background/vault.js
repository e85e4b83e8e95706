// Page-tier handlers for the vault and its accounts, the popup's View, and auto-lock.
import { call, core } from "../shared/core.js";
import { Kinds, Errors, CodedError, VIEW_KEY } from "../shared/messages.js";
import { registerHandlers, onPageMessage } from "./router.js";
import * as store from "./store.js";
import { seal, open as openSealed, VIEW_HEAD_KEY } from "../shared/session-seal.js";
import { publicSettings } from "./secrets.js";

const K = Kinds.page;
const AUTOLOCK_ALARM = "codeward.autolock";

// How far ahead codes are computed for the popup's View: until auto-lock would have locked
// the vault anyway (at least 10 minutes), so a popup opened while the worker sleeps finds the
// current code. Bounded twice: at most MAX_STEPS per account, and at most CODE_BUDGET codes in
// all, so that the View stays small enough for storage.session at 10,000 accounts (then a
// few minutes of codes, and an alarm rebuilds the View before they run out).
const MIN_CODE_WINDOW_SECONDS = 600;
const MAX_STEPS = 100;
const MIN_STEPS = 4;
const CODE_BUDGET = 120_000;
const VIEW_ALARM = "codeward.view";
// A View whose codes run out sooner than this is rebuilt rather than handed out.
const VIEW_MARGIN_SECONDS = 90;
// Rows in the View's head: the popup (at most 600 px, 48 px rows) shows 12, and builds six
// more below them; a few more for a margin.
const HEAD_ROWS = 24;

const TYPES = new Set(["totp", "hotp", "steam"]);
const ALGORITHMS = new Set(["SHA1", "SHA256", "SHA512"]);

// --- auto-lock --------------------------------------------------------------------------

/** storage.session key saying why the vault locked itself (the lock screen shows it). */
export const LOCK_REASON_KEY = "lockReason";

/** (Re)starts the auto-lock timer from the unlocked settings (also for recovery.js). */
export async function armAutoLock() {
  const settings = await store.sessionSettings();
  if (!settings) return;
  // 0: only when the browser closes (storage.session, and with it the data key, goes then).
  if (!(settings.autoLockMinutes > 0)) return chrome.alarms.clear(AUTOLOCK_ALARM);
  await chrome.alarms.create(AUTOLOCK_ALARM, { delayInMinutes: settings.autoLockMinutes });
}

// Any use of an extension page counts as activity and pushes the deadline back.
onPageMessage(() => {
  armAutoLock().catch(() => {});
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === AUTOLOCK_ALARM) {
    store
      .sessionSettings()
      .then((s) => lockNow({ why: "idle", minutes: s ? s.autoLockMinutes : null }))
      .catch(() => {});
  }
  if (alarm.name === VIEW_ALARM) refreshView().catch(() => {});
});

// "locked" is reported when the OS screen locks (Chrome; Firefox reports only active/idle).
chrome.idle.onStateChanged.addListener((s) => {
  if (s !== "locked") return;
  store
    .sessionSettings()
    .then((settings) => (settings && settings.lockOnScreenLock ? lockNow({ why: "screen" }) : null))
    .catch(() => {});
});

/** Locks; reason (auto-lock only) is kept for the lock screen until the next unlock. */
async function lockNow(reason = null) {
  await store.lock();
  await chrome.alarms.clear(AUTOLOCK_ALARM);
  if (reason) await chrome.storage.session.set({ [LOCK_REASON_KEY]: { ...reason, at: Date.now() } });
}

// --- the View the popup paints ------------------------------------------------------------
//
// The View is built when the vault changes (every store write, whatever module made it:
// accounts, imports, restores, fills) and when its codes are about to run out (an alarm),
// never because a popup opened. `current` is the latest View in this worker's memory; after
// a worker restart the sealed copy in storage.session stands in for it, with VIEW_META_KEY
// (no account data: the vault generation it was built from and when its codes run out)
// saying whether it is still good without opening anything.

/** storage.session key of the View's bookkeeping: {rev, gen, validUntil}. */
const VIEW_META_KEY = "view.meta";

/** @type {{view: object, gen: number}|null} */
let current = null;
let building = Promise.resolve();

function lockedView(state) {
  return { state, rev: state, accounts: [], codes: {}, settings: null, computedAt: Math.floor(Date.now() / 1000) };
}

function accountView(a) {
  const v = {
    id: a.id,
    type: a.type,
    issuer: a.issuer ?? "",
    name: a.name ?? "",
    algorithm: a.algorithm,
    digits: a.digits,
    order: a.order ?? 0,
    sites: a.sites ?? [],
  };
  if (a.type === "hotp") v.counter = a.counter ?? 0;
  else v.period = a.period;
  return v;
}

function sortAccounts(accounts) {
  return accounts.slice().sort((x, y) => (x.order ?? 0) - (y.order ?? 0));
}

/** How many time steps of codes to compute per account for a vault. */
function stepsFor(accounts, settings) {
  const timed = accounts.filter((a) => a.type !== "hotp");
  const shortest = Math.min(30, ...timed.map((a) => a.period).filter((p) => p > 0));
  const horizon = Math.max(MIN_CODE_WINDOW_SECONDS, (settings.autoLockMinutes ?? 0) * 60);
  const budget = Math.floor(CODE_BUDGET / Math.max(1, timed.length));
  return Math.max(MIN_STEPS, Math.min(MAX_STEPS, Math.ceil(horizon / shortest) + 1, budget));
}

/**
 * The head of view (messages.js ViewHead): its first HEAD_ROWS accounts and their codes,
 * and all the rest of the View (rev, counts, settings, notices) — what the popup's first
 * screen shows, a few KB whatever the vault's size.
 */
function headOf(view, total = view.accounts.length) {
  const accounts = view.accounts.slice(0, HEAD_ROWS);
  const codes = {};
  for (const a of accounts) if (view.codes[a.id]) codes[a.id] = view.codes[a.id];
  return { ...view, accounts, codes, head: true, total };
}

/**
 * Codes of accounts from time now, as the View holds them: {codes: {id → CodeEntry},
 * validUntil} (Infinity when none expire).
 */
async function codesOf(accounts, now, steps) {
  const results = accounts.length ? JSON.parse(await call("codes", JSON.stringify(accounts), now, steps)) : [];
  const codes = {};
  let validUntil = Infinity;
  for (const r of results) {
    // One string of digits per account (codes of equal length, back to back, as the core
    // writes them): a third of the size of an array of strings in JSON.
    if (r.error) codes[r.id] = { error: r.error };
    else if (r.step === undefined) codes[r.id] = { codes: r.codes };
    else {
      codes[r.id] = { step: r.step, codes: r.codes };
      validUntil = Math.min(validUntil, (r.step + steps) * r.period);
    }
  }
  return { codes, validUntil };
}

// Who waits for the next head (firstScreen): a build hands it over as soon as the first rows'
// codes are computed, before the codes of every other account.
const headWaiters = new Set();

// Counts unlocks, creations, locks and set-asides: a build that began before one of them
// shows a vault (or a session) that is gone, so it hands over no head and writes nothing.
let session = 0;

/** Builds the View from the open vault, seals it into storage.session and arms its refresh. */
async function buildView() {
  const began = session;
  const { vault, gen } = await store.versioned();
  const accounts = sortAccounts(vault.accounts);
  const now = Math.floor(Date.now() / 1000);
  const steps = stepsFor(accounts, vault.settings);
  const rev = `${gen}.${now}.${Math.random().toString(36).slice(2, 8)}`;
  const base = { state: "unlocked", rev, settings: publicSettings(vault.settings), computedAt: now };
  const recovered = await store.recoveryNotice();
  if (recovered) base.recovered = recovered;
  const first = accounts.slice(0, HEAD_ROWS);
  const head = await codesOf(first, now, steps);
  if (headWaiters.size && began === session) {
    const v = headOf({ ...base, accounts: first.map(accountView), codes: head.codes, validUntil: finite(head.validUntil, now) }, accounts.length);
    for (const resolve of headWaiters) resolve(v);
    headWaiters.clear();
    // The reply carrying it goes out before the other accounts' codes take the thread.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const rest = await codesOf(accounts.slice(HEAD_ROWS), now, steps);
  const validUntil = finite(Math.min(head.validUntil, rest.validUntil), now);
  const view = { ...base, accounts: accounts.map(accountView), codes: { ...head.codes, ...rest.codes }, validUntil };
  // Lock may have run meanwhile (then there is no seal key): do not leave a View behind it,
  // nor one of the vault before it in a session opened since.
  const key = await store.sealKey();
  if (!key || began !== session) return view;
  const [sealed, sealedHead] = await Promise.all([seal(view, key), seal(headOf(view), key)]);
  if ((await store.sealKey()) !== key || began !== session) return view;
  current = { view, gen };
  try {
    // One write: a popup never finds a head of another rev than the View beside it.
    await chrome.storage.session.set({ [VIEW_KEY]: sealed, [VIEW_HEAD_KEY]: sealedHead, [VIEW_META_KEY]: { rev, gen, validUntil } });
    // A lock between the check above and this write cleared storage.session first: take the
    // View back out rather than leave it behind the lock.
    if ((await store.sealKey()) !== key) {
      await chrome.storage.session.remove([VIEW_KEY, VIEW_HEAD_KEY, VIEW_META_KEY]);
      if (current && current.view === view) current = null;
      return view;
    }
  } catch (e) {
    // Over storage.session's quota (a very large vault): the change itself is saved; the
    // popup then asks the background instead of painting from the cache.
    console.warn("codeward: the View is not cached:", e && e.message);
    await chrome.storage.session.remove([VIEW_KEY, VIEW_HEAD_KEY, VIEW_META_KEY]).catch(() => {});
  }
  // Rebuild when two thirds of the window have passed (alarms may fire late).
  const when = (now + Math.max(30, (validUntil - now) * (2 / 3))) * 1000;
  await chrome.alarms.create(VIEW_ALARM, { when });
  return view;
}

/** HOTP only: codes do not expire, yet the View is looked at again within a day. */
const finite = (validUntil, now) => (validUntil === Infinity ? now + 24 * 3600 : validUntil);

const fresh = (validUntil, gen, storedGen) => gen === storedGen && validUntil - Date.now() / 1000 > VIEW_MARGIN_SECONDS;

/**
 * The current View: the one already built when the vault has not changed since and its
 * codes last a while yet (from memory, or opened from storage.session after a worker
 * restart), otherwise a new one. Builds run one at a time.
 */
function freshView({ force = false } = {}) {
  const run = building.then(async () => {
    const gen = await store.generation();
    if (force) current = null;
    else if (current && fresh(current.view.validUntil, current.gen, gen)) return current.view;
    if (!current && !force) {
      const got = await chrome.storage.session.get([VIEW_KEY, VIEW_META_KEY]);
      const meta = got[VIEW_META_KEY];
      const key = await store.sealKey();
      if (meta && got[VIEW_KEY] && key && fresh(meta.validUntil, meta.gen, gen)) {
        try {
          const view = await openSealed(got[VIEW_KEY], key);
          current = { view, gen: meta.gen };
          return view;
        } catch {
          // sealed under another key: build a new one
        }
      }
    }
    try {
      return await buildView();
    } catch (e) {
      // A change that committed just before a lock: it is saved, and the vault is locked now.
      if (e.code === Errors.LOCKED || e.code === Errors.NO_VAULT) return lockedView(await store.state());
      throw e;
    }
  });
  building = run.catch(() => {});
  return run;
}

/** Drops the View held and builds a new one (something it shows changed outside the vault). */
export async function rebuildView() {
  const state = await store.state();
  return state === "unlocked" ? freshView({ force: true }) : lockedView(state);
}

/** Rebuilds the View when the vault is open (a change, or the codes running out). */
async function refreshView() {
  if ((await store.state()) !== "unlocked") return;
  await freshView({ force: true });
}

// Every committed change, whichever module made it, gets a new View at once, so that open
// popups (they watch storage.session) and the next one show it.
store.onChange(({ reason }) => {
  current = null;
  if (["lock", "aside", "unlock", "create"].includes(reason)) session++;
  if (reason === "lock" || reason === "aside") {
    chrome.alarms.clear(VIEW_ALARM).catch(() => {});
    return;
  }
  if (reason === "unlock" || reason === "create") chrome.storage.session.remove(LOCK_REASON_KEY).catch(() => {});
  freshView().catch((e) => console.error("codeward: the View could not be rebuilt:", e && e.message));
});

/**
 * Runs open (an unlock or a vault's creation) and replies with the first screen of the View
 * it starts: its head (messages.js ViewHead), handed over by that rebuild as soon as the
 * first rows have their codes, so that the reply waits for Argon2id and not for the codes
 * of thousands of accounts. The whole View follows in storage.session and from VIEW. The
 * head is asked for before open runs, so the rebuild cannot pass that point unseen.
 */
async function firstScreen(open) {
  let waiter;
  const next = new Promise((resolve) => headWaiters.add((waiter = resolve)));
  try {
    await open();
    // No rebuild under way (the View was current already): the head of the one there is.
    const whole = freshView().then((v) => (v.state === "unlocked" ? headOf(v) : v));
    return await Promise.race([next, whole]);
  } finally {
    headWaiters.delete(waiter);
  }
}

/** The View for the vault's state now (also for recovery.js). */
export async function currentView() {
  const state = await store.state();
  return state === "unlocked" ? freshView() : lockedView(state);
}

/** What a popup that already shows View rev `have` needs: just {same: true} when that is current. */
async function viewFor(have) {
  // After a worker restart the popup has painted the View stored in storage.session: its
  // bookkeeping says whether that is still current without opening the View (2 MB at 5,000
  // accounts) only to answer "same".
  if (typeof have === "string" && have && !current && (await store.state()) === "unlocked") {
    const meta = (await chrome.storage.session.get(VIEW_META_KEY))[VIEW_META_KEY];
    if (meta && meta.rev === have && fresh(meta.validUntil, meta.gen, await store.generation())) {
      return { state: "unlocked", rev: have, same: true };
    }
  }
  const v = await currentView();
  if (typeof have === "string" && have === v.rev) return { state: v.state, rev: v.rev, same: true };
  return v;
}

// --- accounts ---------------------------------------------------------------------------

function str(x, field) {
  if (typeof x !== "string") throw new CodedError(Errors.INVALID, `${field} must be text`);
  return x.trim();
}

function whole(x, field) {
  if (!Number.isInteger(x) || x < 0) throw new CodedError(Errors.INVALID, `${field} must be a whole number`);
  return x;
}

/** Checks the shape of an AccountInput; the core checks the ranges. */
function readInput(input, { secretOptional = false } = {}) {
  if (!input || typeof input !== "object") throw new CodedError(Errors.INVALID, "missing account");
  const type = str(input.type, "type");
  if (!TYPES.has(type)) throw new CodedError(Errors.INVALID, "unknown type");
  const algorithm = str(input.algorithm, "algorithm");
  if (!ALGORITHMS.has(algorithm)) throw new CodedError(Errors.INVALID, "unknown algorithm");
  const out = {
    type,
    issuer: str(input.issuer ?? "", "issuer"),
    name: str(input.name, "account name"),
    secret: str(input.secret ?? "", "secret"),
    algorithm,
    digits: whole(input.digits, "digits"),
  };
  if (!out.secret && !secretOptional) throw new CodedError(Errors.INVALID, "the secret key is missing");
  if (!out.name && !out.issuer) throw new CodedError(Errors.INVALID, "give an issuer or an account name");
  if (type === "hotp") out.counter = whole(input.counter ?? 0, "counter");
  else out.period = whole(input.period, "period");
  // Sites as typed in the form (comma- or line-separated); validated() makes them canonical.
  if (input.sites !== undefined) out.sites = str(input.sites, "sites");
  return out;
}

/** Runs the account through the core: validates ranges and canonicalises the secret. */
async function validated(account) {
  if (typeof account.sites === "string") account.sites = JSON.parse(await call("sitesNormalize", account.sites));
  return JSON.parse(await call("validateAccount", JSON.stringify(account)));
}

function find(vault, id) {
  const a = typeof id === "string" ? vault.accounts.find((x) => x.id === id) : undefined;
  if (!a) throw new CodedError(Errors.NOT_FOUND, "no such account");
  return a;
}

const nowISO = () => new Date().toISOString();

registerHandlers("page", {
  [K.STATE]: async ({ have }) => {
    const state = await store.state();
    if (state === "unlocked") return viewFor(have);
    // A popup showing the password form: load the core while the user types, so that the
    // unlock waits only for Argon2id.
    core().catch(() => {});
    return lockedView(state);
  },

  [K.CREATE]: ({ password }) =>
    firstScreen(async () => {
      await store.create(password);
      await armAutoLock();
    }),

  [K.UNLOCK]: ({ password }) =>
    firstScreen(async () => {
      await store.unlock(password);
      await armAutoLock();
    }),

  [K.LOCK]: async () => {
    await lockNow();
    return lockedView(await store.state());
  },

  [K.CHANGE_PASSWORD]: async ({ current, next }) => {
    await store.changePassword(current, next);
    return {};
  },

  [K.VIEW]: async ({ have }) => viewFor(have),

  [K.ADD]: async ({ account }) => {
    const input = readInput(account);
    const id = await call("newID");
    const now = nowISO();
    const a = await validated({ id, ...input, order: 0, created: now, updated: now });
    await store.update(
      (v) => {
        a.order = v.accounts.reduce((m, x) => Math.max(m, (x.order ?? 0) + 1), 0);
        v.accounts.push(a);
      },
      "add",
      [id],
    );
    return freshView();
  },

  [K.UPDATE]: async ({ id, account }) => {
    const input = readInput(account, { secretOptional: true });
    await store.update(
      async (v) => {
        const old = find(v, id);
        const merged = { ...old, ...input, secret: input.secret || old.secret, updated: nowISO() };
        if (merged.type === "hotp") delete merged.period;
        else delete merged.counter;
        Object.assign(old, await validated(merged));
      },
      "update",
      [id],
    );
    return freshView();
  },

  [K.DELETE]: async ({ id }) => {
    await store.update(
      (v) => {
        find(v, id);
        v.accounts = v.accounts.filter((a) => a.id !== id);
      },
      "delete",
      [id],
    );
    return freshView();
  },

  [K.REORDER]: async ({ ids }) => {
    if (!Array.isArray(ids)) throw new CodedError(Errors.INVALID, "ids must be a list");
    await store.update(
      (v) => {
        if (ids.length !== v.accounts.length || new Set(ids).size !== ids.length) {
          throw new CodedError(Errors.INVALID, "ids must list every account once");
        }
        ids.forEach((id, i) => {
          find(v, id).order = i;
        });
      },
      "reorder",
      ids,
    );
    return freshView();
  },

  [K.HOTP_NEXT]: async ({ id }) => {
    await store.update(
      (v) => {
        const a = find(v, id);
        if (a.type !== "hotp") throw new CodedError(Errors.INVALID, "not a counter-based account");
        a.counter = (a.counter ?? 0) + 1;
        a.updated = nowISO();
      },
      "hotp",
      [id],
    );
    return freshView();
  },

  [K.PARSE_URI]: async ({ uri }) => {
    if (typeof uri !== "string") throw new CodedError(Errors.INVALID, "uri must be text");
    const a = JSON.parse(await call("parseURI", uri.trim()));
    const out = {
      type: a.type,
      issuer: a.issuer ?? "",
      name: a.name ?? "",
      secret: a.secret,
      algorithm: a.algorithm,
      digits: a.digits,
    };
    if (a.type === "hotp") out.counter = a.counter ?? 0;
    else out.period = a.period;
    return out;
  },

  [K.SETTINGS_GET]: async () => publicSettings((await store.snapshot()).settings),

  [K.SETTINGS_SET]: async ({ settings }) => {
    if (!settings || typeof settings !== "object") throw new CodedError(Errors.INVALID, "missing settings");
    const change = {};
    if ("autoLockMinutes" in settings) {
      const m = settings.autoLockMinutes;
      if (typeof m !== "number" || !Number.isFinite(m) || (m !== 0 && m < 0.1) || m > 1440) {
        throw new CodedError(Errors.INVALID, "auto-lock must be between 1 and 1440 minutes, or 0 (when the browser closes)");
      }
      change.autoLockMinutes = m;
    }
    if ("lockOnScreenLock" in settings) {
      if (typeof settings.lockOnScreenLock !== "boolean") throw new CodedError(Errors.INVALID, "lockOnScreenLock must be true or false");
      change.lockOnScreenLock = settings.lockOnScreenLock;
    }
    const out = await store.update((v) => {
      Object.assign(v.settings, change);
      return publicSettings(v.settings);
    }, "settings");
    await armAutoLock();
    return out;
  },
});
