// What the backup feature adds to the popup: "Restore from backup" on the first-run screen
// and the "N accounts changed since your last backup — Back up now" reminder. (The menu's
// "Back up" and "Restore" entries are plain data-page items in popup.html.)
import { pendingCount } from "./state.js";
import { closeIfPopup } from "../shared/popup-window.js";
import { Kinds, send } from "../shared/messages.js";

const PAGE = "extension/backup/backup.html";

function openPage(hash = "") {
  chrome.tabs.create({ url: chrome.runtime.getURL(PAGE) + hash });
  closeIfPopup();
}

function button(label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

/** Fills the first-run screen's extra area with "Restore from backup". */
export function firstRun(container) {
  const hint = document.createElement("p");
  hint.className = "hint";
  hint.textContent = "Moving to a new computer or browser? Start from an encrypted Codeward backup instead.";
  container.replaceChildren(hint, button("Restore from backup", () => openPage("#restore")));
}

/** With automatic backups on, "Back up now" makes one right here (no page, no password). */
async function runAutomatic(ev, repaint) {
  const b = ev.currentTarget;
  b.disabled = true;
  try {
    await send(Kinds.page.AUTO_RUN);
  } catch {
    // the automatic backup notice says what failed
  } finally {
    b.disabled = false;
  }
  if (repaint) repaint(await send(Kinds.page.VIEW));
}

/** Shows or clears the backup reminder in container for the unlocked View v. */
export function notices(container, v, repaint) {
  const n = pendingCount(v && v.settings);
  const current = container.querySelector("[data-backup-reminder]");
  if (n === 0) {
    current?.remove();
    return;
  }
  const text = `${n} account${n === 1 ? "" : "s"} changed since your last backup — `;
  if (current && current.firstChild.textContent === text && current.dataset.automatic === String(Boolean(v.settings?.auto?.on))) return; // unchanged: keep focus where it is
  const p = document.createElement("p");
  p.className = "warning";
  p.dataset.backupReminder = "";
  p.dataset.automatic = String(Boolean(v.settings?.auto?.on));
  const automatic = Boolean(v.settings?.auto?.on);
  p.append(text, button("Back up now", automatic ? (ev) => runAutomatic(ev, repaint).catch(() => {}) : () => openPage()));
  if (current) current.replaceWith(p);
  else container.append(p);
}
