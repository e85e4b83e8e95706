// The backup reminder state kept in the sealed vault's settings under "backup". Shared by
// the background (which writes it) and the popup (which shows the reminder from its View).

/**
 * @typedef {{kind: "added"|"edited"|"deleted", seq: number}} Change
 * @typedef {{changes: Object<string, Change>, seq: number, last: string|null,
 *   askWhereToSave: boolean, undo?: {count: number, at: string}}} BackupState
 *   changes: accounts changed since the last backup, by id; seq numbers every change so
 *   that a backup clears only what it contains. last: when the last backup was saved.
 *   undo: set by a replace, until the next change.
 */

/** @returns {BackupState} the backup state in settings, with defaults filled in. */
export function backupState(settings) {
  const b = (settings && settings.backup) || {};
  const out = {
    changes: { ...(b.changes ?? {}) },
    seq: Number.isInteger(b.seq) ? b.seq : 0,
    last: typeof b.last === "string" ? b.last : null,
    askWhereToSave: b.askWhereToSave !== false,
  };
  if (b.undo) out.undo = b.undo;
  return out;
}

/** The number of accounts changed since the last backup. */
export function pendingCount(settings) {
  return Object.keys(backupState(settings).changes).length;
}
