// The import & export page. The background parses, merges and exports (in the Go core);
// this page collects the file or text, shows the preview, draws nothing itself but the QR
// images the core made, and hands exported files to the browser's downloads. One step runs
// here instead: an encrypted file is read in a worker of this page (read-worker.js), ended
// after each use, so that its KDF blocks no message of the background and leaves no memory
// behind; the background then checks and holds the accounts it read.
import { Kinds, Limits, mib, send } from "../shared/messages.js";
import {
  $,
  clearFieldErrors,
  download,
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
import { problemLine } from "../shared/words.js";
import { callWorker } from "../shared/worker-call.js";

const K = Kinds.page;

let vaultState = null;
/** @type {{kind: "file"|"paste", name: string, data: string}|null} what Preview reads */
let source = null;
/** @type {string|null} token of the preview on screen */
let token = null;
let qrURLs = [];

// --- small helpers --------------------------------------------------------------------------

const TYPES = { totp: "time-based", hotp: "counter-based", steam: "Steam Guard" };

function accountLabel(a) {
  if (a.issuer && a.name) return `${a.issuer} (${a.name})`;
  return a.issuer || a.name || "(no name)";
}

/** Base64 of bytes, in chunks (String.fromCharCode takes a limited number of arguments). */
function toBase64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function fileBase64(file) {
  return toBase64(new Uint8Array(await file.arrayBuffer()));
}

/** Plain words for the errors a person can act on; the code decides, never the message. */
function explain(e) {
  const msg = (e && e.message) || "unknown error";
  switch (e && e.code) {
    case "password_required":
      return "This file is encrypted. Enter its password below, then press Preview.";
    case "wrong_password":
      return "That file password is not right (or the file is damaged). Nothing was imported.";
    case "unknown_format":
      return "Codeward does not recognise this file. Check that it is an export from a supported app, or choose its format in the list.";
    case "unsupported":
      return `${sentence(msg)} Nothing was imported.`;
    case "unreadable":
      return `This file cannot be read: ${msg}. Nothing was imported.`;
    case "kdf_params": {
      // The core names what the file asks for (never anything secret).
      const asked = /the file asks for ([^;)]*)/.exec(msg ?? "");
      return `This file asks for decryption settings outside the safe range${asked ? ` (${asked[1]})` : ""}, so it was not opened.`;
    }
    case "no_qr":
      return "No QR code was found. Make the whole code visible (not cut off, not too small) and try again.";
    case "not_image":
      return "This is not an image Codeward can read (PNG, JPEG, GIF, WebP or BMP).";
    case "no_accounts":
      return `${sentence(msg)} Nothing was imported.`;
    case "invalid_secret":
      return "The secret key in this code has letters that can't be in a key (only A–Z and 2–7). Nothing was imported; scan or copy the code again from the site's setup page.";
    case "invalid_uri":
      return "This otpauth:// link is incomplete or damaged. Nothing was imported; copy the whole link again from the site's setup page.";
    case "expired":
      return "This preview has expired. Read the file or scan the code again.";
    case "read_stopped": // callWorker: not retried, the same file would stop it again
      return "Codeward stopped while opening this file: it may be damaged, or too large to open in this browser. Nothing was imported.";
    case "nothing_to_export":
      return sentence(msg);
    default:
      return explainCommon(e);
  }
}

// --- views ----------------------------------------------------------------------------------

function wantedView() {
  return location.hash === "#export" ? "export" : "import";
}

async function refresh() {
  const v = await send(K.STATE);
  vaultState = v.state;
  fillAccounts(v.accounts);
  render();
}

function render() {
  show($("loading"), false);
  const view = wantedView();
  const unlocked = vaultState === "unlocked";
  show($("locked"), !unlocked);
  $("locked-why").textContent =
    vaultState === "none"
      ? "There is no vault in this browser yet. Create one from the Codeward button in the toolbar first."
      : "Unlock it to import or export accounts.";
  show($("unlock-form"), vaultState === "locked");
  show($("import"), unlocked && view === "import");
  show($("export"), unlocked && view === "export");
  markNav(view);
  if (unlocked && view === "import" && location.hash === "#pending") loadPending();
}

window.addEventListener("hashchange", () => {
  hideQR();
  render();
});

wireUnlock({ refresh, explain });

