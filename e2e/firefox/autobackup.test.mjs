// Firefox: connect Google Drive (the sign-in window is a browsing context the test clicks
// "Allow" in; Firefox catches the redirect to the extension's allizom.org address) and one
// automatic backup to a double of Google's endpoints, opened by the codeward command. The
// full Google double (expiry, revoke, 429/503) and the Chromium scenarios are in
// e2e/googledouble_test.go and e2e/autobackup_test.go; this one checks what differs in
// Firefox: identity.launchWebAuthFlow, the background page, fetch with host access.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { launchFirefox, makeTestBuild, REPO, Page, TIMEOUT } from "./bidi.mjs";

const MASTER = "plover quartz 7 lantern";
const AUTO_PASSWORD = "wq4n-b7tz-k2mx-p9rd-h3vc";
const ACCOUNT = { secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", issuer: "Saltmarsh Credit Union", name: "erin.fox@example.net" };
const CLIENT = "codeward-test-client.apps.example";
const b64url = (b) => b.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** The part of Google's endpoints one connect and one upload use, with PKCE checked. */
function startDouble() {
  const codes = new Map();
  const tokens = new Set();
  const files = [];
  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url, "http://127.0.0.1");
    let body = "";
    for await (const c of req) body += c;
    const json = (status, v) => { res.writeHead(status, { "content-type": "application/json" }); res.end(JSON.stringify(v)); };
    if (req.method === "GET" && u.pathname === "/auth") {
      const q = u.searchParams;
      if (q.get("client_id") !== CLIENT || q.get("code_challenge_method") !== "S256" || !/\.allizom\.org\//.test(q.get("redirect_uri"))) {
        res.writeHead(400); return res.end("bad authorization request");
      }
      const code = crypto.randomBytes(12).toString("hex");
      codes.set(code, { challenge: q.get("code_challenge"), redirect: q.get("redirect_uri") });
      const to = `${q.get("redirect_uri")}?code=${code}&state=${encodeURIComponent(q.get("state"))}`;
      res.writeHead(200, { "content-type": "text/html" });
      return res.end(`<!doctype html><html lang="en"><title>Sign in (double)</title><a href="${to.replace(/&/g, "&amp;")}" role="button">Allow</a></html>`);
    }
    if (req.method === "POST" && u.pathname === "/token") {
      const f = new URLSearchParams(body);
      const c = codes.get(f.get("code"));
      codes.delete(f.get("code"));
      const ok = f.get("client_id") === CLIENT && c && c.redirect === f.get("redirect_uri") &&
        b64url(crypto.createHash("sha256").update(f.get("code_verifier") || "").digest()) === c.challenge;
      if (f.get("grant_type") === "authorization_code" && ok) {
        const access = "ya29." + crypto.randomBytes(8).toString("hex");
        tokens.add(access);
        return json(200, { access_token: access, refresh_token: "1//" + crypto.randomBytes(8).toString("hex"), expires_in: 3599, token_type: "Bearer" });
      }
      return json(400, { error: "invalid_grant" });
    }
    if (!tokens.has((req.headers.authorization || "").replace(/^Bearer /, ""))) return json(401, { error: { code: 401 } });
    if (req.method === "GET" && u.pathname === "/drive/v3/files") {
      const folder = /value='folder'/.test(u.searchParams.get("q"));
      return json(200, { files: files.filter((f) => f.folder === folder).map((f) => ({ id: f.id, name: f.name })) });
    }
    if (req.method === "POST" && u.pathname === "/drive/v3/files") {
      const meta = JSON.parse(body);
      const f = { id: "folder" + files.length, name: meta.name, folder: true };
      files.push(f);
      return json(200, { id: f.id });
    }
    if (req.method === "POST" && u.pathname === "/upload/drive/v3/files") {
      const boundary = /boundary=([^;]+)/.exec(req.headers["content-type"] || "")?.[1];
      const parts = body.split(`--${boundary}`).slice(1, 3).map((p) => p.split("\r\n\r\n").slice(1).join("\r\n\r\n").replace(/\r\n$/, ""));
      const meta = JSON.parse(parts[0]);
      if (!files.some((f) => f.folder && meta.parents?.[0] === f.id)) return json(404, { error: { code: 404 } });
      const f = { id: "file" + files.length, name: meta.name, folder: false, body: parts[1], appProperties: meta.appProperties };
      files.push(f);
      return json(200, { id: f.id, name: f.name, size: String(f.body.length) });
    }
    json(404, { error: { code: 404 } });
  });
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r({ server, files, url: `http://127.0.0.1:${server.address().port}` })));
}

