// The popup's first paint, and its account list. This module is the only script popup.html
// loads up front: it reads the sealed head of the View from storage.session (no message, so
// a sleeping worker costs nothing; the head is the first screen's rows and codes, a few KB
// whatever the vault's size), paints the current screen — and only that one — and then,
// after the first frame, reads the whole View (for scrolling and search) and loads popup.js
// with everything else (forms, menus, settings, messages).
//
// The list is windowed: rows have one fixed height and only those in (or near) the visible
// part of the list exist in the page, so opening, searching, scrolling and the per-second
// tick cost the same at 50 and at 5,000 accounts, and nothing needs a layout pass per row.
// Account data is only ever put into the page as text (textContent, attributes), never as
// markup.
import { SEAL_KEY, VIEW_KEY, VIEW_HEAD_KEY, open as openSealed } from "../shared/session-seal.js";

/** Height of an account row in px; popup.css sets the same (--row). */
export const ROW = 48;
const OVERSCAN = 6;
// Rows in the popup's first frame. Each row is style, layout, paint and raster before that
// frame can be shown; with 4 rows instead of the 10 a full popup shows, the first code was on
// screen 8–12 ms sooner here (2 cores, software raster). The others follow once it is shown.
const FIRST_FRAME_ROWS = 4;
const LOCK_REASON_KEY = "lockReason"; // written by background/vault.js on auto-lock

export const app = document.getElementById("app");
const announcer = document.getElementById("announce");

/**
 * Shared state of the popup. view: the View painted; screen: "first-run" | "locked" |
 * "unlocked"; hooks: filled in by popup.js (behaviour wired per screen, stale codes).
 */
export const ui = {
  view: null,
  screen: null,
  lockReason: null,
  /** @type {{screen?: (name: string) => void, painted?: (v: object) => void, stale?: () => void,
   *   copied?: (a: object) => void, fillPanel?: (node: Node, opener?: Element) => void, closePanel?: (focus?: boolean) => boolean}} */
  hooks: {},
  pendingSubmit: null,
  pendingClick: null,
  ready: false, // popup.js has wired everything
};

// --- small helpers ---------------------------------------------------------------------

/**
 * Makes an element. Keys of props that are properties of the element are set as such
 * (className, textContent, type, hidden, …); others become attributes. Children: nodes or text.
 */
export function h(tag, props = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === "dataset") Object.assign(n.dataset, v);
    else if (k in n && k !== "list" && k !== "form") n[k] = v;
    else if (v !== false) n.setAttribute(k, v === true ? "" : v);
  }
  n.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return n;
}

export function announce(text) {
  announcer.textContent = "";
  // A fresh text node after a clear makes screen readers speak repeated messages too.
  setTimeout(() => {
    announcer.textContent = text;
  }, 30);
}

/** "Issuer" or "Issuer name": how a row's controls name their account. */
export function label(a) {
  return [a.issuer, a.name].filter(Boolean).join(" ");
}

function groupCode(code) {
  if (!/^[0-9]+$/.test(code) || code.length < 6) return code;
  const half = Math.floor(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}

/** The code to show for account a at unix time t, or null when the View has none for it. */
export function codeAt(a, t = Date.now() / 1000) {
  const entry = ui.view?.codes?.[a.id];
  if (!entry || entry.error || typeof entry.codes !== "string") return null;
  const d = entry.codes.length && a.type === "hotp" ? entry.codes.length : a.digits;
  if (entry.step === undefined) return entry.codes.slice(0, d) || null;
  const i = Math.floor(t / a.period) - entry.step;
  const n = Math.floor(entry.codes.length / d);
  return i >= 0 && i < n ? entry.codes.slice(i * d, i * d + d) : null;
}

// Keys pressed before the first screen has its focus (a quick typist, a slow machine) are
// kept and handed over once it has: typed characters go into the field (the search, or the
// master password), then the keys the screen acts on follow, in order, as if pressed then
// (↓ from the search to the rows, Enter to copy the first match or to unlock). Escape is
// not kept: it closes the popup.
const EARLY_KEYS = new Set(["ArrowDown", "ArrowUp", "Home", "End", "Enter"]);
let early = "";
const earlyKeys = [];
function onEarlyKey(ev) {
  if (document.activeElement && document.activeElement !== document.body) return;
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.key.length === 1) early += ev.key;
  else if (EARLY_KEYS.has(ev.key)) earlyKeys.push({ key: ev.key, code: ev.code, shiftKey: ev.shiftKey });
  else return;
  ev.preventDefault();
}
document.addEventListener("keydown", onEarlyKey, true);

