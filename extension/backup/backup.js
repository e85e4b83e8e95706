// The backup & restore page. The background does the cryptography (checking the master
// password, writing and decrypting backup files) but one step: the Argon2id run that turns
// a backup password into the key of the file being restored runs in a worker of this page
// (key-worker.js), ended after each use, so that a file asking for a costly derivation
// blocks no message and leaves no memory behind; the background then opens the file with
// that key. Otherwise this page only collects input, hands the finished file to the
// browser's downloads, and reports what happened.
import { wireBackupPassword } from "../shared/backup-password.js";
import { Kinds, Limits, mib, send } from "../shared/messages.js";
import { initRemote, remoteChoice, fetchRemote } from "./remote.js";
import {
  $,
  clearFieldErrors,
  download,
  escapeCloses,
  explainCommon,
  fieldError,
  localDay,
  markNav,
  plural,
  progress,
  reveal,
  say,
  sentence,
  show,
  wireUnlock,
} from "../shared/page.js";
import { problemLine, strengthHint, weakPassword } from "../shared/words.js";
import { callWorker } from "../shared/worker-call.js";
import { clearServerChoice, fetchChosen, serverChoice, wireServerRestore } from "./server-restore.js";

const K = Kinds.page;

/** @type {{state: string, accounts: number|null, changed: number, last: string|null, askWhereToSave: boolean, undo: {count: number, at: string}|null}} */
let status = null;

// --- small helpers --------------------------------------------------------------------------

function formatDate(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "an unknown date";
  return d.toLocaleString(undefined, { dateStyle: "long", timeStyle: "short" });
}

/** codeward-backup-YYYY-MM-DD.json, in the user's local date. */
function backupFilename(now = new Date()) {
  return `codeward-backup-${localDay(now)}.json`;
}

/** Plain words for the errors a person can act on; the code decides, never the message. */
function explain(e) {
  switch (e && e.code) {
    case "wrong_password":
      return null; // the caller knows which password was wrong
    case "weak_password":
      return `That backup password is too weak. ${weakPassword(e.reason)}`;
    case "read_stopped": // callWorker: not retried, the same file would stop it again
      return "Codeward stopped while opening this backup: it may be damaged, or too large to open in this browser. Nothing was changed.";
    case "corrupt":
      return "This backup file is damaged (incomplete or altered), so it cannot be opened. Nothing was changed.";
    case "not_backup":
      return "This is not a Codeward backup file. Nothing was changed. (Files from other authenticator apps can be brought in with Import.)";
    case "too_large":
      return `This file is too large to be a Codeward backup (${e.message.replace(/^.*\(|\)$/g, "")}). Nothing was changed.`;
    case "unsupported_version":
      return "This backup was made by a newer version of Codeward. Update Codeward and try again. Nothing was changed.";
    case "kdf_params": {
      // The core names what the file asks for (never anything secret).
      const asked = /the file asks for ([^;]*);/.exec(e.message ?? "");
      return `This backup asks for decryption settings outside the safe range${asked ? ` (${asked[1]})` : ""}, so it was not opened. Nothing was changed.`;
    }
    case "no_vault":
      return "There is no vault in this browser yet.";
    case "exists":
      return "A vault was created in this browser meanwhile. Reload this page to restore into it.";
    case "no_undo":
      return "The replace can no longer be undone: the vault has changed since.";
    default:
      return explainCommon(e);
  }
}

// --- views ----------------------------------------------------------------------------------

function wantedView() {
  return location.hash === "#restore" ? "restore" : "backup";
}

async function refresh() {
  status = await send(K.BACKUP_STATUS);
  render();
}

function render() {
  show($("loading"), false);
  let view = wantedView();
  if (status.state === "none") view = "restore"; // nothing to back up; a restore creates the vault
  const locked = status.state === "locked";
  show($("locked"), locked);
  show($("backup"), !locked && view === "backup");
  show($("restore"), !locked && view === "restore");
  markNav(view);
  for (const a of document.querySelectorAll("nav a")) show(a, !(status.state === "none" && a.dataset.view === "backup"));
  if (locked) return;
  if (view === "backup") renderBackup();
  else renderRestore();
}

