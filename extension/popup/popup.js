// The popup's behaviour, loaded by paint.js after the first frame: the forms of the lock and
// first-run screens, the menu, the account form (with QR scans), settings, the per-row
// actions (copy, fill, edit, delete, reorder by keyboard and by drag and drop) and keeping
// in step with the background. All vault work, Argon2id included, happens in the
// background: the popup never blocks. Account data goes into the page only as text.
import { Kinds, send, VIEW_KEY } from "../shared/messages.js";
import { SEAL_KEY } from "../shared/session-seal.js";
import { closeIfPopup } from "../shared/popup-window.js";
import "../shared/secret-fields.js";
import { plain, strengthHint, weakPassword } from "../shared/words.js";
import { ui, list, paint, announce, h, label, openView, whenFull, partial, loadWholeSoon, ROW } from "./paint.js";

const K = Kinds.page;

// Templates of the panels first, then the modules that extend them (they look for the
// templates when they load).
// Parsed as its own document (static markup of this extension, no account data), then moved in:
// <template> elements at the top of a fragment land in the parsed document's head.
const panels = new DOMParser().parseFromString(await fetch("panels.html").then((r) => r.text()), "text/html");
document.body.append(...panels.head.childNodes, ...panels.body.childNodes);
const autofill = await import("./autofill.js");
const backup = await import("../backup/popup-hooks.js");
const auto = await import("../auto/popup-hooks.js");
const recover = await import("../recover/popup-hooks.js");
await import("../import/popup-hooks.js");

// --- small helpers ----------------------------------------------------------------------

function clone(id) {
  return document.getElementById(id).content.cloneNode(true);
}

/** Shows message as an alert inside form (replacing an earlier one). */
function showError(form, message) {
  const box = form.querySelector(".errors");
  box.replaceChildren();
  if (!message) return;
  box.append(h("p", { className: "error", role: "alert" }, message));
}

/** Disables form's controls and shows its progress line while work runs in the background. */
async function busy(form, work) {
  const controls = [...form.elements].filter((el) => !el.disabled);
  const indicator = form.querySelector(".busy");
  controls.forEach((el) => (el.disabled = true));
  form.setAttribute("aria-busy", "true");
  if (indicator) indicator.hidden = false;
  try {
    return await work();
  } finally {
    controls.forEach((el) => (el.disabled = false));
    form.removeAttribute("aria-busy");
    if (indicator) indicator.hidden = true;
  }
}

// Plain words by error code live in shared/words.js; the popup's own wording is only for the
// codes that mean something particular here.
const message = (e) => plain(e, { locked: "The vault is locked." });

/**
 * Keeps hint saying how strong the password in input is, with the background's judge (the
 * backup password's rules, which the background enforces for the master password too).
 */
function liveStrength(input, hint) {
  let timer = 0;
  const judge = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const pw = input.value;
      const judged = pw ? await send(K.BACKUP_JUDGE, { password: pw }).catch(() => null) : null;
      if (input.value === pw) hint.textContent = strengthHint(judged);
    }, 150);
  };
  input.addEventListener("input", judge);
  if (input.value) judge(); // typed before this module had loaded
}

// --- screens ----------------------------------------------------------------------------

function wireFirstRun() {
  const form = document.getElementById("create-form");
  const pw = document.getElementById("new-password");
  const confirm = document.getElementById("confirm-password");
  liveStrength(pw, document.getElementById("strength"));
  form.addEventListener("submit", async () => {
    if (!pw.value) return showError(form, weakPassword("empty")), pw.focus();
    if (pw.value !== confirm.value) return showError(form, "The two passwords differ."), confirm.focus();
    showError(form, "");
    try {
      const v = await busy(form, () => send(K.CREATE, { password: pw.value }));
      announce("Vault created.");
      paint(v);
      if (importAfter) {
        chrome.tabs.create({ url: chrome.runtime.getURL("extension/import/import.html#import") });
        closeIfPopup();
      }
    } catch (e) {
      showError(form, message(e));
      if (e.code === "weak_password") pw.focus();
    }
  });
  const extra = document.getElementById("first-run-extra");
  backup.firstRun(extra);
  recover.firstRun(extra);
  // Imported accounts go into a vault: the import page opens once the vault is created.
  let importAfter = false;
  const importHint = h("p", { className: "hint" }, "Codes in another authenticator app (Google Authenticator, Aegis, 2FAS, …)? Bring them along.");
  const importButton = h("button", { type: "button", "aria-describedby": "import-after" }, "Import from another app");
  const importNote = h("p", { id: "import-after", className: "hint", "aria-live": "polite" });
  importButton.addEventListener("click", () => {
    importAfter = true;
    importNote.textContent = "Choose your master password above: the import opens as soon as the vault is created.";
    pw.focus();
  });
  extra.append(importHint, importButton, importNote);
  return form;
}

