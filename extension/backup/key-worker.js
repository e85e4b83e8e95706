// A dedicated worker of the restore page: runs the one costly step of opening a backup,
// Argon2id at the parameters the file asks for (backupKeyFor in the Go core), and answers
// with the file's key. The page ends the worker after one answer, which gives its WASM
// memory (up to the 256 MiB a file may ask for) back at once; and while it works, the
// background answers every other message, because it runs no KDF for a restore.
// (A service worker cannot start workers of its own, so the page that asked does.)
//
// Message in: {file: string, password: string}. Message out: the bridge result,
// {ok: true, value: keyJSON} or {ok: false, error: {code, message}}.
import "../../build/wasm_exec.js"; // defines globalThis.Go

async function loadCore() {
  const go = new Go();
  const ready = new Promise((resolve) => {
    globalThis.__codewardReady = resolve; // see wasm/bridge.Publish
  });
  const url = new URL("../../build/codeward.wasm", import.meta.url);
  let instance;
  try {
    ({ instance } = await WebAssembly.instantiateStreaming(fetch(url), go.importObject));
  } catch {
    const bytes = await (await fetch(url)).arrayBuffer();
    ({ instance } = await WebAssembly.instantiate(bytes, go.importObject));
  }
  go.run(instance); // resolves only when the Go program exits, which it does not
  await ready;
  return globalThis.codeward;
}

const core = loadCore();
core.catch(() => {}); // reported to the page on its message, below

self.onmessage = async ({ data }) => {
  try {
    const bridge = await core;
    self.postMessage(bridge.backupKeyFor(data.file, data.password));
  } catch (e) {
    // The core did not load here: the page falls back to the background.
    self.postMessage({ ok: false, error: { code: "worker", message: `the core did not load in the worker: ${(e && e.message) || e}` } });
  }
};
