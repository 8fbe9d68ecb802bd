// SPDX-License-Identifier: Apache-2.0
// LINT ONLY, NEVER SYNTHESIZED. Stand-in for the UltraScale(+) UNISIM primitive BUFGCE_DIV
// (global clock buffer with a 1..8 divider; UG572, Libraries Guide UG974), which Vivado provides
// itself. Outputs are constants.
`resetall
`timescale 1ns/1ps
`default_nettype none
module BUFGCE_DIV #(
    parameter int         BUFGCE_DIVIDE   = 1,
    parameter logic [0:0] IS_CE_INVERTED  = 1'b0,
    parameter logic [0:0] IS_CLR_INVERTED = 1'b0,
    parameter logic [0:0] IS_I_INVERTED   = 1'b0,
    parameter             SIM_DEVICE      = "ULTRASCALE_PLUS"
) (
    output logic O,
    input  wire  CE,
    input  wire  CLR,
    input  wire  I
);
    assign O = 1'b0;
endmodule
`default_nettype wire
`resetall
