// The toolbar popup. It paints from the View the background caches, sealed, in storage.session (so
// codes appear before a sleeping worker has woken up), then asks the background for a fresh
// one. All vault work, Argon2id included, happens in the background: the popup never blocks.
// Account data is only ever put into the page with textContent, never as markup.
import { Kinds, send, VIEW_KEY } from "../shared/messages.js";
import { SEAL_KEY, open as openSealed } from "../shared/session-seal.js";
import * as backup from "../backup/popup-hooks.js";
import * as auto from "../auto/popup-hooks.js";
import * as autofill from "./autofill.js";
import * as recover from "../recover/popup-hooks.js";
import "../shared/secret-fields.js";
import "../import/popup-hooks.js";
import { closeIfPopup } from "../shared/popup-window.js";
import { plain, strengthHint, weakPassword } from "../shared/words.js";

const K = Kinds.page;
const app = document.getElementById("app");
const announcer = document.getElementById("announce");

/** @type {import("../shared/messages.js").View|null} */
let view = null;
let screen = null; // "first-run" | "locked" | "unlocked"
let refreshing = null;

// --- small helpers ------------------------------------------------------------------------

function clone(id) {
  return document.getElementById(id).content.cloneNode(true);
}

function announce(text) {
  announcer.textContent = "";
  // A fresh text node after a clear makes screen readers speak repeated messages too.
  setTimeout(() => {
    announcer.textContent = text;
  }, 30);
}

/** Shows message as an alert inside form (replacing an earlier one). */
function showError(form, message) {
  const box = form.querySelector(".errors");
  box.replaceChildren();
  if (!message) return;
  const p = document.createElement("p");
  p.className = "error";
  p.setAttribute("role", "alert");
  p.textContent = message;
  box.append(p);
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
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const pw = input.value;
      const judged = pw ? await send(K.BACKUP_JUDGE, { password: pw }).catch(() => null) : null;
      if (input.value === pw) hint.textContent = strengthHint(judged);
    }, 150);
  });
}

function groupCode(code) {
  if (!/^[0-9]+$/.test(code) || code.length < 6) return code;
  const half = Math.floor(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}

const unix = () => Date.now() / 1000;

// --- screens -------------------------------------------------------------------------------

function show(name, content) {
  screen = name;
  app.replaceChildren(content);
  app.dataset.screen = name;
  app.removeAttribute("aria-busy");
}

function renderFirstRun() {
  const node = clone("t-first-run");
  const form = node.querySelector("#create-form");
  const pw = node.querySelector("#new-password");
  const confirm = node.querySelector("#confirm-password");
  liveStrength(pw, node.querySelector("#strength"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!pw.value) return showError(form, weakPassword("empty")), pw.focus();
    if (pw.value !== confirm.value) return showError(form, "The two passwords differ."), confirm.focus();
    showError(form, "");
    try {
      const v = await busy(form, () => send(K.CREATE, { password: pw.value }));
      announce("Vault created.");
      paint(v);
    } catch (e) {
      showError(form, message(e));
      if (e.code === "weak_password") pw.focus();
    }
  });
  backup.firstRun(node.querySelector("#first-run-extra"));
  recover.firstRun(node.querySelector("#first-run-extra"));
  show("first-run", node);
  pw.focus();
}

function renderLocked() {
  const node = clone("t-locked");
  const form = node.querySelector("#unlock-form");
  const pw = node.querySelector("#master-password");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError(form, "");
    try {
      const v = await busy(form, () => send(K.UNLOCK, { password: pw.value }));
      paint(v);
    } catch (e) {
      showError(form, recover.unlockFailed(app, e) ?? message(e));
      pw.focus();
      pw.select();
    }
  });
  recover.lockScreen(node);
  show("locked", node);
  pw.focus();
}

/** Paints a View: the right screen, and for an unlocked vault the list and codes. */
function paint(v) {
  view = v;
  if (v.state === "none") return screen === "first-run" ? undefined : renderFirstRun();
  if (v.state === "locked") return screen === "locked" ? undefined : renderLocked();
  if (screen !== "unlocked") renderUnlocked();
  backup.notices(document.getElementById("notices"), v, paint);
  auto.notices(document.getElementById("notices"), v, paint);
  recover.notices(document.getElementById("notices"), v, paint);
  renderList();
  tick();
}

