# SPDX-License-Identifier: Apache-2.0
# Alveo U55C bitstream: `make bitstream BOARD=au55c` (bitstreams/build.sh au55c). The board's facts are in
# board.tcl; the flow, shared by the Alveo boards, is bitstreams/alveo_build.tcl (its header lists
# the environment variables and outputs). Output in bitstreams/out/au55c/.
set board_dir [file dirname [file normalize [info script]]]
set root      [file normalize [file join $board_dir .. ..]]
source [file join $board_dir board.tcl]
source [file join $root bitstreams alveo_build.tcl]
