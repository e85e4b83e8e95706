// "Google Drive": OAuth 2.0 authorization code flow with PKCE (S256) through
// identity.launchWebAuthFlow (run by the backup page, which holds the user's click), scope
// drive.file only (Codeward sees only the files it created). Backups go into a
// "Codeward backups" folder it creates, by the Drive v3 multipart upload, tagged with
// appProperties and tracked by file id (Drive allows duplicate names).
//
// The refresh token is this destination's secret: autobackup.js keeps it inside the sealed
// vault. Access tokens live only in this module's memory (a restarted worker refreshes).
// Every URL comes from extension/google.json (shared/google.js).
import { DestinationError } from "./error.js";
import { googleSettings, googleOrigins } from "../../shared/google.js";

const FOLDER_NAME = "Codeward backups";
const FOLDER_MIME = "application/vnd.google-apps.folder";
const TAG = "codeward";
const PKCE_KEY = "drive.pkce"; // storage.session: the verifier and state of a connect in progress

/** @type {{refresh: string, token: string, expires: number}|null} */
let access = null;

const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const randomText = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));

async function config() {
  const g = await googleSettings();
  if (!g.clientId) throw new DestinationError("reconnect", "Google Drive is not set up in this build of Codeward");
  return g;
}

/** fetch that turns a network failure into a retryable DestinationError. */
async function request(url, init, what) {
  try {
    return await fetch(url, { ...init, credentials: "omit", cache: "no-store" });
  } catch (e) {
    const g = await googleSettings();
    const held = await chrome.permissions.contains({ origins: googleOrigins(g) }).catch(() => true);
    if (!held) throw new DestinationError("reconnect", "Codeward no longer has access to Google's servers; connect Google Drive again");
    throw new DestinationError("retry", `could not reach Google Drive to ${what} (offline?)`);
  }
}

function busy(r, what) {
  return new DestinationError("retry", `Google Drive could not ${what} right now (HTTP ${r.status})`);
}

/** Exchanges a grant (code or refresh token) at the token endpoint. */
async function token(params) {
  const g = await config();
  const body = new URLSearchParams({ client_id: g.clientId, ...params });
  if (g.clientSecret) body.set("client_secret", g.clientSecret);
  const r = await request(g.tokenUrl, { method: "POST", body }, "sign in");
  const j = await r.json().catch(() => ({}));
  if (r.ok && j.access_token) return j;
  if (r.status === 429 || r.status >= 500) throw busy(r, "sign in");
  // invalid_grant: revoked, expired, or the user removed Codeward's access.
  throw new DestinationError("reconnect", "Google Drive no longer accepts Codeward's access (it was removed or has expired)");
}

/** A valid access token for ctx's grant; fresh = the last one was refused. */
async function accessToken(ctx, fresh = false) {
  const refresh = ctx.secret && ctx.secret.refresh;
  if (!refresh) throw new DestinationError("reconnect", "Google Drive is not connected");
  if (!fresh && access && access.refresh === refresh && access.expires > Date.now() + 60_000) return access.token;
  const j = await token({ grant_type: "refresh_token", refresh_token: refresh });
  let current = refresh;
  if (j.refresh_token && j.refresh_token !== refresh) {
    current = j.refresh_token; // rotated: keep the new one
    ctx.setSecret({ ...ctx.secret, refresh: current });
  }
  access = { refresh: current, token: j.access_token, expires: Date.now() + (Number(j.expires_in) || 3600) * 1000 };
  return access.token;
}

