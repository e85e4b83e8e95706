// A dedicated worker of the restore page: runs the one costly step of opening a backup,
// Argon2id at the parameters the file asks for (backupKeyFor in the Go core), and answers
// with the file's key. The page ends the worker after one answer, which gives its WASM
// memory (up to the 256 MiB a file may ask for) back at once; and while it works, the
// background answers every other message, because it runs no KDF for a restore.
// (A service worker cannot start workers of its own, so the page that asked does.)
//
// Message in: {file: string, password: string}. Message out: the bridge result,
// {ok: true, value: keyJSON} or {ok: false, error: {code, message}}.
import { startGoProgram } from "../shared/go-program.js";

const core = startGoProgram(new URL("../../build/codeward.wasm", import.meta.url), "codeward");
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
