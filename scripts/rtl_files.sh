#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The core's source files in compile order (packages first), relative to the repository.
cd "$(dirname "$0")/.."
echo hdl/rtl/tw_tick_pkg.sv hdl/regs/generated/tw_regs_pkg.sv hdl/regs/generated/tw_regs.sv
ls hdl/rtl/*.sv | grep -v '/tw_tick_pkg.sv$'
