# SPDX-License-Identifier: Apache-2.0
# Timing constraints (Quartus Prime Pro, SDC + Intel's extensions) for every clock-domain-crossing
# primitive of tw_core and of the shells' common modules, in the D5005 AFU. The Quartus
# counterpart of constraints/common/cdc.tcl (the Alveo one); listed in hdl/shells/d5005/sources.txt,
# so afu_synth_setup adds it to the AFU's Quartus project as an SDC_FILE. It finds the instances of
# each primitive by entity name (get_entity_instances), the primitive's destination registers by
# name, and their sources from the netlist (get_fanins -synch: the registers feeding them), so a
# renamed source register in hdl/rtl does not drop a constraint. Each primitive's header in hdl/rtl
# says what it needs; this file does what they say, Intel's way (as the Quartus dcfifo's own SDC):
#
#   tw_cdc_sync      -> meta_q: set_max_delay of one period of the faster clock (below) and no hold
#                    check; for buses (Gray pointers and counters, W > 1) also set_max_skew of 0.8
#                    source period and set_net_delay of 0.8 destination period, so the bits arrive
#                    within one source cycle of each other.
#   tw_cdc_hold      -> q_reg:    set_max_delay of one period, no hold check (loaded two destination
#                    cycles after its request).
#   tw_cdc_handshake -> m_data_q: the same.
#   tw_async_fifo    mem (MLAB written in s_clk, read asynchronously in m_clk) -> rbin_q's domain:
#                    the same, to every register fed from mem.
#   tw_locate_ram    mem -> rdata: the same if mem is in MLABs (an M20K has no timing path between
#                    its ports; the rule then matches nothing).
#   tw_reset_sync    -> sync_q[0]: false path (a reset level, held for many cycles).
#
# No set_clock_groups may cover the host-channel and Ethernet clocks: it would cut every path
# here. The FIM's own SDC defines both clocks; this file creates none.
# Never run (no Quartus on the development machines): docs/hardware.md, "PAC D5005".

# The primitives this file constrains (scripts/shells_check.py requires every CDC module of the
# design to be listed here, and each listed one to have a rule below).
set tw_cdc_primitives {tw_cdc_sync tw_cdc_hold tw_cdc_handshake tw_async_fifo tw_locate_ram tw_reset_sync}
# CDC modules whose every crossing goes through a primitive above (nothing of their own to constrain).
set tw_cdc_composed {tw_cdc_counter}

# One period of the faster of the two clocks of any crossing: the host channel's clock (assumed
# 250 MHz on the D5005 FIM, docs/hardware.md "Unverified") against rx_clk (156.25 MHz).
set tw_cdc_period_ns 4.0

proc tw_cdc_insts {mod} {
    return [get_entity_instances -nowarn $mod]
}
# Constrain the paths from another clock into the registers $dst (a collection); $bus: also
# skew and net delay (a Gray-coded or otherwise multi-bit synchronised bus).
proc tw_cdc_into {dst bus} {
    set src [get_fanins -synch -stop_at_keepers $dst]
    if {[get_collection_size $src] == 0} { return 0 }
    set_max_delay   -from $src -to $dst $::tw_cdc_period_ns
    set_false_path  -hold -from $src -to $dst
    if {$bus && [get_collection_size $dst] > 1} {
        set_max_skew  -from $src -to $dst -get_skew_value_from_clock_period src_clock_period -skew_value_multiplier 0.8
        set_net_delay -max -from $src -to $dst -get_value_from_clock_period dst_clock_period -value_multiplier 0.8
    }
    return 1
}

set tw_cdc_found [dict create]
set tw_cdc_done  [dict create]
proc tw_cdc_count {mod found n} {
    dict set ::tw_cdc_found $mod $found
    dict set ::tw_cdc_done  $mod $n
}

# ---------------------------------------------------------------- tw_cdc_sync
set insts [tw_cdc_insts tw_cdc_sync]
set n 0
foreach inst $insts {
    set dst [get_registers -nowarn "${inst}|meta_q*"]
    if {[get_collection_size $dst] == 0} { continue }
    tw_cdc_into $dst 1
    incr n
}
tw_cdc_count tw_cdc_sync [llength $insts] $n

# ---------------------------------------------------------------- held data
foreach {mod reg} {tw_cdc_hold q_reg tw_cdc_handshake m_data_q} {
    set insts [tw_cdc_insts $mod]
    set n 0
    foreach inst $insts {
        set dst [get_registers -nowarn "${inst}|${reg}*"]
        if {[get_collection_size $dst] == 0} { continue }
        tw_cdc_into $dst 0
        incr n
    }
    tw_cdc_count $mod [llength $insts] $n
}

# ---------------------------------------------------------------- tw_async_fifo
set insts [tw_cdc_insts tw_async_fifo]
set n 0
foreach inst $insts {
    set ram [get_keepers -nowarn "${inst}|mem*"]
    if {[get_collection_size $ram] == 0} { continue }
    set_max_delay  -from $ram $tw_cdc_period_ns             ;# mem feeds only m_clk registers
    set_false_path -hold -from $ram
    incr n
}
tw_cdc_count tw_async_fifo [llength $insts] $n

# ---------------------------------------------------------------- tw_locate_ram
set insts [tw_cdc_insts tw_locate_ram]
set n 0
foreach inst $insts {
    set dst [get_registers -nowarn "${inst}|rdata*"]
    set ram [get_keepers -nowarn "${inst}|mem*"]
    if {[get_collection_size $ram] && [get_collection_size $dst]} {
        set_max_delay  -from $ram -to $dst $tw_cdc_period_ns
        set_false_path -hold -from $ram -to $dst
    }
    incr n                                                 ;# M20K: nothing to constrain
}
tw_cdc_count tw_locate_ram [llength $insts] $n

# ---------------------------------------------------------------- tw_reset_sync (shells)
set insts [tw_cdc_insts tw_reset_sync]
set n 0
foreach inst $insts {
    set first [get_registers -nowarn "${inst}|sync_q\[0\]"]
    if {[get_collection_size $first] == 0} { continue }
    set_false_path -to $first
    incr n
}
tw_cdc_count tw_reset_sync [llength $insts] $n

foreach mod $tw_cdc_primitives {
    if {![dict exists $tw_cdc_found $mod]} { error "cdc.sdc: $mod is listed but has no rule" }
}
post_message -type info "cdc.sdc: instances found: $tw_cdc_found; constrained: $tw_cdc_done"
dict for {mod found} $tw_cdc_found {
    if {$found == 0} {
        post_message -type warning "cdc.sdc: no instance of $mod in this design"
    } elseif {[dict get $tw_cdc_done $mod] != $found} {
        error "cdc.sdc: [expr {$found - [dict get $tw_cdc_done $mod]}] of $found instances of $mod have none of the registers named here: their crossings would go unconstrained"
    }
}
