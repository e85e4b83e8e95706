// Autofill: puts one account's current code into a login page of one of its sites.
//
// Triggers: the popup's "Fill" button, the keyboard command, the context-menu item on
// editable fields (all three act through activeTab + scripting), and automatic fill by the
// content script registered for the origins the extension holds host access to.
//
// The content script is untrusted. It gets one code, for its own frame, and only after the
// frame's URL and its tab's URL (both from the browser, not from the script) belong to the
// account's sites — or, for a fill the user started, to the one page the user confirmed.
import { call } from "../shared/core.js";
import { Kinds, Errors, CodedError } from "../shared/messages.js";
import { registerHandlers } from "./router.js";
import * as store from "./store.js";

const K = Kinds.page;
const C = Kinds.content;
const CONTENT_SCRIPT = "extension/content/autofill.js";
const SCRIPT_ID = "codeward-autofill";
const MENU_ID = "codeward-fill";
const COMMAND = "fill-code";
// An offer lives as long as the injected script needs to find its field and claim the code.
const OFFER_MS = 15000;

// --- sites --------------------------------------------------------------------------------

async function matches(sites, url) {
  if (!Array.isArray(sites) || !sites.length || typeof url !== "string") return false;
  return call("sitesMatch", JSON.stringify(sites), url);
}

async function siteOf(url) {
  try {
    return await call("sitesOf", url);
  } catch {
    return null;
  }
}

/** Accounts bound to both the frame's page and its tab's page. */
async function boundAccounts(accounts, frameUrl, tabUrl) {
  const out = [];
  for (const a of accounts) {
    if ((await matches(a.sites, frameUrl)) && (await matches(a.sites, tabUrl))) out.push(a);
  }
  return out;
}

// --- codes --------------------------------------------------------------------------------

/**
 * The code to fill for account id now. HOTP: the code at the stored counter, and the counter
 * advances by one in the same committed write — no code leaves before that write succeeded.
 */
async function codeFor(id) {
  const vault = await store.snapshot();
  const a = vault.accounts.find((x) => x.id === id);
  if (!a) throw new CodedError(Errors.NOT_FOUND, "no such account");
  if (a.type === "hotp") {
    return store.update(
      async (v) => {
        const acc = v.accounts.find((x) => x.id === id);
        if (!acc) throw new CodedError(Errors.NOT_FOUND, "no such account");
        const code = await codeOf(acc);
        acc.counter = (acc.counter ?? 0) + 1;
        acc.updated = new Date().toISOString();
        return code;
      },
      "hotp",
      [id],
    );
  }
  return codeOf(a);
}

async function codeOf(a) {
  const [r] = JSON.parse(await call("codes", JSON.stringify([a]), Math.floor(Date.now() / 1000), 1));
  if (!r || r.error || !r.codes) throw new CodedError(Errors.INVALID, "this account cannot make codes");
  return r.codes; // one step: the one code
}

async function autoFillOn() {
  const s = (await store.snapshot()).settings ?? {};
  return s.autoFill !== false; // on unless the user turned it off
}

// --- user-started fills -------------------------------------------------------------------

/** offer id → {tabId, accountId, site (confirmed page site or null), expires, used} */
const offers = new Map();

function newOfferId() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * Injects the content script into the tab (every frame, or the given ones) and offers it one
 * fill for accountId. Resolves to "filled" or "no_field".
 */
async function offerFill(tabId, accountId, { confirmedSite = null, frameIds = null, context = false } = {}) {
  const id = newOfferId();
  offers.set(id, { tabId, accountId, site: confirmedSite, expires: Date.now() + OFFER_MS, used: false });
  const target = frameIds ? { tabId, frameIds } : { tabId, allFrames: true };
  try {
    // A script injected for one fill does not fill automatically on its own later.
    await chrome.scripting.executeScript({
      target,
      func: () => {
        if (!globalThis.__codewardAutofill) globalThis.__codewardOnDemand = true;
      },
    });
    await chrome.scripting.executeScript({ target, files: [CONTENT_SCRIPT] });
    const results = await chrome.scripting.executeScript({
      target,
      func: (offer, ctx) => (globalThis.__codewardOffer ? globalThis.__codewardOffer(offer, ctx) : { found: false }),
      args: [id, context],
    });
    const filled = results.some((r) => r && r.result && r.result.filled);
    return filled ? "filled" : "no_field";
  } finally {
    offers.delete(id);
  }
}

