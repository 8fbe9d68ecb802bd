# SPDX-License-Identifier: Apache-2.0
# Configuration settings shared by the Alveo boards (U250, U55C, U280): every one boots from a
# 1 Gbit Micron MT25QU01G QSPI flash in SPI x4 with 32-bit addresses, 1.8 V configuration bank,
# and a golden image with configuration fallback (AMD's master XDC files for these cards; the
# same lines in corundum's and AMD's open-nic-shell constraints for all three). The configuration
# clock rate and the power budget differ per board: constraints/<board>/pins.xdc.
# bitstreams/alveo_build.tcl reads this before the board's pins.xdc.
set_property CONFIG_VOLTAGE 1.8                        [current_design]
set_property CFGBVS GND                                [current_design]
set_property CONFIG_MODE SPIx4                         [current_design]
set_property BITSTREAM.CONFIG.SPI_BUSWIDTH 4           [current_design]
set_property BITSTREAM.CONFIG.SPI_32BIT_ADDR YES       [current_design]
set_property BITSTREAM.CONFIG.SPI_FALL_EDGE YES        [current_design]
set_property BITSTREAM.CONFIG.EXTMASTERCCLK_EN DISABLE [current_design]
set_property BITSTREAM.CONFIG.CONFIGFALLBACK ENABLE    [current_design]
set_property BITSTREAM.CONFIG.UNUSEDPIN PULLUP         [current_design]
set_property BITSTREAM.GENERAL.COMPRESS TRUE           [current_design]
