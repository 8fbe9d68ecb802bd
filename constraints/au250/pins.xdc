# SPDX-License-Identifier: Apache-2.0
# Alveo U250 (xcu250-figd2104-2L-e): pins, I/O standards and configuration of tw_shell_au250.
#
# Pin facts: AMD's "AU200/250 Master XDC" (alveo-u250-xdc.xdc, rev 2.04; the U200 and U250 are
# pin-compatible) and UG1289 (Alveo U200/U250 user guide), cross-checked with corundum's
# fpga/mqnic/AU250/fpga_25g/fpga.xdc. What could not be confirmed is listed in docs/hardware.md,
# "Unverified". Every top-level port of the shell has a PACKAGE_PIN here, and every non-transceiver
# port an IOSTANDARD (scripts/shells-check.sh checks both, and that every get_ports names a port).
# Transceiver pins (MGT*) carry no I/O standard; their comment names the MGT pin, which is how
# the check tells them apart.

# ---------------------------------------------------------------- configuration (QSPI flash)
# The settings every Alveo board shares (SPI x4, 32-bit addresses, fallback) are in
# constraints/common/alveo_config.xdc; the card's MT25QU01G takes the image at 0x01002000, behind
# the golden image (bitstreams/au250/board.tcl).
set_property BITSTREAM.CONFIG.CONFIGRATE 63.8          [current_design]

# Board power budget (AMD's master XDC: warn above 160 W, with the 2x4 PCIe AUX power connected).
set_operating_conditions -design_power_budget 160

# ---------------------------------------------------------------- PCIe x16 (quads 224-227)
# Lane 0 is the top GT of quad 227; PG213/PG195 lane order, as in corundum's AU250 constraints.
set_property PACKAGE_PIN AM11 [get_ports pcie_refclk_p]        ;# MGTREFCLK0P_226 PEX_REFCLK_C_P
set_property PACKAGE_PIN AM10 [get_ports pcie_refclk_n]        ;# MGTREFCLK0N_226 PEX_REFCLK_C_N
set_property -dict {PACKAGE_PIN BD21 IOSTANDARD LVCMOS12 PULLUP TRUE} [get_ports pcie_perst_n] ;# PCIE_PERST_LS, bank 64

