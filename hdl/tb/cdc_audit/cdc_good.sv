// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// cdc_good: every a_clk -> b_clk crossing goes through an approved primitive (scripts/cdc_audit.py
// must pass it): a level through tw_cdc_sync, words through tw_async_fifo and tw_cdc_handshake,
// an event count through tw_cdc_counter, a table through the dual-clock block RAM tw_locate_ram.
module cdc_good (
    input  wire        a_clk,
    input  wire        a_rst,
    input  wire        a_level,
    input  wire  [7:0] a_data,
    input  wire        a_valid,
    output logic       a_ready,
    input  wire        b_clk,
    input  wire        b_rst,
    output logic       b_level,
    output logic [7:0] b_fifo_data,
    output logic       b_fifo_valid,
    input  wire        b_fifo_ready,
    output logic [7:0] b_hs_data,
    output logic       b_hs_valid,
    output logic [7:0] b_count,
    input  wire  [9:0] a_waddr,
    input  wire  [9:0] b_raddr,
    output logic [31:0] b_loc
);
    logic a_level_q;
    always_ff @(posedge a_clk) a_level_q <= a_level;
    tw_cdc_sync u_sync_level (.clk(b_clk), .rst(b_rst), .d(a_level_q), .q(b_level));

    tw_async_fifo #(.W(8), .DEPTH(16)) u_fifo (
        .s_clk(a_clk), .s_rst(a_rst), .s_data(a_data), .s_valid(a_valid), .s_ready(a_ready),
        .s_frame(1'b0), .s_last(1'b0), .s_bad(1'b0),
        .m_clk(b_clk), .m_rst(b_rst), .m_data(b_fifo_data), .m_valid(b_fifo_valid), .m_ready(b_fifo_ready)
    );

    logic hs_ready;
    tw_cdc_handshake #(.W(8)) u_hs (
        .s_clk(a_clk), .s_rst(a_rst), .s_data(a_data), .s_valid(a_valid), .s_ready(hs_ready),
        .m_clk(b_clk), .m_rst(b_rst), .m_data(b_hs_data), .m_valid(b_hs_valid), .m_ready(1'b1)
    );

    tw_cdc_counter #(.W(8)) u_cnt (
        .src_clk(a_clk), .src_rst(a_rst), .inc(a_valid && hs_ready),
        .dst_clk(b_clk), .dst_rst(b_rst), .count(b_count)
    );

    tw_locate_ram #(.ADDR_W(10), .DATA_W(32)) u_ram (
        .wr_clk(a_clk), .we(a_valid), .waddr(a_waddr), .wdata({4{a_data}}),
        .rd_clk(b_clk), .re(1'b1), .raddr(b_raddr), .rdata(b_loc)
    );
endmodule
`default_nettype wire
