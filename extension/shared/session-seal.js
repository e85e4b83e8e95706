// Seals what the background caches in storage.session for pages (the popup's View), so that
// extension storage never holds account data in the clear — not even the memory-only session
// area. The key is random per unlock and lives in storage.session beside the vault's data
// key: it adds no secret the session did not already hold, and it goes when the vault locks.
// AES-GCM from WebCrypto: the popup must open the View without loading the WASM core.

/** storage.session key under which the background keeps the seal key while unlocked. */
export const SEAL_KEY = "sealKey";

/** storage.session key of the sealed View (messages.js re-exports it with the protocol). */
export const VIEW_KEY = "view";

/**
 * storage.session key of the sealed head of the View: what the popup's first screen needs
 * (the first rows, their codes, the counts and notices), written with the View in the same
 * rebuild so that a popup's first paint costs the same at 50 and at 5,000 accounts.
 */
export const VIEW_HEAD_KEY = "view.head";

// Uint8Array's own base64 (Chromium 140+, Firefox 133+) where there is one: a few ms for a
// 2 MB View, against tens of ms for btoa over a string built from the bytes.
function b64(bytes) {
  if (bytes.toBase64) return bytes.toBase64();
  // Chunked: String.fromCharCode(...bytes) overflows the call stack on large arrays.
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function unb64(s) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(s);
  // A plain loop: Uint8Array.from(string, fn) walks an iterator, ~10× slower on a 2 MB View.
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let cached = { raw: null, key: null };

async function importKey(raw) {
  if (cached.raw !== raw) {
    const key = await crypto.subtle.importKey("raw", unb64(raw), "AES-GCM", false, ["encrypt", "decrypt"]);
    cached = { raw, key };
  }
  return cached.key;
}

/** A new random key, as base64 (what storage.session holds). */
export function newSealKey() {
  return b64(crypto.getRandomValues(new Uint8Array(32)));
}

/** Seals a JSON value: {iv, data}, both base64. */
export async function seal(value, rawKey) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(value));
  const data = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await importKey(rawKey), plain));
  return { iv: b64(iv), data: b64(data) };
}

/** Opens what seal() made; throws if the key is not the one it was sealed with. */
export async function open(sealed, rawKey) {
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(sealed.iv) }, await importKey(rawKey), unb64(sealed.data));
  return JSON.parse(new TextDecoder().decode(plain));
}
