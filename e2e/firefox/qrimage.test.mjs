// Firefox: a QR code image read on the import page. Firefox's background is an event page,
// not a service worker: this checks that it decodes the image itself (createImageBitmap and
// an OffscreenCanvas, extension/background/grey.js) and hands the tools grey levels.
// e2e/testdata/qr/foxscan.png is a setup code Codeward drew (qr.Encode) for this test.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { REPO, launchFirefox, makeTestBuild, totpWindow } from "./bidi.mjs";

const SECRET = "NBSWY3DPFQQHO33SNRSCC4TFMFSA";
const MASTER = "correct horse battery staple 42";

test("firefox: a QR code image on the import page becomes an account", {
  skip: process.env.CODEWARD_E2E !== "1" && "browser test: run `make e2e` (or set CODEWARD_E2E=1 after `make`)",
  timeout: 5 * 60_000,
}, async (t) => {
  const extDir = makeTestBuild({ pages: ["extension/popup/popup.html", "extension/import/import.html"] });
  const fx = await launchFirefox({ extDir });
  try {
    const popup = await fx.openExtensionPage("extension/popup/popup.html");
    await popup.fill("textbox", "New master password", MASTER);
    await popup.fill("textbox", "Confirm master password", MASTER);
    await popup.click("button", "Create vault");
    await popup.find("button", "Add account");

    const page = await fx.openExtensionPage("extension/import/import.html");
    // As e2e/backup_test.go's setFile: a file input is not in the accessibility tree as a
    // control of its own, so it is reached through its label's text.
    const input = await page.waitFor(async () => {
      const { nodes } = await fx.send("browsingContext.locateNodes", { context: page.context, locator: { type: "css", value: "input[type=file]" } });
      const named = [];
      for (const n of nodes) {
        if (await page.callOn(n, "(el) => !el.closest('[hidden]') && [...el.labels].some((l) => l.textContent.trim() === 'QR image file')")) named.push(n);
      }
      return named.length === 1 && named[0];
    }, "one visible file input labelled QR image file");
    await fx.send("input.setFiles", {
      context: page.context,
      element: { sharedId: input.sharedId },
      files: [path.join(REPO, "e2e/testdata/qr/foxscan.png")],
    });
    const items = await page.waitFor(async () => {
      const l = await page.listItems();
      return l.some((s) => s.includes("Foxscan (fox@example.com)")) && l;
    }, "the scanned account in the preview");
    assert.equal(items.filter((s) => s.includes("Foxscan")).length, 1, `preview ${JSON.stringify(items)}`);
    await page.click("button", "Import");
    await page.waitFor(async () => (await page.eval("document.body.innerText")).includes("Imported 1 account."), "the import to finish");

    const again = await fx.openExtensionPage("extension/popup/popup.html");
    const item = await again.waitFor(async () => (await again.listItems()).find((s) => s.includes("Foxscan") && /\d{3} ?\d{3}/.test(s)), "the imported account with a code");
    const shown = /(\d{3}) ?(\d{3})/.exec(item).slice(1).join("");
    assert.ok(totpWindow(SECRET).includes(shown), `shown code ${shown} is not the account's code`);
  } catch (e) {
    t.diagnostic("firefox output:\n" + fx.output().split("\n").slice(-40).join("\n"));
    throw e;
  } finally {
    await fx.close();
    fs.rmSync(extDir, { recursive: true, force: true });
  }
});