function renderBackup() {
  const s = status;
  const parts = [`Codeward holds ${plural(s.accounts, "account")}.`];
  parts.push(s.last ? `Last backup: ${formatDate(s.last)}.` : "No backup made from this browser yet.");
  if (s.changed > 0) parts.push(`${plural(s.changed, "account")} changed since your last backup.`);
  $("backup-summary").textContent = parts.join(" ");
  $("ask-where").checked = s.askWhereToSave;
}

function renderRestore() {
  // A replace can be undone as long as nothing has changed since.
  if (status.undo && $("restore-done").hidden) {
    outcome("Replaced", `The last restore replaced your ${plural(status.undo.count, "account")} (${formatDate(status.undo.at)}).`, true);
  }
}

window.addEventListener("hashchange", () => {
  if (status) render();
});

// --- unlock ---------------------------------------------------------------------------------

wireUnlock({ refresh, explain, emptyMessage: "Enter your master password." });

// --- backup ---------------------------------------------------------------------------------

const backupSection = $("backup");
wireBackupPassword({ section: backupSection, explain });

$("ask-where").addEventListener("change", async (ev) => {
  try {
    status = await send(K.BACKUP_SETTINGS, { askWhereToSave: ev.target.checked });
  } catch (e) {
    say(backupSection, explain(e));
  }
});

$("show-file").addEventListener("click", () => {
  const id = Number($("show-file").dataset.downloadId);
  if (Number.isInteger(id)) chrome.downloads.show(id);
});

function downloadProblem(reason) {
  if (reason === "USER_CANCELED") {
    return "The save was cancelled, so no backup file was saved. Your passwords are still filled in: press Create backup to try again.";
  }
  return `The browser could not save the file (${reason}), so no backup was saved. Check that the download folder exists and has space, then press Create backup again.`;
}

$("backup-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  say(backupSection, "");
  clearFieldErrors(backupSection);
  show($("backup-done"), false);
  const master = $("master-password");
  const pw = $("backup-password");
  const confirm = $("backup-confirm");
  if (!master.value) return fieldError(master, "Enter your master password first: a backup is made only after you prove it is you.");
  if (!pw.value) return fieldError(pw, "Choose a backup password, or press Generate.");
  if (pw.value !== confirm.value) return fieldError(confirm, "The two backup passwords differ. Type the same password in both fields.");

  const button = $("create");
  button.disabled = true;
  let made;
  try {
    progress("backup-progress", "Checking your master password and encrypting the backup… this takes a few seconds.");
    made = await send(K.BACKUP_CREATE, { masterPassword: master.value, backupPassword: pw.value });
  } catch (e) {
    progress("backup-progress", "");
    button.disabled = false;
    if (e.code === "wrong_password") fieldError(master, "Wrong master password. No backup was made.");
    else if (e.code === "weak_password") fieldError(pw, explain(e));
    else say(backupSection, explain(e) ?? "No backup was made.");
    return;
  }
  // The master password stays in its field until the file is saved: a cancelled or failed
  // save can then be tried again with one press of Create backup.
  try {
    const ask = $("ask-where").checked;
    progress("backup-progress", ask ? "Choose where to save the backup…" : "Saving the backup…");
    const item = await download(made.file, backupFilename(), { saveAs: ask });
    made.file = "";
    try {
      status = await send(K.BACKUP_DONE, { seq: made.seq });
    } catch {
      // The file is saved all the same; only the reminder could not be cleared (locked meanwhile).
    }
    progress("backup-progress", "");
    master.value = pw.value = confirm.value = "";
    $("strength").textContent = "";
    show($("suggestion"), false);
    $("saved-path").textContent = item.filename;
    $("show-file").dataset.downloadId = String(item.id);
    show($("backup-done"), true);
    renderBackup();
    reveal($("backup-done"));
  } catch (e) {
    progress("backup-progress", "");
    say(backupSection, e.reason ? downloadProblem(e.reason) : explain(e));
  } finally {
    button.disabled = false;
  }
});

// --- restore --------------------------------------------------------------------------------

const restoreSection = $("restore");
/** The file and its key (or, where no worker runs, its password) of the previewed backup,
 *  until it is applied or abandoned. */
let pending = null;

function restoreError(e) {
  if (e.code === "destination") return `${sentence(e.message)} Nothing was changed.`; // from your own server
  if (e.code === "wrong_password") {
    return "Wrong backup password: it does not open this file. Nothing was changed.";
  }
  return explain(e);
}

