// Loads the Go core (build/codeward.wasm) once per JavaScript context and hands out the
// bridge object. Used by the background; pages talk to the background instead, so that
// Argon2id never blocks a page.
import "../../build/wasm_exec.js"; // defines globalThis.Go
import { CodedError } from "./messages.js";

let loading = null;

/** @returns {Promise<Object<string, Function>>} the bridge functions (see wasm/). */
export function core() {
  loading ??= load().catch((e) => {
    loading = null; // let a later call try again
    throw e;
  });
  return loading;
}

async function load() {
  const go = new Go();
  const ready = new Promise((resolve) => {
    globalThis.__codewardReady = resolve;
  });
  const url = chrome.runtime.getURL("build/codeward.wasm");
  let instance;
  try {
    ({ instance } = await WebAssembly.instantiateStreaming(fetch(url), go.importObject));
  } catch {
    // Some builds serve the file without the application/wasm type streaming requires.
    const bytes = await (await fetch(url)).arrayBuffer();
    ({ instance } = await WebAssembly.instantiate(bytes, go.importObject));
  }
  go.run(instance); // resolves only when the Go program exits, which it does not
  await ready;
  delete globalThis.__codewardReady;
  return globalThis.codeward;
}

/** Unwraps a bridge result: returns its value or throws a CodedError with its code. */
export function unwrap(result) {
  if (result && result.ok === true) return result.value;
  const e = (result && result.error) || { code: "internal", message: "malformed bridge result" };
  throw new CodedError(e.code, e.message);
}

/** Calls bridge function name with args and unwraps the result. */
export async function call(name, ...args) {
  const api = await core();
  if (typeof api[name] !== "function") throw new CodedError("internal", `no bridge function ${name}`);
  return unwrap(api[name](...args));
}
