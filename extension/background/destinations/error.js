// The one error type destinations throw (see index.js).

/** Why a destination failed and what fixes it: "retry" (try again later; automatic) or
 *  "reconnect" (the user must connect again; no automatic retry helps). */
export class DestinationError extends Error {
  /**
   * @param {"retry"|"reconnect"} fix
   * @param {string} message plain words for people, no secrets
   */
  constructor(fix, message) {
    super(message);
    this.name = "DestinationError";
    this.fix = fix;
  }
}
