// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_flow_filter: per-frame rule lookup (drop, or deliver to feed/line/ring) on the parsed header
// fields, with a host-programmed shadow rule table committed atomically across clock domains, and
// per-rule hit counters.
//
// Rule semantics. Rule n matches a frame when all of:
//   valid
//   dst_ip   == frame dst IPv4
//   port_any || dst_port == frame UDP dst port
//   vlan_any || (frame tagged && vid == frame VID)   -- vlan_any matches tagged and untagged
//                                                       frames; an exact VID never matches untagged
//   the top src_prefix_len bits of src_ip equal the frame's src IPv4 (0 = any source,
//                                                       32 = exact; values above 32 act as 32)
// The lowest-numbered matching rule wins; with no match the default action applies. An action
// (rule or default) whose feed >= FEEDS or ring >= RINGS never delivers (it acts as drop, but reads
// back as written).
//
// CSR window (clk), byte offsets; rule n at 0x20*n:
//   +0x00 DST_IP    rw  dst IPv4
//   +0x04 SRC_IP    rw  src IPv4 (prefix base)
//   +0x08 PORT_VLAN rw  [15:0] dst_port, [27:16] vid
//   +0x0C MATCH     rw  [0] valid, [1] port_any, [2] vlan_any, [13:8] src_prefix_len
//   +0x10 ACTION    rw  [0] deliver, [11:8] feed, [16] line, [28:24] ring
//   +0x14 HITS      ro  frames that matched rule n (32-bit, wraps; cleared by reset only)
//   +0x18, +0x1C        reserved, read 0
// rw words read back the SHADOW value (unimplemented bits read 0). Rules n >= RULES read 0 and
// ignore writes. After reset the shadow reads all zeros (every rule invalid). The window registers
// each request before decoding it: rd_ack (with rd_data) comes 3 clk cycles after req, wr_ack
// (with wr_rejected) 4 cycles after req, once the write is in the shadow (one request at a time,
// as the external-block protocol guarantees).
//
// Atomic update. The host writes the shadow (clk) and pulses commit. The commit samples the
// default_* inputs, flips a request toggle and raises commit_pending. While pending, the window
// refuses every write (wr_ack as usual, nothing applied, wr_rejected pulses with the ack) and a
// further commit is ignored (not queued, not counted), so the shadow is stable until the rx side
// acknowledges; the host polls commit_pending (about 10 clk cycles) before writing again. A window
// write requested in the very cycle of the commit strobe is applied and included: the toggle flips
// 3 clk cycles after the strobe, with that write's landing. The rx side sees the
// toggle through a 2-flop synchroniser, loads the rules of the active table (match and action
// fields) at one rx edge and the default at the next -- the one-cycle skew of the lookup pipeline
// (stage 1 uses the rules, stage 2 the default), so a lookup's stages always use the same version. It then flips the acknowledge
// toggle, which returns through a 2-flop synchroniser: commit_pending falls and version counts the
// applied commit. The shadow -> active paths are quasi-static (the source is held from the
// request toggle until the acknowledge returns, and sampled >= 3 rx cycles after it last changed):
// constrain them with set_max_delay -datapath_only of one rx_clk period. rst and rx_rst must be
// asserted together (as for tw_async_fifo).
//
// Lookup (rx_clk): s_valid with the fields -> m_valid with the result exactly 2 cycles later
// (stage 1: per-rule match bits, LUT terms ANDed on the carry chain, and the first match with its
// action within each group of 8 rules; stage 2: the first group with a match, else the default).
// Lookups may come every cycle. m_* other than m_valid are meaningful only with m_valid; m_rule = 0 when !m_hit;
// m_feed/m_line/m_ring show the deciding action's fields even when m_deliver = 0.
//
// Counters. Each result becomes a {hit, rule} event, carried to clk by a 16-deep tw_async_fifo and
// counted there (tw_event_counters for rule hits, a flop counter for misses). The clk side takes
// one event per clk cycle (4 ns); frames are >= 8 rx cycles (24.8 ns) apart, so the FIFO holds at
// most a couple of events, and even the RULES-cycle counter clear after reset (<= 256 ns, <= 11
// frames) fits. Only lookups that come faster than one per clk cycle (1.29 rx cycles) for long can
// overflow it (in simulation: from about 30 back-to-back lookups); lost events are counted in
// lost_count (the lookup results themselves are never affected).
module tw_flow_filter #(
    parameter int RULES = 64,    // 1..64
    parameter int FEEDS = 16,    // 1..16
    parameter int RINGS = 4,     // 1..32
    parameter int AW    = 11     // window address width (bytes); 2^AW >= 32 * RULES
) (
    input  wire           clk,
    input  wire           rst,

    // CSR window (shape of a peakrdl-regblock external regfile), clk
    input  wire           req,
    input  wire           req_is_wr,
    input  wire  [AW-1:0] addr,
    input  wire  [31:0]   wr_data,
    input  wire  [31:0]   wr_biten,
    output logic          rd_ack,
    output logic [31:0]   rd_data,
    output logic          wr_ack,

    // default action (sampled by commit) and commit control, clk
    input  wire           default_deliver,
    input  wire  [3:0]    default_feed,
    input  wire           default_line,
    input  wire  [4:0]    default_ring,
    input  wire           commit,           // one-cycle strobe
    output logic          commit_pending,
    output logic [31:0]   version,          // commits applied
    output logic [31:0]   miss_count,       // frames that took the default action
    output logic [31:0]   lost_count,       // hit/miss events lost to a full event FIFO
    output logic          wr_rejected,      // pulse with wr_ack: write refused, commit pending

    // lookup, rx_clk
    input  wire           rx_clk,
    input  wire           rx_rst,
    input  wire           s_valid,
    input  wire  [31:0]   s_dst_ip,
    input  wire  [31:0]   s_src_ip,
    input  wire  [15:0]   s_dst_port,
    input  wire           s_vlan_valid,
    input  wire  [11:0]   s_vlan_vid,
    output logic          m_valid,
    output logic          m_deliver,
    output logic [3:0]    m_feed,
    output logic          m_line,
    output logic [4:0]    m_ring,
    output logic          m_hit,
    output logic [5:0]    m_rule
);
    localparam int RIW = (RULES > 1) ? $clog2(RULES) : 1;   // rule index width inside the tables
    localparam int NW  = AW - 5;                            // rule number width in the window

    generate
        if (RULES < 1 || RULES > 64) begin : gen_bad_rules
            initial $fatal(1, "tw_flow_filter: RULES=%0d must be 1..64", RULES);
        end
        if (FEEDS < 1 || FEEDS > 16) begin : gen_bad_feeds
            initial $fatal(1, "tw_flow_filter: FEEDS=%0d must be 1..16", FEEDS);
        end
        if (RINGS < 1 || RINGS > 32) begin : gen_bad_rings
            initial $fatal(1, "tw_flow_filter: RINGS=%0d must be 1..32", RINGS);
        end
        if (AW < 6 || AW > 16 || (1 << NW) < RULES) begin : gen_bad_aw
            initial $fatal(1, "tw_flow_filter: AW=%0d cannot hold %0d rules of 0x20 bytes", AW, RULES);
        end
    endgenerate

    typedef struct packed {
        logic [31:0] dst;
        logic [31:0] src;
        logic [31:0] mask;      // src prefix as a bit mask (decoded once, at the shadow write)
        logic        port_any;
        logic [15:0] port;
        logic        vlan_any;
        logic [11:0] vid;
    } match_t;

    typedef struct packed {
        logic       deliver;    // already cleared if feed/ring are out of range
        logic [3:0] feed;
        logic       line;
        logic [4:0] ring;
    } act_t;

    localparam int ACT_W = $bits(act_t);

    function automatic logic [31:0] merge(input logic [31:0] old, input logic [31:0] d, input logic [31:0] en);
        return (old & ~en) | (d & en);
    endfunction

    function automatic act_t make_act(input logic deliver, input logic [3:0] feed, input logic line,
                                      input logic [4:0] ring);
        act_t a;
        a.deliver = deliver && int'(feed) < FEEDS && int'(ring) < RINGS;
        a.feed    = feed;
        a.line    = line;
        a.ring    = ring;
        return a;
    endfunction

    // ==================================================================== clk: CSR window, shadow
    // Word numbers inside a rule's 0x20 bytes.
    localparam logic [2:0] WDst = 3'd0, WSrc = 3'd1, WPv = 3'd2, WMatch = 3'd3, WAct = 3'd4, WHits = 3'd5;
    localparam int NWORDS = 5;        // rw words WDst..WAct

    // The shadow is kept twice: as flops in matching form (all rules readable at once, for the
    // commit copy) and as a distributed-RAM mirror of the words as written (one word per access,
    // for read-back and the byte-enable merge). The mirror replaces a 64:1 read mux over ~140 bits
    // of flops (~2k LUTs) by ~110 LUTs of RAM. written_q marks words written since reset: the
    // mirror itself cannot be reset, and unwritten words read (and merge) as zero, matching the
    // reset value of the flops.
    logic [31:0] mir_dst   [RULES];
    logic [31:0] mir_src   [RULES];
    logic [27:0] mir_pv    [RULES];   // [27:16] vid, [15:0] port
    logic [8:0]  mir_match [RULES];   // [8:3] prefix length, [2] vlan_any, [1] port_any, [0] valid
    logic [10:0] mir_act   [RULES];   // [10:6] ring, [5] line, [4:1] feed, [0] deliver
    logic [NWORDS-1:0] written_q [RULES];   // per word WDst..WAct

    match_t          sh_m_q [RULES];
    logic [RULES-1:0] sh_valid_q;
    act_t            sh_a_q [RULES];

    logic        pending_q, req_tgl_q;

    // Access pipeline. The request comes combinationally from the register block, so it is
    // registered before anything decodes it; every later stage starts from flops:
    //   q1 (1st edge): the request as presented, and pending_q as the request saw it
    //   q2 (2nd edge): rule and word decoded (one-hot), the addressed rule's mirror words, written
    //                  bits and HITS
    //   q3 (3rd edge): rd_ack/rd_data; for a write the merged word, its prefix mask and one write
    //                  enable per (rule, word)
    //   4th edge:      shadow flops and mirror written; wr_ack (and wr_rejected)
    // The block answers one request at a time (the external-block protocol), so a request never
    // sees a write still in flight. A write is accepted or refused by pending_q in its request
    // cycle; the commit toggle waits for an accepted write of the strobe's cycle to land (below).
    logic           q1_v, q1_wr, q1_pend;
    logic [AW-1:0]  q1_addr;
    logic [31:0]    q1_data, q1_biten;
    always_ff @(posedge clk) begin
        if (rst) q1_v <= 1'b0;
        else     q1_v <= req;
    end
    always_ff @(posedge clk) begin
        q1_wr    <= req_is_wr;
        q1_pend  <= pending_q;
        q1_addr  <= addr;
        q1_data  <= wr_data;
        q1_biten <= wr_biten;
    end

    logic [NW-1:0]  a_rule;
    logic [2:0]     a_word;
    logic [RIW-1:0] a_ri;
    logic           a_in_range;
    assign a_rule     = q1_addr[AW-1:5];
    assign a_word     = q1_addr[4:2];
    assign a_ri       = RIW'(a_rule);
    assign a_in_range = int'(a_rule) < RULES;

    logic [31:0] hits_rd;             // HITS of the addressed rule (tw_event_counters read port)

    logic               q2_v, q2_wr, q2_pend, q2_wok;
    logic [RIW-1:0]     q2_ri;
    logic [31:0]        q2_data, q2_biten;
    logic [RULES-1:0]   q2_rule_oh;
    logic [NWORDS-1:0]  q2_word_oh;
    logic [NWORDS:0]    q2_sel;       // word reads back: [w] written rw word w, [NWORDS] HITS
    logic [31:0]        q2_dst, q2_src, q2_hits;
    logic [27:0]        q2_pv;
    logic [8:0]         q2_match;
    logic [10:0]        q2_act;
    always_ff @(posedge clk) begin
        if (rst) q2_v <= 1'b0;
        else     q2_v <= q1_v;
    end
    always_ff @(posedge clk) begin
        q2_wr    <= q1_wr;
        q2_pend  <= q1_pend;
        q2_wok   <= a_in_range && a_word <= WAct;
        q2_ri    <= a_ri;
        q2_data  <= q1_data;
        q2_biten <= q1_biten;
        for (int n = 0; n < RULES; n++) q2_rule_oh[n] <= a_rule == NW'(n);
        for (int w = 0; w < NWORDS; w++) begin
            q2_word_oh[w] <= a_word == 3'(w);
            q2_sel[w]     <= a_in_range && a_word == 3'(w) && written_q[a_ri][w];
        end
        q2_sel[NWORDS] <= a_in_range && a_word == WHits;
        q2_dst   <= mir_dst[a_ri];
        q2_src   <= mir_src[a_ri];
        q2_pv    <= mir_pv[a_ri];
        q2_match <= mir_match[a_ri];
        q2_act   <= mir_act[a_ri];
        q2_hits  <= hits_rd;
    end

    logic [31:0] cur_word;            // addressed word as it reads now
    // nw is kept (synthesis attribute): a LUT level of its own, not a cone the mapper may stretch.
    (* keep *) logic [31:0] nw;       // the addressed word after the write
    logic        do_wr;
    always_comb begin
        cur_word = '0;
        if (q2_sel[WDst])   cur_word |= q2_dst;
        if (q2_sel[WSrc])   cur_word |= q2_src;
        if (q2_sel[WPv])    cur_word |= {4'd0, q2_pv};
        if (q2_sel[WMatch]) cur_word |= {18'd0, q2_match[8:3], 5'd0, q2_match[2:0]};
        if (q2_sel[WAct])   cur_word |= {3'd0, q2_act[10:6], 7'd0, q2_act[5], 4'd0, q2_act[4:1], 7'd0, q2_act[0]};
        if (q2_sel[NWORDS]) cur_word |= q2_hits;
    end
    assign do_wr   = q2_v && q2_wr && !q2_pend && q2_wok;
    assign nw      = merge(cur_word, q2_data, q2_biten);

    logic [NWORDS-1:0]  q3_en [RULES];    // shadow write enable per rule and word
    logic [NWORDS-1:0]  q3_we;            // mirror write enable per word
    logic [RIW-1:0]     q3_ri;
    logic [31:0]        q3_nw;
    logic [5:0]         q3_plen;          // the written prefix length, for the mask
    logic [31:0]        q3_mask;          // src prefix mask; lengths above 32 shift all ones out
    logic               q3_wack, q3_rej;
    always_ff @(posedge clk) begin
        if (rst) begin
            rd_ack  <= 1'b0;
            rd_data <= '0;
            q3_wack <= 1'b0;
            q3_rej  <= 1'b0;
            q3_we   <= '0;
            for (int n = 0; n < RULES; n++) q3_en[n] <= '0;
        end else begin
            rd_ack  <= q2_v && !q2_wr;
            rd_data <= (q2_v && !q2_wr) ? cur_word : '0;
            q3_wack <= q2_v && q2_wr;
            q3_rej  <= q2_v && q2_wr && q2_pend;
            q3_we   <= do_wr ? q2_word_oh : '0;
            for (int n = 0; n < RULES; n++) q3_en[n] <= (do_wr && q2_rule_oh[n]) ? q2_word_oh : '0;
        end
    end
    always_ff @(posedge clk) begin
        q3_ri   <= q2_ri;
        q3_nw   <= nw;
        q3_plen <= nw[13:8];
    end
    assign q3_mask = ~(32'hFFFF_FFFF >> q3_plen);

    always_ff @(posedge clk) begin
        if (rst) begin
            wr_ack      <= 1'b0;
            wr_rejected <= 1'b0;
        end else begin
            wr_ack      <= q3_wack;
            wr_rejected <= q3_rej;
        end
    end

    // Mirror RAM: one write per access, no reset.
    always_ff @(posedge clk) begin
        if (q3_we[WDst])   mir_dst[q3_ri]   <= q3_nw;
        if (q3_we[WSrc])   mir_src[q3_ri]   <= q3_nw;
        if (q3_we[WPv])    mir_pv[q3_ri]    <= q3_nw[27:0];
        if (q3_we[WMatch]) mir_match[q3_ri] <= {q3_nw[13:8], q3_nw[2:0]};
        if (q3_we[WAct])   mir_act[q3_ri]   <= {q3_nw[28:24], q3_nw[16], q3_nw[11:8], q3_nw[0]};
    end

    // Shadow flops (CSR state: reset to zero like the ring CSRs, so read-back and matching agree).
    // Each word's enable is one flop of q3_en.
    act_t q3_act;
    assign q3_act = make_act(q3_nw[0], q3_nw[11:8], q3_nw[16], q3_nw[28:24]);
    for (genvar n = 0; n < RULES; n++) begin : gen_shadow
        always_ff @(posedge clk) begin
            if (rst) begin
                written_q[n]  <= '0;
                sh_m_q[n]     <= '0;
                sh_valid_q[n] <= 1'b0;
                sh_a_q[n]     <= '0;
            end else begin
                written_q[n] <= written_q[n] | q3_en[n];
                if (q3_en[n][WDst]) sh_m_q[n].dst <= q3_nw;
                if (q3_en[n][WSrc]) sh_m_q[n].src <= q3_nw;
                if (q3_en[n][WPv]) begin
                    sh_m_q[n].port <= q3_nw[15:0];
                    sh_m_q[n].vid  <= q3_nw[27:16];
                end
                if (q3_en[n][WMatch]) begin
                    sh_valid_q[n]      <= q3_nw[0];
                    sh_m_q[n].port_any <= q3_nw[1];
                    sh_m_q[n].vlan_any <= q3_nw[2];
                    sh_m_q[n].mask     <= q3_mask;
                end
                if (q3_en[n][WAct]) sh_a_q[n] <= q3_act;
            end
        end
    end

    // ------------------------------------------------------------------ clk: commit handshake
    // An accepted commit raises commit_pending at once (later writes are refused) but flips the
    // request toggle CDLY edges later, at the edge where a write accepted in the strobe's cycle
    // reaches the shadow: the shadow is stable from the toggle on, as the copy requires.
    localparam int CDLY = 3;
    logic  ack_clk;                   // rx acknowledge toggle, synchronised
    logic  commit_ok;
    logic [CDLY-1:0] cdly_q;          // accepted commit on its way to the toggle
    act_t  def_q;                     // default action sampled by the accepted commit
    logic [31:0] version_q;
    assign commit_ok = commit && !pending_q;

    always_ff @(posedge clk) begin
        if (rst) begin
            req_tgl_q <= 1'b0;
            pending_q <= 1'b0;
            cdly_q    <= '0;
            version_q <= '0;
            def_q     <= '0;          // drop
        end else begin
            cdly_q <= {cdly_q[CDLY-2:0], commit_ok};
            if (cdly_q[CDLY-1]) req_tgl_q <= !req_tgl_q;
            if (commit_ok) begin
                pending_q <= 1'b1;
                def_q     <= make_act(default_deliver, default_feed, default_line, default_ring);
            end else if (pending_q && cdly_q == '0 && ack_clk == req_tgl_q) begin
                pending_q <= 1'b0;
                version_q <= version_q + 1'b1;
            end
        end
    end
    assign commit_pending = pending_q;
    assign version        = version_q;

    // ==================================================================== rx_clk: active table
    logic req_rx, seen_q, ack_tgl_q;
    // The load strobes are the clock enables of the whole active table (~9k flops at RULES=64).
    (* max_fanout = 256 *) logic load_m_q, load_a_q;
    tw_cdc_sync u_sync_req (.clk(rx_clk), .rst(rx_rst), .d(req_tgl_q), .q(req_rx));
    tw_cdc_sync u_sync_ack (.clk(clk), .rst(rst), .d(ack_tgl_q), .q(ack_clk));

    always_ff @(posedge rx_clk) begin
        if (rx_rst) begin
            seen_q    <= 1'b0;
            load_m_q  <= 1'b0;
            load_a_q  <= 1'b0;
            ack_tgl_q <= 1'b0;
        end else begin
            seen_q    <= req_rx;
            load_m_q  <= req_rx != seen_q;     // rules load at the end of this cycle
            load_a_q  <= load_m_q;             // the default one cycle later (pipeline skew)
            if (load_a_q) ack_tgl_q <= !ack_tgl_q;
        end
    end

    match_t           act_m_q [RULES];
    logic [RULES-1:0] act_valid_q;
    act_t             act_a_q [RULES];
    act_t             act_def_q;

    // The shadow is held stable from the request toggle until the acknowledge returns; the copy
    // is a tw_cdc_hold (the reviewed primitive for held data, one per half of the table).
    localparam int MATCH_W = $bits(match_t);
    logic [RULES*MATCH_W-1:0] sh_m_flat, act_m_flat;
    logic [RULES*ACT_W-1:0]   sh_a_flat, act_a_flat;
    for (genvar n = 0; n < RULES; n++) begin : gen_copy_flat
        assign sh_m_flat[n*MATCH_W +: MATCH_W] = sh_m_q[n];
        assign sh_a_flat[n*ACT_W +: ACT_W]     = sh_a_q[n];
        assign act_m_q[n] = act_m_flat[n*MATCH_W +: MATCH_W];
        assign act_a_q[n] = act_a_flat[n*ACT_W +: ACT_W];
    end
    tw_cdc_hold #(.W(RULES*MATCH_W)) u_hold_m (
        .clk(rx_clk), .rst(rx_rst), .load(load_m_q), .d(sh_m_flat), .q(act_m_flat)
    );
    tw_cdc_hold #(.W(RULES*ACT_W)) u_hold_a (
        .clk(rx_clk), .rst(rx_rst), .load(load_m_q), .d(sh_a_flat), .q(act_a_flat)
    );
    tw_cdc_hold #(.W(RULES), .RESET_EN(1'b1)) u_hold_valid (
        .clk(rx_clk), .rst(rx_rst), .load(load_m_q), .d(sh_valid_q), .q(act_valid_q)
    );
    tw_cdc_hold #(.W(ACT_W), .RESET_EN(1'b1)) u_hold_def (   // reset: drop
        .clk(rx_clk), .rst(rx_rst), .load(load_a_q), .d(def_q), .q(act_def_q)
    );

    // ------------------------------------------------------------------ rx_clk: lookup pipeline
    // Stage 1: one match bit per rule (match_d, not registered). Each rule's conditions are cut into NCH small terms of at
    // most 6 inputs (one LUT each): dst 3 bits at a time (the last one with valid), src 2 bits
    // with their mask bits, port 2 bits or port_any, VID 2 bits and tagged, or vlan_any. The AND
    // of the NCH terms is the carry out of terms + 1 (all ones), which maps onto the carry chain
    // instead of a tree of ~10 LUTs per rule: ~41 LUTs per rule, one LUT level.
    localparam int NCH = 10 + 1 + 16 + 8 + 6;
    logic [RULES-1:0] match_d;
    logic             v_q;
    for (genvar n = 0; n < RULES; n++) begin : gen_match
        logic [NCH-1:0] ok;           // the rule's terms
        logic [NCH:0]   all_ok;       // [NCH]: every term holds
        for (genvar c = 0; c < 10; c++) begin : gen_dst
            assign ok[c] = s_dst_ip[3*c +: 3] == act_m_q[n].dst[3*c +: 3];
        end
        assign ok[10] = act_valid_q[n] && s_dst_ip[31:30] == act_m_q[n].dst[31:30];
        for (genvar c = 0; c < 16; c++) begin : gen_src
            assign ok[11 + c] = ((s_src_ip[2*c +: 2] ^ act_m_q[n].src[2*c +: 2]) & act_m_q[n].mask[2*c +: 2]) == '0;
        end
        for (genvar c = 0; c < 8; c++) begin : gen_port
            assign ok[27 + c] = act_m_q[n].port_any || s_dst_port[2*c +: 2] == act_m_q[n].port[2*c +: 2];
        end
        for (genvar c = 0; c < 6; c++) begin : gen_vid
            assign ok[35 + c] = act_m_q[n].vlan_any
                                || (s_vlan_valid && s_vlan_vid[2*c +: 2] == act_m_q[n].vid[2*c +: 2]);
        end
        assign all_ok     = {1'b0, ok} + 1'b1;
        assign match_d[n] = all_ok[NCH];
    end
    // Still in stage 1, the first match within each group of GS rules (a tw_prio_mux of GS: 2 LUT
    // levels after the match bits), registered; stage 2 picks the first group with a match.
    localparam int GS  = 8;                              // rules per group
    localparam int NG  = (RULES + GS - 1) / GS;          // groups
    localparam int GIW = (NG > 1) ? $clog2(NG) : 1;      // group index width
    localparam int LIW = 3;                              // index width inside a group
    logic [NG-1:0]          grp_any_d, grp_any_q;
    logic [LIW+ACT_W-1:0]   grp_d [NG];                  // {index in the group, action}
    logic [LIW+ACT_W-1:0]   grp_q [NG];
    for (genvar g = 0; g < NG; g++) begin : gen_grp
        localparam int GN  = (RULES - g * GS < GS) ? RULES - g * GS : GS;   // rules in this group
        localparam int GNW = (GN > 1) ? $clog2(GN) : 1;
        logic [GN*ACT_W-1:0] act_flat;
        logic [GNW-1:0]      gidx;
        act_t                gact;
        for (genvar k = 0; k < GN; k++) begin : gen_act_flat
            assign act_flat[k*ACT_W +: ACT_W] = act_a_q[g*GS + k];
        end
        tw_prio_mux #(.N(GN), .W(ACT_W)) u_prio (
            .req(match_d[g*GS +: GN]), .data(act_flat), .any(grp_any_d[g]), .idx(gidx), .sel(gact)
        );
        assign grp_d[g] = {LIW'(gidx), gact};
    end
    always_ff @(posedge rx_clk) begin
        grp_any_q <= grp_any_d;
        grp_q     <= grp_d;
    end

    // Stage 2: the lowest matching group's entry (2 LUT levels), else the default (one more).
    logic [NG*(LIW+ACT_W)-1:0] grp_flat;
    logic                      sel_any;
    logic [GIW-1:0]            sel_grp;
    logic [LIW-1:0]            sel_lidx;
    act_t                      sel_act, res_act;
    for (genvar g = 0; g < NG; g++) begin : gen_grp_flat
        assign grp_flat[g*(LIW+ACT_W) +: LIW+ACT_W] = grp_q[g];
    end
    tw_prio_mux #(.N(NG), .W(LIW + ACT_W)) u_prio_grp (
        .req(grp_any_q), .data(grp_flat), .any(sel_any), .idx(sel_grp), .sel({sel_lidx, sel_act})
    );
    assign res_act = sel_any ? sel_act : act_def_q;

    logic m_valid_q, m_hit_q;
    act_t m_act_q;
    logic [5:0] m_rule_q;
    always_ff @(posedge rx_clk) begin
        if (rx_rst) begin
            v_q       <= 1'b0;
            m_valid_q <= 1'b0;
        end else begin
            v_q       <= s_valid;
            m_valid_q <= v_q;
        end
    end
    always_ff @(posedge rx_clk) begin
        m_hit_q  <= sel_any;
        m_rule_q <= 6'({sel_grp, sel_lidx});
        m_act_q  <= res_act;
    end
    assign m_valid   = m_valid_q;
    assign m_hit     = m_hit_q;
    assign m_rule    = m_rule_q;
    assign m_deliver = m_act_q.deliver;
    assign m_feed    = m_act_q.feed;
    assign m_line    = m_act_q.line;
    assign m_ring    = m_act_q.ring;

    // ==================================================================== rx -> clk: counters
    logic       ev_ready, ev_valid, ev_pop;
    logic [6:0] ev_data;
    tw_async_fifo #(.W(7), .DEPTH(16)) u_ev_fifo (
        .s_clk(rx_clk), .s_rst(rx_rst), .s_data({m_hit_q, m_rule_q}), .s_valid(m_valid_q), .s_ready(ev_ready),
        .s_frame(1'b0), .s_last(1'b0), .s_bad(1'b0),
        .m_clk(clk), .m_rst(rst), .m_data(ev_data), .m_valid(ev_valid), .m_ready(ev_pop)
    );
    tw_cdc_counter #(.W(32)) u_lost (
        .src_clk(rx_clk), .src_rst(rx_rst), .inc(m_valid_q && !ev_ready),
        .dst_clk(clk), .dst_rst(rst), .count(lost_count)
    );

    // One register between the FIFO's RAM read and the counter RAM's read-modify-write.
    logic           cnt_ready, ev_v_q, ev_hit_q;
    logic [RIW-1:0] ev_rule_q;
    logic [31:0]    miss_q;
    assign ev_pop = ev_valid && cnt_ready;
    always_ff @(posedge clk) begin
        if (rst) begin
            ev_v_q <= 1'b0;
            miss_q <= '0;
        end else begin
            ev_v_q <= ev_pop;
            if (ev_v_q && !ev_hit_q) miss_q <= miss_q + 1'b1;
        end
    end
    always_ff @(posedge clk) begin
        ev_hit_q  <= ev_data[6];
        ev_rule_q <= RIW'(ev_data[5:0]);
    end
    assign miss_count = miss_q;

    tw_event_counters #(.N(RULES), .W(32)) u_hits (
        .clk, .rst, .ready(cnt_ready), .inc(ev_v_q && ev_hit_q), .inc_idx(ev_rule_q),
        .rd_idx(a_in_range ? a_ri : '0), .rd_count(hits_rd)
    );

    // Bits of the window and of the event word that this configuration does not use.
    logic unused;
    assign unused = ^{q1_addr[1:0], ev_data};

`ifndef SYNTHESIS
    // Protocol checks, active in every simulation.
    always_ff @(posedge clk) begin
        if (!rst) begin
            assert (!$isunknown(req)) else $error("tw_flow_filter: req is X");
            assert (!$isunknown(commit)) else $error("tw_flow_filter: commit is X");
            // the ack may only follow a request: the toggles differ by at most one commit
            assert (pending_q || ack_clk == req_tgl_q)
                else $error("tw_flow_filter: acknowledge without a pending commit");
        end
    end
    always_ff @(posedge rx_clk) begin
        if (!rx_rst) begin
            assert (!$isunknown(s_valid)) else $error("tw_flow_filter: s_valid is X");
            // a new request only after the previous one was acknowledged (one commit in flight)
            assert (!(req_rx != seen_q && (load_m_q || load_a_q || ack_tgl_q != seen_q)))
                else $error("tw_flow_filter: commit request while the previous copy is in flight");
        end
    end
`endif
endmodule
`default_nettype wire
`resetall
