// What automatic backups add to the popup's notices, from the View alone (no extra message
// on open): where and when the last backup went ("Backed up 3 minutes ago to Google Drive"),
// a failed backup with its fix (try again, or reconnect on the automatic backups page), and
// "Back up automatically" beside the backup reminder while they are off.
import { Kinds, send } from "../shared/messages.js";
import { closeIfPopup } from "../shared/popup-window.js";
import { pendingCount } from "../backup/state.js";

const PAGE = "extension/auto/auto.html";
const LABELS = { downloads: "Downloads folder", drive: "Google Drive", server: "Your own server" };

function openPage() {
  chrome.tabs.create({ url: chrome.runtime.getURL(PAGE) });
  closeIfPopup();
}

function button(label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

/** "just now", "3 minutes ago", "2 hours ago", "on 4 December". */
function ago(iso) {
  const s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  if (!Number.isFinite(s)) return "at an unknown time";
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? "" : "s"} ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} hour${h === 1 ? "" : "s"} ago`;
  return "on " + new Date(iso).toLocaleDateString(undefined, { dateStyle: "long" });
}

const and = (xs) => (xs.length <= 1 ? xs.join("") : xs.slice(0, -1).join(", ") + " and " + xs[xs.length - 1]);

/** A paragraph keyed by data-auto; replaced only when its text changes (focus stays put). */
function put(container, key, text, className, ...buttons) {
  const current = container.querySelector(`[data-auto="${key}"]`);
  if (text === null) {
    current?.remove();
    return;
  }
  const key2 = text + "|" + buttons.map((b) => b.textContent).join("|");
  if (current && current.dataset.text === key2) return;
  const p = document.createElement("p");
  p.className = className;
  p.dataset.auto = key;
  p.dataset.text = key2;
  p.append(text, ...buttons);
  if (current) current.replaceWith(p);
  else container.append(p);
}

/** Shows or clears the automatic backup lines in container for the unlocked View v. */
export function notices(container, v, repaint) {
  const auto = v && v.settings && v.settings.auto;
  const on = Boolean(auto && auto.on);
  const run = async (ev) => {
    ev.target.disabled = true;
    try {
      await send(Kinds.page.AUTO_RUN);
    } catch {
      // the notice below stays and says what failed
    }
    if (repaint) repaint(await send(Kinds.page.VIEW).catch(() => v));
  };

  const problems = on
    ? Object.entries(auto.dests ?? {}).filter(([, d]) => d && d.on && d.problem)
    : [];
  let i = 0;
  for (const [id, d] of problems) {
    const label = LABELS[id] ?? id;
    const fix =
      d.problem.fix === "reconnect" && id !== "downloads"
        ? button(`Reconnect ${label}`, openPage)
        : button("Try again", run);
    put(container, `problem-${i++}`, `Automatic backup to ${label} failed: ${d.problem.message}. `, "warning", fix);
  }
  for (let j = i; container.querySelector(`[data-auto="problem-${j}"]`); j++) put(container, `problem-${j}`, null);

  const last = on && auto.last ? `Backed up ${ago(auto.last.at)} to ${and(auto.last.to)}. ` : null;
  // "Back up now" sits in the backup reminder while accounts wait for a backup; here otherwise.
  const waiting = pendingCount(v && v.settings) > 0;
  put(container, "last", problems.length ? null : last, "hint", ...(last && !waiting ? [button("Back up now", run)] : []));

  // The menu's entry is "Set up automatic backups"; this one has its own name, so that the
  // two are never two controls of one name while the menu is open.
  const suggest = !on && pendingCount(v && v.settings) > 0 ? "Never forget a backup again: " : null;
  put(container, "suggest", suggest, "hint", ...(suggest ? [button("Back up automatically", openPage)] : []));
}
