#!/usr/bin/env bash
# Opens Chromium with Codeward loaded from the repository root in a fresh, throw-away
# profile (`make run` builds first). Extra arguments go to Chromium.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# Without a display Chromium dies with a screen of X11 errors. Say in one line what works
# instead. macOS and Windows need no DISPLAY; an explicit --headless argument needs none.
headless=false
for arg in "$@"; do
  case "$arg" in --headless*) headless=true ;; esac
done
case "$(uname -s)" in
  Linux | *BSD)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$headless" = false ]; then
      echo "run: no display (DISPLAY and WAYLAND_DISPLAY are unset), so Chromium cannot open a window: run 'xvfb-run make run' (Debian package xvfb), or load the folder by hand in a browser on a machine with a screen (README: Installing by hand)" >&2
      exit 1
    fi
    ;;
esac

if [ ! -f "$root/build/codeward.wasm" ] || [ ! -f "$root/build/codeward-tools.wasm" ] || [ ! -f "$root/build/wasm_exec.js" ]; then
  echo "run: build/ is missing the WASM core; run 'make' first" >&2
  exit 1
fi

# The real binary: /usr/bin/chromium is a wrapper that adds flags of its own.
browser=""
for candidate in /usr/lib/chromium/chromium chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$candidate" >/dev/null 2>&1; then
    browser="$(command -v "$candidate")"
    break
  fi
done
if [ -z "$browser" ]; then
  echo "run: no Chromium or Chrome found; 'scripts/deps.sh browsers' installs Chromium on Debian" >&2
  exit 1
fi

# Chromium derives an unpacked extension's id from its absolute path: the first 32 hex digits
# of SHA-256, spelled with the letters a–p. Knowing it lets us open the popup as a tab too.
id="$(printf %s "$root" | sha256sum | head -c 32 | tr 0-9a-f a-p)"

# Chromium refuses to run as root with its sandbox on (containers, CI machines).
sandbox=()
[ "$(id -u)" -ne 0 ] || sandbox=(--no-sandbox)

profile="$(mktemp -d "${TMPDIR:-/tmp}/codeward-profile.XXXXXX")"
trap 'rm -rf "$profile"' EXIT

echo "run: $browser with Codeward ($id) from $root, profile $profile" >&2
"$browser" \
  --user-data-dir="$profile" \
  --load-extension="$root" \
  --disable-extensions-except="$root" \
  "${sandbox[@]}" \
  --disable-gpu \
  --no-first-run \
  --no-default-browser-check \
  --disable-quic \
  --disable-background-networking \
  --disable-component-update \
  --disable-sync \
  "$@" \
  chrome://extensions/ \
  "chrome-extension://$id/extension/popup/popup.html"
