#!/usr/bin/env bash
# Installs what the build and the tests need, and only what is missing, so that `make test`
# works on a fresh Debian machine with Go and Node and costs nothing on a prepared one.
#
#   scripts/deps.sh            browsers and advzip (apt), npm packages (npm ci), Go modules
#   scripts/deps.sh browsers   only the browsers (for `make run`)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "deps: $*" >&2; }

# The real Chromium binary: /usr/bin/chromium is a wrapper script, and a binary someone put
# there by hand without the package would not bring chromium-driver or its libraries.
have_chromium() { [ -x /usr/lib/chromium/chromium ] && dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'install ok installed'; }
have_firefox() { command -v firefox-esr >/dev/null 2>&1 && dpkg-query -W -f='${Status}' firefox-esr 2>/dev/null | grep -q 'install ok installed'; }

browsers() {
  local want=()
  have_chromium || want+=(chromium chromium-driver)
  have_firefox || want+=(firefox-esr)
  command -v advzip >/dev/null 2>&1 || want+=(advancecomp) # scripts/dist.sh: smaller store zips
  if [ ${#want[@]} -eq 0 ]; then
    return
  fi
  log "installing ${want[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q "${want[@]}"
}

npm_packages() {
  # web-ext and ws (Firefox tests, lint) and workerd (the backup-server Worker under
  # Cloudflare's runtime, `make test-server`), all pinned in package-lock.json.
  # npm ci writes node_modules/.package-lock.json; when it is missing or older than the
  # lockfile, the installed tree may not match what is pinned.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm ci"
    npm ci --no-audit --no-fund
  fi
  # Some npm packages ship .go files; a go.mod here makes node_modules a module of its own,
  # so `go vet ./...` and `go test ./...` never wander into it.
  [ -f node_modules/go.mod ] || printf 'module codeward.dev/node_modules\n' > node_modules/go.mod
}

go_modules() {
  go mod download
}

case "${1:-all}" in
  browsers) browsers ;;
  all)
    browsers
    npm_packages
    go_modules
    ;;
  *)
    echo "usage: scripts/deps.sh [browsers]" >&2
    exit 2
    ;;
esac