/**
 * Focuses field (the screen's first one) and hands it the keys pressed before (above). For
 * the popup's first screen, once that screen is on screen: focusing makes the browser lay
 * the page out there and then, and measured here it put the first code on screen 25–35 ms
 * later when it came before the first frame. (After "the first frame" was not enough: the
 * browser often shows a frame with only the background while the View is being read.)
 */
function focusFirst(field) {
  if (firstPaintOut) focusNow(field);
  else afterFirstPaint(() => field.isConnected && focusNow(field));
}

function focusNow(field) {
  document.removeEventListener("keydown", onEarlyKey, true);
  // A person who already put the focus somewhere (clicked into a field) keeps it there;
  // what was typed before that still goes into field.
  const elsewhere = document.activeElement && document.activeElement !== document.body;
  if (!elsewhere) field.focus();
  typeEarly(field);
  if (elsewhere) return void earlyKeys.splice(0);
  for (const k of earlyKeys.splice(0)) {
    // On whatever has focus by then (↓ moves it from the search to a row), with Enter's
    // default action, which a key event made here does not have: submitting the form.
    const target = document.activeElement ?? field;
    const ev = new KeyboardEvent("keydown", { ...k, bubbles: true, cancelable: true });
    if (target.dispatchEvent(ev) && k.key === "Enter" && target.form) target.form.requestSubmit();
  }
}

/** Puts the characters typed before field had focus into it. */
function typeEarly(field) {
  if (!early) return;
  const last = early.at(-1);
  field.value += early;
  early = "";
  field.dispatchEvent(new Event("input", { bubbles: true }));
  // The text of a key whose keydown was kept above may still arrive once the field has
  // focus: text without a keydown of its own is that echo, already in the field.
  let keyed = false;
  const down = (ev) => ev.isTrusted && (keyed = true); // not the kept keys handed over
  const echo = (ev) => {
    if (ev.inputType === "insertText" && !keyed && ev.data === last) ev.preventDefault();
    keyed = true; // one echo at most
  };
  field.addEventListener("keydown", down);
  field.addEventListener("beforeinput", echo);
  setTimeout(() => {
    field.removeEventListener("keydown", down);
    field.removeEventListener("beforeinput", echo);
  }, 500);
}

// A click on a control whose behaviour is in popup.js, before popup.js has loaded, is kept
// and replayed once it has (copying a code works from the start: it is in this module).
document.addEventListener(
  "click",
  (ev) => {
    if (ui.ready) return;
    const b = ev.target.closest?.("button");
    if (!b || b.dataset.action === "copy" || b.type === "submit") return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    ui.pendingClick = b;
  },
  true,
);

// --- screens ---------------------------------------------------------------------------

// Submitting before popup.js has wired a form (Enter pressed in the first milliseconds) must
// not reload the page: the submit waits for popup.js, which replays it.
function holdSubmit(form) {
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!form.dataset.wired) ui.pendingSubmit = form;
  });
  return form;
}

