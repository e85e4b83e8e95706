// Page-tier handlers for importing accounts from other authenticators (files, pasted text,
// QR codes on the current tab or in an image) and exporting them to other apps.
//
// An import runs in two steps: a read that parses the source in the Go core and answers
// with a preview holding no secrets, then an apply that merges into the vault through
// store.update (exact duplicates skipped). Between the two, the parsed accounts wait in
// storage.session under PENDING_KEY, so that they survive the service worker being stopped
// while a person reads the preview: memory only, trusted contexts only, cleared when the
// vault locks, and sealed (AES-GCM, a random key kept beside them) so that no storage dump
// shows account data in the clear. Only the latest preview is kept.
//
// An encrypted file is read by a worker of the import page instead
// (extension/import/read-worker.js), so that its KDF — seconds for an Aegis file's scrypt
// slots or andOTP's PBKDF2 at their bounds — never keeps the background from answering the
// popup, fills and automatic backups. The page hands over what the worker read
// (IMPORT_HOLD), checked here again as the vault will check it before it is held.
// IMPORT_READ with a password remains the fallback where the page cannot start a worker.
//
// Exports need the master password each time (checked against the stored vault, never
// kept); the page downloads the result itself (a service worker has no URL.createObjectURL,
// and Firefox refuses data: downloads).
import { call, callTools } from "../shared/core.js";
import { Kinds, Errors, CodedError, Limits, mib } from "../shared/messages.js";
import { registerHandlers } from "./router.js";
import { greyPixels } from "./grey.js";
import * as store from "./store.js";

const K = Kinds.page;

const PENDING_KEY = "import.pending";
const PENDING_SEAL_KEY = "import.sealKey";
const PENDING_MINUTES = 30;

// Bounds on what pages may send: the files' limits as base64 characters (pages check the
// files' sizes first; the core checks again).
const b64Length = (bytes) => Math.ceil(bytes / 3) * 4;
const MAX_FILE_B64 = b64Length(Limits.IMPORT_FILE);
const MAX_IMAGE_B64 = b64Length(Limits.IMPORT_IMAGE);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Side of the QR code images drawn for export, in pixels: sharp on a phone's camera. */
const QR_SIZE = 360;

const EXPORTS = new Set(["aegis", "otpauth", "google", "qr"]);

function text(x, what) {
  if (typeof x !== "string" || x === "") throw new CodedError(Errors.INVALID, `${what} is missing`);
  return x;
}

function base64(x, what, max) {
  const s = text(x, what);
  if (s.length > max) throw new CodedError(Errors.TOO_LARGE, `${what} is too large (limit ${mib((max / 4) * 3)})`);
  if (s.length % 4 !== 0 || !BASE64.test(s)) throw new CodedError(Errors.INVALID, `${what} is not base64`);
  return s;
}

function optional(x, what) {
  if (x === undefined || x === null || x === "") return "";
  if (typeof x !== "string") throw new CodedError(Errors.INVALID, `${what} must be text`);
  return x;
}

async function requireUnlocked() {
  const state = await store.state();
  if (state === "none") throw new CodedError(Errors.NO_VAULT, "there is no vault yet");
  if (state !== "unlocked") throw new CodedError(Errors.LOCKED, "the vault is locked");
}

// --- import -----------------------------------------------------------------------------

const toB64 = (bytes) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};
// The native decoder where there is one, else a plain loop: Uint8Array.from(string, fn) walks
// an iterator, seconds for a 32 MiB image (4.4–17.8 s in Chromium 156 here; 0.25–0.55 s now).
function fromB64(s) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(s);
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
const aesKey = (raw, use) => crypto.subtle.importKey("raw", fromB64(raw), "AES-GCM", false, [use]);

// The held accounts are compressed before they are sealed: storage.session holds 10 MB in
// all (the popup's View shares it), and a 20,000-account preview is ~8 MB of JSON but a
// fraction of that compressed (the repeated field names and issuers go; secrets do not
// compress, and stay sealed).
async function pipe(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

async function sealPending(value) {
  const raw = toB64(crypto.getRandomValues(new Uint8Array(32)));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = await pipe(new TextEncoder().encode(JSON.stringify(value)), new CompressionStream("gzip"));
  const data = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(raw, "encrypt"), plain));
  return { raw, sealed: { iv: toB64(iv), data: toB64(data) } };
}

