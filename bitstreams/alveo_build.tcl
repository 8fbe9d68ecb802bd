# SPDX-License-Identifier: Apache-2.0
# Bitstream of an Alveo board (U250, U55C, U280): Vivado batch, non-project flow, shared by the
# boards. Sourced by bitstreams/<board>/build.tcl after that directory's board.tcl has set the
# board facts ($board, $part, $top, $qsfp0_*, $flash_*) and $root. Run through
# bitstreams/build.sh <board> (`make bitstream BOARD=<board>`), which sets the environment below:
#   TW_BUILD_ID   32-bit build id, decimal or 0x hex (default 0: a development build, which the
#                 driver accepts; released ids are added to hdl/regs/card.toml [build].supported)
#   TW_GIT_REV    git revision of the sources (build.sh: `git describe --always --dirty`)
#   TW_JOBS       threads for Vivado (default 4)
#   TW_ALLOW_TIMING_FAIL=1  write the images even if timing is not met (never for flashing)
#   TW_OUT_DIR, TW_WORK_DIR override the two directories below (shells-check's dry run uses them)
# Output in bitstreams/out/<board>/: tw_<board>.bit, tw_<board>.mcs (+ .prm) for the QSPI flash,
# manifest.json, reports/. Work files in build/vivado/<board>/ (IP, checkpoints, logs).
# Never run on the machines this repository is developed on (no Vivado): see docs/hardware.md.

foreach v {root board part top qsfp0_gt_quad qsfp0_gt_lane qsfp0_refclk_mhz flash_part flash_size_mb flash_addr} {
    if {![info exists $v]} { error "alveo_build.tcl: \$$v is not set (source bitstreams/<board>/board.tcl first)" }
}
source [file join $root bitstreams common.tcl]
set out_dir    [tw_env TW_OUT_DIR [file join $root bitstreams out $board]]
set work_dir   [tw_env TW_WORK_DIR [file join $root build vivado $board]]
set ip_dir     [file join $work_dir ip]
set rpt_dir    [file join $out_dir reports]
set build_id [expr {[tw_env TW_BUILD_ID 0] & 0xFFFFFFFF}]
set git_rev  [tw_env TW_GIT_REV unknown]
set jobs     [tw_env TW_JOBS 4]
set build_id_hex [format %08x $build_id]
set started [clock seconds]
puts "tickwire: building $board ($top, $part), build id 0x$build_id_hex, sources $git_rev"

file delete -force $ip_dir $rpt_dir
file mkdir $out_dir $work_dir $ip_dir $rpt_dir
set_param general.maxThreads $jobs
create_project -in_memory -part $part
set_property target_language Verilog [current_project]

# ---------------------------------------------------------------- vendor IP
source [file join $root bitstreams alveo_ip.tcl]
foreach ip {xdma_0 xxv_ethernet_0} {
    generate_target {instantiation_template synthesis implementation} [get_ips $ip]
    set veo [file join [get_property IP_DIR [get_ips $ip]] $ip.veo]
    tw_check_ip_ports $veo [file join $root hdl shells stubs $ip.sv]
}
synth_ip [get_ips]

# ---------------------------------------------------------------- sources
# The core from its one list, then the card identity package, the shell's common modules and the
# board top. hdl/shells/stubs/ is never read here (lint-only stand-ins).
foreach f [tw_rtl_files $root] {
    read_verilog -sv $f
}
read_verilog -sv [file join $root hdl regs generated tw_card_pkg.sv]
read_verilog -sv [file join $root hdl shells common tw_reset_sync.sv]
read_verilog -sv [file join $root hdl shells common tw_irq_req.sv]
read_verilog -sv [file join $root hdl shells common tw_axi_to_axil.sv]
read_verilog -sv [file join $root hdl shells common tw_shell_alveo.sv]
read_verilog -sv [file join $root hdl shells $board $top.sv]

read_xdc [file join $root constraints common alveo_config.xdc]
read_xdc [file join $root constraints $board pins.xdc]
read_xdc -unmanaged [file join $root constraints $board clocks.tcl]
read_xdc -unmanaged [file join $root constraints common alveo_clocks.tcl]

