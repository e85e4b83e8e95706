// Firefox smoke test: the built extension in firefox-esr (background scripts, not a service
// worker) — install, create a vault, add an account by hand, see its right code.
// Run by `make e2e` (node --test); skipped unless CODEWARD_E2E=1.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { launchFirefox, makeTestBuild, totpWindow } from "./bidi.mjs";

const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

test("firefox: install, create vault, add an account, see its code", {
  skip: process.env.CODEWARD_E2E !== "1" && "browser test: run `make e2e` (or set CODEWARD_E2E=1 after `make`)",
  timeout: 5 * 60_000,
}, async (t) => {
  const t0 = Date.now();
  const lap = (what) => t.diagnostic(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const extDir = makeTestBuild();
  const fx = await launchFirefox({ extDir });
  lap("firefox started, extension installed");
  try {
    const page = await fx.openExtensionPage("extension/popup/popup.html");
    t.diagnostic(`popup open at ${await page.url()}`);

    await page.fill("textbox", "New master password", "correct horse battery staple 42");
    await page.fill("textbox", "Confirm master password", "correct horse battery staple 42");
    lap("passwords typed");
    await page.click("button", "Create vault");
    await page.find("button", "Add account");
    lap("vault created");

    await page.click("button", "Add account");
    await page.fill("textbox", "Secret key", SECRET);
    await page.fill("textbox", "Issuer", "Firefox Example");
    await page.fill("textbox", "Account name", "fox@example.com");
    await page.click("button", "Save");
    lap("account saved");

    const item = await page.waitFor(async () => (await page.listItems()).find((s) => s.includes("Firefox Example") && /\d{3} ?\d{3}/.test(s)), "the account in the list with a code");
    const shown = /(\d{3}) ?(\d{3})/.exec(item).slice(1).join("");
    assert.ok(totpWindow(SECRET).includes(shown), `shown code ${shown} is not the account's code (${totpWindow(SECRET)})`);
    assert.ok(item.includes("fox@example.com"), `item ${JSON.stringify(item)} lacks the account name`);
    t.diagnostic(`code ${shown} verified`);
  } catch (e) {
    t.diagnostic("firefox output:\n" + fx.output().split("\n").slice(-40).join("\n"));
    throw e;
  } finally {
    await fx.close();
    fs.rmSync(extDir, { recursive: true, force: true });
  }
});
