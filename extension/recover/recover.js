// The recovery page: the way out of a forgotten master password (#forgot) or of a vault whose
// stored copies are all damaged (#damaged) — set this browser's vault aside, then restore from
// a backup — and what can be done with a vault set aside (#old): open it again with its
// password, or delete it for good. The background does the work (background/recovery.js).
import { Kinds, send } from "../shared/messages.js";
import { $, explainCommon, plural, progress, say, show } from "../shared/page.js";

const K = Kinds.page;

/** @type {import("../shared/messages.js").RecoveryStatus|null} */
let status = null;
let justSetAside = false;

const typed = (id) => $(id).value.trim().toLowerCase().replace(/\s+/g, " ");

function formatDate(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "an unknown date";
  return d.toLocaleString(undefined, { dateStyle: "long", timeStyle: "short" });
}

function explain(e) {
  switch (e && e.code) {
    case "aside_exists":
      return "An older vault is already set aside in this browser. Open it or delete it for good (below) first.";
    case "no_aside":
      return "No vault is set aside in this browser any more.";
    case "no_vault":
      return "There is no vault in this browser to set aside.";
    case "corrupt":
      return "The vault set aside is damaged: none of its copies opens.";
    case "unsupported_version":
      return "The vault set aside was made by a newer version of Codeward. Update Codeward and try again.";
    default:
      return explainCommon(e);
  }
}

async function refresh() {
  status = await send(K.RECOVERY_STATUS);
  render();
}

function render() {
  show($("loading"), false);
  const damaged = location.hash === "#damaged";
  const hasVault = status.state !== "none";
  show($("start-over"), hasVault && location.hash !== "#old");
  show($("why-forgot"), !damaged);
  show($("why-damaged"), damaged);
  $("start-over-title").textContent = damaged ? "This browser's vault is damaged" : "Forgot your master password?";
  const n = status.accounts;
  $("aside-warning").textContent =
    (n === null ? "The accounts in this browser" : `${plural(n, "account")} in this browser`) +
    " will no longer be shown. They stay stored, sealed, until you delete them for good.";
  show($("next"), !hasVault && (justSetAside || location.hash !== "#old"));
  const a = status.aside;
  show($("old"), Boolean(a));
  if (a) {
    const held = a.accounts === null ? "" : ` It holds ${plural(a.accounts, "account")}.`;
    $("old-summary").textContent = `A vault was set aside in this browser on ${formatDate(a.at)}.${held} It stays sealed: only its master password opens it.`;
    show($("old-swap"), hasVault);
    $("delete-warning").textContent =
      (a.accounts === null ? "The accounts of the old vault" : `The ${plural(a.accounts, "account")} of the old vault`) +
      " will be deleted from this browser for good. Only a backup can bring them back.";
  }
}

window.addEventListener("hashchange", () => {
  if (status) render();
});

$("aside-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const section = $("start-over");
  say(section, "");
  if (typed("aside-confirm") !== "start over") {
    say(section, "Type start over in the box to confirm, or close this page to keep things as they are.");
    $("aside-confirm").focus();
    return;
  }
  try {
    status = await send(K.SET_ASIDE, { confirm: true });
    $("aside-confirm").value = "";
    justSetAside = true;
    $("next-text").textContent = "Your vault is set aside, still sealed. This browser has no vault now.";
    render();
    $("restore-link").focus();
  } catch (e) {
    say(section, explain(e));
  }
});

$("old-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const section = $("old");
  say(section, "");
  const pw = $("old-password");
  if (!pw.value) return say(section, "Enter the master password of the old vault.");
  try {
    progress("old-progress", "Unlocking…");
    const view = await send(K.OPEN_ASIDE, { password: pw.value });
    pw.value = "";
    await refresh();
    show($("next"), false);
    show($("start-over"), false);
    $("opened-text").textContent =
      `It is this browser's vault again, unlocked, with ${plural(view.accounts.length, "account")}. Open Codeward from the toolbar.` +
      (status.aside ? " The vault you used before is set aside in its place." : "");
    show($("opened"), true);
    $("opened-title").setAttribute("tabindex", "-1");
    $("opened-title").focus();
  } catch (e) {
    say(section, e.code === "wrong_password" ? "This password does not open the old vault." : explain(e));
    pw.select();
  } finally {
    progress("old-progress", "");
  }
});

$("delete-old").addEventListener("click", () => {
  show($("delete-form"), true);
  $("delete-confirm").focus();
});

$("delete-cancel").addEventListener("click", () => {
  show($("delete-form"), false);
  $("delete-confirm").value = "";
  $("delete-old").focus();
});

$("delete-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const section = $("old");
  say(section, "");
  if (typed("delete-confirm") !== "delete") {
    say(section, "Type delete in the box to confirm.");
    $("delete-confirm").focus();
    return;
  }
  try {
    status = await send(K.DELETE_ASIDE, { confirm: true });
    show($("delete-form"), false);
    $("delete-confirm").value = "";
    render();
  } catch (e) {
    say(section, explain(e));
  }
});

refresh().catch((e) => {
  const el = $("loading");
  el.setAttribute("role", "alert");
  el.textContent = explain(e);
  show(el, true);
});