function firstRunScreen() {
  return h("section", { className: "screen", "aria-labelledby": "first-run-title" },
    h("h1", { id: "first-run-title", className: "brand" }, "Codeward"),
    h("p", {}, "Your two-factor codes are kept in a vault sealed with a master password. Choose one you will remember."),
    holdSubmit(h("form", { id: "create-form", className: "stack", noValidate: true },
      h("label", { htmlFor: "new-password" }, "New master password"),
      h("input", { id: "new-password", name: "password", type: "password", autocomplete: "off", "aria-describedby": "strength", required: true }),
      h("p", { id: "strength", className: "hint", "aria-live": "polite" }, "At least 12 characters; a few unrelated words are best."),
      h("label", { htmlFor: "confirm-password" }, "Confirm master password"),
      h("input", { id: "confirm-password", name: "confirm", type: "password", autocomplete: "off", required: true }),
      h("p", { className: "warning" },
        h("strong", {}, "A forgotten master password cannot be recovered"),
        " — not by you, not by us. Keep encrypted backups (Menu → Back up): they are your safety net."),
      h("div", { className: "errors" }),
      h("button", { type: "submit", className: "primary" }, "Create vault"),
      h("div", { className: "busy", hidden: true }, h("progress", { "aria-label": "Creating the vault" }), " ", h("span", {}, "Creating your vault…")),
    )),
    // Other features add their first-run offers here (restore from a backup, import).
    h("div", { id: "first-run-extra", className: "stack" }),
  );
}

/** Why the vault locked itself, in words; "" after a manual lock or a browser start. */
function lockReasonText(r) {
  if (!r) return "";
  if (r.why === "screen") return "Locked because the screen locked.";
  if (r.why === "idle") {
    const m = r.minutes;
    if (m >= 1) return `Locked after ${m} minute${m === 1 ? "" : "s"} without use.`;
    return "Locked after a while without use.";
  }
  return "";
}

function lockedScreen() {
  const why = lockReasonText(ui.lockReason);
  return h("section", { className: "screen", "aria-labelledby": "locked-title" },
    h("h1", { id: "locked-title", className: "brand" }, "Codeward is locked"),
    why ? h("p", { id: "lock-reason", className: "hint" }, why) : null,
    holdSubmit(h("form", { id: "unlock-form", className: "stack", noValidate: true },
      h("label", { htmlFor: "master-password" }, "Master password"),
      h("input", { id: "master-password", name: "password", type: "password", autocomplete: "off", required: true }),
      h("div", { className: "errors" }),
      h("button", { type: "submit", className: "primary" }, "Unlock"),
      h("div", { className: "busy", hidden: true }, h("progress", { "aria-label": "Unlocking" }), " ", h("span", {}, "Unlocking…")),
    )),
    // Other features add to the lock screen here (e.g. a way out of a forgotten password).
    h("div", { id: "locked-extra", className: "stack" }),
  );
}

function unlockedScreen() {
  return h("div", { className: "unlocked" },
    h("header", { className: "bar" },
      h("h1", { className: "brand" }, "Codeward"),
      h("button", { type: "button", id: "add-account" }, "Add account"),
      h("button", { type: "button", id: "menu-button", "aria-expanded": "false", "aria-controls": "menu" }, "Menu"),
      h("button", { type: "button", id: "lock" }, "Lock"),
    ),
    // popup.js puts the menu here when it is first opened (template t-menu).
    h("div", { id: "menu-slot" }),
    // Reminders from other features (e.g. backups) appear here.
    h("div", { id: "notices" }),
    h("div", { id: "panel" }),
    h("div", { className: "search" },
      h("input", { id: "search", type: "search", "aria-label": "Search", placeholder: "Search", autocomplete: "off", spellcheck: false,
        "aria-describedby": "search-hint", "aria-controls": "accounts" }),
      h("span", { id: "search-hint", className: "visually-hidden" }, "Type to filter by issuer, account name or site; Enter copies the first code."),
    ),
    h("div", { id: "scroller" },
      h("ul", { id: "accounts", "aria-label": "Accounts" }),
    ),
    h("p", { id: "empty", className: "hint", hidden: true }),
  );
}

/** Replaces the whole screen in one step: two screens are never on the page together. */
function show(name, content) {
  ui.screen = name;
  app.replaceChildren(content);
  app.dataset.screen = name;
  app.removeAttribute("aria-busy");
  if (name === "unlocked") list.attach();
  ui.hooks.screen?.(name);
}

