// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tb_mold_rx: bench top for tw_mold_deframer -> tw_tick_packer, wired as in tw_core.
module tb_mold_rx (
    input  wire         clk,
    input  wire         rst,
    input  wire         s_hdr_valid,
    output logic        s_hdr_ready,
    input  wire  [63:0] s_hdr_ts,
    input  wire  [15:0] s_hdr_user,     // {feed, line}
    input  wire  [63:0] s_axis_tdata,
    input  wire  [7:0]  s_axis_tkeep,
    input  wire         s_axis_tvalid,
    output logic        s_axis_tready,
    input  wire         s_axis_tlast,
    input  wire         s_axis_tuser,
    output logic        m_valid,
    output logic [511:0] m_tick,
    output logic        m_frame_end,
    output logic        m_frame_bad,
    output logic        ev_pkt,
    output logic        ev_msg,
    output logic        ev_err,
    output logic        ev_session
);
    logic        df_valid, df_cur_end, df_abort, df_new, df_head, df_session, df_busy;
    logic [63:0] df_data, df_ts, df_pkt_seq;
    logic [7:0]  df_keep, df_cur_en;
    logic [15:0] df_cur_base, df_new_len, df_new_idx;
    logic [2:0]  df_head_lane;
    logic [79:0] df_session_id;
    logic        df_frame_end, df_frame_bad;
    logic [15:0] df_user;

    tw_mold_deframer #(.USER_W(16)) u_deframer (
        .clk, .rst, .s_hdr_valid, .s_hdr_ready, .s_hdr_ts, .s_hdr_user,
        .s_axis_tdata, .s_axis_tkeep, .s_axis_tvalid, .s_axis_tready, .s_axis_tlast, .s_axis_tuser,
        .m_valid(df_valid), .m_data(df_data), .m_cur_en(df_cur_en), .m_cur_base(df_cur_base),
        .m_cur_end(df_cur_end), .m_abort(df_abort), .m_new(df_new), .m_new_len(df_new_len),
        .m_new_idx(df_new_idx), .m_head(df_head), .m_head_lane(df_head_lane), .m_keep(df_keep),
        .m_ts(df_ts), .m_pkt_seq(df_pkt_seq), .m_session(df_session), .m_session_id(df_session_id),
        .m_frame_end(df_frame_end), .m_frame_bad(df_frame_bad), .m_user(df_user),
        .busy(df_busy), .ev_pkt, .ev_msg, .ev_err, .ev_session
    );
    tw_tick_packer u_packer (
        .clk, .rst, .s_valid(df_valid), .s_data(df_data), .s_keep(df_keep), .s_cur_en(df_cur_en),
        .s_cur_base(df_cur_base), .s_cur_end(df_cur_end), .s_abort(df_abort), .s_new(df_new),
        .s_new_len(df_new_len), .s_new_idx(df_new_idx), .s_head(df_head), .s_head_lane(df_head_lane),
        .s_ts(df_ts), .s_pkt_seq(df_pkt_seq), .s_session(df_session), .s_session_id(df_session_id),
        .s_frame_end(df_frame_end), .s_frame_bad(df_frame_bad), .s_feed(df_user[15:8]), .s_line(df_user[7:0]),
        .m_valid, .m_tick, .m_frame_end, .m_frame_bad
    );
    logic unused;
    assign unused = df_busy;
endmodule
`default_nettype wire
`resetall
