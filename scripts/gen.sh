#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerate every file derived from a single source:
#   hdl/regs/tw_regs.rdl -> SystemVerilog CSR block, Rust accessors, docs/registers.md
#   hdl/regs/tick.toml   -> tw_tick_pkg.sv, tick_layout.rs, docs/tick-format.md
#   hdl/regs/card.toml   -> tw_card_pkg.sv, card_id.rs (PCI ids, BAR0 size, supported build ids)
# Usage: scripts/gen.sh [DEST]   (DEST defaults to the repository; regs-check uses a temp dir)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${1:-$ROOT}"
cd "$ROOT"
RDL="hdl/regs/tw_regs.rdl"   # relative: generated files name their source, and must not name this checkout
PEAKRDL="$ROOT/.venv/bin/peakrdl"
mkdir -p "$DEST/hdl/regs/generated" "$DEST/host/tickwire/src" "$DEST/docs"
# The SystemVerilog block: PeakRDL's passthrough CPU interface behind our registered AXI4-Lite front
# end (hdl/rtl/tw_csr_front.sv), registered read-back fan-in and response; the external blocks'
# windows (RING, FLOW, HIST) are decoded by that front end, not here (see the RDL).
"$PEAKRDL" regblock "$RDL" -o "$DEST/hdl/regs/generated" --cpuif passthrough --rt-read-fanin --rt-read-response \
    -D TW_BLOCKS_IN_FRONT_END --default-reset rst >/dev/null
rm -rf "$DEST/host/tickwire/src/regs"
"$PEAKRDL" rust "$RDL" -o "$DEST/host/tickwire/src/regs" --force --fmt >/dev/null
"$PEAKRDL" markdown "$RDL" -o "$DEST/docs/registers.md" >/dev/null
sed -i "s#Generated from: tw_regs#Generated from: tw_regs by scripts/gen.sh; do not edit#" "$DEST/docs/registers.md"
python3 "$ROOT/hdl/regs/gen_tick.py" "$DEST"
python3 "$ROOT/hdl/regs/gen_card.py" "$DEST"
