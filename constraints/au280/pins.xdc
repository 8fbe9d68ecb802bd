# SPDX-License-Identifier: Apache-2.0
# Alveo U280 (xcu280-fsvh2892-2L-e): pins, I/O standards and configuration of tw_shell_au280.
#
# Pin facts: UG1314 and AMD's U280 master XDC (as republished in bsc-loca/100gb-ethernet
# xdc/ethernet_test_alveo280.xdc: QSFP0 pins and clocks, SYSCLK0, HBM_CATTRIP with UG1314's
# warning), cross-checked with corundum's fpga/mqnic/AU280/fpga_25g/fpga.xdc (every pin below) and
# AMD's open-nic-shell constr/au280/pins.xdc (PCIe refclk, QSFP0 refclk T42, HBM_CATTRIP) and
# its CMAC recipe (QSFP0 = GT group X0Y40~X0Y43, 156.25 MHz reference).
# What could not be confirmed is listed in docs/hardware.md, "Unverified". Every top-level port of
# the shell has a PACKAGE_PIN here, and every non-transceiver port an IOSTANDARD
# (scripts/shells-check.sh checks both, and that every get_ports names a port). Transceiver pins
# (MGT*) carry no I/O standard; their comment names the MGT pin, which is how the check tells
# them apart.

# ---------------------------------------------------------------- configuration (QSPI flash)
# The settings every Alveo board shares (SPI x4, 32-bit addresses, fallback) are in
# constraints/common/alveo_config.xdc; the image goes at 0x01002000, behind the golden image
# (bitstreams/au280/board.tcl).
set_property BITSTREAM.CONFIG.CONFIGRATE 85.0          [current_design] ;# the master XDC, corundum and open-nic-shell agree

# Power budget for Vivado's power report (corundum and open-nic-shell au280).
set_operating_conditions -design_power_budget 160

# ---------------------------------------------------------------- PCIe x16 (quads 224-227)
# Lane 0 is the top GT of quad 227, as on the U250 (PG213/PG195 lane order); the x16 reference
# clock is MGTREFCLK0 of quad 225 (the one for "x16 or x8 bifurcated lanes 8-15").
set_property PACKAGE_PIN AR15 [get_ports pcie_refclk_p]        ;# MGTREFCLK0P_225 PCIe 100 MHz
set_property PACKAGE_PIN AR14 [get_ports pcie_refclk_n]        ;# MGTREFCLK0N_225
set_property -dict {PACKAGE_PIN BH26 IOSTANDARD LVCMOS18 PULLUP TRUE} [get_ports pcie_perst_n] ;# PCIE_PERST#, 1.8 V bank

