// Firefox backup smoke test: a backup made through the backup page lands on disk (a blob:
// download from the extension page; Firefox refuses data: URLs) and the codeward command
// opens it with the backup password. Run by `make e2e`; skipped unless CODEWARD_E2E=1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchFirefox, makeTestBuild, REPO } from "./bidi.mjs";

const MASTER = "plover quartz 7 lantern";
const BACKUP_PASSWORD = "tv7k-m3qd-x9wr-h2pa-c8ne";
const ACCOUNT = { secret: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU", issuer: "Quillfeather Bank", name: "carol.fox@example.net" };

test("firefox: a backup lands on disk and the codeward command opens it", {
  skip: process.env.CODEWARD_E2E !== "1" && "browser test: run `make e2e` (or set CODEWARD_E2E=1 after `make`)",
  timeout: 5 * 60_000,
}, async (t) => {
  const cli = path.join(REPO, "bin", "codeward");
  assert.ok(fs.existsSync(cli), "bin/codeward is missing (run make first)");
  const extDir = makeTestBuild({ pages: ["extension/popup/popup.html", "extension/backup/backup.html"] });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "codeward-fx-backup-"));
  const downloads = path.join(tmp, "downloads");
  fs.mkdirSync(downloads);
  const fx = await launchFirefox({
    extDir,
    prefs: {
      "browser.download.dir": downloads,
      "browser.download.folderList": 2,
      "browser.download.useDownloadDir": true,
      "browser.download.always_ask_before_handling_new_types": false,
    },
  });
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
    await popup.waitFor(async () => (await popup.eval("document.body.innerText")).includes("1 account changed since your last backup"), "the backup reminder");
    // The badge counts the change first, so its clearing below shows the backup cleared it.
    await popup.waitFor(async () => (await popup.eval("chrome.action.getBadgeText({})")) === "1", "the badge to count one change");

    const page = await fx.openExtensionPage("extension/backup/backup.html");
    await page.click("checkbox", "Ask where to save each backup");
    await page.waitFor(async () => (await page.callOn(await page.find("checkbox", "Ask where to save each backup"), "(el) => !el.checked")), "the box unticked");
    await page.fill("textbox", "Master password", MASTER);
    await page.fill("textbox", "Backup password", BACKUP_PASSWORD);
    await page.fill("textbox", "Confirm backup password", BACKUP_PASSWORD);
    await page.click("button", "Create backup");
    const text = await page.waitFor(async () => {
      const s = await page.eval("document.body.innerText");
      const alert = await page.eval(`[...document.querySelectorAll("[role=alert]:not([hidden])")].map((e) => e.textContent).join(" ")`);
      if (alert.trim()) throw new Error("alert: " + alert.trim());
      return s.includes("still only on this computer") && s;
    }, "the backup to be saved");

    const files = fs.readdirSync(downloads).filter((f) => /^codeward-backup-\d{4}-\d{2}-\d{2}( ?\(\d+\))?\.json$/.test(f));
    assert.equal(files.length, 1, `downloads hold ${JSON.stringify(fs.readdirSync(downloads))}`);
    const file = path.join(downloads, files[0]);
    assert.ok(text.includes(file), `the page does not say where the file went (${file})`);
    const data = fs.readFileSync(file, "utf8");
    for (const s of [ACCOUNT.secret, ACCOUNT.issuer, ACCOUNT.name]) assert.ok(!data.includes(s), "the file holds readable account data");

    const pwFile = path.join(tmp, "password");
    fs.writeFileSync(pwFile, BACKUP_PASSWORD + "\n", { mode: 0o600 });
    const out = execFileSync(cli, ["import", "--from", "codeward", "--password-file", pwFile, file]).toString().trim().split("\n");
    assert.equal(out.length, 1, `codeward import printed ${out.length} lines`);
    const uri = new URL(out[0]);
    assert.equal(uri.searchParams.get("secret"), ACCOUNT.secret);
    assert.equal(uri.searchParams.get("issuer"), ACCOUNT.issuer);
    assert.ok(decodeURIComponent(uri.pathname).endsWith(ACCOUNT.name), `account name in ${uri.pathname}`);

    // Restoring derives the file's key in a Web Worker of the backup page (so the
    // background runs no KDF); the background then previews the file with that key.
    const preview = await page.eval(`new Promise((resolve, reject) => {
      const w = new Worker(new URL("./key-worker.js", location.href), { type: "module" });
      w.onerror = (e) => reject(new Error("the key worker did not run: " + e.message));
      w.onmessage = ({ data: r }) => {
        if (r && r.started === true) return; // the core loaded and the KDF began: its answer follows
        w.terminate();
        if (!r.ok) return reject(new Error("the key worker failed: " + r.error.code));
        chrome.runtime.sendMessage({ kind: "backup.preview", payload: { file: ${JSON.stringify(data)}, key: r.value } })
          .then((reply) => resolve(JSON.stringify(reply)), reject);
      };
      w.postMessage({ file: ${JSON.stringify(data)}, password: ${JSON.stringify(BACKUP_PASSWORD)} });
    })`);
    const reply = JSON.parse(preview);
    assert.ok(reply.ok, `preview with the worker's key: ${preview}`);
    assert.equal(reply.value.count, 1, `the preview counts ${reply.value.count} accounts`);
    assert.equal(reply.value.accounts[0].issuer, ACCOUNT.issuer);

    const badge = await page.eval("chrome.action.getBadgeText({})");
    assert.equal(badge, "", "the badge still shows changes after the backup");
    t.diagnostic(`backup ${files[0]} (${data.length} bytes) opened by the codeward command`);
  } catch (e) {
    t.diagnostic("firefox output:\n" + fx.output().split("\n").slice(-40).join("\n"));
    throw e;
  } finally {
    await fx.close();
    fs.rmSync(extDir, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
