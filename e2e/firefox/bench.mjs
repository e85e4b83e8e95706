// Firefox figures for `make bench` (not a test: node --test does not pick this file up):
// the background's memory across unlocks in firefox-esr, where the background is an event
// page rather than a service worker. Printed, never judged.
//
//   CODEWARD_E2E=1 node e2e/firefox/bench.mjs      (after make; CODEWARD_BENCH_UNLOCKS=10)
//
// What is measured after the 1st and the Nth unlock (lock → unlock through messages, timed
// in the page):
// - the background's WebAssembly memory: every Go instance the background starts is
//   recorded (the bench patches the background realm's Go.prototype.run through
//   runtime.getBackgroundPage before the core loads) and their linear memories summed,
//   with the number of instances — so a Go program started twice would show;
// - the resident memory (VmRSS, /proc) of Firefox's content process that grew the most
//   from before the core loaded to the first unlock, which is the one hosting the
//   extension, and of all Firefox's processes.
import fs from "node:fs";
import { launchFirefox, makeTestBuild } from "./bidi.mjs";

if (process.env.CODEWARD_E2E !== "1") {
  console.log("firefox bench: skipped (set CODEWARD_E2E=1 after make)");
  process.exit(0);
}
const UNLOCKS = Number(process.env.CODEWARD_BENCH_UNLOCKS || 10);
const PASSWORD = "correct horse battery staple 42";
const MiB = 1 << 20;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** VmRSS in bytes of every descendant process of pid, by pid. */
function rssTree(pid) {
  const children = new Map();
  for (const d of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const st = fs.readFileSync(`/proc/${d}/status`, "utf8");
      const ppid = /PPid:\s+(\d+)/.exec(st)[1];
      const rss = Number(/VmRSS:\s+(\d+)/.exec(st)?.[1] ?? 0) * 1024;
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push({ pid: d, rss });
    } catch {}
  }
  const out = new Map();
  const walk = (p) => { for (const c of children.get(String(p)) || []) { out.set(c.pid, c.rss); walk(c.pid); } };
  walk(pid);
  return out;
}

const extDir = makeTestBuild({ pages: ["extension/popup/popup.html", "extension/bench-empty.html"] });
fs.writeFileSync(`${extDir}/extension/bench-empty.html`, "<!doctype html><meta charset=utf-8><title>Empty</title><p>Empty extension page.</p>\n");
const fx = await launchFirefox({ extDir });
const lines = [];
try {
  const version = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  lines.push(`firefox-esr, load average at start: ${version}`);
  // Record every Go instance before the core is loaded (it loads on the first message).
  const empty = await fx.openExtensionPage("extension/bench-empty.html");
  const patched = await empty.eval(`(async () => {
    const bg = await browser.runtime.getBackgroundPage();
    if (!bg || !bg.Go) return false;
    bg.__benchGo = [];
    const run = bg.Go.prototype.run;
    bg.Go.prototype.run = function (instance) { bg.__benchGo.push(this); return run.call(this, instance); };
    return true;
  })()`);
  if (!patched) throw new Error("cannot reach the background page's Go");
  const wasmMemory = () => empty.eval(`(async () => {
    const bg = await browser.runtime.getBackgroundPage();
    const gos = bg.__benchGo;
    if (!gos) return null; // the background page was restarted: its realm is new
    return { instances: gos.length, bytes: gos.reduce((n, g) => n + (g._inst ? g._inst.exports.mem.buffer.byteLength : 0), 0) };
  })()`);

  const rss0 = rssTree(fx.pid); // before the core is loaded
  const popup = await fx.openExtensionPage("extension/popup/popup.html");
  await popup.fill("textbox", "New master password", PASSWORD);
  await popup.fill("textbox", "Confirm master password", PASSWORD);
  await popup.click("button", "Create vault");
  await popup.find("button", "Add account");

  const unlock = [];
  const mem = [];
  let extPid = null;
  for (let i = 1; i <= UNLOCKS; i++) {
    const ms = await empty.eval(`(async () => {
      const lock = await browser.runtime.sendMessage({kind: "vault.lock", payload: {}});
      if (!lock.ok) throw new Error("lock: " + JSON.stringify(lock.error));
      const t0 = performance.now();
      const r = await browser.runtime.sendMessage({kind: "vault.unlock", payload: {password: ${JSON.stringify(PASSWORD)}}});
      if (!r.ok) throw new Error("unlock: " + JSON.stringify(r.error));
      return performance.now() - t0;
    })()`);
    unlock.push(ms);
    if (i === 1 || i === UNLOCKS) {
      await sleep(1000);
      const w = await wasmMemory();
      const rss = rssTree(fx.pid);
      // The process that grew the most from before the core loaded to the first unlock hosts
      // the extension (its WASM memory alone is ~70 MiB); later figures follow that process.
      if (i === 1) {
        for (const [pid, r] of rss) if (rss0.has(pid) && (!extPid || r - rss0.get(pid) > rss.get(extPid) - rss0.get(extPid))) extPid = pid;
      }
      const ext = rss.has(extPid) ? { rss: rss.get(extPid) } : null;
      const total = [...rss.values()].reduce((a, b) => a + b, 0);
      mem.push(`after ${i} unlock(s): background WASM memory ${w ? (w.bytes / MiB).toFixed(1) + " MiB in " + w.instances + " Go instance(s)" : "unknown (background restarted)"}; ` +
        `extension process (pid ${extPid}) RSS ${ext ? (ext.rss / MiB).toFixed(1) : "?"} MiB; all Firefox processes ${(total / MiB).toFixed(1)} MiB`);
    }
  }
  unlock.sort((a, b) => a - b);
  const p = (q) => unlock[Math.max(0, Math.ceil((q / 100) * unlock.length) - 1)];
  lines.push(`unlock (message round trip, default Argon2id, ${unlock.length} runs): p50 ${p(50).toFixed(0)} ms, p95 ${p(95).toFixed(0)} ms, min ${unlock[0].toFixed(0)} ms`);
  for (const m of mem) lines.push(`memory ${m}`);
  lines.push(`load average at end: ${fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
  console.log(lines.join("\n"));
} catch (e) {
  console.log(lines.join("\n"));
  console.error("firefox bench failed:", e.message, "\n" + fx.output().split("\n").slice(-30).join("\n"));
  process.exitCode = 1;
} finally {
  await fx.close();
  fs.rmSync(extDir, { recursive: true, force: true });
}