set_property PACKAGE_PIN AL2  [get_ports {pcie_rx_p[0]}]       ;# MGTYRXP3_227
set_property PACKAGE_PIN AL1  [get_ports {pcie_rx_n[0]}]       ;# MGTYRXN3_227
set_property PACKAGE_PIN AL11 [get_ports {pcie_tx_p[0]}]       ;# MGTYTXP3_227
set_property PACKAGE_PIN AL10 [get_ports {pcie_tx_n[0]}]       ;# MGTYTXN3_227
set_property PACKAGE_PIN AM4  [get_ports {pcie_rx_p[1]}]       ;# MGTYRXP2_227
set_property PACKAGE_PIN AM3  [get_ports {pcie_rx_n[1]}]       ;# MGTYRXN2_227
set_property PACKAGE_PIN AM9  [get_ports {pcie_tx_p[1]}]       ;# MGTYTXP2_227
set_property PACKAGE_PIN AM8  [get_ports {pcie_tx_n[1]}]       ;# MGTYTXN2_227
set_property PACKAGE_PIN AN6  [get_ports {pcie_rx_p[2]}]       ;# MGTYRXP1_227
set_property PACKAGE_PIN AN5  [get_ports {pcie_rx_n[2]}]       ;# MGTYRXN1_227
set_property PACKAGE_PIN AN11 [get_ports {pcie_tx_p[2]}]       ;# MGTYTXP1_227
set_property PACKAGE_PIN AN10 [get_ports {pcie_tx_n[2]}]       ;# MGTYTXN1_227
set_property PACKAGE_PIN AN2  [get_ports {pcie_rx_p[3]}]       ;# MGTYRXP0_227
set_property PACKAGE_PIN AN1  [get_ports {pcie_rx_n[3]}]       ;# MGTYRXN0_227
set_property PACKAGE_PIN AP9  [get_ports {pcie_tx_p[3]}]       ;# MGTYTXP0_227
set_property PACKAGE_PIN AP8  [get_ports {pcie_tx_n[3]}]       ;# MGTYTXN0_227
set_property PACKAGE_PIN AP4  [get_ports {pcie_rx_p[4]}]       ;# MGTYRXP3_226
set_property PACKAGE_PIN AP3  [get_ports {pcie_rx_n[4]}]       ;# MGTYRXN3_226
set_property PACKAGE_PIN AR11 [get_ports {pcie_tx_p[4]}]       ;# MGTYTXP3_226
set_property PACKAGE_PIN AR10 [get_ports {pcie_tx_n[4]}]       ;# MGTYTXN3_226
set_property PACKAGE_PIN AR2  [get_ports {pcie_rx_p[5]}]       ;# MGTYRXP2_226
set_property PACKAGE_PIN AR1  [get_ports {pcie_rx_n[5]}]       ;# MGTYRXN2_226
set_property PACKAGE_PIN AR7  [get_ports {pcie_tx_p[5]}]       ;# MGTYTXP2_226
set_property PACKAGE_PIN AR6  [get_ports {pcie_tx_n[5]}]       ;# MGTYTXN2_226
set_property PACKAGE_PIN AT4  [get_ports {pcie_rx_p[6]}]       ;# MGTYRXP1_226
set_property PACKAGE_PIN AT3  [get_ports {pcie_rx_n[6]}]       ;# MGTYRXN1_226
set_property PACKAGE_PIN AT9  [get_ports {pcie_tx_p[6]}]       ;# MGTYTXP1_226
set_property PACKAGE_PIN AT8  [get_ports {pcie_tx_n[6]}]       ;# MGTYTXN1_226
set_property PACKAGE_PIN AU2  [get_ports {pcie_rx_p[7]}]       ;# MGTYRXP0_226
set_property PACKAGE_PIN AU1  [get_ports {pcie_rx_n[7]}]       ;# MGTYRXN0_226
set_property PACKAGE_PIN AU11 [get_ports {pcie_tx_p[7]}]       ;# MGTYTXP0_226
set_property PACKAGE_PIN AU10 [get_ports {pcie_tx_n[7]}]       ;# MGTYTXN0_226
set_property PACKAGE_PIN AV4  [get_ports {pcie_rx_p[8]}]       ;# MGTYRXP3_225
set_property PACKAGE_PIN AV3  [get_ports {pcie_rx_n[8]}]       ;# MGTYRXN3_225
set_property PACKAGE_PIN AU7  [get_ports {pcie_tx_p[8]}]       ;# MGTYTXP3_225
set_property PACKAGE_PIN AU6  [get_ports {pcie_tx_n[8]}]       ;# MGTYTXN3_225
set_property PACKAGE_PIN AW6  [get_ports {pcie_rx_p[9]}]       ;# MGTYRXP2_225
set_property PACKAGE_PIN AW5  [get_ports {pcie_rx_n[9]}]       ;# MGTYRXN2_225
set_property PACKAGE_PIN AV9  [get_ports {pcie_tx_p[9]}]       ;# MGTYTXP2_225
set_property PACKAGE_PIN AV8  [get_ports {pcie_tx_n[9]}]       ;# MGTYTXN2_225
set_property PACKAGE_PIN AW2  [get_ports {pcie_rx_p[10]}]      ;# MGTYRXP1_225
set_property PACKAGE_PIN AW1  [get_ports {pcie_rx_n[10]}]      ;# MGTYRXN1_225
set_property PACKAGE_PIN AW11 [get_ports {pcie_tx_p[10]}]      ;# MGTYTXP1_225
set_property PACKAGE_PIN AW10 [get_ports {pcie_tx_n[10]}]      ;# MGTYTXN1_225
set_property PACKAGE_PIN AY4  [get_ports {pcie_rx_p[11]}]      ;# MGTYRXP0_225
set_property PACKAGE_PIN AY3  [get_ports {pcie_rx_n[11]}]      ;# MGTYRXN0_225
set_property PACKAGE_PIN AY9  [get_ports {pcie_tx_p[11]}]      ;# MGTYTXP0_225
set_property PACKAGE_PIN AY8  [get_ports {pcie_tx_n[11]}]      ;# MGTYTXN0_225
set_property PACKAGE_PIN BA6  [get_ports {pcie_rx_p[12]}]      ;# MGTYRXP3_224
set_property PACKAGE_PIN BA5  [get_ports {pcie_rx_n[12]}]      ;# MGTYRXN3_224
set_property PACKAGE_PIN BA11 [get_ports {pcie_tx_p[12]}]      ;# MGTYTXP3_224
set_property PACKAGE_PIN BA10 [get_ports {pcie_tx_n[12]}]      ;# MGTYTXN3_224
set_property PACKAGE_PIN BA2  [get_ports {pcie_rx_p[13]}]      ;# MGTYRXP2_224
set_property PACKAGE_PIN BA1  [get_ports {pcie_rx_n[13]}]      ;# MGTYRXN2_224
set_property PACKAGE_PIN BB9  [get_ports {pcie_tx_p[13]}]      ;# MGTYTXP2_224
set_property PACKAGE_PIN BB8  [get_ports {pcie_tx_n[13]}]      ;# MGTYTXN2_224
set_property PACKAGE_PIN BB4  [get_ports {pcie_rx_p[14]}]      ;# MGTYRXP1_224
set_property PACKAGE_PIN BB3  [get_ports {pcie_rx_n[14]}]      ;# MGTYRXN1_224
set_property PACKAGE_PIN BC11 [get_ports {pcie_tx_p[14]}]      ;# MGTYTXP1_224
set_property PACKAGE_PIN BC10 [get_ports {pcie_tx_n[14]}]      ;# MGTYTXN1_224
set_property PACKAGE_PIN BC2  [get_ports {pcie_rx_p[15]}]      ;# MGTYRXP0_224
set_property PACKAGE_PIN BC1  [get_ports {pcie_rx_n[15]}]      ;# MGTYRXN0_224
set_property PACKAGE_PIN BC7  [get_ports {pcie_tx_p[15]}]      ;# MGTYTXP0_224
set_property PACKAGE_PIN BC6  [get_ports {pcie_tx_n[15]}]      ;# MGTYTXN0_224

