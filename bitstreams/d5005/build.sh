#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Intel PAC D5005 AFU (green bitstream, .gbs) with OPAE and Quartus Prime Pro, against the FIM
# release whose PR build template $OPAE_PLATFORM_ROOT points at:
#   bitstreams/build.sh d5005          (make bitstream BOARD=d5005 [BUILD_ID=0x...])
# Steps: afu_synth_setup --source hdl/shells/d5005/sources.txt <work dir>; the BUILD_ID parameter
# into the generated Quartus settings; the platform's build script (OFS: afu_synth, PAC release:
# run.sh); then bitstreams/d5005/manifest.py writes bitstreams/out/d5005/manifest.json beside
# tw_d5005.gbs. Work files in build/quartus/d5005/. See docs/hardware.md, "PAC D5005".
# Never run on the machines this repository is developed on (no Quartus, no OPAE SDK).
#   TW_BUILD_ID / BUILD_ID  32-bit build id (default 0, a development build)
#   TW_OUT_DIR, TW_WORK_DIR override the two directories
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BOARD=d5005
OUT="${TW_OUT_DIR:-$ROOT/bitstreams/out/$BOARD}"
WORK="${TW_WORK_DIR:-$ROOT/build/quartus/$BOARD}"

missing=()
command -v afu_synth_setup >/dev/null 2>&1 || missing+=("afu_synth_setup (OPAE SDK: opae-devel / opae-sdk, with the PIM, ofs-platform-afu-bbb)")
command -v quartus_sh      >/dev/null 2>&1 || missing+=("quartus_sh (Intel Quartus Prime Pro, the version the FIM release names, with Stratix 10 support)")
if [ -z "${OPAE_PLATFORM_ROOT:-}" ] || [ ! -d "${OPAE_PLATFORM_ROOT:-/nonexistent}" ]; then
    missing+=("OPAE_PLATFORM_ROOT (the D5005 FIM release's PR build template, e.g. the OFS d5005 'pr_build_template' or the PAC D5005 release's 'hw' tree)")
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "bitstream: d5005 needs, and this machine lacks:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    echo "  Install the OPAE SDK and Quartus Prime Pro, export OPAE_PLATFORM_ROOT, put quartus_sh on PATH" >&2
    echo "  (docs/hardware.md, \"PAC D5005\"), then: make bitstream BOARD=d5005" >&2
    exit 2
fi
if [ -x "$OPAE_PLATFORM_ROOT/bin/afu_synth" ]; then
    SYNTH="$OPAE_PLATFORM_ROOT/bin/afu_synth"
elif [ -x "$OPAE_PLATFORM_ROOT/bin/run.sh" ]; then
    SYNTH="$OPAE_PLATFORM_ROOT/bin/run.sh"
else
    echo "bitstream: neither \$OPAE_PLATFORM_ROOT/bin/afu_synth nor .../bin/run.sh exists ($OPAE_PLATFORM_ROOT)" >&2
    exit 2
fi

if rev="$(git -C "$ROOT" describe --always --dirty --abbrev=12 2>/dev/null)"; then
    export TW_GIT_REV="$rev"
else
    export TW_GIT_REV="unknown"
fi
BUILD_ID_IN="${BUILD_ID:-${TW_BUILD_ID:-0}}"
BUILD_ID_DEC=$(( BUILD_ID_IN & 0xFFFFFFFF ))
started=$(date +%s)
echo "bitstream: d5005, build id $(printf '0x%08x' "$BUILD_ID_DEC"), sources $TW_GIT_REV, FIM $OPAE_PLATFORM_ROOT"

rm -rf "$WORK"
mkdir -p "$(dirname "$WORK")" "$OUT"
afu_synth_setup --source "$ROOT/hdl/shells/d5005/sources.txt" "$WORK"

# BUILD_ID: a parameter of tw_shell_d5005, set in the Quartus settings file that afu_synth_setup
# generated from sources.txt (the one naming tw_afu_d5005.sv), so the build uses it.
mapfile -t qsfs < <(grep -rl --include='*.qsf' 'tw_afu_d5005.sv' "$WORK" || true)
if [ ${#qsfs[@]} -eq 0 ]; then
    echo "bitstream: no Quartus settings file under $WORK names tw_afu_d5005.sv: cannot set BUILD_ID" >&2
    exit 1
fi
for q in "${qsfs[@]}"; do
    echo "set_parameter -entity tw_shell_d5005 -name BUILD_ID $BUILD_ID_DEC" >> "$q"
done

( cd "$WORK" && "$SYNTH" ) 2>&1 | tee "$WORK/build.log"

gbs="$(find "$WORK" -maxdepth 2 -name '*.gbs' -newer "$ROOT/hdl/shells/d5005/sources.txt" -print | head -n 1)"
if [ -z "$gbs" ]; then
    echo "bitstream: the build wrote no .gbs (see $WORK/build.log)" >&2
    exit 1
fi
cp "$gbs" "$OUT/tw_d5005.gbs"
python3 "$ROOT/bitstreams/d5005/manifest.py" --work "$WORK" --out "$OUT" --build-id "$BUILD_ID_DEC" \
    --git-rev "$TW_GIT_REV" --started "$started" --tool-version "$(quartus_sh --version 2>/dev/null | grep -m1 -i version || echo unknown)"
echo "bitstream: done: $OUT"
