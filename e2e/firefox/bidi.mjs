// A small harness for Firefox end-to-end tests over WebDriver BiDi (built into Firefox; no
// geckodriver): launch firefox-esr headless with a fresh profile, install a test build of
// the extension as a temporary add-on, open its pages in tabs, and drive them by role and
// accessible name (BiDi "accessibility" locators), like a screen reader user.
//
//   const fx = await launchFirefox({ extDir: makeTestBuild() });
//   const page = await fx.openExtensionPage("extension/popup/popup.html");
//   await page.fill("textbox", "Master password", "...");
//   await page.click("button", "Unlock");
//   await fx.close();
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import WebSocket from "ws";

/** Generous bound on every single wait; the machines running these tests are shared. */
export const TIMEOUT = Number(process.env.CODEWARD_E2E_TIMEOUT_MS || 60_000);

export const REPO = path.resolve(new URL("../..", import.meta.url).pathname);
export const FIREFOX = process.env.FIREFOX || "/usr/bin/firefox-esr";
/** The fixed moz-extension UUID of test builds (pref extensions.webextensions.uuids). */
export const UUID = "6f1c7f5e-2b7a-4c57-9a59-2f0c6a7c0de1";

// Repository paths that are no part of the unpacked extension.
const NOT_EXTENSION = new Set([".git", ".ci", "node_modules", "dist", "e2e", "internal", "cmd", "wasm", "docs", "scripts", "bin", "testdata"]);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Copies the built extension (repo root after `make`) to a temporary directory and returns
 * it. The copy lists `pages` in web_accessible_resources for http://127.0.0.1/* — Firefox
 * will not let a test navigate to moz-extension:// directly, but a 127.0.0.1 page may link
 * to a web-accessible one — and applies `edit` to the manifest. Only test builds get this.
 */
export function makeTestBuild({ src = process.env.CODEWARD_EXT_DIR || REPO, pages = ["extension/popup/popup.html"], edit } = {}) {
  for (const f of ["manifest.json", "build/codeward.wasm", "build/wasm_exec.js"]) {
    if (!fs.existsSync(path.join(src, f))) throw new Error(`extension not built: ${f} missing (run make first)`);
  }
  const dst = fs.mkdtempSync(path.join(os.tmpdir(), "codeward-fx-ext-"));
  fs.cpSync(src, dst, {
    recursive: true,
    filter: (p) => {
      const rel = path.relative(src, p);
      if (rel === "") return true;
      const top = rel.split(path.sep)[0];
      return !NOT_EXTENSION.has(top) && !path.basename(p).startsWith(".");
    },
  });
  const file = path.join(dst, "manifest.json");
  const m = JSON.parse(fs.readFileSync(file, "utf8"));
  m.web_accessible_resources = [...(m.web_accessible_resources || []), { resources: pages, matches: ["http://127.0.0.1/*"] }];
  edit?.(m);
  fs.writeFileSync(file, JSON.stringify(m, null, 2));
  return dst;
}

/** Opens a WebDriver BiDi connection; send(method, params) resolves with the result. */
async function connect(url) {
  const ws = new WebSocket(url);
  let id = 0;
  const pending = new Map();
  ws.on("message", (data) => {
    const m = JSON.parse(data);
    if (m.id === undefined || !pending.has(m.id)) return;
    const { resolve, reject, method } = pending.get(m.id);
    pending.delete(m.id);
    if (m.type === "error") reject(new Error(`${method}: ${m.error}: ${m.message}`));
    else resolve(m.result);
  });
  await new Promise((resolve, reject) => { ws.once("open", resolve); ws.once("error", reject); });
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const i = ++id;
    pending.set(i, { resolve, reject, method });
    ws.send(JSON.stringify({ id: i, method, params }));
  });
  return { ws, send };
}

/**
 * Launches headless firefox-esr with a fresh profile (plus `prefs`, written to user.js) and
 * installs extDir as a temporary add-on. Returns {send, addonId, openExtensionPage(path), close()}.
 */
