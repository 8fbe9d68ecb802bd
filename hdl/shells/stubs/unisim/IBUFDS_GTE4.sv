// SPDX-License-Identifier: Apache-2.0
// LINT ONLY, NEVER SYNTHESIZED. Stand-in for the UltraScale+ UNISIM primitive IBUFDS_GTE4 (the
// transceiver reference-clock input buffer; UG576/UG578, Libraries Guide UG974), which Vivado
// provides itself. Ports and parameters as UG974 lists them; outputs are constants.
`resetall
`timescale 1ns/1ps
`default_nettype none
module IBUFDS_GTE4 #(
    parameter logic [0:0] REFCLK_EN_TX_PATH  = 1'b0,
    parameter logic [1:0] REFCLK_HROW_CK_SEL = 2'b00,
    parameter logic [1:0] REFCLK_ICNTL_RX    = 2'b00
) (
    output logic O,
    output logic ODIV2,
    input  wire  CEB,
    input  wire  I,
    input  wire  IB
);
    assign O     = 1'b0;
    assign ODIV2 = 1'b0;
endmodule
`default_nettype wire
`resetall
