// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_tick_packer: builds one 64-byte tick record per MoldUDP64 message (and one per sequencer
// event: new session, gap, end of session) from the deframer's annotated beats, decoding the
// ITCH 5.0 message into the record as its bytes arrive. Messages the sequencer found to be
// duplicates (index below s_dup_below and not in [s_fill_lo, s_fill_hi)) make no record (ev_dup
// pulses); late fills of a gap are delivered flagged LATE (ev_late). Layout and decoder tables
// from tw_tick_pkg (generated from hdl/regs/tick.toml). The validity word is left zero: the DMA
// writer fills it in.
//
// The ITCH decoder costs no cycle: each wire byte is written straight to its place in the
// record (tw_tick_pkg::tick_merge) in the beat it arrives, integers turned little-endian on the
// way. Where a byte goes depends on the message type (wire bytes >= 11: the common header is 11
// bytes); the type byte (wire byte 0) and the block length (known before the message starts)
// choose the map: the type's own, or raw (flag RAW: the type is none of the 23 (ev_unknown;
// dropped instead if s_drop_unknown), or its length is not the type's (ev_len_err)). The map is
// a register from the beat after the type's (T+1) on; each record byte's source in a beat is
// selected a beat ahead (see "byte placement" below), the T+1 case included.
//
// ITCH filters of the packet's ring (ev_filtered for what they drop): s_type_mask passes a
// message by its map (bit 23: raw records); for the types in s_loc_types the message's
// stock_locate must also be set in the ring's locate bitmap. s_type_mask and s_loc_types need be
// the packet's only from its fourth annotated beat on (tw_core registers its selection by m_user,
// the packet's from the third): the first message's type byte comes in the third at the
// earliest, and a message ends in its type's beat (8 bytes from lane 0: not before the fourth),
// the next one, or later (then the packer uses its map's bits registered a cycle earlier). The bitmap word is read
// (m_loc_re/m_loc_addr, the word s_loc_word comes back the next cycle) in the beat that brings
// wire byte 2, the locate's last: a message of a known type is at least 12 bytes, so its end is
// at least one beat later and the answer is there in time. Raw records skip the bitmap (a raw
// message may end in the beat of its byte 2).
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
    input  wire               s_line_b,     // the frame came on line B
    input  wire               s_drop_unknown, // quasi-static (CSR)
    input  wire  [23:0]       s_type_mask,    // the ring's ITCH_TYPES (bits: maps)
    input  wire  [22:0]       s_loc_types,    // the ring's LOCATE_TYPES
    output logic              m_loc_re,       // read the ring's locate bitmap word ...
    output logic [10:0]       m_loc_addr,     // ... word locate[15:5] (of the message's locate)
    input  wire  [31:0]       s_loc_word,     // the word, the cycle after m_loc_re (held)

    output logic              m_valid,      // one-cycle: m_tick holds a record
    output logic [8*TICK_BYTES-1:0] m_tick,
    output logic              m_frame_end,
    output logic              m_frame_bad,
    output logic              ev_dup,         // a duplicate message was dropped
    output logic              ev_late,        // a late fill was delivered
    output logic              ev_unknown,     // a message of no ITCH 5.0 type (not a duplicate)
    output logic              ev_len_err,     // a message of a known type with the wrong length (not a duplicate)
    output logic              ev_filtered     // a message the ring's ITCH filters did not take
);
    localparam int CAP = ITCH_MAX_LEN;                 // wire bytes the decoder looks at
    localparam int LO  = TICK_ACC_LO;
    localparam int ACC = TICK_ACC_HI - TICK_ACC_LO;    // record bytes the decoder fills

    generate
        if (TS_W != 8 * TICK_RX_TS_NS_BYTES) begin : gen_bad_ts
            initial $fatal(1, "tw_tick_packer: TS_W=%0d does not match the tick layout", TS_W);
        end
        if (CAP > 64) begin : gen_bad_cap
            initial $fatal(1, "tw_tick_packer: a message's decoded bytes must lie in its first 64 (cur_base[5:0])");
        end
    endgenerate

    logic [8*ACC-1:0] acc_q, acc_d;      // record bytes [LO, LO+ACC) of the open message so far
    logic [4:0]       map_q, map_d;      // the open message's decoder map (ITCH_MAP_RAW: raw)
    logic             unk_q, unk_d;      // ... its type is unknown
    logic [15:0]      len_q, len_d;      // of the open message
    logic [63:0]      seq_q, seq_d;      // the open message's sequence number
    logic             tmask_q, lneed_q;  // the ring's filters for map_q (a cycle old)
    logic [23:0]      loc_types;         // s_loc_types by map (raw: no locate filter)
    assign loc_types = {1'b0, s_loc_types};
    logic             dup_q, dup_d;      // the open message is a duplicate
    logic             gap_q, gap_d;      // ... is the first after a gap
    logic             late_q, late_d;    // ... fills a gap late
    logic             dup_ev_d, late_ev_d, unk_ev_d, len_ev_d, filt_ev_d;
    logic [4:0]       loc_lo_q, loc_lo_d;  // the open message's locate, bits 4:0 (bit in s_loc_word)
    logic             out_valid_d, end_d, bad_d;
    logic             made_q, made_d;    // the open frame has made a record
    logic [8*TICK_BYTES-1:0] out_tick_d;

    // ---------------------------------------------------------------- byte placement
    // The open message's wire byte k lies in lane (L + k) % 8 of beat (L + k) / 8, counting beats
    // from the one that brings its type byte (wire byte 0, at lane L). The beat's data rotated by
    // L (rot: rot[k % 8] is wire byte k when it is in this beat) serves every record byte: record
    // byte r takes wire byte K_r(map) (the decoder map's, tick_merge), i.e. rot[K_r(map) % 8],
    // and over all maps that is one of a few lanes of rot (2 to 6), its slots. Where each record
    // byte comes from in the next beat (one of its slots, or nothing: slot 0, acc_q) is known a
    // beat ahead and registered (sel_q), so placing a byte is a small mux. L and the beat count
    // (nx_l_q, nx_j_q) are the packer's own: the deframer's s_cur_base is 8 * beat - L.
    // The map is a register from the beat after the type's on (T+1), so the map-dependent wire
    // bytes (11 and up) that come in beat T+1 (11..15, for L <= 4) are placed a beat late, from
    // rot_q (the last beat's rot, more slots), unless the message ends in T+1: only S and W (12
    // bytes: wire byte 11) and raw messages of up to 16 bytes (wire bytes 11..15) can, and their
    // bytes there (record bytes with a spec_k) are selected a beat ahead on the guess that the
    // map is one of those (hs_q), the guess checked against map_q in T+1.
    localparam int NMAP = ITCH_MAP_RAW + 1;
    localparam logic [7:0] NONE = 8'hFF;

    // wire byte of a message with map m that record byte r (0..ACC-1) takes; NONE: none
    function automatic logic [8*NMAP-1:0] src_map(input int r);
        logic [8*CAP-1:0] w;
        logic [8*ACC-1:0] t;
        logic [8*NMAP-1:0] s;
        for (int k = 0; k < CAP; k++) w[8*k +: 8] = 8'(k + 1);
        for (int m = 0; m < NMAP; m++) begin
            t = tick_merge(5'(m), w, '1, '0);
            s[8*m +: 8] = t[8*r +: 8] - 8'd1;
        end
        return s;
    endfunction
    // the byte is the same wire byte for every map (the common header's)
    function automatic bit src_fixed(input logic [8*NMAP-1:0] s);
        for (int m = 1; m < NMAP; m++) if (s[8*m +: 8] != s[7:0]) return 1'b0;
        return s[7:0] != NONE;
    endfunction
    // the wire byte in 11..15 record byte r takes for a map whose messages can end in beat T+1
    // (a type of at most 16 bytes, or raw); NONE: none. spec_bad: two such maps disagree.
    function automatic logic [7:0] spec_k(input logic [8*NMAP-1:0] s);
        logic [7:0] k;
        k = NONE;
        for (int m = 0; m < NMAP; m++)
            if ((m == ITCH_MAP_RAW || itch_type_len(5'(m)) <= 6'd16) && s[8*m +: 8] >= 8'd11 && s[8*m +: 8] <= 8'd15)
                k = s[8*m +: 8];
        return k;
    endfunction
    function automatic bit spec_bad(input logic [8*NMAP-1:0] s);
        for (int m = 0; m < NMAP; m++)
            if ((m == ITCH_MAP_RAW || itch_type_len(5'(m)) <= 6'd16) && s[8*m +: 8] >= 8'd11 && s[8*m +: 8] <= 8'd15
                && s[8*m +: 8] != spec_k(s))
                return 1'b1;
        return 1'b0;
    endfunction
    // slots: [4*c +: 4] the slot of rot lane c (0: none), [32 + 4*c +: 4] that of rot_q lane c (the
    // late T+1 bytes, wire bytes 11..15), [64 +: 4] the number of slots + 1
    function automatic logic [67:0] slots_of(input logic [8*NMAP-1:0] s);
        logic [67:0] t;
        logic [3:0]  n;
        t = '0;
        n = 4'd1;
        for (int c = 0; c < 8; c++)
            for (int m = 0; m < NMAP; m++)
                if (s[8*m +: 8] != NONE && int'(s[8*m +: 3]) == c && t[4*c +: 4] == '0) begin
                    t[4*c +: 4] = n;
                    n = n + 4'd1;
                end
        for (int c = 0; c < 8; c++)
            for (int m = 0; m < NMAP; m++)
                if (s[8*m +: 8] >= 8'd11 && s[8*m +: 8] <= 8'd15 && int'(s[8*m +: 3]) == c && t[32 + 4*c +: 4] == '0) begin
                    t[32 + 4*c +: 4] = n;
                    n = n + 4'd1;
                end
        t[64 +: 4] = n;
        return t;
    endfunction

    // bit v: v > k
    function automatic logic [63:0] gt_tbl(input int k);
        logic [63:0] t;
        for (int v = 0; v < 64; v++) t[v] = v > k;
        return t;
    endfunction

    logic [2:0]       nx_l_q, nx_l;      // lane of the next beat's open message's wire byte 0
    logic [3:0]       nx_j_q, nx_j;      // the next beat's index counted from its type's (8: later)
    logic [CAP-1:0]   lgt_q, new_gt, nx_gt; // bit k: len_q > k, s_new_len > k, the next beat's message's length > k
    logic             nx_reg, nx_late;   // the next beat is T+2 or later (the map is known) / T+2, the message goes on
    logic [CAP-1:0]   arr, arr1;         // wire byte k comes in the next beat (T+2 or later) / came in this one (T+1)
    logic [ACC-1:0]   hs_q, hs_n;
    logic [4*ACC-1:0] sel_q, sel_n;      // per record byte: its slot in the next beat (0: none)
    logic [63:0]      rot, rot_q;        // this beat rotated by L, the last beat's
    logic [8*ACC-1:0] merged;            // acc_q with the open message's bytes of this beat placed

    always_comb begin
        if (s_new) begin
            nx_l   = s_head ? s_head_lane : 3'd0;
            nx_j   = s_head ? 4'd1 : 4'd0;
        end else begin
            nx_l   = nx_l_q;
            nx_j   = (nx_j_q == 4'd8) ? 4'd8 : nx_j_q + 4'd1;
        end
        nx_reg  = !s_new && nx_j_q != 4'd0;
        nx_late = !s_new && nx_j_q == 4'd1 && !s_cur_end;
        // (a table of the low 6 bits: a compare with a constant in one LUT, not a carry chain)
        for (int k = 0; k < CAP; k++) new_gt[k] = s_new_len[15:6] != '0 || gt_tbl(k)[s_new_len[5:0]];
        nx_gt = s_new ? new_gt : lgt_q;
        for (int k = 0; k < CAP; k++) begin
            arr[k]  = 4'((k + int'(nx_l_q)) / 8) == nx_j_q + 4'd1;
            arr1[k] = (k + int'(nx_l_q)) / 8 == 1;
        end
        for (int m = 0; m < 8; m++) rot[8*m +: 8] = s_data[8*(3'(m) + nx_l_q) +: 8];
    end

    for (genvar r = 0; r < ACC; r++) begin : gen_byte
        localparam logic [8*NMAP-1:0] SRC   = src_map(r);
        localparam bit                FIXED = src_fixed(SRC);
        localparam logic [7:0]        KSP   = spec_k(SRC);
        localparam logic [7:0]        KRAW  = SRC[8*ITCH_MAP_RAW +: 8];
        localparam logic [67:0]       SLOTS = slots_of(SRC);
        localparam int                NS    = int'(SLOTS[64 +: 4]);   // slots + 1
        if (NS > 16) begin : gen_bad_slots
            initial $fatal(1, "tw_tick_packer: record byte %0d has %0d slots", r, NS - 1);
        end
        if (spec_bad(SRC)) begin : gen_bad_spec
            initial $fatal(1, "tw_tick_packer: record byte %0d: maps that can end in T+1 disagree", r);
        end
        logic [7:0]   opt [16];          // slot 0: the byte so far; then rot lanes, then rot_q lanes
        logic [3:0]   sel;
        logic         cond;              // map_q takes this byte from wire byte KSP (the T+1 guess)
        always_comb begin
            cond = 1'b0;
            for (int m = 0; m < NMAP; m++) if (map_q == 5'(m) && SRC[8*m +: 8] == KSP) cond = 1'b1;
            for (int i = 0; i < 16; i++) opt[i] = acc_q[8*r +: 8];
            for (int c = 0; c < 8; c++) begin
                if (SLOTS[4*c +: 4] != '0)      opt[SLOTS[4*c +: 4]]      = rot[8*c +: 8];
                if (SLOTS[32 + 4*c +: 4] != '0) opt[SLOTS[32 + 4*c +: 4]] = rot_q[8*c +: 8];
            end
            sel = (KSP != NONE && hs_q[r] && !cond) ? 4'd0 : sel_q[4*r +: 4];
        end
        assign merged[8*r +: 8] = opt[sel];

        // the next beat's slot
        always_comb begin
            logic [3:0] fbeat, sbeat;
            logic       inl;
            logic [7:0] k;
            k     = NONE;
            fbeat = 4'((int'(nx_l) + int'(SRC[5:0])) / 8);
            sbeat = 4'((int'(nx_l) + int'(KSP[5:0])) / 8);
            // inside the message: a typed map's bytes all are; raw and the header's are if it is that long
            inl  = KRAW == NONE || map_q != 5'(ITCH_MAP_RAW) || lgt_q[6'(KRAW != NONE ? KRAW : 8'd0)];
            sel_n[4*r +: 4] = '0;
            hs_n[r] = 1'b0;
            if (FIXED) begin
                if (fbeat == nx_j && nx_gt[6'(FIXED ? SRC[5:0] : 8'd0)]) sel_n[4*r +: 4] = SLOTS[4*SRC[2:0] +: 4];
            end else if (KSP != NONE && nx_j == 4'd1) begin
                if (sbeat == 4'd1 && nx_gt[6'(KSP != NONE ? KSP : 8'd0)]) begin
                    sel_n[4*r +: 4] = SLOTS[4*KSP[2:0] +: 4];
                    hs_n[r] = 1'b1;
                end
            end else begin
                for (int m = 0; m < NMAP; m++) begin
                    k = SRC[8*m +: 8];
                    if (map_q == 5'(m) && k != NONE && inl) begin
                        if (nx_reg && arr[k[5:0]])
                            sel_n[4*r +: 4] = SLOTS[4*k[2:0] +: 4];
                        else if (nx_late && k >= 8'd11 && k <= 8'd15 && arr1[k[5:0]])
                            sel_n[4*r +: 4] = SLOTS[32 + 4*k[2:0] +: 4];
                    end
                end
            end
        end
    end
    always_comb begin
        logic [8*CAP-1:0] head_w;
        logic [CAP-1:0]   head_we;
        logic [63:0]      head_data;
        logic [7:0]       head_en;
        logic [63:0]      seq;
        logic [7:0]       tcode;
        logic [15:0]      tlen;
        logic [4:0]       tidx, tmap, map_now;
        logic             tunk, tunk_cur, type_cur, unk_now, raw_now, drop, dropped_unknown, pass;
        logic             type_ok, loc_need;
        logic [8*ACC-1:0] head_acc;
        logic [15:0]      locate;
        logic             re_head, re_cur;

        acc_d = acc_q;  map_d = map_q;  seq_d = seq_q;  unk_d = unk_q;  len_d = len_q;  made_d = made_q;
        dup_d = dup_q;  gap_d = gap_q;  late_d = late_q;
        dup_ev_d = 1'b0;  late_ev_d = 1'b0;  unk_ev_d = 1'b0;  len_ev_d = 1'b0;  filt_ev_d = 1'b0;
        loc_lo_d = loc_lo_q;
        out_valid_d = 1'b0;
        out_tick_d  = '0;
        end_d = 1'b0;
        bad_d = 1'b0;

        // bytes of a message starting in this beat, from lane s_head_lane (wire bytes 0..7: the
        // common header, whose places do not depend on the type)
        head_data = s_data >> (8 * s_head_lane);
        head_en   = s_keep >> s_head_lane;
        head_w    = (8*CAP)'(head_data);
        head_we   = CAP'(head_en);

        // the type byte: lane s_head_lane of a head beat, or lane 0 when the open message starts
        // at lane 0 of this beat (its length ended the previous beat)
        type_cur = nx_j_q == 4'd0 && s_cur_en[0];
        tcode    = (s_new && s_head) ? head_data[7:0] : s_data[7:0];
        tlen     = s_new ? s_new_len : len_q;
        tidx     = itch_type_index(tcode);
        tunk     = tidx == 5'(ITCH_MAP_RAW);
        tmap     = (tunk || 16'(itch_type_len(tidx)) != tlen) ? 5'(ITCH_MAP_RAW) : tidx;
        // The map and flags of a message ending in this beat. An 8-byte message starting at lane 0
        // ends in its type's beat: its bytes there are all header bytes, but its flags need this
        // beat's map, and that is raw (no type is 8 bytes long).
        tunk_cur = itch_type_index(s_data[7:0]) == 5'(ITCH_MAP_RAW);
        map_now  = type_cur ? 5'(ITCH_MAP_RAW) : map_q;
        unk_now  = type_cur ? tunk_cur : unk_q;
        raw_now  = map_now == 5'(ITCH_MAP_RAW);
        dropped_unknown = unk_now && s_drop_unknown;
        // The ring's filters for that map: registered selects (tmask_q, lneed_q: map_q's, a cycle
        // old) for a message ending two beats or more after its type's; one ending in the type's
        // beat is raw, and one ending in the next (T+1) is raw or of a type of at most 16 bytes.
        type_ok  = tmask_q;
        loc_need = lneed_q;
        if (type_cur) begin
            type_ok  = s_type_mask[ITCH_MAP_RAW];
            loc_need = 1'b0;
        end else if (nx_j_q == 4'd1) begin
            type_ok  = s_type_mask[ITCH_MAP_RAW];
            loc_need = 1'b0;
            for (int m = 0; m < ITCH_TYPES; m++) begin
                if (itch_type_len(5'(m)) <= 6'd16 && map_q == 5'(m)) begin
                    type_ok  = s_type_mask[m];
                    loc_need = s_loc_types[m];
                end
            end
        end
        pass     = type_ok && (!loc_need || s_loc_word[loc_lo_q]);
        drop     = dup_q || dropped_unknown || !pass;

        // the locate bitmap read: in the beat of wire byte 2 (a head beat's, or the open
        // message's when it started in this beat or the last)
        head_acc = tick_merge(5'd0, head_w, head_we, '0);
        re_head  = s_new && s_head && head_en[2];
        re_cur   = sel_q[4*(TICK_STOCK_LOCATE_OFF - LO) +: 4] != '0 && s_cur_en[nx_l_q + 3'd2];
        locate   = re_head ? head_acc[8*(TICK_STOCK_LOCATE_OFF - LO) +: 16] : merged[8*(TICK_STOCK_LOCATE_OFF - LO) +: 16];
        m_loc_addr = locate[15:5];
        m_loc_re = s_valid && (re_head || re_cur);
        if (m_loc_re) loc_lo_d = locate[4:0];
        if (s_valid && type_cur) begin
            map_d = tmap;
            unk_d = tunk;
        end

        seq = seq_q;

        if (s_valid) begin
            acc_d = merged;
            dup_ev_d = s_cur_end && dup_q;   // no record; the beat may still need a verdict record
            unk_ev_d = s_cur_end && !dup_q && unk_now;
            len_ev_d = s_cur_end && !dup_q && raw_now && !unk_now;
            filt_ev_d = s_cur_end && !dup_q && !dropped_unknown && !pass;
            if (s_cur_end && !drop) begin
                out_valid_d = 1'b1;
                out_tick_d[8*TICK_RX_TS_NS_OFF +: 8*TICK_RX_TS_NS_BYTES] = s_ts;
                out_tick_d[8*TICK_SEQ_OFF      +: 8*TICK_SEQ_BYTES]      = seq;
                out_tick_d[8*LO                +: 8*ACC]                 = merged;
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_RAW]             = raw_now;
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_TRUNCATED]       = raw_now && len_q > 16'(TICK_RAW_MAX);
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_GAP]             = gap_q;
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_LATE]            = late_q;
                if (raw_now) out_tick_d[8*TICK_RAW_LEN_OFF +: 16]        = len_q;
                late_ev_d = late_q;
            end else if (s_event) begin
                // never in the same beat as a message end: the header ends before the first block
                out_valid_d = 1'b1;
                out_tick_d[8*TICK_RX_TS_NS_OFF +: 8*TICK_RX_TS_NS_BYTES] = s_ts;
                out_tick_d[8*TICK_SEQ_OFF      +: 8*TICK_SEQ_BYTES]      = s_pkt_seq;
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_EVENT]           = 1'b1;
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_GAP]             = s_ev_gap;
                out_tick_d[8*TICK_EV_BITS_OFF + TICK_EVENT_NEW_SESSION]  = s_ev_new_session;
                out_tick_d[8*TICK_EV_BITS_OFF + TICK_EVENT_GAP]          = s_ev_gap;
                out_tick_d[8*TICK_EV_BITS_OFF + TICK_EVENT_END_OF_SESSION] = s_ev_eos;
                out_tick_d[8*TICK_SESSION_OFF  +: 80]                    = s_session_id;
                if (s_ev_gap) out_tick_d[8*TICK_GAP_FIRST_OFF +: 64]     = s_gap_first;
            end else if (s_frame_end && made_q) begin
                out_valid_d = 1'b1;
                out_tick_d[8*TICK_RX_TS_NS_OFF +: 8*TICK_RX_TS_NS_BYTES] = s_ts;
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_VERDICT]         = 1'b1;
            end
            if (out_valid_d) begin
                out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_LINE_B]          = s_line_b;
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
                seq_d = s_pkt_seq + 64'(s_new_idx);
                len_d = s_new_len;
                late_d = {1'b0, s_new_idx} >= s_fill_lo && {1'b0, s_new_idx} < s_fill_hi;
                dup_d = {1'b0, s_new_idx} < s_dup_below && !late_d;
                gap_d = s_ev_gap && s_new_idx == '0;
                acc_d = s_head ? head_acc : '0;
                if (s_head) begin
                    map_d = tmap;
                    unk_d = tunk;
                end
            end
        end
    end

    always_ff @(posedge clk) begin
        if (rst) begin
            acc_q       <= '0;
            made_q      <= 1'b0;
            ev_dup      <= 1'b0;
            ev_late     <= 1'b0;
            ev_unknown  <= 1'b0;
            ev_len_err  <= 1'b0;
            ev_filtered <= 1'b0;
            nx_j_q      <= 4'd8;
            sel_q       <= '0;
            hs_q        <= '0;
        end else begin
            acc_q       <= acc_d;
            made_q      <= made_d;
            ev_dup      <= dup_ev_d;
            ev_late     <= late_ev_d;
            ev_unknown  <= unk_ev_d;
            ev_len_err  <= len_ev_d;
            ev_filtered <= filt_ev_d;
            if (s_valid) begin
                nx_j_q <= nx_j;
                sel_q  <= sel_n;
                hs_q   <= hs_n;
            end
        end
        if (s_valid) begin
            nx_l_q <= nx_l;
            rot_q  <= rot;
            if (s_new) lgt_q <= new_gt;
        end
        loc_lo_q <= loc_lo_d;
        seq_q    <= seq_d;
        tmask_q  <= s_type_mask[map_q];
        lneed_q  <= loc_types[map_q];
        map_q  <= map_d;
        unk_q  <= unk_d;
        len_q  <= len_d;
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
        // the deframer's byte index of lane 0 is 8 * beat - L
        if (!rst && s_valid && s_cur_en != '0 && nx_j_q != 4'd8 && s_cur_base != 16'(8 * nx_j_q) - 16'(nx_l_q))
            $error("tw_tick_packer: s_cur_base %0d, expected %0d", s_cur_base, 16'(8 * nx_j_q) - 16'(nx_l_q));
    end
`endif
endmodule
`default_nettype wire
`resetall