// --- the unlocked screen ------------------------------------------------------------------

let list, empty, search, panel;

function renderUnlocked() {
  const node = clone("t-unlocked");
  list = node.querySelector("#accounts");
  empty = node.querySelector("#empty");
  search = node.querySelector("#search");
  panel = node.querySelector("#panel");
  const menuButton = node.querySelector("#menu-button");
  const menu = node.querySelector("#menu");

  node.querySelector("#add-account").addEventListener("click", () => openAccountForm(null));
  node.querySelector("#lock").addEventListener("click", async () => {
    try {
      paint(await send(K.LOCK));
      announce("Locked.");
    } catch (e) {
      announce(message(e));
    }
  });
  menuButton.addEventListener("click", () => {
    const open = menu.hidden;
    menu.hidden = !open;
    menuButton.setAttribute("aria-expanded", String(open));
    if (open) menu.querySelector("button, a")?.focus();
  });
  menu.addEventListener("click", (ev) => {
    const item = ev.target.closest("[data-page]");
    if (!item) return;
    ev.preventDefault();
    chrome.tabs.create({ url: chrome.runtime.getURL(item.dataset.page) });
    closeIfPopup();
  });
  node.querySelector("#open-settings").addEventListener("click", () => {
    menu.hidden = true;
    menuButton.setAttribute("aria-expanded", "false");
    openSettings();
  });
  search.addEventListener("input", filter);
  list.addEventListener("click", onListClick);
  show("unlocked", node);
  lastSignature = "";
}

let lastSignature = "";

function renderList() {
  const accounts = view.accounts;
  const signature = JSON.stringify(accounts.map((a) => [a.id, a.issuer, a.name, a.type, a.digits, a.period, a.order]));
  if (signature === lastSignature) return;
  lastSignature = signature;
  // Keep keyboard focus on the same control of the same account across a rebuild.
  const focused = document.activeElement?.closest?.("li.account");
  const focusKey = focused ? [focused.dataset.id, document.activeElement.dataset.action] : null;

  const items = accounts.map((a, i) => {
    const li = clone("t-account").firstElementChild;
    li.dataset.id = a.id;
    li.querySelector(".issuer").textContent = a.issuer || a.name;
    li.querySelector(".name").textContent = a.issuer ? a.name : "";
    li.querySelector(".code").dataset.action = "copy";
    const hotp = a.type === "hotp";
    li.querySelector(".next").hidden = !hotp;
    li.querySelector(".countdown").hidden = hotp;
    li.querySelector("[data-action=up]").disabled = i === 0;
    li.querySelector("[data-action=down]").disabled = i === accounts.length - 1;
    return li;
  });
  list.replaceChildren(...items);
  filter();
  if (focusKey) {
    const item = list.querySelector(`li[data-id="${CSS.escape(focusKey[0])}"]`);
    // An account moved to the top or bottom has that move button disabled: take the other.
    const other = { up: "down", down: "up" }[focusKey[1]];
    const target = [focusKey[1], other]
      .map((action) => action && item?.querySelector(`[data-action="${action}"]`))
      .find((el) => el && !el.disabled);
    target?.focus();
  }
}

function filter() {
  const q = search.value.trim().toLowerCase();
  let shown = 0;
  for (const li of list.children) {
    const a = view.accounts.find((x) => x.id === li.dataset.id);
    const match = !q || `${a.issuer} ${a.name}`.toLowerCase().includes(q);
    li.hidden = !match;
    if (match) shown++;
  }
  empty.hidden = shown > 0;
  empty.textContent = view.accounts.length === 0 ? "No accounts yet. Use Add account to add your first one." : "No account matches your search.";
}

/** The code to show for account a at time t, or null when the cached window has run out. */
function codeAt(a, t) {
  const entry = view.codes[a.id];
  if (!entry || entry.error) return null;
  if (a.type === "hotp") return entry.codes[0];
  const step = Math.floor(t / a.period);
  const i = step - entry.step;
  return i >= 0 && i < entry.codes.length ? entry.codes[i] : null;
}

