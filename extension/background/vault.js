// Page-tier handlers for the vault and its accounts, the popup's View, and auto-lock.
import { call, core } from "../shared/core.js";
import { Kinds, Errors, CodedError, VIEW_KEY } from "../shared/messages.js";
import { registerHandlers, onPageMessage } from "./router.js";
import * as store from "./store.js";
import { seal } from "../shared/session-seal.js";
import { publicSettings } from "./secrets.js";

const K = Kinds.page;
const AUTOLOCK_ALARM = "codeward.autolock";

// How far ahead codes are computed for the popup's cache: until auto-lock would have locked
// the vault anyway (at least 10 minutes), so a popup opened while the worker sleeps finds the
// current code; bounded so that it stays cheap (≤ 100 steps per account).
const MIN_CODE_WINDOW_SECONDS = 600;
const MAX_STEPS = 100;

const TYPES = new Set(["totp", "hotp", "steam"]);
const ALGORITHMS = new Set(["SHA1", "SHA256", "SHA512"]);

// --- auto-lock --------------------------------------------------------------------------

/** (Re)starts the auto-lock timer from the unlocked settings (also for recovery.js). */
export async function armAutoLock() {
  const settings = await store.sessionSettings();
  if (!settings) return;
  await chrome.alarms.create(AUTOLOCK_ALARM, { delayInMinutes: settings.autoLockMinutes });
}

// Any use of an extension page counts as activity and pushes the deadline back.
onPageMessage(() => {
  armAutoLock().catch(() => {});
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === AUTOLOCK_ALARM) lockNow().catch(() => {});
});

// "locked" is reported when the OS screen locks (Chrome; Firefox reports only active/idle).
chrome.idle.onStateChanged.addListener((s) => {
  if (s !== "locked") return;
  store
    .sessionSettings()
    .then((settings) => (settings && settings.lockOnScreenLock ? lockNow() : null))
    .catch(() => {});
});

async function lockNow() {
  await store.lock();
  await chrome.alarms.clear(AUTOLOCK_ALARM);
}

// --- the View the popup paints ------------------------------------------------------------

function lockedView(state) {
  return { state, accounts: [], codes: {}, settings: null, computedAt: Math.floor(Date.now() / 1000) };
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

/** Computes the View from the open vault and caches it, sealed, in storage.session. */
async function freshView() {
  let vault;
  try {
    vault = await store.snapshot();
  } catch (e) {
    // A change that committed just before a lock: it is saved, and the vault is locked now.
    if (e.code === Errors.LOCKED) return lockedView("locked");
    throw e;
  }
  const accounts = sortAccounts(vault.accounts);
  const now = Math.floor(Date.now() / 1000);
  const shortest = Math.min(30, ...accounts.filter((a) => a.period > 0).map((a) => a.period));
  const horizon = Math.max(MIN_CODE_WINDOW_SECONDS, (vault.settings.autoLockMinutes ?? 0) * 60);
  const steps = Math.min(MAX_STEPS, Math.ceil(horizon / shortest) + 1);
  const results = accounts.length ? JSON.parse(await call("codes", JSON.stringify(accounts), now, steps)) : [];
  const codes = {};
  for (const r of results) {
    codes[r.id] = r.error ? { error: r.error } : { step: r.step, period: r.period, codes: r.codes };
  }
  const view = { state: "unlocked", accounts: accounts.map(accountView), codes, settings: publicSettings(vault.settings), computedAt: now };
  const recovered = await store.recoveryNotice();
  if (recovered) view.recovered = recovered;
  // Lock may have run meanwhile (then there is no seal key): do not leave a View behind it.
  const key = await store.sealKey();
  if (key) {
    const sealed = await seal(view, key);
    try {
      if ((await store.sealKey()) === key) await chrome.storage.session.set({ [VIEW_KEY]: sealed });
    } catch (e) {
      // Over storage.session's quota (a very large vault): the change itself is saved; the
      // popup then asks the background instead of painting from the cache.
      console.warn("codeward: the View is not cached:", e && e.message);
      await chrome.storage.session.remove(VIEW_KEY).catch(() => {});
    }
  }
  return view;
}

/** The View for the vault's state now (also for recovery.js). */
export async function currentView() {
  const state = await store.state();
  return state === "unlocked" ? freshView() : lockedView(state);
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
  [K.STATE]: async () => {
    const state = await store.state();
    if (state === "unlocked") return freshView();
    // A popup showing the password form: load the core while the user types, so that the
    // unlock waits only for Argon2id.
    core().catch(() => {});
    return lockedView(state);
  },

  [K.CREATE]: async ({ password }) => {
    await store.create(password);
    await armAutoLock();
    return freshView();
  },

  [K.UNLOCK]: async ({ password }) => {
    await store.unlock(password);
    await armAutoLock();
    return freshView();
  },

  [K.LOCK]: async () => {
    await lockNow();
    return lockedView(await store.state());
  },

  [K.CHANGE_PASSWORD]: async ({ current, next }) => {
    await store.changePassword(current, next);
    return {};
  },

  [K.VIEW]: currentView,

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
      if (typeof m !== "number" || !Number.isFinite(m) || m < 0.1 || m > 1440) {
        throw new CodedError(Errors.INVALID, "auto-lock must be between 1 and 1440 minutes");
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
