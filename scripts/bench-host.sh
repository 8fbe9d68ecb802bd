#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench-host`: the host's CPU cost of receiving market data through the card (driver Ring
# over the in-memory device) versus the ordinary way (loopback UDP + recvmmsg + software decode),
# measured side by side, several rounds, medians. See docs/benchmarks.md. Prints, last:
#   host: <x> ns/tick card path, <y> ns/msg kernel path, ratio <r>
# Environment: BENCH_ROUNDS (default 5), BENCH_MESSAGES (default 500000).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${BENCH_ROUNDS:-5}"
MESSAGES="${BENCH_MESSAGES:-500000}"
CG_SLOTS=16384
CARGO=(cargo --quiet)
PKG=(-p tickwire --no-default-features) # the benchmarks need no simulator

if ! command -v valgrind >/dev/null; then
    echo "bench-host: installing valgrind (Debian)"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq valgrind
fi

echo "bench-host: building (release)"
"${CARGO[@]}" build --release "${PKG[@]}" --example card_consume --example kernel_path
"${CARGO[@]}" bench "${PKG[@]}" --bench card_path --no-run 2>/dev/null
TARGET="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
EX="$TARGET/release/examples"
ESTIMATES="$TARGET/criterion/card_path/poll_batch/new/estimates.json"

# key=value field of a line
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }
median() { python3 -c 'import statistics,sys; print("%.3f" % statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
card=() card_ru=() k_lean=() k_stream=() k_ref=()
echo "bench-host: $ROUNDS rounds, $MESSAGES messages; each round runs the card and kernel paths back to back"
printf '%-5s %14s %16s %16s %18s %18s\n' round "card ns/tick" "card cpu ns/tick" "kernel ns/msg" "kernel stream ns" "kernel ref ns/msg"
for r in $(seq 1 "$ROUNDS"); do
    # Card path, Criterion: median of the per-iteration (= per-tick) times of its samples.
    "${CARGO[@]}" bench "${PKG[@]}" --bench card_path -- --noplot >"$log" 2>&1 || { cat "$log"; exit 1; }
    c=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["median"]["point_estimate"])' "$ESTIMATES")
    # Card path, getrusage(RUSAGE_THREAD) of the consuming thread (cross-check).
    line=$("$EX/card_consume" rusage 20000000)
    cr=$(field cpu_ns_per_tick "$line")
    # Kernel path: lean decode, drain pacing (the headline), stream pacing, reference decoder.
    kl=$("$EX/kernel_path" "$MESSAGES" lean drain) || { echo "$kl"; echo "bench-host: kernel path lost packets" >&2; exit 1; }
    ks=$("$EX/kernel_path" "$MESSAGES" lean stream) || { echo "$ks"; echo "bench-host: kernel path lost packets" >&2; exit 1; }
    kr=$("$EX/kernel_path" "$MESSAGES" reference drain) || { echo "$kr"; echo "bench-host: kernel path lost packets" >&2; exit 1; }
    card+=("$c"); card_ru+=("$cr")
    k_lean+=("$(field cpu_ns_per_msg "$kl")"); k_stream+=("$(field cpu_ns_per_msg "$ks")"); k_ref+=("$(field cpu_ns_per_msg "$kr")")
    printf '%-5s %14s %16s %16s %18s %18s\n' "$r" "$c" "$cr" "${k_lean[-1]}" "${k_stream[-1]}" "${k_ref[-1]}"
done
echo "kernel path detail (last round):"
echo "  $kl"
echo "  $ks"
echo "  $kr"

# Instructions per tick: callgrind, a ring of CG_SLOTS pre-filled, consuming all of it minus
# consuming none (set-up, feed generation and fill cancel out).
ir() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$EX/card_consume" callgrind "$CG_SLOTS" "$1" 2>&1 \
        | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
ir_full=$(ir "$CG_SLOTS"); ir_none=$(ir 0)
ipt=$(python3 -c "print('%.1f' % (($ir_full - $ir_none) / $CG_SLOTS))")
echo "callgrind: $ir_full - $ir_none instructions over $CG_SLOTS ticks = $ipt instructions/tick (card path)"

x=$(median "${card[@]}"); xr=$(median "${card_ru[@]}")
y=$(median "${k_lean[@]}"); ys=$(median "${k_stream[@]}"); yr=$(median "${k_ref[@]}")
echo "medians of $ROUNDS rounds (headline: CPU time of the consuming thread on both sides):"
echo "  card path:   $xr ns/tick CPU (getrusage RUSAGE_THREAD, headline); $x ns/tick Criterion (per-iteration wall time, refill not timed); $ipt instructions/tick"
echo "  kernel path: $yr ns/msg CPU with the reference decoder, drained batches (headline: the feed handler the issue defines); $y ns/msg lean decode (4 fields only), drained; $ys ns/msg lean, streaming with wake-ups (getrusage RUSAGE_THREAD of the receiver, user+sys)"
python3 -c "import sys; x,y=float(sys.argv[1]),float(sys.argv[2]); print('host: %.2f ns/tick card path, %.1f ns/msg kernel path, ratio %.1f' % (x, y, y/x))" "$xr" "$yr"
