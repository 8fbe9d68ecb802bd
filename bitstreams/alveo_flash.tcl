# SPDX-License-Identifier: Apache-2.0
# Program an Alveo card (U250, U55C, U280) through hw_server (JTAG over the card's USB, or a JTAG
# cable); shared by the boards. Sourced by bitstreams/<board>/flash.tcl after that directory's
# board.tcl has set $board, $hw_device, $flash_part and $flash_addr, and $root. Run through
# bitstreams/flash.sh <board> (`make flash BOARD=<board>`), which sets:
#   TW_IMAGE_DIR   directory with tw_<board>.bit/.mcs/.prm (default bitstreams/out/<board>)
#   TW_FLASH_MODE  flash (default): write the QSPI flash (persistent; the card loads it at the
#                  next power cycle or cold reboot) | jtag: load the bitstream now (volatile;
#                  the host must rescan or reboot to see the new PCIe device)
#   TW_HW_SERVER   hw_server URL (default localhost:3121; start `hw_server` first)
#   TW_HW_TARGET   hw_target name when several are connected (default: the first one)
# Never run against a card so far: see docs/hardware.md, "Never run".

foreach v {root board hw_device flash_part flash_addr} {
    if {![info exists $v]} { error "alveo_flash.tcl: \$$v is not set (source bitstreams/<board>/board.tcl first)" }
}
source [file join $root bitstreams common.tcl]
set image_dir [tw_env TW_IMAGE_DIR [file join $root bitstreams out $board]]
set mode      [tw_env TW_FLASH_MODE flash]
set server    [tw_env TW_HW_SERVER localhost:3121]
set stem [file join $image_dir tw_$board]

if {$mode ni {flash jtag}} { error "TW_FLASH_MODE must be flash or jtag, not '$mode'" }
set need [expr {$mode eq "flash" ? [list $stem.mcs $stem.prm] : [list $stem.bit]}]
foreach f $need {
    if {![file exists $f]} { error "$f not found: build it first (make bitstream BOARD=$board)" }
}

open_hw_manager
connect_hw_server -url $server -allow_non_jtag
set targets [get_hw_targets]
if {[llength $targets] == 0} { error "no JTAG target on $server: is the card's USB cable connected and hw_server running?" }
set target [tw_env TW_HW_TARGET [lindex $targets 0]]
current_hw_target $target
open_hw_target
set device [lindex [get_hw_devices $hw_device] 0]
if {$device eq ""} { error "no $hw_device on $target (devices: [get_hw_devices])" }
current_hw_device $device
refresh_hw_device -update_hw_probes false $device

if {$mode eq "jtag"} {
    set_property PROGRAM.FILE $stem.bit $device
    program_hw_devices $device
    puts "tickwire: $stem.bit loaded over JTAG (volatile); rescan PCIe or reboot the host"
} else {
    create_hw_cfgmem -hw_device $device [lindex [get_cfgmem_parts $flash_part] 0]
    set cfgmem [get_property PROGRAM.HW_CFGMEM $device]
    set_property PROGRAM.ADDRESS_RANGE {use_file} $cfgmem
    set_property PROGRAM.FILES [list $stem.mcs] $cfgmem
    set_property PROGRAM.PRM_FILES [list $stem.prm] $cfgmem
    set_property PROGRAM.UNUSED_PIN_TERMINATION {pull-none} $cfgmem
    set_property PROGRAM.BLANK_CHECK 0 $cfgmem
    set_property PROGRAM.ERASE 1 $cfgmem
    set_property PROGRAM.CFG_PROGRAM 1 $cfgmem
    set_property PROGRAM.VERIFY 1 $cfgmem
    set_property PROGRAM.CHECKSUM 0 $cfgmem
    # The FPGA is loaded with a small flash-programming bitstream first (Vivado's own).
    create_hw_bitstream -hw_device $device [get_property PROGRAM.HW_CFGMEM_BITFILE $device]
    program_hw_devices $device
    refresh_hw_device $device
    program_hw_cfgmem -hw_cfgmem $cfgmem
    puts "tickwire: $stem.mcs written to the QSPI flash at $flash_addr and verified; power-cycle the host (a warm reboot may not reload the FPGA)"
}
close_hw_target
disconnect_hw_server
close_hw_manager
