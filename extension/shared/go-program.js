// Starts one Go program (a build/*.wasm of ours) in the current JavaScript context and
// returns the bridge object it publishes. Used by the background (shared/core.js) and by the
// pages' dedicated workers, which have no chrome.* APIs: hence a URL, not a resource path.
import "../../build/wasm_exec.js"; // defines globalThis.Go

/**
 * @param {string|URL} url the program's .wasm file
 * @param {string} name the global the program publishes its bridge under (wasm/bridge.Publish)
 * @returns {Promise<Object<string, Function>>}
 */
export async function startGoProgram(url, name) {
  const go = new Go();
  const readyKey = `__${name}Ready`; // see wasm/bridge.Publish
  const ready = new Promise((resolve) => {
    globalThis[readyKey] = resolve;
  });
  let instance;
  try {
    ({ instance } = await WebAssembly.instantiateStreaming(fetch(url), go.importObject));
  } catch {
    // Some builds serve the file without the application/wasm type streaming requires.
    const bytes = await (await fetch(url)).arrayBuffer();
    ({ instance } = await WebAssembly.instantiate(bytes, go.importObject));
  }
  // go.run resolves only when the Go program exits. Ours never exit once they have published
  // their bridge; one that exits (or traps) before then never will, and awaiting ready alone
  // would leave every caller waiting for good.
  const exited = go.run(instance).then(
    () => {
      throw new Error(`${name} exited before it started`);
    },
    (e) => {
      throw new Error(`${name} stopped before it started: ${(e && e.message) || e}`);
    },
  );
  await Promise.race([ready, exited]);
  exited.catch(() => {}); // after ready, an exit is reported by the calls that fail
  delete globalThis[readyKey];
  return globalThis[name];
}
