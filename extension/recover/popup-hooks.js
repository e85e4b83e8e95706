// What recovery adds to the popup: the notice after the vault was opened from its previous
// copy, "Forgot master password?" on the lock screen, the way out when both stored copies
// are damaged, and "Open the old vault" on the first-run screen when a vault was set aside.
// The explanations and typed confirmations live on the recovery page (recover.html).
import { Kinds, send } from "../shared/messages.js";
import { closeIfPopup } from "../shared/popup-window.js";

const PAGE = "extension/recover/recover.html";

/** Opens the recovery page at hash (#forgot, #damaged, #old) in a tab. */
export function openPage(hash) {
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

/**
 * Shows or clears, in container, the notice that the previous copy was opened (View v's
 * `recovered`). onDismissed(view) gets the fresh View once the person has read it.
 */
export function notices(container, v, onDismissed) {
  const current = container.querySelector("[data-recovered]");
  if (!v || !v.recovered) {
    current?.remove();
    return;
  }
  if (current) return;
  const box = document.createElement("div");
  box.className = "warning";
  box.dataset.recovered = "";
  box.setAttribute("role", "alert");
  const p = document.createElement("p");
  p.textContent =
    "Codeward opened the previous copy of your vault; your last change may be missing — check it. " +
    (v.recovered.missing ? "(The latest copy was not found.)" : "(The latest copy was damaged; it is kept until the next change.)");
  const ok = button("I have checked", async () => {
    try {
      onDismissed(await send(Kinds.page.DISMISS_NOTICE));
    } catch {
      box.remove();
    }
  });
  box.append(p, ok);
  container.prepend(box);
}

/** Adds "Forgot master password?" to the lock screen node (under its unlock form). */
export function lockScreen(node) {
  const form = node.querySelector("form");
  const p = document.createElement("p");
  p.className = "hint";
  p.append(button("Forgot master password?", () => openPage("#forgot")));
  form.after(p);
}

/**
 * After an unlock failed with error e: when every stored copy is damaged, says so (it is
 * this browser's vault, not a backup file) and offers the way out. Returns the message for
 * the form's alert, or null to use the popup's usual wording.
 */
export function unlockFailed(node, e) {
  node.querySelector("[data-damaged]")?.remove();
  if (!e || e.code !== "corrupt") return null;
  const p = document.createElement("p");
  p.dataset.damaged = "";
  p.append(button("Set it aside and restore from a backup", () => openPage("#damaged")));
  node.querySelector("form").after(p);
  return "This browser's stored vault is damaged: neither its copy nor the one before it opens. Your backup files are not affected.";
}

/** On the first-run screen: "Open the old vault" when a vault was set aside. */
export async function firstRun(container) {
  let status;
  try {
    status = await send(Kinds.page.RECOVERY_STATUS);
  } catch {
    return;
  }
  if (!status.aside) return;
  const p = document.createElement("p");
  p.className = "hint";
  p.textContent = "A vault was set aside in this browser. If you remember its master password, you can open it again.";
  container.append(p, button("Open the old vault", () => openPage("#old")));
}
