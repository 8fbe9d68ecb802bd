// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_async_fifo: dual-clock FIFO with Gray-coded pointers (Cummings, SNUG 2002), the one
// reviewed data crossing of the core. First-word-fall-through read side.
// The write side never stalls the pipeline: s_ready is "not full"; the caller counts what it drops.
module tw_async_fifo #(
    parameter int W     = 512,
    parameter int DEPTH = 16        // power of two, >= 4
) (
    input  wire          s_clk,
    input  wire          s_rst,
    input  wire  [W-1:0] s_data,
    input  wire          s_valid,
    output logic         s_ready,

    input  wire          m_clk,
    input  wire          m_rst,
    output logic [W-1:0] m_data,
    output logic         m_valid,
    input  wire          m_ready
);
    localparam int AW = $clog2(DEPTH);

    generate
        if (DEPTH < 4 || (1 << AW) != DEPTH) begin : gen_bad_depth
            initial $fatal(1, "tw_async_fifo: DEPTH=%0d must be a power of two >= 4", DEPTH);
        end
    endgenerate

    logic [W-1:0] mem [DEPTH];

    // Write side (s_clk)
    logic [AW:0] wbin_q, wgray_q, rgray_w;
    logic        full;
    assign full    = wgray_q == {~rgray_w[AW:AW-1], rgray_w[AW-2:0]};
    assign s_ready = !full;

    always_ff @(posedge s_clk) begin
        if (s_valid && !full) mem[wbin_q[AW-1:0]] <= s_data;
    end
    always_ff @(posedge s_clk) begin
        if (s_rst) begin
            wbin_q  <= '0;
            wgray_q <= '0;
        end else if (s_valid && !full) begin
            wbin_q  <= wbin_q + 1'b1;
            wgray_q <= (wbin_q + 1'b1) ^ ((wbin_q + 1'b1) >> 1);
        end
    end

    // Read side (m_clk)
    logic [AW:0] rbin_q, rgray_q, wgray_r;
    assign m_valid = rgray_q != wgray_r;
    assign m_data  = mem[rbin_q[AW-1:0]];

    always_ff @(posedge m_clk) begin
        if (m_rst) begin
            rbin_q  <= '0;
            rgray_q <= '0;
        end else if (m_valid && m_ready) begin
            rbin_q  <= rbin_q + 1'b1;
            rgray_q <= (rbin_q + 1'b1) ^ ((rbin_q + 1'b1) >> 1);
        end
    end

    tw_cdc_sync #(.W(AW + 1)) u_sync_w2r (.clk(m_clk), .rst(m_rst), .d(wgray_q), .q(wgray_r));
    tw_cdc_sync #(.W(AW + 1)) u_sync_r2w (.clk(s_clk), .rst(s_rst), .d(rgray_q), .q(rgray_w));
endmodule
`default_nettype wire
`resetall