function resetPreview() {
  pending = null;
  show($("preview"), false);
  show($("confirm-replace"), false);
}

// After choosing a file, focus goes to the next step: its password, or Restore when the
// password is typed already. (The file is not opened on its own: a password left from
// another file would only make a wrong-password error appear out of nowhere.)
$("backup-file").addEventListener("change", () => {
  resetPreview();
  clearServerChoice();
  say(restoreSection, "");
  clearFieldErrors(restoreSection);
  if (!$("backup-file").files[0]) return;
  if ($("restore-password").value) $("restore-form").querySelector("button[type=submit]").focus();
  else $("restore-password").focus();
});

/**
 * The key of a backup file for password (JSON text, see wasm/core backupKeyFor), derived in
 * a worker of this page that is ended afterwards. Errors are the core's (wrong_password,
 * kdf_params, not_backup...), "worker" when no worker could run it (the caller then asks the
 * background), or "read_stopped" when the worker stopped while deriving (not retried).
 * @param {string} file @param {string} password @returns {Promise<string>}
 */
function backupKey(file, password) {
  return callWorker(new URL("./key-worker.js", import.meta.url), { file, password });
}

$("restore-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  say(restoreSection, "");
  clearFieldErrors(restoreSection);
  resetPreview();
  show($("restore-done"), false);
  const file = $("backup-file").files[0];
  // A file, or one backup chosen from Google Drive's or your own server's list.
  const remote = file ? null : remoteChoice();
  const fromServer = file || remote ? null : serverChoice();
  const password = $("restore-password").value;
  if (!file && !remote && !fromServer) return fieldError($("backup-file"), "Choose the backup file first.");
  if (!password) return fieldError($("restore-password"), "Enter the backup password.");
  if (file && file.size > Limits.BACKUP_FILE) {
    return fieldError($("backup-file"), `This file is too large to be a Codeward backup (the limit is ${mib(Limits.BACKUP_FILE)}). Nothing was changed.`);
  }
  try {
    progress("restore-progress", "Opening the backup… this takes a few seconds.");
    const text = file ? await file.text() : remote ? await fetchRemote(remote) : await fetchChosen();
    // Where a worker cannot run, the background derives the key itself (same bounds).
    const secret = await backupKey(text, password).then(
      (key) => ({ key }),
      (e) => {
        if (e.code === "worker") return { password };
        throw e;
      },
    );
    const p = await send(K.RESTORE_PREVIEW, { file: text, ...secret });
    pending = { file: text, secret, preview: p };
    renderPreview(p);
    reveal($("preview"));
  } catch (e) {
    // A wrong password is about the password field; everything else is about the file.
    const field = e.code === "wrong_password" ? $("restore-password") : $("backup-file");
    fieldError(field, restoreError(e));
  } finally {
    progress("restore-progress", "");
  }
});

function renderPreview(p) {
  $("preview-summary").textContent = `Made ${formatDate(p.created)}; it holds ${plural(p.count, "account")}.`;
  const list = $("preview-list");
  list.replaceChildren(
    ...p.accounts.map((a) => {
      const li = document.createElement("li");
      const issuer = document.createElement("strong");
      issuer.textContent = a.issuer || "(no issuer)";
      li.append(issuer, " — ", a.name || "(no name)");
      return li;
    }),
  );
  const problems = $("preview-problems");
  problems.textContent = p.problems.length
    ? `${plural(p.problems.length, "entry", "entries")} of the file cannot be restored and will be left out. ` +
      p.problems.map(problemLine).join(" ")
    : "";
  show(problems, p.problems.length > 0);
  const existing = p.state === "unlocked";
  show($("apply-existing"), existing);
  show($("apply-new"), p.state === "none");
  if (existing) {
    $("preview-compare").textContent =
      `Codeward holds ${plural(p.current, "account")} now. A merge would add ${plural(p.fresh, "account")}` +
      (p.duplicates > 0 ? ` and skip ${p.duplicates} you already have.` : ".");
  }
  if (p.state === "locked") say(restoreSection, "Codeward locked itself meanwhile. Reload this page and unlock it.");
  show($("preview"), true);
}

/** Shows the outcome under a heading that names it (Merged, Replaced, Restored, Undone). */
function outcome(title, message, undo = false) {
  $("restore-done-title").textContent = title;
  $("restore-result").textContent = message;
  show($("undo-row"), undo);
  show($("restore-done"), true);
}