function wireLocked() {
  const form = document.getElementById("unlock-form");
  const pw = document.getElementById("master-password");
  form.addEventListener("submit", async () => {
    showError(form, "");
    // As the other pages say it: an empty field is not a wrong password.
    if (!pw.value) {
      showError(form, "Enter your master password.");
      pw.focus();
      return;
    }
    try {
      const v = await busy(form, () => send(K.UNLOCK, { password: pw.value }));
      paint(v);
      loadWholeSoon(); // the reply is the View's head: the other rows after this frame
    } catch (e) {
      showError(form, recover.unlockFailed(document.getElementById("app"), e) ?? message(e));
      pw.focus();
      pw.select();
    }
  });
  recover.lockScreen(form.closest("section"));
  return form;
}

let menuButton = null;

function wireUnlocked() {
  menuButton = document.getElementById("menu-button");
  document.getElementById("add-account").addEventListener("click", () => openAccountForm(null));
  document.getElementById("lock").addEventListener("click", async () => {
    try {
      paint(await send(K.LOCK));
      announce("Locked.");
    } catch (e) {
      announce(message(e));
    }
  });
  menuButton.addEventListener("click", () => (document.getElementById("menu") ? closeMenu(false) : openMenu()));
  list.ul.addEventListener("click", onListClick);
  list.ul.addEventListener("keydown", onListKey);
  wireDrag();
  if (ui.view?.state === "unlocked") showNotices(ui.view);
}

/** The reminders and notices of other features (backups, automatic backups, recovery). */
function showNotices(v) {
  const notices = document.getElementById("notices");
  if (!notices || !v || v.state !== "unlocked") return;
  backup.notices(notices, v, paint);
  auto.notices(notices, v, paint);
  recover.notices(notices, v, paint);
}

/** Wires the behaviour of the screen paint.js has just put up. */
function wire(screen) {
  closeRowMenu(false);
  let form = null;
  if (screen === "first-run") form = wireFirstRun();
  else if (screen === "locked") form = wireLocked();
  else if (screen === "unlocked") wireUnlocked();
  if (form) form.dataset.wired = "1";
  // A submit pressed before this module loaded runs now.
  if (ui.pendingSubmit && ui.pendingSubmit === form) form.requestSubmit();
  ui.pendingSubmit = null;
}

// Extension pages named by data-page open in a tab (menu entries, first-run offers).
document.addEventListener("click", (ev) => {
  const item = ev.target.closest?.("[data-page]");
  if (!item) return;
  ev.preventDefault();
  chrome.tabs.create({ url: chrome.runtime.getURL(item.dataset.page) });
  closeIfPopup();
});

// --- menu ---------------------------------------------------------------------------------

function openMenu() {
  closeRowMenu(false);
  const node = clone("t-menu");
  document.getElementById("menu-slot").replaceChildren(node);
  const menu = document.getElementById("menu");
  menuButton.setAttribute("aria-expanded", "true");
  document.getElementById("open-settings").addEventListener("click", () => {
    closeMenu(false);
    openSettings();
  });
  menu.querySelector("button, a")?.focus();
}

function closeMenu(focus = true) {
  const menu = document.getElementById("menu");
  if (!menu) return false;
  menu.remove();
  menuButton?.setAttribute("aria-expanded", "false");
  if (focus) menuButton?.focus();
  return true;
}

// --- panels (forms and confirmations above the list) ----------------------------------------

let panelOpener = null;

/** Puts content into the panel (one at a time), remembering what to focus when it closes. */
function openPanel(content, opener) {
  const panel = document.getElementById("panel");
  panel.replaceChildren(content);
  panelOpener = opener ?? document.activeElement;
}

