#!/usr/bin/env bash
# Property-based API testing: schemathesis generates requests from the OpenAPI document the server
# serves and checks that no answer is a 5xx and every answer matches its documented schema.
# Runs against a demo workspace on loopback, as an admin (API token), bounded in examples.
# Usage: .ci/schemathesis.sh [path/to/seatmate]   (default target/debug/seatmate)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/debug/seatmate}"
venv=.venv-schemathesis
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q schemathesis==4.32.5
fi

data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
log="$data/server.log"
"$bin" demo --data-dir "$data" --listen "127.0.0.1:$port" --metrics-listen 127.0.0.1:0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  kill -0 $server 2>/dev/null || { cat "$log"; echo "seatmate demo exited"; exit 1; }
  sleep 0.5
done
token=$("$bin" --data-dir "$data" token create --user admin --name schemathesis --scope write | grep -o 'smt_[0-9a-f]*' | head -1)
[ -n "$token" ] || { echo "could not create an API token"; exit 1; }

# logout and token revocation would end the run's own credentials; training is exercised by the
# Rust tests and the browser test (each call trains a model for seconds)
"$venv/bin/st" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance \
  --exclude-path /auth/logout --exclude-path /tokens/{id} --exclude-path /models/train \
  --max-examples 15 --seed 1 --request-timeout 30 --no-color
