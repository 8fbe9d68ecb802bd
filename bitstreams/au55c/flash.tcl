# SPDX-License-Identifier: Apache-2.0
# Program an Alveo U55C with the last build: `make flash BOARD=au55c [MODE=jtag]` (bitstreams/flash.sh
# au55c). The board's facts (flash part and address, JTAG device) are in board.tcl; the procedure,
# shared by the Alveo boards, is bitstreams/alveo_flash.tcl (its header lists the environment).
set board_dir [file dirname [file normalize [info script]]]
set root      [file normalize [file join $board_dir .. ..]]
source [file join $board_dir board.tcl]
source [file join $root bitstreams alveo_flash.tcl]
