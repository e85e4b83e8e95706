// Autofill in the popup: the "Sites" field of the account form (with suggestions), the
// "Fill" button of each account row (with a warning before an unbound page), and the settings
// for automatic fill. popup.js calls accountForm(), formSites() and settingsForm(); the
// controls are added to the panels' templates when this module loads (popup.js loads it
// after panels.html), and the rows' Fill buttons are built by paint.js.
import { Kinds, send } from "../shared/messages.js";
import { closeIfPopup } from "../shared/popup-window.js";
import { plain } from "../shared/words.js";
import { ui, label, list } from "./paint.js";

const K = Kinds.page;

function el(tag, props = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(n.dataset, v);
    else if (k in n) n[k] = v;
    else n.setAttribute(k, v);
  }
  n.append(...children);
  return n;
}

// --- template additions -------------------------------------------------------------------

function extendTemplates() {
  const form = document.getElementById("t-account-form")?.content;
  const errors = form?.querySelector(".errors");
  if (errors) {
    errors.before(
      el("label", { htmlFor: "f-sites" }, "Sites"),
      el("textarea", { id: "f-sites", name: "sites", rows: 2, autocomplete: "off", spellcheck: false, "aria-describedby": "f-sites-hint" }),
      el("button", { type: "button", id: "f-sites-offer", className: "link", hidden: true }),
      el("p", { id: "f-sites-hint", className: "hint" },
        "Codes are filled only into these sites (e.g. github.com also covers www.github.com). Separate them with commas or new lines."),
    );
  }
  const settings = document.getElementById("t-settings")?.content;
  const sErrors = settings?.querySelector("#settings-form .errors");
  if (sErrors) {
    const box = el("input", { id: "s-autofill", name: "autoFill", type: "checkbox", "aria-describedby": "s-autofill-hint" });
    sErrors.before(
      el("div", { className: "row" },
        el("label", { className: "check" }, box, " Fill codes automatically"),
        el("span", { className: "saved", dataset: { saved: "autoFill" }, role: "status" })),
      el("p", { id: "s-autofill-hint", className: "hint" },
        "When a login page of an account's site asks for a code, fill it in. Needs access to those sites."),
      el("button", { type: "button", id: "s-autofill-grant", hidden: true }, "Allow access to your accounts' sites"),
    );
  }
}
extendTemplates();

// --- the tab to act on ------------------------------------------------------------------------

/**
 * The popup acts on the active tab of its window. When this page is itself open in a tab
 * (the popup opened as a page), it acts on the tab used most recently before it.
 */
export async function targetTab() {
  const self = await chrome.tabs.getCurrent?.();
  const [active] = await chrome.tabs.query({ active: true, currentWindow: true });
  if (active && (!self || active.id !== self.id)) return active;
  const tabs = (await chrome.tabs.query({})).filter((t) => !self || t.id !== self.id);
  const web = tabs.filter((t) => /^https?:/.test(t.url ?? ""));
  const pool = web.length ? web : tabs;
  pool.sort((x, y) => (y.lastAccessed ?? 0) - (x.lastAccessed ?? 0));
  return pool[0] ?? null;
}

function say(text) {
  const a = document.getElementById("announce");
  if (!a) return;
  a.textContent = "";
  setTimeout(() => (a.textContent = text), 30);
}

// --- the account form: Sites ------------------------------------------------------------------

/**
 * Wires the Sites field of the account form; a is the account being edited or null. For a new
 * account the field gets only what the issuer says for sure (its known domain, or the issuer
 * itself when it is a domain); the tab's site is offered with a button — never added by
 * itself — and only when the issuer is related to it.
 */
export function accountForm(form, a) {
  const sites = form.elements.sites;
  if (!sites) return;
  if (a) {
    sites.value = (a.sites ?? []).join(", ");
    return;
  }
  const offer = form.querySelector("#f-sites-offer");
  let edited = false;
  let timer = 0;
  sites.addEventListener("input", () => (edited = true));
  const tabId = targetTab().then((t) => (t ? t.id : -1), () => -1);
  const suggest = async () => {
    try {
      const issuer = form.elements.issuer.value;
      const s = await send(K.AUTOFILL_SUGGEST, { tabId: await tabId, issuer });
      if (form.elements.issuer.value !== issuer) return; // typed on meanwhile
      if (!edited) sites.value = s.sites.join(", ");
      const have = sites.value.split(/[\s,]+/).filter(Boolean);
      const show = s.offer && !have.includes(s.offer);
      offer.hidden = !show;
      if (show) {
        offer.textContent = `Add ${s.offer}`;
        offer.dataset.site = s.offer;
        offer.setAttribute("aria-label", `Add this tab's site, ${s.offer}, to Sites`);
      }
    } catch {
      // A suggestion is a convenience; the field stays as it is.
    }
  };
  offer.addEventListener("click", () => {
    const site = offer.dataset.site;
    const have = sites.value.split(/[\s,]+/).filter(Boolean);
    if (site && !have.includes(site)) sites.value = [...have, site].join(", ");
    edited = true;
    offer.hidden = true;
    sites.focus();
  });
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 250);
  };
  form.elements.issuer.addEventListener("input", later);
  // A pasted otpauth:// link sets the issuer without an input event on it.
  form.elements.secret.addEventListener("input", () => setTimeout(later, 300));
}

