# SPDX-License-Identifier: Apache-2.0
# Alveo U280: the board facts the shared Alveo recipes use (bitstreams/alveo_build.tcl,
# alveo_ip.tcl, alveo_flash.tcl), sourced by this directory's build.tcl and flash.tcl. Sources:
# constraints/au280/pins.xdc (pins) and docs/hardware.md ("Unverified" for what is not confirmed).
set board         au280
set part          xcu280-fsvh2892-2L-e
set top           tw_shell_au280
# QSFP28 cage 0 lane 0 (MGTY*0_134) = GTYE4_CHANNEL_X0Y40 in quad GTYE4_COMMON_X0Y10; reference
# clock MGT_SI570_CLOCK0 on MGTREFCLK0_134, 156.25 MHz (AMD's master XDC: "Not User
# re-programmable").
set qsfp0_gt_quad Quad_X0Y10
set qsfp0_gt_lane X0Y40
set qsfp0_refclk_mhz 156.25
# Configuration flash: 1 Gbit MT25QU01G, SPI x4, user image at 0x01002000 above the golden image
# (corundum's U280 flow; FireSim's U280 flow names the same flash part).
set flash_part    mt25qu01g-spi-x1_x2_x4
set flash_size_mb 128
set flash_addr    0x01002000
# Vivado hardware-manager device name of the FPGA on the card's JTAG chain.
set hw_device     xcu280_0