// --- import ---------------------------------------------------------------------------------

async function loadFormats() {
  const list = await send(K.IMPORT_FORMATS);
  const select = $("format");
  for (const f of list) {
    if (!f.import) continue;
    const o = document.createElement("option");
    o.value = f.name;
    o.textContent = f.description;
    select.append(o);
  }
}

function resetPreview() {
  token = null;
  show($("preview"), false);
  show($("import-done"), false);
  say($("import"), "");
  clearFieldErrors($("import"));
}

/** The field an import error is about: the password for password errors, else the source. */
function sourceField() {
  return source?.kind === "paste" ? $("paste") : $("import-file");
}

function askPassword(on) {
  show($("password-row"), on);
  if (!on) $("file-password").value = "";
}

/** Runs work with the read form disabled and a progress line; returns its result. */
async function reading(message, work) {
  const form = $("read-form");
  const controls = [...form.elements].filter((el) => !el.disabled);
  controls.forEach((el) => (el.disabled = true));
  progress("read-progress", message);
  try {
    return await work();
  } finally {
    controls.forEach((el) => (el.disabled = false));
    progress("read-progress", "");
  }
}

/**
 * What formatImport (wasm/tools) reads from a file, run in a worker of this page that is
 * ended afterwards. Errors are the tools' (wrong_password, kdf_params, unreadable...),
 * "worker" when the worker itself could not start or load the tools (the caller may then ask
 * the background), or "read_stopped" when it failed once reading had begun (not retried in
 * the background: a file that made the worker run out of memory would do the same there).
 * @returns {Promise<import("../shared/messages.js").ImportRead>}
 */
function readInWorker(data, format, password) {
  return callWorker(new URL("./read-worker.js", import.meta.url), { data, format, password });
}

/** The largest file the background takes, as base64 characters. */
const MAX_FILE_B64 = Math.ceil(Limits.IMPORT_FILE / 3) * 4;

/**
 * The preview of data read as format. Only an encrypted file (a password given) can cost a
 * KDF: it is read in this page's worker, and the background holds what the worker read;
 * where no worker runs, the background reads it itself (within the importers' bounds). Plain
 * files and text, and sources too large to read, go to the background as they are.
 */
async function read(data, format, password) {
  if (!password || data.length > MAX_FILE_B64) return send(K.IMPORT_READ, { data, format, password });
  let got;
  try {
    got = await readInWorker(data, format, password);
  } catch (e) {
    if (e.code === "worker") return send(K.IMPORT_READ, { data, format, password });
    throw e;
  }
  return send(K.IMPORT_HOLD, { read: got });
}

async function readSource() {
  resetPreview();
  if (!source) return fieldError($("import-file"), "Choose a file or paste the exported text first.");
  const password = $("password-row").hidden ? "" : $("file-password").value;
  try {
    const p = await reading(password ? "Opening the encrypted file…" : "Reading…", () => read(source.data, $("format").value, password));
    showPreview(p);
  } catch (e) {
    if (e.code === "password_required" || e.code === "wrong_password") {
      askPassword(true);
      fieldError($("file-password"), explain(e));
    } else if (e.code === "locked") {
      say($("import"), explain(e));
    } else {
      fieldError(sourceField(), explain(e));
    }
  }
}

$("import-file").addEventListener("change", async () => {
  const file = $("import-file").files[0];
  if (!file) return;
  askPassword(false);
  if (file.size > Limits.IMPORT_FILE) {
    resetPreview();
    source = null;
    fieldError($("import-file"), `This file is too large to import (limit ${mib(Limits.IMPORT_FILE)}): exports of authenticator apps are far smaller. Nothing was imported.`);
    return;
  }
  $("paste").value = "";
  source = { kind: "file", name: file.name, data: await fileBase64(file) };
  await readSource();
});

$("paste").addEventListener("input", () => {
  const text = $("paste").value;
  if (!text.trim()) return;
  if (source?.kind === "file") $("import-file").value = "";
  askPassword(false);
  source = { kind: "paste", name: "the pasted text", data: toBase64(new TextEncoder().encode(text)) };
});

$("format").addEventListener("change", () => askPassword(false));

$("read-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  readSource();
});