/** True for the head of a View (messages.js ViewHead) that lacks some of its accounts. */
export function partial(v) {
  return !!(v && v.head && v.total > v.accounts.length);
}

let fullWaiters = [];

/**
 * The View painted once it is whole (not a partial head): what reordering, and anything
 * else that needs every account, works on. Resolves at once in the usual case.
 */
export function whenFull() {
  if (!partial(ui.view)) return Promise.resolve(ui.view);
  return new Promise((resolve) => fullWaiters.push(resolve));
}

/** Paints a View, or its head (or a {same: true} reply, which changes nothing). */
export function paint(v) {
  if (!v || v.same) return;
  // The head of a View already painted whole adds nothing (and would hide the other rows).
  if (partial(v) && ui.view && !partial(ui.view) && ui.view.rev === v.rev) return;
  ui.view = v;
  if (!partial(v)) {
    const waiters = fullWaiters;
    fullWaiters = [];
    queueMicrotask(() => waiters.forEach((w) => w(v)));
  }
  if (v.state === "none") {
    if (ui.screen !== "first-run") show("first-run", firstRunScreen()), focusFirst(document.getElementById("new-password"));
    return;
  }
  if (v.state === "locked") {
    if (ui.screen !== "locked") show("locked", lockedScreen()), focusFirst(document.getElementById("master-password"));
    return;
  }
  ui.lockReason = null;
  const fresh = ui.screen !== "unlocked";
  if (fresh) show("unlocked", unlockedScreen());
  list.update(v);
  ui.hooks.painted?.(v);
  if (fresh) focusFirst(document.getElementById("search"));
}

// --- the account list ------------------------------------------------------------------

function hue(s) {
  let x = 0;
  for (const c of s) x = (x * 31 + c.codePointAt(0)) >>> 0;
  return x % 360;
}

/** The issuer's monogram: its first letter or digit (no icons fetched: no requests at all). */
function monogram(a) {
  const m = /[\p{L}\p{N}]/u.exec(a.issuer || a.name || "?");
  return (m ? m[0] : "?").toLocaleUpperCase();
}

function buildRow(a) {
  const name = label(a) || "account";
  const hotp = a.type === "hotp";
  const li = h("li", { className: "account", tabIndex: -1, draggable: true, dataset: { id: a.id } },
    h("span", { className: "mark", "aria-hidden": "true", style: `--hue:${hue(a.issuer || a.name)}` }, monogram(a)),
    h("span", { className: "who" },
      h("span", { className: "issuer", title: a.issuer || a.name }, a.issuer || a.name),
      h("span", { className: "name", title: a.issuer ? a.name : "" }, a.issuer ? a.name : ""),
    ),
    h("button", { type: "button", className: "code", dataset: { action: "copy" }, "aria-label": `Copy code for ${name}` }, "······"),
    hotp
      ? h("button", { type: "button", className: "next", dataset: { action: "next" }, "aria-label": `Next code for ${name}`, title: "Next code" }, "Next")
      : h("span", { className: "countdown", role: "timer", "aria-label": "" }, h("span", { className: "ring", "aria-hidden": "true" }), h("span", { className: "secs", "aria-hidden": "true" })),
    h("button", { type: "button", className: "fill", dataset: { action: "fill" }, "aria-label": `Fill ${name}`, title: "Fill the code into the current page" }, "Fill"),
    h("button", { type: "button", className: "more", dataset: { action: "more" }, "aria-label": `More actions for ${name}`, "aria-haspopup": "menu", "aria-expanded": "false", title: "Edit, move or delete" }, "⋯"),
  );
  li.account = a;
  li.shown = "";
  return li;
}

