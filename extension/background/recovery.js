// Page-tier handlers for getting out of a vault that cannot be opened: a forgotten master
// password, or stored copies that are all damaged. One mechanism serves both: set this
// browser's vault aside (its sealed copies stay in storage.local, so a password remembered
// later still opens it), then restore from a backup or create a fresh vault — the restore
// page's "create" path, which works because the browser then has no vault. Also the
// notice after a fallback to the previous copy. The store does the storage work.
import { Kinds, Errors, CodedError } from "../shared/messages.js";
import { registerHandlers } from "./router.js";
import * as store from "./store.js";
import { armAutoLock, currentView } from "./vault.js";

const K = Kinds.page;

async function status() {
  const info = await store.recoveryInfo();
  return { state: await store.state(), ...info };
}

function confirmed(payload) {
  if (payload.confirm !== true) throw new CodedError(Errors.INVALID, "this needs the person's confirmation");
}

registerHandlers("page", {
  [K.RECOVERY_STATUS]: status,

  [K.SET_ASIDE]: async (payload) => {
    confirmed(payload);
    await store.setAside();
    await chrome.alarms.clear("codeward.autolock");
    return status();
  },

  [K.OPEN_ASIDE]: async ({ password }) => {
    await store.openAside(password);
    await armAutoLock();
    return currentView();
  },

  [K.DELETE_ASIDE]: async (payload) => {
    confirmed(payload);
    await store.deleteAside();
    return status();
  },

  [K.DISMISS_NOTICE]: async () => {
    await store.dismissRecoveryNotice();
    return currentView();
  },
});
