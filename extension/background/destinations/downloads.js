// "Downloads folder": each automatic backup saved without a dialog into Codeward/ in the
// browser's downloads directory. Confirmed when the browser reports the download complete;
// old files are removed by the downloads ids recorded when they were written (never by
// guessing names), so nothing Codeward did not write is ever touched.
import { DestinationError } from "./error.js";

const FOLDER = "Codeward";

// Chrome's service worker has no URL.createObjectURL, and Chrome accepts data: URLs for
// downloads; Firefox's background is a page (blob: works) and refuses data: URLs.
function urlOf(text) {
  if (typeof URL.createObjectURL === "function") {
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    return { url, done: () => URL.revokeObjectURL(url) };
  }
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { url: "data:application/json;base64," + btoa(bin), done: () => {} };
}

/** Resolves with the finished DownloadItem, or rejects when the download is interrupted. */
function finished(id) {
  return new Promise((resolve, reject) => {
    const settle = (item) => {
      if (!item) return false;
      if (item.state === "complete") {
        resolve(item);
        return true;
      }
      if (item.state === "interrupted") {
        reject(new DestinationError("retry", `the browser did not save the file (${item.error || "interrupted"})`));
        return true;
      }
      return false;
    };
    const listener = (delta) => {
      if (delta.id !== id || !delta.state) return;
      chrome.downloads.search({ id }).then(([item]) => {
        if (settle(item)) chrome.downloads.onChanged.removeListener(listener);
      }, reject);
    };
    chrome.downloads.onChanged.addListener(listener);
    // It may have finished before the listener was added.
    chrome.downloads.search({ id }).then(([item]) => {
      if (settle(item)) chrome.downloads.onChanged.removeListener(listener);
    }, reject);
  });
}

/** @type {import("./index.js").Destination} */
export const downloads = {
  id: "downloads",
  label: "Downloads folder",
  needsConnection: false,

  async available() {
    return chrome.downloads ? { ready: true } : { ready: false, why: "this browser does not let Codeward save files" };
  },

  async save(file) {
    const { url, done } = urlOf(file.text);
    let id;
    try {
      id = await chrome.downloads.download({
        url,
        filename: `${FOLDER}/${file.name}`,
        saveAs: false, // automatic: never a dialog, whatever "Ask where to save" says
        conflictAction: "uniquify",
      });
      const item = await finished(id);
      return { id: String(id), name: item.filename.split(/[\\/]/).pop(), size: item.fileSize || file.text.length, created: file.created };
    } catch (e) {
      if (e instanceof DestinationError) throw e;
      throw new DestinationError("retry", `the browser did not save the file (${(e && e.message) || "unknown error"})`);
    } finally {
      done();
      // Keep the file, drop nothing; the entry stays in the downloads list so remove() can find it.
    }
  },

  async remove(ids) {
    const gone = [];
    for (const id of ids) {
      const n = Number(id);
      try {
        const [item] = await chrome.downloads.search({ id: n });
        if (item && item.exists !== false && item.state === "complete") await chrome.downloads.removeFile(n);
        await chrome.downloads.erase({ id: n });
        gone.push(id);
      } catch (e) {
        // Already deleted by the user, or the entry cleared from the list: nothing of ours is left.
        const [item] = await chrome.downloads.search({ id: n }).catch(() => [null]);
        if (!item || item.exists === false) gone.push(id);
      }
    }
    return gone;
  },
};
