// Autofill in the popup: the "Sites" field of the account form (with suggestions), the
// "Fill" button on each account (with a warning before an unbound page), and the settings
// for automatic fill. popup.js calls accountForm(), formSites() and settingsForm(); the
// controls are added to the popup's templates when this module loads, before anything renders.
import { Kinds, send } from "../shared/messages.js";
import { closeIfPopup } from "../shared/popup-window.js";
import { plain } from "../shared/words.js";

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
  const item = document.getElementById("t-account")?.content;
  if (item) {
    const actions = item.querySelector(".actions");
    actions?.prepend(el("button", { type: "button", className: "fill", dataset: { action: "fill" }, title: "Fill the code into the current page" }, "Fill"));
    item.querySelector("li")?.append(
      el("div", { className: "fill-confirm", hidden: true },
        el("p", { className: "warning", role: "alert" }),
        el("button", { type: "button", className: "danger", dataset: { action: "fill-anyway" } }, "Fill anyway"),
        el("button", { type: "button", dataset: { action: "fill-cancel" } }, "Cancel"),
      ),
    );
  }
  const form = document.getElementById("t-account-form")?.content;
  const errors = form?.querySelector(".errors");
  if (errors) {
    errors.before(
      el("label", { htmlFor: "f-sites" }, "Sites"),
      el("textarea", { id: "f-sites", name: "sites", rows: 2, autocomplete: "off", spellcheck: false, "aria-describedby": "f-sites-hint" }),
      el("p", { id: "f-sites-hint", className: "hint" },
        "Codes are filled only into these sites (e.g. github.com also covers www.github.com). Separate them with commas or new lines."),
    );
  }
  const settings = document.getElementById("t-settings")?.content;
  const sErrors = settings?.querySelector("#settings-form .errors");
  if (sErrors) {
    const box = el("input", { id: "s-autofill", name: "autoFill", type: "checkbox", "aria-describedby": "s-autofill-hint" });
    sErrors.before(
      el("label", { className: "check" }, box, " Fill codes automatically"),
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
async function targetTab() {
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

/** Wires the Sites field of the account form; a is the account being edited or null. */
export function accountForm(form, a) {
  const sites = form.elements.sites;
  if (!sites) return;
  if (a) {
    sites.value = (a.sites ?? []).join(", ");
    return;
  }
  // New account: suggest from the issuer and the tab, until the person edits the field.
  let edited = false;
  let timer = 0;
  sites.addEventListener("input", () => (edited = true));
  const tabId = targetTab().then((t) => (t ? t.id : -1), () => -1);
  const suggest = async () => {
    if (edited) return;
    try {
      const list = await send(K.AUTOFILL_SUGGEST, { tabId: await tabId, issuer: form.elements.issuer.value });
      if (!edited) sites.value = list.join(", ");
    } catch {
      // A suggestion is a convenience; the field stays as it is.
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 250);
  };
  form.elements.issuer.addEventListener("input", later);
  // A pasted otpauth:// link sets the issuer without an input event on it.
  form.elements.secret.addEventListener("input", () => setTimeout(later, 300));
  suggest();
}

/** The Sites text to save with the account (the background makes it canonical). */
export function formSites(form) {
  return form.elements.sites ? form.elements.sites.value : undefined;
}

// --- Fill -----------------------------------------------------------------------------------

async function fill(li, confirmedPage) {
  const id = li.dataset.id;
  const confirmBox = li.querySelector(".fill-confirm");
  const tab = await targetTab();
  if (!tab) return say("There is no page to fill.");
  const r = await send(K.AUTOFILL_FILL, { id, tabId: tab.id, confirmed: !!confirmedPage, confirmedPage });
  if (r.status === "confirm") {
    // An account without sites has no "right" site to name: say so instead.
    confirmBox.querySelector("p").textContent = r.sites.length
      ? `This page is ${r.page}, not ${r.sites.join(", ")}. Fill the code here only if you are sure this is the right site.`
      : `This account has no sites yet, so Codeward cannot tell whether ${r.page} is the right one. Fill the code here only if you are sure; add the site in Edit to skip this question.`;
    confirmBox.dataset.page = r.page;
    confirmBox.hidden = false;
    confirmBox.querySelector("[data-action=fill-cancel]").focus();
    return;
  }
  confirmBox.hidden = true;
  if (r.status === "filled") {
    say("Code filled.");
    // An HOTP fill advanced the counter: have the background repaint the list.
    await send(K.VIEW).catch(() => {});
    // A real popup closes so the person can go on (e.g. press Enter) on the page.
    await closeIfPopup();
    return;
  }
  // No field found, or no access to the page: copying stays the fallback.
  li.querySelector(".code")?.click();
  say(r.status === "no_field" ? "No code field found on this page. The code was copied instead." : "Codeward cannot reach this page. The code was copied instead.");
}

document.addEventListener("click", (ev) => {
  const button = ev.target.closest?.("button[data-action^=fill]");
  const li = button?.closest("li.account");
  if (!li) return;
  const action = button.dataset.action;
  if (action === "fill-cancel") {
    li.querySelector(".fill-confirm").hidden = true;
    li.querySelector("[data-action=fill]")?.focus();
    return;
  }
  const confirmedPage = action === "fill-anyway" ? li.querySelector(".fill-confirm").dataset.page : undefined;
  fill(li, confirmedPage).catch((e) => say(plain(e)));
});

// --- settings ---------------------------------------------------------------------------------

/** Wires the "Fill codes automatically" checkbox and the access button of the settings form. */
export function settingsForm(form) {
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
  // Saved at once; the form's "Save settings" button is for the other fields.
  box.addEventListener("change", () => {
    send(K.AUTOFILL_SETTINGS_SET, { autoFill: box.checked })
      .then((s) => {
        say(s.autoFill ? "Codes will be filled automatically." : "Automatic fill is off.");
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
