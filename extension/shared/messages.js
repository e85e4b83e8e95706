// The one message protocol between extension pages, content scripts and the background.
//
// A message is {kind, payload}; the reply is {ok: true, value} or
// {ok: false, error: {code, message}}. The background accepts a kind only from the tier it
// is listed under: `page` kinds only from this extension's own pages (popup, backup, import
// pages), `content` kinds only from content scripts in tabs. Anything else is rejected.
// Add new kinds here (one line each, with the payload type), then register a handler with
// registerHandlers() in a background module.

/**
 * @typedef {"none"|"locked"|"unlocked"} VaultState
 * @typedef {{autoLockMinutes: number, lockOnScreenLock: boolean}} Settings
 *   autoLockMinutes: 0.1–1440 (the popup offers 1, 5, 15, 60; fractions exist for tests), or
 *   0: lock only when the browser closes.
 * @typedef {{type: "totp"|"hotp"|"steam", issuer: string, name: string, secret: string,
 *   algorithm: "SHA1"|"SHA256"|"SHA512", digits: number, period?: number, counter?: number}} AccountInput
 *   secret: base32 as typed (spaces, dashes, lower case are fine). Never sent back to pages
 *   except from otp.parseURI, which only echoes what the user pasted.
 * @typedef {{id: string, type: string, issuer: string, name: string, algorithm: string,
 *   digits: number, period?: number, counter?: number, order: number, sites: string[]}} AccountView
 *   An account as pages see it: everything but the secret.
 * @typedef {{step?: number, codes: string}|{error: {code: string, message: string}}} CodeEntry
 *   codes: the account's codes back to back, `digits` characters each. TOTP/Steam: the i-th
 *   is the code for time step step+i (step = floor(unix / period)); HOTP (no step): the one
 *   code at the account's counter.
 * @typedef {{state: VaultState, rev: string, accounts: AccountView[], codes: Object<string, CodeEntry>,
 *   settings: Settings|null, computedAt: number, validUntil?: number, recovered?: RecoveryNotice}} View
 *   What the popup paints. rev names this View (a new one after every change); validUntil
 *   (unix seconds): when the first account runs out of codes. The background rebuilds the
 *   View when the vault changes and before validUntil — never because a popup opened — and
 *   keeps it, sealed with the per-unlock key of shared/session-seal.js, in storage.session
 *   under VIEW_KEY while unlocked, so a popup paints before the worker wakes up and open
 *   popups see every change. Codes per account are bounded (fewer steps for large vaults)
 *   so that it fits storage.session at 10,000 accounts. recovered: present when the vault
 *   was opened from its previous copy; the popup must say so until the person dismisses it
 *   (DISMISS_NOTICE).
 * @typedef {View & {head: true, total: number}} ViewHead
 *   The first rows of View rev (as many as the popup's first screen shows, and a margin) with
 *   their codes, everything else of the View but the other accounts, and total: how many
 *   accounts the View has. Sealed separately under VIEW_HEAD_KEY in the same write as the
 *   View, so a popup paints its first screen without reading the whole View.
 * @typedef {{same: true, state: VaultState, rev: string}} SameView
 *   The reply to STATE/VIEW when the page already has View rev (payload `have`).
 * @typedef {{at: string, missing: boolean}} RecoveryNotice
 *   The current stored copy of the vault did not open (or was missing: missing true), so the
 *   previous copy was opened and made current: the last change may be missing.
 * @typedef {{state: VaultState, accounts: number|null, aside: {at: string, accounts: number|null}|null}} RecoveryStatus
 *   accounts: how many accounts this browser's vault holds, known while locked (counted at
 *   its last open or write; null if unknown). aside: the vault set aside, if any.
 * @typedef {{state: VaultState, accounts: number|null, changed: number, last: string|null,
 *   askWhereToSave: boolean, undo: {count: number, at: string}|null}} BackupStatus
 *   changed: accounts added, edited or deleted since the last backup (also while locked).
 * @typedef {{created: string, count: number, accounts: {issuer: string, name: string, type: string}[],
 *   problems: {index: number, label: string, message: string}[], state: VaultState,
 *   current?: number, fresh?: number, duplicates?: number}} RestorePreview
 *   current/fresh/duplicates only while unlocked: accounts now, that a merge would add, that it would skip.
 * @typedef {{fix: "retry"|"reconnect", message: string, at: string}} AutoProblem
 * @typedef {{id: string, label: string, on: boolean, connected: boolean, needsConnection: boolean,
 *   ready: boolean, why?: string, last: string|null, files: number, problem: AutoProblem|null}} AutoDestination
 * @typedef {{state: VaultState, on: boolean, delaySeconds: number, keep: number,
 *   last: {at: string, to: string[]}|null, changed: number, destinations: AutoDestination[],
 *   next: number|null}} AutoStatus
 *   last: the latest backup a destination confirmed, and the destinations' labels;
 *   next: when the next attempt is due (ms since epoch) or null.
 * @typedef {{id: string, name: string, size: number, created: string}} StoredFile
 * @typedef {{token: string, format: string, description: string, encrypted: boolean, codes?: number,
 *   count: number, accounts: {issuer: string, name: string, type: string}[],
 *   problems: {index: number, label: string, message: string}[], warnings: string[],
 *   fresh: number, duplicates: number}} ImportPreview
 *   What an import would bring in (no secrets); token names it for IMPORT_APPLY. codes: QR codes found.
 * @typedef {{format: string, description: string, encrypted: boolean, accounts: string,
 *   problems: {index: number, label: string, message: string, code?: string}[], warnings: string[]}} ImportRead
 *   A file read by the import page's worker (extension/import/read-worker.js: formatImport of
 *   wasm/tools, where an encrypted file's KDF runs). accounts: JSON of the accounts read, with
 *   their secrets; the background checks each one again (as the vault will) before holding it,
 *   and holds them as the core re-encodes them. At most Limits.IMPORT_ACCOUNTS accounts, and
 *   Limits.IMPORT_NOTES problems and warnings of Limits.IMPORT_NOTE_CHARS characters each.
 * @typedef {{file?: string, count?: number, codes?: {image: string, count: number}[],
 *   skipped?: {label: string, message: string}[], image?: string}} ExportResult
 *   aegis/otpauth: file (text) and count; google: codes (PNG base64, accounts in each) and the
 *   accounts left out; qr: image (PNG base64) of the one account.
 */

