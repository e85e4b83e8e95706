// Connecting a destination that needs a sign-in (Google Drive), from an extension page: the
// page holds the user's click, so it asks for host access and opens the sign-in window; the
// background makes the PKCE challenge, exchanges the code and keeps the grant sealed.
import { Kinds, send, CodedError } from "./messages.js";
import { googleSettings, googleOrigins } from "./google.js";

const K = Kinds.page;

let origins = [];
googleSettings().then((g) => {
  origins = googleOrigins(g);
});

/**
 * Connects destination id and returns the AutoStatus after it. Must be called from a click
 * handler before any other await (permissions.request needs the user's gesture).
 * @throws {CodedError} no_access (host access refused), cancelled (sign-in window closed or
 *   refused), or the background's codes
 */
export async function connectDestination(id) {
  const granted = await chrome.permissions.request({ origins });
  if (!granted) throw new CodedError("no_access", "Codeward needs access to Google's servers to keep backups in Google Drive");
  const { url } = await send(K.DEST_CONNECT_START, { dest: id });
  let redirect;
  try {
    redirect = await chrome.identity.launchWebAuthFlow({ url, interactive: true });
  } catch {
    throw new CodedError("cancelled", "Google Drive was not connected: the sign-in window was closed or Google refused");
  }
  return send(K.DEST_CONNECT_FINISH, { dest: id, redirect });
}
