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
// ignore writes. After reset the shadow reads all zeros (every rule invalid).
//
// Atomic update. The host writes the shadow (clk) and pulses commit. The commit samples the
// default_* inputs, flips a request toggle and raises commit_pending. While pending, the window
// refuses every write (wr_ack as usual, nothing applied, wr_rejected pulses with the ack) and a
// further commit is ignored (not queued, not counted), so the shadow is stable until the rx side
// acknowledges; the host polls commit_pending (about 7 clk cycles) before writing again. A window
// write in the very cycle of the commit strobe is applied and included. The rx side sees the
// toggle through a 2-flop synchroniser, loads the match half of the active table at one rx edge
// and the action half (and the default) at the next -- the one-cycle skew of the lookup pipeline,
// so a lookup's stage 1 and stage 2 always use the same version. It then flips the acknowledge
// toggle, which returns through a 2-flop synchroniser: commit_pending falls and version counts the
// applied commit. The shadow -> active paths are quasi-static (the source is held from the
// request toggle until the acknowledge returns, and sampled >= 3 rx cycles after it last changed):
// constrain them with set_max_delay -datapath_only of one rx_clk period. rst and rx_rst must be
// asserted together (as for tw_async_fifo).
//
// Lookup (rx_clk): s_valid with the fields -> m_valid with the result exactly 2 cycles later
// (stage 1: per-rule match bits; stage 2: lowest-index select of the action). Lookups may come
// every cycle. m_* other than m_valid are meaningful only with m_valid; m_rule = 0 when !m_hit;
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

    logic [NW-1:0]  a_rule;
    logic [2:0]     a_word;
    logic [RIW-1:0] a_ri;
    logic           a_in_range;
    assign a_rule     = addr[AW-1:5];
    assign a_word     = addr[4:2];
    assign a_ri       = RIW'(a_rule);
    assign a_in_range = int'(a_rule) < RULES;

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
    logic [4:0]  written_q [RULES];   // per word WDst..WAct

    match_t          sh_m_q [RULES];
    logic [RULES-1:0] sh_valid_q;
    act_t            sh_a_q [RULES];

    logic [31:0] hits_rd;             // HITS of the addressed rule (tw_event_counters read port)
    logic [31:0] cur_word;            // addressed word as it reads now
    always_comb begin
        cur_word = '0;
        if (a_in_range) begin
            unique case (a_word)
                WDst:   cur_word = written_q[a_ri][0] ? mir_dst[a_ri] : '0;
                WSrc:   cur_word = written_q[a_ri][1] ? mir_src[a_ri] : '0;
                WPv:    cur_word = written_q[a_ri][2] ? {4'd0, mir_pv[a_ri]} : '0;
                WMatch: cur_word = written_q[a_ri][3]
                                   ? {18'd0, mir_match[a_ri][8:3], 5'd0, mir_match[a_ri][2:0]} : '0;
                WAct:   cur_word = written_q[a_ri][4]
                                   ? {3'd0, mir_act[a_ri][10:6], 7'd0, mir_act[a_ri][5], 4'd0,
                                      mir_act[a_ri][4:1], 7'd0, mir_act[a_ri][0]} : '0;
                WHits:  cur_word = hits_rd;
                default: cur_word = '0;
            endcase
        end
    end

    logic        pending_q, req_tgl_q;
    logic        do_wr;
    logic [31:0] nw;                  // the addressed word after the write
    logic [31:0] nw_mask;             // src prefix mask; lengths above 32 shift all ones out
    assign do_wr   = req && req_is_wr && !pending_q && a_in_range && a_word <= WAct;
    assign nw      = merge(cur_word, wr_data, wr_biten);
    assign nw_mask = ~(32'hFFFF_FFFF >> nw[13:8]);

    // Mirror RAM: one write per access, no reset.
    always_ff @(posedge clk) begin
        if (do_wr) begin
            unique case (a_word)
                WDst:   mir_dst[a_ri]   <= nw;
                WSrc:   mir_src[a_ri]   <= nw;
                WPv:    mir_pv[a_ri]    <= nw[27:0];
                WMatch: mir_match[a_ri] <= {nw[13:8], nw[2:0]};
                WAct:   mir_act[a_ri]   <= {nw[28:24], nw[16], nw[11:8], nw[0]};
                default: ;
            endcase
        end
    end

    // Shadow flops (CSR state: reset to zero like the ring CSRs, so read-back and matching agree).
    for (genvar n = 0; n < RULES; n++) begin : gen_shadow
        logic sel;
        assign sel = do_wr && a_ri == RIW'(n);
        always_ff @(posedge clk) begin
            if (rst) begin
                written_q[n]  <= '0;
                sh_m_q[n]     <= '0;
                sh_valid_q[n] <= 1'b0;
                sh_a_q[n]     <= '0;
            end else if (sel) begin
                unique case (a_word)
                    WDst: begin
                        written_q[n][0] <= 1'b1;
                        sh_m_q[n].dst   <= nw;
                    end
                    WSrc: begin
                        written_q[n][1] <= 1'b1;
                        sh_m_q[n].src   <= nw;
                    end
                    WPv: begin
                        written_q[n][2] <= 1'b1;
                        sh_m_q[n].port <= nw[15:0];
                        sh_m_q[n].vid  <= nw[27:16];
                    end
                    WMatch: begin
                        written_q[n][3]    <= 1'b1;
                        sh_valid_q[n]      <= nw[0];
                        sh_m_q[n].port_any <= nw[1];
                        sh_m_q[n].vlan_any <= nw[2];
                        sh_m_q[n].mask     <= nw_mask;
                    end
                    WAct: begin
                        written_q[n][4] <= 1'b1;
                        sh_a_q[n]       <= make_act(nw[0], nw[11:8], nw[16], nw[28:24]);
                    end
                    default: ;
                endcase
            end
        end
    end

    always_ff @(posedge clk) begin
        if (rst) begin
            rd_ack      <= 1'b0;
            wr_ack      <= 1'b0;
            wr_rejected <= 1'b0;
            rd_data     <= '0;
        end else begin
            rd_ack      <= req && !req_is_wr;
            wr_ack      <= req && req_is_wr;
            wr_rejected <= req && req_is_wr && pending_q;
            rd_data     <= (req && !req_is_wr) ? cur_word : '0;
        end
    end

    // ------------------------------------------------------------------ clk: commit handshake
    logic  ack_clk;                   // rx acknowledge toggle, synchronised
    logic  commit_ok;
    act_t  def_q;                     // default action sampled by the accepted commit
    logic [31:0] version_q;
    assign commit_ok = commit && !pending_q;

    always_ff @(posedge clk) begin
        if (rst) begin
            req_tgl_q <= 1'b0;
            pending_q <= 1'b0;
            version_q <= '0;
            def_q     <= '0;          // drop
        end else if (commit_ok) begin
            req_tgl_q <= !req_tgl_q;
            pending_q <= 1'b1;
            def_q     <= make_act(default_deliver, default_feed, default_line, default_ring);
        end else if (pending_q && ack_clk == req_tgl_q) begin
            pending_q <= 1'b0;
            version_q <= version_q + 1'b1;
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
            load_m_q  <= req_rx != seen_q;     // match half loads at the end of this cycle
            load_a_q  <= load_m_q;             // action half one cycle later (pipeline skew)
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
        .clk(rx_clk), .rst(rx_rst), .load(load_a_q), .d(sh_a_flat), .q(act_a_flat)
    );
    tw_cdc_hold #(.W(RULES), .RESET_EN(1'b1)) u_hold_valid (
        .clk(rx_clk), .rst(rx_rst), .load(load_m_q), .d(sh_valid_q), .q(act_valid_q)
    );
    tw_cdc_hold #(.W(ACT_W), .RESET_EN(1'b1)) u_hold_def (   // reset: drop
        .clk(rx_clk), .rst(rx_rst), .load(load_a_q), .d(def_q), .q(act_def_q)
    );

    // ------------------------------------------------------------------ rx_clk: lookup pipeline
    // Stage 1: one match bit per rule (32-bit compares, ~4 LUT levels incl. the AND of the terms).
    logic [RULES-1:0] match_d, match_q;
    logic             v_q;
    always_comb begin
        for (int n = 0; n < RULES; n++) begin
            match_d[n] = act_valid_q[n]
                && s_dst_ip == act_m_q[n].dst
                && ((s_src_ip ^ act_m_q[n].src) & act_m_q[n].mask) == '0
                && (act_m_q[n].port_any || s_dst_port == act_m_q[n].port)
                && (act_m_q[n].vlan_any || (s_vlan_valid && s_vlan_vid == act_m_q[n].vid));
        end
    end
    always_ff @(posedge rx_clk) begin
        match_q <= match_d;
    end

    // Stage 2: the lowest matching rule's action, else the default.
    logic [RULES*ACT_W-1:0] act_flat;
    logic                   sel_any;
    logic [RIW-1:0]         sel_idx;
    act_t                   sel_act, res_act;
    for (genvar n = 0; n < RULES; n++) begin : gen_act_flat
        assign act_flat[n*ACT_W +: ACT_W] = act_a_q[n];
    end
    tw_prio_mux #(.N(RULES), .W(ACT_W)) u_prio (
        .req(match_q), .data(act_flat), .any(sel_any), .idx(sel_idx), .sel(sel_act)
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
        m_rule_q <= 6'(sel_idx);
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
    assign unused = ^{addr[1:0], ev_data};

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
