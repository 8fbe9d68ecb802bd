// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_tick_packer: builds one 64-byte tick record per MoldUDP64 message (and one per sequencer
// event: new session, gap, end of session) from the deframer's annotated beats. Messages the
// sequencer found to be duplicates (index below s_dup_below and not in [s_fill_lo, s_fill_hi))
// make no record (ev_dup pulses); late fills of a gap are delivered flagged LATE (ev_late). Layout from tw_tick_pkg (generated from
// hdl/regs/tick.toml). The validity word is left zero: the DMA writer fills it in.
//
// Frame verdicts: the record made on a frame's last beat (s_frame_end) carries FRAME_END, and
// FRAME_BAD when s_frame_bad. If no record is made on that beat but the frame made records
// before, a VERDICT record (no message) carries them instead; a frame that made no record makes
// no verdict record. m_frame_end/m_frame_bad repeat the two flags for the clock-crossing FIFO's
// hold mode. At most one record per beat, so this adds no cycle to any record.
//
// REG_OUT = 1 registers the record outputs (m_valid, m_tick, m_frame_end, m_frame_bad); with 0
// they are the record being made in this cycle, for a consumer whose input is itself a register
// (tw_core writes them straight into the clock-crossing FIFO's memory: one rx_clk cycle less).
module tw_tick_packer
    import tw_tick_pkg::*;
