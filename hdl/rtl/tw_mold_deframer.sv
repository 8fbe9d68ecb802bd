// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_mold_deframer: splits a MoldUDP64 payload into its messages, annotating each 8-byte beat
// with which lanes belong to which message, so the tick packer can build one tick per message
// at full line rate without a FIFO.
//
// MoldUDP64 downstream packet (big-endian):
//   offset 0  session          10 bytes ASCII
//   offset 10 sequence_number   8 bytes, of the first message in the packet
//   offset 18 message_count     2 bytes (0 heartbeat, 0xFFFF end of session)
//   offset 20 message blocks:   2-byte length, then the message; repeated to the end of the payload
//
// Rules (the software reference, tickwire::mold, applies the same ones):
// - Blocks are parsed until the payload ends; message_count is not used to find them.
// - A message shorter than MIN_MSG_LEN bytes (ITCH's shortest is 12), a block running past the
//   payload, or a payload shorter than the 20-byte header cuts the packet short: messages
//   completed before the fault are delivered, the rest is dropped, err_mold pulses once.
//   MIN_MSG_LEN >= 8 guarantees at most one message ends and one starts in any 8-byte beat.
// - A session record is requested when a packet's session differs from the previous packet's
//   (and for the first packet after reset).
module tw_mold_deframer #(
    parameter int TS_W        = 64,
    parameter int MIN_MSG_LEN = 8
) (
    input  wire               clk,
    input  wire               rst,

    // packet header from the UDP parser: one per packet, at or before its first payload beat
    input  wire               s_hdr_valid,
    output logic              s_hdr_ready,
    input  wire  [TS_W-1:0]   s_hdr_ts,

    // UDP payload, byte 0 in lane 0, contiguous tkeep
    input  wire  [63:0]       s_axis_tdata,
    input  wire  [7:0]        s_axis_tkeep,
    input  wire               s_axis_tvalid,
    output logic              s_axis_tready,
    input  wire               s_axis_tlast,

    // annotated beats for the tick packer (registered)
    output logic              m_valid,
    output logic [63:0]       m_data,
    output logic [7:0]        m_cur_en,     // lanes of the message that was open at the start of the beat
    output logic [15:0]       m_cur_base,   // its byte index in lane 0
    output logic              m_cur_end,    // ... and it ends in this beat: emit its tick
    output logic              m_abort,      // discard the open message (packet cut short)
    output logic              m_new,        // the next message's length became known in this beat
    output logic [15:0]       m_new_len,
    output logic [15:0]       m_new_idx,    // its index in the packet (sequence number = pkt seq + idx)
    output logic              m_head,       // the new message starts in this beat ...
    output logic [2:0]        m_head_lane,  // ... at this lane; its bytes are lanes >= m_head_lane with keep
    output logic [7:0]        m_keep,
    output logic [TS_W-1:0]   m_ts,
    output logic [63:0]       m_pkt_seq,    // sequence_number of the packet the beat belongs to
    output logic              m_session,    // emit a session record for m_session_id this beat
    output logic [79:0]       m_session_id, // session bytes in wire order, byte 0 in [7:0]

    output logic              busy,
    output logic              ev_pkt,       // one-cycle event pulses for counters
    output logic              ev_msg,
    output logic              ev_err,
    output logic              ev_session
);
    localparam int HDR_BYTES = 20;

    generate
        if (MIN_MSG_LEN < 8) begin : gen_bad_min
            initial $fatal(1, "tw_mold_deframer: MIN_MSG_LEN=%0d must be >= 8 (one message start per beat)", MIN_MSG_LEN);
        end
    endgenerate

    // ---------------------------------------------------------------- state
    logic              in_pkt_q,  in_pkt_d;
    logic [15:0]       off_q,     off_d;      // payload offset of lane 0 of the next beat
    logic [TS_W-1:0]   ts_q,      ts_d;
    logic [79:0]       sess_q,    sess_d;     // session of this packet, being captured
    logic [63:0]       seq_q,     seq_d;
    logic [79:0]       last_sess_q, last_sess_d;
    logic              have_sess_q, have_sess_d;
    logic [15:0]       blk_q,     blk_d;      // offset of the next block's length field
    logic              have_hi_q, have_hi_d;  // its first length byte was in the previous beat
    logic [7:0]        hi_q,      hi_d;
    logic              in_msg_q,  in_msg_d;   // a message's length is known and its end not reached
    logic [15:0]       mstart_q,  mstart_d;
    logic [15:0]       mend_q,    mend_d;     // offset of its last byte
    logic [15:0]       idx_q,     idx_d;
    logic              skip_q,    skip_d;     // packet cut short: ignore the rest

    logic hdr_fire, beat;
    assign s_hdr_ready   = !in_pkt_q;
    assign hdr_fire      = s_hdr_valid && s_hdr_ready;
    assign s_axis_tready = in_pkt_q || hdr_fire;
    assign beat          = s_axis_tvalid && s_axis_tready;

    // ---------------------------------------------------------------- per-beat decode
    logic [7:0]  cur_en, lane_ok;
    logic        cur_end, abort, new_msg, head, err, sess_emit, hdr_done;
    logic [2:0]  head_lane;
    logic [15:0] new_len, cur_base;

    always_comb begin
        logic [15:0] base_off, blk, a, start;
        logic [7:0]  hi, lo;
        logic        want_hi, got_len, hi_here, lo_here;
        logic [3:0]  nvalid;
        // rel < 8 whenever it is used (the start lies in this beat): only its low bits matter
        /* verilator lint_off UNUSEDSIGNAL */
        logic [15:0] rel;
        /* verilator lint_on UNUSEDSIGNAL */

        in_pkt_d = in_pkt_q;   off_d = off_q;       ts_d = ts_q;
        sess_d = sess_q;       seq_d = seq_q;       last_sess_d = last_sess_q;
        have_sess_d = have_sess_q;                  blk_d = blk_q;
        have_hi_d = have_hi_q; hi_d = hi_q;         in_msg_d = in_msg_q;
        mstart_d = mstart_q;   mend_d = mend_q;     idx_d = idx_q;   skip_d = skip_q;

        cur_en = '0; cur_end = 1'b0; abort = 1'b0; new_msg = 1'b0; head = 1'b0; head_lane = '0;
        new_len = '0; err = 1'b0; sess_emit = 1'b0; hdr_done = 1'b0; cur_base = '0;
        base_off = '0; blk = '0; a = '0; start = '0; hi = '0; lo = '0; want_hi = 1'b0;
        got_len = 1'b0; hi_here = 1'b0; lo_here = 1'b0; rel = '0;

        nvalid = '0;
        for (int i = 0; i < 8; i++) if (s_axis_tkeep[i]) nvalid = 4'(i + 1);
        lane_ok = s_axis_tkeep;

        if (hdr_fire) begin
            // new packet: everything per-packet starts over
            in_pkt_d = 1'b1;  ts_d = s_hdr_ts;  blk_d = 16'(HDR_BYTES);  have_hi_d = 1'b0;  off_d = '0;
            in_msg_d = 1'b0;  idx_d = '0;       skip_d = 1'b0;
        end
        base_off = hdr_fire ? 16'd0 : off_q;

        if (beat) begin
            off_d = base_off + 16'd8;

            // header bytes
            for (int i = 0; i < 8; i++) begin
                a = base_off + 16'(i);
                if (lane_ok[i] && a < 16'(10)) sess_d[8*a[3:0] +: 8] = s_axis_tdata[8*i +: 8];
                if (lane_ok[i] && a >= 16'(10) && a < 16'(18)) seq_d[8*(17 - a[4:0]) +: 8] = s_axis_tdata[8*i +: 8];
            end
            if (base_off <= 16'(HDR_BYTES - 1) && base_off + 16'(nvalid) > 16'(HDR_BYTES - 1)) begin
                // the header completed in this beat
                hdr_done = 1'b1;
                if (!have_sess_q || sess_d != last_sess_q) sess_emit = 1'b1;
                last_sess_d = sess_d;
                have_sess_d = 1'b1;
            end

            if (!(skip_q && !hdr_fire)) begin
                // the message open at the start of the beat
                if (in_msg_q && !hdr_fire) begin
                    cur_base = base_off - mstart_q;
                    for (int i = 0; i < 8; i++) begin
                        a = base_off + 16'(i);
                        cur_en[i] = lane_ok[i] && a >= mstart_q && a <= mend_q;
                    end
                    if (mend_q >= base_off && mend_q < base_off + 16'(nvalid)) begin
                        cur_end  = 1'b1;
                        in_msg_d = 1'b0;
                    end
                end

                // a block length field in this beat?
                if (cur_end) begin
                    blk = mend_q + 16'd1;  want_hi = 1'b1;
                end else if (!in_msg_q || hdr_fire) begin
                    blk = hdr_fire ? 16'(HDR_BYTES) : blk_q;
                    want_hi = hdr_fire ? 1'b1 : !have_hi_q;
                end
                if (cur_end || !in_msg_q || hdr_fire) begin
                    if (want_hi) begin
                        hi_here = blk >= base_off && blk < base_off + 16'(nvalid);
                        lo_here = blk + 16'd1 >= base_off && blk + 16'd1 < base_off + 16'(nvalid);
                        for (int i = 0; i < 8; i++) begin
                            if (base_off + 16'(i) == blk)         hi = s_axis_tdata[8*i +: 8];
                            if (base_off + 16'(i) == blk + 16'd1) lo = s_axis_tdata[8*i +: 8];
                        end
                        if (hi_here && lo_here) begin
                            got_len = 1'b1;  start = blk + 16'd2;
                        end else if (hi_here) begin
                            have_hi_d = 1'b1;  hi_d = hi;  blk_d = blk;
                        end else begin
                            blk_d = blk;  have_hi_d = 1'b0;
                        end
                    end else if (lane_ok[0]) begin
                        hi = hi_q;  lo = s_axis_tdata[7:0];
                        got_len = 1'b1;  start = base_off + 16'd1;  have_hi_d = 1'b0;
                    end
                    if (got_len) begin
                        new_len = {hi, lo};
                        if (new_len < 16'(MIN_MSG_LEN)) begin
                            err = 1'b1;  skip_d = 1'b1;  in_msg_d = 1'b0;
                        end else begin
                            new_msg  = 1'b1;
                            in_msg_d = 1'b1;
                            mstart_d = start;
                            mend_d   = start + new_len - 16'd1;
                            idx_d    = (hdr_fire ? 16'd0 : idx_q) + 16'd1;
                            have_hi_d = 1'b0;
                            if (start < base_off + 16'(nvalid)) begin
                                head = 1'b1;
                                rel  = start - base_off;
                                head_lane = rel[2:0];
                            end
                        end
                    end
                end
            end

            if (s_axis_tlast) begin
                in_pkt_d = 1'b0;
                // cut short: header incomplete, a message still open, or half a length field
                if (!skip_d && (base_off + 16'(nvalid) < 16'(HDR_BYTES) || in_msg_d || have_hi_d)) begin
                    err = 1'b1;
                end
                if (in_msg_d) abort = 1'b1;
                in_msg_d = 1'b0;  have_hi_d = 1'b0;
            end
        end
    end

    always_ff @(posedge clk) begin
        if (rst) begin
            in_pkt_q    <= 1'b0;
            have_sess_q <= 1'b0;
            in_msg_q    <= 1'b0;
            have_hi_q   <= 1'b0;
            skip_q      <= 1'b0;
            m_valid     <= 1'b0;
            m_cur_end   <= 1'b0;
            m_abort     <= 1'b0;
            m_new       <= 1'b0;
            m_head      <= 1'b0;
            m_session   <= 1'b0;
            ev_pkt      <= 1'b0;
            ev_msg      <= 1'b0;
            ev_err      <= 1'b0;
            ev_session  <= 1'b0;
        end else begin
            in_pkt_q    <= in_pkt_d;
            have_sess_q <= have_sess_d;
            in_msg_q    <= in_msg_d;
            have_hi_q   <= have_hi_d;
            skip_q      <= skip_d;
            m_valid     <= beat;
            m_cur_end   <= beat && cur_end;
            m_abort     <= beat && abort;
            m_new       <= beat && new_msg;
            m_head      <= beat && head;
            m_session   <= beat && sess_emit;
            ev_pkt      <= beat && hdr_done;
            ev_msg      <= beat && cur_end;
            ev_err      <= beat && err;
            ev_session  <= beat && sess_emit;
        end
        off_q      <= off_d;
        ts_q       <= ts_d;
        sess_q     <= sess_d;
        seq_q      <= seq_d;
        last_sess_q <= last_sess_d;
        blk_q      <= blk_d;
        hi_q       <= hi_d;
        mstart_q   <= mstart_d;
        mend_q     <= mend_d;
        idx_q      <= idx_d;
        m_data     <= s_axis_tdata;
        m_keep     <= s_axis_tkeep;
        m_cur_en   <= cur_en;
        m_cur_base <= cur_base;
        m_new_len  <= new_len;
        m_new_idx  <= idx_d - 16'd1;
        m_head_lane <= head_lane;
        m_ts       <= ts_d;
        m_pkt_seq  <= seq_d;
        m_session_id <= sess_d;
    end

    assign busy = in_pkt_q || m_valid;
endmodule
`default_nettype wire
`resetall