async function tabOf(tabId) {
  if (!Number.isInteger(tabId) || tabId < 0) throw new CodedError(Errors.INVALID, "no tab to fill");
  try {
    return await chrome.tabs.get(tabId);
  } catch {
    throw new CodedError(Errors.NOT_FOUND, "the tab is gone");
  }
}

/** The fill behind the popup's "Fill" button. */
async function fillFromPopup({ id, tabId, confirmed, confirmedPage }) {
  const vault = await store.snapshot();
  const a = vault.accounts.find((x) => x.id === id);
  if (!a) throw new CodedError(Errors.NOT_FOUND, "no such account");
  const tab = await tabOf(tabId);
  // Without host access or activeTab the browser hides the tab's URL: nothing can be done.
  if (!tab.url) return { status: "no_access" };
  const page = await siteOf(tab.url);
  if (!page) return { status: "no_access" };
  let confirmedSite = null;
  if (!(await matches(a.sites, tab.url))) {
    // The person confirmed one page; if the tab has moved on since, ask again for the new one.
    if (confirmed !== true || confirmedPage !== page) return { status: "confirm", page, sites: a.sites ?? [] };
    confirmedSite = page;
  }
  try {
    return { status: await offerFill(tab.id, a.id, { confirmedSite }) };
  } catch (e) {
    if (e instanceof CodedError) throw e;
    return { status: "no_access" };
  }
}

/**
 * Keyboard command and context menu: fill when exactly one account is bound to the page;
 * otherwise open the popup so the person chooses (its "Fill" asks before an unbound page).
 */
async function fillFromGesture(tab, { frameIds = null, context = false } = {}) {
  if (!tab || !Number.isInteger(tab.id) || !tab.url) return;
  if ((await store.state()) !== "unlocked") return openPopup();
  const vault = await store.snapshot();
  const bound = await boundAccounts(vault.accounts, tab.url, tab.url);
  if (bound.length !== 1) return openPopup();
  await offerFill(tab.id, bound[0].id, { frameIds, context });
}

function openPopup() {
  // Needs a user gesture in Firefox and Chrome ≥ 127 elsewhere; the command and the menu
  // click are gestures. Where it is refused, the toolbar button still works.
  try {
    chrome.action.openPopup?.()?.catch?.(() => {});
  } catch {
    // not supported here
  }
}

// --- content-script requests --------------------------------------------------------------

async function onRequest(payload, sender) {
  const tabId = sender.tab && sender.tab.id;
  const frameUrl = sender.url;
  const tabUrl = sender.tab && sender.tab.url;
  if (!Number.isInteger(tabId) || typeof frameUrl !== "string" || typeof tabUrl !== "string") return null;

  if (typeof payload.offer === "string") {
    const o = offers.get(payload.offer);
    if (!o || o.used || o.tabId !== tabId || Date.now() > o.expires) return null;
    // Claimed before the first await: two requests racing with one offer (two frames, or
    // a hostile script asking twice) must not get two codes — for HOTP, two counter values.
    o.used = true;
    const vault = await store.snapshot();
    const a = vault.accounts.find((x) => x.id === o.accountId);
    let allowed = !!a && (await matches(a.sites, frameUrl)) && (await matches(a.sites, tabUrl));
    if (a && !allowed && o.site) {
      // Confirmed by the person for this one page: the frame must be that page's site too.
      allowed = (await siteOf(frameUrl)) === o.site && (await siteOf(tabUrl)) === o.site;
    }
    if (!allowed) {
      o.used = false; // a frame of another site asked: the offer stays for the right one
      return null;
    }
    return { code: await codeFor(a.id) };
  }

  if (payload.auto === true) {
    if ((await store.state()) !== "unlocked" || !(await autoFillOn())) return null;
    const vault = await store.snapshot();
    const bound = await boundAccounts(vault.accounts, frameUrl, tabUrl);
    // Several accounts for one site: the person chooses in the popup. HOTP accounts are
    // never filled automatically: every page load would burn a counter value.
    if (bound.length !== 1 || bound[0].type === "hotp") return null;
    return { code: await codeFor(bound[0].id) };
  }
  return null;
}

// --- host access: content script registration follows the permissions held ---------------

let syncing = Promise.resolve();