/** Puts the current code and countdown of account a into row li (only what changed). */
function tickRow(li, a, t) {
  const entry = ui.view.codes[a.id];
  const code = codeAt(a, t);
  const button = li.children[2];
  const text = code ? groupCode(code) : entry && entry.error ? "—" : "······";
  if (li.shown !== text) {
    button.textContent = text;
    li.shown = text;
  }
  button.disabled = !code;
  if (entry && entry.error) button.title = "This account cannot make codes. " + (ui.hooks.plain?.(entry.error) ?? entry.error.message);
  if (a.type === "hotp") return !code && !(entry && entry.error);
  const left = Math.ceil(a.period - (t % a.period));
  const countdown = li.children[3];
  countdown.lastChild.textContent = `${left}s`;
  countdown.setAttribute("aria-label", `${left} seconds left`);
  countdown.firstChild.style.setProperty("--left", String(left / a.period));
  li.classList.toggle("expiring", left <= 5);
  // Stale: no code now, or the View runs out within two steps.
  if (!code) return !(entry && entry.error);
  const n = Math.floor(entry.codes.length / a.digits);
  return Math.floor(t / a.period) - entry.step >= n - 2;
}

/** The windowed account list of the unlocked screen. */
export const list = {
  ul: null,
  scroller: null,
  empty: null,
  search: null,
  accounts: [],
  hay: [],
  matches: [],
  rows: new Map(), // id → li, for the rows in the page
  query: "",
  codesPainted: false,
  laidOut: false, // the first frame has been laid out (clientHeight can be read without a forced layout)

  attach() {
    this.ul = document.getElementById("accounts");
    this.scroller = document.getElementById("scroller");
    this.empty = document.getElementById("empty");
    this.search = document.getElementById("search");
    this.rows = new Map();
    this.query = "";
    this.laidOut = false;
    // Once laid out, the rows that the first frame went without (the rest of the view and
    // the overscan). For the popup's first screen, once that frame is on screen: rendering
    // them in the very next frame made it compete with the first one's raster.
    const laidOut = () => {
      this.laidOut = true;
      if (this.ul?.isConnected) this.render();
    };
    if (firstPaintOut) requestAnimationFrame(() => requestAnimationFrame(laidOut));
    else afterFirstPaint(laidOut);
    this.search.addEventListener("input", () => this.filter());
    this.search.addEventListener("keydown", (ev) => this.onSearchKey(ev));
    let pending = false;
    this.scroller.addEventListener("scroll", () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        this.render();
      });
    });
    this.ul.addEventListener("click", (ev) => {
      const b = ev.target.closest("button[data-action=copy]");
      if (b) this.copy(b.closest("li").account);
    });
    this.ul.addEventListener("keydown", (ev) => this.onRowKey(ev));
  },

  // Arrow keys (and Home/End) move between rows, keeping the same kind of control focused;
  // from the first row, up goes back to the search. (With Alt they move the account: popup.js.)
  onRowKey(ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || !["ArrowUp", "ArrowDown", "Home", "End"].includes(ev.key)) return;
    const li = ev.target.closest("li.account");
    if (!li) return;
    ev.preventDefault();
    const action = ev.target.dataset.action ?? "copy";
    const go = () => {
      const i = this.matches.findIndex((x) => x.id === li.account.id);
      const to = { ArrowUp: i - 1, ArrowDown: i + 1, Home: 0, End: this.matches.length - 1 }[ev.key];
      return { i, to };
    };
    let { to } = go();
    // Past the head's rows (or to the end): once the whole View is in.
    if (partial(ui.view) && (ev.key === "End" || to >= this.matches.length)) {
      return whenFull().then(() => {
        if (!li.isConnected && !this.rows.has(li.account.id)) return;
        ({ to } = go());
        this.moveTo(to, action);
      });
    }
    if (to < 0) return this.search.focus();
    this.moveTo(to, action);
  },

  /** Focuses the control of kind action (or the code) in row to of the matches. */
  moveTo(to, action) {
    if (to < 0 || to >= this.matches.length) return;
    const next = this.reveal(this.matches[to].id);
    const target = next?.querySelector(`[data-action="${action}"]`);
    (target && !target.disabled ? target : next?.querySelector("[data-action=copy]:not(:disabled)") ?? next)?.focus();
  },

  /** How many rows the list has: all the View's accounts while a head without a search is in. */
  setSize() {
    return partial(ui.view) && !this.query ? ui.view.total : this.matches.length;
  },

  /** Takes a new View (or its head): same query, same scroll position, only visible rows touched. */
  update(v) {
    this.accounts = v.accounts;
    // Search matches issuer, account name and sites, case-insensitively.
    this.hay = v.accounts.map((a) => `${a.issuer}\n${a.name}\n${(a.sites ?? []).join("\n")}`.toLowerCase());
    const byId = new Map(v.accounts.map((a) => [a.id, a]));
    for (const [id, li] of this.rows) {
      const a = byId.get(id);
      if (!a) {
        li.remove();
        this.rows.delete(id);
      } else if (rowKey(li.account) !== rowKey(a)) {
        const fresh = buildRow(a);
        const hadFocus = li.contains(document.activeElement) ? document.activeElement.dataset.action ?? "" : null;
        li.replaceWith(fresh);
        this.rows.set(id, fresh);
        if (hadFocus !== null) (fresh.querySelector(`[data-action="${hadFocus}"]`) ?? fresh).focus();
      } else {
        li.account = a;
      }
    }
    this.filter(true);
  },

  filter(keepScroll = false) {
    const q = this.search.value.trim().toLowerCase();
    const changed = q !== this.query;
    this.query = q;
    this.matches = q ? this.accounts.filter((_, i) => this.hay[i].includes(q)) : this.accounts;
    this.ul.style.height = `${this.setSize() * ROW}px`;
    this.ul.setAttribute("aria-label", q ? `Accounts matching “${this.search.value.trim()}”` : "Accounts");
    // No match in a partial head says nothing yet: the whole View decides.
    const none = this.matches.length === 0 && !partial(ui.view);
    this.empty.hidden = !none;
    this.empty.textContent = this.accounts.length === 0 ? "No accounts yet. Use Add account to add your first one." : "No account matches your search.";
    if (changed && !keepScroll) this.scroller.scrollTop = 0;
    this.render();
  },

  /** Makes the page hold exactly the rows of the visible part of the list (plus a margin). */
  render() {
    // Until the first frame has been laid out, assume the top of the list and build only the
    // first few rows: reading clientHeight or scrollTop now would force a layout pass
    // (possibly before the style sheet is in), and every row more is layout, paint and
    // raster before the first code is on screen.
    const height = this.laidOut ? this.scroller.clientHeight || 600 : FIRST_FRAME_ROWS * ROW;
    const top = this.laidOut ? this.scroller.scrollTop : 0;
    const over = this.laidOut ? OVERSCAN : 0;
    const first = Math.max(0, Math.floor(top / ROW) - over);
    const last = Math.min(this.setSize(), Math.ceil((top + height) / ROW) + over);
    const wanted = [];
    // (While only the head is in, the list is as long as the whole View but only its first
    // rows can be built: the others come with the whole View, after the first frame.)
    for (let i = first; i < Math.min(last, this.matches.length); i++) {
      const a = this.matches[i];
      let li = this.rows.get(a.id);
      if (!li) {
        li = buildRow(a);
        this.rows.set(a.id, li);
      }
      li.index = i;
      li.style.transform = `translateY(${i * ROW}px)`;
      li.setAttribute("aria-posinset", String(i + 1));
      li.setAttribute("aria-setsize", String(this.setSize()));
      wanted.push(li);
    }
    const keep = new Set(wanted);
    for (const [id, li] of this.rows) {
      if (!keep.has(li)) {
        li.remove();
        this.rows.delete(id);
      }
    }
    // Insert new rows in list order without moving rows already there (a moved node loses
    // keyboard focus); rows are moved only when the order itself changed.
    let ref = this.ul.firstElementChild;
    for (const li of wanted) {
      if (li === ref) ref = ref.nextElementSibling;
      else this.ul.insertBefore(li, ref);
    }
    this.tick();
  },

  /** Updates codes and countdowns of the rows in the page; O(visible), once a second. */
  tick() {
    if (ui.screen !== "unlocked" || !this.ul) return;
    const t = Date.now() / 1000;
    let stale = false;
    for (const li of this.ul.children) if (tickRow(li, li.account, t)) stale = true;
    if (!this.codesPainted && this.ul.firstElementChild && codeAt(this.ul.firstElementChild.account, t)) {
      this.codesPainted = true;
      performance.mark("codeward:codes-painted");
      document.documentElement.dataset.codesPaintedMs = performance.now().toFixed(1);
    }
    if (stale || (ui.view.validUntil && ui.view.validUntil - t < 60)) ui.hooks.stale?.();
  },

  /** The row of account id, scrolled into view and rendered (null if it does not match). */
  reveal(id) {
    const i = this.matches.findIndex((a) => a.id === id);
    if (i < 0) return null;
    const s = this.scroller;
    const h = s.clientHeight;
    if (i * ROW < s.scrollTop) s.scrollTop = i * ROW;
    else if ((i + 1) * ROW > s.scrollTop + h) s.scrollTop = (i + 1) * ROW - h;
    // Laid out now, if not before (clientHeight above): a key pressed before the first
    // screen is on screen may reach past the first frame's few rows.
    this.laidOut = true;
    this.render();
    return this.rows.get(id) ?? null;
  },

  onSearchKey(ev) {
    if (ev.key === "Enter") {
      ev.preventDefault();
      this.filter();
      // The head holds the View's first rows in order: its first match is the View's.
      const a = this.matches[0];
      if (a) this.copy(a, true);
      else if (partial(ui.view)) whenFull().then(() => this.onSearchKey(ev));
      else announce("No account matches your search.");
    } else if (ev.key === "Escape" && this.search.value) {
      ev.preventDefault();
      ev.stopPropagation(); // a cleared search is all this Escape does
      this.search.value = "";
      this.filter();
      announce("Search cleared.");
    } else if (ev.key === "ArrowDown" && this.matches.length) {
      ev.preventDefault();
      this.reveal(this.matches[0].id)?.querySelector("[data-action=copy]")?.focus();
    }
  },

  async copy(a, named = false) {
    const code = codeAt(a);
    if (!code) return announce("No code to copy yet.");
    let ok = true;
    try {
      await navigator.clipboard.writeText(code);
    } catch {
      ok = legacyCopy(code);
    }
    const li = this.reveal(a.id);
    if (li) {
      li.querySelector(".flash")?.remove();
      const flash = h("span", { className: "flash" }, ok ? "Copied" : "Copy failed");
      li.append(flash);
      setTimeout(() => flash.remove(), 1500);
    }
    const who = label(a);
    announce(ok ? (named ? `Copied the code for ${who}.` : "Copied") : "Copy failed: select the code and copy it yourself.");
    if (ok) ui.hooks.copied?.(a);
  },
};