/** A Drive request with the access token: 401 → one refresh, then once more. */
async function authed(ctx, url, init, what) {
  let t = await accessToken(ctx);
  const go = (tok) => request(url, { ...init, headers: { ...(init.headers || {}), Authorization: `Bearer ${tok}` } }, what);
  let r = await go(t);
  if (r.status === 401) {
    t = await accessToken(ctx, true);
    r = await go(t);
    if (r.status === 401) throw new DestinationError("reconnect", "Google Drive no longer accepts Codeward's access");
  }
  if (r.status === 429 || r.status >= 500) throw busy(r, what);
  if (r.status === 403) {
    const j = await r.clone().json().catch(() => ({}));
    const reason = j.error?.errors?.[0]?.reason ?? "";
    if (reason === "storageQuotaExceeded") throw new DestinationError("retry", "Google Drive is full");
    if (/rateLimit/i.test(reason)) throw busy(r, what);
    throw new DestinationError("reconnect", `Google Drive refused to ${what} (HTTP 403)`);
  }
  return r;
}

const q = (s) => encodeURIComponent(s);

async function findOrCreateFolder(ctx) {
  const g = await config();
  if (ctx.state.folderId) return ctx.state.folderId;
  const query = `mimeType='${FOLDER_MIME}' and appProperties has { key='${TAG}' and value='folder' } and trashed=false`;
  const r = await authed(ctx, `${g.apiUrl}/files?q=${q(query)}&fields=${q("files(id)")}&spaces=drive`, { method: "GET" }, "find its folder");
  if (!r.ok) throw busy(r, "find its folder");
  const found = (await r.json()).files ?? [];
  let id = found[0]?.id;
  if (!id) {
    const c = await authed(
      ctx,
      `${g.apiUrl}/files?fields=id`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json; charset=UTF-8" },
        body: JSON.stringify({ name: FOLDER_NAME, mimeType: FOLDER_MIME, appProperties: { [TAG]: "folder" } }),
      },
      "create its folder",
    );
    if (!c.ok) throw busy(c, "create its folder");
    id = (await c.json()).id;
  }
  if (!id) throw new DestinationError("retry", "Google Drive did not say where the folder is");
  ctx.setState({ folderId: id });
  return id;
}

async function upload(ctx, file, folderId) {
  const g = await config();
  const boundary = `codeward-${randomText(18)}`;
  const meta = { name: file.name, mimeType: "application/json", parents: [folderId], appProperties: { [TAG]: "backup", created: file.created } };
  const body =
    `--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(meta)}\r\n` +
    `--${boundary}\r\nContent-Type: application/json\r\n\r\n${file.text}\r\n--${boundary}--\r\n`;
  return authed(
    ctx,
    `${g.uploadUrl}/files?uploadType=multipart&fields=${q("id,name,size,createdTime")}`,
    { method: "POST", headers: { "Content-Type": `multipart/related; boundary=${boundary}` }, body },
    "save the backup",
  );
}

const stored = (f) => ({ id: f.id, name: f.name ?? "", size: Number(f.size) || 0, created: f.appProperties?.created ?? f.createdTime ?? "" });

