#!/usr/bin/env bash
# Regenerates every figure in BENCHMARKS.md, in one run on this machine:
#   1. criterion: response decoding, request preparation, full calls (benches/{decode,request,call}.rs)
#   2. load: the sandbox (`adultwork sandbox`) and Prism (`prism mock openapi.yaml`), details GET
#      and create POST at concurrency 1, 16 and 64 (benches/load.rs; fixed request count, time cap)
#   3. build cost of the SDK crate: clean (deps cached), no-op, after touching openapi.yaml
# then writes target/bench-results/results.md (benches/summarize.py; `target` is
# $CARGO_TARGET_DIR when set). Stops by itself; about
# 8 minutes on 2 cores once the benchmarks are compiled. Installs Prism into a temporary directory.
#
# Settings (environment): MEASURE / WARMUP (criterion seconds, default 3 / 1), REQUESTS and
# TIME_CAP (per load case, default 20000 / 8 s), PRISM_VERSION, WAIT_QUIET=MINUTES (wait up to
# that long for a quiet machine before measuring: no rustc, 1-minute load average under 1), COLD=1 (time a from-scratch build of the
# SDK and all its dependencies in an emptied target directory; the first run always does, which
# adds a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET/bench-results
MEASURE=${MEASURE:-3}
WARMUP=${WARMUP:-1}
REQUESTS=${REQUESTS:-20000}
TIME_CAP=${TIME_CAP:-8}
PRISM_VERSION=${PRISM_VERSION:-5.14.2}
export CARGO_TERM_COLOR=never

TOOLS=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TOOLS"
}
trap cleanup EXIT

START=$SECONDS
stage() { printf '\n=== %s (t=%ss, load average %s)\n' "$1" "$((SECONDS - START))" "$(cut -d' ' -f1-3 /proc/loadavg)"; }

rm -rf "$OUT" "$TARGET/criterion"
mkdir -p "$OUT"

stage "compile (not measured)"
cargo bench -p adultwork --no-run --locked 2>&1 | tail -n 1
cargo build --release -p adultwork-cli --locked 2>&1 | tail -n 1
npm install --silent --no-audit --no-fund --prefix "$TOOLS/prism" "@stoplight/prism-cli@$PRISM_VERSION"

# Quiet: no rustc running and a 1-minute load average under 1 (at most one core busy).
quiet() { [ "$(pgrep -c rustc || true)" = 0 ] && awk '{ exit !($1 < 1.0) }' /proc/loadavg; }
if [ -n "${WAIT_QUIET:-}" ]; then
  stage "waiting up to ${WAIT_QUIET} min for a quiet machine"
  for _ in $(seq "$((WAIT_QUIET * 4))"); do
    quiet && break
    sleep 15
  done
fi

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cores: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "rustc: $(rustc --version)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "other rustc processes at start: $(pgrep -c rustc || true)"
  echo "busiest processes at start (%cpu since they started):"
  ps -eo pcpu=,comm= --sort=-pcpu | head -n 3 | sed 's/^/  /'
} > "$OUT/machine.txt"
cat "$OUT/machine.txt"

stage "criterion: decode, request, call"
cargo bench -p adultwork --locked --bench decode --bench request --bench call -- \
  --warm-up-time "$WARMUP" --measurement-time "$MEASURE" 2>&1 |
  grep -E '^(decode|request|call)/|time:|thrpt:' > "$OUT/criterion.txt"
echo "load average after criterion: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # URL: up to 60 s for the server to answer at all
  for _ in $(seq 600); do
    curl -s -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.1
  done
  echo "no answer from $1" >&2
  return 1
}
load() { # LABEL URL [extra load args]
  local label=$1 url=$2
  shift 2
  cargo bench -p adultwork --locked --bench load -- --url "$url" --label "$label" \
    --requests "$REQUESTS" --time-cap "$TIME_CAP" --concurrency 1,16,64 --ops details,create \
    --out "$OUT/load.tsv" "$@"
}

stage "load: sandbox"
PORT=$(free_port)
"$TARGET/release/adultwork" sandbox --port "$PORT" > "$OUT/sandbox.log" 2>&1 &
SERVER_PID=$!
wait_for "http://127.0.0.1:$PORT/_sandbox/clock"
load sandbox "http://127.0.0.1:$PORT" --reset /_sandbox/reset
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=

stage "load: Prism $PRISM_VERSION"
PORT=$(free_port)
"$TOOLS/prism/node_modules/.bin/prism" mock openapi.yaml -p "$PORT" > "$OUT/prism.log" 2>&1 &
SERVER_PID=$!
wait_for "http://127.0.0.1:$PORT/"
load prism "http://127.0.0.1:$PORT" --scheme Bearer # Prism refuses the docs' lower-case `bearer`
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=
echo "load average after load runs: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"

stage "build cost"
# A copy of the work tree with its own target directory, so touching the spec here rebuilds
# nobody else's work. Dependencies stay cached there between runs (COLD=1 starts empty).
BUILD=$TARGET/bench-build
mkdir -p "$BUILD/tree"
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C "$BUILD/tree"
export CARGO_TARGET_DIR=$BUILD/target
cd "$BUILD/tree"
seconds() { local t0=$EPOCHREALTIME; "$@" > /dev/null 2>&1; awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
if [ -n "${COLD:-}" ]; then rm -rf "$CARGO_TARGET_DIR"; fi
if [ ! -d "$CARGO_TARGET_DIR" ]; then
  # First run (or COLD=1): the crate and all its dependencies from nothing.
  echo "cold	$(seconds cargo build -p adultwork --locked)" >> "$OUT/build.tsv"
fi
cargo clean -p adultwork > /dev/null 2>&1
echo "clean	$(seconds cargo build -p adultwork --locked)" >> "$OUT/build.tsv"
echo "noop	$(seconds cargo build -p adultwork --locked)" >> "$OUT/build.tsv"
touch openapi.yaml
echo "spec_touch	$(seconds cargo build -p adultwork --locked)" >> "$OUT/build.tsv"
echo "noop_after	$(seconds cargo build -p adultwork --locked)" >> "$OUT/build.tsv"
cat "$OUT/build.tsv"
cd "$ROOT"
export CARGO_TARGET_DIR=$TARGET

stage "summary"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
python3 benches/summarize.py "$OUT" "$TARGET/criterion" > "$OUT/results.md"
cat "$OUT/results.md"
stage "done"