function rowKey(a) {
  return [a.issuer, a.name, a.type, a.digits, a.period].join("\n");
}

// The async Clipboard API needs document focus; a popup sometimes lacks it for a moment.
function legacyCopy(text) {
  const area = h("textarea", { value: text, readOnly: true, className: "visually-hidden" });
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  return ok;
}

function scheduleTicks() {
  // Align to whole seconds so the countdown changes with the clock.
  setTimeout(() => {
    list.tick();
    scheduleTicks();
  }, 1000 - (Date.now() % 1000) + 5);
}

// --- start-up ----------------------------------------------------------------------------

/** Opens a sealed View; null when it was sealed under another key (an earlier unlock). */
export async function openView(sealed, key) {
  if (!sealed || !key) return null;
  try {
    return await openSealed(sealed, key);
  } catch {
    return null;
  }
}

/**
 * After the first frame, when the head painted lacks accounts: reads and paints the whole
 * View (or asks the background for it when storage.session has none yet or at all: just
 * after an unlock, whose reply is the head, or over its quota).
 */
async function loadWhole() {
  if (!partial(ui.view)) return;
  const got = await chrome.storage.session.get([VIEW_KEY, SEAL_KEY]);
  let v = await openView(got[VIEW_KEY], got[SEAL_KEY]);
  if (!v && got[SEAL_KEY]) {
    const { send, Kinds } = await import("../shared/messages.js");
    v = await send(Kinds.page.VIEW).catch(() => null);
  }
  performance.mark("codeward:view-whole");
  // Something newer may have been painted meanwhile (a change, popup.js's own request).
  if (v && partial(ui.view)) paint(v);
}

