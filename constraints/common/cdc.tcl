# SPDX-License-Identifier: Apache-2.0
# Timing constraints for every clock-domain-crossing primitive of tw_core and of the shells'
# common modules, for any Xilinx board. Sourced by the recipes on the synthesised netlist (cell
# names are then final, one flop per bit). It walks the netlist for the instances of each
# primitive by module name (ORIG_REF_NAME survives Vivado's uniquifying of parameterised
# modules), finds each primitive's destination registers by name, and constrains the paths that
# reach them from another clock: the sources are found from the netlist (the fan-in of the
# destination's D pins, kept only where it is clocked by a different clock), so renaming a
# source register in hdl/rtl does not silently drop a constraint. Each primitive's header in
# hdl/rtl says what it needs; this file does what they say:
#
#   tw_cdc_sync       -> meta_q (first flop): set_max_delay -datapath_only of min(source,
#                     destination period); buses (W > 1: Gray pointers and counters) also
#                     set_bus_skew of one source period. Covers the synchronisers inside
#                     tw_cdc_counter, tw_cdc_handshake, tw_async_fifo, tw_flow_filter.
#   tw_cdc_hold       -> q_reg (held data, loaded two destination cycles after its request):
#                     one destination period (the flow filter's shadow -> active table).
#   tw_cdc_handshake  -> m_data_q (bundled data): one destination period.
#   tw_async_fifo     mem (LUT RAM written in s_clk, read asynchronously in m_clk) -> the m_clk
#                     domain: one m_clk period (the pointer needs two m_clk edges through its sync).
#   tw_locate_ram     mem -> rdata, only if mapped to LUT RAM (a block RAM has no timing path
#                     between its two ports).
#   tw_reset_sync     -> sync_q[0]: false path (a reset level, held for many cycles).
#
# No set_clock_groups may cover these clock pairs: it would override every set_max_delay here
# (UG903). Counts are printed; a primitive that has instances none of which could be constrained
# stops the run (a constraint that matches nothing passes silently otherwise).

# The primitives this file constrains (scripts/shells_check.py requires every CDC module of the
# design to be listed here, and each listed one to be counted below).
set tw_cdc_primitives {tw_cdc_sync tw_cdc_hold tw_cdc_handshake tw_async_fifo tw_locate_ram tw_reset_sync}
# CDC modules whose every crossing goes through a primitive above (nothing of their own to constrain).
set tw_cdc_composed {tw_cdc_counter}

proc tw_cdc_insts {mod} {
    return [get_cells -quiet -hierarchical -filter "ORIG_REF_NAME == $mod || REF_NAME == $mod"]
}
proc tw_cdc_clock_of {cell} {
    return [get_clocks -quiet -of_objects [get_pins -quiet -of_objects $cell -filter {IS_CLOCK}]]
}
proc tw_cdc_period {clocks} {
    if {[llength $clocks] == 0} { return "" }
    return [get_property -min PERIOD $clocks]
}
# {destination clock} {source clocks other than it} {source cells in those clocks} for the
# registers $dst (all in one clock domain).
proc tw_cdc_sources {dst} {
    set dst_clk [tw_cdc_clock_of [lindex $dst 0]]
    set starts [all_fanin -quiet -flat -startpoints_only [get_pins -quiet -of_objects $dst -filter {REF_PIN_NAME == D}]]
    set dst_names [get_property NAME $dst_clk]
    set src_clks {}
    set src_cells {}
    foreach cell [get_cells -quiet -of_objects $starts -filter {IS_SEQUENTIAL}] {
        set clk [tw_cdc_clock_of $cell]
        if {[llength $clk] == 0 || [get_property NAME $clk] in $dst_names} { continue }
        lappend src_cells $cell
        if {$clk ni $src_clks} { lappend src_clks $clk }
    }
    return [list $dst_clk $src_clks $src_cells]
}
proc tw_cdc_min {a b} { if {$a eq ""} { return $b }; if {$b eq ""} { return $a }; return [expr {min($a, $b)}] }

set tw_cdc_found [dict create]
set tw_cdc_done  [dict create]
proc tw_cdc_count {mod insts n} {
    dict set ::tw_cdc_found $mod [llength $insts]
    dict set ::tw_cdc_done  $mod $n
}

