// Firefox: the core maps host names with the browser's own URL parser under x/net/idna's
// Lookup rules (internal/sites/idna.go), so here it is Firefox's IDNA that runs. Sites
// typed in Unicode are stored in their ASCII form, as in Chromium and the native build; a
// name those rules refuse (a label ending in a hyphen once decoded) is refused.
// Run by `make e2e` (node --test); skipped unless CODEWARD_E2E=1.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { launchFirefox, makeTestBuild } from "./bidi.mjs";

test("firefox: sites typed in Unicode are stored in ASCII", {
  skip: process.env.CODEWARD_E2E !== "1" && "browser test: run `make e2e` (or set CODEWARD_E2E=1 after `make`)",
  timeout: 5 * 60_000,
}, async (t) => {
  const extDir = makeTestBuild();
  const fx = await launchFirefox({ extDir });
  try {
    const popup = await fx.openExtensionPage("extension/popup/popup.html");
    await popup.fill("textbox", "New master password", "correct horse battery staple 42");
    await popup.fill("textbox", "Confirm master password", "correct horse battery staple 42");
    await popup.click("button", "Create vault");
    await popup.click("button", "Add account");
    await popup.fill("textbox", "Secret key", "KRSXG5CTMVRXEZLUKN2XAZLDOJSXI4QA");
    await popup.fill("textbox", "Issuer", "Books");
    await popup.fill("textbox", "Account name", "idn@example.com");
    await popup.fill("textbox", "Sites", "bücher-.de");
    await popup.click("button", "Save");
    const alert = await popup.waitFor(async () => {
      for (const n of await popup.query("alert")) {
        const s = await popup.text(n);
        if (s) return s;
      }
    }, "the refusal");
    assert.match(alert, /not a web address Codeward can use/);

    await popup.fill("textbox", "Sites", "https://www.BÜCHER.de/login, 例え.jp");
    await popup.click("button", "Save");
    await popup.waitFor(async () => (await popup.listItems()).some((s) => s.includes("idn@example.com")), "the account in the list");
    await popup.click("button", "More actions for Books idn@example.com");
    await popup.click("menuitem", "Edit");
    const sites = await popup.callOn(await popup.find("textbox", "Sites"), "(el) => el.value");
    assert.equal(sites, "xn--bcher-kva.de, xn--r8jz45g.jp");
    t.diagnostic(`stored sites: ${sites}`);
  } catch (e) {
    t.diagnostic("firefox output:\n" + fx.output().split("\n").slice(-40).join("\n"));
    throw e;
  } finally {
    await fx.close();
    fs.rmSync(extDir, { recursive: true, force: true });
  }
});
