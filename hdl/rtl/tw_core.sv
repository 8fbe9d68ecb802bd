// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_core: the vendor-neutral tickwire core. MAC AXI-Stream in (rx_clk), AXI4-Lite CSRs and an
// AXI4 write master for tick DMA (clk). Ethernet/VLAN/IPv4/UDP -> flow filter -> MoldUDP64 ->
// 64-byte ticks -> async FIFO (cut-through or hold mode) -> DMA into host rings.
module tw_core #(
    parameter int          DATA_W          = 64,            // MAC stream width (64 only, for now)
    parameter int          AXIL_ADDR_W     = 14,            // CSR window: 16 KiB
    parameter int          AXI_ADDR_W      = 64,
    parameter int          AXI_DATA_W      = 512,           // one 64-byte tick per beat
    parameter int          AXI_ID_W        = 4,
    parameter int          RINGS           = 4,             // rings implemented, 1..32 (the CSR map has 32)
    parameter int          RULES           = 64,            // flow-filter rules, 1..64
    parameter logic [31:0] BUILD_ID        = 32'h0,
    parameter logic [39:0] CLOCK_INC_NOM   = 40'h3_1A60_31A6, // ns per rx_clk cycle, 8.32 (322.265625 MHz)
    parameter bit          EXT_TS_EN       = 1'b0,          // 1: stamp frames with s_axis_ts (the MAC's own)
    parameter int          FIFO_DEPTH      = 64,            // ticks buffered across the clock crossing (hold mode: per frame)
    parameter int          MAX_OUTSTANDING = 8              // DMA writes in flight
) (
    // MAC side. No tready: a MAC cannot be stalled, the core keeps up or counts what it drops.
    input  wire                    rx_clk,
    input  wire                    rx_rst,
    input  wire [DATA_W-1:0]       s_axis_tdata,
    input  wire [DATA_W/8-1:0]     s_axis_tkeep,
    input  wire                    s_axis_tvalid,
    input  wire                    s_axis_tlast,
    input  wire                    s_axis_tuser,    // MAC error (bad FCS, ...), on the last beat
    input  wire [63:0]             s_axis_ts,       // MAC ingress timestamp, first beat (EXT_TS_EN only)

    // PCIe side
    input  wire                    clk,
    input  wire                    rst,

    input  wire                    s_axil_awvalid,
    output logic                   s_axil_awready,
    input  wire [AXIL_ADDR_W-1:0]  s_axil_awaddr,
    input  wire [2:0]              s_axil_awprot,
    input  wire                    s_axil_wvalid,
    output logic                   s_axil_wready,
    input  wire [31:0]             s_axil_wdata,
    input  wire [3:0]              s_axil_wstrb,
    output logic                   s_axil_bvalid,
    input  wire                    s_axil_bready,
    output logic [1:0]             s_axil_bresp,
    input  wire                    s_axil_arvalid,
    output logic                   s_axil_arready,
    input  wire [AXIL_ADDR_W-1:0]  s_axil_araddr,
    input  wire [2:0]              s_axil_arprot,
    output logic                   s_axil_rvalid,
    input  wire                    s_axil_rready,
    output logic [31:0]            s_axil_rdata,
    output logic [1:0]             s_axil_rresp,

    output logic [AXI_ID_W-1:0]    m_axi_awid,
    output logic [AXI_ADDR_W-1:0]  m_axi_awaddr,
    output logic [7:0]             m_axi_awlen,
    output logic [2:0]             m_axi_awsize,
    output logic [1:0]             m_axi_awburst,
    output logic                   m_axi_awlock,
    output logic [3:0]             m_axi_awcache,
    output logic [2:0]             m_axi_awprot,
    output logic                   m_axi_awvalid,
    input  wire                    m_axi_awready,
    output logic [AXI_DATA_W-1:0]  m_axi_wdata,
    output logic [AXI_DATA_W/8-1:0] m_axi_wstrb,
    output logic                   m_axi_wlast,
    output logic                   m_axi_wvalid,
    input  wire                    m_axi_wready,
    input  wire [AXI_ID_W-1:0]     m_axi_bid,
    input  wire [1:0]              m_axi_bresp,
    input  wire                    m_axi_bvalid,
    output logic                   m_axi_bready,

    // One interrupt request per ring (one-cycle pulse, clk domain): the shell turns it into MSI-X.
    output logic [RINGS-1:0]       irq
);
    import tw_regs_pkg::*;
    import tw_tick_pkg::*;

    generate
        if (DATA_W != 64) begin : gen_bad_data_w
            initial $fatal(1, "tw_core: DATA_W=%0d; only 64 is implemented so far", DATA_W);
        end
        if (RINGS < 1 || RINGS > 32) begin : gen_bad_rings
            initial $fatal(1, "tw_core: RINGS=%0d; 1 to 32 rings are supported", RINGS);
        end
        if (RULES < 1 || RULES > 64) begin : gen_bad_rules
            initial $fatal(1, "tw_core: RULES=%0d; 1 to 64 rules are supported", RULES);
        end
    endgenerate

    tw_regs__in_t  hwif_in;
    tw_regs__out_t hwif_out;
    // the external blocks' request bus, from the CSR front end (u_csr_front, below)
    logic        ext_req_is_wr;
    logic [AXIL_ADDR_W-1:0] ext_addr;
    logic [31:0] ext_wr_data, ext_wr_biten;
    logic        flow_req, flow_rd_ack, flow_wr_ack, hist_req, hist_rd_ack, hist_wr_ack;
    logic [31:0] flow_rd_data, hist_rd_data;

    // ------------------------------------------------------------------ card clock
    logic [63:0] clk_time_ns, rx_ts;
    logic        clk_busy, clk_cmd_dropped;
    logic [39:0] clk_inc_cur;
    logic [63:0] clk_snap_ns;
    logic [31:0] clk_time_lo, clk_time_hi;
    tw_card_clock #(.INC_NOM(CLOCK_INC_NOM)) u_card_clock (
        .rx_clk(rx_clk), .rx_rst(rx_rst), .rx_time_ns(clk_time_ns),
        .clk(clk), .rst(rst),
        .inc_wr(hwif_out.CLOCK_CMD.inc.value),
        .inc_value({hwif_out.CLOCK_INC_NS.ns.value, hwif_out.CLOCK_INC_FRAC.frac.value}),
        .set_wr(hwif_out.CLOCK_CMD.set.value),
        .set_value({hwif_out.CLOCK_SET_HI.ns.value, hwif_out.CLOCK_SET_LO.ns.value}),
        .step_wr(hwif_out.CLOCK_CMD.step.value),
        .step_value({hwif_out.CLOCK_STEP_HI.ns.value, hwif_out.CLOCK_STEP_LO.ns.value}),
        .busy(clk_busy), .cmd_dropped(clk_cmd_dropped), .inc_cur(clk_inc_cur),
        .snap_ns(clk_snap_ns), .lo_rd(hwif_out.CLOCK_TIME_LO.ns.swacc),
        .time_lo(clk_time_lo), .time_hi(clk_time_hi)
    );
    // A shell whose MAC stamps frames itself (PTP-capable MACs) passes that stamp in s_axis_ts.
    if (EXT_TS_EN) begin : gen_ext_ts
        assign rx_ts = s_axis_ts;
    end else begin : gen_card_ts
        assign rx_ts = clk_time_ns;
    end

    // ------------------------------------------------------------------ rx_clk domain
    logic rx_enable, hold;
    logic [15:0] max_frame;
    tw_cdc_sync u_sync_rx_enable (.clk(rx_clk), .rst(rx_rst), .d(hwif_out.CTRL.rx_enable.value), .q(rx_enable));
    // Quasi-static settings: changed only while receive is disabled and idle (see the register
    // descriptions), so a two-flop synchroniser per bit is enough.
    tw_cdc_sync u_sync_hold (.clk(rx_clk), .rst(rx_rst), .d(hwif_out.CTRL.hold.value), .q(hold));
    logic drop_unknown;
    tw_cdc_sync u_sync_drop_unknown (.clk(rx_clk), .rst(rx_rst), .d(hwif_out.CTRL.drop_unknown.value), .q(drop_unknown));
    tw_cdc_sync #(.W(16)) u_sync_max_frame (.clk(rx_clk), .rst(rx_rst), .d(hwif_out.MAX_FRAME.bytes.value), .q(max_frame));

    // Frame gate: a frame is taken or dropped whole, decided at its first beat.
    logic in_frame_q, pass_q, sof, pass_now, ev_frame, ev_disabled;
    assign sof      = s_axis_tvalid && !in_frame_q;
    assign pass_now = sof ? rx_enable : pass_q;
    assign ev_frame    = sof && rx_enable;
    assign ev_disabled = sof && !rx_enable;
    always_ff @(posedge rx_clk) begin
        if (rx_rst) begin
            in_frame_q <= 1'b0;
            pass_q     <= 1'b0;
        end else if (s_axis_tvalid) begin
            in_frame_q <= !s_axis_tlast;
            if (sof) pass_q <= rx_enable;
        end
    end

    logic        par_ready;
    logic        hdr_valid;
    logic [63:0] hdr_ts;
    logic [47:0] hdr_eth_dst, hdr_eth_src;
    logic        hdr_vlan_valid;
    logic [1:0]  hdr_vlan_tags;
    logic [11:0] hdr_vlan_vid, hdr_vlan_outer_vid;
    logic [31:0] hdr_ip_src, hdr_ip_dst;
    logic [15:0] hdr_udp_src_port, hdr_udp_dst_port, hdr_udp_length;
    logic [63:0] pl_tdata;
    logic [7:0]  pl_tkeep;
    logic        pl_tvalid, pl_tlast, pl_tuser;
    logic        par_busy;
    logic        ev_accepted, ev_not_ipv4, ev_ip_hdr, ev_ip_len, ev_fragment, ev_not_udp, ev_ip_csum,
                 ev_udp_long, ev_udp_short, ev_too_long, ev_runt, ev_trunc, ev_udp_csum, ev_mac_err;

    tw_eth_udp_rx #(.DATA_W(DATA_W), .TS_W(64)) u_eth_udp_rx (
        .clk(rx_clk), .rst(rx_rst), .cfg_max_len(max_frame),
        .s_axis_tdata(s_axis_tdata), .s_axis_tkeep(s_axis_tkeep), .s_axis_tvalid(s_axis_tvalid && pass_now),
        .s_axis_tready(par_ready), .s_axis_tlast(s_axis_tlast), .s_axis_tuser(s_axis_tuser), .s_ts(rx_ts),
        .m_hdr_valid(hdr_valid), .m_hdr_ready(1'b1), .m_hdr_ts(hdr_ts),
        .m_hdr_eth_dst(hdr_eth_dst), .m_hdr_eth_src(hdr_eth_src),
        .m_hdr_vlan_valid(hdr_vlan_valid), .m_hdr_vlan_tags(hdr_vlan_tags), .m_hdr_vlan_vid(hdr_vlan_vid),
        .m_hdr_vlan_outer_vid(hdr_vlan_outer_vid),
        .m_hdr_ip_src(hdr_ip_src), .m_hdr_ip_dst(hdr_ip_dst),
        .m_hdr_udp_src_port(hdr_udp_src_port), .m_hdr_udp_dst_port(hdr_udp_dst_port),
        .m_hdr_udp_length(hdr_udp_length),
        .m_axis_tdata(pl_tdata), .m_axis_tkeep(pl_tkeep), .m_axis_tvalid(pl_tvalid), .m_axis_tready(1'b1),
        .m_axis_tlast(pl_tlast), .m_axis_tuser(pl_tuser),
        .busy(par_busy),
        .ev_accepted(ev_accepted), .err_not_ipv4(ev_not_ipv4), .err_ip_hdr(ev_ip_hdr), .err_ip_len(ev_ip_len),
        .err_fragment(ev_fragment), .err_not_udp(ev_not_udp), .err_ip_csum(ev_ip_csum),
        .err_udp_len_long(ev_udp_long), .err_udp_len_short(ev_udp_short), .err_too_long(ev_too_long),
        .err_runt(ev_runt), .err_trunc(ev_trunc), .err_udp_csum(ev_udp_csum), .err_mac(ev_mac_err)
    );

    // Flow filter: the rule table (shadow in clk, active in rx_clk), the lookup, hit counters.
    localparam int USER_W   = 4 + 1 + 5;   // feed, line, ring
    logic       f_valid, f_deliver, f_line, f_hit;
    logic [3:0] f_feed;
    logic [4:0] f_ring;
    logic [5:0] f_rule;
    logic [31:0] flow_version, flow_misses_clk, flow_lost;
    logic        flow_pending, flow_wr_rejected;
    tw_flow_filter #(.RULES(RULES), .FEEDS(16), .RINGS(RINGS), .AW(11)) u_flow_filter (
        .clk(clk), .rst(rst),
        .req(flow_req), .req_is_wr(ext_req_is_wr), .addr(ext_addr[10:0]),
        .wr_data(ext_wr_data), .wr_biten(ext_wr_biten), .rd_ack(flow_rd_ack),
        .rd_data(flow_rd_data), .wr_ack(flow_wr_ack),
        .default_deliver(hwif_out.FLOW_DEFAULT.deliver.value), .default_feed(hwif_out.FLOW_DEFAULT.feed.value),
        .default_line(hwif_out.FLOW_DEFAULT.line.value), .default_ring(hwif_out.FLOW_DEFAULT.ring.value),
        .commit(hwif_out.FLOW_CMD.commit.value), .commit_pending(flow_pending), .version(flow_version),
        .miss_count(flow_misses_clk), .lost_count(flow_lost), .wr_rejected(flow_wr_rejected),
        .rx_clk(rx_clk), .rx_rst(rx_rst),
        .s_valid(hdr_valid), .s_dst_ip(hdr_ip_dst), .s_src_ip(hdr_ip_src), .s_dst_port(hdr_udp_dst_port),
        .s_vlan_valid(hdr_vlan_valid), .s_vlan_vid(hdr_vlan_vid),
        .m_valid(f_valid), .m_deliver(f_deliver), .m_feed(f_feed), .m_line(f_line), .m_ring(f_ring),
        .m_hit(f_hit), .m_rule(f_rule)
    );

    // The filter answers 2 cycles after the header, while the payload already flows into the
    // deframer: it needs the answer only by the packet's third payload beat (the header comes no
    // later than the first), so no delay line holds the payload back.
    logic ev_flow_drop, df_hdr_ready, df_tready;
    always_ff @(posedge rx_clk) begin
        if (rx_rst) ev_flow_drop <= 1'b0;
        else        ev_flow_drop <= f_valid && !f_deliver;
    end

    logic        df_valid, df_cur_end, df_abort, df_new, df_head, df_frame_end, df_frame_bad;
    logic        df_event, df_ev_new_session, df_ev_gap, df_ev_eos;
    logic [63:0] df_data, df_ts, df_pkt_seq, df_gap_first;
    logic [16:0] df_dup_below, df_fill_lo, df_fill_hi;
    logic [7:0]  df_keep, df_cur_en;
    logic [15:0] df_cur_base, df_new_len, df_new_idx;
    logic [2:0]  df_head_lane;
    logic [79:0] df_session_id;
    logic [USER_W-1:0] df_user;
    logic        df_busy, ev_pkt, ev_msg, ev_mold_err, ev_count_err, ev_session, ev_gap, ev_dup, ev_late,
                 ev_bad_verdict, ev_itch_unknown, ev_itch_len_err, ev_itch_filtered;

    // MoldUDP64 deframer and per-feed sequencer; disabling receive forgets every feed's state
    tw_mold_deframer #(.TS_W(64), .USER_W(USER_W), .FEEDS(16)) u_mold_deframer (
        .clk(rx_clk), .rst(rx_rst),
        .s_hdr_valid(hdr_valid), .s_hdr_ready(df_hdr_ready), .s_hdr_ts(hdr_ts), .seq_clear(!rx_enable),
        .s_dec_valid(f_valid), .s_dec_deliver(f_deliver), .s_dec_user({f_feed, f_line, f_ring}),
        .s_dec_feed(f_feed),
        .s_axis_tdata(pl_tdata), .s_axis_tkeep(pl_tkeep), .s_axis_tvalid(pl_tvalid), .s_axis_tready(df_tready),
        .s_axis_tlast(pl_tlast), .s_axis_tuser(pl_tuser),
        .m_valid(df_valid), .m_data(df_data), .m_cur_en(df_cur_en), .m_cur_base(df_cur_base),
        .m_cur_end(df_cur_end), .m_abort(df_abort), .m_new(df_new), .m_new_len(df_new_len),
        .m_new_idx(df_new_idx), .m_head(df_head), .m_head_lane(df_head_lane), .m_keep(df_keep),
        .m_ts(df_ts), .m_pkt_seq(df_pkt_seq), .m_event(df_event), .m_ev_new_session(df_ev_new_session),
        .m_ev_gap(df_ev_gap), .m_ev_eos(df_ev_eos), .m_gap_first(df_gap_first), .m_dup_below(df_dup_below),
        .m_fill_lo(df_fill_lo), .m_fill_hi(df_fill_hi),
        .m_session_id(df_session_id),
        .m_frame_end(df_frame_end), .m_frame_bad(df_frame_bad), .m_user(df_user),
        .busy(df_busy), .ev_pkt(ev_pkt), .ev_msg(ev_msg), .ev_err(ev_mold_err), .ev_count_err(ev_count_err),
        .ev_bad_verdict(ev_bad_verdict),
        .ev_session(ev_session), .ev_gap(ev_gap)
    );

    // ITCH filters of the packet's ring: the ring's ITCH_TYPES/LOCATE_TYPES (per-bit synchronisers:
    // a message looks at one bit of each, so a change under traffic gives each message the old or
    // the new setting of its type) and its locate bitmap (a dual-clock RAM written from the CSRs).
    localparam int RING_W = RINGS > 1 ? $clog2(RINGS) : 1;
    logic [23:0] ring_types_rx  [RINGS];
    logic [22:0] ring_loc_types_rx [RINGS];
    logic [23:0] cur_type_mask;
    logic [22:0] cur_loc_types;
    logic        loc_re;
    logic [10:0] loc_addr;
    logic [31:0] loc_word;
    // The packet's ring's settings, registered: a cycle behind m_user (the packet's from its third
    // annotated beat on); the packer needs them from the fourth on (tw_tick_packer: ITCH filters).
    always_ff @(posedge rx_clk) begin
        cur_type_mask <= '1;     // a ring this build lacks: the DMA writer drops its ticks anyway
        cur_loc_types <= '0;
        for (int r = 0; r < RINGS; r++) begin
            if (df_user[4:0] == 5'(r)) begin
                cur_type_mask <= ring_types_rx[r];
                cur_loc_types <= ring_loc_types_rx[r];
            end
        end
    end
    // (clk domain) the locate bitmaps' write side: LOCATE_ADDR sets the word pointer, each
    // LOCATE_DATA write stores a word there and advances it; words of rings this build lacks are
    // not written. The register block's field holds the written value from the cycle after its
    // swmod strobe: act on the strobe one cycle late.
    logic [15:0]         loc_ptr_q;
    logic                loc_addr_wr_q, loc_data_wr_q;
    logic                loc_we;
    logic [RING_W+10:0]  loc_waddr;
    assign loc_we    = loc_data_wr_q && loc_ptr_q[15:11] < 5'(RINGS);
    assign loc_waddr = {RING_W'(loc_ptr_q[15:11]), loc_ptr_q[10:0]};
    always_ff @(posedge clk) begin
        if (rst) begin
            loc_ptr_q     <= '0;
            loc_addr_wr_q <= 1'b0;
            loc_data_wr_q <= 1'b0;
        end else begin
            loc_addr_wr_q <= hwif_out.LOCATE_ADDR.addr.swmod;
            loc_data_wr_q <= hwif_out.LOCATE_DATA.bits.swmod;
            if (loc_addr_wr_q) loc_ptr_q <= hwif_out.LOCATE_ADDR.addr.value;
            else if (loc_data_wr_q) loc_ptr_q <= {loc_ptr_q[15:11], loc_ptr_q[10:0] + 11'd1};
        end
    end
    tw_locate_ram #(.ADDR_W(RING_W + 11), .DATA_W(32)) u_locate_ram (
        .wr_clk(clk), .we(loc_we), .waddr(loc_waddr), .wdata(hwif_out.LOCATE_DATA.bits.value),
        .rd_clk(rx_clk), .re(loc_re), .raddr({RING_W'(df_user[4:0]), loc_addr}), .rdata(loc_word)
    );

    logic                    tick_valid, tick_frame_end, tick_frame_bad;
    logic [8*TICK_BYTES-1:0] tick;
    logic [4:0]              tick_ring;
    // the record goes straight into the clock-crossing FIFO's memory (REG_OUT 0): the FIFO's
    // write is the register
    tw_tick_packer #(.TS_W(64), .REG_OUT(1'b0)) u_tick_packer (
        .clk(rx_clk), .rst(rx_rst),
        .s_valid(df_valid), .s_data(df_data), .s_keep(df_keep), .s_cur_en(df_cur_en),
        .s_cur_base(df_cur_base), .s_cur_end(df_cur_end), .s_abort(df_abort), .s_new(df_new),
        .s_new_len(df_new_len), .s_new_idx(df_new_idx), .s_head(df_head), .s_head_lane(df_head_lane),
        .s_ts(df_ts), .s_pkt_seq(df_pkt_seq), .s_event(df_event), .s_ev_new_session(df_ev_new_session),
        .s_ev_gap(df_ev_gap), .s_ev_eos(df_ev_eos), .s_gap_first(df_gap_first), .s_dup_below(df_dup_below),
        .s_fill_lo(df_fill_lo), .s_fill_hi(df_fill_hi),
        .s_session_id(df_session_id),
        .s_frame_end(df_frame_end), .s_frame_bad(df_frame_bad),
        .s_feed(8'(df_user[9:6])), .s_line_b(df_user[5]), .s_drop_unknown(drop_unknown),
        .s_type_mask(cur_type_mask), .s_loc_types(cur_loc_types), .m_loc_re(loc_re), .m_loc_addr(loc_addr),
        .s_loc_word(loc_word),
        .m_valid(tick_valid), .m_tick(tick), .m_frame_end(tick_frame_end), .m_frame_bad(tick_frame_bad),
        .ev_dup(ev_dup), .ev_late(ev_late), .ev_unknown(ev_itch_unknown), .ev_len_err(ev_itch_len_err),
        .ev_filtered(ev_itch_filtered)
    );
    // the ring rides beside the record
    assign tick_ring = df_user[4:0];
`ifndef SYNTHESIS
    // the parser's header and payload cannot wait: the deframer is always ready for them
    always_ff @(posedge rx_clk) begin
        if (!rx_rst && hdr_valid && !df_hdr_ready) $error("tw_core: the deframer refused a header");
        if (!rx_rst && pl_tvalid && !df_tready) $error("tw_core: the deframer stalled the payload");
    end
`endif

    // ------------------------------------------------------------------ rx_clk -> clk
    // A tick that finds the FIFO full is dropped and counted, and the next tick for the same
    // ring that gets in carries LOSS: nothing is lost silently. In hold mode the FIFO publishes a
    // frame's ticks only with its FRAME_END tick, and discards them all if that tick says
    // FRAME_BAD.
    localparam int FIFO_W = 8 * TICK_BYTES + 5;
    logic                    fifo_s_ready, fifo_m_valid, fifo_m_ready, ev_overflow;
    logic [FIFO_W-1:0]       fifo_m_word, fifo_s_word;
    logic [8*TICK_BYTES-1:0] fifo_m_tick;
    logic [4:0]              fifo_m_ring;
    // ovf_pending_q[r]: a tick for ring r was dropped and no later tick for r carried LOSS yet.
    // In hold mode the flag can land on a tick of a frame that is then discarded (bad verdict):
    // the loss is owed again (loss_placed_q: the open frame carries its ring's flag).
    // Sized to the rings there are (the flow filter never names an absent ring: a 32:1 mux of
    // mostly-dead bits cost ~150 LUTs).
    logic [(1 << RING_W)-1:0] ovf_pending_q;
    logic [RING_W-1:0]        t_ring;
    logic                     loss_placed_q, wr_tick, owed;
    assign t_ring      = RING_W'(tick_ring);
    assign ev_overflow = tick_valid && !fifo_s_ready;
    assign wr_tick     = tick_valid && fifo_s_ready;
    assign owed        = ovf_pending_q[t_ring];
    always_comb begin
        fifo_s_word = {tick_ring, tick};
        fifo_s_word[8*TICK_FLAGS_OFF + TICK_FLAG_LOSS] = owed;
    end
    always_ff @(posedge rx_clk) begin
        if (rx_rst) begin
            ovf_pending_q <= '0;
            loss_placed_q <= 1'b0;
        end else if (tick_valid) begin
            ovf_pending_q[t_ring] <= ev_overflow;
            if (hold && wr_tick && owed) loss_placed_q <= 1'b1;
            if (hold && tick_frame_end) begin
                if (tick_frame_bad && (loss_placed_q || (wr_tick && owed))) ovf_pending_q[t_ring] <= 1'b1;
                loss_placed_q <= 1'b0;
            end
        end
    end
    tw_async_fifo #(.W(FIFO_W), .DEPTH(FIFO_DEPTH)) u_tick_fifo (
        .s_clk(rx_clk), .s_rst(rx_rst), .s_data(fifo_s_word), .s_valid(tick_valid), .s_ready(fifo_s_ready),
        .s_frame(hold), .s_last(tick_frame_end), .s_bad(tick_frame_bad),
        .m_clk(clk), .m_rst(rst), .m_data(fifo_m_word), .m_valid(fifo_m_valid), .m_ready(fifo_m_ready)
    );
    assign {fifo_m_ring, fifo_m_tick} = fifo_m_word;

    logic rx_busy_q, rx_busy_sync;
    always_ff @(posedge rx_clk) begin
        if (rx_rst) rx_busy_q <= 1'b0;
        else        rx_busy_q <= in_frame_q || par_busy || df_busy || tick_valid;
    end
    tw_cdc_sync u_sync_rx_busy (.clk(clk), .rst(rst), .d(rx_busy_q), .q(rx_busy_sync));

    // ------------------------------------------------------------------ clk domain
    // Ring CSRs: RING[0..RINGS-1] are real, the rest of the 32 the map has read as zero.
    logic [63:0] ring_base   [RINGS];
    logic [31:0] ring_slots  [RINGS];
    logic        ring_enable [RINGS];
    logic [31:0] ring_cons   [RINGS];
    logic [31:0] ring_prod   [RINGS];
    logic [31:0] ring_drops  [RINGS];
    logic        ring_idle   [RINGS];
    logic        ring_cfg_err[RINGS];
    logic        ring_dma_err[RINGS];
    logic [63:0] ring_wb_addr[RINGS];
    logic        ring_wb_en  [RINGS];
    logic        ring_irq_en [RINGS];
    logic [15:0] ring_wb_every[RINGS];
    logic [31:0] ring_irqs   [RINGS];
    logic [23:0] ring_types  [RINGS];
    logic [22:0] ring_loc_types [RINGS];

    // The RING windows are decoded by the CSR front end (tw_csr_front, by addr[10:6]), not by the
    // generated register block: it sends each implemented ring a registered one-cycle request and
    // answers the windows of rings this build lacks itself (read 0, writes ignored). So are the
    // FLOW and HIST windows (u_flow_filter, u_lat_hist).
    logic [RINGS-1:0] ring_req;
    logic [31:0]      ring_rd_data [RINGS];
    logic [RINGS-1:0] ring_rd_ack, ring_wr_ack;
    logic [31:0]      ring_rd_data_or;
    always_comb begin
        ring_rd_data_or = '0;
        for (int r = 0; r < RINGS; r++) ring_rd_data_or = ring_rd_data_or | ring_rd_data[r];
    end
    for (genvar r = 0; r < RINGS; r++) begin : gen_ring_regs
        tw_ring_regs u_ring_regs (
            .clk(clk), .rst(rst),
            .req(ring_req[r]), .req_is_wr(ext_req_is_wr), .addr(ext_addr[5:0]),
            .wr_data(ext_wr_data), .wr_biten(ext_wr_biten),
            .rd_ack(ring_rd_ack[r]), .rd_data(ring_rd_data[r]), .wr_ack(ring_wr_ack[r]),
            .base(ring_base[r]), .slots(ring_slots[r]), .enable(ring_enable[r]), .cons(ring_cons[r]),
            .wb_addr(ring_wb_addr[r]), .wb_enable(ring_wb_en[r]), .irq_enable(ring_irq_en[r]),
            .wb_every(ring_wb_every[r]),
            .st_idle(ring_idle[r]), .st_cfg_error(ring_cfg_err[r]), .st_dma_error(ring_dma_err[r]),
            .st_prod(ring_prod[r]), .st_drops(ring_drops[r]), .st_irqs(ring_irqs[r]),
            .itch_types(ring_types[r]), .locate_types(ring_loc_types[r])
        );
        tw_cdc_sync #(.W(47), .RESET_VALUE({24'hFF_FFFF, 23'd0})) u_sync_itch_filter (
            .clk(rx_clk), .rst(rx_rst), .d({ring_types[r], ring_loc_types[r]}),
            .q({ring_types_rx[r], ring_loc_types_rx[r]})
        );
    end

    logic ev_write, ev_bresp_err, ev_bad_ring;
    logic [4:0]  ev_write_ring;
    logic [63:0] ev_write_rx_ts;
    tw_dma_writer #(
        .AXI_ADDR_W(AXI_ADDR_W), .AXI_DATA_W(AXI_DATA_W), .AXI_ID_W(AXI_ID_W), .MAX_OUTSTANDING(MAX_OUTSTANDING),
        .RINGS(RINGS)
    ) u_dma_writer (
        .clk(clk), .rst(rst),
        .s_tick_valid(fifo_m_valid), .s_tick_ready(fifo_m_ready), .s_tick(fifo_m_tick),
        .s_tick_ring(fifo_m_ring),
        .cfg_base(ring_base), .cfg_slots(ring_slots), .cfg_enable(ring_enable), .cfg_cons(ring_cons),
        .st_prod(ring_prod), .st_drops(ring_drops), .st_idle(ring_idle), .st_cfg_error(ring_cfg_err),
        .st_dma_error(ring_dma_err),
        .cfg_wb_addr(ring_wb_addr), .cfg_wb_en(ring_wb_en), .cfg_irq_en(ring_irq_en), .cfg_wb_every(ring_wb_every),
        .st_irqs(ring_irqs), .irq(irq),
        .ev_write(ev_write), .ev_bresp_err(ev_bresp_err), .ev_bad_ring(ev_bad_ring),
        .ev_ring(ev_write_ring), .ev_rx_ts(ev_write_rx_ts),
        .m_axi_awid(m_axi_awid), .m_axi_awaddr(m_axi_awaddr), .m_axi_awlen(m_axi_awlen),
        .m_axi_awsize(m_axi_awsize), .m_axi_awburst(m_axi_awburst), .m_axi_awlock(m_axi_awlock),
        .m_axi_awcache(m_axi_awcache), .m_axi_awprot(m_axi_awprot), .m_axi_awvalid(m_axi_awvalid),
        .m_axi_awready(m_axi_awready), .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(m_axi_wstrb),
        .m_axi_wlast(m_axi_wlast), .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready),
        .m_axi_bid(m_axi_bid), .m_axi_bresp(m_axi_bresp), .m_axi_bvalid(m_axi_bvalid), .m_axi_bready(m_axi_bready)
    );

    // In-card latency histogram: DMA issue time - receive timestamp, per ring.
    tw_lat_hist #(.RINGS(RINGS), .LAG_NS(20)) u_lat_hist (
        .clk(clk), .rst(rst),
        .ev(ev_write), .ev_ring(ev_write_ring), .ev_rx_ts(ev_write_rx_ts), .now_ns(clk_snap_ns),
        .req(hist_req), .req_is_wr(ext_req_is_wr), .addr(ext_addr[11:0]),
        .wr_data(ext_wr_data), .wr_biten(ext_wr_biten), .rd_ack(hist_rd_ack),
        .rd_data(hist_rd_data), .wr_ack(hist_wr_ack)
    );

    // ------------------------------------------------------------------ counters
    logic [31:0] dma_writes_q, dma_bresp_err_q, dma_bad_ring_q, clk_cmd_dropped_q, flow_wr_rejected_q;
    always_ff @(posedge clk) begin
        if (rst) begin
            dma_writes_q       <= '0;
            dma_bresp_err_q    <= '0;
            dma_bad_ring_q     <= '0;
            clk_cmd_dropped_q  <= '0;
            flow_wr_rejected_q <= '0;
        end else begin
            dma_writes_q       <= dma_writes_q + 32'(ev_write);
            dma_bresp_err_q    <= dma_bresp_err_q + 32'(ev_bresp_err);
            dma_bad_ring_q     <= dma_bad_ring_q + 32'(ev_bad_ring);
            clk_cmd_dropped_q  <= clk_cmd_dropped_q + 32'(clk_cmd_dropped);
            flow_wr_rejected_q <= flow_wr_rejected_q + 32'(flow_wr_rejected);
        end
    end

    localparam int NRX = 30;
    logic [NRX-1:0] rx_ev;
    logic [31:0]    rx_gray [NRX];
    assign rx_ev = {ev_itch_filtered, ev_itch_len_err, ev_itch_unknown, ev_late, ev_count_err, ev_gap, ev_dup, ev_overflow, ev_session, ev_mold_err, ev_msg, ev_pkt, ev_bad_verdict,
                    ev_flow_drop, ev_accepted, ev_udp_csum, ev_too_long, ev_trunc, ev_udp_short, ev_udp_long,
                    ev_not_udp, ev_fragment, ev_ip_len, ev_ip_csum, ev_ip_hdr, ev_not_ipv4, ev_runt, ev_mac_err,
                    ev_disabled, ev_frame};
    // Each counter crosses as a synchronised Gray code; a read decodes the one it asks for
    // (tw_gray_read: one shared decoder, the read is answered 5 clk cycles later). The counter
    // registers are external registers of the map.
    // The event pulses are registered first: each comes out of its stage's logic, and the
    // counter's +1 (a carry chain) then starts at a flop. A count lands one rx_clk cycle later.
    logic [NRX-1:0] rx_ev_q;
    always_ff @(posedge rx_clk) begin
        if (rx_rst) rx_ev_q <= '0;
        else        rx_ev_q <= rx_ev;
    end
    for (genvar i = 0; i < NRX; i++) begin : gen_rx_counter
        tw_cdc_counter #(.W(32), .GRAY_OUT(1'b1)) u_cnt (
            .src_clk(rx_clk), .src_rst(rx_rst), .inc(rx_ev_q[i]),
            .dst_clk(clk), .dst_rst(rst), .count(rx_gray[i])
        );
    end
    logic [NRX-1:0] rx_cnt_rd_req, rx_cnt_rd_ack;
    logic [31:0]    rx_cnt_rd_data;
    tw_gray_read #(.N(NRX), .W(32)) u_rx_cnt_read (
        .clk(clk), .rst(rst), .gray(rx_gray), .rd_req(rx_cnt_rd_req), .rd_ack(rx_cnt_rd_ack),
        .rd_data(rx_cnt_rd_data)
    );

    assign hwif_in.BUILD_ID.value.next        = BUILD_ID;
    assign hwif_in.CAPS.rings.next            = 8'(RINGS);
    assign hwif_in.CAPS.rules.next            = 8'(RULES);
    assign hwif_in.CAPS.data_bytes.next       = 8'(DATA_W / 8);
    assign hwif_in.STATUS.rx_idle.next        = !rx_busy_sync && !fifo_m_valid;
    assign rx_cnt_rd_req[0]  = hwif_out.RX_FRAMES.req;
    assign hwif_in.RX_FRAMES.rd_ack     = rx_cnt_rd_ack[0];
    assign hwif_in.RX_FRAMES.rd_data.value     = rx_cnt_rd_data;
    assign rx_cnt_rd_req[1]  = hwif_out.RX_DISABLED.req;
    assign hwif_in.RX_DISABLED.rd_ack   = rx_cnt_rd_ack[1];
    assign hwif_in.RX_DISABLED.rd_data.value   = rx_cnt_rd_data;
    assign rx_cnt_rd_req[2]  = hwif_out.RX_MAC_ERR.req;
    assign hwif_in.RX_MAC_ERR.rd_ack    = rx_cnt_rd_ack[2];
    assign hwif_in.RX_MAC_ERR.rd_data.value    = rx_cnt_rd_data;
    assign rx_cnt_rd_req[3]  = hwif_out.RX_RUNT.req;
    assign hwif_in.RX_RUNT.rd_ack       = rx_cnt_rd_ack[3];
    assign hwif_in.RX_RUNT.rd_data.value       = rx_cnt_rd_data;
    assign rx_cnt_rd_req[4]  = hwif_out.RX_NOT_IPV4.req;
    assign hwif_in.RX_NOT_IPV4.rd_ack   = rx_cnt_rd_ack[4];
    assign hwif_in.RX_NOT_IPV4.rd_data.value   = rx_cnt_rd_data;
    assign rx_cnt_rd_req[5]  = hwif_out.RX_IP_HDR.req;
    assign hwif_in.RX_IP_HDR.rd_ack     = rx_cnt_rd_ack[5];
    assign hwif_in.RX_IP_HDR.rd_data.value     = rx_cnt_rd_data;
    assign rx_cnt_rd_req[6]  = hwif_out.RX_IP_CSUM.req;
    assign hwif_in.RX_IP_CSUM.rd_ack    = rx_cnt_rd_ack[6];
    assign hwif_in.RX_IP_CSUM.rd_data.value    = rx_cnt_rd_data;
    assign rx_cnt_rd_req[7]  = hwif_out.RX_IP_LEN.req;
    assign hwif_in.RX_IP_LEN.rd_ack     = rx_cnt_rd_ack[7];
    assign hwif_in.RX_IP_LEN.rd_data.value     = rx_cnt_rd_data;
    assign rx_cnt_rd_req[8]  = hwif_out.RX_FRAGMENT.req;
    assign hwif_in.RX_FRAGMENT.rd_ack   = rx_cnt_rd_ack[8];
    assign hwif_in.RX_FRAGMENT.rd_data.value   = rx_cnt_rd_data;
    assign rx_cnt_rd_req[9]  = hwif_out.RX_NOT_UDP.req;
    assign hwif_in.RX_NOT_UDP.rd_ack    = rx_cnt_rd_ack[9];
    assign hwif_in.RX_NOT_UDP.rd_data.value    = rx_cnt_rd_data;
    assign rx_cnt_rd_req[10] = hwif_out.RX_UDP_LONG.req;
    assign hwif_in.RX_UDP_LONG.rd_ack   = rx_cnt_rd_ack[10];
    assign hwif_in.RX_UDP_LONG.rd_data.value   = rx_cnt_rd_data;
    assign rx_cnt_rd_req[11] = hwif_out.RX_UDP_SHORT.req;
    assign hwif_in.RX_UDP_SHORT.rd_ack  = rx_cnt_rd_ack[11];
    assign hwif_in.RX_UDP_SHORT.rd_data.value  = rx_cnt_rd_data;
    assign rx_cnt_rd_req[12] = hwif_out.RX_TRUNC.req;
    assign hwif_in.RX_TRUNC.rd_ack      = rx_cnt_rd_ack[12];
    assign hwif_in.RX_TRUNC.rd_data.value      = rx_cnt_rd_data;
    assign rx_cnt_rd_req[13] = hwif_out.RX_TOO_LONG.req;
    assign hwif_in.RX_TOO_LONG.rd_ack   = rx_cnt_rd_ack[13];
    assign hwif_in.RX_TOO_LONG.rd_data.value   = rx_cnt_rd_data;
    assign rx_cnt_rd_req[14] = hwif_out.RX_UDP_CSUM.req;
    assign hwif_in.RX_UDP_CSUM.rd_ack   = rx_cnt_rd_ack[14];
    assign hwif_in.RX_UDP_CSUM.rd_data.value   = rx_cnt_rd_data;
    assign rx_cnt_rd_req[15] = hwif_out.RX_ACCEPTED.req;
    assign hwif_in.RX_ACCEPTED.rd_ack   = rx_cnt_rd_ack[15];
    assign hwif_in.RX_ACCEPTED.rd_data.value   = rx_cnt_rd_data;
    assign rx_cnt_rd_req[16] = hwif_out.FLOW_DROPS.req;
    assign hwif_in.FLOW_DROPS.rd_ack    = rx_cnt_rd_ack[16];
    assign hwif_in.FLOW_DROPS.rd_data.value    = rx_cnt_rd_data;
    assign hwif_in.FLOW_MISSES.value.next     = flow_misses_clk;   // the filter counts them with its hit counters
    assign rx_cnt_rd_req[17] = hwif_out.RX_BAD_VERDICT.req;
    assign hwif_in.RX_BAD_VERDICT.rd_ack= rx_cnt_rd_ack[17];
    assign hwif_in.RX_BAD_VERDICT.rd_data.value= rx_cnt_rd_data;
    assign rx_cnt_rd_req[18] = hwif_out.MOLD_PKTS.req;
    assign hwif_in.MOLD_PKTS.rd_ack     = rx_cnt_rd_ack[18];
    assign hwif_in.MOLD_PKTS.rd_data.value     = rx_cnt_rd_data;
    assign rx_cnt_rd_req[19] = hwif_out.MOLD_MSGS.req;
    assign hwif_in.MOLD_MSGS.rd_ack     = rx_cnt_rd_ack[19];
    assign hwif_in.MOLD_MSGS.rd_data.value     = rx_cnt_rd_data;
    assign rx_cnt_rd_req[20] = hwif_out.MOLD_ERR.req;
    assign hwif_in.MOLD_ERR.rd_ack      = rx_cnt_rd_ack[20];
    assign hwif_in.MOLD_ERR.rd_data.value      = rx_cnt_rd_data;
    assign rx_cnt_rd_req[21] = hwif_out.MOLD_SESSIONS.req;
    assign hwif_in.MOLD_SESSIONS.rd_ack = rx_cnt_rd_ack[21];
    assign hwif_in.MOLD_SESSIONS.rd_data.value = rx_cnt_rd_data;
    assign rx_cnt_rd_req[22] = hwif_out.TICK_OVERFLOW.req;
    assign hwif_in.TICK_OVERFLOW.rd_ack = rx_cnt_rd_ack[22];
    assign hwif_in.TICK_OVERFLOW.rd_data.value = rx_cnt_rd_data;
    assign rx_cnt_rd_req[23] = hwif_out.SEQ_DUPS.req;
    assign hwif_in.SEQ_DUPS.rd_ack      = rx_cnt_rd_ack[23];
    assign hwif_in.SEQ_DUPS.rd_data.value      = rx_cnt_rd_data;
    assign rx_cnt_rd_req[24] = hwif_out.SEQ_GAPS.req;
    assign hwif_in.SEQ_GAPS.rd_ack      = rx_cnt_rd_ack[24];
    assign hwif_in.SEQ_GAPS.rd_data.value      = rx_cnt_rd_data;
    assign rx_cnt_rd_req[25] = hwif_out.MOLD_COUNT_ERR.req;
    assign hwif_in.MOLD_COUNT_ERR.rd_ack= rx_cnt_rd_ack[25];
    assign hwif_in.MOLD_COUNT_ERR.rd_data.value= rx_cnt_rd_data;
    assign rx_cnt_rd_req[26] = hwif_out.SEQ_LATE.req;
    assign hwif_in.SEQ_LATE.rd_ack      = rx_cnt_rd_ack[26];
    assign hwif_in.SEQ_LATE.rd_data.value      = rx_cnt_rd_data;
    assign rx_cnt_rd_req[27] = hwif_out.ITCH_UNKNOWN.req;
    assign hwif_in.ITCH_UNKNOWN.rd_ack  = rx_cnt_rd_ack[27];
    assign hwif_in.ITCH_UNKNOWN.rd_data.value  = rx_cnt_rd_data;
    assign rx_cnt_rd_req[28] = hwif_out.ITCH_LEN_ERR.req;
    assign hwif_in.ITCH_LEN_ERR.rd_ack  = rx_cnt_rd_ack[28];
    assign hwif_in.ITCH_LEN_ERR.rd_data.value  = rx_cnt_rd_data;
    assign rx_cnt_rd_req[29] = hwif_out.ITCH_FILTERED.req;
    assign hwif_in.ITCH_FILTERED.rd_ack = rx_cnt_rd_ack[29];
    assign hwif_in.ITCH_FILTERED.rd_data.value = rx_cnt_rd_data;
    assign hwif_in.CLOCK_TIME_LO.ns.next      = clk_time_lo;
    assign hwif_in.CLOCK_TIME_HI.ns.next      = clk_time_hi;
    assign hwif_in.CLOCK_STATUS.busy.next     = clk_busy;
    assign hwif_in.CLOCK_INC_CUR_FRAC.frac.next = clk_inc_cur[31:0];
    assign hwif_in.CLOCK_INC_CUR_NS.ns.next   = clk_inc_cur[39:32];
    assign hwif_in.CLOCK_INC_NOM_FRAC.frac.next = CLOCK_INC_NOM[31:0];
    assign hwif_in.CLOCK_INC_NOM_NS.ns.next   = CLOCK_INC_NOM[39:32];
    assign hwif_in.CLOCK_CMD_DROPPED.count.next = clk_cmd_dropped_q;
    assign hwif_in.FLOW_STATUS.commit_pending.next = flow_pending;
    assign hwif_in.FLOW_VERSION.count.next    = flow_version;
    assign hwif_in.FLOW_WR_REJECTED.count.next = flow_wr_rejected_q;
    assign hwif_in.FLOW_EVENTS_LOST.count.next = flow_lost;
    assign hwif_in.DMA_WRITES.value.next      = dma_writes_q;
    assign hwif_in.DMA_BRESP_ERR.value.next   = dma_bresp_err_q;
    assign hwif_in.DMA_BAD_RING.value.next    = dma_bad_ring_q;

    // CSRs: a registered AXI4-Lite front end (every path from the s_axil_* inputs ends at a flop)
    // in front of the register block (PeakRDL-regblock, passthrough CPU interface, registered
    // read-back fan-in and response) and the external blocks (ring registers, flow rules,
    // latency histograms), whose windows it decodes itself.
    logic        cpuif_req, cpuif_req_is_wr, cpuif_req_stall_wr, cpuif_req_stall_rd;
    logic        cpuif_rd_ack, cpuif_rd_err, cpuif_wr_ack, cpuif_wr_err;
    logic [TW_REGS_MIN_ADDR_WIDTH-1:0] cpuif_addr;
    logic [31:0] cpuif_wr_data, cpuif_wr_biten, cpuif_rd_data;
    tw_csr_front #(.ADDR_W(AXIL_ADDR_W), .REGS_ADDR_W(TW_REGS_MIN_ADDR_WIDTH), .RINGS(RINGS)) u_csr_front (
        .clk(clk), .rst(rst),
        .s_axil_awvalid(s_axil_awvalid), .s_axil_awready(s_axil_awready), .s_axil_awaddr(s_axil_awaddr),
        .s_axil_wvalid(s_axil_wvalid), .s_axil_wready(s_axil_wready), .s_axil_wdata(s_axil_wdata),
        .s_axil_wstrb(s_axil_wstrb), .s_axil_bvalid(s_axil_bvalid), .s_axil_bready(s_axil_bready),
        .s_axil_bresp(s_axil_bresp), .s_axil_arvalid(s_axil_arvalid), .s_axil_arready(s_axil_arready),
        .s_axil_araddr(s_axil_araddr), .s_axil_rvalid(s_axil_rvalid), .s_axil_rready(s_axil_rready),
        .s_axil_rdata(s_axil_rdata), .s_axil_rresp(s_axil_rresp),
        .m_cpuif_req(cpuif_req), .m_cpuif_req_is_wr(cpuif_req_is_wr), .m_cpuif_addr(cpuif_addr),
        .m_cpuif_wr_data(cpuif_wr_data), .m_cpuif_wr_biten(cpuif_wr_biten),
        .m_cpuif_req_stall_wr(cpuif_req_stall_wr), .m_cpuif_req_stall_rd(cpuif_req_stall_rd),
        .m_cpuif_rd_ack(cpuif_rd_ack), .m_cpuif_rd_err(cpuif_rd_err), .m_cpuif_rd_data(cpuif_rd_data),
        .m_cpuif_wr_ack(cpuif_wr_ack), .m_cpuif_wr_err(cpuif_wr_err),
        .m_ext_req_is_wr(ext_req_is_wr), .m_ext_addr(ext_addr), .m_ext_wr_data(ext_wr_data),
        .m_ext_wr_biten(ext_wr_biten),
        .m_ring_req(ring_req), .m_ring_rd_ack(|ring_rd_ack), .m_ring_rd_data(ring_rd_data_or),
        .m_ring_wr_ack(|ring_wr_ack),
        .m_flow_req(flow_req), .m_flow_rd_ack(flow_rd_ack), .m_flow_rd_data(flow_rd_data),
        .m_flow_wr_ack(flow_wr_ack),
        .m_hist_req(hist_req), .m_hist_rd_ack(hist_rd_ack), .m_hist_rd_data(hist_rd_data),
        .m_hist_wr_ack(hist_wr_ack)
    );
    tw_regs u_regs (
        .clk(clk), .rst(rst),
        .s_cpuif_req(cpuif_req), .s_cpuif_req_is_wr(cpuif_req_is_wr), .s_cpuif_addr(cpuif_addr),
        .s_cpuif_wr_data(cpuif_wr_data), .s_cpuif_wr_biten(cpuif_wr_biten),
        .s_cpuif_req_stall_wr(cpuif_req_stall_wr), .s_cpuif_req_stall_rd(cpuif_req_stall_rd),
        .s_cpuif_rd_ack(cpuif_rd_ack), .s_cpuif_rd_err(cpuif_rd_err), .s_cpuif_rd_data(cpuif_rd_data),
        .s_cpuif_wr_ack(cpuif_wr_ack), .s_cpuif_wr_err(cpuif_wr_err),
        .hwif_in(hwif_in), .hwif_out(hwif_out)
    );

    // Header fields no stage uses (yet): MACs, the outer VLAN, UDP source port and length.
    logic unused_hdr;
    assign unused_hdr = ^{hdr_eth_dst, hdr_eth_src, hdr_vlan_tags, hdr_vlan_outer_vid, hdr_udp_src_port,
                          hdr_udp_length, f_rule, f_hit, s_axis_ts};
    // AXI-Lite protection bits; the external blocks' address bits above their windows
    logic unused_csr;
    assign unused_csr = ^{s_axil_awprot, s_axil_arprot, ext_addr[13:12]};

`ifndef SYNTHESIS
    always_ff @(posedge rx_clk) begin
        if (!rx_rst && s_axis_tvalid && pass_now && !par_ready)
            $error("tw_core: header parser stalled the MAC stream (a beat was lost)");
        if (!rx_rst && $isunknown(s_axis_tvalid))
            $error("tw_core: X on s_axis_tvalid");
    end
`endif
endmodule
`default_nettype wire
`resetall