function closePanel(focus = true) {
  const panel = document.getElementById("panel");
  if (!panel || !panel.firstChild) return false;
  panel.replaceChildren();
  const opener = panelOpener;
  panelOpener = null;
  if (focus) (opener && opener.isConnected ? opener : document.getElementById("search"))?.focus();
  return true;
}

/** A confirmation in the panel: text, the confirming button's label; resolves true/false. */
function confirmPanel(text, yes, opener) {
  return new Promise((resolve) => {
    const node = clone("t-confirm");
    const box = node.firstElementChild;
    box.querySelector("p").textContent = text;
    box.querySelector("[data-action=yes]").textContent = yes;
    box.addEventListener("click", (ev) => {
      const b = ev.target.closest("button[data-action]");
      if (!b) return;
      closePanel(b.dataset.action === "cancel");
      resolve(b.dataset.action === "yes");
    });
    box.cancel = () => resolve(false);
    openPanel(node, opener);
    box.querySelector("[data-action=cancel]").focus();
  });
}

// Escape closes the innermost thing open: a row's menu, the menu, then a panel (settings,
// forms, confirmations); focus goes back to what opened it. (The search clears itself first.)
document.addEventListener("keydown", (ev) => {
  if (ev.key !== "Escape" || ev.defaultPrevented) return;
  if (closeRowMenu(true) || closeMenu(true)) return ev.preventDefault();
  const panel = document.getElementById("panel");
  if (panel?.firstChild) {
    panel.firstElementChild.cancel?.();
    closePanel(true);
    ev.preventDefault();
  }
});

// --- the list: clicks, keys, row menu, reorder ------------------------------------------------

function accountOf(el) {
  return el.closest("li.account")?.account ?? null;
}

async function onListClick(ev) {
  const button = ev.target.closest("button[data-action]");
  if (!button) return;
  const a = accountOf(button);
  if (!a) return;
  try {
    switch (button.dataset.action) {
      case "next":
        paint(await send(K.HOTP_NEXT, { id: a.id }));
        return announce("New code ready.");
      case "more":
        return openRowMenu(button, a);
    }
  } catch (e) {
    announce(message(e));
  }
}

let rowMenu = null;

function openRowMenu(button, a) {
  const again = rowMenu && rowMenu.button === button;
  closeRowMenu(false);
  if (again) return;
  closeMenu(false);
  const menu = clone("t-row-menu").firstElementChild;
  menu.setAttribute("aria-label", `Actions for ${label(a)}`);
  const ids = ui.view.accounts.map((x) => x.id);
  const at = ids.indexOf(a.id);
  // (ui.view may still be the View's head: its first rows, and total, the count of all.)
  const count = ui.view.total ?? ids.length;
  for (const b of menu.querySelectorAll("[data-action=top], [data-action=up]")) b.disabled = at === 0;
  for (const b of menu.querySelectorAll("[data-action=down], [data-action=bottom]")) b.disabled = at === count - 1;
  // Placed under (or above) the button, inside the popup.
  const r = button.getBoundingClientRect();
  document.body.append(menu);
  const mh = menu.offsetHeight;
  const below = r.bottom + mh < window.innerHeight;
  menu.style.top = `${below ? r.bottom + 2 : Math.max(0, r.top - mh - 2)}px`;
  menu.style.right = `${Math.max(4, document.documentElement.clientWidth - r.right)}px`;
  button.setAttribute("aria-expanded", "true");
  rowMenu = { menu, button, id: a.id };
  menu.addEventListener("click", (ev) => {
    const item = ev.target.closest("button[data-action]");
    if (!item || item.disabled) return;
    rowAction(item.dataset.action, a, button);
  });
  menu.addEventListener("keydown", (ev) => {
    const items = [...menu.querySelectorAll("button:not(:disabled)")];
    const i = items.indexOf(document.activeElement);
    const go = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: items.length - 1 }[ev.key];
    if (go !== undefined) {
      ev.preventDefault();
      items[(go + items.length) % items.length]?.focus();
    } else if (ev.key === "Tab") {
      closeRowMenu(false);
    }
  });
  menu.querySelector("button:not(:disabled)")?.focus();
}

