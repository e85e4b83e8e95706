// A dedicated worker of the import page: reads one encrypted file from another
// authenticator (formatImport in the tools, build/codeward-tools.wasm), which runs the
// file's KDF — scrypt per Aegis password slot, PBKDF2 for andOTP and 2FAS, Argon2id for
// Stratum — and answers with the parsed accounts. The page ends the worker after one answer,
// which gives its WASM memory back at once; and while it works, the background answers
// every other message, because it runs no importer's KDF. The page hands the result to the
// background (IMPORT_HOLD), which checks every account again before holding it.
// (A service worker cannot start workers of its own, so the page that asked does.)
//
// Message in: {data: string (base64), format: string, password: string}. Messages out:
// {started: true} once the tools are loaded and the read begins (from then on a worker that
// dies is a failed read, not a missing worker: the page must not hand the same file to the
// background's KDF), then the bridge result, {ok: true, value: ImportRead} or
// {ok: false, error: {code, message}}. Every read ends with exactly one result message.
import { startGoProgram } from "../shared/go-program.js";

const tools = startGoProgram(new URL("../../build/codeward-tools.wasm", import.meta.url), "codewardTools");
tools.catch(() => {}); // reported to the page on its message, below

self.onmessage = async ({ data }) => {
  let bridge;
  try {
    bridge = await tools;
  } catch (e) {
    // The tools did not load here: the page falls back to the background.
    self.postMessage({ ok: false, error: { code: "worker", message: `the import tools did not load in the worker: ${(e && e.message) || e}` } });
    return;
  }
  self.postMessage({ started: true });
  let result;
  try {
    // The bridge turns every error (a panic too) into {ok: false, error}; the password never
    // appears in one.
    result = bridge.formatImport(data.data, data.format, data.password);
  } catch (e) {
    // The Go program is gone (it exited, or the wasm trapped: out of memory). Its error text
    // is the runtime's, never the file's or the password; still, only its kind is passed on.
    console.warn("codeward: the import tools failed in the worker:", e && e.name);
    result = { ok: false, error: { code: "internal", message: "the import tools stopped while reading this file" } };
  }
  self.postMessage(result);
};
