// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_shell_au250: top level of the Alveo U250 card (xcu250-figd2104-2L-e): the board's pins around
// tw_shell_alveo (tw_core between the 10G/25G Ethernet Subsystem on QSFP28 cage 0, lane 0, and
// XDMA in AXI Bridge mode, Gen3 x16; see hdl/shells/common/tw_shell_alveo.sv).
//
// Board specifics (constraints/au250/pins.xdc, bitstreams/au250/board.tcl, docs/hardware.md):
//   QSFP0 reference clock MGT_SI570_CLOCK0, 156.25 MHz; GT quad 231 = X1Y11, lane 0 = X1Y44.
//   Board clock SYSCLK1_300, 300 MHz, / 3 = the MAC's 100 MHz DRP clock.
//   QSFP0 module control pins are the FPGA's (bank 64): held out of reset, full power.
//   No LEDs: AMD's master XDC reserves STATUS_LED*_FPGA for the satellite controller.
module tw_shell_au250 #(
    // Set by bitstreams/alveo_build.tcl (synth_design -generic) from the build's BUILD_ID.
    parameter logic [31:0] BUILD_ID = tw_card_pkg::BUILD_ID_LATEST
) (
    // PCIe edge connector, Gen3 x16 (lane 0 = pcie_*[0])
    input  wire        pcie_refclk_p,       // 100 MHz from the host
    input  wire        pcie_refclk_n,
    input  wire        pcie_perst_n,        // PERST#, active low
    input  wire [15:0] pcie_rx_p,
    input  wire [15:0] pcie_rx_n,
    output wire [15:0] pcie_tx_p,
    output wire [15:0] pcie_tx_n,

    // QSFP28 cage 0: lane 0 only, its reference clock and module control
    input  wire        qsfp0_refclk_p,      // MGT_SI570_CLOCK0, 156.25 MHz
    input  wire        qsfp0_refclk_n,
    input  wire        qsfp0_rx_p,
    input  wire        qsfp0_rx_n,
    output wire        qsfp0_tx_p,
    output wire        qsfp0_tx_n,
    output wire        qsfp0_resetl,        // module reset, active low: held released
    output wire        qsfp0_lpmode,        // low-power mode (optics off): held low
    output wire        qsfp0_modsell,       // module select for its I2C: held high (deselected)

    // Board clock: SYSCLK1_300, 300 MHz
    input  wire        sysclk_300_p,
    input  wire        sysclk_300_n
);
    tw_shell_alveo #(.BUILD_ID(BUILD_ID), .SYSCLK_DIV(3)) u_shell (
        .pcie_refclk_p(pcie_refclk_p), .pcie_refclk_n(pcie_refclk_n), .pcie_perst_n(pcie_perst_n),
        .pcie_rx_p(pcie_rx_p), .pcie_rx_n(pcie_rx_n), .pcie_tx_p(pcie_tx_p), .pcie_tx_n(pcie_tx_n),
        .qsfp0_refclk_p(qsfp0_refclk_p), .qsfp0_refclk_n(qsfp0_refclk_n),
        .qsfp0_rx_p(qsfp0_rx_p), .qsfp0_rx_n(qsfp0_rx_n), .qsfp0_tx_p(qsfp0_tx_p), .qsfp0_tx_n(qsfp0_tx_n),
        .sysclk_p(sysclk_300_p), .sysclk_n(sysclk_300_n)
    );

    // QSFP28 module control (SFF-8679 low-speed signals): out of reset, full power, I2C deselected.
    assign qsfp0_resetl  = 1'b1;
    assign qsfp0_lpmode  = 1'b0;
    assign qsfp0_modsell = 1'b1;
endmodule
`default_nettype wire
`resetall