function restored(title, message, undo = false) {
  pending = null;
  clearServerChoice();
  $("restore-password").value = "";
  $("backup-file").value = "";
  show($("preview"), false);
  outcome(title, message, undo);
  reveal($("restore-done"));
}

/** Runs a restore; a refusal goes to onError when given (the field it is about), else to the section. */
async function apply(mode, extra = {}, onError = null) {
  if (!pending) return;
  say(restoreSection, "");
  clearFieldErrors(restoreSection);
  try {
    progress("restore-progress", "Restoring… this takes a few seconds.");
    const r = await send(K.RESTORE_APPLY, { file: pending.file, ...pending.secret, mode, ...extra });
    if (mode === "merge") {
      const skipped = r.skipped > 0 ? ` ${plural(r.skipped, "account")} you already had ${r.skipped === 1 ? "was" : "were"} skipped.` : "";
      restored("Merged", `Added ${plural(r.added, "account")} from the backup.${skipped} Codeward now holds ${plural(r.total, "account")}.`);
    } else if (mode === "replace") {
      restored("Replaced", `Codeward now holds the ${plural(r.total, "account")} from the backup.`, true);
    } else {
      restored("Restored", `Codeward is set up with the ${plural(r.total, "account")} from the backup, and unlocked. Open it from the toolbar.`);
    }
    await refresh();
    return true;
  } catch (e) {
    if (onError) onError(e);
    else say(restoreSection, restoreError(e));
    return false;
  } finally {
    progress("restore-progress", "");
  }
}

$("merge").addEventListener("click", () => apply("merge"));

$("replace").addEventListener("click", () => {
  const p = pending && pending.preview;
  if (!p) return;
  $("confirm-replace-text").textContent =
    `Replace all ${plural(p.current, "account")} in Codeward with the ${plural(p.count, "account")} from this backup? ` +
    "You can undo this right afterwards.";
  show($("confirm-replace"), true);
  $("replace-yes").focus();
});

function cancelReplace() {
  show($("confirm-replace"), false);
  $("replace").focus();
}
$("replace-no").addEventListener("click", cancelReplace);
escapeCloses($("confirm-replace"), cancelReplace);

$("replace-yes").addEventListener("click", () => {
  show($("confirm-replace"), false);
  apply("replace");
});

$("apply-new").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearFieldErrors(restoreSection);
  const a = $("new-master").value;
  const b = $("confirm-master").value;
  if (!a) return fieldError($("new-master"), "Choose a master password for the new vault.");
  if (a !== b) return fieldError($("confirm-master"), "The two master passwords differ. Type the same password in both fields.");
  const ok = await apply("create", { masterPassword: a }, (e) => {
    if (e.code === "weak_password") fieldError($("new-master"), `That master password is too weak. ${weakPassword(e.reason)}`);
    else say(restoreSection, restoreError(e));
  });
  if (ok) $("new-master").value = $("confirm-master").value = "";
});

// The new master password gets the same live strength hint as the first-run form.
let masterJudgeTimer = 0;
$("new-master").addEventListener("input", () => {
  clearTimeout(masterJudgeTimer);
  masterJudgeTimer = setTimeout(async () => {
    const pw = $("new-master").value;
    const judged = pw ? await send(K.BACKUP_JUDGE, { password: pw }).catch(() => null) : null;
    if ($("new-master").value !== pw) return;
    $("master-strength").textContent = strengthHint(judged);
    $("master-strength").dataset.verdict = judged?.verdict ?? "";
  }, 150);
});

$("undo").addEventListener("click", async () => {
  say(restoreSection, "");
  try {
    const r = await send(K.RESTORE_UNDO);
    outcome("Undone", `Codeward holds your previous ${plural(r.total, "account")} again.`);
    reveal($("restore-done"));
    await refresh();
  } catch (e) {
    say(restoreSection, explain(e));
  }
});

wireServerRestore({ formatDate, explain: (e) => restoreError(e) });

// --- start ----------------------------------------------------------------------------------

refresh().catch((e) => {
  show($("loading"), false);
  const el = $("loading");
  el.setAttribute("role", "alert");
  el.textContent = explain(e);
  show(el, true);
});
initRemote().catch(() => {});
