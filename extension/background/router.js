// Routes messages to handlers by trust tier. Feature modules (vault.js, backup.js,
// autofill.js, ...) call registerHandlers at load time; main.js owns the listener.
import { Kinds, Errors, CodedError } from "../shared/messages.js";

const tables = { page: new Map(), content: new Map() };
const pageListeners = [];

/**
 * Registers handlers for kinds of one tier. A kind must be declared under that tier in
 * messages.js, and only one module may handle it.
 * @param {"page"|"content"} tier
 * @param {Object<string, (payload: object, sender: chrome.runtime.MessageSender) => Promise<any>>} handlers
 */
export function registerHandlers(tier, handlers) {
  const table = tables[tier];
  if (!table) throw new Error(`unknown tier ${tier}`);
  const declared = new Set(Object.values(Kinds[tier]));
  for (const [kind, fn] of Object.entries(handlers)) {
    if (!declared.has(kind)) throw new Error(`${kind} is not a ${tier} kind in messages.js`);
    if (table.has(kind)) throw new Error(`second handler for ${kind}`);
    if (typeof fn !== "function") throw new Error(`handler for ${kind} is not a function`);
    table.set(kind, fn);
  }
}

/** Calls fn(kind) for every accepted page-tier message (the auto-lock timer uses it). */
export function onPageMessage(fn) {
  pageListeners.push(fn);
}

const extensionBase = chrome.runtime.getURL("");
const extensionOrigin = new URL(extensionBase).origin;

/**
 * Decides which tier a sender belongs to, or null to ignore the message. Extension pages are
 * recognised by their URL's origin, even when opened in a tab; anything else from a tab is a
 * content script and gets the content tier only.
 */
export function tierOf(sender) {
  if (!sender || sender.id !== chrome.runtime.id) return null;
  let origin = null;
  try {
    origin = new URL(sender.url).origin;
  } catch {
    return null;
  }
  // Both checks: a browser that reported an opaque ("null") origin for extension URLs must
  // not make about:blank or data: frames look like extension pages.
  if (origin === extensionOrigin && origin !== "null" && sender.url.startsWith(extensionBase)) return "page";
  if (sender.tab && Number.isInteger(sender.tab.id) && sender.tab.id >= 0) return "content";
  return null;
}

/** Runs the handler for message in tier and returns the reply object. Never throws. */
export async function dispatch(tier, message, sender) {
  try {
    if (!message || typeof message !== "object" || typeof message.kind !== "string") {
      throw new CodedError(Errors.INVALID, "malformed message");
    }
    const payload = message.payload ?? {};
    if (typeof payload !== "object" || Array.isArray(payload)) {
      throw new CodedError(Errors.INVALID, "payload must be an object");
    }
    const handler = tables[tier].get(message.kind);
    if (!handler) throw new CodedError(Errors.UNKNOWN_KIND, `unknown message kind for ${tier}: ${message.kind}`);
    if (tier === "page") for (const fn of pageListeners) fn(message.kind);
    const value = await handler(payload, sender);
    return { ok: true, value: value ?? null };
  } catch (e) {
    // A core function called with the wrong kind of argument is a bug of the caller, and its
    // words ("argument 1 must be base64") mean nothing to a person.
    if (e instanceof CodedError && e.code !== "bad_argument") {
      const error = { code: e.code, message: e.message };
      if (e.reason) error.reason = e.reason;
      return { ok: false, error };
    }
    if (e instanceof CodedError) console.error("codeward: handler passed a bad argument:", e.message);
    console.error("codeward: handler failed:", e && e.name, e && e.message);
    return { ok: false, error: { code: Errors.INTERNAL, message: "internal error" } };
  }
}
