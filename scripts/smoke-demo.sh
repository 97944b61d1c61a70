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

env -u DATABASE_URL -u DATA_DIR npx tsx scripts/demo.ts | tee /tmp/smoke-demo-setup.log
password=$(awk '$1 == "admin" && $2 == "admin@demo.example" {print $3}' /tmp/smoke-demo-setup.log)
[ -n "$password" ] || { echo "The demo set-up printed no admin sign-in"; exit 1; }
[ -f .next/BUILD_ID ] || npx next build
env -u DATABASE_URL -u DATA_DIR BETTER_AUTH_URL="http://127.0.0.1:$port" node node_modules/next/dist/bin/next start -p "$port" > /tmp/smoke-demo-server.log 2>&1 &
server=$!
jar=$(mktemp)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/sign-in" -o /dev/null && break; sleep 1; done
# Signed out, the overview sends people to sign in.
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")" = "307" ] || { echo "The overview did not ask for sign-in"; exit 1; }
curl -sf -c "$jar" -H "content-type: application/json" -H "origin: http://127.0.0.1:$port" \
  -d "{\"email\":\"admin@demo.example\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/auth/sign-in/email" -o /dev/null
curl -sf -b "$jar" "http://127.0.0.1:$port/" -o /tmp/smoke-demo.html
overdue=$(grep -o 'data-figure="overdue-at-as-of">[0-9]*' /tmp/smoke-demo.html | grep -o '[0-9]*$' || true)
raised=$(grep -o 'data-figure="raised">[0-9]*' /tmp/smoke-demo.html | grep -o '[0-9]*$' || true)
if [ -z "$overdue" ] || [ -z "$raised" ] || [ "$raised" -eq 0 ]; then
  echo "The overview page did not show demo figures"; cat /tmp/smoke-demo-server.log; exit 1
fi
curl -sS -b "$jar" "http://127.0.0.1:$port/uploads" -o /tmp/smoke-uploads.html
batches=$(grep -o '<tr data-batch="[0-9]*"' /tmp/smoke-uploads.html | wc -l || true)
if [ "$batches" -eq 0 ]; then echo "The uploads page lists no demo uploads"; cat /tmp/smoke-demo-server.log; exit 1; fi
users=$(curl -sS -b "$jar" "http://127.0.0.1:$port/admin/users" | grep -o '<tr data-user=' | wc -l || true)
[ "$users" -eq 5 ] || { echo "The users page does not list the 5 demo users"; exit 1; }
for page in /escalations /themes /dissent /data-quality /records /agencies/HIOWC /glossary; do
  code=$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "http://127.0.0.1:$port$page")
  [ "$code" = "200" ] || { echo "The page $page answered $code"; cat /tmp/smoke-demo-server.log; exit 1; }
done
echo "Demo served to the demo admin: the overview shows $raised escalations raised in the last complete quarter and $overdue overdue today; every dashboard page answers; the uploads page lists $batches uploads."
