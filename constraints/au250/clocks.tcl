# SPDX-License-Identifier: Apache-2.0
# Alveo U250: clocks and board-level timing exceptions of tw_shell_au250. An unmanaged Tcl
# constraint file (read_xdc -unmanaged), because it creates a clock only where no IP already did.
#
# Clock tree (docs/hardware.md, "Clocks and resets"):
#   pcie_refclk  100 MHz  -> xdma_0 GT -> axi_aclk 250 MHz = tw_core clk     (derived by Vivado)
#   qsfp0_refclk 156.25   -> xxv_ethernet_0 GT -> tx_clk_out_0 = tw_core rx_clk (derived)
#   sysclk_300   300 MHz  -> BUFGCE_DIV /3 -> dclk 100 MHz (MAC DRP/reset clock) (derived)
#
# tw_core's two domains (clk, rx_clk) are deliberately NOT declared asynchronous with
# set_clock_groups: UG903 ("Constraining Asynchronous Signals") gives set_clock_groups priority
# over set_max_delay, so it would silently void the set_max_delay -datapath_only that
# constraints/common/cdc.tcl puts on every crossing of the core. Each crossing is constrained
# there instead; any other path between the two would be timed (and fail), which is the point.

# Reference clocks: create them unless the IP's own constraints already have (the IPs' XDC is
# read first).
if {[llength [get_clocks -quiet -of_objects [get_ports pcie_refclk_p]]] == 0} {
    create_clock -name pcie_refclk -period 10.000 [get_ports pcie_refclk_p]
}
if {[llength [get_clocks -quiet -of_objects [get_ports qsfp0_refclk_p]]] == 0} {
    create_clock -name qsfp0_refclk -period 6.400 [get_ports qsfp0_refclk_p]
}
create_clock -name sysclk_300 -period 3.333 [get_ports sysclk_300_p]

# The 300 MHz board clock only clocks the MAC's DRP/reset logic and the power-on reset; nothing
# of the core crosses from it but that reset, which the MAC synchronises itself.
set_clock_groups -name tw_sysclk_async -asynchronous -group [get_clocks -include_generated_clocks sysclk_300]

# Static and slow board signals.
set_false_path -from [get_ports pcie_perst_n]
set_input_delay 0 [get_ports pcie_perst_n]
set_false_path -to [get_ports {qsfp0_resetl qsfp0_lpmode qsfp0_modsell}]
set_output_delay 0 [get_ports {qsfp0_resetl qsfp0_lpmode qsfp0_modsell}]
