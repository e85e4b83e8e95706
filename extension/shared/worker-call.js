// One costly call (a file's KDF) in a dedicated worker of the page that asked, ended after
// its one answer, so the background keeps answering and the memory is given back at once.
// (A service worker cannot start workers of its own, so the page that asked does.)
//
// The protocol, both sides here: the worker posts {started: true} once its Go program is
// loaded, then exactly one bridge result. A failure before "started" is code "worker": no
// worker runs here, and the caller may ask the background instead. A failure after it is
// "read_stopped": the file made the worker stop (out of memory, say), and the background
// must not be handed the same work.
import { CodedError } from "./messages.js";

/**
 * Page side: runs the worker module at url with message and resolves with its value.
 * @param {URL} url
 * @param {any} message
 */
export function callWorker(url, message) {
  return new Promise((resolve, reject) => {
    let worker;
    try {
      worker = new Worker(url, { type: "module" });
    } catch {
      return reject(new CodedError("worker", "no worker"));
    }
    let started = false;
    const end = (settle) => {
      worker.terminate();
      settle();
    };
    worker.onmessage = ({ data: r }) => {
      if (r && r.started === true) {
        started = true;
        return;
      }
      if (r && r.ok === true) return end(() => resolve(r.value));
      // "internal" from a started worker: its Go program stopped (exited, trapped) mid-call.
      const code = started && r?.error?.code === "internal" ? "read_stopped" : (r?.error?.code ?? "internal");
      end(() => reject(new CodedError(code, r?.error?.message ?? "no answer")));
    };
    worker.onerror = () =>
      end(() => reject(started ? new CodedError("read_stopped", "the worker stopped") : new CodedError("worker", "the worker did not start")));
    // An answer that could not be copied to this page: the call finished but is lost.
    worker.onmessageerror = () => end(() => reject(new CodedError("read_stopped", "the worker's answer could not be received")));
    worker.postMessage(message);
  });
}

/**
 * Worker side: answers each message with call(bridge, message), bridge being the Go
 * program's (a promise from startGoProgram), following the protocol above.
 * @param {Promise<Object<string, Function>>} program
 * @param {string} what the program's name in messages ("the core", "the import tools")
 * @param {(bridge: Object<string, Function>, message: any) => any} call
 */
export function answerCalls(program, what, call) {
  program.catch(() => {}); // reported on the first message
  self.onmessage = async ({ data }) => {
    let bridge;
    try {
      bridge = await program;
    } catch (e) {
      self.postMessage({ ok: false, error: { code: "worker", message: `${what} did not load in the worker: ${(e && e.message) || e}` } });
      return;
    }
    self.postMessage({ started: true });
    let result;
    try {
      // The bridge turns every error (a panic too) into {ok: false, error}; no password
      // appears in one.
      result = call(bridge, data);
    } catch (e) {
      // The Go program is gone (exited, or the wasm trapped: out of memory). Only the kind
      // of error is passed on.
      console.warn(`codeward: ${what} failed in the worker:`, e && e.name);
      result = { ok: false, error: { code: "internal", message: `${what} stopped while reading this file` } };
    }
    self.postMessage(result);
  };
}
