// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_cdc_counter: an event counter kept in the source domain and read in the destination
// domain through a Gray code, so every sampled value is one the counter really held.
// The counter steps by at most one per source cycle, so consecutive values differ in one bit.
// GRAY_OUT = 1 leaves out the destination's Gray-to-binary decoder: `count` is then the
// synchronised Gray code itself (still a value the counter held), for a reader that decodes one
// of many counters at read time (tw_gray_read).
module tw_cdc_counter #(
    parameter int W        = 32,
    parameter bit GRAY_OUT = 1'b0
) (
    input  wire          src_clk,
    input  wire          src_rst,
    input  wire          inc,       // one-cycle event pulse, src_clk domain
    input  wire          dst_clk,
    input  wire          dst_rst,
    output logic [W-1:0] count      // dst_clk domain, a few cycles behind (Gray code if GRAY_OUT)
);
    logic [W-1:0] bin_q, gray_q;
    always_ff @(posedge src_clk) begin
        if (src_rst) begin
            bin_q  <= '0;
            gray_q <= '0;
        end else begin
            if (inc) bin_q <= bin_q + 1'b1;
            gray_q <= bin_q ^ (bin_q >> 1);   // registered: the crossing sees no glitches
        end
    end

    logic [W-1:0] gray_sync;
    tw_cdc_sync #(.W(W)) u_sync (.clk(dst_clk), .rst(dst_rst), .d(gray_q), .q(gray_sync));

    if (GRAY_OUT) begin : gen_gray_out
        assign count = gray_sync;
    end else begin : gen_bin_out
        logic [W-1:0] bin_d, count_q;
        always_comb begin
            bin_d[W-1] = gray_sync[W-1];
            for (int i = W - 2; i >= 0; i--) bin_d[i] = bin_d[i+1] ^ gray_sync[i];
        end
        always_ff @(posedge dst_clk) begin
            if (dst_rst) count_q <= '0;
            else         count_q <= bin_d;
        end
        assign count = count_q;
    end
endmodule
`default_nettype wire
`resetall
