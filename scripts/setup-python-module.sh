#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build the Python module tickwire_sim (sim/python: pyo3 + maturin) into the project venv with
# `maturin develop --release`. Idempotent and quick: skipped when a stamp of the hashes of every
# source that goes into the module (Rust crates, RTL, register map, Cargo files, the module's own
# Python files) matches the last build and the module imports.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

hash_sources() {
    {
        find sim/python/src sim/python/python/tickwire_sim sim/src sim/csrc host/tickwire/src hdl/rtl hdl/regs \
            -type f \( -name '*.rs' -o -name '*.py' -o -name '*.sv' -o -name '*.svh' -o -name '*.cpp' \
            -o -name '*.h' -o -name '*.rdl' -o -name '*.toml' \) -print0 2>/dev/null
        printf '%s\0' Cargo.toml Cargo.lock sim/Cargo.toml sim/build.rs host/tickwire/Cargo.toml \
            sim/python/Cargo.toml sim/python/pyproject.toml hdl/lint.vlt
    } | sort -z | xargs -0 sha256sum 2>/dev/null | sha256sum | cut -c1-32
    echo "trace=${TICKWIRE_SIM_TRACE:-}"
}

stamp=".venv/.tickwire_sim-stamp"
want="$(hash_sources)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && .venv/bin/python -c "import tickwire_sim" 2>/dev/null; then
    exit 0
fi
echo "setup: building the Python module tickwire_sim (maturin develop --release)"
(cd sim/python && maturin develop --release --quiet)
.venv/bin/python -c "import tickwire_sim" || { echo "setup: tickwire_sim does not import after the build" >&2; exit 1; }
printf '%s\n' "$want" > "$stamp"