$("qr-file").addEventListener("change", async () => {
  const file = $("qr-file").files[0];
  if (!file) return;
  resetPreview();
  if (file.size > Limits.IMPORT_IMAGE) {
    fieldError($("qr-file"), `This image is too large (limit ${mib(Limits.IMPORT_IMAGE)}). Take a screenshot of just the QR code instead.`);
    return;
  }
  try {
    const image = await fileBase64(file);
    showPreview(await reading("Looking for QR codes…", () => send(K.IMPORT_SCAN_IMAGE, { image })));
  } catch (e) {
    if (e.code === "locked") say($("import"), explain(e));
    else fieldError($("qr-file"), explain(e));
  }
});

async function loadPending() {
  history.replaceState(null, "", "#import");
  try {
    const p = await send(K.IMPORT_PENDING);
    if (p) showPreview(p);
    else say($("import"), "The scanned codes are no longer available (Codeward locked, or they were imported). Scan again.");
  } catch (e) {
    say($("import"), explain(e));
  }
}

function item(text) {
  const li = document.createElement("li");
  li.textContent = text;
  return li;
}

/** @param {import("../shared/messages.js").ImportPreview} p */
function showPreview(p) {
  token = p.token;
  const how = p.format === "qr" ? `${plural(p.codes, "QR code")} read` : `${p.description}${p.encrypted ? ", decrypted" : ""}`;
  $("detected").textContent = `Detected: ${how}.`;
  const parts = [`${plural(p.count, "account")} found`];
  if (p.duplicates > 0) parts.push(`${p.fresh} new, ${p.duplicates} already in Codeward (skipped)`);
  $("preview-summary").textContent = parts.join(": ") + ".";
  $("preview-list").replaceChildren(...p.accounts.map((a) => item(`${accountLabel(a)} — ${TYPES[a.type] || a.type}`)));
  $("warning-list").replaceChildren(...p.warnings.map(item));
  show($("warnings"), p.warnings.length > 0);
  $("problems-title").textContent = `${plural(p.problems.length, "entry", "entries")} could not be read and will be left out`;
  $("problem-list").replaceChildren(...p.problems.map((x) => item(problemLine(x))));
  show($("problems"), p.problems.length > 0);
  $("apply").disabled = p.fresh === 0;
  $("apply").textContent = "Import";
  show($("preview"), true);
  if (p.count === 0) say($("import"), "No account in this file can be imported.");
  reveal($("preview"));
}

$("apply").addEventListener("click", async () => {
  const section = $("import");
  say(section, "");
  $("apply").disabled = true;
  try {
    const r = await send(K.IMPORT_APPLY, { token });
    show($("preview"), false);
    const parts = [`Imported ${plural(r.added, "account")}.`];
    if (r.skipped) parts.push(`${plural(r.skipped, "account")} already in Codeward ${r.skipped === 1 ? "was" : "were"} skipped.`);
    parts.push(`Codeward now holds ${plural(r.total, "account")}.`);
    $("import-result").textContent = parts.join(" ");
    show($("import-done"), true);
    reveal($("import-done"));
    token = null;
    source = null;
    $("import-file").value = "";
    $("qr-file").value = "";
    $("paste").value = "";
    askPassword(false);
  } catch (e) {
    say(section, explain(e));
    $("apply").disabled = false;
  }
});

$("discard").addEventListener("click", () => {
  resetPreview();
});

// --- export ---------------------------------------------------------------------------------

function fillAccounts(accounts) {
  const select = $("export-account");
  const list = (accounts || []).slice().sort((x, y) => (x.order ?? 0) - (y.order ?? 0));
  select.replaceChildren(
    ...list.map((a) => {
      const o = document.createElement("option");
      o.value = a.id;
      o.textContent = accountLabel(a);
      return o;
    }),
  );
}

function kind() {
  return document.querySelector("input[name=kind]:checked").value;
}

function syncKind() {
  const k = kind();
  for (const el of document.querySelectorAll("#export-form [data-for]")) {
    const f = el.dataset.for;
    show(el, f === k || (f === "plain" && (k === "aegis-plain" || k === "otpauth")));
  }
}
for (const r of document.querySelectorAll("input[name=kind]")) r.addEventListener("change", syncKind);

function hideQR() {
  for (const u of qrURLs) URL.revokeObjectURL(u);
  qrURLs = [];
  $("qr-list").replaceChildren();
  $("qr-skipped-list").replaceChildren();
  show($("qr-out"), false);
}
$("qr-hide").addEventListener("click", hideQR);