function closeRowMenu(focus) {
  if (!rowMenu) return false;
  const { menu, button } = rowMenu;
  rowMenu = null;
  menu.remove();
  button.setAttribute("aria-expanded", "false");
  if (focus && button.isConnected) button.focus();
  return true;
}

// A click outside a row menu closes it.
document.addEventListener("mousedown", (ev) => {
  if (rowMenu && !rowMenu.menu.contains(ev.target) && ev.target !== rowMenu.button) closeRowMenu(false);
});

async function rowAction(action, a, button) {
  closeRowMenu(false);
  try {
    switch (action) {
      case "edit":
        return openAccountForm(a, button);
      case "delete":
        if (!(await confirmPanel(`Delete ${label(a)}? Its codes will be gone unless you have a backup.`, "Yes, delete", button))) return;
        paint(await send(K.DELETE, { id: a.id }));
        document.getElementById("search").focus();
        return announce("Account deleted.");
      case "top":
      case "up":
      case "down":
      case "bottom":
        return move(a.id, action);
    }
  } catch (e) {
    announce(message(e));
  }
}

/** Moves account id (in the whole list, whatever the search shows): up, down, top, bottom. */
async function move(id, where, focusAction = "more") {
  const ids = (await whenFull()).accounts.map((x) => x.id);
  const at = ids.indexOf(id);
  const to = { up: at - 1, down: at + 1, top: 0, bottom: ids.length - 1 }[where];
  if (at < 0 || to < 0 || to >= ids.length || to === at) return;
  ids.splice(at, 1);
  ids.splice(to, 0, id);
  await reorder(ids, id, focusAction);
  announce({ up: "Moved up.", down: "Moved down.", top: "Moved to the top.", bottom: "Moved to the bottom." }[where]);
}

async function reorder(ids, id, focusAction) {
  paint(await send(K.REORDER, { ids }));
  const li = list.reveal(id);
  (li?.querySelector(`[data-action="${focusAction}"]`) ?? li)?.focus();
}

// Alt+arrows move the focused account, Alt+Home/End to the top/bottom (plain arrows move
// between rows: paint.js).
function onListKey(ev) {
  if (!ev.altKey || !["ArrowUp", "ArrowDown", "Home", "End"].includes(ev.key)) return;
  const li = ev.target.closest("li.account");
  if (!li) return;
  ev.preventDefault();
  const action = ev.target.dataset.action ?? "copy";
  const where = { ArrowUp: "up", ArrowDown: "down", Home: "top", End: "bottom" }[ev.key];
  move(li.account.id, where, action).catch((e) => announce(message(e)));
}

function wireDrag() {
  const ul = list.ul;
  let dragged = null;
  const clear = () => ul.querySelectorAll(".drop-before, .drop-after").forEach((el) => el.classList.remove("drop-before", "drop-after"));
  const targetOf = (ev) => {
    const top = ul.getBoundingClientRect().top;
    const pos = (ev.clientY - top) / ROW;
    const i = Math.max(0, Math.min(list.matches.length - 1, Math.floor(pos)));
    return { a: list.matches[i], after: pos - i > 0.5 };
  };
  ul.addEventListener("dragstart", (ev) => {
    const li = ev.target.closest?.("li.account");
    if (!li) return;
    dragged = li.account.id;
    ev.dataTransfer.effectAllowed = "move";
    ev.dataTransfer.setData("text/plain", label(li.account));
    li.classList.add("dragging");
  });
  ul.addEventListener("dragover", (ev) => {
    if (!dragged) return;
    ev.preventDefault();
    ev.dataTransfer.dropEffect = "move";
    const { a, after } = targetOf(ev);
    clear();
    list.rows.get(a?.id)?.classList.add(after ? "drop-after" : "drop-before");
  });
  ul.addEventListener("dragend", () => {
    clear();
    ul.querySelector(".dragging")?.classList.remove("dragging");
    dragged = null;
  });
  ul.addEventListener("drop", (ev) => {
    if (!dragged) return;
    ev.preventDefault();
    const { a, after } = targetOf(ev);
    const id = dragged;
    clear();
    dragged = null;
    if (!a || a.id === id) return;
    whenFull()
      .then((v) => {
        const ids = v.accounts.map((x) => x.id).filter((x) => x !== id);
        ids.splice(ids.indexOf(a.id) + (after ? 1 : 0), 0, id);
        return reorder(ids, id, "more");
      })
      .then(() => announce(`Moved ${label(ui.view.accounts.find((x) => x.id === id) ?? {})}.`))
      .catch((e) => announce(message(e)));
  });
}

