// "Your own server": the backup server of wasm/server, deployed by the user to their own
// Cloudflare account (README "Your own backup server"). Its secret is {base, token} from
// the connection string (shared/server-connection.js), kept by autobackup.js inside the
// sealed vault. Requests go only to that address, with the host access the user granted to
// exactly that origin from the automatic backups page.
//
// The server answers JSON errors with stable codes (internal/backupserver); a 401 carrying
// "WWW-Authenticate: Bearer" is a wrong token, anything else that is not the server's JSON
// means the address is not a Codeward backup server.
import { DestinationError } from "./error.js";
import { parseConnection } from "../../shared/server-connection.js";

const LABEL = "your server";

/** The parts of a secret, checked: a vault written by an older version may hold anything. */
function endpoint(ctx) {
  const s = ctx && ctx.secret;
  if (!s || typeof s.base !== "string" || typeof s.token !== "string") {
    throw new DestinationError("reconnect", "Your own server is not connected");
  }
  return s;
}

function patternOf(base) {
  const u = new URL(base);
  return `${u.protocol}//${u.hostname}/*`;
}

/** fetch with the token; a network failure becomes a DestinationError saying why. */
async function request(s, path, init = {}) {
  const url = s.base + path;
  try {
    return await fetch(url, {
      ...init,
      headers: { ...(init.headers || {}), Authorization: `Bearer ${s.token}` },
      credentials: "omit",
      cache: "no-store",
      redirect: "error", // the token is for this address only
    });
  } catch {
    const held = await chrome.permissions.contains({ origins: [patternOf(s.base)] }).catch(() => true);
    const origin = new URL(s.base).origin;
    if (!held) {
      throw new DestinationError("reconnect", `Codeward has no access to ${origin}: connect your server again and allow access when the browser asks`);
    }
    throw new DestinationError("retry", `could not reach your server at ${origin} (offline, or the server is down)`);
  }
}

/** The server's error code, or null when the reply is not the server's JSON error. */
async function codeOf(r) {
  try {
    const j = await r.json();
    return j && typeof j.error === "string" ? j.error : null;
  } catch {
    return null;
  }
}

/** Turns a reply that is not what was asked for into a DestinationError in plain words. */
async function failure(r, what) {
  const code = await codeOf(r);
  const bearer = /^\s*bearer\b/i.test(r.headers.get("WWW-Authenticate") || "");
  if (r.status === 401 && bearer) {
    return new DestinationError("reconnect", "your server refused the token: the connection string does not hold the server's current TOKEN");
  }
  if (code === "server_not_configured") {
    return new DestinationError("reconnect", "your server is not set up yet: give it a TOKEN secret of at least 32 characters (npx wrangler@4 secret put TOKEN), then connect again");
  }
  if (code === "too_large") {
    return new DestinationError("reconnect", "the backup is larger than your server accepts (its MAX_BYTES setting)");
  }
  if (r.status === 429 || r.status >= 500) {
    return new DestinationError("retry", `your server could not ${what} right now (HTTP ${r.status})`);
  }
  if (!code) {
    return new DestinationError("reconnect", "that address is not a Codeward backup server (wrong address?): check the connection string");
  }
  return new DestinationError("retry", `your server could not ${what} (${code}, HTTP ${r.status})`);
}

/** @returns {Promise<import("./index.js").StoredFile[]>} */
async function listAt(s) {
  const r = await request(s, "/backups", { method: "GET" });
  if (!r.ok) throw await failure(r, "list the backups");
  let j;
  try {
    j = await r.json();
  } catch {
    j = null;
  }
  if (!j || !Array.isArray(j.backups)) {
    throw new DestinationError("reconnect", "that address is not a Codeward backup server (wrong address?): check the connection string");
  }
  return j.backups
    .filter((b) => b && typeof b.name === "string")
    .map((b) => ({ id: b.name, name: b.name, size: Number(b.size) || 0, created: String(b.uploaded || "") }));
}

/** @type {import("./index.js").Destination} */
export const server = {
  id: "server",
  label: "Your own server",
  needsConnection: true,

  async available() {
    return { ready: true };
  },

  /**
   * Checks a pasted connection string: host access to its origin (asked for by the page,
   * from the click), then GET /backups with the token. Resolves with the secret to keep.
   */
  async connectFinish({ connection }) {
    const parsed = parseConnection(connection);
    if (!parsed.ok) throw new DestinationError("reconnect", parsed.message.replace(/\.$/, ""));
    const c = parsed.connection;
    if (!(await chrome.permissions.contains({ origins: [c.pattern] }))) {
      throw new DestinationError("reconnect", `Codeward has no access to ${c.origin}: allow it when the browser asks`);
    }
    const s = { base: c.base, token: c.token };
    await listAt(s);
    return s;
  },

  async save(file, ctx) {
    const s = endpoint(ctx);
    // Names carry the time to the second; a second backup within it gets a suffix rather
    // than replacing anything (the server never overwrites: 412).
    for (let n = 1; n <= 9; n++) {
      const name = n === 1 ? file.name : file.name.replace(/\.json$/, `-${n}.json`);
      const r = await request(s, `/backups/${encodeURIComponent(name)}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "If-None-Match": "*" },
        body: file.text,
      });
      if (r.status === 201) {
        const j = await r.json().catch(() => ({}));
        return { id: name, name, size: Number(j.size) || new TextEncoder().encode(file.text).length, created: file.created };
      }
      if (r.status === 412) continue;
      throw await failure(r, "store the backup");
    }
    throw new DestinationError("retry", "your server already holds backups under every name tried for this second");
  },

  async remove(ids, ctx) {
    const s = endpoint(ctx);
    const gone = [];
    for (const id of ids) {
      const r = await request(s, `/backups/${encodeURIComponent(id)}`, { method: "DELETE" }).catch(() => null);
      if (r && (r.status === 204 || r.status === 404)) gone.push(id);
    }
    return gone;
  },

  async list(ctx) {
    return listAt(endpoint(ctx));
  },

  // No disconnect(): nothing to revoke on the server (its token stays until the user
  // changes it), and the host access may serve other features for the same site.

  async fetch(id, ctx) {
    const s = endpoint(ctx);
    const r = await request(s, `/backups/${encodeURIComponent(id)}`, { method: "GET" });
    if (r.status === 404 && (await codeOf(r.clone())) === "not_found") {
      throw new DestinationError("retry", `that backup is no longer on ${LABEL}`);
    }
    if (!r.ok) throw await failure(r, "send the backup");
    return r.text();
  },
};
