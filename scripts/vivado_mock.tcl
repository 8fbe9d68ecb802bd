# SPDX-License-Identifier: Apache-2.0
# Stand-ins for the Vivado Tcl commands the recipes use, so that scripts/shells_check.py can run a
# recipe (bitstreams/<board>/build.tcl, flash.tcl) under plain tclsh without Vivado: every line of
# the recipe's own Tcl then runs (variables, procs, file lists, the card.toml reader, the IP port
# check, the manifest writer), and every Vivado command it reaches is recorded, with its
# arguments, to $env(TW_MOCK_LOG). Nothing is synthesised.
#
# Only the commands listed here exist. Any other unknown command stops the run (a typo in a
# recipe must not be swallowed). Commands whose result the recipe uses return a plausible value:
# get_ips/IP_DIR (and generate_target writes an instantiation template .veo derived from the
# module's lint stub, in Vivado's format, so the port check really parses something), slack and
# utilisation numbers, cell/pin/clock handles for the constraint files' netlist queries.
# Usage: tclsh scripts/vivado_mock.tcl <recipe.tcl>   (env TW_MOCK_LOG, TW_MOCK_ROOT)

set ::tw_mock_log {}
set ::tw_mock_ips [dict create]
set ::tw_mock_root $::env(TW_MOCK_ROOT)

proc tw_mock_record {args} { lappend ::tw_mock_log $args }

# Commands recorded and returning nothing.
foreach cmd {
    create_project set_param generate_target synth_ip read_verilog read_xdc read_ip add_files
    synth_design opt_design place_design phys_opt_design route_design write_checkpoint
    report_timing_summary report_cdc report_clock_interaction report_exceptions report_drc
    report_methodology create_clock set_clock_groups set_false_path set_input_delay
    set_output_delay set_max_delay set_min_delay set_bus_skew set_multicycle_path
    set_operating_conditions open_hw_manager connect_hw_server current_hw_target open_hw_target
    current_hw_device refresh_hw_device create_hw_cfgmem create_hw_bitstream program_hw_devices
    program_hw_cfgmem close_hw_target disconnect_hw_server close_hw_manager set_property
} {
    proc $cmd {args} [format {tw_mock_record %s {*}$args; return ""} $cmd]
}

proc current_project {args} { return mock_project }
proc current_design {args} { return mock_design }
proc version {args} { return "v0000.0 (mock)" }
proc get_hw_targets {args} { return {localhost:3121/mock/target} }
# the device asked for is on the chain (the recipe's pattern), as on the card it targets
proc get_hw_devices {args} { if {[llength $args]} { return [lindex $args end] }; return {mock_device_0} }
proc get_cfgmem_parts {args} { tw_mock_record get_cfgmem_parts {*}$args; return [lindex $args end] }