/**
 * Size limits of what pages hand to the background, in bytes of the file unless said otherwise. Pages check them
 * before reading a file, so a person hears "too large (limit 16 MiB)" at once — never the
 * browser's own "Message exceeded maximum allowed size" (runtime messages are capped at
 * 64 MiB) — and the background checks them again.
 */
export const Limits = Object.freeze({
  IMPORT_FILE: 16 << 20, // the core's bound on an authenticator export (wasm/tools)
  IMPORT_IMAGE: 32 << 20, // the bound on a QR code image file
  IMPORT_IMAGE_PIXELS: 40_000_000, // and on its pixels once decoded (internal/qr.MaxPixels)
  IMPORT_IMAGE_SIDE: 16_384, // and on each side: the largest canvas the browsers draw on
  BACKUP_FILE: 16 << 20, // the backup format's bound (docs/backup-format.md)
  // An import's accounts (internal/restore.MaxImport, checked by the core's importCheck):
  // far above any real export, and enough for a 20,000-account vault from another browser.
  IMPORT_ACCOUNTS: 20_000,
  // An import's problems and warnings, each at most this many characters: the tools list at
  // most IMPORT_NOTES of each (then one line counting the rest) and cut longer lines, so that
  // a read a page hands over (IMPORT_HOLD) beyond these is refused, not shown.
  IMPORT_NOTES: 1_000,
  IMPORT_NOTE_CHARS: 500,
});

/** "16 MiB": a limit as people read it. */
export const mib = (bytes) => `${Math.round(bytes / (1 << 20))} MiB`;

/** storage.session keys of the cached, sealed View and of its head (present only while
 *  unlocked; see ViewHead). */
export { VIEW_KEY, VIEW_HEAD_KEY } from "./session-seal.js";

