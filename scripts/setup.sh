#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One idempotent set-up step for `make run` and `make test`: installs what a fresh
# machine of this kind (Rust, Python 3.11, gcc) lacks. Quick when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the build needs (Verilator's driver script is Perl; the model is C++).
need=()
command -v perl >/dev/null || need+=(perl)
command -v g++ >/dev/null || need+=(g++)
command -v make >/dev/null || need+=(make)
command -v tclsh >/dev/null || need+=(tcl)
if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${need[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need[@]}"
fi

# Project venv with pinned Python tools (requirements.txt).
stamp=".venv/.setup-$(sha256sum requirements.txt | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    echo "setup: creating .venv with pinned Python tools"
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
    rm -f .venv/.setup-*
    touch "$stamp"
fi

# Rust dependencies (offline builds afterwards are then possible).
cargo fetch -q --locked 2>/dev/null || cargo fetch -q

# The Python module tickwire_sim (sim/python) in .venv, for the scenario tests (skipped when unchanged).
scripts/setup-python-module.sh
