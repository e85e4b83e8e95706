// Loads the Go programs once per JavaScript context and hands out their bridge objects.
// Used by the background; pages talk to the background instead, so that Argon2id never
// blocks a page.
//
// Two programs, two separate Go instances in this realm (each `new Go()` has its own memory
// and value tables; each publishes under its own global name):
// - the core (build/codeward.wasm, wasm/core): vault, codes, backups, sites — what the
//   background needs on every start;
// - the tools (build/codeward-tools.wasm, wasm/tools): import, export and QR codes, loaded
//   only when such a message arrives, never on a worker start or a popup open.
import { startGoProgram } from "./go-program.js";
import { CodedError } from "./messages.js";

/** One lazily loaded Go program: file under build/, published as globalThis[name]. */
function program(file, name) {
  let loading = null;
  return () => {
    loading ??= load(file, name).catch((e) => {
      loading = null; // let a later call try again
      throw e;
    });
    return loading;
  };
}

function load(file, name) {
  return startGoProgram(chrome.runtime.getURL(`build/${file}`), name);
}

/** @returns {Promise<Object<string, Function>>} the core's bridge functions (wasm/core). */
export const core = program("codeward.wasm", "codeward");

/** @returns {Promise<Object<string, Function>>} the tools' bridge functions (wasm/tools). */
export const tools = program("codeward-tools.wasm", "codewardTools");

/** Unwraps a bridge result: returns its value or throws a CodedError with its code. */
export function unwrap(result) {
  if (result && result.ok === true) return result.value;
  const e = (result && result.error) || { code: "internal", message: "malformed bridge result" };
  throw new CodedError(e.code, e.message);
}

async function invoke(api, name, args) {
  const bridge = await api();
  if (typeof bridge[name] !== "function") throw new CodedError("internal", `no bridge function ${name}`);
  return unwrap(bridge[name](...args));
}

/** Calls the core's function name with args and unwraps the result. */
export function call(name, ...args) {
  return invoke(core, name, args);
}

/**
 * Calls the tools' function name with args and unwraps the result, loading the tools on
 * first use. Their KDF-heavy calls (encrypted imports and exports) and QR decoding run
 * runtime.GC() themselves when done, as the core's do.
 */
export function callTools(name, ...args) {
  return invoke(tools, name, args);
}
