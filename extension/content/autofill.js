// Codeward content script: finds one-time-code fields and types a code into them.
//
// Classic script (MV3 content scripts are not modules). It runs in every frame the
// extension may reach: declared or registered for sites the user granted host access to,
// or injected on demand (popup "Fill", keyboard shortcut, context menu) through activeTab.
//
// Trust: this script is untrusted by design. It knows nothing but what the page shows. It
// asks the background for a code; the background checks the frame's and the tab's URLs
// against the account's sites and answers with one code or nothing. It never receives a
// secret, a key or the account list, and it never fills a password or e-mail field.
(() => {
  "use strict";

  // Injected twice (declared script plus an on-demand injection)? The first instance stays.
  if (globalThis.__codewardAutofill) return;
  globalThis.__codewardAutofill = true;

  const api = globalThis.browser?.runtime?.id ? globalThis.browser : globalThis.chrome;

  // Mirrored from extension/shared/messages.js (Kinds.content); a classic script cannot
  // import the module.
  const KIND_REQUEST = "autofill.request";

  // --- what a one-time-code field looks like -------------------------------------------

  // Whole words (after splitting names like "app_otp", "totpPin", "mfa-code").
  const WORDS = new Set([
    "otp", "totp", "hotp", "2fa", "mfa", "tfa", "2sv", "sms", "code", "codes", "token", "pin",
    "passcode", "onetime", "otc", "verification", "verify", "verifycode", "authenticator",
    "authentication", "auth", "twofactor", "security",
    "codigo", "código", "codice", "kod", "kode", "koodi", "cod", "код", "κωδικός",
    "verificación", "vérification", "verifica", "verificação", "bestätigung",
  ]);
  // Substrings that only occur in code fields (long enough not to hit ordinary words).
  const PHRASES = [
    "one-time", "one time", "onetimecode", "one_time", "verification", "authenticat",
    "two-factor", "two factor", "2-step", "two-step", "security code", "app_otp", "totp",
    "authentifizierung", "bestätigungscode", "sicherheitscode", "einmalcode", "einmalpasswort",
    "código", "codigo de", "verificación", "vérification", "à usage unique", "codice di",
    "verificatiecode", "beveiligingscode", "kod weryfikacyjny", "doğrulama kodu",
    "verifieringskod", "engångskod", "код подтверждения", "одноразов",
    "確認コード", "認証コード", "ワンタイム", "验证码", "驗證碼", "动态码", "인증 코드", "인증코드",
  ];
  // Words that make a field something else even if it says "code".
  const NEGATIVE = [
    "zip", "postal", "postcode", "post code", "plz", "promo", "coupon", "voucher", "discount",
    "gift", "captcha", "country", "area", "phone", "mobile", "tel-", "search", "query", "cvv",
    "cvc", "card", "iban", "referral", "invite", "invitation", "qr", "backup", "recovery",
    "email", "e-mail", "mail", "user", "login", "password", "passwort", "contraseña",
  ];

  const FILLABLE_TYPES = new Set(["", "text", "tel", "number", "search"]);

  function attr(el, name) {
    return (el.getAttribute(name) || "").toLowerCase();
  }

  /** True for inputs Codeward must never write into, whatever the user asks. */
  function forbidden(el) {
    if (!(el instanceof HTMLInputElement)) return true;
    const type = attr(el, "type");
    if (type === "password" || type === "email") return true;
    if (!FILLABLE_TYPES.has(type)) return true;
    const ac = attr(el, "autocomplete");
    if (/\b(current-password|new-password|email|username)\b/.test(ac)) return true;
    const ident = `${attr(el, "name")} ${attr(el, "id")}`;
    if (/(pass(word)?|passwd|e-?mail|username)/.test(ident) && !/passcode/.test(ident)) return true;
    return false;
  }

  function usable(el) {
    if (forbidden(el) || el.disabled || el.readOnly) return false;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }

  function labelText(el) {
    const parts = [];
    for (const l of el.labels || []) parts.push(l.textContent || "");
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    for (const id of ids) {
      const n = el.ownerDocument.getElementById(id);
      if (n) parts.push(n.textContent || "");
    }
    return parts.join(" ");
  }

  function words(s) {
    return s
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
  }

  function describe(el) {
    return [
      el.getAttribute("name"), el.id, el.getAttribute("placeholder"), el.getAttribute("aria-label"),
      el.getAttribute("title"), labelText(el),
    ].filter(Boolean).join(" ");
  }

  /** Scores how much a single input looks like a one-time-code field (0 = not at all). */
  function score(el) {
    if (!usable(el)) return 0;
    if (/\bone-time-code\b/.test(attr(el, "autocomplete"))) return 100;
    const text = describe(el);
    const lower = text.toLowerCase();
    if (NEGATIVE.some((n) => lower.includes(n)) && !PHRASES.some((p) => lower.includes(p))) return 0;
    let s = 0;
    if (PHRASES.some((p) => lower.includes(p))) s = 70;
    else if (words(text).some((w) => WORDS.has(w))) s = 60;
    const max = el.maxLength;
    const numeric = attr(el, "inputmode") === "numeric" || attr(el, "type") === "tel" || attr(el, "type") === "number"
      || /^\[?0-9\]?|\\d/.test(el.getAttribute("pattern") || "");
    if (numeric && max >= 6 && max <= 8) s = Math.max(s, 50) + 10;
    else if (s > 0 && max >= 6 && max <= 10) s += 5;
    if (s > 0 && max > 0 && max < 4) s = 0; // a 1–3 character box is part of a split field at most
    return s;
  }

  /** Runs of 6 or 8 single-character inputs next to each other: split code boxes. */
  function splitGroups(doc) {
    const inputs = Array.from(doc.querySelectorAll("input"));
    const groups = [];
    let run = [];
    const flush = () => {
      if (run.length === 6 || run.length === 8) groups.push(run);
      run = [];
    };
    for (const el of inputs) {
      if (attr(el, "type") === "hidden") continue;
      const single = el.maxLength === 1 && usable(el);
      if (single && (run.length === 0 || sameGroup(run[0], el))) run.push(el);
      else {
        flush();
        if (single) run.push(el);
      }
    }
    flush();
    return groups.filter((g) => !g.some((el) => NEGATIVE.some((n) => describe(el).toLowerCase().includes(n))));
  }

  // Boxes of one code share a container within a few levels.
  function sameGroup(a, b) {
    let p = a.parentElement;
    for (let i = 0; p && i < 4; i++, p = p.parentElement) if (p.contains(b)) return true;
    return false;
  }

  /**
   * The best code target in this document: {inputs: [el]} or {inputs: [6 or 8 boxes]}, or
   * null. A focused fillable field wins when the user asked for a fill (not automatic).
   */
  function findTarget(doc, { preferFocused = false } = {}) {
    if (preferFocused) {
      const a = doc.activeElement;
      if (a instanceof HTMLInputElement && !forbidden(a) && !a.disabled && !a.readOnly) {
        const g = splitGroups(doc).find((grp) => grp.includes(a));
        return { inputs: g || [a] };
      }
    }
    let best = null;
    let bestScore = 0;
    for (const el of doc.querySelectorAll("input")) {
      const s = score(el);
      if (s > bestScore) {
        best = el;
        bestScore = s;
      }
    }
    const groups = splitGroups(doc);
    if (groups.length && bestScore < 100) return { inputs: groups[0] };
    return bestScore >= 50 ? { inputs: [best] } : null;
  }

  // --- typing ---------------------------------------------------------------------------

  // The prototype's setter bypasses whatever the page put on the element itself, which is
  // how React and similar frameworks notice a change (their tracker sees a new value when
  // the input event arrives).
  const valueSetter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;

  function typeInto(el, text) {
    el.focus({ preventScroll: false });
    el.dispatchEvent(new KeyboardEvent("keydown", { key: text.slice(-1), bubbles: true, cancelable: true }));
    el.dispatchEvent(new InputEvent("beforeinput", { inputType: "insertText", data: text, bubbles: true, cancelable: true }));
    valueSetter.call(el, text);
    el.dispatchEvent(new InputEvent("input", { inputType: "insertText", data: text, bubbles: true }));
    el.dispatchEvent(new KeyboardEvent("keyup", { key: text.slice(-1), bubbles: true, cancelable: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  /** Types code into the target; split boxes get one digit each. Returns true when done. */
  function fill(target, code) {
    const { inputs } = target;
    if (!inputs.length || inputs.some((el) => forbidden(el) || !el.isConnected)) return false;
    if (inputs.length === 1) {
      typeInto(inputs[0], code);
      return true;
    }
    if (inputs.length !== code.length) return false;
    inputs.forEach((el, i) => typeInto(el, code[i]));
    return true;
  }

  // --- the frame's documents: this one and same-origin iframes inside it ----------------
  // Same-origin iframes normally get their own instance (all_frames), but a frame created
  // without a navigation (about:blank, srcdoc, document.write) does not; search those too.

  function documents() {
    const out = [document];
    for (let i = 0; i < out.length; i++) {
      for (const f of out[i].querySelectorAll("iframe, frame")) {
        let d = null;
        try {
          d = f.contentDocument;
        } catch {
          d = null;
        }
        if (d && (d.URL === "about:blank" || d.URL === "about:srcdoc") && !out.includes(d)) out.push(d);
      }
    }
    return out;
  }

  function find(opts) {
    for (const d of documents()) {
      const t = findTarget(d, opts);
      if (t) return t;
    }
    return null;
  }

  // --- talking to the background ----------------------------------------------------------

  // Resolves to the code, to null when the background answered without one, or to
  // undefined when no answer came (the worker was restarting): the caller may ask again.
  async function request(payload) {
    let reply;
    try {
      reply = await api.runtime.sendMessage({ kind: KIND_REQUEST, payload });
    } catch {
      return undefined;
    }
    if (!reply) return undefined;
    if (reply.ok && reply.value && typeof reply.value.code === "string") return reply.value.code;
    return null;
  }

  // A code is only ever typed in a field found right now, and only digits or Steam letters.
  function plausible(code, target) {
    return /^[0-9A-Z]{5,10}$/.test(code) && (target.inputs.length === 1 || target.inputs.length === code.length);
  }

  let lastContextTarget = null;
  document.addEventListener(
    "contextmenu",
    (e) => {
      const el = e.composedPath ? e.composedPath()[0] : e.target;
      lastContextTarget = el instanceof HTMLInputElement ? el : null;
    },
    true,
  );

  // Fill requested by the user (popup, shortcut, context menu): the background hands out an
  // offer id for this tab; whichever frame finds a field claims the code with it.
  async function onOffer(msg) {
    let target = null;
    if (msg.context && lastContextTarget && lastContextTarget.isConnected && !forbidden(lastContextTarget)) {
      const g = splitGroups(lastContextTarget.ownerDocument).find((grp) => grp.includes(lastContextTarget));
      target = { inputs: g || [lastContextTarget] };
    }
    if (!target) target = find({ preferFocused: true });
    if (!target) return { found: false };
    const code = await request({ offer: msg.offer, boxes: target.inputs.length });
    if (!code || !plausible(code, target)) return { found: true, filled: false };
    return { found: true, filled: fill(target, code) };
  }

  // Automatic fill: once per page, when a code field shows up and it is still empty.
  let autoDone = false;
  let autoBusy = false;
  async function tryAuto() {
    if (autoDone || autoBusy) return;
    const target = find({});
    if (!target || target.inputs.some((el) => el.value !== "")) return;
    autoBusy = true;
    try {
      const code = await request({ auto: true, boxes: target.inputs.length });
      if (code === undefined) return; // no answer: a later look may ask again
      autoDone = true; // answered once: a refusal (unbound site, locked vault) is not repeated
      if (code && plausible(code, target) && target.inputs.every((el) => el.value === "")) fill(target, code);
    } finally {
      autoBusy = false;
    }
  }

  // The background's injected function calls this for a fill the user started (popup,
  // shortcut, context menu). The property lives in the extension's isolated world: page
  // scripts cannot see or call it.
  globalThis.__codewardOffer = (offer, context) => {
    if (typeof offer !== "string") return { found: false };
    return onOffer({ offer, context: !!context }).catch(() => ({ found: false }));
  };

  // Fields that appear later (single-page apps, a second login step) are watched for, with
  // a debounce so a busy page costs little; the watch ends once a fill was asked for.
  let pending = 0;
  const observer = new MutationObserver(() => {
    if (autoDone) {
      observer.disconnect();
      return;
    }
    if (pending) return;
    pending = setTimeout(() => {
      pending = 0;
      tryAuto();
    }, 150);
  });

  function start() {
    // Injected only for one user-started fill: no automatic fill from this instance.
    if (globalThis.__codewardOnDemand) return;
    tryAuto();
    // A field can exist before it is laid out or shown (a frame still sizing, a step
    // revealed by style alone): look again a few times, and when the person focuses a field.
    for (const ms of [500, 1500, 4000]) setTimeout(tryAuto, ms);
    document.addEventListener("focusin", () => tryAuto(), true);
    document.addEventListener("visibilitychange", () => tryAuto());
    observer.observe(document.documentElement || document, { childList: true, subtree: true, attributes: true, attributeFilter: ["type", "style", "class", "hidden"] });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