async function openPending(sealed, raw) {
  const packed = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromB64(sealed.iv) }, await aesKey(raw, "decrypt"), fromB64(sealed.data));
  const plain = await pipe(new Uint8Array(packed), new DecompressionStream("gzip"));
  return JSON.parse(new TextDecoder().decode(plain));
}

async function forgetPending() {
  await chrome.storage.session.remove([PENDING_KEY, PENDING_SEAL_KEY]);
}

/** Counts what merging accounts (JSON) into the vault now would add and skip. The core
 *  reads the accounts strictly, refuses more than Limits.IMPORT_ACCOUNTS of them (too_large),
 *  and validates each one as the vault will (Account.Validate, names within their limits)
 *  and the merged vault as a whole: an error means they cannot be held. accounts in the
 *  answer is the list as the core re-encodes it: what hold() keeps, so that what a page sent
 *  (a lone surrogate, say, which the core reads as U+FFFD but JSON.stringify escapes and the
 *  core then refuses) cannot pass here and fail at apply. */
async function compare(accountsJSON) {
  const v = await store.snapshot();
  const m = await call("importCheck", JSON.stringify(v.accounts), accountsJSON);
  return { accounts: m.accounts, counts: { fresh: m.added, duplicates: m.skipped } };
}

/** Keeps the parsed accounts of result (a bridge import result) and answers with a preview. */
async function hold(result) {
  const sealKey = await store.sealKey(); // this unlock's: see below
  const { accounts, counts } = await compare(result.accounts); // first: nothing the vault would refuse is held
  const incoming = JSON.parse(accounts);
  const token = await call("newID");
  const preview = {
    format: result.format,
    description: result.description,
    encrypted: result.encrypted,
    count: incoming.length,
    accounts: incoming.map((a) => ({ issuer: a.issuer ?? "", name: a.name ?? "", type: a.type })),
    problems: result.problems,
    warnings: result.warnings,
  };
  if (typeof result.codes === "number") preview.codes = result.codes;
  const expires = Date.now() + PENDING_MINUTES * 60_000;
  const { raw, sealed } = await sealPending({ accounts, preview });
  await chrome.storage.session.set({ [PENDING_KEY]: { token, expires, sealed }, [PENDING_SEAL_KEY]: raw });
  // A lock while the lines above awaited has cleared storage.session (and the lock listener
  // below ran) before this write: the held accounts and their key would outlive the unlocked
  // vault. The seal key changes with every unlock and is gone while locked, so a different
  // one now means this hold belongs to a vault session that has ended.
  if (!sealKey || (await store.sealKey()) !== sealKey) {
    const now = await chrome.storage.session.get(PENDING_KEY);
    if (now[PENDING_KEY]?.token === token) await forgetPending();
    throw new CodedError(Errors.LOCKED, "the vault locked while this file was read");
  }
  return { token, ...preview, ...counts };
}

// What a page's worker read (IMPORT_HOLD): at most this much text in all. A 16 MiB export
// reads to a few times its size at worst; runtime messages are capped at 64 MiB.
const MAX_READ_CHARS = 48 << 20;
const FORMAT_NAME = /^[a-z0-9-]{1,40}$/;

/**
 * The parts of an ImportRead (messages.js) that hold() uses, each checked for its type and
 * size; the accounts themselves are checked by compare() in hold().
 * @returns {{format: string, description: string, encrypted: boolean, accounts: string, problems: object[], warnings: string[]}}
 */
