// "Backups in Google Drive" on the restore view: lists the automatic backups Codeward keeps
// there (date and size, newest first) and lets one be chosen instead of a file; the restore
// form then previews it as it does a file. On a new install the sign-in happens here, and the
// vault the restore creates keeps the connection.
import { Kinds, send } from "../shared/messages.js";
import { $, plural, say, show } from "../shared/page.js";
import { connectDestination } from "../shared/connect.js";

const K = Kinds.page;
const DEST = "drive";

function sizeText(n) {
  if (n < 1024) return plural(n, "byte");
  return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
}

function dateText(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "unknown date" : d.toLocaleString(undefined, { dateStyle: "long", timeStyle: "medium" });
}

function render(files) {
  const list = $("remote-list");
  list.replaceChildren(
    ...files.map((f, i) => {
      const li = document.createElement("li");
      const label = document.createElement("label");
      label.className = "inline";
      const radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "remote-backup";
      radio.value = f.id;
      radio.addEventListener("change", () => {
        $("backup-file").value = "";
      });
      label.append(radio, ` ${dateText(f.created)} — ${sizeText(f.size)}${i === 0 ? " (newest)" : ""}`);
      li.append(label);
      return li;
    }),
  );
  show(list, files.length > 0);
  $("remote-state").textContent = files.length
    ? `${plural(files.length, "backup")} in Google Drive, newest first. Choose one, then enter its backup password below.`
    : "There are no Codeward backups in this Google Drive yet.";
}

async function showList() {
  const section = $("restore");
  say(section, "");
  try {
    const st = await send(K.AUTO_STATUS);
    const drive = st.destinations.find((d) => d.id === DEST);
    if (!drive.connected) await connectDestination(DEST);
    $("remote-state").textContent = "Asking Google Drive…";
    render(await send(K.DEST_LIST, { dest: DEST }));
  } catch (e) {
    $("remote-state").textContent = "";
    const m = (e && e.message) || "unknown error";
    say(section, `Could not list the backups in Google Drive: ${m}.`);
  }
}

export async function initRemote() {
  const st = await send(K.AUTO_STATUS).catch(() => null);
  const drive = st && st.destinations.find((d) => d.id === DEST);
  if (!drive) {
    show($("remote"), false);
    return;
  }
  if (!drive.ready) {
    $("remote-state").textContent = drive.why + ".";
    return;
  }
  $("remote-state").textContent = "";
  show($("remote-show").parentElement, true);
  $("remote-show").addEventListener("click", showList);
  $("backup-file").addEventListener("change", () => {
    for (const r of document.querySelectorAll('input[name="remote-backup"]')) r.checked = false;
  });
}

/** The chosen Drive backup's id, or null when none is chosen. */
export function remoteChoice() {
  const r = document.querySelector('input[name="remote-backup"]:checked');
  return r ? r.value : null;
}

/** Reads the chosen backup's text from Google Drive. */
export async function fetchRemote(id) {
  return (await send(K.DEST_FETCH, { dest: DEST, id })).file;
}
