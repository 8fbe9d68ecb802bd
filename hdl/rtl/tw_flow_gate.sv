// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_flow_gate: applies the flow filter's verdict to a frame. Between the header parser and the
// MoldUDP64 deframer: the parser's header goes to the filter, whose answer comes L cycles later;
// the payload is delayed by the same L cycles (a register line, no FIFO, no backpressure), so a
// delivered frame reaches the deframer header first, with the action (feed, line, ring) as its
// user field, and a dropped frame's payload is discarded before it gets there.
//
// Timing: the parser's header is valid no later than the frame's first payload beat, so after the
// delay the deframer's header is too (it takes both in one cycle). The gate adds exactly L cycles
// to every payload beat (L = the filter's latency, registered outputs) and no register of its own.
module tw_flow_gate #(
    parameter int L      = 2,     // filter latency, cycles (>= 1)
    parameter int TS_W   = 64,
    parameter int USER_W = 10
) (
    input  wire               clk,
    input  wire               rst,

    // parser header (the filter sees the same strobe and fields)
    input  wire               s_hdr_valid,
    input  wire  [TS_W-1:0]   s_hdr_ts,

    // the filter's answer, exactly L cycles after s_hdr_valid
    input  wire               f_valid,
    input  wire               f_deliver,
    input  wire  [USER_W-1:0] f_user,

    // parser payload (never stalled)
    input  wire  [63:0]       s_axis_tdata,
    input  wire  [7:0]        s_axis_tkeep,
    input  wire               s_axis_tvalid,
    input  wire               s_axis_tlast,
    input  wire               s_axis_tuser,

    // to the deframer
    output logic              m_hdr_valid,
    input  wire               m_hdr_ready,
    output logic [TS_W-1:0]   m_hdr_ts,
    output logic [USER_W-1:0] m_hdr_user,
    output logic [63:0]       m_axis_tdata,
    output logic [7:0]        m_axis_tkeep,
    output logic              m_axis_tvalid,
    input  wire               m_axis_tready,
    output logic              m_axis_tlast,
    output logic              m_axis_tuser,

    output logic              busy,
    output logic              ev_drop       // one-cycle pulse: a frame dropped by the filter
);
    generate
        if (L < 1) begin : gen_bad_l
            initial $fatal(1, "tw_flow_gate: L=%0d must be >= 1", L);
        end
    endgenerate

    // header timestamp, held until the answer (frames are >= 8 cycles apart, L is small)
    logic [TS_W-1:0] ts_q;
    logic [L-1:0]    pend_q;      // a header is waiting for its answer, by age
    always_ff @(posedge clk) begin
        if (s_hdr_valid) ts_q <= s_hdr_ts;
        if (rst) pend_q <= '0;
        else     pend_q <= (pend_q << 1) | L'(s_hdr_valid);
    end

    // payload delay line
    logic [63:0] d_data [L];
    logic [7:0]  d_keep [L];
    logic [L-1:0] d_valid, d_last, d_user;
    always_ff @(posedge clk) begin
        d_data[0] <= s_axis_tdata;
        d_keep[0] <= s_axis_tkeep;
        d_last[0] <= s_axis_tlast;
        d_user[0] <= s_axis_tuser;
        for (int i = 1; i < L; i++) begin
            d_data[i] <= d_data[i-1];
            d_keep[i] <= d_keep[i-1];
            d_last[i] <= d_last[i-1];
            d_user[i] <= d_user[i-1];
        end
        if (rst) d_valid <= '0;
        else     d_valid <= (d_valid << 1) | L'(s_axis_tvalid);
    end

    // drop state of the frame whose payload is leaving the delay line
    logic drop_q, drop_now;
    assign drop_now = f_valid ? !f_deliver : drop_q;
    always_ff @(posedge clk) begin
        if (rst) drop_q <= 1'b0;
        else if (f_valid) drop_q <= !f_deliver;
    end

    // The deframer takes the header in the cycle the answer comes (it is free: the previous
    // frame's payload left L cycles after it left the parser, before this frame's header did).
    assign m_hdr_valid = f_valid && f_deliver;
    assign m_hdr_ts    = ts_q;
    assign m_hdr_user  = f_user;
    always_ff @(posedge clk) begin
        if (rst) ev_drop <= 1'b0;
        else     ev_drop <= f_valid && !f_deliver;
    end

    assign m_axis_tdata  = d_data[L-1];
    assign m_axis_tkeep  = d_keep[L-1];
    assign m_axis_tvalid = d_valid[L-1] && !drop_now;
    assign m_axis_tlast  = d_last[L-1];
    assign m_axis_tuser  = d_user[L-1];

    assign busy = |pend_q || |d_valid;

`ifndef SYNTHESIS
    always_ff @(posedge clk) begin
        if (!rst && m_axis_tvalid && !m_axis_tready)
            $error("tw_flow_gate: the deframer stalled the payload (a beat was lost)");
        if (!rst && f_valid != pend_q[L-1])
            $error("tw_flow_gate: filter answer not exactly L=%0d cycles after the header", L);
        if (!rst && m_hdr_valid && !m_hdr_ready)
            $error("tw_flow_gate: the deframer did not take a header (still inside the previous packet)");
    end
`endif
endmodule
`default_nettype wire
`resetall
