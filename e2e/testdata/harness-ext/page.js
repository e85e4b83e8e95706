const list = document.getElementById("list");
const alert = document.getElementById("alert");
async function render() {
  const { notes = [] } = await chrome.storage.local.get("notes");
  list.replaceChildren(...notes.map((n) => Object.assign(document.createElement("li"), { textContent: n })));
}
document.getElementById("f").addEventListener("submit", async (e) => {
  e.preventDefault();
  const v = document.getElementById("note").value;
  if (v === "") { alert.textContent = "Type a note first."; return; }
  alert.textContent = "";
  const { notes = [] } = await chrome.storage.local.get("notes");
  await chrome.storage.local.set({ notes: [...notes, v] });
  render();
});
document.getElementById("copy").addEventListener("click", async () => {
  await navigator.clipboard.writeText(document.getElementById("note").value);
  document.getElementById("copy").textContent = "Copied";
});
render();
document.addEventListener("DOMContentLoaded", () => { console.warn("fixture page ready"); });
