// SPDX-License-Identifier: Apache-2.0
// LINT ONLY, NEVER SYNTHESIZED. Stand-in for the UNISIM primitive IBUFDS (differential input
// buffer; Libraries Guide UG974), which Vivado provides itself. Outputs are constants.
`resetall
`timescale 1ns/1ps
`default_nettype none
module IBUFDS #(
    parameter      DIFF_TERM    = "FALSE",
    parameter      IBUF_LOW_PWR = "TRUE",
    parameter      IOSTANDARD   = "DEFAULT"
) (
    output logic O,
    input  wire  I,
    input  wire  IB
);
    assign O = 1'b0;
endmodule
`default_nettype wire
`resetall