let codesPainted = false;

/** Updates codes and countdowns; asks for fresh codes when the cache is about to run out. */
function tick() {
  if (screen !== "unlocked" || !view) return;
  const t = unix();
  let stale = false;
  for (const li of list.children) {
    const a = view.accounts.find((x) => x.id === li.dataset.id);
    if (!a) continue;
    const entry = view.codes[a.id];
    const code = codeAt(a, t);
    const button = li.querySelector(".code");
    const text = code ? groupCode(code) : entry && entry.error ? "—" : "······";
    if (button.textContent !== text) button.textContent = text;
    button.disabled = !code;
    if (entry && entry.error) button.title = "This account cannot make codes. " + plain(entry.error);
    if (!code && !(entry && entry.error)) stale = true;
    if (a.type !== "hotp") {
      const left = Math.ceil(a.period - (t % a.period));
      const secs = li.querySelector(".secs");
      secs.textContent = `${left}s`;
      li.querySelector(".countdown").setAttribute("aria-label", `${left} seconds left`);
      li.querySelector(".ring").style.setProperty("--left", String(left / a.period));
      li.classList.toggle("expiring", left <= 5);
      if (entry && !entry.error && Math.floor(t / a.period) - entry.step >= entry.codes.length - 2) stale = true;
    }
  }
  if (!codesPainted && view.accounts.length) {
    codesPainted = true;
    performance.mark("codeward:codes-painted");
    document.documentElement.dataset.codesPaintedMs = performance.now().toFixed(1);
  }
  if (stale) refresh();
}

function refresh() {
  refreshing ??= send(K.VIEW)
    .then(paint, () => {})
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

async function onListClick(ev) {
  const button = ev.target.closest("button[data-action]");
  if (!button) return;
  const li = button.closest("li.account");
  const id = li.dataset.id;
  const a = view.accounts.find((x) => x.id === id);
  const ids = view.accounts.map((x) => x.id);
  const at = ids.indexOf(id);
  try {
    switch (button.dataset.action) {
      case "copy":
        return copy(li, a);
      case "next":
        paint(await send(K.HOTP_NEXT, { id }));
        return announce("New code ready.");
      case "edit":
        return openAccountForm(a);
      case "delete":
        li.querySelector(".actions").hidden = true;
        li.querySelector(".confirm").hidden = false;
        li.querySelector("[data-action=cancel-delete]").focus();
        return;
      case "cancel-delete":
        li.querySelector(".confirm").hidden = true;
        li.querySelector(".actions").hidden = false;
        li.querySelector("[data-action=delete]").focus();
        return;
      case "confirm-delete":
        paint(await send(K.DELETE, { id }));
        search.focus();
        return announce("Account deleted.");
      case "up":
      case "down": {
        const to = button.dataset.action === "up" ? at - 1 : at + 1;
        if (to < 0 || to >= ids.length) return;
        [ids[at], ids[to]] = [ids[to], ids[at]];
        paint(await send(K.REORDER, { ids }));
        return announce(button.dataset.action === "up" ? "Moved up." : "Moved down.");
      }
    }
  } catch (e) {
    announce(message(e));
  }
}

async function copy(li, a) {
  const code = codeAt(a, unix());
  if (!code) return;
  let ok = true;
  try {
    await navigator.clipboard.writeText(code);
  } catch {
    ok = legacyCopy(code);
  }
  const badge = li.querySelector(".copied");
  badge.textContent = ok ? "Copied" : "Copy failed";
  badge.hidden = false;
  announce(ok ? "Copied" : "Copy failed: select the code and copy it yourself.");
  clearTimeout(badge.timer);
  badge.timer = setTimeout(() => (badge.hidden = true), 1500);
}

// The async Clipboard API needs document focus; a popup sometimes lacks it for a moment.
function legacyCopy(text) {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "visually-hidden";
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  return ok;
}

// --- add / edit -------------------------------------------------------------------------------

function closePanel(focusId) {
  panel.replaceChildren();
  document.getElementById(focusId)?.focus();
}

/** Opens the account form; a is the account to edit, or null to add one. */
function openAccountForm(a) {
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
  const fill = (x) => {
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
    fill(a);
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
      fill(x);
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

  form.addEventListener("click", (ev) => {
    if (ev.target.closest("[data-action=cancel]")) closePanel(a ? null : "add-account");
  });
  form.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") closePanel("add-account");
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
    try {
      const v = await busy(form, () => (a ? send(K.UPDATE, { id: a.id, account }) : send(K.ADD, { account })));
      closePanel(a ? null : "add-account");
      paint(v);
      announce(a ? "Account saved." : "Account added.");
    } catch (e) {
      showError(form, message(e));
    }
  });
  autofill.accountForm(form, a);
  panel.replaceChildren(node);
  syncType();
  (a ? f.issuer : f.secret).focus();
}

