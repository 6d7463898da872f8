#!/usr/bin/env bash
# Measures, from a clean clone of the current commit: install time (npm ci), time to the first
# page (`npm run dev` until /signin answers 200, with an empty data folder), and the run time of
# the test command (`npm test`). Usage: bash scripts/measure/foundation.sh [--skip-tests]
set -euo pipefail
repo=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
dev_pgid=""
cleanup() {
  [[ -n "$dev_pgid" ]] && kill -TERM -- "-$dev_pgid" 2>/dev/null || true
  sleep 1
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

git clone -q "$repo" "$work/app"
cd "$work/app"

t0=$(now); npm ci --no-audit --no-fund >/dev/null 2>&1; t1=$(now)
echo "install (npm ci, clean clone): $(secs "$t0" "$t1") s   (npm cache: $(du -sh ~/.npm 2>/dev/null | cut -f1) on this machine)"

# In its own process group, so that stopping it stops the launcher, Next.js and the counterparts.
PORT=3400 COUNTERPART_PORT_BASE=3400 setsid npm run dev >"$work/dev.log" 2>&1 &
dev_pgid=$!
t0=$(now)
until curl -fs -o /dev/null http://localhost:3400/signin; do
  sleep 0.25
  awk -v a="$t0" -v b="$(now)" 'BEGIN { exit !(b - a > 300) }' && { echo "dev server did not answer in 300 s"; tail -20 "$work/dev.log"; exit 1; }
done
t1=$(now)
echo "time to first page (npm run dev → /signin 200, cold): $(secs "$t0" "$t1") s"
grep -o "firebase auth .*(emulator, [0-9.]* s)" "$work/dev.log" | sed 's/.*(emulator, /  of which the Firebase Auth Emulator start: /; s/)$//' || true
kill -TERM -- "-$dev_pgid" 2>/dev/null || true
wait 2>/dev/null || true
dev_pgid=""

if [[ "${1:-}" != "--skip-tests" ]]; then
  t0=$(now); npm test >"$work/test.log" 2>&1 || { tail -40 "$work/test.log"; exit 1; }; t1=$(now)
  echo "test command (npm test: typecheck, lint, unit, build + e2e): $(secs "$t0" "$t1") s"
fi
