// Helpers shared by the extension's full pages (backup & restore, import & export). Both pages
// are laid out the same way — sections with one role=alert paragraph each, a "locked" section
// with the unlock form, files handed to the browser's downloads — so the behaviour lives here
// once and the two pages cannot drift apart. Each page keeps its own wording.
import { Kinds, send } from "./messages.js";
import { plain } from "./words.js";

export { sentence } from "./words.js";
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

/** Sets a role=status progress line; an empty message clears it. A page without it says nothing. */
export function progress(id, message) {
  const el = $(id);
  if (el) el.textContent = message;
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

/**
 * The wording for error codes both pages can meet (shared/words.js); a page's own explain()
 * handles its codes first and falls back to this. The code decides, never the message text.
 */
export function explainCommon(e) {
  return plain(e);
}

/**
 * Shows message as an alert right after the field it is about (or after its own
 * [data-error-after] anchor), marks the field invalid, and moves focus there. The alert is
 * named in the field's aria-describedby, so the field reads with its problem.
 * @param {HTMLElement} field
 * @param {string} message
 */
export function fieldError(field, message) {
  const id = `${field.id}-error`;
  let el = document.getElementById(id);
  if (!el) {
    el = document.createElement("p");
    el.id = id;
    el.className = "alert field-error";
    el.setAttribute("role", "alert");
    const anchor = field.closest("[data-error-after]") ?? field;
    anchor.after(el);
  }
  el.textContent = message;
  show(el, true);
  field.setAttribute("aria-invalid", "true");
  const described = (field.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
  if (!described.includes(id)) field.setAttribute("aria-describedby", [...described, id].join(" "));
  field.scrollIntoView({ block: "center", behavior: "instant" });
  field.focus();
  if (field.tagName === "INPUT" && /^(text|password|search)$/.test(field.type)) field.select();
}

/** Removes every field error inside root (a form or section) and the marks they left. */
export function clearFieldErrors(root) {
  for (const el of root.querySelectorAll(".field-error")) {
    const field = document.querySelector(`[aria-describedby~="${el.id}"]`);
    if (field) {
      field.removeAttribute("aria-invalid");
      const rest = field.getAttribute("aria-describedby").split(/\s+/).filter((x) => x && x !== el.id);
      if (rest.length) field.setAttribute("aria-describedby", rest.join(" "));
      else field.removeAttribute("aria-describedby");
    }
    el.remove();
  }
}

/**
 * Brings a result into view after a file was chosen or read: scrolls it there and moves
 * keyboard focus to its heading (made focusable for this), so the next Tab continues in it.
 */
export function reveal(section) {
  const heading = section.querySelector("h2, h3") ?? section;
  if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
  section.scrollIntoView({ block: "start", behavior: "instant" });
  heading.focus({ preventScroll: true });
}

/** Escape in container (a confirmation) runs cancel, as its Cancel button would. */
export function escapeCloses(container, cancel) {
  container.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && !container.hidden) {
      ev.preventDefault();
      cancel();
    }
  });
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
    clearFieldErrors(section);
    if (!pw.value && emptyMessage) return fieldError(pw, emptyMessage);
    const button = ev.submitter ?? $("unlock-form").querySelector("button");
    button.disabled = true;
    progress("unlock-progress", "Unlocking…");
    try {
      await send(Kinds.page.UNLOCK, { password: pw.value });
      pw.value = "";
      await refresh();
    } catch (e) {
      if (e.code === "wrong_password") fieldError(pw, "Wrong master password.");
      else say(section, explain(e));
    } finally {
      button.disabled = false;
      progress("unlock-progress", "");
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