// --- settings -------------------------------------------------------------------------------

function openSettings() {
  const node = clone("t-settings");
  const form = node.querySelector("#settings-form");
  const pwForm = node.querySelector("#password-form");
  const settings = view.settings ?? {};
  form.elements.autoLockMinutes.value = String(settings.autoLockMinutes ?? 15);
  form.elements.lockOnScreenLock.checked = !!settings.lockOnScreenLock;
  form.addEventListener("click", (ev) => {
    if (ev.target.closest("[data-action=cancel]")) closePanel("menu-button");
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const minutes = Number(form.elements.autoLockMinutes.value);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
      return showError(form, "Auto-lock takes a whole number of minutes from 1 to 1440.");
    }
    try {
      const s = await busy(form, () =>
        send(K.SETTINGS_SET, { settings: { autoLockMinutes: minutes, lockOnScreenLock: form.elements.lockOnScreenLock.checked } }),
      );
      view.settings = s;
      showError(form, "");
      announce("Settings saved.");
    } catch (e) {
      showError(form, message(e));
    }
  });
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
  autofill.settingsForm(form);
  panel.replaceChildren(node);
  form.elements.autoLockMinutes.focus();
}

// --- start-up ----------------------------------------------------------------------------------

// Keep in step with other windows: the background rewrites the cached View on every change
// and removes it when the vault locks (auto-lock included).
chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== "session" || !(VIEW_KEY in changes)) return;
  const next = changes[VIEW_KEY].newValue;
  if (next) {
    if (screen === "unlocked") {
      cachedView(next).then((v) => {
        if (v && screen === "unlocked") paint(v);
      });
    }
  } else if (screen === "unlocked") {
    refresh();
  }
});

/** Opens the sealed View cached in storage.session; null when locked or not openable. */
async function cachedView(sealed) {
  const got = await chrome.storage.session.get(sealed ? SEAL_KEY : [VIEW_KEY, SEAL_KEY]);
  const s = sealed ?? got[VIEW_KEY];
  if (!s || !got[SEAL_KEY]) return null;
  try {
    return await openSealed(s, got[SEAL_KEY]);
  } catch {
    return null; // sealed under the key of an earlier unlock: the background sends a fresh one
  }
}

function scheduleTicks() {
  // Align to whole seconds so the countdown changes with the clock.
  setTimeout(() => {
    tick();
    scheduleTicks();
  }, 1000 - (Date.now() % 1000) + 5);
}

async function start() {
  performance.mark("codeward:start");
  const cached = await cachedView();
  performance.mark("codeward:view-read");
  if (cached) {
    paint(cached);
  } else {
    // Locked or first run: storage.local says which without waking the worker.
    // Either stored copy means a vault exists (the current one may be missing or damaged).
    const stored = await chrome.storage.local.get(["vault", "vault.prev"]);
    const exists = stored.vault != null || stored["vault.prev"] != null;
    paint({ state: exists ? "locked" : "none", accounts: [], codes: {}, settings: null });
  }
  scheduleTicks();
  // The background has the last word (and this message counts as activity for auto-lock).
  try {
    paint(await send(K.STATE));
  } catch (e) {
    announce(message(e));
  }
}

start();
