#!/usr/bin/env bash
# Runs the README's first command's steps (demo set-up, then the server on the production build,
# which .ci/run has just made) in a fresh default data folder, and checks the overview page shows
# demo figures and the uploads page lists the demo's uploads.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-3123}
backup=""
if [ -e .data ]; then backup=$(mktemp -d); mv .data "$backup/"; fi
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf .data .data.lock
  if [ -n "$backup" ]; then mv "$backup/.data" .data; rmdir "$backup"; fi
}
trap cleanup EXIT

env -u DATABASE_URL -u DATA_DIR npx tsx scripts/demo.ts
[ -f .next/BUILD_ID ] || npx next build
env -u DATABASE_URL -u DATA_DIR node node_modules/next/dist/bin/next start -p "$port" > /tmp/smoke-demo-server.log 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/" -o /tmp/smoke-demo.html && break; sleep 1; done
open=$(grep -o 'data-figure="open-at-as-of">[0-9]*' /tmp/smoke-demo.html | grep -o '[0-9]*$' || true)
raised=$(grep -o 'data-figure="raised">[0-9]*' /tmp/smoke-demo.html | grep -o '[0-9]*$' | awk '{s+=$1} END {print s+0}' || true)
if [ -z "$open" ] || [ -z "$raised" ] || [ "$raised" -eq 0 ]; then
  echo "The overview page did not show demo figures"; cat /tmp/smoke-demo-server.log; exit 1
fi
curl -sS "http://127.0.0.1:$port/uploads" -o /tmp/smoke-uploads.html
batches=$(grep -o '<tr data-batch="[0-9]*"' /tmp/smoke-uploads.html | wc -l || true)
if [ "$batches" -eq 0 ]; then echo "The uploads page lists no demo uploads"; cat /tmp/smoke-demo-server.log; exit 1; fi
echo "Demo served: the overview shows $raised escalations raised over 8 quarters and $open open today; the uploads page lists $batches uploads."