test("firefox: connect Google Drive and one automatic backup lands there", {
  skip: process.env.CODEWARD_E2E !== "1" && "browser test: run `make e2e` (or set CODEWARD_E2E=1 after `make`)",
  timeout: 5 * 60_000,
}, async (t) => {
  const cli = path.join(REPO, "bin", "codeward");
  assert.ok(fs.existsSync(cli), "bin/codeward is missing (run make first)");
  const g = await startDouble();
  const extDir = makeTestBuild({
    pages: ["extension/popup/popup.html", "extension/auto/auto.html"],
    edit: (m) => { m.host_permissions = ["http://127.0.0.1/*"]; },
  });
  fs.writeFileSync(path.join(extDir, "extension", "google.json"), JSON.stringify({
    clientId: CLIENT, authUrl: g.url + "/auth", tokenUrl: g.url + "/token", revokeUrl: g.url + "/revoke",
    apiUrl: g.url + "/drive/v3", uploadUrl: g.url + "/upload/drive/v3", scope: "https://www.googleapis.com/auth/drive.file",
  }));
  const fx = await launchFirefox({ extDir });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "codeward-fx-auto-"));
  try {
    const popup = await fx.openExtensionPage("extension/popup/popup.html");
    await popup.fill("textbox", "New master password", MASTER);
    await popup.fill("textbox", "Confirm master password", MASTER);
    await popup.click("button", "Create vault");
    await popup.click("button", "Add account");
    await popup.fill("textbox", "Secret key", ACCOUNT.secret);
    await popup.fill("textbox", "Issuer", ACCOUNT.issuer);
    await popup.fill("textbox", "Account name", ACCOUNT.name);
    await popup.click("button", "Save");
    await popup.waitFor(async () => (await popup.listItems()).some((s) => s.includes(ACCOUNT.issuer)), "the account in the list");

    const page = await fx.openExtensionPage("extension/auto/auto.html");
    await page.eval(`chrome.runtime.sendMessage({kind: "auto.config", payload: {delaySeconds: 2}})`);
    await page.click("button", "Connect Google Drive");
    // The sign-in window: a top-level browsing context on the double's /auth.
    const auth = await page.waitFor(async () => {
      const { contexts } = await fx.send("browsingContext.getTree", {});
      const c = contexts.find((x) => x.url.startsWith(g.url + "/auth"));
      return c && new Page(fx.send, c.context);
    }, "the Google sign-in window");
    await auth.waitFor(async () => (await auth.eval("document.readyState")) === "complete", "the sign-in page to load");
    // The window closes as soon as Firefox catches the redirect, so the click is not
    // followed by anything that needs the window.
    const allow = await auth.find("button", "Allow");
    await auth.callOn(allow, "(el) => { setTimeout(() => el.click(), 0); }").catch(() => {});
    await page.waitFor(async () => (await page.eval("document.body.innerText")).includes("Connected."), "Google Drive to be connected");

    await page.fill("textbox", "Master password", MASTER);
    await page.fill("textbox", "Backup password", AUTO_PASSWORD);
    await page.fill("textbox", "Confirm backup password", AUTO_PASSWORD);
    await page.click("button", "Turn on automatic backups");
    await page.waitFor(async () => (await page.eval("document.body.innerText")).includes("Automatic backups are on."), "automatic backups to be on");
    const file = await page.waitFor(async () => g.files.find((f) => !f.folder), "the automatic backup in Drive", 3 * TIMEOUT);
    assert.match(file.name, /^codeward-backup-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.json$/);
    assert.equal(file.appProperties?.codeward, "backup");

    const fileOnDisk = path.join(tmp, "backup.json");
    fs.writeFileSync(fileOnDisk, file.body);
    const pwFile = path.join(tmp, "password");
    fs.writeFileSync(pwFile, AUTO_PASSWORD + "\n", { mode: 0o600 });
    const out = execFileSync(cli, ["import", "--from", "codeward", "--password-file", pwFile, fileOnDisk]).toString().trim().split("\n");
    assert.equal(out.length, 1, `codeward import printed ${out.length} lines`);
    const uri = new URL(out[0]);
    assert.equal(uri.searchParams.get("secret"), ACCOUNT.secret);
    assert.equal(uri.searchParams.get("issuer"), ACCOUNT.issuer);
    await page.waitFor(async () => (await page.eval("chrome.action.getBadgeText({})")) === "", "the badge to clear");
    t.diagnostic(`automatic backup ${file.name} (${file.body.length} bytes) in the double's Drive, opened by the codeward command`);
  } catch (e) {
    t.diagnostic("firefox output:\n" + fx.output().split("\n").slice(-40).join("\n"));
    throw e;
  } finally {
    await fx.close();
    g.server.close();
    fs.rmSync(extDir, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
