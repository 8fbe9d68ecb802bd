// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_cdc_sync: two-flop synchroniser for level signals that change slowly, and for Gray-coded
// buses (FIFO pointers, counters). Single bits (W = 1): constrain the first stage with
// set_max_delay -datapath_only or a false path. Buses (W > 1): set_max_delay -datapath_only of at
// most one source clock period (or set_bus_skew), never a false path, so all bits of one Gray
// step arrive within a cycle of each other. ASYNC_REG keeps each flop pair together.
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
