#!/usr/bin/env bash
# Writes store-ready packages (`make dist` builds first):
#   dist/codeward-chrome.zip    for the Chrome Web Store
#   dist/codeward-firefox.zip   for addons.mozilla.org
#   dist/firefox-src/           the unpacked Firefox tree (`make lint` runs web-ext lint on it)
# Each holds only what the extension loads: manifest.json, extension/ and the two WASM
# programs (the core, and the import/export tools it loads on demand).
# The one manifest of the repository root is trimmed per browser: Chrome gets the service
# worker only, Firefox the background scripts and its gecko settings.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

for f in build/codeward.wasm build/codeward-tools.wasm build/wasm_exec.js manifest.json; do
  [ -f "$f" ] || { echo "dist: $f is missing; run 'make' first" >&2; exit 1; }
done

rm -rf dist/chrome-src dist/firefox-src dist/codeward-chrome.zip dist/codeward-firefox.zip
mkdir -p dist

stage() {
  local dir="$1"
  mkdir -p "$dir/build"
  # Only files the extension serves: no tests, notes or editor leftovers.
  tar -C "$root" -cf - \
    --exclude='.*' --exclude='*.md' --exclude='*.test.js' --exclude='*_test.*' \
    extension | tar -C "$dir" -xf -
  cp build/codeward.wasm build/codeward-tools.wasm build/wasm_exec.js "$dir/build/"
  # The Google OAuth client is a build setting (README, "Automatic backups"): without one the
  # Drive option says it is not set up in this build.
  CLIENT_ID="${CODEWARD_GOOGLE_CLIENT_ID:-}" CLIENT_SECRET="${CODEWARD_GOOGLE_CLIENT_SECRET:-}" node -e '
    const fs = require("fs");
    const f = process.argv[1];
    const g = JSON.parse(fs.readFileSync(f, "utf8"));
    if (process.env.CLIENT_ID) g.clientId = process.env.CLIENT_ID;
    if (process.env.CLIENT_SECRET) g.clientSecret = process.env.CLIENT_SECRET;
    fs.writeFileSync(f, JSON.stringify(g, null, 2) + "\n");
  ' "$dir/extension/google.json"
}

# manifest for <browser>: written from the repository's manifest.json.
manifest() {
  node -e '
    const fs = require("fs");
    const [browser, out] = process.argv.slice(1);
    const m = JSON.parse(fs.readFileSync("manifest.json", "utf8"));
    if (browser === "chrome") {
      delete m.background.scripts;
      delete m.browser_specific_settings;
    } else {
      delete m.background.service_worker;
    }
    fs.writeFileSync(out, JSON.stringify(m, null, 2) + "\n");
  ' "$1" "$2"
}

package() {
  local browser="$1" dir="dist/$1-src"
  stage "$dir"
  manifest "$browser" "$dir/manifest.json"
  # Sorted names and no extra attributes, so the same tree gives the same archive listing.
  (cd "$dir" && find . -type f | LC_ALL=C sort | sed 's|^\./||' | zip -q -X -9 "$root/dist/codeward-$browser.zip" -@)
  # Recompress every entry with 7-Zip's deflate (advzip, Debian's advancecomp, which
  # scripts/deps.sh installs): still plain deflate, which every store and browser reads, and
  # 4 % smaller than zip -9 here (3,501,924 -> 3,357,016 bytes), almost all of it in the two
  # WASM programs; about 18 s per zip on 2 cores. Zopfli (-z -4) saved 6 KB more for 10 s more.
  if command -v advzip >/dev/null 2>&1; then
    advzip -z -3 -q "$root/dist/codeward-$browser.zip"
    unzip -tq "$root/dist/codeward-$browser.zip" >/dev/null
  else
    echo "dist: advzip not found (scripts/deps.sh installs advancecomp): codeward-$browser.zip stays at zip -9" >&2
  fi
}

package chrome
package firefox
rm -rf dist/chrome-src

for z in dist/codeward-chrome.zip dist/codeward-firefox.zip; do
  echo "dist: $z ($(du -k "$z" | cut -f1) KiB)"
done