set_property PACKAGE_PIN AF2  [get_ports {pcie_rx_p[0]}]       ;# MGTYRXP3_227
set_property PACKAGE_PIN AF1  [get_ports {pcie_rx_n[0]}]       ;# MGTYRXN3_227
set_property PACKAGE_PIN AF7  [get_ports {pcie_tx_p[0]}]       ;# MGTYTXP3_227
set_property PACKAGE_PIN AF6  [get_ports {pcie_tx_n[0]}]       ;# MGTYTXN3_227
set_property PACKAGE_PIN AG4  [get_ports {pcie_rx_p[1]}]       ;# MGTYRXP2_227
set_property PACKAGE_PIN AG3  [get_ports {pcie_rx_n[1]}]       ;# MGTYRXN2_227
set_property PACKAGE_PIN AG9  [get_ports {pcie_tx_p[1]}]       ;# MGTYTXP2_227
set_property PACKAGE_PIN AG8  [get_ports {pcie_tx_n[1]}]       ;# MGTYTXN2_227
set_property PACKAGE_PIN AH2  [get_ports {pcie_rx_p[2]}]       ;# MGTYRXP1_227
set_property PACKAGE_PIN AH1  [get_ports {pcie_rx_n[2]}]       ;# MGTYRXN1_227
set_property PACKAGE_PIN AH7  [get_ports {pcie_tx_p[2]}]       ;# MGTYTXP1_227
set_property PACKAGE_PIN AH6  [get_ports {pcie_tx_n[2]}]       ;# MGTYTXN1_227
set_property PACKAGE_PIN AJ4  [get_ports {pcie_rx_p[3]}]       ;# MGTYRXP0_227
set_property PACKAGE_PIN AJ3  [get_ports {pcie_rx_n[3]}]       ;# MGTYRXN0_227
set_property PACKAGE_PIN AJ9  [get_ports {pcie_tx_p[3]}]       ;# MGTYTXP0_227
set_property PACKAGE_PIN AJ8  [get_ports {pcie_tx_n[3]}]       ;# MGTYTXN0_227
set_property PACKAGE_PIN AK2  [get_ports {pcie_rx_p[4]}]       ;# MGTYRXP3_226
set_property PACKAGE_PIN AK1  [get_ports {pcie_rx_n[4]}]       ;# MGTYRXN3_226
set_property PACKAGE_PIN AK7  [get_ports {pcie_tx_p[4]}]       ;# MGTYTXP3_226
set_property PACKAGE_PIN AK6  [get_ports {pcie_tx_n[4]}]       ;# MGTYTXN3_226
set_property PACKAGE_PIN AL4  [get_ports {pcie_rx_p[5]}]       ;# MGTYRXP2_226
set_property PACKAGE_PIN AL3  [get_ports {pcie_rx_n[5]}]       ;# MGTYRXN2_226
set_property PACKAGE_PIN AL9  [get_ports {pcie_tx_p[5]}]       ;# MGTYTXP2_226
set_property PACKAGE_PIN AL8  [get_ports {pcie_tx_n[5]}]       ;# MGTYTXN2_226
set_property PACKAGE_PIN AM2  [get_ports {pcie_rx_p[6]}]       ;# MGTYRXP1_226
set_property PACKAGE_PIN AM1  [get_ports {pcie_rx_n[6]}]       ;# MGTYRXN1_226
set_property PACKAGE_PIN AM7  [get_ports {pcie_tx_p[6]}]       ;# MGTYTXP1_226
set_property PACKAGE_PIN AM6  [get_ports {pcie_tx_n[6]}]       ;# MGTYTXN1_226
set_property PACKAGE_PIN AN4  [get_ports {pcie_rx_p[7]}]       ;# MGTYRXP0_226
set_property PACKAGE_PIN AN3  [get_ports {pcie_rx_n[7]}]       ;# MGTYRXN0_226
set_property PACKAGE_PIN AN9  [get_ports {pcie_tx_p[7]}]       ;# MGTYTXP0_226
set_property PACKAGE_PIN AN8  [get_ports {pcie_tx_n[7]}]       ;# MGTYTXN0_226
set_property PACKAGE_PIN AP2  [get_ports {pcie_rx_p[8]}]       ;# MGTYRXP3_225
set_property PACKAGE_PIN AP1  [get_ports {pcie_rx_n[8]}]       ;# MGTYRXN3_225
set_property PACKAGE_PIN AP7  [get_ports {pcie_tx_p[8]}]       ;# MGTYTXP3_225
set_property PACKAGE_PIN AP6  [get_ports {pcie_tx_n[8]}]       ;# MGTYTXN3_225
set_property PACKAGE_PIN AR4  [get_ports {pcie_rx_p[9]}]       ;# MGTYRXP2_225
set_property PACKAGE_PIN AR3  [get_ports {pcie_rx_n[9]}]       ;# MGTYRXN2_225
set_property PACKAGE_PIN AR9  [get_ports {pcie_tx_p[9]}]       ;# MGTYTXP2_225
set_property PACKAGE_PIN AR8  [get_ports {pcie_tx_n[9]}]       ;# MGTYTXN2_225
set_property PACKAGE_PIN AT2  [get_ports {pcie_rx_p[10]}]      ;# MGTYRXP1_225
set_property PACKAGE_PIN AT1  [get_ports {pcie_rx_n[10]}]      ;# MGTYRXN1_225
set_property PACKAGE_PIN AT7  [get_ports {pcie_tx_p[10]}]      ;# MGTYTXP1_225
set_property PACKAGE_PIN AT6  [get_ports {pcie_tx_n[10]}]      ;# MGTYTXN1_225
set_property PACKAGE_PIN AU4  [get_ports {pcie_rx_p[11]}]      ;# MGTYRXP0_225
set_property PACKAGE_PIN AU3  [get_ports {pcie_rx_n[11]}]      ;# MGTYRXN0_225
set_property PACKAGE_PIN AU9  [get_ports {pcie_tx_p[11]}]      ;# MGTYTXP0_225
set_property PACKAGE_PIN AU8  [get_ports {pcie_tx_n[11]}]      ;# MGTYTXN0_225
set_property PACKAGE_PIN AV2  [get_ports {pcie_rx_p[12]}]      ;# MGTYRXP3_224
set_property PACKAGE_PIN AV1  [get_ports {pcie_rx_n[12]}]      ;# MGTYRXN3_224
set_property PACKAGE_PIN AV7  [get_ports {pcie_tx_p[12]}]      ;# MGTYTXP3_224
set_property PACKAGE_PIN AV6  [get_ports {pcie_tx_n[12]}]      ;# MGTYTXN3_224
set_property PACKAGE_PIN AW4  [get_ports {pcie_rx_p[13]}]      ;# MGTYRXP2_224
set_property PACKAGE_PIN AW3  [get_ports {pcie_rx_n[13]}]      ;# MGTYRXN2_224
set_property PACKAGE_PIN BB5  [get_ports {pcie_tx_p[13]}]      ;# MGTYTXP2_224
set_property PACKAGE_PIN BB4  [get_ports {pcie_tx_n[13]}]      ;# MGTYTXN2_224
set_property PACKAGE_PIN BA2  [get_ports {pcie_rx_p[14]}]      ;# MGTYRXP1_224
set_property PACKAGE_PIN BA1  [get_ports {pcie_rx_n[14]}]      ;# MGTYRXN1_224
set_property PACKAGE_PIN BD5  [get_ports {pcie_tx_p[14]}]      ;# MGTYTXP1_224
set_property PACKAGE_PIN BD4  [get_ports {pcie_tx_n[14]}]      ;# MGTYTXN1_224
set_property PACKAGE_PIN BC2  [get_ports {pcie_rx_p[15]}]      ;# MGTYRXP0_224
set_property PACKAGE_PIN BC1  [get_ports {pcie_rx_n[15]}]      ;# MGTYRXN0_224
set_property PACKAGE_PIN BF5  [get_ports {pcie_tx_p[15]}]      ;# MGTYTXP0_224
set_property PACKAGE_PIN BF4  [get_ports {pcie_tx_n[15]}]      ;# MGTYTXN0_224