function readFile(read) {
  const bad = (what) => new CodedError(Errors.INVALID, `the file read has no valid ${what}`);
  if (!read || typeof read !== "object") throw bad("result");
  const { format, description, encrypted, accounts, problems, warnings } = read;
  if (typeof format !== "string" || !FORMAT_NAME.test(format)) throw bad("format");
  if (typeof description !== "string" || description.length > 200) throw bad("description");
  if (typeof encrypted !== "boolean") throw bad("encrypted flag");
  if (typeof accounts !== "string") throw bad("accounts");
  // Problems and warnings are shown to the person importing, one line each: the tools
  // never send more, or longer, ones (wasm/tools preview()).
  const isText = (x) => typeof x === "string" && x.length <= Limits.IMPORT_NOTE_CHARS;
  if (!Array.isArray(warnings) || warnings.length > Limits.IMPORT_NOTES || !warnings.every(isText)) throw bad("warnings");
  if (
    !Array.isArray(problems) ||
    problems.length > Limits.IMPORT_NOTES ||
    !problems.every((p) => p && Number.isInteger(p.index) && isText(p.label) && isText(p.message) && (p.code == null || isText(p.code)))
  ) {
    throw bad("problems");
  }
  const lines = (list) => list.reduce((n, x) => n + x.length, 0);
  const size = accounts.length + lines(warnings) + lines(problems.map((p) => p.label + p.message));
  if (size > MAX_READ_CHARS) {
    throw new CodedError(Errors.TOO_LARGE, `this file holds too much to import at once (limit ${mib(MAX_READ_CHARS)} of accounts)`);
  }
  return {
    format,
    description,
    encrypted,
    accounts,
    problems: problems.map(({ index, label, message, code }) => ({ index, label, message, code: code ?? "" })),
    warnings: warnings.slice(),
  };
}

/** The held import: {token, accounts (JSON), preview}, or null when there is none. */
async function pending() {
  const got = await chrome.storage.session.get([PENDING_KEY, PENDING_SEAL_KEY]);
  const rec = got[PENDING_KEY];
  if (!rec) return null;
  if (!(rec.expires > Date.now()) || !got[PENDING_SEAL_KEY]) {
    await forgetPending();
    return null;
  }
  try {
    return { token: rec.token, ...(await openPending(rec.sealed, got[PENDING_SEAL_KEY])) };
  } catch {
    await forgetPending(); // a record and a key of two different holds: start over
    return null;
  }
}

// The parsed accounts must not outlive the unlocked vault (lock clears storage.session too;
// this covers a vault that locks while the worker is running).
store.onChange(({ reason }) => {
  if (reason === "lock") forgetPending().catch(() => {});
});

/** Reads the QR codes in an image (a Blob) with the tools: the browser decodes it, they read
 *  grey levels (handed over as bytes, not base64: megabytes of them for a capture). */
async function scan(image) {
  const { grey, width, height } = await greyPixels(image);
  return callTools("qrImport", grey, width, height);
}

/** The tab to scan must be the one showing in its window: that is what can be captured (a PNG Blob). */
async function captureTab(tabId) {
  if (!Number.isInteger(tabId) || tabId < 0) throw new CodedError(Errors.INVALID, "tabId must be a tab id");
  let tab;
  try {
    tab = await chrome.tabs.get(tabId);
  } catch {
    throw new CodedError(Errors.NOT_FOUND, "that tab is gone");
  }
  if (!tab.active) throw new CodedError("not_visible", "the page to scan is not the one showing in its window");
  let url;
  try {
    url = await chrome.tabs.captureVisibleTab(tab.windowId, { format: "png" });
  } catch (e) {
    console.warn("codeward: capture failed:", e && e.message);
    throw new CodedError("no_access", "Codeward may not capture this page");
  }
  const prefix = "data:image/png;base64,";
  if (typeof url !== "string" || !url.startsWith(prefix)) throw new CodedError("no_access", "the capture is empty");
  // Decoded in the script: for a 2 MB capture Uint8Array.fromBase64 (or the loop) took 17–37 ms
  // in Chromium 156 here, fetch(url).blob() 180 ms, Uint8Array.from(atob(…), fn) 0.6–2.7 s.
  let png;
  try {
    png = fromB64(url.slice(prefix.length));
  } catch {
    throw new CodedError("no_access", "the capture is damaged");
  }
  return new Blob([png], { type: "image/png" });
}

// --- export -----------------------------------------------------------------------------

