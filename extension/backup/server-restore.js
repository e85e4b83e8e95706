// Restoring from "Your own server" on the restore page: connect with the connection string
// (also on a new install, before a vault exists: the background then holds the grant in
// its memory until the restore creates the vault, which keeps it sealed), list the
// server's backups (date, size), and choose one. The page's restore form then opens the
// chosen backup exactly like a file: preview, then merge, replace (with undo) or create.
import { Kinds, send } from "../shared/messages.js";
import { $, progress, say, sentence, show } from "../shared/page.js";
import { parseConnection } from "../shared/server-connection.js";

const K = Kinds.page;
const DEST = "server";
const section = $("from-server");

/** @type {{id: string, label: string}|null} the backup chosen from the server's list */
let chosen = null;
let connected = false;

/** The backup chosen from the server, or null. */
export function serverChoice() {
  return chosen;
}

/** Forgets the choice (a file was picked, or the restore is done). */
export function clearServerChoice() {
  chosen = null;
  for (const b of $("server-list").querySelectorAll("button")) b.setAttribute("aria-pressed", "false");
  progress("server-progress", "");
}

/** The chosen backup's text, fetched from the server now. */
export async function fetchChosen() {
  const r = await send(K.DEST_FETCH, { dest: DEST, id: chosen.id });
  return r.file;
}

function sizeText(n) {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** Plain words for what went wrong; the destination's own message says what to fix. */
function problem(e, explain) {
  if (e && e.code === "destination") return `${sentence(e.message)} Nothing was changed.`;
  if (e && e.code === "not_connected") return "Paste the connection string of your server first.";
  return explain(e);
}

function renderList(backups, formatDate) {
  const list = $("server-list");
  if (!backups.length) {
    list.replaceChildren();
    show(list, false);
    progress("server-progress", "Your server holds no backups yet.");
    return;
  }
  list.replaceChildren(
    ...backups.map((b) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      const label = `${formatDate(b.created)} — ${sizeText(b.size)}`;
      button.textContent = label;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => {
        clearServerChoice();
        // One source at a time: no file, no Google Drive backup.
        $("backup-file").value = "";
        for (const r of document.querySelectorAll('input[name="remote-backup"]')) r.checked = false;
        chosen = { id: b.id, label };
        button.setAttribute("aria-pressed", "true");
        progress("server-progress", `Chosen: the backup of ${label} from your server. Enter its backup password below and press Restore.`);
        $("restore-password").focus();
      });
      li.append(button);
      return li;
    }),
  );
  show(list, true);
  progress("server-progress", `Your server holds ${backups.length === 1 ? "1 backup" : `${backups.length} backups`}, newest first. Choose one:`);
}

/**
 * Wires the "From your own server" part of the restore page.
 * @param {{formatDate: (iso: string) => string, explain: (e: any) => string|null}} o
 */
export function wireServerRestore({ formatDate, explain }) {
  // Whether a server is connected already (its grant in the vault, or held for a restore).
  send(K.AUTO_STATUS)
    .then((s) => {
      const d = s.destinations.find((x) => x.id === DEST);
      connected = Boolean(d && d.connected);
      show($("server-connection-row"), !connected);
    })
    .catch(() => {});

  // Choosing a Google Drive backup (remote.js) drops the server's choice.
  document.addEventListener("change", (ev) => {
    if (ev.target instanceof HTMLInputElement && ev.target.name === "remote-backup") clearServerChoice();
  });

  $("server-connect").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(section, "");
    clearServerChoice();
    const input = $("server-connection");
    try {
      if (!connected || input.value.trim()) {
        const parsed = parseConnection(input.value);
        if (!parsed.ok) return say(section, parsed.message);
        // Asked from this click, before anything else is awaited: browsers grant host access
        // only during the person's gesture. Already granted access answers true at once.
        let granted = false;
        try {
          granted = await chrome.permissions.request({ origins: [parsed.connection.pattern] });
        } catch {
          granted = false;
        }
        if (!granted) {
          return say(section, `Codeward needs access to ${parsed.connection.origin} to read your backups there. Nothing was changed.`);
        }
        progress("server-progress", "Connecting to your server…");
        await send(K.DEST_CONNECT_FINISH, { dest: DEST, connection: input.value.trim() });
        input.value = "";
        connected = true;
        show($("server-connection-row"), false);
      }
      progress("server-progress", "Asking your server for its backups…");
      renderList(await send(K.DEST_LIST, { dest: DEST }), formatDate);
    } catch (e) {
      progress("server-progress", "");
      say(section, problem(e, explain));
    }
  });
}