# ---------------------------------------------------------------- QSFP28 cage 0 (quad 231)
# Lane 0 = MGTY*0_231 = GTYE4_CHANNEL_X1Y44 in quad GTYE4_COMMON_X1Y11 on the xcu250 (the same
# pins are X1Y48/X1Y12 on the U200's xcu200: the sites differ, the package pins do not).
# bitstreams/au250/board.tcl puts the MAC's transceiver there (qsfp0_gt_quad Quad_X1Y11,
# qsfp0_gt_lane X1Y44); these pins and that site must agree or placement stops.
set_property PACKAGE_PIN M11 [get_ports qsfp0_refclk_p]        ;# MGTREFCLK0P_231 MGT_SI570_CLOCK0_C_P (156.25 MHz)
set_property PACKAGE_PIN M10 [get_ports qsfp0_refclk_n]        ;# MGTREFCLK0N_231 MGT_SI570_CLOCK0_C_N
set_property PACKAGE_PIN N4  [get_ports qsfp0_rx_p]            ;# MGTYRXP0_231
set_property PACKAGE_PIN N3  [get_ports qsfp0_rx_n]            ;# MGTYRXN0_231
set_property PACKAGE_PIN N9  [get_ports qsfp0_tx_p]            ;# MGTYTXP0_231
set_property PACKAGE_PIN N8  [get_ports qsfp0_tx_n]            ;# MGTYTXN0_231

# Module control, bank 64 (1.2 V), through level shifters (the _LS nets).
set_property -dict {PACKAGE_PIN BE17 IOSTANDARD LVCMOS12 SLEW SLOW DRIVE 8} [get_ports qsfp0_resetl]  ;# QSFP0_RESETL_LS
set_property -dict {PACKAGE_PIN BD18 IOSTANDARD LVCMOS12 SLEW SLOW DRIVE 8} [get_ports qsfp0_lpmode]  ;# QSFP0_LPMODE_LS
set_property -dict {PACKAGE_PIN BE16 IOSTANDARD LVCMOS12 SLEW SLOW DRIVE 8} [get_ports qsfp0_modsell] ;# QSFP0_MODSELL_LS

# ---------------------------------------------------------------- board clock
# SYSCLK1_300 (300 MHz, SI5335 OUT0 via SI53340), bank 64: the one 300 MHz clock in a non-DDR bank.
set_property -dict {PACKAGE_PIN AW20 IOSTANDARD LVDS} [get_ports sysclk_300_p] ;# SYSCLK1_300_P, IO_L11P_T1U_N8_GC_64
set_property -dict {PACKAGE_PIN AW19 IOSTANDARD LVDS} [get_ports sysclk_300_n] ;# SYSCLK1_300_N, IO_L11N_T1U_N9_GC_64

# ---------------------------------------------------------------- status LEDs: not driven
# STATUS_LED0..2_FPGA (BC21, BB21, BA20) sit in the master XDC's block "Leave Un-instantiated for
# proper Card operation or signal contention with Satellite Controller": the shell leaves them
# alone (PCIe link and Ethernet block lock are visible through lspci and the MAC instead).
