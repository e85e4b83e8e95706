// Counts its own starts, so a test can see that a stopped worker came back fresh.
const started = Date.now();
let handled = 0;
// Two pages of WebAssembly memory, for Worker.WASMMemory.
globalThis.memory = new WebAssembly.Memory({ initial: 2 });
chrome.runtime.onMessage.addListener((msg, sender, reply) => {
  handled++;
  if (msg.kind === "hello") {
    chrome.storage.session.set({ seen: msg.text }).then(() => reply({ started, handled }));
    return true;
  }
  reply({ error: "unknown kind" });
});
