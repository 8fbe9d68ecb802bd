# SPDX-License-Identifier: Apache-2.0
# Alveo U55C: the clocks of tw_shell_au55c whose frequencies are the board's, and its own static
# outputs. An unmanaged Tcl constraint file (read_xdc -unmanaged), read just before
# constraints/common/alveo_clocks.tcl, which has the clocks and exceptions every Alveo board
# shares (and the reason tw_core's two clocks are not declared asynchronous).

# QSFP0 reference clock, 161.1328125 (SI5394 OUT0) MHz: created unless the Ethernet IP's
# constraints already have.
if {[llength [get_clocks -quiet -of_objects [get_ports qsfp0_refclk_p]]] == 0} {
    create_clock -name qsfp0_refclk -period 6.206 [get_ports qsfp0_refclk_p]
}
# Board clock SYSCLK2, 100 MHz; named `sysclk` for the asynchronous group in alveo_clocks.tcl.
create_clock -name sysclk -period 10.000 [get_ports sysclk_100_p]

# Static board outputs.
set_false_path -to [get_ports hbm_cattrip]
set_output_delay 0 [get_ports hbm_cattrip]
