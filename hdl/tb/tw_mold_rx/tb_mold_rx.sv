// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tb_mold_rx: bench top for tw_mold_deframer (with its tw_mold_sequencer) -> tw_tick_packer,
// wired as in tw_core: the delivery decision (s_dec_*: deliver, feed, user {feed, line}) is an
// input of its own, driven by the bench at or after the header (tw_core's flow filter answers
// 2 cycles after it), the packer's s_feed/s_line_b from m_user. REG_OUT is the packer's (1:
// registered record outputs; 0: combinational, as tw_core builds it). s_drop_unknown goes
// straight to the packer (a CSR in tw_core: the bench changes it only while nothing is inside);
// the packer's per-ring ITCH filters are tied to pass everything. Plain vectors on every port
// (no packed structs), so cocotb sees each field.
module tb_mold_rx #(
    parameter int FEEDS   = 16,
    parameter bit REG_OUT = 1'b1
) (
    input  wire         clk,
    input  wire         rst,
    input  wire         s_hdr_valid,
    output logic        s_hdr_ready,
    input  wire  [63:0] s_hdr_ts,
    input  wire         seq_clear,
    input  wire         s_dec_valid,
    input  wire         s_dec_deliver,
    input  wire  [4:0]  s_dec_user,     // {feed[4:1], line[0]}
    input  wire  [3:0]  s_dec_feed,
    input  wire  [63:0] s_axis_tdata,
    input  wire  [7:0]  s_axis_tkeep,
    input  wire         s_axis_tvalid,
    output logic        s_axis_tready,
    input  wire         s_axis_tlast,
    input  wire         s_axis_tuser,
    input  wire         s_drop_unknown,
    output logic        m_valid,
    output logic [511:0] m_tick,
    output logic        m_frame_end,
    output logic        m_frame_bad,
    output logic        busy,
    output logic        ev_pkt,
    output logic        ev_msg,
    output logic        ev_err,
    output logic        ev_count_err,
    output logic        ev_bad_verdict,
    output logic        ev_session,
    output logic        ev_gap,
    output logic        ev_dup,
    output logic        ev_late,
    output logic        ev_unknown,
    output logic        ev_len_err,
    output logic        ev_filtered
);
    localparam int USER_W = 5;    // {feed[4:1], line[0]}

    logic        df_valid, df_cur_end, df_abort, df_new, df_head;
    logic [63:0] df_data, df_ts, df_pkt_seq;
    logic [7:0]  df_keep, df_cur_en;
    logic [15:0] df_cur_base, df_new_len, df_new_idx;
    logic [2:0]  df_head_lane;
    logic        df_event, df_ev_new_session, df_ev_gap, df_ev_eos;
    logic [63:0] df_gap_first;
    logic [16:0] df_dup_below, df_fill_lo, df_fill_hi;
    logic [79:0] df_session_id;
    logic        df_frame_end, df_frame_bad;
    logic [USER_W-1:0] df_user;

    tw_mold_deframer #(.TS_W(64), .USER_W(USER_W), .FEEDS(FEEDS)) u_deframer (
        .clk, .rst, .s_hdr_valid, .s_hdr_ready, .s_hdr_ts, .seq_clear,
        .s_dec_valid, .s_dec_deliver, .s_dec_user, .s_dec_feed($clog2(FEEDS)'(s_dec_feed)),
        .s_axis_tdata, .s_axis_tkeep, .s_axis_tvalid, .s_axis_tready, .s_axis_tlast, .s_axis_tuser,
        .m_valid(df_valid), .m_data(df_data), .m_cur_en(df_cur_en), .m_cur_base(df_cur_base),
        .m_cur_end(df_cur_end), .m_abort(df_abort), .m_new(df_new), .m_new_len(df_new_len),
        .m_new_idx(df_new_idx), .m_head(df_head), .m_head_lane(df_head_lane), .m_keep(df_keep),
        .m_ts(df_ts), .m_pkt_seq(df_pkt_seq), .m_event(df_event), .m_ev_new_session(df_ev_new_session),
        .m_ev_gap(df_ev_gap), .m_ev_eos(df_ev_eos), .m_gap_first(df_gap_first), .m_dup_below(df_dup_below),
        .m_fill_lo(df_fill_lo), .m_fill_hi(df_fill_hi), .m_session_id(df_session_id),
        .m_frame_end(df_frame_end), .m_frame_bad(df_frame_bad), .m_user(df_user),
        .busy, .ev_pkt, .ev_msg, .ev_err, .ev_count_err, .ev_bad_verdict, .ev_session, .ev_gap
    );
    tw_tick_packer #(.TS_W(64), .REG_OUT(REG_OUT)) u_packer (
        .clk, .rst, .s_valid(df_valid), .s_data(df_data), .s_keep(df_keep), .s_cur_en(df_cur_en),
        .s_cur_base(df_cur_base), .s_cur_end(df_cur_end), .s_abort(df_abort), .s_new(df_new),
        .s_new_len(df_new_len), .s_new_idx(df_new_idx), .s_head(df_head), .s_head_lane(df_head_lane),
        .s_ts(df_ts), .s_pkt_seq(df_pkt_seq), .s_event(df_event), .s_ev_new_session(df_ev_new_session),
        .s_ev_gap(df_ev_gap), .s_ev_eos(df_ev_eos), .s_gap_first(df_gap_first), .s_dup_below(df_dup_below),
        .s_fill_lo(df_fill_lo), .s_fill_hi(df_fill_hi), .s_session_id(df_session_id),
        .s_frame_end(df_frame_end), .s_frame_bad(df_frame_bad),
        .s_feed(8'(df_user[4:1])), .s_line_b(df_user[0]), .s_drop_unknown,
        // the ring's ITCH filters pass everything here (every map, no locate check)
        .s_type_mask('1), .s_loc_types('0), .m_loc_re(), .m_loc_addr(), .s_loc_word('0),
        .m_valid, .m_tick, .m_frame_end, .m_frame_bad, .ev_dup, .ev_late, .ev_unknown, .ev_len_err, .ev_filtered
    );
endmodule
`default_nettype wire
`resetall
