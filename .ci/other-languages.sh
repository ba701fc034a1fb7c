#!/usr/bin/env bash
# Proves openapi.yaml works for other teams' generators, against a real sandbox:
# a Python client (openapi-python-client) running
# examples/python/scenario.py, TypeScript types (openapi-typescript) type-checking and running
# examples/typescript/scenario.ts, Java and Python clients from openapi-generator, and
# schemathesis: with schemathesis.toml against a sandbox at the docs' epoch, then with the
# no-scope token and no token.
# Usage: .ci/other-languages.sh TOOLS_DIR ADULTWORK_BINARY   (tools already installed by .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$1"
ADULTWORK="$2"
PY="$TOOLS/venv/bin"
NPM_BIN="$TOOLS/npm/node_modules/.bin"
WORK="$TOOLS/other-languages"
mkdir -p "$WORK"

# --- sandboxes in the background, on free ports, stopped on exit
PIDS=()
trap 'for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT
start_sandbox() {  # start_sandbox NAME [FLAGS...]: sets SANDBOX_URL
  local log="$WORK/$1.log"
  shift
  "$ADULTWORK" sandbox --port 0 "$@" >"$log" 2>&1 &
  PIDS+=("$!")
  SANDBOX_URL=""
  for _ in $(seq 1 100); do
    SANDBOX_URL="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$log" | head -n1 || true)"
    [ -n "$SANDBOX_URL" ] && break
    sleep 0.1
  done
  [ -n "$SANDBOX_URL" ] || { cat "$log"; echo "sandbox did not start"; exit 1; }
}
start_sandbox sandbox
BASE="$SANDBOX_URL"
echo "sandbox at $BASE"
reset() { curl -fsS -X POST "$BASE/_sandbox/reset" >/dev/null; }

echo "--- Python: openapi-python-client"
PATH="$PY:$PATH" "$PY/openapi-python-client" generate --path openapi.yaml \
  --config .ci/python-client.yaml --output-path "$WORK/python-client" --meta setup
"$PY/pip" install --quiet --disable-pip-version-check "$WORK/python-client"
reset
"$PY/python" examples/python/scenario.py "$BASE"

echo "--- TypeScript: openapi-typescript + tsc + node"
cp -r examples/typescript "$WORK/typescript"
"$NPM_BIN/openapi-typescript" openapi.yaml --redocly .ci/openapi-typescript.redocly.yaml \
  -o "$WORK/typescript/api.d.ts"
"$NPM_BIN/tsc" -p "$WORK/typescript" --noEmit --typeRoots "$TOOLS/npm/node_modules/@types"
"$NPM_BIN/tsc" -p "$WORK/typescript" --typeRoots "$TOOLS/npm/node_modules/@types"
reset
node "$WORK/typescript/dist/scenario.js" "$BASE"

echo "--- openapi-generator: Java (generation) and Python (generation + a call)"
"$PY/openapi-generator-cli" generate -i openapi.yaml -g java -o "$WORK/java" \
  --additional-properties=library=native,hideGenerationTimestamp=true >"$WORK/java.log"
! grep -E '\[main\] ERROR' "$WORK/java.log"   # generation must succeed without errors
grep -E '\[main\] WARN' "$WORK/java.log" | sort | uniq -c || true   # shown, not fatal (see README)
"$PY/openapi-generator-cli" generate -i openapi.yaml -g python -o "$WORK/ogpython" \
  --additional-properties=packageName=adultwork_og >"$WORK/ogpython.log"
"$PY/pip" install --quiet --disable-pip-version-check "$WORK/ogpython"
reset
"$PY/python" examples/python/openapi_generator_smoke.py "$BASE"

echo "--- 401 without a token, 403 without the scope, on every operation"
expect() {  # expect STATUS METHOD PATH [TOKEN]
  local auth=()
  [ -n "${4:-}" ] && auth=(-H "Authorization: bearer $4")
  local got
  got="$(curl -s -o /dev/null -w '%{http_code}' -X "$2" "${auth[@]}" -H 'Content-Type: application/json' \
    --data-binary '{}' "$BASE$3")"
  [ "$got" = "$1" ] || { echo "$2 $3 with token '${4:-}': expected $1, got $got"; exit 1; }
}
for op in "POST /v1/Webcam/CreateBooking" "GET /v1/Webcam/MadeBookingDetails?BookingID=1" \
  "GET /v1/Groups/Webcam/MadeBookingDetails?UserID=100001&BookingID=1" \
  "POST /v1/Webcam/CancelMadeBooking" "POST /v1/Webcam/RescheduleMadeBooking" \
  "POST /v1/PhoneChat/CreateBooking"; do
  read -r method path <<<"$op"
  expect 401 "$method" "$path"
  expect 401 "$method" "$path" "not-a-token"
  expect 403 "$method" "$path" "sandbox-noscope-token"
done
echo "ok"

echo "--- schemathesis (schemathesis.toml) against a sandbox at the docs' epoch"
start_sandbox sandbox-epoch --now 2018-01-01T11:00
EPOCH_BASE="$SANDBOX_URL"
echo "sandbox at $EPOCH_BASE, clock from 2018-01-01 11:00"
"$PY/schemathesis" run openapi.yaml --url "$EPOCH_BASE" --checks all --no-color
# schemathesis.toml fails the run on any warning; the summary shows the links covered.

echo "--- schemathesis: 401/403 answers conform, with the no-scope token and with no token"
reset
for token in "sandbox-noscope-token" ""; do
  header=()
  [ -n "$token" ] && header=(-H "Authorization: bearer $token")
  # Without schemathesis.toml, whose client token would be sent.
  "$PY/schemathesis" --config-file /dev/null run openapi.yaml --url "$BASE" --seed 20261125 \
    --max-examples 10 --generation-database none "${header[@]}" \
    --checks status_code_conformance,content_type_conformance,response_schema_conformance \
    --warnings off --no-color
done
echo "other languages: all passed"
