// The automatic backups page: set up (master password, backup password, destinations),
// connect or disconnect Google Drive, see when the last backup went where, fix a problem,
// back up now. The background derives and keeps the key; this page never sees it.
import { wireBackupPassword } from "../shared/backup-password.js";
import { Kinds, send } from "../shared/messages.js";
import { $, explainCommon, plural, progress, say, show, wireUnlock } from "../shared/page.js";
import { connectDestination } from "../shared/connect.js";
import { parseConnection } from "../shared/server-connection.js";

const K = Kinds.page;

/** @type {import("../shared/messages.js").AutoStatus|null} */
let status = null;

function explain(e) {
  switch (e && e.code) {
    case "wrong_password":
      return "Wrong master password. Nothing was changed.";
    case "weak_password":
      return `That backup password is too weak. ${e.message}`;
    case "not_connected":
    case "not_available":
    case "destination":
    case "no_access":
    case "cancelled":
      return e.message.charAt(0).toUpperCase() + e.message.slice(1) + ".";
    case "not_set_up":
      return "Automatic backups are not set up yet.";
    default:
      return explainCommon(e);
  }
}

/** "3 minutes ago", "just now", or a date for anything older than a day. */
export function ago(iso, now = Date.now()) {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return "at an unknown time";
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${plural(m, "minute")} ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${plural(h, "hour")} ago`;
  return "on " + new Date(t).toLocaleString(undefined, { dateStyle: "long", timeStyle: "short" });
}

const and = (xs) => (xs.length <= 1 ? xs.join("") : xs.slice(0, -1).join(", ") + " and " + xs[xs.length - 1]);

async function refresh() {
  status = await send(K.AUTO_STATUS);
  render();
}

function render() {
  show($("loading"), false);
  const locked = status.state !== "unlocked";
  show($("locked"), locked);
  show($("setup"), !locked);
  show($("status"), !locked && status.on);
  if (locked) return;

  const drive = status.destinations.find((d) => d.id === "drive");
  for (const d of status.destinations) {
    const box = $(`dest-${d.id}`);
    if (!box) continue;
    if (!box.dataset.touched) box.checked = d.on;
    box.disabled = !d.ready || (d.needsConnection && !d.connected);
  }
  for (const el of document.querySelectorAll(".keep")) el.textContent = String(status.keep);
  if (!drive.ready) {
    $("drive-state").textContent = drive.why + ".";
    show($("drive-connect"), false);
    show($("drive-disconnect"), false);
  } else {
    $("drive-state").textContent = drive.connected ? "Connected." : "Not connected.";
    show($("drive-connect"), !drive.connected || drive.problem?.fix === "reconnect");
    show($("drive-disconnect"), drive.connected);
  }
  const server = status.destinations.find((d) => d.id === "server");
  if (server) {
    if (!$("server-state").dataset.busy) $("server-state").textContent = server.connected ? "Connected." : "Not connected.";
    show($("server-connect-row"), !server.connected || server.problem?.fix === "reconnect");
    show($("server-connect"), !server.connected || server.problem?.fix === "reconnect");
    show($("server-disconnect"), server.connected);
  }
  $("turn-on").textContent = status.on ? "Save changes" : "Turn on automatic backups";
  show($("off-form"), status.on);

  if (status.on) {
    const line = status.last ? `Backed up ${ago(status.last.at)} to ${and(status.last.to)}.` : "No automatic backup yet.";
    const waiting = status.changed > 0 ? ` ${plural(status.changed, "account")} changed since.` : "";
    $("status-line").textContent = line + waiting;
  }
  const list = $("problems");
  list.replaceChildren();
  for (const d of status.destinations) {
    if (!d.on || !d.problem) continue;
    const li = document.createElement("li");
    li.className = "warning";
    const p = document.createElement("span");
    p.textContent = `${d.label}: the last backup failed — ${d.problem.message}. `;
    li.append(p);
    const fix = document.createElement("button");
    fix.type = "button";
    if (d.problem.fix === "reconnect" && d.id === "server") {
      // A new connection string is needed: take the person to its field.
      fix.textContent = "Reconnect your server";
      fix.addEventListener("click", () => $("server-connection").focus());
    } else if (d.problem.fix === "reconnect" && d.needsConnection) {
      fix.textContent = `Reconnect ${d.label}`;
      fix.addEventListener("click", () => connect(d.id));
    } else {
      p.textContent += "Codeward tries again by itself. ";
      fix.textContent = "Try again now";
      fix.addEventListener("click", runNow);
    }
    li.append(fix);
    list.append(li);
  }
}

wireUnlock({ refresh, explain, emptyMessage: "Enter your master password." });

// --- the password fields --------------------------------------------------------------------

const setupSection = $("setup");
wireBackupPassword({ section: setupSection, explain });

for (const box of document.querySelectorAll("input[data-dest]")) {
  box.addEventListener("change", () => {
    box.dataset.touched = "1";
  });
}

// --- set up, change, turn off ---------------------------------------------------------------

function chosen() {
  const out = {};
  for (const box of document.querySelectorAll("input[data-dest]")) out[box.dataset.dest] = box.checked && !box.disabled;
  return out;
}

$("setup-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  say(setupSection, "");
  const master = $("master-password").value;
  const a = $("backup-password").value;
  const b = $("backup-confirm").value;
  const destinations = chosen();
  const changeDestinationsOnly = status.on && !a && !b;
  if (!Object.values(destinations).some(Boolean)) return say(setupSection, "Choose where the backups go: the downloads folder, Google Drive, your own server, or several.");
  if (!changeDestinationsOnly) {
    if (!master) return say(setupSection, "Enter your master password.");
    if (!a) return say(setupSection, "Choose a backup password, or press Generate.");
    if (a !== b) return say(setupSection, "The two backup passwords differ. Type the same password in both fields.");
  }
  try {
    progress("setup-progress", changeDestinationsOnly ? "Saving…" : "Preparing the backup key… this takes a few seconds.");
    status = changeDestinationsOnly
      ? await send(K.AUTO_CONFIG, { destinations })
      : await send(K.AUTO_SETUP, { masterPassword: master, backupPassword: a, destinations });
    for (const id of ["master-password", "backup-password", "backup-confirm"]) $(id).value = "";
    $("strength").textContent = "";
    show($("suggestion"), false);
    for (const box of document.querySelectorAll("input[data-dest]")) delete box.dataset.touched;
    progress("setup-progress", changeDestinationsOnly ? "Saved." : "Automatic backups are on.");
    render();
  } catch (e) {
    progress("setup-progress", "");
    $("master-password").value = "";
    say(setupSection, explain(e));
  }
});

$("off-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  say(setupSection, "");
  const master = $("master-password").value;
  if (!master) return say(setupSection, "Enter your master password above to turn automatic backups off.");
  try {
    status = await send(K.AUTO_OFF, { masterPassword: master });
    $("master-password").value = "";
    progress("setup-progress", "Automatic backups are off.");
    render();
  } catch (e) {
    $("master-password").value = "";
    say(setupSection, explain(e));
  }
});

async function runNow() {
  const section = $("status");
  say(section, "");
  try {
    progress("status-line", "Backing up…");
    status = await send(K.AUTO_RUN);
    render();
  } catch (e) {
    say(section, explain(e));
    await refresh().catch(() => {});
  }
}
$("run-now").addEventListener("click", runNow);

// --- Google Drive ----------------------------------------------------------------------------

async function connect(id) {
  say(setupSection, "");
  try {
    status = await connectDestination(id);
    const box = $(`dest-${id}`);
    if (box && !status.on) {
      box.checked = true;
      box.dataset.touched = "1";
    }
    render();
  } catch (e) {
    say(setupSection, explain(e));
  }
}

$("drive-connect").addEventListener("click", () => connect("drive"));
$("drive-disconnect").addEventListener("click", async () => {
  say(setupSection, "");
  try {
    status = await send(K.DEST_DISCONNECT, { dest: "drive" });
    render();
  } catch (e) {
    say(setupSection, explain(e));
  }
});

// --- your own server -------------------------------------------------------------------------

$("server-connect").addEventListener("click", async () => {
  say(setupSection, "");
  const input = $("server-connection");
  const parsed = parseConnection(input.value);
  if (!parsed.ok) return say(setupSection, parsed.message);
  const state = $("server-state");
  // Host access to exactly this origin, asked for from this click before anything else is
  // awaited (browsers grant it only during the person's gesture); access already held
  // answers true at once.
  let granted = false;
  try {
    granted = await chrome.permissions.request({ origins: [parsed.connection.pattern] });
  } catch {
    granted = false;
  }
  if (!granted) {
    return say(setupSection, `Codeward needs access to ${parsed.connection.origin} to keep backups there. Nothing was changed.`);
  }
  try {
    state.dataset.busy = "1";
    state.textContent = "Checking the connection…";
    status = await send(K.DEST_CONNECT_FINISH, { dest: "server", connection: input.value.trim() });
    input.value = "";
    const box = $("dest-server");
    if (!status.on) {
      box.checked = true;
      box.dataset.touched = "1";
    }
  } catch (e) {
    say(setupSection, explain(e));
  } finally {
    delete state.dataset.busy;
  }
  await refresh().catch(() => {});
});

$("server-disconnect").addEventListener("click", async () => {
  say(setupSection, "");
  try {
    status = await send(K.DEST_DISCONNECT, { dest: "server" });
    render();
  } catch (e) {
    say(setupSection, explain(e));
  }
});

refresh().catch((e) => {
  show($("loading"), false);
  say($("setup"), explain(e));
  show($("setup"), true);
});
