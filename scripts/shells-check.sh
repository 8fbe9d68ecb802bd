#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Consistency checks of every board shell, its constraints and its build recipes, without vendor
# tools (see scripts/shells_check.py for the list). `make shells-check`; `scripts/shells-check.sh
# au250` checks one board. Last line: `shells-check: <n> passed, <m> failed`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
exec python3 "$ROOT/scripts/shells_check.py" "$@"
