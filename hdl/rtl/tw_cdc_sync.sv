// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_cdc_sync: two-flop synchroniser for level signals that change slowly (one bit each,
// no relation between bits is preserved). Constrain the first stage with set_max_delay
// -datapath_only / set_false_path; its ASYNC_REG attribute keeps the pair together.
module tw_cdc_sync #(
    parameter int W = 1,
    parameter logic [W-1:0] RESET_VALUE = '0
) (
    input  wire          clk,     // destination clock
    input  wire          rst,     // destination reset
    input  wire  [W-1:0] d,       // from another clock domain
    output logic [W-1:0] q
);
    (* ASYNC_REG = "TRUE" *) logic [W-1:0] meta_q;
    (* ASYNC_REG = "TRUE" *) logic [W-1:0] sync_q;

    always_ff @(posedge clk) begin
        if (rst) begin
            meta_q <= RESET_VALUE;
            sync_q <= RESET_VALUE;
        end else begin
            meta_q <= d;
            sync_q <= meta_q;
        end
    end

    assign q = sync_q;
endmodule
`default_nettype wire
`resetall