export async function launchFirefox({ extDir, prefs: extraPrefs = {} }) {
  const addonId = JSON.parse(fs.readFileSync(path.join(extDir, "manifest.json"), "utf8")).browser_specific_settings.gecko.id;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "codeward-fx-"));
  const profile = path.join(tmp, "profile");
  fs.mkdirSync(profile);
  const prefs = {
    "extensions.webextensions.uuids": JSON.stringify({ [addonId]: UUID }),
    // A closed network: nothing phones home, nothing waits for it.
    "app.update.enabled": false,
    "browser.shell.checkDefaultBrowser": false,
    "browser.startup.homepage_override.mstone": "ignore",
    "datareporting.policy.dataSubmissionEnabled": false,
    "toolkit.telemetry.enabled": false,
    "network.captive-portal-service.enabled": false,
    "network.connectivity-service.enabled": false,
    "browser.safebrowsing.update.enabled": false,
    "extensions.update.enabled": false,
    "extensions.getAddons.cache.enabled": false,
    ...extraPrefs,
  };
  fs.writeFileSync(path.join(profile, "user.js"),
    Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join("\n") + "\n");

  const fx = spawn(FIREFOX, ["--headless", "--no-remote", "--profile", profile, "--remote-debugging-port", "0", "about:blank"],
    { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise((r) => fx.once("exit", r));
  const wsURL = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("firefox printed no WebDriver BiDi address\n" + output)), TIMEOUT);
    const onData = (d) => {
      output += d;
      const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(output);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    fx.stdout.on("data", onData);
    fx.stderr.on("data", onData);
    fx.once("exit", (code) => { clearTimeout(timer); reject(new Error(`firefox exited (${code})\n${output}`)); });
  });
  const { ws, send } = await connect(wsURL + "/session");
  await send("session.new", { capabilities: {} });
  await send("webExtension.install", { extensionData: { type: "path", path: extDir } });

  // The hop page: a 127.0.0.1 document that navigates itself to a web-accessible extension page.
  const hop = http.createServer((req, res) => { res.setHeader("content-type", "text/html"); res.end("<!doctype html><title>hop</title>"); });
  await new Promise((r) => hop.listen(0, "127.0.0.1", r));

  const origin = `moz-extension://${UUID}`;
  return {
    send,
    addonId,
    origin,
    pid: fx.pid, // the parent process (benchmarks read its children's memory from /proc)
    output: () => output,
    /** Opens a web-accessible page of the test build in a new tab; returns a Page. */
    async openExtensionPage(p) {
      const { context } = await send("browsingContext.create", { type: "tab" });
      await send("browsingContext.navigate", { context, url: `http://127.0.0.1:${hop.address().port}/`, wait: "complete" });
      const target = `${origin}/${p}`;
      await send("script.evaluate", { expression: `location.href = ${JSON.stringify(target)}`, target: { context }, awaitPromise: false })
        .catch(() => {}); // the navigation may tear the realm down before the answer
      const page = new Page(send, context);
      await page.waitFor(async () => (await page.url()) === target && (await page.eval("document.readyState")) === "complete", `load ${target}`);
      return page;
    },
    async close() {
      hop.close();
      await send("session.end").catch(() => {});
      ws.close();
      fx.kill();
      await exited;
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** A browsing context (tab), driven by role and accessible name. */
export class Page {
  constructor(send, context) {
    this.send = send;
    this.context = context;
  }

  async url() {
    const { contexts } = await this.send("browsingContext.getTree", { root: this.context });
    return contexts[0].url;
  }

  /** Evaluates a JavaScript expression in the page (promises awaited); returns its value. */
  async eval(expression) {
    const r = await this.send("script.evaluate", { expression, target: { context: this.context }, awaitPromise: true, resultOwnership: "none" });
    if (r.type === "exception") throw new Error(`javascript: ${r.exceptionDetails.text}`);
    return deserialize(r.result);
  }

  /** Calls fn (source text) with the element as its argument; returns its value. */
  async callOn(node, fn) {
    const r = await this.send("script.callFunction", {
      functionDeclaration: fn, target: { context: this.context }, awaitPromise: true, resultOwnership: "none",
      arguments: [{ sharedId: node.sharedId }],
    });
    if (r.type === "exception") throw new Error(`javascript: ${r.exceptionDetails.text}`);
    return deserialize(r.result);
  }

  /** Polls the async predicate until it returns a truthy value, which is returned. */
  async waitFor(predicate, what) {
    let last;
    for (const end = Date.now() + TIMEOUT; Date.now() < end; await sleep(50)) {
      try {
        const v = await predicate();
        if (v) return v;
      } catch (e) {
        last = e;
      }
    }
    throw new Error(`timed out waiting for ${what}${last ? ": " + last.message : ""}`);
  }

  /** The nodes with this role and accessible name (name undefined = any) exposed now. */
  async query(role, name) {
    const locate = async (value) =>
      (await this.send("browsingContext.locateNodes", { context: this.context, locator: { type: "accessibility", value } })).nodes;
    const nodes = await locate(name === undefined ? { role } : { role, name });
    if (role === "textbox" && name !== undefined) {
      // Firefox computes no ARIA role for <input type="password"> (HTML-AAM maps it to none;
      // Chromium says "textbox"): accept a password field found by its name alone.
      const seen = new Set(nodes.map((n) => n.sharedId));
      for (const n of await locate({ name })) {
        if (!seen.has(n.sharedId) && n.value?.localName === "input" && n.value.attributes?.type === "password") nodes.push(n);
      }
    }
    return nodes;
  }

  /** Waits for exactly one node with this role and name and returns it. */
  async find(role, name) {
    return this.waitFor(async () => { const n = await this.query(role, name); return n.length === 1 && n[0]; }, `one ${role} named "${name}"`);
  }

  /** Clicks the control's centre with real pointer events (scrolled into view first). */
  async click(role, name) {
    const node = await this.find(role, name);
    await this.callOn(node, "(el) => el.scrollIntoView({ block: 'center' })");
    await this.send("input.performActions", {
      context: this.context,
      actions: [{
        type: "pointer", id: "mouse", parameters: { pointerType: "mouse" },
        actions: [
          { type: "pointerMove", x: 0, y: 0, origin: { type: "element", element: { sharedId: node.sharedId } } },
          { type: "pointerDown", button: 0 },
          { type: "pointerUp", button: 0 },
        ],
      }],
    });
    await this.send("input.releaseActions", { context: this.context });
  }

  /** Focuses the text field, clears it and types text with key events. */
  async fill(role, name, text) {
    const node = await this.find(role, name);
    await this.callOn(node, "(el) => { el.focus(); el.select?.(); }");
    const keys = [...text].flatMap((c) => [{ type: "keyDown", value: c }, { type: "keyUp", value: c }]);
    if (text === "") keys.push({ type: "keyDown", value: "\uE017" }, { type: "keyUp", value: "\uE017" }); // Delete
    await this.send("input.performActions", { context: this.context, actions: [{ type: "key", id: "keyboard", actions: keys }] });
    await this.send("input.releaseActions", { context: this.context });
    const value = await this.callOn(node, "(el) => el.value");
    if (value !== text) throw new Error(`typed into ${role} "${name}" but it holds something else (${value.length} characters)`);
  }

  /** The visible text of a node, whitespace collapsed. */
  async text(node) {
    return (await this.callOn(node, "(el) => el.innerText")).split(/\s+/).filter(Boolean).join(" ");
  }

  /** Texts of every exposed listitem. */
  async listItems() {
    const out = [];
    for (const n of await this.query("listitem")) out.push(await this.text(n));
    return out;
  }
}

/** Turns a BiDi RemoteValue of a primitive, array or plain object into a JS value. */
function deserialize(v) {
  switch (v.type) {
    case "undefined": return undefined;
    case "null": return null;
    case "string": case "boolean": return v.value;
    case "number": return typeof v.value === "number" ? v.value : Number(v.value);
    case "array": return v.value.map(deserialize);
    case "object": return Object.fromEntries(v.value.map(([k, x]) => [typeof k === "string" ? k : deserialize(k), deserialize(x)]));
    default: return v;
  }
}

/**
 * TOTP codes (RFC 6238, HMAC-SHA1, 6 digits) of a base32 secret for the periods before, at
 * and after `at` — computed here with node:crypto, independently of the product's Go core.
 */
export function totpWindow(secretBase32, at = Date.now(), { period = 30, digits = 6, algorithm = "sha1" } = {}) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secretBase32.toUpperCase().replace(/[\s=-]/g, "")) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error("bad base32");
    bits += i.toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const step = Math.floor(at / 1000 / period);
  return [step - 1, step, step + 1].map((s) => {
    const msg = Buffer.alloc(8);
    msg.writeBigUInt64BE(BigInt(s));
    const mac = crypto.createHmac(algorithm, key).update(msg).digest();
    const off = mac[mac.length - 1] & 0xf;
    const n = (mac.readUInt32BE(off) & 0x7fffffff) % 10 ** digits;
    return String(n).padStart(digits, "0");
  });
}
