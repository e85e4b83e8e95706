// Plain words for what goes wrong. The Go core and the background speak in stable error
// codes with short, lower-case, technical messages (for logs and the command line); what a
// person reads is decided here, once, by code — never by matching message text. Pages and
// the popup call plain(e) and, where the same code means different things in different
// forms (whose password was wrong?), pass their own wording for that code.

/** The sentence for each code; a function gets the error (for its reason or message). */
const WORDS = {
  locked: "Codeward locked itself meanwhile. Unlock it and try again.",
  no_vault: "There is no vault in this browser yet. Open Codeward from the toolbar to set one up.",
  exists: "This browser already has a vault. Reload the page to see it.",
  wrong_password: "Wrong master password.",
  weak_password: (e) => weakPassword(e.reason),
  corrupt: "The stored vault is damaged and cannot be opened.",
  unsupported_version: "This was made by a newer version of Codeward. Update Codeward, then try again.",
  kdf_params: "This file asks for decryption settings outside the safe range, so it was not opened.",
  invalid_secret: "The secret key has letters that can't be in a key (only A–Z and 2–7).",
  invalid_uri:
    "This otpauth:// link is incomplete or damaged. Copy the whole link again from the site's setup page, or type the secret key instead.",
  invalid_site:
    "One of the Sites is not a web address Codeward can use. Write sites like github.com, one per line or separated by commas.",
  not_found: "That account no longer exists (it was deleted in another window).",
  expired: "This preview has expired. Read the file or scan the code again.",
  no_undo: "There is nothing to undo any more: the vault has changed since the replace.",
  internal: "Something went wrong inside Codeward. Nothing was changed; try again.",
  too_large: (e) => `${sentence(e.message)} Nothing was changed.`,
};

/** Why a new password is refused, for reason codes of passgen (see passwordJudge). */
const WEAK = {
  empty: "Choose a password.",
  common: "This password is one of the most common choices; it would be guessed at once.",
  short: "Too short: use at least 12 characters — a few unrelated words are easy to remember.",
  guessable: "Too easy to guess: avoid common words, repeats and runs like abc or 123. A few unrelated words work well.",
};

/** The refusal of a weak password, by passgen's reason. */
export function weakPassword(reason) {
  return WEAK[reason] ?? "This password is too weak. Use at least 12 characters; a few unrelated words work well.";
}

/**
 * A live strength hint for a password being chosen, from a passwordJudge estimate
 * ({verdict, reason}); "" for an empty field.
 * @param {{verdict: string, reason?: string}|null} judged
 */
export function strengthHint(judged) {
  if (!judged || judged.reason === "empty") return "";
  if (judged.verdict === "strong") return "Strength: strong.";
  if (judged.verdict === "fair") return "Strength: fair. A few more random characters or words would make it strong.";
  return `Strength: too weak. ${weakPassword(judged.reason)}`;
}

/** A message from the core (lower-case, no full stop) as a sentence. */
export function sentence(message) {
  return message.charAt(0).toUpperCase() + message.slice(1) + (/[.!?]$/.test(message) ? "" : ".");
}

/**
 * Plain words for error e ({code, message, reason}).
 * @param {{code?: string, message?: string, reason?: string}} e
 * @param {Object<string, string|((e: any) => string)>} [own] wording for codes that mean
 *   something particular in the caller's form; it wins over the shared table.
 */
export function plain(e, own = {}) {
  const code = e && e.code;
  const w = (code && own[code]) ?? (code && WORDS[code]);
  if (typeof w === "function") return w(e);
  if (typeof w === "string") return w;
  if (code === "invalid" && e.message) return sentence(e.message);
  return "Something went wrong: " + ((e && e.message) || "unknown error") + ". Nothing was changed.";
}

/** What to do about each kind of importer problem (formats.Problem codes). */
const PROBLEM = {
  invalid_secret: "its secret key has letters that can't be in a key (only A–Z and 2–7)",
  invalid_uri: "its otpauth:// link is incomplete or damaged",
  invalid_key: "its settings (type, algorithm, digits or period) are ones no authenticator can use",
};

/**
 * One line for an entry of a file that cannot be brought in: which entry, why, and what to
 * do about it. p: {index, label, message, code} from an import or restore preview.
 */
export function problemLine(p) {
  const which = `Entry ${p.index}${p.label ? ` (${p.label})` : ""}`;
  const why = PROBLEM[p.code] ?? (p.message || "it cannot be read");
  return `${which}: ${why}. Check it in the app it came from, or add it by hand with Add account and the site's setup key.`;
}