export const Kinds = Object.freeze({
  page: Object.freeze({
    /** {have?: string} → View|SameView (state "none" or "locked": no accounts, no codes).
     *  have: the rev of the View the page shows already. */
    STATE: "vault.state",
    /** {password: string} → ViewHead (the whole View follows: VIEW). Error codes:
     *  weak_password (with reason), exists. */
    CREATE: "vault.create",
    /** {password: string} → ViewHead: the first rows, as soon as they have codes; the whole
     *  View follows in storage.session and from VIEW. Error codes: wrong_password, no_vault, corrupt. */
    UNLOCK: "vault.unlock",
    /** {} → View (locked) */
    LOCK: "vault.lock",
    /** {current: string, next: string} → {} . Error codes: wrong_password, weak_password (with reason). */
    CHANGE_PASSWORD: "vault.changePassword",
    // Recovery (extension/background/recovery.js): a forgotten master password, or a vault
    // whose stored copies are all damaged. Setting the vault aside keeps it sealed in
    // storage.local; the browser then has no vault, so a backup restores into a new one.
    /** {} → RecoveryStatus (works locked) */
    RECOVERY_STATUS: "vault.recoveryStatus",
    /** {confirm: true} → RecoveryStatus. Locks, then sets the vault aside. Error codes: no_vault, aside_exists. */
    SET_ASIDE: "vault.setAside",
    /** {password: string} → View: the vault set aside becomes this browser's vault again,
     *  unlocked; a vault made meanwhile is set aside in its place. Error codes: no_aside, wrong_password, corrupt. */
    OPEN_ASIDE: "vault.openAside",
    /** {confirm: true} → RecoveryStatus: deletes the vault set aside for good. Error code: no_aside. */
    DELETE_ASIDE: "vault.deleteAside",
    /** {} → View (fresh, without the notice): the person has read the View's recovered notice. */
    DISMISS_NOTICE: "vault.dismissNotice",
    /** {have?: string} → View|SameView with codes that last a while yet */
    VIEW: "accounts.view",
    /** {account: AccountInput} → View. Error codes: invalid. */
    ADD: "accounts.add",
    /** {id: string, account: AccountInput} → View. An empty secret keeps the current one. */
    UPDATE: "accounts.update",
    /** {id: string} → View */
    DELETE: "accounts.delete",
    /** {ids: string[]} (every id exactly once, in the new order) → View */
    REORDER: "accounts.reorder",
    /** {id: string} → View; advances an HOTP account's counter by one */
    HOTP_NEXT: "accounts.hotpNext",
    /** {uri: string} → AccountInput (with the secret from the URI) */
    PARSE_URI: "otp.parseURI",
    /** {} → Settings */
    SETTINGS_GET: "settings.get",
    /** {settings: Partial<Settings>} → Settings */
    SETTINGS_SET: "settings.set",
    // Backups and restores (extension/background/backup.js). Backup files cross as their
    // JSON text. Restore error codes: wrong_password, corrupt, not_backup, too_large,
    // unsupported_version, kdf_params.
    /** {} → BackupStatus */
    BACKUP_STATUS: "backup.status",
    /** {} → {password: string}: a strong, easy-to-type backup password suggestion */
    BACKUP_SUGGEST: "backup.suggestPassword",
    /** {password: string} → {bits: number, verdict: "weak"|"fair"|"strong", hint: string,
     *  reason: "empty"|"common"|"short"|"guessable"|"fair"|"strong"}; the master password's
     *  strength hint uses it too (the same rules). */
    BACKUP_JUDGE: "backup.judgePassword",
    /** {askWhereToSave: boolean} → BackupStatus */
    BACKUP_SETTINGS: "backup.settings",
    /** {masterPassword: string, backupPassword: string} → {file: string, seq: number, count: number}.
     *  Error codes: wrong_password (master), weak_password, locked. */
    BACKUP_CREATE: "backup.create",
    /** {seq: number} (from BACKUP_CREATE) → BackupStatus; the file was saved: clears the reminder */
    BACKUP_DONE: "backup.done",
    /** {file: string, key: string} or {file: string, password: string} → RestorePreview. key is
     *  the file's key from the restore page's worker (extension/backup/key-worker.js): then the
     *  background runs no KDF. */
    RESTORE_PREVIEW: "backup.preview",
    /** {file: string, key|password: string, mode: "merge"|"replace"|"create", masterPassword?: string}
     *  → {mode, added: number, skipped: number, total: number}; "create" (no vault yet) needs masterPassword */
    RESTORE_APPLY: "backup.restore",
    /** {} → {total: number}: puts back the accounts the last replace removed. Error code: no_undo. */
    RESTORE_UNDO: "backup.undoReplace",
    // Automatic backups (extension/background/autobackup.js, destinations/*). dest is a
    // destination id: "downloads", "drive" (and "server"). Error codes: not_set_up,
    // weak_password, wrong_password, not_available, not_connected, destination (with the
    // destination's plain message), locked.
    /** {} → AutoStatus */
    AUTO_STATUS: "auto.status",
    /** {masterPassword: string, backupPassword: string, destinations: Object<string, boolean>}
     *  → AutoStatus. Derives the backup key once (Argon2id) and keeps it in the sealed vault;
     *  also how the backup password is changed. */
    AUTO_SETUP: "auto.setup",
    /** {masterPassword: string} → AutoStatus: forgets the key and stops automatic backups */
    AUTO_OFF: "auto.off",
    /** {destinations?: Object<string, boolean>, keep?: number (1–100), delaySeconds?: number (1–3600)}
     *  → AutoStatus. delaySeconds: quiet time after the last change before a backup (60). */
    AUTO_CONFIG: "auto.config",
    /** {} → AutoStatus after a backup to every destination that is on ("Back up now") */
    AUTO_RUN: "auto.run",
    /** {dest: string} → {url: string}: the page opens url with identity.launchWebAuthFlow */
    DEST_CONNECT_START: "auto.connectStart",
    /** {dest: string, redirect?: string, connection?: string} → AutoStatus. Without a vault
     *  yet (a restore on a new install) the grant is held in memory until the vault exists. */
    DEST_CONNECT_FINISH: "auto.connectFinish",
    /** {dest: string} → AutoStatus: revokes the grant and forgets it */
    DEST_DISCONNECT: "auto.disconnect",
    /** {dest: string} → StoredFile[] newest first: the backups there, for the restore page */
    DEST_LIST: "auto.list",
    /** {dest: string, id: string} → {file: string}: one backup's text, for RESTORE_PREVIEW */
    DEST_FETCH: "auto.fetch",
    // Autofill (extension/background/autofill.js). tabId: the tab to act on (the popup's
    // target tab); the background reads its URL itself.
    /** {tabId: number, issuer: string} → {sites: string[], offer: string|null}: sites the issuer
     *  names for sure (its known domain, or the issuer itself when it is a domain), and the
     *  tab's site when it is related to the issuer — to offer, never to add by itself. */
    AUTOFILL_SUGGEST: "autofill.suggest",
    /** {id: string, tabId: number, confirmed?: boolean, confirmedPage?: string} → FillResult.
     *  confirmed: the user accepted filling on confirmedPage (the site the warning named),
     *  which is not one of the account's sites; a tab now on another site is asked about again. */
    AUTOFILL_FILL: "autofill.fill",
    /** {} → {autoFill: boolean, origins: string[], granted: boolean}: origins are the match
     *  patterns of every bound site (what automatic fill needs); granted: all are held. */
    AUTOFILL_SETTINGS_GET: "autofill.settings",
    /** {autoFill: boolean} → {autoFill: boolean} */
    AUTOFILL_SETTINGS_SET: "autofill.setSettings",
    // Import and export (extension/background/imports.js). Files and images cross as base64.
    // Import error codes: password_required, wrong_password, unknown_format, unsupported,
    // unreadable, kdf_params, no_qr, not_image, no_accounts, not_visible, no_access, expired.
    /** {} → {name: string, description: string, import: boolean, export: boolean}[] */
    IMPORT_FORMATS: "import.formats",
    /** {data: string, format?: string ("auto"), password?: string} → ImportPreview. The import
     *  page sends an encrypted file (a password given) to its worker instead, then IMPORT_HOLD;
     *  this path, whose KDF would block the background, is its fallback where no worker runs. */
    IMPORT_READ: "import.read",
    /** {read: ImportRead} → ImportPreview: holds what the page's worker read (no KDF runs here).
     *  Error codes: invalid (an account the vault would refuse), too_large. */
    IMPORT_HOLD: "import.hold",
    /** {tabId: number} → ImportPreview of the QR codes visible in that tab */
    IMPORT_SCAN_TAB: "import.scanTab",
    /** {image: string} (PNG, JPEG, GIF, WebP or BMP) → ImportPreview of its QR codes */
    IMPORT_SCAN_IMAGE: "import.scanImage",
    /** {} → ImportPreview|null: the latest preview not yet imported (e.g. a scan from the popup) */
    IMPORT_PENDING: "import.pending",
    /** {token: string, indices?: number[], suggestSites?: boolean} → {added: number, skipped: number,
     *  updated: number, total: number}. indices: only those accounts of the preview;
     *  suggestSites: give accounts without Sites the ones their issuer names (the popup's scans). */
    IMPORT_APPLY: "import.apply",
    /** {masterPassword: string, format: "aegis"|"otpauth"|"google"|"qr", password?: string, id?: string}
     *  → ExportResult. Error codes: wrong_password (master), nothing_to_export, not_found. */
    EXPORT_RUN: "export.run",
  }),
  content: Object.freeze({
    /** {offer?: string, auto?: boolean, boxes: number} → {code: string}|null. offer: the id a
     *  user-started fill handed to the frame; auto: the page shows a code field. The
     *  background checks the sender's frame and tab URLs against the account's sites. */
    AUTOFILL_REQUEST: "autofill.request",
  }),
});

