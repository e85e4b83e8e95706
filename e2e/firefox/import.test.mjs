// Firefox import test: an encrypted Aegis export, pasted into the import page with its
// password, is read in a Web Worker of the page (the importer's scrypt never runs in the
// background event page), previewed and imported. Run by `make e2e`; skipped unless
// CODEWARD_E2E=1, and when the peer fixture (../shared/peers) is absent.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { launchFirefox, makeTestBuild, REPO } from "./bidi.mjs";

const MASTER = "plover quartz 7 lantern";
const FIXTURE = path.join(REPO, "..", "shared", "peers", "aegis", "aegis_encrypted.json"); // password "test"

test("firefox: an encrypted Aegis export is read in the import page's worker and imported", {
  skip:
    (process.env.CODEWARD_E2E !== "1" && "browser test: run `make e2e` (or set CODEWARD_E2E=1 after `make`)") ||
    (!fs.existsSync(FIXTURE) && `peer fixture ${FIXTURE} is not available`),
  timeout: 5 * 60_000,
}, async (t) => {
  const exported = fs.readFileSync(FIXTURE, "utf8");
  const extDir = makeTestBuild({ pages: ["extension/popup/popup.html", "extension/import/import.html"] });
  const fx = await launchFirefox({ extDir });
  try {
    const popup = await fx.openExtensionPage("extension/popup/popup.html");
    await popup.fill("textbox", "New master password", MASTER);
    await popup.fill("textbox", "Confirm master password", MASTER);
    await popup.click("button", "Create vault");
    await popup.find("button", "Add account");

    const page = await fx.openExtensionPage("extension/import/import.html#import");
    // The worker itself runs in this browser (no fallback to the background hides it).
    const direct = await page.eval(`new Promise((resolve, reject) => {
      const w = new Worker(new URL("./read-worker.js", location.href), { type: "module" });
      w.onerror = (e) => reject(new Error("the read worker did not run: " + e.message));
      w.onmessage = ({ data: r }) => {
        if (r && r.started === true) return; // the tools loaded and the read began: its answer follows
        w.terminate();
        resolve(JSON.stringify(r.ok ? { format: r.value.format, accounts: JSON.parse(r.value.accounts).length } : r));
      };
      w.postMessage({ data: btoa(${JSON.stringify(exported)}), format: "auto", password: "test" });
    })`);
    assert.deepEqual(JSON.parse(direct), { format: "aegis", accounts: 7 }, `the read worker answered ${direct}`);

    // As a person does it: paste the export, give its password when asked, preview, import.
    const paste = await page.find("textbox", "Paste exported text");
    await page.callOn(paste, `(el) => { el.value = ${JSON.stringify(exported)}; el.dispatchEvent(new Event("input", { bubbles: true })); }`);
    await page.click("button", "Preview");
    await page.find("textbox", "File password");
    await page.fill("textbox", "File password", "test");
    await page.click("button", "Preview");
    const items = await page.waitFor(async () => {
      const list = await page.listItems();
      return list.some((s) => s.includes("Deno")) && list;
    }, "the preview of the Aegis export");
    assert.ok(items.some((s) => s.includes("Boeing") && s.includes("Steam")), `preview: ${JSON.stringify(items)}`);
    await page.click("button", "Import");
    await page.waitFor(async () => (await page.eval("document.body.innerText")).includes("Imported 7 accounts."), "the import to finish");
    t.diagnostic("7 accounts imported from an encrypted Aegis export through the page's worker");
  } catch (e) {
    t.diagnostic("firefox output:\n" + fx.output().split("\n").slice(-40).join("\n"));
    throw e;
  } finally {
    await fx.close();
    fs.rmSync(extDir, { recursive: true, force: true });
  }
});
