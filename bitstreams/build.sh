#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build a board's bitstream, flash image and manifest with Vivado (batch):
#   bitstreams/build.sh BOARD          (make bitstream BOARD=au250|au55c|au280 [BUILD_ID=0x...])
# Output: bitstreams/out/BOARD/ (git-ignored). Needs Vivado on PATH (with a licence for the
# 10G/25G Ethernet Subsystem); nothing else. See docs/hardware.md.
# A board whose recipe is a script of its own (bitstreams/<board>/build.sh: the Intel PAC D5005,
# built with OPAE and Quartus) is handed to it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BOARD="${1:-}"

boards() { (cd "$ROOT/bitstreams" && for d in */build.tcl */build.sh; do [ -e "$d" ] && printf ' %s' "${d%/build.*}"; done); }
if [ -n "$BOARD" ] && [ -f "$ROOT/bitstreams/$BOARD/build.sh" ]; then
    exec bash "$ROOT/bitstreams/$BOARD/build.sh" "$@"
fi
if [ -z "$BOARD" ] || [ ! -f "$ROOT/bitstreams/$BOARD/build.tcl" ]; then
    echo "bitstream: unknown or missing BOARD '${BOARD}'; boards with a recipe:$(boards)" >&2
    echo "usage: make bitstream BOARD=<board> [BUILD_ID=<n>]" >&2
    exit 2
fi
if ! command -v vivado >/dev/null 2>&1; then
    echo "bitstream: 'vivado' is not on PATH. Install AMD Vivado (2023.2 or later, with device support" >&2
    echo "  for the board's part: bitstreams/$BOARD/board.tcl) and source its settings64.sh, e.g." >&2
    echo "  source /tools/Xilinx/Vivado/2024.2/settings64.sh; make bitstream BOARD=$BOARD" >&2
    exit 2
fi

# Sources' revision for the manifest (a dirty tree is marked -dirty).
if rev="$(git -C "$ROOT" describe --always --dirty --abbrev=12 2>/dev/null)"; then
    export TW_GIT_REV="$rev"
else
    export TW_GIT_REV="unknown"
fi
export TW_BUILD_ID="${BUILD_ID:-${TW_BUILD_ID:-0}}"
export TW_JOBS="${TW_JOBS:-4}"

LOG_DIR="$ROOT/build/vivado/$BOARD"
mkdir -p "$LOG_DIR"
echo "bitstream: $BOARD, build id $TW_BUILD_ID, sources $TW_GIT_REV; log in $LOG_DIR/vivado.log"
cd "$LOG_DIR"
vivado -mode batch -nojournal -log "$LOG_DIR/vivado.log" -source "$ROOT/bitstreams/$BOARD/build.tcl"

# Image digests into the manifest, so a card's image can be matched to its build.
OUT="$ROOT/bitstreams/out/$BOARD"
if command -v python3 >/dev/null 2>&1; then
    python3 - "$OUT" <<'PY'
import hashlib, json, pathlib, sys
out = pathlib.Path(sys.argv[1])
m = json.loads((out / "manifest.json").read_text())
m["sha256"] = {k: hashlib.sha256((out / f).read_bytes()).hexdigest()
               for k, f in m["files"].items() if (out / f).exists()}
(out / "manifest.json").write_text(json.dumps(m, indent=2) + "\n")
PY
fi
echo "bitstream: done: $OUT"
