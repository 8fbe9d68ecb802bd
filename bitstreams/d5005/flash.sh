#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Load the last D5005 AFU build (bitstreams/out/d5005/tw_d5005.gbs) into the card's partial-
# reconfiguration region through OPAE's fpgaconf (the FIM and its PCIe link stay up; no reboot):
#   bitstreams/flash.sh d5005          (make flash BOARD=d5005 [PCI_ADDR=0000:3b:00.0])
# The load is volatile (the FIM's default AFU is back after a power cycle). Needs the OPAE SDK's
# fpgaconf and the FIM's kernel driver (dfl / intel-fpga) bound to the card. If the FIM enforces
# bitstream authentication, sign the .gbs first (OPAE's PACSign, docs/hardware.md).
# Never run (no D5005 here).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/bitstreams/out/d5005"
if ! command -v fpgaconf >/dev/null 2>&1; then
    echo "flash: 'fpgaconf' is not on PATH. Install the OPAE SDK (opae-tools / opae-sdk) and the FIM's" >&2
    echo "  kernel driver (linux-dfl for OFS, the intel-fpga driver of the PAC D5005 release)." >&2
    exit 2
fi
if [ ! -f "$OUT/manifest.json" ] || [ ! -f "$OUT/tw_d5005.gbs" ]; then
    echo "flash: no build in $OUT: make bitstream BOARD=d5005 first" >&2
    exit 2
fi
PCI="${PCI_ADDR:-${TW_PCI_ADDR:-}}"
echo "flash: d5005 from $OUT${PCI:+ to $PCI}:"
grep -E '"(build_id_hex|git_rev|tool_version|afu_uuid)"|"met"' "$OUT/manifest.json" || true
args=(-V)
if [ -n "$PCI" ]; then
    # ssss:bb:dd.f -> fpgaconf's segment/bus/device/function options
    IFS=':.' read -r seg bus dev fn <<<"$PCI"
    args+=(-S "0x$seg" -B "0x$bus" -D "0x$dev" -F "0x$fn")
fi
fpgaconf "${args[@]}" "$OUT/tw_d5005.gbs"
echo "flash: loaded; 'fpgainfo port' should now show AFU id $(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["afu_uuid"])' "$OUT/manifest.json" 2>/dev/null || echo '?')"