# ---------------------------------------------------------------- tw_cdc_sync
set insts [tw_cdc_insts tw_cdc_sync]
set n 0
foreach inst $insts {
    set dst [get_cells -quiet "$inst/meta_q_reg*"]
    if {[llength $dst] == 0} { continue }
    lassign [tw_cdc_sources $dst] dst_clk src_clks src_cells
    if {[llength $src_clks] == 0} { incr n; continue }   ;# fed from its own domain or a constant
    set src_period [tw_cdc_period $src_clks]
    set_max_delay -datapath_only -from $src_clks -to $dst [tw_cdc_min $src_period [tw_cdc_period $dst_clk]]
    if {[llength $dst] > 1 && [llength $src_cells] > 1} {
        set_bus_skew -from $src_cells -to $dst $src_period
    }
    incr n
}
tw_cdc_count tw_cdc_sync $insts $n

# ---------------------------------------------------------------- held data
foreach {mod reg} {tw_cdc_hold q_reg tw_cdc_handshake m_data_q_reg} {
    set insts [tw_cdc_insts $mod]
    set n 0
    foreach inst $insts {
        set dst [get_cells -quiet "$inst/${reg}*"]
        if {[llength $dst] == 0} { continue }
        lassign [tw_cdc_sources $dst] dst_clk src_clks src_cells
        if {[llength $src_clks]} {
            set_max_delay -datapath_only -from $src_clks -to $dst [tw_cdc_period $dst_clk]
        }
        incr n
    }
    tw_cdc_count $mod $insts $n
}

# ---------------------------------------------------------------- tw_async_fifo
set insts [tw_cdc_insts tw_async_fifo]
set n 0
foreach inst $insts {
    set ram [get_cells -quiet "$inst/mem_reg*"]
    set rd  [get_cells -quiet "$inst/rbin_q_reg*"]
    if {[llength $ram] == 0 || [llength $rd] == 0} { continue }
    set m_clk [tw_cdc_clock_of [lindex $rd 0]]
    set_max_delay -datapath_only -from $ram -to $m_clk [tw_cdc_period $m_clk]
    incr n
}
tw_cdc_count tw_async_fifo $insts $n

# ---------------------------------------------------------------- tw_locate_ram
set insts [tw_cdc_insts tw_locate_ram]
set n 0
foreach inst $insts {
    set ram [get_cells -quiet "$inst/mem_reg*" -filter {PRIMITIVE_GROUP != BLOCKRAM}]
    set dst [get_cells -quiet "$inst/rdata_reg*"]
    if {[llength $ram] && [llength $dst]} {
        set_max_delay -datapath_only -from $ram -to $dst [tw_cdc_period [tw_cdc_clock_of [lindex $dst 0]]]
    }
    incr n                                                 ;# block RAM: nothing to constrain
}
tw_cdc_count tw_locate_ram $insts $n

# ---------------------------------------------------------------- tw_reset_sync (shells)
set insts [tw_cdc_insts tw_reset_sync]
set n 0
foreach inst $insts {
    set first [get_pins -quiet "$inst/sync_q_reg\[0\]/D"]
    if {[llength $first] == 0} { continue }
    set_false_path -to $first
    incr n
}
tw_cdc_count tw_reset_sync $insts $n

foreach mod $tw_cdc_primitives {
    if {![dict exists $tw_cdc_found $mod]} { error "cdc.tcl: $mod is listed but has no rule" }
}
puts "cdc.tcl: instances found: $tw_cdc_found"
puts "cdc.tcl: instances constrained: $tw_cdc_done"
dict for {mod found} $tw_cdc_found {
    if {$found == 0} {
        puts "cdc.tcl: WARNING: no instance of $mod in this design"
    } elseif {[dict get $tw_cdc_done $mod] != $found} {
        error "cdc.tcl: [expr {$found - [dict get $tw_cdc_done $mod]}] of $found instances of $mod have none of the registers named here: their crossings would go unconstrained (hierarchy flattened, or a register renamed in hdl/rtl?)"
    }
}
