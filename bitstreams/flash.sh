#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Program a card with the last build for its board, through Vivado's hardware manager:
#   bitstreams/flash.sh BOARD          (make flash BOARD=au250 [MODE=jtag] [HW_SERVER=host:3121])
# MODE=flash (default) writes the QSPI flash; MODE=jtag loads the FPGA now (volatile).
# Needs Vivado (or Vivado Lab Edition) on PATH and hw_server running. See docs/hardware.md.
# A board with a loader of its own (bitstreams/<board>/flash.sh: the PAC D5005, OPAE) is handed to it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BOARD="${1:-}"

boards() { (cd "$ROOT/bitstreams" && for d in */flash.tcl */flash.sh; do [ -e "$d" ] && printf ' %s' "${d%/flash.*}"; done); }
if [ -n "$BOARD" ] && [ -f "$ROOT/bitstreams/$BOARD/flash.sh" ]; then
    exec bash "$ROOT/bitstreams/$BOARD/flash.sh" "$@"
fi
if [ -z "$BOARD" ] || [ ! -f "$ROOT/bitstreams/$BOARD/flash.tcl" ]; then
    echo "flash: unknown or missing BOARD '${BOARD}'; boards with a recipe:$(boards)" >&2
    echo "usage: make flash BOARD=<board> [MODE=flash|jtag] [HW_SERVER=host:port]" >&2
    exit 2
fi
VIVADO=""
for v in vivado vivado_lab; do command -v "$v" >/dev/null 2>&1 && { VIVADO="$v"; break; }; done
if [ -z "$VIVADO" ]; then
    echo "flash: neither 'vivado' nor 'vivado_lab' is on PATH. Install AMD Vivado or Vivado Lab" >&2
    echo "  Edition and source its settings64.sh; start 'hw_server' with the card's USB (or JTAG" >&2
    echo "  cable) connected." >&2
    exit 2
fi
OUT="$ROOT/bitstreams/out/$BOARD"
if [ ! -f "$OUT/manifest.json" ]; then
    echo "flash: no build in $OUT: make bitstream BOARD=$BOARD first" >&2
    exit 2
fi
export TW_IMAGE_DIR="$OUT"
export TW_FLASH_MODE="${MODE:-${TW_FLASH_MODE:-flash}}"
export TW_HW_SERVER="${HW_SERVER:-${TW_HW_SERVER:-localhost:3121}}"
mkdir -p "$ROOT/build/vivado/$BOARD"
cd "$ROOT/build/vivado/$BOARD"
echo "flash: $BOARD ($TW_FLASH_MODE) from $OUT via $TW_HW_SERVER:"
grep -E '"(build_id_hex|git_rev|tool_version)"|"met"' "$OUT/manifest.json" || true
"$VIVADO" -mode batch -nojournal -log flash.log -source "$ROOT/bitstreams/$BOARD/flash.tcl"