# ---------------------------------------------------------------- synthesis
synth_design -top $top -part $part -flatten_hierarchy rebuilt -generic "BUILD_ID=32'h$build_id_hex"
# The CDC constraints name netlist cells (one flop per bit): applied to the synthesised design.
source [file join $root constraints common cdc.tcl]
write_checkpoint -force [file join $work_dir post_synth.dcp]
report_utilization -file [file join $rpt_dir post_synth_utilization.rpt]

# ---------------------------------------------------------------- implementation
opt_design
place_design
phys_opt_design
route_design
write_checkpoint -force [file join $work_dir post_route.dcp]

report_timing_summary -max_paths 20 -report_unconstrained -file [file join $rpt_dir timing_summary.rpt]
report_utilization -file [file join $rpt_dir utilization.rpt]
report_utilization -hierarchical -file [file join $rpt_dir utilization_hier.rpt]
report_cdc -details -file [file join $rpt_dir cdc.rpt]
report_clock_interaction -file [file join $rpt_dir clock_interaction.rpt]
report_exceptions -file [file join $rpt_dir exceptions.rpt]
report_drc -file [file join $rpt_dir drc.rpt]
report_methodology -file [file join $rpt_dir methodology.rpt]

set wns [get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -setup]]
set whs [get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -hold]]
set timing_met [expr {$wns ne "" && $whs ne "" && $wns >= 0 && $whs >= 0}]
set util [report_utilization -return_string]

# ---------------------------------------------------------------- images
set stem [file join $out_dir tw_$board]
write_bitstream -force $stem.bit
# QSPI flash image (board.tcl: part, size, address); the user image goes behind the golden image
# that the card falls back to (never overwrite that).
write_cfgmem -force -format mcs -size $flash_size_mb -interface SPIx4 \
    -loadbit "up $flash_addr $stem.bit" -checksum -file $stem.mcs

# ---------------------------------------------------------------- manifest
set fields [list \
    "\"board\": [tw_json_str $board]" \
    "\"part\": [tw_json_str $part]" \
    "\"top\": [tw_json_str $top]" \
    "\"build_id\": $build_id" \
    "\"build_id_hex\": [tw_json_str 0x$build_id_hex]" \
    "\"git_rev\": [tw_json_str $git_rev]" \
    "\"tool\": \"Vivado\"" \
    "\"tool_version\": [tw_json_str [version -short]]" \
    "\"built_utc\": [tw_json_str [clock format $started -format %Y-%m-%dT%H:%M:%SZ -gmt 1]]" \
    "\"build_seconds\": [expr {[clock seconds] - $started}]" \
    "\"utilisation\": {\"clb_luts\": [tw_util_used $util {CLB LUTs}], \"clb_registers\": [tw_util_used $util {CLB Registers}], \"bram_tiles\": [tw_util_used $util {Block RAM Tile}], \"uram\": [tw_util_used $util {URAM}], \"dsps\": [tw_util_used $util {DSPs}]}" \
    "\"timing\": {\"wns_ns\": [expr {$wns eq "" ? "null" : $wns}], \"whs_ns\": [expr {$whs eq "" ? "null" : $whs}], \"met\": [expr {$timing_met ? "true" : "false"}]}" \
    "\"files\": {\"bit\": [tw_json_str [file tail $stem.bit]], \"mcs\": [tw_json_str [file tail $stem.mcs]], \"prm\": [tw_json_str [file tail $stem.prm]]}" \
    "\"flash\": {\"part\": [tw_json_str $flash_part], \"interface\": \"SPIx4\", \"address\": [tw_json_str $flash_addr]}" \
]
set fh [open [file join $out_dir manifest.json] w]
puts $fh "\{\n  [join $fields ",\n  "]\n\}"
close $fh

puts "tickwire: $board: WNS $wns ns, WHS $whs ns; images and manifest in $out_dir"
if {!$timing_met} {
    if {[tw_env TW_ALLOW_TIMING_FAIL 0] eq "1"} {
        puts "tickwire: WARNING: timing NOT met (TW_ALLOW_TIMING_FAIL=1): do not flash this image"
    } else {
        puts "tickwire: ERROR: timing not met (see $rpt_dir/timing_summary.rpt); the images are written but must not be flashed"
        exit 2
    }
}
