// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_shell_d5005: the body of the D5005 AFU (hdl/shells/d5005/tw_afu_d5005.sv, ofs_plat_afu):
// tw_core between the PIM's interfaces, taken as interface ports (as the PIM examples'
// hello_world_axi takes them) so that their widths are read from the interfaces' parameters.
// Clocks and resets: see tw_afu_d5005.sv.
module tw_shell_d5005 #(
    // Set by bitstreams/d5005/build.sh (Quartus: set_parameter -name BUILD_ID on the top's
    // u_shell instance, bitstreams/d5005/tw_afu_d5005.qsf).
    parameter logic [31:0] BUILD_ID = tw_card_pkg::BUILD_ID_LATEST
) (
    ofs_plat_axi_mem_if.to_sink         host_mem,
    ofs_plat_axi_mem_lite_if.to_source  mmio64,
    ofs_fim_eth_rx_axis_if.slave        eth_rx,
    input  wire                         eth_tx_tready,
    ofs_fim_eth_sideband_rx_axis_if.slave eth_sb_rx
);
    localparam int RINGS    = 4;
    localparam int AXI_ID_W = 4;
    localparam int AXIL_AW  = 14;
    // The AFU's id, from hdl/regs/card.toml (afu.uuid; the AFU JSON's accelerator-type-uuid must
    // equal it: shells-check), read by OPAE and by the driver from the AFU header (tw_mmio64_to_axil).
    localparam logic [127:0] AFU_ID = tw_card_pkg::AFU_ID;
    // tw_core's CSRs in the AFU's MMIO space (behind the AFU header at 0), card.toml afu.csr_offset:
    // the driver reads the header, then uses this window.
    localparam int CSR_BASE = int'(tw_card_pkg::AFU_CSR_BASE);
    // ns per rx_clk cycle, 8.32 fixed point: 6.4 ns at 156.25 MHz
    localparam logic [39:0] CLOCK_INC_NOM = 40'h06_6666_6666;

    // tw_core takes every beat (a MAC cannot be stalled; the core counts what it drops).
    assign eth_rx.tready = 1'b1;

    // ------------------------------------------------------------------ clocks and resets
    logic clk, rst, rx_clk, rx_rst;
    assign clk    = host_mem.clk;
    assign rx_clk = eth_rx.clk;

    tw_reset_sync u_rst    (.clk(clk),    .arst(!host_mem.reset_n || !eth_rx.rst_n), .rst(rst));
    tw_reset_sync u_rx_rst (.clk(rx_clk), .arst(rst || !eth_rx.rst_n),                .rst(rx_rst));

    // ------------------------------------------------------------------ MMIO -> CSRs
    logic [AXIL_AW-1:0] csr_awaddr, csr_araddr;
    logic        csr_awvalid, csr_awready, csr_wvalid, csr_wready, csr_bvalid, csr_bready;
    logic        csr_arvalid, csr_arready, csr_rvalid, csr_rready;
    logic [31:0] csr_wdata, csr_rdata;
    logic [3:0]  csr_wstrb;
    logic [1:0]  csr_bresp, csr_rresp;

    tw_mmio64_to_axil #(
        .ADDR_W(mmio64.ADDR_WIDTH), .ID_W(mmio64.WID_WIDTH), .USER_W(mmio64.USER_WIDTH),
        .AXIL_ADDR_W(AXIL_AW), .CSR_BASE(CSR_BASE), .AFU_ID(AFU_ID)
    ) u_mmio (
        .clk(clk), .rst(rst),
        .s_axil_awvalid(mmio64.awvalid), .s_axil_awready(mmio64.awready), .s_axil_awid(mmio64.aw.id),
        .s_axil_awaddr(mmio64.aw.addr), .s_axil_awuser(mmio64.aw.user),
        .s_axil_wvalid(mmio64.wvalid), .s_axil_wready(mmio64.wready), .s_axil_wdata(mmio64.w.data),
        .s_axil_wstrb(mmio64.w.strb),
        .s_axil_bvalid(mmio64.bvalid), .s_axil_bready(mmio64.bready), .s_axil_bid(mmio64.b.id),
        .s_axil_bresp(mmio64.b.resp), .s_axil_buser(mmio64.b.user),
        .s_axil_arvalid(mmio64.arvalid), .s_axil_arready(mmio64.arready), .s_axil_arid(mmio64.ar.id),
        .s_axil_araddr(mmio64.ar.addr), .s_axil_aruser(mmio64.ar.user),
        .s_axil_rvalid(mmio64.rvalid), .s_axil_rready(mmio64.rready), .s_axil_rid(mmio64.r.id),
        .s_axil_rdata(mmio64.r.data), .s_axil_rresp(mmio64.r.resp), .s_axil_ruser(mmio64.r.user),
        .m_axil_awvalid(csr_awvalid), .m_axil_awready(csr_awready), .m_axil_awaddr(csr_awaddr),
        .m_axil_wvalid(csr_wvalid), .m_axil_wready(csr_wready), .m_axil_wdata(csr_wdata),
        .m_axil_wstrb(csr_wstrb), .m_axil_bvalid(csr_bvalid), .m_axil_bready(csr_bready),
        .m_axil_bresp(csr_bresp), .m_axil_arvalid(csr_arvalid), .m_axil_arready(csr_arready),
        .m_axil_araddr(csr_araddr), .m_axil_rvalid(csr_rvalid), .m_axil_rready(csr_rready),
        .m_axil_rdata(csr_rdata), .m_axil_rresp(csr_rresp)
    );

    // ------------------------------------------------------------------ DMA -> host memory
    localparam int HOST_AW = host_mem.ADDR_WIDTH;
    localparam int HOST_ID_W = host_mem.WID_WIDTH;
    if (HOST_ID_W < AXI_ID_W) begin : gen_bad_id_w
        initial $fatal(1, "tw_afu_d5005: the host channel's AXI id (%0d bits) is narrower than tw_core's (%0d)",
                       HOST_ID_W, AXI_ID_W);
    end
    if (host_mem.DATA_WIDTH != 512) begin : gen_bad_data_w
        initial $fatal(1, "tw_afu_d5005: the host channel's AXI data is %0d bits, tw_core writes 512",
                       host_mem.DATA_WIDTH);
    end

    logic [AXI_ID_W-1:0] dma_awid, dma_bid;
    logic [63:0]  dma_awaddr;
    logic [7:0]   dma_awlen;
    logic [2:0]   dma_awsize, dma_awprot;
    logic [1:0]   dma_awburst, dma_bresp;
    logic         dma_awlock, dma_awvalid, dma_awready;
    logic [3:0]   dma_awcache;
    logic [511:0] dma_wdata;
    logic [63:0]  dma_wstrb;
    logic         dma_wlast, dma_wvalid, dma_wready, dma_bvalid, dma_bready;

    // As the PIM asks: zero the whole struct, then set the fields (new fields stay 0).
    always_comb begin
        host_mem.aw       = '0;
        host_mem.aw.id    = HOST_ID_W'(dma_awid);
        host_mem.aw.addr  = dma_awaddr[HOST_AW-1:0];   // IOVAs fit the host channel's width
        host_mem.aw.len   = dma_awlen[host_mem.BURST_CNT_WIDTH-1:0];   // always 0: one beat per tick
        host_mem.aw.size  = dma_awsize;
        host_mem.aw.burst = dma_awburst;
        host_mem.aw.prot  = dma_awprot;
        host_mem.aw.cache = dma_awcache;
        host_mem.aw.lock  = dma_awlock;
        host_mem.w        = '0;
        host_mem.w.data   = dma_wdata;
        host_mem.w.strb   = dma_wstrb;
        host_mem.w.last   = dma_wlast;
    end
    assign host_mem.awvalid = dma_awvalid;
    assign dma_awready      = host_mem.awready;
    assign host_mem.wvalid  = dma_wvalid;
    assign dma_wready       = host_mem.wready;
    assign dma_bvalid       = host_mem.bvalid;
    assign dma_bid          = host_mem.b.id[AXI_ID_W-1:0];
    assign dma_bresp        = host_mem.b.resp;
    assign host_mem.bready  = dma_bready;
    // tw_core never reads host memory
    assign host_mem.arvalid = 1'b0;
    assign host_mem.ar      = '0;
    assign host_mem.rready  = 1'b1;

    // ------------------------------------------------------------------ the core
    logic [RINGS-1:0] core_irq;

    tw_core #(
        .DATA_W(64), .AXIL_ADDR_W(AXIL_AW), .AXI_ADDR_W(64), .AXI_DATA_W(512), .AXI_ID_W(AXI_ID_W),
        .RINGS(RINGS), .RULES(64), .BUILD_ID(BUILD_ID), .CLOCK_INC_NOM(CLOCK_INC_NOM), .EXT_TS_EN(1'b0),
        .FIFO_DEPTH(64), .MAX_OUTSTANDING(8)
    ) u_core (
        .rx_clk(rx_clk), .rx_rst(rx_rst),
        .s_axis_tdata(eth_rx.rx.tdata), .s_axis_tkeep(eth_rx.rx.tkeep), .s_axis_tvalid(eth_rx.rx.tvalid),
        .s_axis_tlast(eth_rx.rx.tlast), .s_axis_tuser(|eth_rx.rx.tuser.error), .s_axis_ts(64'd0),
        .clk(clk), .rst(rst),
        .s_axil_awvalid(csr_awvalid), .s_axil_awready(csr_awready), .s_axil_awaddr(csr_awaddr),
        .s_axil_awprot(3'b000), .s_axil_wvalid(csr_wvalid), .s_axil_wready(csr_wready),
        .s_axil_wdata(csr_wdata), .s_axil_wstrb(csr_wstrb), .s_axil_bvalid(csr_bvalid),
        .s_axil_bready(csr_bready), .s_axil_bresp(csr_bresp), .s_axil_arvalid(csr_arvalid),
        .s_axil_arready(csr_arready), .s_axil_araddr(csr_araddr), .s_axil_arprot(3'b000),
        .s_axil_rvalid(csr_rvalid), .s_axil_rready(csr_rready), .s_axil_rdata(csr_rdata),
        .s_axil_rresp(csr_rresp),
        .m_axi_awid(dma_awid), .m_axi_awaddr(dma_awaddr), .m_axi_awlen(dma_awlen), .m_axi_awsize(dma_awsize),
        .m_axi_awburst(dma_awburst), .m_axi_awlock(dma_awlock), .m_axi_awcache(dma_awcache),
        .m_axi_awprot(dma_awprot), .m_axi_awvalid(dma_awvalid), .m_axi_awready(dma_awready),
        .m_axi_wdata(dma_wdata), .m_axi_wstrb(dma_wstrb), .m_axi_wlast(dma_wlast), .m_axi_wvalid(dma_wvalid),
        .m_axi_wready(dma_wready), .m_axi_bid(dma_bid), .m_axi_bresp(dma_bresp), .m_axi_bvalid(dma_bvalid),
        .m_axi_bready(dma_bready),
        .irq(core_irq)
    );

    // Not used: interrupts (see the header), the upper awaddr bits (zero for any IOVA the host
    // channel can address), the sideband RX stream, the TX stream's ready, MMIO prot.
    logic unused;
    assign unused = ^{core_irq, dma_awaddr, dma_awlen, eth_sb_rx.sb, eth_tx_tready,
                      mmio64.aw.prot, mmio64.aw.size, mmio64.ar.prot, mmio64.ar.size, mmio64.w.user,
                      host_mem.b.user, host_mem.b.id, host_mem.clk, host_mem.reset_n, host_mem.r, host_mem.rvalid, host_mem.arready};
endmodule
`default_nettype wire
`resetall
