// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_shell_au55c: top level of the Alveo U55C card (xcu55c-fsvh2892-2L-e): the board's pins around
// tw_shell_alveo (tw_core between the 10G/25G Ethernet Subsystem on QSFP28 cage 0, lane 0, and
// XDMA in AXI Bridge mode, Gen3 x16; see hdl/shells/common/tw_shell_alveo.sv).
//
// Board specifics (constraints/au55c/pins.xdc, bitstreams/au55c/board.tcl, docs/hardware.md):
//   QSFP0 reference clock from the SI5394 (OUT0), 161.1328125 MHz, MGTREFCLK0_130; GT quad 130 =
//   X0Y6, lane 0 = X0Y24.
//   Board clock SYSCLK2, 100 MHz, used undivided as the MAC's DRP clock.
//   HBM_CATTRIP must be driven low when the HBM is not used, or the satellite controller reads
//   the card's pull-up as an HBM over-temperature and cuts the card's power (UG1468; AMD's open-nic-shell constraints, AR72926).
//   The QSFP28 module's low-speed signals (reset, LP mode, I2C) are not wired to the FPGA on this
//   card: the satellite controller owns them, so this shell has no module-control ports.
//   No LEDs driven.
module tw_shell_au55c #(
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

    // QSFP28 cage 0: lane 0 only and its reference clock
    input  wire        qsfp0_refclk_p,      // SI5394 OUT0, 161.1328125 MHz
    input  wire        qsfp0_refclk_n,
    input  wire        qsfp0_rx_p,
    input  wire        qsfp0_rx_n,
    output wire        qsfp0_tx_p,
    output wire        qsfp0_tx_n,

    // HBM catastrophic-temperature flag to the satellite controller: held low (no HBM used)
    output wire        hbm_cattrip,

    // Board clock: SYSCLK2, 100 MHz
    input  wire        sysclk_100_p,
    input  wire        sysclk_100_n
);
    tw_shell_alveo #(.BUILD_ID(BUILD_ID), .SYSCLK_DIV(1)) u_shell (
        .pcie_refclk_p(pcie_refclk_p), .pcie_refclk_n(pcie_refclk_n), .pcie_perst_n(pcie_perst_n),
        .pcie_rx_p(pcie_rx_p), .pcie_rx_n(pcie_rx_n), .pcie_tx_p(pcie_tx_p), .pcie_tx_n(pcie_tx_n),
        .qsfp0_refclk_p(qsfp0_refclk_p), .qsfp0_refclk_n(qsfp0_refclk_n),
        .qsfp0_rx_p(qsfp0_rx_p), .qsfp0_rx_n(qsfp0_rx_n), .qsfp0_tx_p(qsfp0_tx_p), .qsfp0_tx_n(qsfp0_tx_n),
        .sysclk_p(sysclk_100_p), .sysclk_n(sysclk_100_n)
    );

    assign hbm_cattrip = 1'b0;
endmodule
`default_nettype wire
`resetall
