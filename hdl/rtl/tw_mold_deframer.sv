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
// Rules (the software reference, tickwire::mold and tickwire::model, applies the same ones):
// - Blocks are parsed until the payload ends; message_count is not used to find them, but a
//   packet whose blocks are otherwise good and number other than message_count (0 for an end of
//   session) is malformed: err_count pulses and the frame's verdict is bad.
// - A message shorter than MIN_MSG_LEN bytes (ITCH's shortest is 12), a block running past the
//   payload, or a payload shorter than the 20-byte header cuts the packet short: messages
//   completed before the fault are delivered, the rest is dropped, err_mold pulses once.
//   MIN_MSG_LEN >= 8 guarantees at most one message ends and one starts in any 8-byte beat.
// - Sequencing (tw_mold_sequencer, instantiated here): per feed, the session and the next
//   expected sequence number decide at the header whether the packet starts a new session, follows
//   a gap, or repeats messages already delivered (duplicates); the decision rides beside the
//   annotated beats (m_event.., m_dup_below). The feed's state is updated only by a packet whose
//   frame ends good, so an event record made in a frame that turns out bad is made again by the
//   next copy of the packet.
// - Frame verdict: m_frame_end marks the annotated beat made from the packet's last payload beat;
//   m_frame_bad beside it is the upstream verdict (s_axis_tuser on the last beat: MAC error, UDP
//   checksum, truncated, too long) or'ed with this packet's own fault (err_mold above).
// - Late delivery decision: the flow filter's answer for a packet (s_dec_*: deliver or drop, its
//   feed, and a user field such as feed/line/ring) comes after the header, at the latest in the
//   cycle of the packet's third payload beat (the filter takes 2 cycles; the header comes no later
//   than the first payload beat), so the payload is never delayed for it. Nothing the decision
//   matters for happens before: the first two beats hold only header bytes, the sequencer
//   decides and the first record is made at the third. A dropped packet makes no annotated beat
//   from the decision on, no sequencer decision or commit, and no counter pulse; a packet that
//   ends before its decision (a payload under 17 bytes) holds its error and verdict pulses until
//   the decision comes. m_user carries the decision's user field from the third beat on.
module tw_mold_deframer #(
    parameter int TS_W        = 64,
    parameter int MIN_MSG_LEN = 8,
    parameter int USER_W      = 1,
    parameter int FEEDS       = 16,
    localparam int FEED_W     = $clog2(FEEDS)
) (
    input  wire               clk,
    input  wire               rst,

    // packet header from the UDP parser: one per packet, at or before its first payload beat
    input  wire               s_hdr_valid,
    output logic              s_hdr_ready,
    input  wire  [TS_W-1:0]   s_hdr_ts,
    input  wire               seq_clear,    // forget every feed's sequence state

    // the packet's delivery decision: one per header, in order, at most by its third payload beat
    input  wire               s_dec_valid,
    input  wire               s_dec_deliver,
    input  wire  [USER_W-1:0] s_dec_user,
    input  wire  [FEED_W-1:0] s_dec_feed,

    // UDP payload, byte 0 in lane 0, contiguous tkeep: all 8 lanes but in the last beat
    input  wire  [63:0]       s_axis_tdata,
    input  wire  [7:0]        s_axis_tkeep,
    input  wire               s_axis_tvalid,
    output logic              s_axis_tready,
    input  wire               s_axis_tlast,
    input  wire               s_axis_tuser,  // last beat: the frame is bad

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
    output logic              m_event,      // emit an event record (header done in this beat):
    output logic              m_ev_new_session, //   the feed's session is new (or first seen)
    output logic              m_ev_gap,     //   messages [m_gap_first, m_pkt_seq) were lost
    output logic              m_ev_eos,     //   end of session (first one seen)
    output logic [63:0]       m_gap_first,
    output logic [16:0]       m_dup_below,  // from the header-done beat: messages with index < this are duplicates
    output logic [16:0]       m_fill_lo,    // ... but those in [m_fill_lo, m_fill_hi): late fills of a gap
    output logic [16:0]       m_fill_hi,
    output logic [79:0]       m_session_id, // session bytes in wire order, byte 0 in [7:0]
    output logic              m_frame_end,  // the packet's last beat
    output logic              m_frame_bad,  // ... and the frame is bad (with m_frame_end)
    output logic [USER_W-1:0] m_user,

    output logic              busy,
    output logic              ev_pkt,       // one-cycle event pulses for counters
    output logic              ev_msg,
    output logic              ev_err,
    output logic              ev_count_err,
    output logic              ev_bad_verdict, // a delivered packet's frame ended bad
    output logic              ev_session,
    output logic              ev_gap
);
    localparam int HDR_BYTES = 20;

    generate
        if (MIN_MSG_LEN < 8) begin : gen_bad_min
            initial $fatal(1, "tw_mold_deframer: MIN_MSG_LEN=%0d must be >= 8 (one message start per beat)", MIN_MSG_LEN);
        end
    endgenerate

    // ---------------------------------------------------------------- state
    // The payload is a sequence of items: the 20-byte header, then per block a 2-byte length and
    // a message. The state counts bytes *relative to the beat*, never absolute offsets, and is the
    // state at the start of the next beat: the last beat of a packet loads the next packet's
    // (fresh) state, so no fresh/registered select sits in front of the length logic. Every beat
    // but a packet's last carries 8 bytes (tkeep all ones), so the next state is computed for a
    // full beat; only the last beat's outputs and checks look at tkeep. The length field's two
    // bytes are taken by one select among 8 candidate positions (sel_q, registered one-hot, and
    // csel_q, the same binary), and the next state's flags (k > 8, k == 0, the next candidate)
    // are registered with k. Timing toward the packer and tw_core is that of the plain design:
    // every output is registered from the beat it describes (no added cycle).
    logic              in_pkt_q,  in_pkt_d;
    logic [1:0]        beat_q,    beat_d;     // beat number in the packet, saturating at 3
    logic [TS_W-1:0]   ts_q,      ts_d;
    logic [79:0]       sess_q,    sess_d;     // session of this packet, being captured
    logic [63:0]       seq_q,     seq_d;
    logic [15:0]       tgt_q,     tgt_d;      // message_count as the number of blocks it asks (0 for 0xFFFF)
    logic [FEED_W-1:0] feed_q,    feed_d;
    logic              hdr_seen_q, hdr_seen_d;  // this packet's 20-byte header is complete
    logic [15:0]       k_q,       k_d;        // bytes of the open item (header or message) still to come
    logic              big_q,     big_d;      // ... k > 8: it does not end in the next beat
    logic              kz_q,      kz_d;       // ... k == 0: no item is open
    logic [2:0]        csel_q,    csel_d;     // where the next length field starts: lane k (k <= 6), 7 for have_hi
    logic [7:0]        sel_q,     sel_d;      // ... the same, one-hot
    logic              im_q,      im_d;       // ... and that item is a message
    logic [15:0]       mpos_q,    mpos_d;     // bytes of the open message before this beat
    logic              have_hi_q, have_hi_d;  // a length's first byte ended the previous beat
    logic [7:0]        hi_q,      hi_d;
    logic [15:0]       idx_q,     idx_d;      // index in the packet of the next message
    logic              skip_q,    skip_d;     // packet cut short: ignore the rest
    logic              bad_q,     bad_d;      // this packet had a fault (err pulsed)
    logic [USER_W-1:0] user_q,    user_d;
    logic              have_q,    have_d;     // the packet's decision is known ...
    logic              deliver_q, deliver_d;  // ... and says deliver
    logic              owed_q,    owed_d;     // a header still waits for its decision
    logic              pend_err_q, pend_err_d, pend_bad_q, pend_bad_d; // pulses held for it
    logic              deliver, deliver_nh, out_err, out_bad;

    logic hdr_fire, beat;
    assign s_hdr_ready   = !in_pkt_q;
    assign hdr_fire      = s_hdr_valid && s_hdr_ready;
    assign s_axis_tready = in_pkt_q || hdr_fire;
    assign beat          = s_axis_tvalid && s_axis_tready;

    // ---------------------------------------------------------------- length field candidates
    // A length field whose high byte is at lane c (0..6) has its low byte at lane c+1 and the
    // message starts at lane c+2; candidate 7 is a high byte that ended the previous beat (hi_q),
    // its low byte at lane 0, the message at lane 1. sel_q / csel_q pick one.
    localparam int MIN_LOG = $clog2(MIN_MSG_LEN);
    localparam int SH_CH   = (16 - MIN_LOG + 4) / 5;   // chunks of the "too short" test per candidate
    logic [15:0] cand_len [8];
    always_comb begin
        for (int c = 0; c < 7; c++) cand_len[c] = {s_axis_tdata[8*c +: 8], s_axis_tdata[8*(c+1) +: 8]};
        cand_len[7] = {hi_q, s_axis_tdata[7:0]};
    end
    function automatic int start_of(input int c);   // the message's first lane
        start_of = (c == 7) ? 1 : c + 2;
    endfunction
    function automatic logic too_short(input logic [15:0] len);
        too_short = len < 16'(MIN_MSG_LEN);
    endfunction
    // Wide AND, equality and zero tests through a carry chain: the carry out of x + 1 is &x. The
    // chain's LUTs each take one chunk (the AND of up to 6 signals, or 3 bit pairs' equality):
    // one LUT level whatever the width (CARRY cells are the LUTs' own fabric, not levels), where
    // a LUT tree takes 2-3 and an area-minded mapping of a shared tree may chain it deeper.
    // lead goes to the chain's bit 0, whose LUT (x + 1 there) cannot take a chunk: a flop or
    // input that is 1 whenever the result matters (or whose AND with the result is wanted).
    function automatic logic and_c(input logic lead, input logic [31:0] x);   // lead && &x (pad x with ones)
        and_c = 1'((34'({x, lead}) + 34'd1) >> 33);
    endfunction
    function automatic logic eq_c16(input logic lead, input logic [15:0] a, input logic [15:0] b);   // lead && a == b
        logic [31:0] ch;
        logic [17:0] ap, bp;
        ap = {2'b0, a};  bp = {2'b0, b};
        ch = '1;
        for (int j = 0; j < 6; j++) ch[j] = ap[3*j +: 3] == bp[3*j +: 3];
        eq_c16 = and_c(lead, ch);
    endfunction
    function automatic logic ones_c16(input logic lead, input logic [15:0] x);   // lead && x == '1
        logic [31:0] ch;
        logic [17:0] xp;
        xp = {2'b11, x};
        ch = '1;
        for (int j = 0; j < 3; j++) ch[j] = &xp[6*j +: 6];
        ones_c16 = and_c(lead, ch);
    endfunction

    // ---------------------------------------------------------------- per-beat decode
    logic [7:0]  cur_en;
    logic        cur_end, abort, new_msg, head, err, err_count, hdr_done, commit, decide;
    logic [15:0] cur_base;
    logic [15:0] len_sel, kn;
    logic [3:0]  start;
    logic        got, short_len, got_full, kn_big;
    logic [7:0]  kn_sel;
    logic [2:0]  kn_lo;
    logic [15:0] soff, kn_max;
    logic [31:0] sh_ch;
    logic        cnt_zero, cnt_ones;
    logic        bad_v;          // the last beat's verdict: the frame is bad
    logic [15:0] cnt_data;

    always_comb begin
        logic        ends, cont, lo_here, open_msg;
        logic        lane_k, cut, cnt_bad;
        logic [7:0]  end_off;
        logic [31:0] end_ok;
        logic [7:0]  start_in;  // start_in[c]: candidate c's message starts in this beat

        in_pkt_d = in_pkt_q;   beat_d = beat_q;     ts_d = ts_q;
        sess_d = sess_q;       seq_d = seq_q;       tgt_d = tgt_q;   feed_d = feed_q;
        hdr_seen_d = hdr_seen_q;
        k_d = k_q;  big_d = big_q;  kz_d = kz_q;  csel_d = csel_q;  sel_d = sel_q;  im_d = im_q;  mpos_d = mpos_q;
        have_hi_d = have_hi_q;  hi_d = hi_q;
        idx_d = idx_q;  skip_d = skip_q;  bad_d = bad_q;  user_d = user_q;
        have_d = have_q;  deliver_d = deliver_q;  owed_d = owed_q;
        pend_err_d = pend_err_q;  pend_bad_d = pend_bad_q;  out_err = 1'b0;  out_bad = 1'b0;

        cur_en = '0; cur_end = 1'b0; abort = 1'b0; new_msg = 1'b0; head = 1'b0;
        err = 1'b0; err_count = 1'b0;
        cur_base = '0;

        for (int c = 0; c < 8; c++) start_in[c] = (start_of(c) < 8) ? s_axis_tkeep[start_of(c) % 8] : 1'b0;
        cnt_data = {s_axis_tdata[23:16], s_axis_tdata[31:24]};

        // before the decision, beats pass (header bytes only); deliver = !have_d || deliver_d,
        // written from the inputs and flops directly (one LUT)
        deliver_nh = s_dec_valid ? s_dec_deliver : (!have_q || deliver_q);   // (no header in this cycle)
        deliver    = deliver_nh || (hdr_fire && !s_dec_valid);

        // the length field picked by sel_q (a one-hot and-or select), and what a message starting
        // after it would leave
        // (each bit an OR of 8 (select, bit) pairs: a carry-chain AND of 3 chunks of its
        // complement; all ones when skipping, where the length is not used)
        for (int i = 0; i < 16; i++) begin
            logic [31:0] ch;
            ch = '1;
            for (int g = 0; g < 3; g++)
                for (int c = 3*g; c < 3*g + 3; c++)
                    if (c < 8) ch[g] = ch[g] && !(sel_q[c] && cand_len[c][i]);
            len_sel[i] = !and_c(!skip_q, ch);
        end
        short_len = 1'b0;
        for (int c = 0; c < 8; c++) short_len = short_len | (sel_q[c] && too_short(cand_len[c]));
        if (MIN_MSG_LEN == (1 << MIN_LOG)) begin
            // the same as one AND (every candidate not picked, or its length's bits from
            // MIN_LOG up all 0), in chunks of 5 bits and the candidate's select: one LUT level
            sh_ch = '1;
            for (int c = 0; c < 8; c++)
                for (int h = 0; h < SH_CH; h++) begin
                    logic z;
                    z = 1'b1;
                    for (int b = 0; b < 5; b++)
                        if (5*h + b < 16 - MIN_LOG) z = z && !cand_len[c][MIN_LOG + 5*h + b];
                    sh_ch[c*SH_CH + h] = !sel_q[c] || z;
                end
            short_len = and_c(!skip_q, sh_ch);   // (and not skipping: only used with got)
        end
        // the candidate's constants (start lane, start - 8, 16 - start), a table on csel_q
        start = '0;  soff = '0;  kn_max = '0;
        for (int c = 0; c < 8; c++) begin
            if (csel_q == 3'(c)) begin
                start  = 4'(start_of(c));
                soff   = 16'(start_of(c) - 8);
                kn_max = 16'(16 - start_of(c));
            end
        end
        kn        = len_sel + soff;         // its bytes after this beat
        kn_big    = len_sel > kn_max;       // kn > 8
        // kn[2:0] (binary and one-hot), a table on the length's low 3 bits and the candidate
        kn_lo = '0;
        for (int a = 0; a < 8; a++)
            for (int c = 0; c < 8; c++)
                if (len_sel[2:0] == 3'(a) && csel_q == 3'(c)) kn_lo = 3'(a + start_of(c));
        for (int j = 0; j < 8; j++) kn_sel[j] = kn_lo == 3'(j);

        // the open item at the start of this beat (k_q bytes still to come), as and-or terms of
        // the one-hot sel_q (k's lane when k <= 7 and no high byte is held) and the beat's lanes
        lane_k   = !big_q && !have_hi_q && !k_q[3];         // k in 0..7: sel_q is its one-hot
        ends     = (!big_q && k_q[3] && s_axis_tkeep[7]) || (lane_k && |(sel_q[7:1] & s_axis_tkeep[6:0]));
        cont     = big_q || (k_q[3] && !s_axis_tkeep[7]) || (lane_k && |(sel_q[7:1] & ~s_axis_tkeep[6:0]));
        open_msg = !skip_q && im_q && !kz_q;
        // a length field: its high byte at lane k (the item ended at lane k-1, or none was open),
        // its low byte at lane k+1
        lo_here  = lane_k && |(sel_q[6:0] & s_axis_tkeep[7:1]);
        got      = !skip_q && (have_hi_q || lo_here);
        // the same for a full beat, from flops only (the next state: every beat but the last is full)
        got_full = !skip_q && !big_q && (have_hi_q || (!k_q[3] && !sel_q[7]));
        // in the last beat: the payload does not end exactly at the end of an item (no high
        // byte held, k <= 8, and k is the number of bytes in the beat), i.e.
        //   cut = !skip_q && (have_hi_q || big_q || (k_q[3] && !s_axis_tkeep[7]) || (lane_k && |(sel_q & end_off)))
        // as one AND of 6-input chunks (a carry chain)
        for (int j = 0; j < 8; j++)
            end_off[j] = (j == 0) ? s_axis_tkeep[0] : !s_axis_tkeep[j-1] || s_axis_tkeep[j];
        end_ok = '1;
        end_ok[0] = !have_hi_q && (!k_q[3] || s_axis_tkeep[7]);
        for (int j = 0; j < 8; j += 2)
            end_ok[1 + j/2] = k_q[3] || ((!sel_q[j] || !end_off[j]) && (!sel_q[j+1] || !end_off[j+1]));
        cut      = !skip_q && !and_c(!big_q, end_ok);
        hdr_done = beat_q == 2'd2 && s_axis_tkeep[3];
        // In the last beat, the frame's verdict, written flat from flops and inputs (it does not
        // depend on the length's value: a short one is also a fault here). cut: header
        // incomplete, a message still open, or (part of) a length field. cnt_bad: the header is
        // complete but not message_count blocks came (no message started in this beat: that is a
        // cut); the count is this beat's when the payload ends with the header.
        // (cnt_zero, cnt_ones: and the count is in this beat; the count check: and the header came)
        cnt_zero = ones_c16(s_axis_tkeep[3], ~cnt_data);
        cnt_ones = ones_c16(s_axis_tkeep[3], cnt_data);
        cnt_bad  = (beat_q == 2'd2) ? s_axis_tkeep[3] && !cnt_zero && !cnt_ones
                                    : hdr_seen_q && !eq_c16(hdr_seen_q, idx_q, tgt_q);
        bad_v    = bad_q || cut || cnt_bad;
        // only a good frame moves its feed's sequence state (no header in a last beat that
        // completes one: deliver_nh is the decision)
        commit   = s_axis_tvalid && s_axis_tlast && (hdr_seen_q || hdr_done) && !bad_v && !s_axis_tuser && deliver_nh;
        // the sequencer decides at the beat that completes the header
        decide   = s_axis_tvalid && hdr_done && deliver_nh;

        if (hdr_fire) begin
            in_pkt_d = 1'b1;  ts_d = s_hdr_ts;  have_d = 1'b0;  owed_d = 1'b1;
        end
        // the decision, for the packet whose header came last (this cycle's, if one came)
        if (s_dec_valid) begin
            have_d = 1'b1;  deliver_d = s_dec_deliver;  user_d = s_dec_user;  feed_d = s_dec_feed;
            owed_d = 1'b0;
            // for a packet that already ended: release its held pulses
            if (!in_pkt_q && !hdr_fire) begin
                out_err = pend_err_q && s_dec_deliver;
                out_bad = pend_bad_q && s_dec_deliver;
            end
            pend_err_d = 1'b0;  pend_bad_d = 1'b0;
        end

        if (beat) begin
            beat_d = (beat_q == 2'd3) ? beat_q : beat_q + 2'd1;

            // header bytes: session 0..9, sequence number 10..17 (big-endian), count 18..19
            unique case (beat_q)
                2'd0: for (int i = 0; i < 8; i++) sess_d[8*i +: 8] = s_axis_tdata[8*i +: 8];
                2'd1: begin
                    sess_d[64 +: 16] = s_axis_tdata[15:0];
                    for (int j = 0; j < 6; j++) seq_d[56 - 8*j +: 8] = s_axis_tdata[16 + 8*j +: 8];
                end
                2'd2: begin
                    seq_d[15:8]   = s_axis_tdata[7:0];
                    seq_d[7:0]    = s_axis_tdata[15:8];
                    tgt_d         = cnt_ones ? '0 : cnt_data;
                end
                default: ;
            endcase
            if (hdr_done) hdr_seen_d = 1'b1;

            // the open message's lanes
            if (open_msg) begin
                cur_base = mpos_q;
                for (int i = 0; i < 8; i++) cur_en[i] = s_axis_tkeep[i] && (big_q || 4'(i) < k_q[3:0]);
                cur_end = ends;
            end
            // a length field: a message shorter than MIN_MSG_LEN cuts the packet short
            if (got) begin
                if (short_len) begin
                    err = 1'b1;
                end else begin
                    new_msg = 1'b1;
                    if (|(sel_q & start_in)) head = 1'b1;
                end
            end

            // the next beat's state (a full beat: this one is not the last)
            if (big_q) begin
                k_d    = k_q - 16'd8;
                big_d  = k_q > 16'd16;
                kz_d   = 1'b0;
                csel_d = k_q[2:0];
                mpos_d = mpos_q + 16'd8;
            end else begin
                k_d    = got_full ? kn : '0;
                big_d  = got_full && kn_big;
                kz_d   = !got_full;
                csel_d = got_full ? kn_lo : 3'd0;
                sel_d  = got_full ? kn_sel : 8'd1;
                im_d   = got_full;
                mpos_d = 16'd8 - 16'(start);
            end
            have_hi_d = 1'b0;
            if (!skip_q && !big_q && !have_hi_q && k_q[3:0] == 4'd7) begin
                have_hi_d = 1'b1;  csel_d = 3'd7;  sel_d = 8'h80;   // the low byte in the next beat
            end
            hi_d = s_axis_tdata[63:56];
            if (got_full) idx_d = idx_q + 16'd1;   // (after a short length: skipped, idx no longer matters)
            if (s_axis_tlast) begin
                // the verdict (cut, cnt_bad, bad_v, commit: computed above, flat)
                err = cut;
                abort = !skip_q && ((im_q && cont) || new_msg);
                if (!err && !bad_q && cnt_bad) err_count = 1'b1;
                in_pkt_d = 1'b0;   // (the per-packet state is loaded with the next packet's below)
                bad_d = bad_v;
                if (have_d) begin
                    out_err = deliver_d && err;
                    out_bad = deliver_d && s_axis_tlast && (bad_d || s_axis_tuser);
                end else begin
                    pend_err_d = err;              // ended before its decision
                    pend_bad_d = bad_d || s_axis_tuser;
                end
            end else if (err) begin
                // a short length (the decision has come: no length field before the third beat)
                skip_d = 1'b1;
                bad_d  = 1'b1;
                out_err = deliver_d;
            end
        end
    end

    // the per-packet state: the next packet's (fresh) values from the last beat on (a synchronous
    // reset to constants, so no select in front of the next beat's logic)
    logic pkt_end;
    assign pkt_end = beat && s_axis_tlast;
    always_ff @(posedge clk) begin
        if (rst || pkt_end) begin
            beat_q      <= '0;
            hdr_seen_q  <= 1'b0;
            im_q        <= 1'b0;
            k_q         <= 16'(HDR_BYTES);
            big_q       <= 1'b1;
            kz_q        <= 1'b0;
            csel_q      <= 3'(HDR_BYTES);
            sel_q       <= 8'(1 << (HDR_BYTES % 8));
            have_hi_q   <= 1'b0;
            idx_q       <= '0;
            skip_q      <= 1'b0;
            bad_q       <= 1'b0;
        end else begin
            beat_q      <= beat_d;
            hdr_seen_q  <= hdr_seen_d;
            im_q        <= im_d;
            k_q         <= k_d;
            big_q       <= big_d;
            kz_q        <= kz_d;
            csel_q      <= csel_d;
            sel_q       <= sel_d;
            have_hi_q   <= have_hi_d;
            idx_q       <= idx_d;
            skip_q      <= skip_d;
            bad_q       <= bad_d;
        end
    end

    always_ff @(posedge clk) begin
        if (rst) begin
            in_pkt_q    <= 1'b0;
            m_valid     <= 1'b0;
            m_cur_end   <= 1'b0;
            m_abort     <= 1'b0;
            m_new       <= 1'b0;
            m_head      <= 1'b0;
            m_frame_end <= 1'b0;
            ev_pkt      <= 1'b0;
            ev_msg      <= 1'b0;
            ev_err      <= 1'b0;
            ev_count_err <= 1'b0;
            ev_bad_verdict <= 1'b0;
            have_q      <= 1'b0;
            owed_q      <= 1'b0;
            pend_err_q  <= 1'b0;
            pend_bad_q  <= 1'b0;
        end else begin
            in_pkt_q    <= in_pkt_d;
            m_valid     <= beat && deliver;
            m_cur_end   <= beat && cur_end;
            m_abort     <= beat && abort;
            m_new       <= beat && new_msg;
            m_head      <= beat && head;
            m_frame_end <= beat && s_axis_tlast;
            ev_pkt      <= decide;
            ev_msg      <= s_axis_tvalid && cur_end && deliver_nh;   // (an open message: no header here)
            ev_err      <= out_err;
            ev_count_err <= s_axis_tvalid && err_count && deliver_nh;
            ev_bad_verdict <= out_bad;
            have_q      <= have_d;
            owed_q      <= owed_d;
            pend_err_q  <= pend_err_d;
            pend_bad_q  <= pend_bad_d;
        end
        ts_q        <= ts_d;
        sess_q      <= sess_d;
        seq_q       <= seq_d;
        tgt_q       <= tgt_d;
        feed_q      <= feed_d;
        mpos_q      <= mpos_d;
        hi_q        <= hi_d;
        m_data      <= s_axis_tdata;
        m_keep      <= s_axis_tkeep;
        m_cur_en    <= cur_en;
        m_cur_base  <= cur_base;
        m_new_len   <= len_sel;      // (meaningful with m_new)
        m_new_idx   <= idx_q;        // (with m_new)
        m_head_lane <= start[2:0];   // (with m_head)
        m_ts        <= ts_d;
        m_pkt_seq   <= seq_d;
        m_session_id <= sess_d;
        m_frame_bad <= s_axis_tuser || bad_d;   // (meaningful with m_frame_end)
        user_q      <= user_d;
        m_user      <= user_d;
        deliver_q   <= deliver_d;
    end

    // ---------------------------------------------------------------- sequencer
    tw_mold_sequencer #(.FEEDS(FEEDS)) u_sequencer (
        .clk(clk), .rst(rst), .clear(seq_clear),
        .s_decide(decide), .s_feed(feed_d), .s_session(sess_q),
        .s_seq({seq_q[63:16], s_axis_tdata[7:0], s_axis_tdata[15:8]}),   // seq_d in the header-done beat
        .s_eos(cnt_ones),
        .s_commit(commit), .s_msgs(idx_q),   // no message starts in a committed packet's last beat
        .m_event(m_event), .m_new_session(m_ev_new_session), .m_gap(m_ev_gap), .m_eos(m_ev_eos),
        .m_gap_first(m_gap_first), .m_dup_below(m_dup_below), .m_fill_lo(m_fill_lo), .m_fill_hi(m_fill_hi),
        .ev_session(ev_session), .ev_gap(ev_gap)
    );

    assign busy = in_pkt_q || m_valid || owed_q;

`ifndef SYNTHESIS
    always_ff @(posedge clk) begin
        if (!rst && beat && !hdr_fire && beat_q == 2'd2 && !have_d)
            $error("tw_mold_deframer: no delivery decision by the packet's third payload beat");
        if (!rst && s_dec_valid && !owed_q && !hdr_fire)
            $error("tw_mold_deframer: a delivery decision with no header waiting for one");
        if (!rst && beat && !s_axis_tlast && s_axis_tkeep != 8'hFF)
            $error("tw_mold_deframer: a partial beat before the packet's last");
        // a decision in a header's cycle is taken as that header's: the previous one must have its own
        if (!rst && s_dec_valid && hdr_fire && owed_q)
            $error("tw_mold_deframer: a decision came with a new header while the previous header still waited");
    end
`endif
endmodule
`default_nettype wire
`resetall
