// The connection string of "Your own server" (README "Your own backup server"): the
// server's address with its token in the fragment, e.g.
//   https://codeward-backups.example.workers.dev/#3f9c…(64 hex digits)
// The fragment never leaves the browser in a request, so the token reaches no log when the
// address is opened by mistake. Read by the automatic backups page (to ask for host access
// from the click) and by the background destination (to connect); kept only inside the
// sealed vault.

export const MIN_TOKEN_LENGTH = 32; // the server refuses shorter secrets

/**
 * @typedef {{base: string, origin: string, pattern: string, token: string}} ServerConnection
 *   base: the address requests go to (no trailing slash, no fragment); origin: for
 *   messages; pattern: the host permission to ask for (match patterns carry no port).
 */

/**
 * Reads a connection string. Returns {ok: true, connection} or {ok: false, message} with
 * the problem in plain words (never the token).
 * @param {string} text
 * @returns {{ok: true, connection: ServerConnection} | {ok: false, message: string}}
 */
export function parseConnection(text) {
  const bad = (message) => ({ ok: false, message });
  const s = typeof text === "string" ? text.trim() : "";
  if (!s) return bad("Paste the connection string of your server.");
  let u;
  try {
    u = new URL(s);
  } catch {
    return bad("That is not a web address. The connection string looks like https://codeward-backups.NAME.workers.dev/#TOKEN.");
  }
  const local = u.hostname === "127.0.0.1" || u.hostname === "localhost" || u.hostname === "[::1]";
  if (u.protocol !== "https:" && !(u.protocol === "http:" && local)) {
    return bad("The server's address must start with https:// (plain http only works for this computer).");
  }
  if (u.username || u.password) return bad("The address must not hold a user name or password; the token goes after the #.");
  if (u.search) return bad("The address must not have a ?query; the token goes after the #.");
  let token = "";
  try {
    token = decodeURIComponent(u.hash.slice(1));
  } catch {
    return bad("The token after the # is not readable.");
  }
  if (!token) return bad("The connection string has no token: add # and the TOKEN secret you gave the server.");
  if (token.length < MIN_TOKEN_LENGTH || /[\s\x00-\x1f\x7f]/.test(token)) {
    return bad(`The token after the # must be the server's TOKEN secret: at least ${MIN_TOKEN_LENGTH} characters, no spaces.`);
  }
  const base = u.origin + u.pathname.replace(/\/+$/, "");
  return {
    ok: true,
    connection: { base, origin: u.origin, pattern: `${u.protocol}//${u.hostname}/*`, token },
  };
}