proc create_ip {args} {
    tw_mock_record create_ip {*}$args
    set name [lindex $args [expr {[lsearch $args -module_name] + 1}]]
    set dir  [lindex $args [expr {[lsearch $args -dir] + 1}]]
    dict set ::tw_mock_ips $name [file join $dir $name]
    file mkdir [file join $dir $name]
    return $name
}
proc get_ips {args} {
    if {[llength $args] == 0} { return [dict keys $::tw_mock_ips] }
    foreach a $args { if {![dict exists $::tw_mock_ips $a]} { error "get_ips: no IP '$a' was created" } }
    return $args
}
# generate_target: write <ip_dir>/<ip>.veo from hdl/shells/stubs/<ip>.sv in Vivado's template format.
rename generate_target {}
proc generate_target {what ips} {
    tw_mock_record generate_target $what {*}$ips
    foreach ip $ips {
        set stub [file join $::tw_mock_root hdl shells stubs $ip.sv]
        if {![file exists $stub]} { error "generate_target (mock): no lint stub $stub for IP $ip" }
        set fh [open $stub r]; set lines [split [read $fh] "\n"]; close $fh
        set out [open [file join [dict get $::tw_mock_ips $ip] $ip.veo] w]
        puts $out "//----------- Begin Cut here for INSTANTIATION Template ---// INST_TAG"
        puts $out "$ip your_instance_name ("
        foreach line $lines {
            if {[regexp {^\s*(input|output|inout)\s+(?:wire|logic)\s*(?:\[(\d+):0\])?\s*(\w+)} $line -> dir msb name]} {
                set rng [expr {$msb eq "" ? "" : "\[$msb : 0\] "}]
                puts $out "  .$name\($name\),  // $dir wire $rng$name"
            }
        }
        puts $out ");"
        close $out
    }
    return ""
}
proc get_property {args} {
    set prop [lindex $args end-1]
    set obj  [lindex $args end]
    switch -- $prop {
        IP_DIR   { return [dict get $::tw_mock_ips $obj] }
        SLACK    { return 0.125 }
        PERIOD   { return 4.000 }
        NAME     { return $obj }
        PROGRAM.HW_CFGMEM { return mock_cfgmem }
        PROGRAM.HW_CFGMEM_BITFILE { return mock_cfgmem.bit }
        default  { return "" }
    }
}
proc get_timing_paths {args} { return mock_path }
proc report_utilization {args} {
    tw_mock_record report_utilization {*}$args
    if {"-return_string" in $args} {
        return "| CLB LUTs                   | 21000 |     0 |          0 |   1728000 |  1.22 |\n| CLB Registers              | 30000 |     0 |          0 |   3456000 |  0.87 |\n| Block RAM Tile             |   8.5 |     0 |          0 |      2688 |  0.32 |\n| URAM                       |     0 |     0 |          0 |      1280 |  0.00 |\n| DSPs                       |     0 |     0 |          0 |     12288 |  0.00 |"
    }
    return ""
}
proc write_bitstream {args} {
    tw_mock_record write_bitstream {*}$args
    set f [open [lindex $args end] w]; puts $f mock; close $f
}
proc write_cfgmem {args} {
    tw_mock_record write_cfgmem {*}$args
    set file [lindex $args [expr {[lsearch $args -file] + 1}]]
    foreach ext {.mcs .prm} { set f [open [file rootname $file]$ext w]; puts $f mock; close $f }
}
# Netlist queries of the constraint files: non-empty handles, except clocks already on a port
# (so clocks.tcl takes its create_clock branch).
proc get_ports {args} { tw_mock_record get_ports {*}$args; return [list port:[lindex $args end]] }
proc get_clocks {args} {
    if {[lsearch -glob $args port:*] >= 0} { return {} }
    return {mock_clock}
}
proc get_cells {args} { return {mock_cell_a mock_cell_b} }
proc get_pins {args} { return {mock_pin} }
proc all_fanin {args} { return {mock_pin} }

# `source` is recorded too (the recipes source board.tcl, the shared Alveo flows, common.tcl and the CDC constraints).
clock format 0            ;# Tcl loads its clock library with `source -encoding`: before the override
rename source tw_mock_real_source
proc source {args} {
    if {[llength $args] == 1} { tw_mock_record source [lindex $args 0] }
    uplevel #0 [list tw_mock_real_source {*}$args]
}

proc unknown {args} {
    error "vivado_mock: command '[lindex $args 0]' is neither Tcl nor a Vivado command the mock knows; add it to scripts/vivado_mock.tcl if the recipe really needs it"
}

proc tw_mock_flush {} {
    set fh [open $::env(TW_MOCK_LOG) w]
    foreach entry $::tw_mock_log { puts $fh $entry }
    close $fh
}
rename exit tw_mock_real_exit
proc exit {{code 0}} { tw_mock_flush; tw_mock_real_exit $code }

set recipe [lindex $argv 0]
set argv [lrange $argv 1 end]
set ::argv0 $recipe
if {[catch {uplevel #0 [list source $recipe]} msg opts]} {
    tw_mock_flush
    puts stderr "vivado_mock: $recipe: $msg"
    puts stderr [dict get $opts -errorinfo]
    tw_mock_real_exit 1
}
tw_mock_flush