/** Scrolls the new account(s) into view and highlights them for a moment. */
function highlight(ids) {
  const id = ids[ids.length - 1];
  if (!id) return;
  if (list.search.value && !list.matches.some((a) => a.id === id)) {
    list.search.value = "";
    list.filter();
  }
  const li = list.reveal(id);
  if (!li) return;
  li.classList.add("new");
  setTimeout(() => li.classList.remove("new"), 2500);
  li.querySelector("[data-action=copy]")?.focus();
}

function added(before, v) {
  const had = new Set(before.map((a) => a.id));
  return v.accounts.filter((a) => !had.has(a.id)).map((a) => a.id);
}

// --- add / edit -------------------------------------------------------------------------------

const SCAN_WORDS = {
  no_qr: "No QR code is visible on this page. Scroll so the whole code shows, then scan again.",
  no_access: "Codeward cannot capture this page (browser pages and the web store are off limits).",
  not_visible: "Switch to the page with the QR code, then scan again.",
  no_accounts: "The QR codes found are not authenticator setup codes.",
  not_image: "This file is not an image Codeward can read (PNG, JPEG, GIF, WebP or BMP).",
  locked: "The vault is locked.",
};

/** Opens the account form; a is the account to edit, or null to add one. */
function openAccountForm(a, opener) {
  const node = clone("t-account-form");
  const form = node.querySelector("form");
  const f = form.elements;
  const title = node.querySelector("#account-form-title");
  let parsing = null;

  const syncType = () => {
    const type = f.type.value;
    form.querySelectorAll("[data-for=period]").forEach((el) => (el.hidden = type === "hotp"));
    form.querySelectorAll("[data-for=counter]").forEach((el) => (el.hidden = type !== "hotp"));
    const steam = type === "steam";
    if (steam) {
      f.digits.value = "5";
      f.period.value = "30";
      f.algorithm.value = "SHA1";
    }
    f.digits.disabled = f.algorithm.disabled = steam;
  };
  const fillFields = (x) => {
    f.type.value = x.type;
    f.issuer.value = x.issuer ?? "";
    f.name.value = x.name ?? "";
    f.algorithm.value = x.algorithm;
    f.digits.value = String(x.digits);
    if (x.period) f.period.value = String(x.period);
    f.counter.value = String(x.counter ?? 0);
    syncType();
  };

  if (a) {
    title.textContent = "Edit account";
    f.secret.placeholder = "Leave empty to keep the current key";
    form.querySelectorAll("[data-add-only]").forEach((el) => el.remove());
    fillFields(a);
  }
  f.type.addEventListener("change", syncType);

  // A pasted otpauth:// link fills every field from what the core reads in it.
  const parseLink = async () => {
    const value = f.secret.value.trim();
    if (!/^otpauth:\/\//i.test(value)) return;
    parsing = send(K.PARSE_URI, { uri: value });
    try {
      const x = await parsing;
      if (f.secret.value.trim() !== value) return; // typed over meanwhile
      fillFields(x);
      f.secret.value = x.secret;
      showError(form, "");
      announce("Filled in from the link.");
    } catch (e) {
      showError(form, message(e));
    } finally {
      parsing = null;
    }
  };
  f.secret.addEventListener("input", parseLink);

  // Scans: the tab behind the popup, or an image file. One setup code → saved at once;
  // several → a short chooser here.
  const chooser = form.querySelector(".chooser");
  const scanned = async (work, button) => {
    showError(form, "");
    chooser.hidden = true;
    const before = (await whenFull()).accounts;
    let preview;
    try {
      preview = await busyButton(button, "Scanning…", work);
    } catch (e) {
      return showError(form, SCAN_WORDS[e.code] ?? `The scan failed: ${message(e)}`);
    }
    if (preview.count === 1) return applyScan(preview, null, before);
    choose(preview, before);
  };
  const applyScan = async (preview, indices, before) => {
    try {
      const r = await send(K.IMPORT_APPLY, { token: preview.token, indices, suggestSites: true });
      const v = await send(K.VIEW);
      closePanel(false);
      paint(v);
      const fresh = added(before, v);
      highlight(fresh);
      if (r.added === 0) announce(r.skipped ? "That account is already in Codeward." : "Nothing was added.");
      else announce(r.added === 1 ? `Added ${label(v.accounts.find((x) => x.id === fresh[0]) ?? {})}.` : `Added ${r.added} accounts.`);
    } catch (e) {
      showError(form, message(e));
    }
  };
  const choose = (preview, before) => {
    const boxes = preview.accounts.map((x, i) =>
      h("label", { className: "check" }, h("input", { type: "checkbox", checked: true, value: String(i) }), ` ${[x.issuer, x.name].filter(Boolean).join(" — ") || "Unnamed"}`),
    );
    const add = h("button", { type: "button", className: "primary" }, "Add selected");
    add.addEventListener("click", () => {
      const indices = boxes.map((l) => l.firstChild).filter((b) => b.checked).map((b) => Number(b.value));
      if (!indices.length) return showError(form, "Choose at least one account.");
      applyScan(preview, indices, before);
    });
    chooser.replaceChildren(
      h("p", {}, `${preview.count} accounts found. Which ones should be added?`),
      h("div", { className: "stack", role: "group", "aria-label": "Accounts found" }, ...boxes),
      add,
    );
    chooser.hidden = false;
    boxes[0]?.firstChild.focus();
  };
  form.querySelector("[data-action=scan-tab]")?.addEventListener("click", (ev) =>
    scanned(async () => {
      const tab = await autofill.targetTab();
      if (!tab) throw Object.assign(new Error("no tab"), { code: "not_visible" });
      return send(K.IMPORT_SCAN_TAB, { tabId: tab.id });
    }, ev.currentTarget),
  );
  const file = form.querySelector("[data-role=qr-file]");
  form.querySelector("[data-action=scan-image]")?.addEventListener("click", () => file.click());
  file?.addEventListener("change", () => {
    const picked = file.files[0];
    file.value = "";
    if (!picked) return;
    scanned(async () => send(K.IMPORT_SCAN_IMAGE, { image: await base64(picked) }), form.querySelector("[data-action=scan-image]"));
  });

  form.addEventListener("click", (ev) => {
    if (ev.target.closest("[data-action=cancel]")) closePanel(true);
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (/^otpauth:\/\//i.test(f.secret.value.trim())) await (parsing ?? parseLink());
    if (/^otpauth:\/\//i.test(f.secret.value.trim())) return; // the link did not parse
    const type = f.type.value;
    const account = {
      type,
      issuer: f.issuer.value.trim(),
      name: f.name.value.trim(),
      secret: f.secret.value.trim(),
      algorithm: f.algorithm.value,
      digits: Number(f.digits.value),
    };
    if (type === "hotp") account.counter = Number(f.counter.value);
    else account.period = Number(f.period.value);
    account.sites = autofill.formSites(form);
    if (!a && !account.secret) return showError(form, "Enter the secret key."), f.secret.focus();
    if (!account.name && !account.issuer) return showError(form, "Enter an issuer or an account name."), f.name.focus();
    const before = (await whenFull()).accounts;
    try {
      const v = await busy(form, () => (a ? send(K.UPDATE, { id: a.id, account }) : send(K.ADD, { account })));
      closePanel(!!a);
      paint(v);
      if (!a) highlight(added(before, v));
      announce(a ? "Account saved." : "Account added.");
    } catch (e) {
      showError(form, message(e));
    }
  });
  autofill.accountForm(form, a);
  openPanel(node, opener ?? document.getElementById("add-account"));
  syncType();
  (a ? f.issuer : f.secret).focus();
}

async function busyButton(button, text, work) {
  const was = button.textContent;
  button.disabled = true;
  button.textContent = text;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = was;
  }
}

async function base64(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

// --- settings -------------------------------------------------------------------------------

/** Shows "Saved" beside the control named field for a moment (and says it). */
function saved(form, field, text = "Saved") {
  const mark = form.querySelector(`[data-saved="${field}"]`);
  if (mark) {
    mark.textContent = text;
    clearTimeout(mark.timer);
    mark.timer = setTimeout(() => (mark.textContent = ""), 2500);
  }
  announce(text === "Saved" ? "Saved." : text);
}

function openSettings() {
  const node = clone("t-settings");
  const form = node.querySelector("#settings-form");
  const pwForm = node.querySelector("#password-form");
  const settings = ui.view.settings ?? {};
  const select = form.elements.autoLockMinutes;
  const minutes = settings.autoLockMinutes ?? 15;
  if (![...select.options].some((o) => Number(o.value) === minutes)) {
    // A value set elsewhere (an older version, a test): keep it selectable.
    select.prepend(h("option", { value: String(minutes) }, `After ${minutes} minutes without use`));
  }
  select.value = String([...select.options].find((o) => Number(o.value) === minutes).value);
  form.elements.lockOnScreenLock.checked = !!settings.lockOnScreenLock;
  form.addEventListener("submit", (ev) => ev.preventDefault());
  form.addEventListener("click", (ev) => {
    if (ev.target.closest("[data-action=cancel]")) closePanel(true);
  });
  // Each control applies at once.
  const apply = async (field, value) => {
    try {
      const s = await send(K.SETTINGS_SET, { settings: { [field]: value } });
      ui.view.settings = { ...ui.view.settings, ...s };
      showError(form, "");
      saved(form, field);
    } catch (e) {
      showError(form, message(e));
    }
  };
  select.addEventListener("change", () => apply("autoLockMinutes", Number(select.value)));
  form.elements.lockOnScreenLock.addEventListener("change", () => apply("lockOnScreenLock", form.elements.lockOnScreenLock.checked));
  const next = pwForm.elements.next;
  liveStrength(next, pwForm.querySelector("#p-strength"));
  pwForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const { current, confirm } = pwForm.elements;
    if (!next.value) return showError(pwForm, weakPassword("empty")), next.focus();
    if (next.value !== confirm.value) return showError(pwForm, "The two new passwords differ.");
    try {
      await busy(pwForm, () => send(K.CHANGE_PASSWORD, { current: current.value, next: next.value }));
      pwForm.reset();
      showError(pwForm, "");
      announce("Master password changed.");
    } catch (e) {
      showError(pwForm, message(e));
    }
  });
  autofill.settingsForm(form, (text) => saved(form, "autoFill", text));
  openPanel(node, menuButton);
  select.focus();
}

// --- keeping in step with the background ------------------------------------------------------

let refreshing = null;

function refresh() {
  // A head (after an unlock) has the whole View's rev: asking with it would get {same: true}.
  refreshing ??= send(K.VIEW, { have: partial(ui.view) ? undefined : ui.view?.rev })
    .then(paint, () => {})
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

ui.hooks.stale = refresh;
ui.hooks.plain = plain;
ui.hooks.painted = showNotices;
ui.hooks.screen = wire;
ui.hooks.fillPanel = openPanel;
ui.hooks.closePanel = closePanel;

// The background rewrites the sealed View on every change, whoever made it (an import in a
// tab, a restore, a fill), and removes it when the vault locks.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== "session" || !(VIEW_KEY in changes)) return;
  const next = changes[VIEW_KEY].newValue;
  if (!next) {
    if (ui.screen === "unlocked") refresh();
    return;
  }
  chrome.storage.session.get(SEAL_KEY).then(async (got) => {
    const v = await openView(next, got[SEAL_KEY]);
    if (v && (v.rev !== ui.view?.rev || partial(ui.view)) && ui.screen === "unlocked") paint(v);
  });
});

wire(ui.screen);
ui.ready = true;
// Everything is wired (tests wait for this before using keys that need this module).
document.documentElement.dataset.ready = "1";
// A click that came before this module had loaded runs now.
if (ui.pendingClick?.isConnected) ui.pendingClick.click();
ui.pendingClick = null;

// The background has the last word (and this message counts as activity for auto-lock).
try {
  const v = await send(K.STATE, { have: ui.view?.rev });
  paint(v);
} catch (e) {
  announce(message(e));
}