/**
 * @typedef {{status: "filled"|"no_field"|"confirm"|"no_access", page?: string, sites?: string[]}} FillResult
 *   confirm: the page (its site in `page`) is not one of the account's `sites`; nothing was
 *   sent. no_access: the extension cannot reach the tab (a browser page, or no permission).
 */

/** Error codes the background uses besides the core's (see wasm/register.go). */
export const Errors = Object.freeze({
  LOCKED: "locked",
  NO_VAULT: "no_vault",
  EXISTS: "exists",
  UNKNOWN_KIND: "unknown_kind",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "not_found",
  INVALID: "invalid",
  WRONG_PASSWORD: "wrong_password",
  WEAK_PASSWORD: "weak_password",
  INTERNAL: "internal",
  TOO_LARGE: "too_large",
});

/**
 * An error with a stable code, thrown by send() and by the background's handlers. reason, when
 * given, refines the code for wording (weak_password: passgen's reason, e.g. "short").
 */
export class CodedError extends Error {
  constructor(code, message, reason) {
    super(message);
    this.name = "CodedError";
    this.code = code;
    if (reason) this.reason = reason;
  }
}

/**
 * Sends a message from an extension page and returns the reply's value.
 * @param {string} kind one of Kinds.page
 * @param {object} [payload]
 * @throws {CodedError}
 */
export async function send(kind, payload = {}) {
  let reply;
  try {
    reply = await chrome.runtime.sendMessage({ kind, payload });
  } catch (e) {
    // The browser's own words ("Error in invocation of runtime.sendMessage(…)") are no use to
    // a person; pages check sizes first, so this is the last line of defence.
    console.warn("codeward: sending", kind, "failed:", e && e.message);
    if (/maximum allowed size/i.test(String(e && e.message))) {
      throw new CodedError(Errors.TOO_LARGE, "this is too large to hand to Codeward's background (limit 64 MiB)");
    }
    throw new CodedError(Errors.INTERNAL, "Codeward's background did not answer; reload this page and try again");
  }
  if (!reply || typeof reply.ok !== "boolean") {
    throw new CodedError(Errors.INTERNAL, "no reply from the background");
  }
  if (!reply.ok) throw new CodedError(reply.error.code, reply.error.message, reply.error.reason);
  return reply.value;
}
