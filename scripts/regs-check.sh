#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerate every generated file into a temp dir and fail on any difference.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
"$ROOT/scripts/gen.sh" "$TMP"
rc=0
for p in hdl/regs/generated host/tickwire/src/regs docs/registers.md hdl/rtl/tw_tick_pkg.sv \
         host/tickwire/src/tick_layout.rs docs/tick-format.md host/tickwire/src/card_id.rs; do
    if ! diff -r -u "$ROOT/$p" "$TMP/$p"; then
        echo "regs-check: $p differs from what its source generates (run: make gen)"; rc=1
    fi
done
[ $rc -eq 0 ] && echo "regs-check: all generated files match their sources"
exit $rc
