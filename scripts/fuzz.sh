#!/usr/bin/env bash
# Runs every Fuzz* target in the module for a short time each: make fuzz FUZZTIME=5s
#
# A real finding fails at once: the fuzzer writes the failing input under testdata/fuzz and
# says so. Go's fuzzer can also stop with a bare "context deadline exceeded" when -fuzztime
# runs out while a worker is busy with an input; that is about the clock, not the code, so
# such a run is tried again, up to three times in all, before it counts as a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${1:-5s}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

fuzz_once() {
  go test -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" "$1" 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

for pkg in $(go list ./internal/... ./cmd/...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "fuzz $pkg $target ($fuzztime)"
    for try in 1 2 3; do
      fuzz_once "$pkg" "$target" && continue 2
      if grep -q 'Failing input written to' "$log" || ! grep -q 'context deadline exceeded' "$log"; then
        exit 1
      fi
      echo "fuzz: $target stopped on the clock, not on an input (try $try of 3)"
    done
    exit 1
  done
done