#(
    parameter int TS_W    = 64,
    parameter bit REG_OUT = 1'b1
) (
    input  wire               clk,
    input  wire               rst,

    input  wire               s_valid,
    input  wire  [63:0]       s_data,
    input  wire  [7:0]        s_keep,
    input  wire  [7:0]        s_cur_en,
    input  wire  [15:0]       s_cur_base,
    input  wire               s_cur_end,
    input  wire               s_abort,
    input  wire               s_new,
    input  wire  [15:0]       s_new_len,
    input  wire  [15:0]       s_new_idx,
    input  wire               s_head,
    input  wire  [2:0]        s_head_lane,
    input  wire  [TS_W-1:0]   s_ts,
    input  wire  [63:0]       s_pkt_seq,
    input  wire               s_event,
    input  wire               s_ev_new_session,
    input  wire               s_ev_gap,
    input  wire               s_ev_eos,
    input  wire  [63:0]       s_gap_first,
    input  wire  [16:0]       s_dup_below,
    input  wire  [16:0]       s_fill_lo,
    input  wire  [16:0]       s_fill_hi,
    input  wire  [79:0]       s_session_id,
    input  wire               s_frame_end,
    input  wire               s_frame_bad,
    input  wire  [7:0]        s_feed,
    input  wire  [7:0]        s_line,

    output logic              m_valid,      // one-cycle: m_tick holds a record
    output logic [8*TICK_BYTES-1:0] m_tick,
    output logic              m_frame_end,
    output logic              m_frame_bad,
    output logic              ev_dup,         // a duplicate message was dropped
    output logic              ev_late         // a late fill was delivered
);
    localparam int CAP = TICK_DATA_BYTES;

    generate
        if (TS_W != 8 * TICK_RX_TS_NS_BYTES) begin : gen_bad_ts
            initial $fatal(1, "tw_tick_packer: TS_W=%0d does not match the tick layout", TS_W);
        end
    endgenerate

    logic [8*CAP-1:0] acc_q, acc_d;      // message bytes so far (zero beyond them)
    logic [15:0]      len_q, len_d;      // of the open message
    logic [15:0]      idx_q, idx_d;
    logic             dup_q, dup_d;      // the open message is a duplicate
    logic             gap_q, gap_d;      // ... is the first after a gap
    logic             late_q, late_d;    // ... fills a gap late
    logic             dup_ev_d, late_ev_d;
    logic             out_valid_d, end_d, bad_d;
    logic             made_q, made_d;    // the open frame has made a record
    logic [8*TICK_BYTES-1:0] out_tick_d;

    always_comb begin
        logic [8*CAP-1:0] merged, shifted, head_bytes;
        logic [CAP-1:0]   en_shifted;
        logic [63:0]      head_data;
        logic [7:0]       head_en;
        logic [63:0]      seq;

        acc_d = acc_q;  len_d = len_q;  idx_d = idx_q;  made_d = made_q;  dup_d = dup_q;  gap_d = gap_q;
        late_d = late_q;  dup_ev_d = 1'b0;  late_ev_d = 1'b0;
        out_valid_d = 1'b0;
        out_tick_d  = '0;
        end_d = 1'b0;
        bad_d = 1'b0;

        // bytes of the open message: lane i is message byte s_cur_base + i
        shifted    = (8*CAP)'(s_data) << (8 * s_cur_base[5:0]);
        en_shifted = CAP'(s_cur_en) << s_cur_base[5:0];
        if (s_cur_base >= 16'(CAP)) en_shifted = '0;   // past the carried bytes
        merged = acc_q;
        for (int j = 0; j < CAP; j++) if (en_shifted[j]) merged[8*j +: 8] = shifted[8*j +: 8];

        // bytes of a message starting in this beat, from lane s_head_lane
        head_data  = s_data >> (8 * s_head_lane);
        head_en    = s_keep >> s_head_lane;
        head_bytes = '0;
        for (int j = 0; j < 8; j++) if (head_en[j]) head_bytes[8*j +: 8] = head_data[8*j +: 8];

        seq = s_pkt_seq + 64'(idx_q);

        if (s_valid) begin
            acc_d = merged;
            dup_ev_d = s_cur_end && dup_q;   // no record; the beat may still need a verdict record
            if (s_cur_end && !dup_q) begin
                out_valid_d = 1'b1;
                out_tick_d[8*TICK_RX_TS_NS_OFF +: 8*TICK_RX_TS_NS_BYTES] = s_ts;
                out_tick_d[8*TICK_SEQ_OFF      +: 8*TICK_SEQ_BYTES]      = seq;
                out_tick_d[8*TICK_MSG_LEN_OFF  +: 8*TICK_MSG_LEN_BYTES]  = len_q;
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_TRUNCATED]       = len_q > 16'(CAP);
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_GAP]             = gap_q;
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_LATE]            = late_q;
                out_tick_d[8*TICK_DATA_OFF     +: 8*TICK_DATA_BYTES]     = merged;
                late_ev_d = late_q;
            end else if (s_event) begin
                // never in the same beat as a message end: the header ends before the first block
                out_valid_d = 1'b1;
                out_tick_d[8*TICK_RX_TS_NS_OFF +: 8*TICK_RX_TS_NS_BYTES] = s_ts;
                out_tick_d[8*TICK_SEQ_OFF      +: 8*TICK_SEQ_BYTES]      = s_pkt_seq;
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_EVENT]           = 1'b1;
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_GAP]             = s_ev_gap;
                out_tick_d[8*TICK_EVENT_OFF + TICK_EVENT_NEW_SESSION]    = s_ev_new_session;
                out_tick_d[8*TICK_EVENT_OFF + TICK_EVENT_GAP]            = s_ev_gap;
                out_tick_d[8*TICK_EVENT_OFF + TICK_EVENT_END_OF_SESSION] = s_ev_eos;
                out_tick_d[8*TICK_DATA_OFF     +: 80]                    = s_session_id;
                if (s_ev_gap) out_tick_d[8*TICK_GAP_FIRST_OFF +: 64]     = s_gap_first;
            end else if (s_frame_end && made_q) begin
                out_valid_d = 1'b1;
                out_tick_d[8*TICK_RX_TS_NS_OFF +: 8*TICK_RX_TS_NS_BYTES] = s_ts;
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_VERDICT]         = 1'b1;
            end
            if (out_valid_d) begin
                out_tick_d[8*TICK_LINE_OFF     +: 8*TICK_LINE_BYTES]     = s_line;
                out_tick_d[8*TICK_FEED_OFF     +: 8*TICK_FEED_BYTES]     = s_feed;
                made_d = 1'b1;
            end
            if (s_frame_end) begin
                made_d = 1'b0;
                end_d  = out_valid_d;
                bad_d  = out_valid_d && s_frame_bad;
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_FRAME_END] = out_valid_d;
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_FRAME_BAD] = out_valid_d && s_frame_bad;
            end
            if (s_cur_end || s_abort) acc_d = '0;
            if (s_new) begin
                len_d = s_new_len;
                idx_d = s_new_idx;
                late_d = {1'b0, s_new_idx} >= s_fill_lo && {1'b0, s_new_idx} < s_fill_hi;
                dup_d = {1'b0, s_new_idx} < s_dup_below && !late_d;
                gap_d = s_ev_gap && s_new_idx == '0;
                acc_d = s_head ? head_bytes : '0;
            end
        end
    end

    always_ff @(posedge clk) begin
        if (rst) begin
            acc_q       <= '0;
            made_q      <= 1'b0;
            ev_dup      <= 1'b0;
            ev_late     <= 1'b0;
        end else begin
            acc_q       <= acc_d;
            made_q      <= made_d;
            ev_dup      <= dup_ev_d;
            ev_late     <= late_ev_d;
        end
        len_q  <= len_d;
        idx_q  <= idx_d;
        dup_q  <= dup_d;
        gap_q  <= gap_d;
        late_q <= late_d;
    end

    generate
        if (REG_OUT) begin : gen_reg_out
            always_ff @(posedge clk) begin
                if (rst) begin
                    m_valid     <= 1'b0;
                    m_frame_end <= 1'b0;
                    m_frame_bad <= 1'b0;
                end else begin
                    m_valid     <= out_valid_d;
                    m_frame_end <= end_d;
                    m_frame_bad <= bad_d;
                end
                m_tick <= out_tick_d;
            end
        end else begin : gen_comb_out
            assign m_valid     = out_valid_d;
            assign m_frame_end = end_d;
            assign m_frame_bad = bad_d;
            assign m_tick      = out_tick_d;
        end
    endgenerate

`ifndef SYNTHESIS
    always_ff @(posedge clk) begin
        if (!rst && s_valid && s_cur_end && s_event)
            $error("tw_tick_packer: message end and event record in the same beat");
    end
`endif
endmodule
`default_nettype wire
`resetall
