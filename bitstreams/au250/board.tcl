# SPDX-License-Identifier: Apache-2.0
# Alveo U250: the board facts the shared Alveo recipes use (bitstreams/alveo_build.tcl,
# alveo_ip.tcl, alveo_flash.tcl), sourced by this directory's build.tcl and flash.tcl. Sources:
# constraints/au250/pins.xdc (pins) and docs/hardware.md ("Unverified" for what is not confirmed).
set board         au250
set part          xcu250-figd2104-2L-e
set top           tw_shell_au250
# QSFP28 cage 0 lane 0 (MGTY*0_231) = GTYE4_CHANNEL_X1Y44 in quad GTYE4_COMMON_X1Y11 on the
# xcu250; reference clock MGT_SI570_CLOCK0 on MGTREFCLK0_231, 156.25 MHz.
set qsfp0_gt_quad Quad_X1Y11
set qsfp0_gt_lane X1Y44
set qsfp0_refclk_mhz 156.25
# Configuration flash: 1 Gbit Micron MT25QU01G, SPI x4; the user image goes at 0x01002000, above
# the write-protected golden image the card falls back to.
set flash_part    mt25qu01g-spi-x1_x2_x4
set flash_size_mb 128
set flash_addr    0x01002000
# Vivado hardware-manager device name of the FPGA on the card's JTAG chain.
set hw_device     xcu250_0
