// The backup password fields, shared by the backup page and the automatic backups page
// (both carry the same markup: #backup-password, #backup-confirm, #strength, #generate,
// #show-passwords, #suggestion, #suggested, #copy, #copied): a live strength hint,
// "Generate" (fills both fields and offers Copy) and "Show passwords".
import { Kinds, send } from "./messages.js";
import { $, say, show } from "./page.js";
import { strengthHint } from "./words.js";

/**
 * Wires the fields of one page.
 * @param {{section: HTMLElement, explain: (e: any) => string}} opts where errors are said
 */
export function wireBackupPassword({ section, explain }) {
  const field = $("backup-password");
  let timer = 0;

  async function judge() {
    const pw = field.value;
    const out = $("strength");
    if (!pw) {
      out.textContent = "";
      out.dataset.verdict = "";
      return;
    }
    const judged = await send(Kinds.page.BACKUP_JUDGE, { password: pw });
    // Typing may have gone on while the background answered.
    if (field.value !== pw) return;
    out.textContent = strengthHint(judged);
    out.dataset.verdict = judged.verdict;
  }

  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => judge().catch(() => {}), 150);
    show($("suggestion"), field.value === $("suggested").value && $("suggested").value !== "");
  });

  $("show-passwords").addEventListener("change", (ev) => {
    const type = ev.target.checked ? "text" : "password";
    field.type = type;
    $("backup-confirm").type = type;
  });

  $("generate").addEventListener("click", async () => {
    say(section, "");
    try {
      const { password } = await send(Kinds.page.BACKUP_SUGGEST);
      field.value = password;
      $("backup-confirm").value = password;
      $("suggested").value = password;
      $("copied").textContent = "";
      show($("suggestion"), true);
      await judge();
    } catch (e) {
      say(section, explain(e));
    }
  });

  $("copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText($("suggested").value);
      $("copied").textContent = "Copied. Paste it into your password manager now.";
    } catch {
      $("copied").textContent = "Copying failed: select the password and copy it by hand.";
    }
  });
}