async function exportRun({ masterPassword, format, password, id }) {
  if (!EXPORTS.has(format)) throw new CodedError(Errors.INVALID, "unknown export format");
  await requireUnlocked();
  // Prove it is you: anyone at an unlocked browser could otherwise walk away with every
  // secret. The password is used for this check only and not kept.
  await store.verifyPassword(text(masterPassword, "the master password"));
  const v = await store.snapshot();
  const accounts = v.accounts.slice().sort((x, y) => (x.order ?? 0) - (y.order ?? 0));
  switch (format) {
    case "aegis":
      return { file: await callTools("formatExport", JSON.stringify(accounts), "aegis", optional(password, "the export password")), count: accounts.length };
    case "otpauth":
      return { file: await callTools("formatExport", JSON.stringify(accounts), "otpauth"), count: accounts.length };
    case "google":
      return callTools("googleQRCodes", JSON.stringify(accounts), QR_SIZE);
    case "qr": {
      const a = accounts.find((x) => x.id === id);
      if (typeof id !== "string" || !a) throw new CodedError(Errors.NOT_FOUND, "no such account");
      const uri = await call("formatURI", JSON.stringify(a));
      return { image: await callTools("qrEncode", uri, QR_SIZE), count: 1 };
    }
  }
}

/**
 * The accounts of a held import to merge: those at indices (all when absent), with Sites
 * suggested from their issuers when asked (as the popup's form does for a typed account:
 * only the issuer's known domain, or the issuer when it is a domain).
 */
async function chosen(accounts, indices, suggestSites) {
  if (indices !== undefined && indices !== null) {
    if (!Array.isArray(indices) || !indices.every((i) => Number.isInteger(i) && i >= 0 && i < accounts.length)) {
      throw new CodedError(Errors.INVALID, "indices must name accounts of the preview");
    }
    const pick = new Set(indices);
    accounts = accounts.filter((_, i) => pick.has(i));
  }
  if (suggestSites) {
    for (const a of accounts) {
      if (!a.sites || a.sites.length === 0) {
        const sites = JSON.parse(await call("sitesSuggest", a.issuer ?? "", ""));
        if (sites.length) a.sites = sites;
      }
    }
  }
  return JSON.stringify(accounts);
}

registerHandlers("page", {
  [K.IMPORT_FORMATS]: async () => callTools("formatsList"),

  [K.IMPORT_READ]: async ({ data, format, password }) => {
    await requireUnlocked();
    const r = await callTools("formatImport", base64(data, "the file", MAX_FILE_B64), optional(format, "format"), optional(password, "the file password"));
    return hold(r);
  },

  [K.IMPORT_HOLD]: async ({ read }) => {
    await requireUnlocked();
    return hold(readFile(read));
  },

  [K.IMPORT_SCAN_TAB]: async ({ tabId }) => {
    await requireUnlocked();
    return hold(await scan(await captureTab(tabId)));
  },

  [K.IMPORT_SCAN_IMAGE]: async ({ image }) => {
    await requireUnlocked();
    return hold(await scan(new Blob([fromB64(base64(image, "the image", MAX_IMAGE_B64))])));
  },

  [K.IMPORT_PENDING]: async () => {
    await requireUnlocked();
    const got = await pending();
    if (!got) return null;
    return { token: got.token, ...got.preview, ...(await compare(got.accounts)).counts };
  },

  [K.IMPORT_APPLY]: async ({ token, indices, suggestSites }) => {
    await requireUnlocked();
    const got = await pending();
    if (!got || typeof token !== "string" || got.token !== token) {
      throw new CodedError("expired", "this preview is no longer available");
    }
    const incoming = await chosen(JSON.parse(got.accounts), indices, suggestSites === true);
    const added = [];
    const out = await store.update(
      async (v) => {
        const m = await call("backupMerge", JSON.stringify(v.accounts), incoming, "merge");
        v.accounts = JSON.parse(m.accounts);
        added.push(...m.added);
        return { added: m.added.length, skipped: m.skipped, updated: m.updated.length, total: v.accounts.length };
      },
      "import",
      added, // filled in by the time listeners run
    );
    await forgetPending();
    return out;
  },

  [K.EXPORT_RUN]: exportRun,
});
