# SPDX-License-Identifier: Apache-2.0
# Alveo U55C: the board facts the shared Alveo recipes use (bitstreams/alveo_build.tcl,
# alveo_ip.tcl, alveo_flash.tcl), sourced by this directory's build.tcl and flash.tcl. Sources:
# constraints/au55c/pins.xdc (pins) and docs/hardware.md ("Unverified" for what is not confirmed).
set board         au55c
set part          xcu55c-fsvh2892-2L-e
set top           tw_shell_au55c
# QSFP28 cage 0 lane 0 (MGTY*0_130) = GTYE4_CHANNEL_X0Y24 in quad X0Y6 (AMD's open-nic-shell:
# CMAC GT group X0Y24~X0Y27 for QSFP0); reference clock from the SI5394 on MGTREFCLK0_130,
# 161.1328125 MHz.
set qsfp0_gt_quad Quad_X0Y6
set qsfp0_gt_lane X0Y24
set qsfp0_refclk_mhz 161.1328125
# Configuration flash: 1 Gbit MT25QU01G, SPI x4, user image at 0x01002000 above the golden image
# (corundum's flow for the U55N, whose board files it shares with the U55C: unverified here).
set flash_part    mt25qu01g-spi-x1_x2_x4
set flash_size_mb 128
set flash_addr    0x01002000
# Vivado hardware-manager device name of the FPGA on the card's JTAG chain.
set hw_device     xcu55c_0
