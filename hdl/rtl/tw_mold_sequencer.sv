// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_mold_sequencer: per-feed MoldUDP64 sequence state, the decision for each packet at its
// header (new session, gap, duplicates), and the state update at the packet's good end.
//
// Per feed: {valid, session (10 bytes), expected (next sequence number), hole [lo, hi) (the
// still-missing part of the latest gap), ended (end of session seen)}. For a packet with header
// (session, seq, count) on feed f, message i having sequence number seq + i:
//   new session  = !valid[f] || session != session[f]: the feed restarts at this packet
//                  (no gap reported, whatever seq is) and an event record reports NEW_SESSION;
//   gap          = seq > expected: messages [expected, seq) are missing on every line so far; an
//                  event record reports GAP with the range, the packet's first message is
//                  flagged GAP, and the range becomes the feed's hole (merged with the previous
//                  hole when that one ends at expected);
//   late fill    = seq + i in the hole: the other line's late copy of a message reported missing;
//                  delivered, flagged LATE; the hole then starts after the packet's last fill
//                  (a line delivers in order: what it skipped below that will not come);
//   duplicate    = any other seq + i < expected: dropped, counted;
//   end of session (count 0xFFFF): reported once per session (END_OF_SESSION).
// The state changes only when the packet's frame ends good (s_commit): a bad copy on one line
// can never make the good copy on the other look like a duplicate. Lines share their feed's
// state, so A/B arbitration is per message and first arrival wins. After a good packet:
//   expected = max(expected, seq + messages), or seq + messages after a new session.
//
// Timing (one packet at a time; the deframer drives these): s_decide at the header's third
// payload beat (session complete, seq complete combinationally, the feed known: the flow
// filter's decision comes by then), the feed's state read from the LUT RAM in that cycle, the
// decision registered for the packer's view of that beat; s_commit on the packet's last beat,
// the write one cycle later. A packet's s_decide comes at least three cycles after the previous
// packet's s_commit (headers are about a dozen cycles apart), so the read always sees the write;
// an assertion checks that no read falls in a write's cycle.
// State memory: FEEDS x 273 bits, written without reset (LUT RAM); only the valid bits reset.
module tw_mold_sequencer #(
    parameter int FEEDS  = 16,
    localparam int FEED_W = $clog2(FEEDS)
) (
    input  wire               clk,
    input  wire               rst,
    input  wire               clear,      // forget every feed (receive disabled)

    input  wire               s_decide,
    input  wire  [FEED_W-1:0] s_feed,
    input  wire  [79:0]       s_session,
    input  wire  [63:0]       s_seq,
    input  wire               s_eos,      // message_count == 0xFFFF

    input  wire               s_commit,   // the packet's frame ended good (its last beat)
    input  wire  [15:0]       s_msgs,     // its messages, with s_commit

    // registered: m_event pulses with the decision; the rest hold until the next s_decide
    output logic              m_event,
    output logic              m_new_session,
    output logic              m_gap,
    output logic              m_eos,
    output logic [63:0]       m_gap_first,
    output logic [16:0]       m_dup_below,  // messages with index < this are duplicates ...
    output logic [16:0]       m_fill_lo,    // ... but those with m_fill_lo <= index < m_fill_hi,
    output logic [16:0]       m_fill_hi,    //     late fills of the hole

    output logic              ev_session,   // one-cycle pulses for counters
    output logic              ev_gap
);
    localparam int ST_W = 80 + 64 + 64 + 64 + 1;

    logic [ST_W-1:0]   mem [FEEDS];
    logic [FEEDS-1:0]  valid_q;

    // state of the packet's feed: read at s_decide (st_*), kept for the commit (st_*_q)
    logic              st_valid, st_ended, st_ended_q;
    logic [79:0]       st_sess;
    logic [63:0]       st_exp, st_lo, st_hi, st_exp_q, st_lo_q, st_hi_q;
    logic [FEED_W-1:0] feed_q;
    logic              stale_q;       // a clear came after the decision: do not commit
    assign st_valid = valid_q[s_feed];
    assign {st_sess, st_exp, st_lo, st_hi, st_ended} = mem[s_feed];

    // the decided packet, for the commit
    logic [79:0]       pk_sess_q;
    logic [63:0]       pk_seq_q;
    logic              pk_new_q, pk_eos_q, pk_gap_q;
    logic [16:0]       pk_fill_lo_q, pk_fill_hi_q;
    logic              commit_q;
    logic [63:0]       end_seq_q;     // the committing packet's sequence number after its last message
    logic [16:0]       fill_end_q;    // ... its messages, at most pk_fill_hi_q
    logic              merge_q;       // the feed's hole ends at expected (read at the decision)

    // ---------------------------------------------------------------- decide
    logic        new_sess, gt, eos_ev, gap;
    logic [16:0] dup_below, fill_lo, fill_hi;

    // Wide AND, equality and zero tests through a carry chain: the carry out of x + 1 is &x. The
    // chain's LUTs each take one chunk (the AND of up to 6 signals, or 3 bit pairs' equality):
    // one LUT level whatever the width (CARRY cells are the LUTs' own fabric, not levels), where
    // a LUT tree takes 2-3 and an area-minded mapping of a shared tree may chain it deeper.
    // x[0] goes to the chain's bit 0, whose LUT (x + 1 there) cannot take a chunk: a cheap one.
    function automatic logic and_c(input logic [63:0] x);    // &x (pad unused bits with ones)
        and_c = 1'((65'(x) + 65'd1) >> 64);
    endfunction
    function automatic logic eq_c80(input logic [79:0] a, input logic [79:0] b);   // a == b
        logic [63:0] ch;
        logic [80:0] ap, bp;
        ch = '1;
        ap = {1'b0, a};  bp = {1'b0, b};
        for (int j = 0; j < 27; j++) ch[j] = ap[3*j +: 3] == bp[3*j +: 3];
        eq_c80 = and_c(ch);
    endfunction
    function automatic logic zero_c64(input logic [63:0] x);   // x == 0
        logic [63:0] ch;
        ch = '1;
        for (int j = 0; j < 11; j++) ch[j] = x[6*j +: 6] == '0;
        zero_c64 = and_c(ch);
    endfunction

    // b - a as a message index: 0 when b <= a, saturated at 2^16 (more than a packet holds)
    function automatic logic [16:0] idx_to(input logic [63:0] b, input logic [63:0] a);
        logic [63:0] d;
        d = b - a;
        if (b <= a)              idx_to = '0;
        else if (!zero_c64({16'd0, d[63:16]})) idx_to = 17'h1_0000;
        else                     idx_to = {1'b0, d[15:0]};
    endfunction

    always_comb begin
        new_sess  = !st_valid || !eq_c80(s_session, st_sess);
        gt        = s_seq > st_exp;
        gap       = !new_sess && gt;
        eos_ev    = s_eos && (new_sess || !st_ended);
        dup_below = new_sess ? '0 : idx_to(st_exp, s_seq);
        fill_lo   = idx_to(st_lo, s_seq);
        fill_hi   = new_sess ? '0 : idx_to(st_hi, s_seq);
    end

    // ---------------------------------------------------------------- commit
    logic [63:0] exp_new, lo_new, hi_new;
    always_comb begin
        exp_new  = (pk_new_q || end_seq_q > st_exp_q) ? end_seq_q : st_exp_q;
        lo_new   = st_lo_q;
        hi_new   = st_hi_q;
        if (pk_new_q) begin
            lo_new = pk_seq_q;                      // no hole
            hi_new = pk_seq_q;
        end else if (pk_gap_q) begin
            // [expected, seq): merged with the previous hole when that one ends at expected
            if (!merge_q) lo_new = st_exp_q;
            hi_new = pk_seq_q;
        end else if (fill_end_q > pk_fill_lo_q) begin
            lo_new = pk_seq_q + 64'(fill_end_q);    // the hole starts after the last fill
        end
    end

    always_ff @(posedge clk) begin
        if (rst) begin
            valid_q    <= '0;
            stale_q    <= 1'b0;
            commit_q   <= 1'b0;
            m_event    <= 1'b0;
            ev_session <= 1'b0;
            ev_gap     <= 1'b0;
        end else begin
            m_event    <= s_decide && (new_sess || gap || eos_ev);
            ev_session <= s_decide && new_sess;
            ev_gap     <= s_decide && gap;
            commit_q   <= s_commit && (s_decide || !stale_q) && !clear;  // decide and commit: a 20-byte packet
            if (s_decide) stale_q <= 1'b0;
            if (clear) stale_q <= 1'b1;
            if (clear) valid_q <= '0;
            else if (commit_q) valid_q[feed_q] <= 1'b1;
        end
        // the commit's operands, registered with it (decide and commit together: a 20-byte
        // packet, no message: its fill_end is 0 whatever pk_fill_hi_q holds)
        if (s_commit) begin
            end_seq_q  <= (s_decide ? s_seq : pk_seq_q) + 64'(s_msgs);
            fill_end_q <= ({1'b0, s_msgs} < pk_fill_hi_q) ? {1'b0, s_msgs} : pk_fill_hi_q;
        end
        if (commit_q) mem[feed_q] <= {pk_sess_q, exp_new, lo_new, hi_new, pk_eos_q || (!pk_new_q && st_ended_q)};
        if (s_decide) begin
            feed_q        <= s_feed;
            st_exp_q      <= st_exp;
            st_lo_q       <= st_lo;
            st_hi_q       <= st_hi;
            st_ended_q    <= st_ended;
            merge_q       <= st_lo < st_hi && zero_c64(st_hi ^ st_exp);
            m_new_session <= new_sess;
            m_gap         <= gap;
            m_eos         <= eos_ev;
            m_gap_first   <= st_exp;
            m_dup_below   <= dup_below;
            m_fill_lo     <= fill_lo;
            m_fill_hi     <= fill_hi;
            pk_fill_lo_q  <= fill_lo;
            pk_fill_hi_q  <= fill_hi;
            pk_gap_q      <= gap;
            pk_sess_q     <= s_session;
            pk_seq_q      <= s_seq;
            pk_new_q      <= new_sess;
            pk_eos_q      <= s_eos;
        end
    end

`ifndef SYNTHESIS
    always_ff @(posedge clk) begin
        if (!rst && s_decide && commit_q)
            $error("tw_mold_sequencer: state read in the cycle of a commit (the read would be stale)");
    end
`endif
endmodule
`default_nettype wire
`resetall