# ---------------------------------------------------------------- QSFP28 cage 0 (quad 134)
# Lane 0 = MGTY*0_134 = GTYE4_CHANNEL_X0Y40 in quad GTYE4_COMMON_X0Y10
# (corundum's AU280 constraints and open-nic-shell's CMAC recipe agree)
# bitstreams/au280/board.tcl puts the MAC's transceiver there; these pins and that site must agree
# or placement stops. The module's low-speed signals are not FPGA pins on this card (the
# satellite controller has them).
set_property PACKAGE_PIN T42  [get_ports qsfp0_refclk_p]        ;# MGTREFCLK0P_134 MGT_SI570_CLOCK0, 156.25 MHz
set_property PACKAGE_PIN T43  [get_ports qsfp0_refclk_n]        ;# MGTREFCLK0N_134
set_property PACKAGE_PIN L53  [get_ports qsfp0_rx_p]            ;# MGTYRXP0_134
set_property PACKAGE_PIN L54  [get_ports qsfp0_rx_n]            ;# MGTYRXN0_134
set_property PACKAGE_PIN L48  [get_ports qsfp0_tx_p]            ;# MGTYTXP0_134
set_property PACKAGE_PIN L49  [get_ports qsfp0_tx_n]            ;# MGTYTXN0_134

# ---------------------------------------------------------------- board clock
# SYSCLK0, 100 MHz, bank 65 (VCCO 1.2 V), IO_L12P/N_T1U_N10/N11_GC_A08/A09_D24/D25_65.
set_property -dict {PACKAGE_PIN BJ43 IOSTANDARD LVDS} [get_ports sysclk_100_p] ;# SYSCLK0_P
set_property -dict {PACKAGE_PIN BJ44 IOSTANDARD LVDS} [get_ports sysclk_100_n] ;# SYSCLK0_N

# ---------------------------------------------------------------- HBM_CATTRIP
# Monitored by the satellite controller: high = HBM over temperature = card powered off. The
# shell drives it low (no HBM used); the pull-down holds it low before configuration too
# (UG1314 (Alveo U280 user guide); AMD AR72926 via open-nic-shell).
set_property -dict {PACKAGE_PIN D32 IOSTANDARD LVCMOS18 PULLDOWN TRUE} [get_ports hbm_cattrip] ;# HBM_CATTRIP, bank 75, IO_L17P_T2U_N8_AD10P_75
