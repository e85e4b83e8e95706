// Firefox figures for `make bench` (not a test: node --test does not pick this file up):
// unlock and the background's memory across unlocks in firefox-esr, where the background is
// an event page rather than a service worker, for vaults of several sizes. Printed, never
// judged.
//
//   CODEWARD_E2E=1 node e2e/firefox/bench.mjs      (after make)
//
// Knobs, as e2e/bench_test.go's: CODEWARD_BENCH_ACCOUNTS (default "50,500,5000"),
// CODEWARD_BENCH_UNLOCKS (default 10), CODEWARD_BENCH_WASM_DIR (a directory holding
// another build's codeward.wasm and codeward-tools.wasm, measured instead of build/'s).
//
// Each size runs in a fresh Firefox: create a vault, import the accounts as one otpauth
// text (the tools program, as a user's import would), close the popup tab, then lock →
// unlock through messages, timed in an empty extension page. After the 1st and the Nth unlock:
// - the background's WebAssembly memory, per Go instance: the bench patches the background
//   realm's Go.prototype.run (through runtime.getBackgroundPage, before anything loads) to
//   record every instance; the core starts first (creating the vault), the tools second
//   (the import) and stay loaded in the event page, so both are printed, apart;
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

const SIZES = (process.env.CODEWARD_BENCH_ACCOUNTS || "50,500,5000").split(",").map(Number).filter((n) => n > 0);

/** A distinct valid base32 secret for account i (as e2e/bench_test.go's benchSecret). */
function benchSecret(i) {
  return ("JBSWY3DPEHPK3PXP" + String(i).padStart(16, "0")).slice(0, 32).replace(/[0-9]/g, (d) => String.fromCharCode(65 + Number(d)));
}

const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

/** Measures a vault of n accounts in a fresh Firefox; returns the report's lines. */
async function benchVault(n) {
  const lines = [`== ${n} accounts ==`];
  const extDir = makeTestBuild({ pages: ["extension/popup/popup.html", "extension/bench-empty.html"] });
  fs.writeFileSync(`${extDir}/extension/bench-empty.html`, "<!doctype html><meta charset=utf-8><title>Empty</title><p>Empty extension page.</p>\n");
  if (process.env.CODEWARD_BENCH_WASM_DIR) {
    for (const f of ["codeward.wasm", "codeward-tools.wasm"]) fs.copyFileSync(`${process.env.CODEWARD_BENCH_WASM_DIR}/${f}`, `${extDir}/build/${f}`);
    lines.push(`WASM from ${process.env.CODEWARD_BENCH_WASM_DIR}`);
  }
  const fx = await launchFirefox({ extDir });
  try {
    // Record every Go instance before anything is loaded (the core loads on the first message).
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
      return gos.map((g) => ({ bytes: g._inst ? g._inst.exports.mem.buffer.byteLength : 0, exited: !!g.exited }));
    })()`);

    const rss0 = rssTree(fx.pid); // before the core is loaded
    const popup = await fx.openExtensionPage("extension/popup/popup.html");
    await popup.fill("textbox", "New master password", PASSWORD);
    await popup.fill("textbox", "Confirm master password", PASSWORD);
    await popup.click("button", "Create vault");
    await popup.find("button", "Add account");
    let file = "";
    for (let i = 0; i < n; i++) {
      const k = String(i).padStart(4, "0");
      file += `otpauth://totp/Issuer%20${k}:user${k}@example.com?secret=${benchSecret(i)}&issuer=Issuer%20${k}&period=30&digits=6\n`;
    }
    const added = await empty.eval(`(async () => {
      const read = await browser.runtime.sendMessage({kind: "import.read", payload: {data: ${JSON.stringify(Buffer.from(file).toString("base64"))}, format: "auto"}});
      if (!read.ok) throw new Error("import.read: " + JSON.stringify(read.error));
      const apply = await browser.runtime.sendMessage({kind: "import.apply", payload: {token: read.value.token}});
      if (!apply.ok) throw new Error("import.apply: " + JSON.stringify(apply.error));
      return apply.value.added;
    })()`);
    if (added !== n) throw new Error(`imported ${added} accounts, want ${n}`);
    // A popup left open repaints on every lock and unlock and lives in the extension's
    // process: close it, as a real popup closes, so the figures below are the background's.
    await fx.send("browsingContext.close", { context: popup.context });

    const unlock = [];
    const mem = [];
    let extPid = null;
    const rssByUnlock = []; // the extension process's RSS right after each unlock from the 2nd: the trend behind the two figures
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
      if (extPid) rssByUnlock.push(((rssTree(fx.pid).get(extPid) || 0) / MiB).toFixed(0));
      if (i === 1 || i === UNLOCKS) {
        await sleep(1000);
        const w = await wasmMemory();
        const rss = rssTree(fx.pid);
        // The process that grew the most from before the core loaded to the first unlock
        // hosts the extension (its WASM memory alone is ~70 MiB); later figures follow it.
        if (i === 1) {
          for (const [pid, r] of rss) if (rss0.has(pid) && (!extPid || r - rss0.get(pid) > rss.get(extPid) - rss0.get(extPid))) extPid = pid;
        }
        const ext = rss.has(extPid) ? { rss: rss.get(extPid) } : null;
        const total = [...rss.values()].reduce((a, b) => a + b, 0);
        const names = ["core", "tools"];
        const wasm = !w ? "unknown (background restarted)"
          : w.map((g, k) => `${names[k] || "instance " + (k + 1)} ${(g.bytes / MiB).toFixed(1)} MiB${g.exited ? " (exited)" : ""}`).join(", ");
        mem.push(`after ${i} unlock(s): background WASM memory: ${wasm}; extension process (pid ${extPid}) RSS ${ext ? (ext.rss / MiB).toFixed(1) : "?"} MiB; all Firefox processes ${(total / MiB).toFixed(1)} MiB; load average ${loadavg()}`);
      }
    }
    unlock.sort((a, b) => a - b);
    const p = (q) => unlock[Math.max(0, Math.ceil((q / 100) * unlock.length) - 1)];
    lines.push(`unlock (message round trip, default Argon2id, ${unlock.length} runs): p50 ${p(50).toFixed(0)} ms, p95 ${p(95).toFixed(0)} ms, min ${unlock[0].toFixed(0)} ms`);
    for (const m of mem) lines.push(`memory ${m}`);
    lines.push(`extension process RSS right after unlocks 2…${UNLOCKS} (MiB, no settling pause, JavaScript's garbage included): ${rssByUnlock.join(" ")}`);
    return lines;
  } catch (e) {
    e.lines = lines;
    e.output = fx.output();
    throw e;
  } finally {
    await fx.close();
    fs.rmSync(extDir, { recursive: true, force: true });
  }
}

const report = [`firefox-esr, load average at start: ${loadavg()}`];
try {
  for (const n of SIZES) report.push(...(await benchVault(n)));
  report.push(`load average at end: ${loadavg()}`);
  console.log(report.join("\n"));
} catch (e) {
  console.log([...report, ...(e.lines || [])].join("\n"));
  console.error("firefox bench failed:", e.message, "\n" + (e.output || "").split("\n").slice(-30).join("\n"));
  process.exitCode = 1;
}
