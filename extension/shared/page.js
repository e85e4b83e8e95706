// Helpers shared by the extension's full pages (backup & restore, import & export). Both pages
// are laid out the same way — sections with one role=alert paragraph each, a "locked" section
// with the unlock form, files handed to the browser's downloads — so the behaviour lives here
// once and the two pages cannot drift apart. Each page keeps its own wording.
import { Kinds, send } from "./messages.js";
import "./secret-fields.js"; // every page with a password field keeps it out of session files

/** @param {string} id @returns {HTMLElement} */
export const $ = (id) => document.getElementById(id);

/** Shows or hides an element through the hidden attribute, which also hides it from screen readers. */
export function show(el, on = true) {
  el.hidden = !on;
}

/**
 * Puts a message in the section's own alert (its direct child .alert). The alert is shown
 * only with a message, so an empty alert is never exposed to assistive technology.
 */
export function say(section, message) {
  const el = section.querySelector(":scope > .alert");
  el.textContent = message || "";
  show(el, Boolean(message));
}

/** Sets a role=status progress line; an empty message clears it. */
export function progress(id, message) {
  $(id).textContent = message;
}

/** "1 account", "2 accounts". */
export function plural(n, one, many = one + "s") {
  return `${n} ${n === 1 ? one : many}`;
}

/** YYYY-MM-DD in the person's local date, so a file's name matches the day they saved it. */
export function localDay(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A message from the core (lower-case, no full stop) as a sentence. */
export function sentence(message) {
  return message.charAt(0).toUpperCase() + message.slice(1) + (/[.!?]$/.test(message) ? "" : ".");
}

/**
 * The wording for error codes both pages can meet; a page's own explain() handles its codes
 * first and falls back to this. The code decides, never the message text.
 */
export function explainCommon(e) {
  switch (e && e.code) {
    case "locked":
      return "Codeward locked itself meanwhile. Unlock it and try again.";
    case "invalid":
      return e.message ? sentence(e.message) : "Something in the form is not valid.";
    case "too_large":
      return `${sentence(e.message)} Nothing was changed.`;
    default:
      return "Something went wrong: " + ((e && e.message) || "unknown error") + ". Nothing was changed.";
  }
}

/** Marks the nav link of the view on screen, for screen readers and the current-page style. */
export function markNav(view) {
  for (const a of document.querySelectorAll("nav a")) {
    if (a.dataset.view === view) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

/**
 * Wires the locked section's unlock form (#locked, #unlock-form, #unlock-password): unlocks
 * through the background, then lets the page reload its state.
 * @param {{refresh: () => Promise<void>, explain: (e: any) => string|null, emptyMessage?: string}} o
 *   emptyMessage: said instead of asking the background when the field is empty; without it
 *   the background's answer is shown.
 */
export function wireUnlock({ refresh, explain, emptyMessage }) {
  $("unlock-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const section = $("locked");
    const pw = $("unlock-password");
    say(section, "");
    if (!pw.value && emptyMessage) return say(section, emptyMessage);
    try {
      await send(Kinds.page.UNLOCK, { password: pw.value });
      pw.value = "";
      await refresh();
    } catch (e) {
      say(section, e.code === "wrong_password" ? "Wrong master password." : explain(e));
      pw.select();
    }
  });
}

/**
 * Resolves with the finished downloads item, or rejects with an Error whose .reason is the
 * browser's interrupt reason (USER_CANCELED when the person closed the save dialog).
 */
function waitForDownload(id) {
  return new Promise((resolve, reject) => {
    const settle = (item) => {
      if (!item || !item.state || item.state === "in_progress") return;
      chrome.downloads.onChanged.removeListener(onChanged);
      if (item.state === "complete") resolve(item);
      else reject(Object.assign(new Error("download interrupted"), { reason: item.error || "FAILED" }));
    };
    const check = () => chrome.downloads.search({ id }).then(([item]) => settle(item), reject);
    const onChanged = (delta) => {
      if (delta.id === id && delta.state) check();
    };
    chrome.downloads.onChanged.addListener(onChanged);
    check(); // it may have finished before the listener was added
  });
}

/**
 * Hands text to the browser's downloads and resolves with the finished item. Rejects with an
 * Error whose .reason is USER_CANCELED, the browser's interrupt reason, or FAILED.
 * @param {string} text
 * @param {string} filename
 * @param {{type?: string, saveAs?: boolean}} [o]
 */
export async function download(text, filename, { type = "application/json", saveAs = false } = {}) {
  // Pages can make blob: URLs (a service worker cannot), and Firefox downloads blob: but
  // not data: URLs.
  const url = URL.createObjectURL(new Blob([text], { type }));
  try {
    let id;
    try {
      id = await chrome.downloads.download({ url, filename, saveAs, conflictAction: "uniquify" });
    } catch (e) {
      // Firefox rejects when the person cancels its save dialog.
      throw Object.assign(new Error("download refused", { cause: e }), {
        reason: /cancel/i.test(e && e.message) ? "USER_CANCELED" : "FAILED",
      });
    }
    return await waitForDownload(id);
  } finally {
    URL.revokeObjectURL(url);
  }
}