/** @type {import("./index.js").Destination & {connectStart: Function, connectFinish: Function}} */
export const drive = {
  id: "drive",
  label: "Google Drive",
  needsConnection: true,

  async available() {
    const g = await googleSettings();
    if (!g.clientId) return { ready: false, why: "Google Drive is not set up in this build of Codeward (no OAuth client id)" };
    if (!chrome.identity || !chrome.identity.getRedirectURL) return { ready: false, why: "this browser does not offer sign-in for extensions" };
    return { ready: true };
  },

  async save(file, ctx) {
    let folderId = await findOrCreateFolder(ctx);
    let r = await upload(ctx, file, folderId);
    if (r.status === 404) {
      // The folder was deleted: make a new one, once.
      ctx.setState({ folderId: null });
      ctx.state = { ...ctx.state, folderId: null };
      folderId = await findOrCreateFolder(ctx);
      r = await upload(ctx, file, folderId);
    }
    if (!r.ok) throw busy(r, "save the backup");
    const j = await r.json().catch(() => ({}));
    // Confirmed only with the file's id in a success reply.
    if (!j.id) throw new DestinationError("retry", "Google Drive did not confirm the file");
    return { id: j.id, name: j.name ?? file.name, size: Number(j.size) || file.text.length, created: file.created };
  },

  async remove(ids, ctx) {
    const g = await config();
    const gone = [];
    for (const id of ids) {
      const r = await authed(ctx, `${g.apiUrl}/files/${q(id)}`, { method: "DELETE" }, "remove an old backup").catch(() => null);
      if (r && (r.ok || r.status === 404)) gone.push(id);
    }
    return gone;
  },

  async list(ctx) {
    const g = await config();
    const query = `appProperties has { key='${TAG}' and value='backup' } and trashed=false`;
    const r = await authed(
      ctx,
      `${g.apiUrl}/files?q=${q(query)}&orderBy=${q("createdTime desc")}&pageSize=100&fields=${q("files(id,name,size,createdTime,appProperties)")}&spaces=drive`,
      { method: "GET" },
      "list the backups",
    );
    if (!r.ok) throw busy(r, "list the backups");
    const files = ((await r.json()).files ?? []).map(stored);
    return files.sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
  },

  async fetch(id, ctx) {
    const g = await config();
    const r = await authed(ctx, `${g.apiUrl}/files/${q(id)}?alt=media`, { method: "GET" }, "read the backup");
    if (r.status === 404) throw new DestinationError("retry", "that backup is no longer in Google Drive");
    if (!r.ok) throw busy(r, "read the backup");
    return r.text();
  },

  async disconnect(secret) {
    access = null;
    if (!secret || !secret.refresh) return;
    const g = await googleSettings();
    // Best effort: revoking also ends every access token of the grant. Forgetting happens
    // whatever Google answers.
    await fetch(g.revokeUrl, { method: "POST", body: new URLSearchParams({ token: secret.refresh }), credentials: "omit" }).catch(() => {});
  },

  /** Starts a connect: returns the authorization URL for launchWebAuthFlow (PKCE S256). */
  async connectStart() {
    const g = await config();
    const verifier = randomText(48);
    const state = randomText(18);
    const challenge = b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
    await chrome.storage.session.set({ [PKCE_KEY]: { verifier, state, at: Date.now() } });
    const u = new URL(g.authUrl);
    u.search = new URLSearchParams({
      client_id: g.clientId,
      redirect_uri: chrome.identity.getRedirectURL(),
      response_type: "code",
      scope: g.scope,
      code_challenge: challenge,
      code_challenge_method: "S256",
      state,
      access_type: "offline",
      prompt: "consent",
    }).toString();
    return u.toString();
  },

  /** Finishes a connect with the URL the auth flow redirected to; returns the secret. */
  async connectFinish({ redirect }) {
    const got = (await chrome.storage.session.get(PKCE_KEY))[PKCE_KEY];
    await chrome.storage.session.remove(PKCE_KEY);
    if (!got) throw new DestinationError("reconnect", "the Google sign-in took too long; connect again");
    let params;
    try {
      params = new URL(redirect).searchParams;
    } catch {
      throw new DestinationError("reconnect", "Google's answer could not be read; connect again");
    }
    if (params.get("state") !== got.state) throw new DestinationError("reconnect", "Google's answer did not match this sign-in; connect again");
    if (params.get("error")) throw new DestinationError("reconnect", `Google Drive was not connected (${params.get("error")})`);
    const code = params.get("code");
    if (!code) throw new DestinationError("reconnect", "Google's answer had no authorization code; connect again");
    const j = await token({ grant_type: "authorization_code", code, code_verifier: got.verifier, redirect_uri: chrome.identity.getRedirectURL() });
    if (!j.refresh_token) throw new DestinationError("reconnect", "Google did not grant lasting access; connect again");
    access = { refresh: j.refresh_token, token: j.access_token, expires: Date.now() + (Number(j.expires_in) || 3600) * 1000 };
    return { refresh: j.refresh_token };
  },
};
