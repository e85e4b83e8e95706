// The toolbar popup closes itself once it has opened another page or filled a code, so the
// person lands where they were going. The same page opened as a tab (pinned, or by the
// tests) is not a popup, and closing it would throw away the tab: only a real popup closes.

/** Closes the window if it is the toolbar popup (which, unlike a tab, has no tab of its own). */
export async function closeIfPopup() {
  if (!(await chrome.tabs.getCurrent())) window.close();
}