/** fn, callable many times, run at the first call only. */
function once(fn) {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/** Runs fn once, after the next frame is out (or after 200 ms: a hidden page gets no frames). */
function afterFrame(fn) {
  const run = once(fn);
  requestAnimationFrame(() => setTimeout(run, 0));
  setTimeout(run, 200);
}

/**
 * True once the popup's first screen is on screen: its first contentful paint, the frame on
 * screen and not only produced (on a busy machine, two cores here, the main thread's next
 * work would otherwise compete with rastering it). A frame with only the page's background,
 * which the browser may show while the View is being read, does not count. Where the browser
 * does not report paints, the first frame; 300 ms at most (a hidden page paints nothing).
 */
let firstPaintOut = false;
const firstPaintWaiters = [];
const firstPaintDone = once(() => {
  firstPaintOut = true;
  for (const fn of firstPaintWaiters.splice(0)) fn();
});
if (PerformanceObserver.supportedEntryTypes?.includes("paint")) {
  const observer = new PerformanceObserver((entries) => {
    if (!entries.getEntriesByName("first-contentful-paint").length) return;
    observer.disconnect();
    setTimeout(firstPaintDone, 0);
  });
  observer.observe({ type: "paint", buffered: true });
  setTimeout(firstPaintDone, 300);
} else {
  afterFrame(firstPaintDone);
}

/** Runs fn once the popup's first screen is on screen (above). */
function afterFirstPaint(fn) {
  if (firstPaintOut) setTimeout(fn, 0);
  else firstPaintWaiters.push(fn);
}

/**
 * loadWhole, tried again for a while if the head is still all there is (a worker that
 * restarted meanwhile drops the request).
 */
async function loadWholeRetrying() {
  for (let wait = 500; ; wait *= 2) {
    await loadWhole().catch(() => {});
    if (!partial(ui.view) || wait > 8000) return;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** The whole View after the frame that paints a head (an unlock's reply). */
export function loadWholeSoon() {
  afterFrame(loadWholeRetrying);
}

async function start() {
  performance.mark("codeward:start");
  const got = await chrome.storage.session.get([VIEW_HEAD_KEY, SEAL_KEY, LOCK_REASON_KEY]);
  performance.mark("codeward:storage-read");
  ui.lockReason = got[LOCK_REASON_KEY] ?? null;
  let v = await openView(got[VIEW_HEAD_KEY], got[SEAL_KEY]);
  if (!v && got[SEAL_KEY]) {
    // No head (a View written before heads existed): the whole View, as before.
    v = await openView((await chrome.storage.session.get(VIEW_KEY))[VIEW_KEY], got[SEAL_KEY]);
  }
  performance.mark("codeward:view-read");
  if (v) {
    paint(v);
  } else if (!got[SEAL_KEY]) {
    // Locked or first run: storage.local says which without waking the worker. Either
    // stored copy means a vault exists (the current one may be missing or damaged).
    const keys = chrome.storage.local.getKeys
      ? await chrome.storage.local.getKeys()
      : Object.keys(await chrome.storage.local.get(["vault", "vault.prev"]));
    const exists = keys.includes("vault") || keys.includes("vault.prev");
    paint({ state: exists ? "locked" : "none", rev: "", accounts: [], codes: {}, settings: null });
  }
  scheduleTicks();
  // Everything else once the first screen is on screen. Unlocked but no View yet (just
  // after an unlock, over the quota): nothing was painted and no paint will come, and it is
  // popup.js that asks the background, which builds one — so popup.js at once.
  const later = () => {
    loadWholeRetrying();
    import("./popup.js");
  };
  if (ui.screen) afterFirstPaint(later);
  else later();
}

start();
