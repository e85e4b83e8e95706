// Where automatic backups go. Every destination is one module that exports a Destination;
// autobackup.js (the only caller) writes the file once, hands it to each destination the
// user turned on, and counts a backup as made only when the destination confirms that it
// holds the file. Adding a destination (for example "Your own server") is: write a module
// with this shape, add it to DESTINATIONS below, add its checkbox to the form.
//
// What autobackup.js does for every destination, so destinations do not:
// - keeps its non-secret state in the sealed vault's settings (settings.auto.dests[id]:
//   on, files written with their ids, the last success and problem) and its secret (token,
//   refresh token, connection string) in settings.secrets[id] — never shown to any page;
// - retention: after a save, removes the oldest files it recorded beyond "keep" (default
//   10) through remove(); a destination never deletes anything it did not write;
// - retries with backoff after a failure, and shows the failure and its fix in the popup.
import { downloads } from "./downloads.js";
import { drive } from "./drive.js";
import { server } from "./server.js";

export { DestinationError } from "./error.js";

/**
 * @typedef {{name: string, text: string, created: string}} BackupFile
 *   name: "codeward-backup-2026-12-06-04-55-12.json" (local time, unique to the second);
 *   text: the backup file (JSON text, already encrypted); created: ISO time.
 * @typedef {{id: string, name: string, size: number, created: string}} StoredFile
 *   id: the destination's own id for the file (downloads id, Drive file id, object name).
 * @typedef {object} Context
 * @property {object} state   this destination's non-secret state (read-only here)
 * @property {any} secret     what connect() returned as secret (null when not connected)
 * @property {(secret: any) => void} setSecret  replace the secret (a refreshed grant);
 *   autobackup.js seals it with the outcome of the operation
 * @typedef {object} Destination
 * @property {string} id      stable id kept in settings ("downloads", "drive", "server")
 * @property {string} label   what people see ("Downloads folder", "Google Drive")
 * @property {boolean} needsConnection  true when it holds a secret and must be connected
 * @property {() => Promise<{ready: boolean, why?: string}>} available  whether this build
 *   and browser can use it at all (e.g. no OAuth client id in this build)
 * @property {(file: BackupFile, ctx: Context) => Promise<StoredFile>} save  resolves only
 *   once the destination confirms it holds the whole file; rejects with DestinationError
 * @property {(ids: string[], ctx: Context) => Promise<string[]>} remove  deletes files it
 *   wrote; resolves with the ids that are gone (already missing counts as gone)
 * @property {(ctx: Context) => Promise<StoredFile[]>} [list]  backups there, newest first
 *   (the restore page); absent when the browser cannot list them
 * @property {(id: string, ctx: Context) => Promise<string>} [fetch]  a file's text
 * @property {(secret: any) => Promise<void>} [disconnect]  revokes what connect granted
 * @property {() => Promise<string>} [connectStart]  for a sign-in in a browser window: the URL
 *   the page opens with identity.launchWebAuthFlow
 * @property {(payload: object) => Promise<any>} [connectFinish]  takes the DEST_CONNECT_FINISH
 *   payload ({redirect} after a sign-in, {connection} for a pasted connection string),
 *   checks that the destination answers, and returns the secret to keep in the vault
 */

/** @type {Destination[]} in the order the form lists them */
export const DESTINATIONS = [downloads, drive, server];

/** @returns {Destination|undefined} */
export function destination(id) {
  return DESTINATIONS.find((d) => d.id === id);
}
