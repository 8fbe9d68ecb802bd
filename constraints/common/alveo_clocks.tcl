# SPDX-License-Identifier: Apache-2.0
# Clocks and board-level timing exceptions every Alveo shell shares (tw_shell_alveo inside
# tw_shell_au250/au55c/au280). An unmanaged Tcl constraint file (read_xdc -unmanaged), because it
# creates a clock only where no IP already did; read right after the board's own
# constraints/<board>/clocks.tcl, which has created the board clock under the name `sysclk` and
# the QSFP0 reference clock (their frequencies differ per board).
#
# Clock tree (docs/hardware.md, "Clocks and resets"):
#   pcie_refclk  100 MHz -> xdma_0 GT -> axi_aclk 250 MHz = tw_core clk              (derived)
#   qsfp0_refclk         -> xxv_ethernet_0 GT -> tx_clk_out_0 156.25 MHz = rx_clk   (derived)
#   sysclk               -> BUFGCE_DIV -> dclk 100 MHz (MAC DRP/reset clock)        (derived)
#
# tw_core's two domains (clk, rx_clk) are deliberately NOT declared asynchronous with
# set_clock_groups: UG903 ("Constraining Asynchronous Signals") gives set_clock_groups priority
# over set_max_delay, so it would silently void the set_max_delay -datapath_only that
# constraints/common/cdc.tcl puts on every crossing of the core. Each crossing is constrained
# there instead; any other path between the two would be timed (and fail), which is the point.

# PCIe reference clock: create it unless the IP's own constraints already have (the IPs' XDC is
# read first).
if {[llength [get_clocks -quiet -of_objects [get_ports pcie_refclk_p]]] == 0} {
    create_clock -name pcie_refclk -period 10.000 [get_ports pcie_refclk_p]
}

# The board clock only clocks the MAC's DRP/reset logic and the power-on reset; nothing of the
# core crosses from it but that reset, which the MAC synchronises itself.
set_clock_groups -name tw_sysclk_async -asynchronous -group [get_clocks -include_generated_clocks sysclk]

# PERST# is a slow, static level.
set_false_path -from [get_ports pcie_perst_n]
set_input_delay 0 [get_ports pcie_perst_n]
