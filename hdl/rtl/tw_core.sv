// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_core: the vendor-neutral tickwire core. MAC AXI-Stream in (rx_clk), AXI4-Lite CSRs and an
// AXI4 write master for tick DMA (clk). Ethernet/VLAN/IPv4/UDP -> MoldUDP64 -> 64-byte ticks
// -> async FIFO -> DMA into host rings.
module tw_core #(
    parameter int          DATA_W          = 64,            // MAC stream width (64 only, for now)
    parameter int          AXIL_ADDR_W     = 13,            // CSR window: 8 KiB
    parameter int          AXI_ADDR_W      = 64,
    parameter int          AXI_DATA_W      = 512,           // one 64-byte tick per beat
    parameter int          AXI_ID_W        = 4,
    parameter int          RINGS           = 4,             // rings implemented, 1..32 (the CSR map has 32)
    parameter logic [31:0] BUILD_ID        = 32'h0,
    parameter logic [31:0] TS_INC          = 32'h031A_6032, // ns per rx_clk cycle, 8.24 fixed point
    parameter int          FIFO_DEPTH      = 16,            // ticks buffered across the clock crossing
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
    endgenerate

    tw_regs__in_t  hwif_in;
    tw_regs__out_t hwif_out;

    // ------------------------------------------------------------------ rx_clk domain
    logic [63:0] rx_ts;
    tw_ts_counter #(.INC(TS_INC)) u_ts (.clk(rx_clk), .rst(rx_rst), .ns(rx_ts));

    logic rx_enable;
    tw_cdc_sync u_sync_rx_enable (.clk(rx_clk), .rst(rx_rst), .d(hwif_out.CTRL.rx_enable.value), .q(rx_enable));

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
    logic        hdr_valid, hdr_ready;
    logic [63:0] hdr_ts;
    logic [47:0] hdr_eth_dst, hdr_eth_src;
    logic        hdr_vlan_valid;
    logic [11:0] hdr_vlan_vid;
    logic [31:0] hdr_ip_src, hdr_ip_dst;
    logic [15:0] hdr_udp_src_port, hdr_udp_dst_port, hdr_udp_length;
    logic [63:0] pl_tdata;
    logic [7:0]  pl_tkeep;
    logic        pl_tvalid, pl_tready, pl_tlast, pl_tuser;
    logic        par_busy, ev_not_udp, ev_bad_hdr, ev_mac_err;

    tw_eth_udp_rx #(.DATA_W(DATA_W), .TS_W(64)) u_eth_udp_rx (
        .clk(rx_clk), .rst(rx_rst),
        .s_axis_tdata(s_axis_tdata), .s_axis_tkeep(s_axis_tkeep), .s_axis_tvalid(s_axis_tvalid && pass_now),
        .s_axis_tready(par_ready), .s_axis_tlast(s_axis_tlast), .s_axis_tuser(s_axis_tuser), .s_ts(rx_ts),
        .m_hdr_valid(hdr_valid), .m_hdr_ready(hdr_ready), .m_hdr_ts(hdr_ts),
        .m_hdr_eth_dst(hdr_eth_dst), .m_hdr_eth_src(hdr_eth_src),
        .m_hdr_vlan_valid(hdr_vlan_valid), .m_hdr_vlan_vid(hdr_vlan_vid),
        .m_hdr_ip_src(hdr_ip_src), .m_hdr_ip_dst(hdr_ip_dst),
        .m_hdr_udp_src_port(hdr_udp_src_port), .m_hdr_udp_dst_port(hdr_udp_dst_port),
        .m_hdr_udp_length(hdr_udp_length),
        .m_axis_tdata(pl_tdata), .m_axis_tkeep(pl_tkeep), .m_axis_tvalid(pl_tvalid), .m_axis_tready(pl_tready),
        .m_axis_tlast(pl_tlast), .m_axis_tuser(pl_tuser),
        .busy(par_busy), .err_not_udp(ev_not_udp), .err_bad_hdr(ev_bad_hdr), .err_mac(ev_mac_err)
    );

    logic        df_valid, df_cur_end, df_abort, df_new, df_head, df_session;
    logic [63:0] df_data, df_ts, df_pkt_seq;
    logic [7:0]  df_keep, df_cur_en;
    logic [15:0] df_cur_base, df_new_len, df_new_idx;
    logic [2:0]  df_head_lane;
    logic [79:0] df_session_id;
    logic        df_busy, ev_pkt, ev_msg, ev_mold_err, ev_session;

    tw_mold_deframer #(.TS_W(64)) u_mold_deframer (
        .clk(rx_clk), .rst(rx_rst),
        .s_hdr_valid(hdr_valid), .s_hdr_ready(hdr_ready), .s_hdr_ts(hdr_ts),
        .s_axis_tdata(pl_tdata), .s_axis_tkeep(pl_tkeep), .s_axis_tvalid(pl_tvalid), .s_axis_tready(pl_tready),
        .s_axis_tlast(pl_tlast),
        .m_valid(df_valid), .m_data(df_data), .m_cur_en(df_cur_en), .m_cur_base(df_cur_base),
        .m_cur_end(df_cur_end), .m_abort(df_abort), .m_new(df_new), .m_new_len(df_new_len),
        .m_new_idx(df_new_idx), .m_head(df_head), .m_head_lane(df_head_lane), .m_keep(df_keep),
        .m_ts(df_ts), .m_pkt_seq(df_pkt_seq), .m_session(df_session), .m_session_id(df_session_id),
        .busy(df_busy), .ev_pkt(ev_pkt), .ev_msg(ev_msg), .ev_err(ev_mold_err), .ev_session(ev_session)
    );

    logic                    tick_valid;
    logic [8*TICK_BYTES-1:0] tick;
    tw_tick_packer #(.TS_W(64)) u_tick_packer (
        .clk(rx_clk), .rst(rx_rst),
        .s_valid(df_valid), .s_data(df_data), .s_keep(df_keep), .s_cur_en(df_cur_en),
        .s_cur_base(df_cur_base), .s_cur_end(df_cur_end), .s_abort(df_abort), .s_new(df_new),
        .s_new_len(df_new_len), .s_new_idx(df_new_idx), .s_head(df_head), .s_head_lane(df_head_lane),
        .s_ts(df_ts), .s_pkt_seq(df_pkt_seq), .s_session(df_session), .s_session_id(df_session_id),
        .line(8'd0),
        .m_valid(tick_valid), .m_tick(tick)
    );

    // ------------------------------------------------------------------ rx_clk -> clk
    // A tick that finds the FIFO full is dropped and counted, and the next tick that gets in
    // carries LOSS: nothing is lost silently.
    logic                    fifo_s_ready, fifo_m_valid, fifo_m_ready, ev_overflow, ovf_pending_q;
    logic [8*TICK_BYTES-1:0] fifo_m_tick, fifo_s_tick;
    assign ev_overflow = tick_valid && !fifo_s_ready;
    always_comb begin
        fifo_s_tick = tick;
        fifo_s_tick[8*TICK_FLAGS_OFF + TICK_FLAG_LOSS] = ovf_pending_q;
    end
    always_ff @(posedge rx_clk) begin
        if (rx_rst)                            ovf_pending_q <= 1'b0;
        else if (ev_overflow)                  ovf_pending_q <= 1'b1;
        else if (tick_valid && fifo_s_ready)   ovf_pending_q <= 1'b0;
    end
    tw_async_fifo #(.W(8 * TICK_BYTES), .DEPTH(FIFO_DEPTH)) u_tick_fifo (
        .s_clk(rx_clk), .s_rst(rx_rst), .s_data(fifo_s_tick), .s_valid(tick_valid), .s_ready(fifo_s_ready),
        .m_clk(clk), .m_rst(rst), .m_data(fifo_m_tick), .m_valid(fifo_m_valid), .m_ready(fifo_m_ready)
    );

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
    for (genvar r = 0; r < 32; r++) begin : gen_ring_regs
        if (r < RINGS) begin : gen_present
            tw_ring_regs #(.PRESENT(1'b1)) u_ring_regs (
                .clk(clk), .rst(rst),
                .req(hwif_out.RING[r].req), .req_is_wr(hwif_out.RING[r].req_is_wr), .addr(hwif_out.RING[r].addr),
                .wr_data(hwif_out.RING[r].wr_data), .wr_biten(hwif_out.RING[r].wr_biten),
                .rd_ack(hwif_in.RING[r].rd_ack), .rd_data(hwif_in.RING[r].rd_data), .wr_ack(hwif_in.RING[r].wr_ack),
                .base(ring_base[r]), .slots(ring_slots[r]), .enable(ring_enable[r]), .cons(ring_cons[r]),
                .wb_addr(ring_wb_addr[r]), .wb_enable(ring_wb_en[r]), .irq_enable(ring_irq_en[r]),
                .wb_every(ring_wb_every[r]),
                .st_idle(ring_idle[r]), .st_cfg_error(ring_cfg_err[r]), .st_dma_error(ring_dma_err[r]),
                .st_prod(ring_prod[r]), .st_drops(ring_drops[r]), .st_irqs(ring_irqs[r])
            );
        end else begin : gen_absent
            // An absent ring's configuration outputs are constant zero and go nowhere.
            /* verilator lint_off UNUSEDSIGNAL */
            logic [63:0] nc_base, nc_wb_addr;
            logic [31:0] nc_slots, nc_cons;
            logic [15:0] nc_wb_every;
            logic        nc_enable, nc_wb_en, nc_irq_en;
            /* verilator lint_on UNUSEDSIGNAL */
            tw_ring_regs #(.PRESENT(1'b0)) u_ring_regs (
                .clk(clk), .rst(rst),
                .req(hwif_out.RING[r].req), .req_is_wr(hwif_out.RING[r].req_is_wr), .addr(hwif_out.RING[r].addr),
                .wr_data(hwif_out.RING[r].wr_data), .wr_biten(hwif_out.RING[r].wr_biten),
                .rd_ack(hwif_in.RING[r].rd_ack), .rd_data(hwif_in.RING[r].rd_data), .wr_ack(hwif_in.RING[r].wr_ack),
                .base(nc_base), .slots(nc_slots), .enable(nc_enable), .cons(nc_cons),
                .wb_addr(nc_wb_addr), .wb_enable(nc_wb_en), .irq_enable(nc_irq_en), .wb_every(nc_wb_every),
                .st_idle(1'b1), .st_cfg_error(1'b0), .st_dma_error(1'b0), .st_prod(32'd0), .st_drops(32'd0),
                .st_irqs(32'd0)
            );
        end
    end

    logic ev_write, ev_bresp_err, ev_bad_ring;
    tw_dma_writer #(
        .AXI_ADDR_W(AXI_ADDR_W), .AXI_DATA_W(AXI_DATA_W), .AXI_ID_W(AXI_ID_W), .MAX_OUTSTANDING(MAX_OUTSTANDING),
        .RINGS(RINGS)
    ) u_dma_writer (
        .clk(clk), .rst(rst),
        .s_tick_valid(fifo_m_valid), .s_tick_ready(fifo_m_ready), .s_tick(fifo_m_tick),
        .s_tick_ring(hwif_out.RX_RING.ring.value),
        .cfg_base(ring_base), .cfg_slots(ring_slots), .cfg_enable(ring_enable), .cfg_cons(ring_cons),
        .st_prod(ring_prod), .st_drops(ring_drops), .st_idle(ring_idle), .st_cfg_error(ring_cfg_err),
        .st_dma_error(ring_dma_err),
        .cfg_wb_addr(ring_wb_addr), .cfg_wb_en(ring_wb_en), .cfg_irq_en(ring_irq_en), .cfg_wb_every(ring_wb_every),
        .st_irqs(ring_irqs), .irq(irq),
        .ev_write(ev_write), .ev_bresp_err(ev_bresp_err), .ev_bad_ring(ev_bad_ring),
        .m_axi_awid(m_axi_awid), .m_axi_awaddr(m_axi_awaddr), .m_axi_awlen(m_axi_awlen),
        .m_axi_awsize(m_axi_awsize), .m_axi_awburst(m_axi_awburst), .m_axi_awlock(m_axi_awlock),
        .m_axi_awcache(m_axi_awcache), .m_axi_awprot(m_axi_awprot), .m_axi_awvalid(m_axi_awvalid),
        .m_axi_awready(m_axi_awready), .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(m_axi_wstrb),
        .m_axi_wlast(m_axi_wlast), .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready),
        .m_axi_bid(m_axi_bid), .m_axi_bresp(m_axi_bresp), .m_axi_bvalid(m_axi_bvalid), .m_axi_bready(m_axi_bready)
    );

    // ------------------------------------------------------------------ counters
    logic [31:0] dma_writes_q, dma_bresp_err_q, dma_bad_ring_q;
    always_ff @(posedge clk) begin
        if (rst) begin
            dma_writes_q    <= '0;
            dma_bresp_err_q <= '0;
            dma_bad_ring_q  <= '0;
        end else begin
            dma_writes_q    <= dma_writes_q + 32'(ev_write);
            dma_bresp_err_q <= dma_bresp_err_q + 32'(ev_bresp_err);
            dma_bad_ring_q  <= dma_bad_ring_q + 32'(ev_bad_ring);
        end
    end

    localparam int NRX = 10;
    logic [NRX-1:0] rx_ev;
    logic [31:0]    rx_cnt [NRX];
    assign rx_ev = {ev_overflow, ev_session, ev_mold_err, ev_msg, ev_pkt,
                    ev_bad_hdr, ev_not_udp, ev_mac_err, ev_disabled, ev_frame};
    for (genvar i = 0; i < NRX; i++) begin : gen_rx_counter
        tw_cdc_counter #(.W(32)) u_cnt (
            .src_clk(rx_clk), .src_rst(rx_rst), .inc(rx_ev[i]),
            .dst_clk(clk), .dst_rst(rst), .count(rx_cnt[i])
        );
    end

    assign hwif_in.BUILD_ID.value.next        = BUILD_ID;
    assign hwif_in.CAPS.rings.next            = 8'(RINGS);
    assign hwif_in.CAPS.rules.next            = 8'd0;
    assign hwif_in.CAPS.data_bytes.next       = 8'(DATA_W / 8);
    assign hwif_in.STATUS.rx_idle.next        = !rx_busy_sync && !fifo_m_valid;
    assign hwif_in.RX_FRAMES.value.next       = rx_cnt[0];
    assign hwif_in.RX_DISABLED.value.next     = rx_cnt[1];
    assign hwif_in.RX_MAC_ERR.value.next      = rx_cnt[2];
    assign hwif_in.RX_NOT_UDP.value.next      = rx_cnt[3];
    assign hwif_in.RX_BAD_HDR.value.next      = rx_cnt[4];
    assign hwif_in.MOLD_PKTS.value.next       = rx_cnt[5];
    assign hwif_in.MOLD_MSGS.value.next       = rx_cnt[6];
    assign hwif_in.MOLD_ERR.value.next        = rx_cnt[7];
    assign hwif_in.MOLD_SESSIONS.value.next   = rx_cnt[8];
    assign hwif_in.TICK_OVERFLOW.value.next   = rx_cnt[9];
    assign hwif_in.DMA_WRITES.value.next      = dma_writes_q;
    assign hwif_in.DMA_BRESP_ERR.value.next   = dma_bresp_err_q;
    assign hwif_in.DMA_BAD_RING.value.next    = dma_bad_ring_q;

    tw_regs u_regs (
        .clk(clk), .rst(rst),
        .s_axil_awready(s_axil_awready), .s_axil_awvalid(s_axil_awvalid), .s_axil_awaddr(s_axil_awaddr),
        .s_axil_awprot(s_axil_awprot), .s_axil_wready(s_axil_wready), .s_axil_wvalid(s_axil_wvalid),
        .s_axil_wdata(s_axil_wdata), .s_axil_wstrb(s_axil_wstrb), .s_axil_bready(s_axil_bready),
        .s_axil_bvalid(s_axil_bvalid), .s_axil_bresp(s_axil_bresp), .s_axil_arready(s_axil_arready),
        .s_axil_arvalid(s_axil_arvalid), .s_axil_araddr(s_axil_araddr), .s_axil_arprot(s_axil_arprot),
        .s_axil_rready(s_axil_rready), .s_axil_rvalid(s_axil_rvalid), .s_axil_rdata(s_axil_rdata),
        .s_axil_rresp(s_axil_rresp),
        .hwif_in(hwif_in), .hwif_out(hwif_out)
    );

    // Header fields the thin slice does not use yet (flow filter, feeds: later).
    logic unused_hdr;
    assign unused_hdr = ^{hdr_eth_dst, hdr_eth_src, hdr_vlan_valid, hdr_vlan_vid, hdr_ip_src, hdr_ip_dst,
                          hdr_udp_src_port, hdr_udp_dst_port, hdr_udp_length, pl_tuser};

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