/** The Sites text to save with the account (the background makes it canonical). */
export function formSites(form) {
  return form.elements.sites ? form.elements.sites.value : undefined;
}

// --- Fill -----------------------------------------------------------------------------------

/** The "Fill anyway" warning: full width, in the popup's panel (another panel replaces it). */
function confirmFill(a, r, button) {
  // An account without sites has no "right" site to name: say so instead.
  const text = r.sites.length
    ? `This page is ${r.page}, not ${r.sites.join(", ")}. Fill the code here only if you are sure this is the right site.`
    : `This account has no sites yet, so Codeward cannot tell whether ${r.page} is the right one. Fill the code here only if you are sure; add the site in Edit to skip this question.`;
  const yes = el("button", { type: "button", className: "danger" }, "Fill anyway");
  const no = el("button", { type: "button" }, "Cancel");
  const box = el("div", { className: "panel fill-confirm" }, el("p", { className: "warning", role: "alert" }, text), el("div", { className: "row" }, yes, no));
  yes.addEventListener("click", () => {
    ui.hooks.closePanel?.(false);
    fill(a, button, r.page).catch((e) => say(plain(e)));
  });
  no.addEventListener("click", () => ui.hooks.closePanel?.(true));
  ui.hooks.fillPanel?.(box, button);
  no.focus();
}

async function fill(a, button, confirmedPage) {
  const tab = await targetTab();
  if (!tab) return say("There is no page to fill.");
  const r = await send(K.AUTOFILL_FILL, { id: a.id, tabId: tab.id, confirmed: !!confirmedPage, confirmedPage });
  if (r.status === "confirm") return confirmFill(a, r, button);
  if (r.status === "filled") {
    say("Code filled.");
    // A real popup closes so the person can go on (e.g. press Enter) on the page. (An HOTP
    // fill advanced the counter: the background's new View reaches an open popup by itself.)
    await closeIfPopup();
    return;
  }
  // No field found, or no access to the page: copying stays the fallback.
  await list.copy(a);
  say(r.status === "no_field" ? "No code field found on this page. The code was copied instead." : "Codeward cannot reach this page. The code was copied instead.");
}

document.addEventListener("click", (ev) => {
  const button = ev.target.closest?.("button[data-action=fill]");
  const a = button?.closest("li.account")?.account;
  if (!a) return;
  fill(a, button).catch((e) => say(plain(e)));
});

// --- settings ---------------------------------------------------------------------------------

/** Wires the "Fill codes automatically" checkbox and the access button of the settings form;
 *  saved(text) shows that a change was saved. */
export function settingsForm(form, saved = say) {
  const box = form.elements.autoFill;
  const grant = form.querySelector("#s-autofill-grant");
  if (!box) return;
  let origins = [];
  box.disabled = true; // until the stored setting is known
  send(K.AUTOFILL_SETTINGS_GET)
    .then((s) => {
      box.checked = s.autoFill;
      box.disabled = false;
      origins = s.origins;
      grant.hidden = s.granted || !s.autoFill;
    })
    .catch(() => {});
  // Saved at once, like every setting.
  box.addEventListener("change", () => {
    send(K.AUTOFILL_SETTINGS_SET, { autoFill: box.checked })
      .then((s) => {
        saved("Saved");
        if (!s.autoFill) grant.hidden = true;
      })
      .catch((e) => say(plain(e)));
  });
  grant.addEventListener("click", () => {
    // Must run inside the click: browsers only show a permission prompt for a user action.
    chrome.permissions
      .request({ origins })
      .then((ok) => {
        grant.hidden = ok;
        say(ok ? "Access granted: codes will be filled on your sites." : "Access not granted.");
      })
      .catch(() => {});
  });
}
