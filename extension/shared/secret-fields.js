// Keeps passwords and secrets out of the browser's session-restore files. Browsers save the
// form state of open and recently closed tabs to disk (Chromium: Default/Sessions/*) so that
// a restored tab comes back filled in; a password field is left out, but not one that "Show
// passwords" turned into a text field. Every field that can hold a password or a secret
// therefore carries autocomplete="off" (which Chromium's form-state saving honours, whatever
// the type) and data-secret; this module also empties them when the page is hidden or frozen
// (tab closed, navigated away, discarded), for browsers that save form state regardless.
// Import it once from every extension page.

const SELECTOR = 'input[type="password"], [data-secret]';

function secretFields() {
  return document.querySelectorAll(SELECTOR);
}

/** Marks every secret field as not to be restored (also fields added later by templates). */
export function protect(root = document) {
  for (const el of root.querySelectorAll(SELECTOR)) el.setAttribute("autocomplete", "off");
}

function clearAll() {
  for (const el of secretFields()) el.value = "";
}

addEventListener("pagehide", clearAll);
document.addEventListener("freeze", clearAll);
protect();
