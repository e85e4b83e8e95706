// The Google settings of this build, in one place: the OAuth client id (a build setting:
// `make dist` writes CODEWARD_GOOGLE_CLIENT_ID into extension/google.json; an empty id means
// "Google Drive is not set up in this build") and every endpoint Codeward calls. Tests point
// the endpoints at a local double by replacing google.json in a test copy of the extension.

/**
 * @typedef {{clientId: string, clientSecret: string, authUrl: string, tokenUrl: string,
 *   revokeUrl: string, apiUrl: string, uploadUrl: string, scope: string}} GoogleSettings
 *   clientSecret: only for a client type that requires one; it is not secret in a shipped
 *   extension, and PKCE is what protects the authorization code.
 */

let loading = null;

/** @returns {Promise<GoogleSettings>} */
export function googleSettings() {
  loading ??= fetch(chrome.runtime.getURL("extension/google.json"))
    .then((r) => r.json())
    .catch(() => {
      loading = null;
      return { clientId: "" };
    });
  return loading;
}

/** The host permission patterns Drive needs (the token, revoke and Drive API origins). */
export function googleOrigins(g) {
  const out = new Set();
  for (const u of [g.tokenUrl, g.revokeUrl, g.apiUrl, g.uploadUrl]) {
    try {
      const url = new URL(u);
      out.add(`${url.protocol}//${url.hostname}/*`);
    } catch {
      // a malformed build setting: nothing to ask for
    }
  }
  return [...out];
}
