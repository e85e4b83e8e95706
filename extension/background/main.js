// Background entry (service worker in Chrome, background script in Firefox). Listeners are
// registered synchronously while the module graph is evaluated, so a message or alarm that
// woke the worker is not missed; the WASM core loads on first use.
import { dispatch, tierOf } from "./router.js";
import "./vault.js";
import "./backup.js";
import "./autobackup.js";
import "./autofill.js";
import "./imports.js";
import "./recovery.js";

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const tier = tierOf(sender);
  if (!tier) return false; // not from this extension: no reply at all
  dispatch(tier, message, sender).then(sendResponse);
  return true; // the reply is asynchronous
});
