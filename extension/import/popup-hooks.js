// What import & export add to the popup's menu: "Import", "Export" (plain data-page items
// that popup.js opens) and "Scan QR code on this page". The scan runs from the popup because
// opening the toolbar popup is what grants activeTab, which lets Codeward capture the tab the
// person is looking at; the preview then opens in the import page.
import { Kinds, send } from "../shared/messages.js";
import { closeIfPopup } from "../shared/popup-window.js";

const PAGE = "extension/import/import.html";

function extendMenu() {
  const items = document.getElementById("t-menu")?.content.querySelector("#menu-items");
  if (!items) return;
  const entry = (label, attrs) => {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    for (const [k, v] of Object.entries(attrs)) b.setAttribute(k, v);
    li.append(b);
    return li;
  };
  items.append(
    entry("Import", { "data-page": PAGE + "#import" }),
    entry("Export", { "data-page": PAGE + "#export" }),
    entry("Scan QR code on this page", { id: "scan-qr" }),
  );
}
extendMenu();

/**
 * The tab to scan: the active tab of the popup's window. When the popup is itself open in a
 * tab, the web page used most recently before it.
 */
async function targetTab() {
  const self = await chrome.tabs.getCurrent?.();
  const [active] = await chrome.tabs.query({ active: true, currentWindow: true });
  if (active && (!self || active.id !== self.id)) return active;
  const tabs = (await chrome.tabs.query({})).filter((t) => (!self || t.id !== self.id) && /^https?:/.test(t.url ?? ""));
  tabs.sort((x, y) => (y.lastAccessed ?? 0) - (x.lastAccessed ?? 0));
  return tabs[0] ?? null;
}

const WORDS = {
  no_qr: "No QR code is visible on this page. Scroll so the whole code shows, then scan again.",
  no_access: "Codeward cannot capture this page (browser pages and the web store are off limits).",
  not_visible: "Switch to the page with the QR code, then scan again.",
  no_accounts: "The QR codes on this page are not authenticator setup codes.",
  locked: "The vault is locked.",
};

function problem(button, text) {
  const li = button.closest("li");
  let p = li.querySelector("[role=alert]");
  if (!text) return p?.remove();
  if (!p) {
    p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    li.append(p);
  }
  p.textContent = text;
}

document.addEventListener("click", async (ev) => {
  const button = ev.target.closest?.("#scan-qr");
  if (!button || button.disabled) return;
  problem(button, "");
  button.disabled = true;
  const label = button.textContent;
  button.textContent = "Scanning…";
  try {
    const tab = await targetTab();
    if (!tab) throw Object.assign(new Error("no tab"), { code: "not_visible" });
    await send(Kinds.page.IMPORT_SCAN_TAB, { tabId: tab.id });
    chrome.tabs.create({ url: chrome.runtime.getURL(PAGE) + "#pending" });
    closeIfPopup();
  } catch (e) {
    problem(button, WORDS[e.code] ?? `The scan failed: ${e.message}.`);
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
});