/**
 * Registers the content script for exactly the origins the extension may reach now (from
 * the manifest or granted later), so automatic fill works wherever access was given and
 * nowhere else. Runs at start-up and whenever permissions change.
 */
function syncRegistration() {
  syncing = syncing.then(doSync, doSync).catch((e) => console.error("codeward: content script registration:", e && e.message));
  return syncing;
}

async function doSync() {
  const { origins = [] } = await chrome.permissions.getAll();
  const wanted = origins.filter((o) => o === "<all_urls>" || /^(\*|https?):\/\//.test(o)).sort();
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  const have = existing.length ? [...existing[0].matches].sort() : [];
  if (JSON.stringify(have) === JSON.stringify(wanted)) return;
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (!wanted.length) return;
  await chrome.scripting.registerContentScripts([
    { id: SCRIPT_ID, js: [CONTENT_SCRIPT], matches: wanted, allFrames: true, runAt: "document_idle", persistAcrossSessions: false },
  ]);
}

chrome.permissions.onAdded.addListener(() => syncRegistration());
chrome.permissions.onRemoved.addListener(() => syncRegistration());
syncRegistration();

// --- context menu and keyboard command ----------------------------------------------------

function createMenu() {
  if (!chrome.contextMenus) return;
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({ id: MENU_ID, title: "Fill one-time code", contexts: ["editable"] }, () => {
      void chrome.runtime.lastError; // already exists after a quick restart: fine
    });
  });
}
chrome.runtime.onInstalled.addListener(createMenu);
chrome.runtime.onStartup.addListener(createMenu);

chrome.contextMenus?.onClicked.addListener((info, tab) => {
  if (info.menuItemId !== MENU_ID) return;
  const frameIds = Number.isInteger(info.frameId) ? [info.frameId] : null;
  fillFromGesture(tab, { frameIds, context: true }).catch(() => {});
});

chrome.commands?.onCommand.addListener((command, tab) => {
  if (command !== COMMAND) return;
  const go = tab ? Promise.resolve(tab) : chrome.tabs.query({ active: true, lastFocusedWindow: true }).then((t) => t[0]);
  go.then((t) => fillFromGesture(t)).catch(() => {});
});

// --- message handlers ---------------------------------------------------------------------

/** Whether the tab's site belongs with issuer: one of its sites, or its name in the domain. */
function related(issuer, site, sites) {
  if (sites.includes(site)) return true;
  const name = issuer.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  if (name.length < 3) return false;
  const domain = site.split(".")[0].replace(/[^\p{L}\p{N}]/gu, "");
  return domain.includes(name) || (domain.length >= 3 && name.includes(domain));
}

registerHandlers("page", {
  [K.AUTOFILL_SUGGEST]: async ({ tabId, issuer }) => {
    issuer = typeof issuer === "string" ? issuer : "";
    let url = "";
    if (Number.isInteger(tabId) && tabId >= 0) {
      try {
        url = (await chrome.tabs.get(tabId)).url ?? "";
      } catch {
        url = "";
      }
    }
    // Only what the issuer says for sure goes into the field; the tab's site is offered,
    // and only when the issuer names it (a stranger's page must not become a bound site).
    const sites = JSON.parse(await call("sitesSuggest", issuer, ""));
    const [tabSite] = url ? JSON.parse(await call("sitesSuggest", "", url)) : [];
    return { sites, offer: tabSite && related(issuer, tabSite, sites) ? tabSite : null };
  },

  [K.AUTOFILL_FILL]: fillFromPopup,

  [K.AUTOFILL_SETTINGS_GET]: async () => {
    const vault = await store.snapshot();
    const sites = [...new Set(vault.accounts.flatMap((a) => a.sites ?? []))];
    const origins = JSON.parse(await call("sitesPatterns", JSON.stringify(sites)));
    const granted = origins.length === 0 || (await chrome.permissions.contains({ origins }));
    return { autoFill: await autoFillOn(), origins, granted };
  },

  [K.AUTOFILL_SETTINGS_SET]: async ({ autoFill }) => {
    if (typeof autoFill !== "boolean") throw new CodedError(Errors.INVALID, "autoFill must be true or false");
    await store.update((v) => {
      v.settings.autoFill = autoFill;
    }, "settings");
    return { autoFill };
  },
});

registerHandlers("content", {
  [C.AUTOFILL_REQUEST]: onRequest,
});
