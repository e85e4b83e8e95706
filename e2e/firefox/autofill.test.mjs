// Firefox smoke test for autofill: a test build holding host access to 127.0.0.1 (standing
// in for the user's grant), one account bound to the test server's site, and a login page
// from e2e/testdata/autofill that must receive the account's code automatically.
// Run by `make e2e` (node --test); skipped unless CODEWARD_E2E=1.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { launchFirefox, makeTestBuild, totpWindow, REPO, Page } from "./bidi.mjs";

const SECRET = "KRSXG5CTMVRXEZLUKN2XAZLDOJSXI4QA";
const PAGES = path.join(REPO, "e2e", "testdata", "autofill");

test("firefox: a bound login page gets the code", {
  skip: process.env.CODEWARD_E2E !== "1" && "browser test: run `make e2e` (or set CODEWARD_E2E=1 after `make`)",
  timeout: 5 * 60_000,
}, async (t) => {
  const server = http.createServer((req, res) => {
    const name = path.basename(new URL(req.url, "http://x").pathname);
    const file = path.join(PAGES, name);
    if (!name.endsWith(".html") || !fs.existsSync(file)) {
      res.statusCode = 404;
      return res.end();
    }
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(fs.readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const site = `127.0.0.1:${server.address().port}`;

  const extDir = makeTestBuild({ edit: (m) => { m.host_permissions = ["http://127.0.0.1/*"]; } });
  const fx = await launchFirefox({ extDir });
  try {
    const popup = await fx.openExtensionPage("extension/popup/popup.html");
    await popup.fill("textbox", "New master password", "correct horse battery staple 42");
    await popup.fill("textbox", "Confirm master password", "correct horse battery staple 42");
    await popup.click("button", "Create vault");
    await popup.click("button", "Add account");
    await popup.fill("textbox", "Secret key", SECRET);
    await popup.fill("textbox", "Issuer", "Firefox Example");
    await popup.fill("textbox", "Account name", "fox@example.com");
    await popup.fill("textbox", "Sites", site);
    await popup.click("button", "Save");
    await popup.waitFor(async () => (await popup.listItems()).some((s) => s.includes("Firefox Example")), "the account in the list");

    const { context } = await fx.send("browsingContext.create", { type: "tab" });
    await fx.send("browsingContext.navigate", { context, url: `http://${site}/otc.html`, wait: "complete" });
    const page = new Page(fx.send, context);
    const code = await page.waitFor(async () => page.eval(`document.getElementById("code").value`), "the code in the field");
    assert.ok(totpWindow(SECRET).includes(code), `filled ${code}, not the account's code (${totpWindow(SECRET)})`);
    t.diagnostic(`code ${code} filled`);
  } catch (e) {
    t.diagnostic("firefox output:\n" + fx.output().split("\n").slice(-40).join("\n"));
    throw e;
  } finally {
    await fx.close();
    server.close();
    fs.rmSync(extDir, { recursive: true, force: true });
  }
});