function qrImage(b64, alt) {
  const url = URL.createObjectURL(new Blob([fromBase64(b64)], { type: "image/png" }));
  qrURLs.push(url);
  const img = document.createElement("img");
  img.src = url;
  img.alt = alt;
  img.width = 300;
  img.height = 300;
  return img;
}

$("export-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const section = $("export");
  say(section, "");
  clearFieldErrors(section);
  show($("export-done"), false);
  hideQR();
  const k = kind();
  const master = $("master-password");
  const payload = { masterPassword: master.value, format: k === "aegis-plain" ? "aegis" : k };
  if (!master.value) return fieldError(master, "Enter your master password.");
  if (k === "aegis") {
    const pw = $("export-password").value;
    if (!pw) return fieldError($("export-password"), "Choose a password for the Aegis file.");
    if (pw !== $("export-confirm").value) return fieldError($("export-confirm"), "The two export passwords differ. Type the same password in both fields.");
    payload.password = pw;
  }
  if ((k === "aegis-plain" || k === "otpauth") && !$("plain-ok").checked) {
    return fieldError($("plain-ok"), "This file is not encrypted: tick the box to confirm you understand.");
  }
  if (k === "qr") {
    if (!$("export-account").value) return fieldError($("export-account"), "There is no account to show.");
    payload.id = $("export-account").value;
  }
  const button = ev.submitter || $("export-form").querySelector("button[type=submit]");
  button.disabled = true;
  progress("export-progress", "Checking your master password…");
  try {
    const r = await send(K.EXPORT_RUN, payload).finally(() => {
      master.value = ""; // the master password never waits in a field after its one use
    });
    if (k === "google" || k === "qr") return showQR(k, r);
    const [name, type] =
      k === "otpauth"
        ? [`codeward-otpauth-${localDay()}.txt`, "text/plain"]
        : [`codeward-aegis-${k === "aegis" ? "encrypted" : "plain"}-${localDay()}.json`, "application/json"];
    progress("export-progress", "Saving…");
    let saved;
    try {
      saved = await download(r.file, name, { type });
    } catch (e) {
      return say(section, `The browser could not save the file (${e.reason || e.message}). Nothing was saved.`);
    }
    $("export-result").textContent = `Saved ${plural(r.count, "account")} to ${saved.filename}.${
      k === "aegis" ? " In Aegis: Settings → Import & Export → Import → Aegis, then enter the export password." : " Delete the file once the accounts are in the other app."
    }`;
    show($("export-done"), true);
  } catch (e) {
    if (e.code === "wrong_password") {
      fieldError(master, "Wrong master password. Nothing was exported.");
    } else {
      say(section, explain(e));
    }
  } finally {
    button.disabled = false;
    progress("export-progress", "");
  }
});

function showQR(k, r) {
  const list = $("qr-list");
  if (k === "qr") {
    const label = $("export-account").selectedOptions[0]?.textContent ?? "the account";
    const li = document.createElement("li");
    const caption = document.createElement("p");
    caption.textContent = label;
    li.append(qrImage(r.image, `QR code for ${label}`), caption);
    list.replaceChildren(li);
  } else {
    const n = r.codes.length;
    list.replaceChildren(
      ...r.codes.map((c, i) => {
        const li = document.createElement("li");
        const caption = document.createElement("p");
        caption.textContent = `Code ${i + 1} of ${n}: ${plural(c.count, "account")}`;
        li.append(qrImage(c.image, `Transfer QR code ${i + 1} of ${n}, ${plural(c.count, "account")}`), caption);
        return li;
      }),
    );
    const skipped = $("qr-skipped-list");
    skipped.replaceChildren(
      ...r.skipped.map((s) => item(`Left out: ${s.label || "(no name)"} — ${s.message}. Google Authenticator cannot hold it unchanged; export it as Aegis or otpauth instead.`)),
    );
    show(skipped, r.skipped.length > 0);
  }
  show($("qr-out"), true);
}

// --- start ----------------------------------------------------------------------------------

syncKind();
Promise.all([loadFormats(), refresh()]).catch((e) => {
  show($("loading"), false);
  say($("locked"), explain(e));
  show($("locked"), true);
});
