// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_shell_alveo: the board-independent body of the Alveo shells (tw_shell_au250, tw_shell_au55c,
// tw_shell_au280): tw_core between the AMD 10G/25G Ethernet Subsystem on one QSFP28 lane
// (10GBASE-R, receive only) and the AMD DMA/Bridge Subsystem for PCIe in AXI Bridge mode
// (Gen3 x16). Each board's top (hdl/shells/<board>/) has the board's own ports, drives its board
// signals (QSFP module control, HBM_CATTRIP) and instantiates this with the board's parameters;
// the vendor IP's board settings (part, GT site, reference clock frequency) are in
// bitstreams/<board>/board.tcl, read by the shared recipe bitstreams/alveo_ip.tcl.
//
//   QSFP0 lane 0 --> xxv_ethernet_0 (MAC+PCS/PMA 64-bit, RX FIFO) --AXIS 64b, rx_clk--> tw_core
//   host <--PCIe x16--> xdma_0 (AXI Bridge)
//        BAR0 -> M_AXI_B (AXI4, 512b) -> tw_axi_to_axil -> tw_core CSRs (AXI4-Lite, clk)
//        tw_core DMA (AXI4 write, 512b, clk) -> S_AXI_B -> PCIe memory writes to the host rings
//        tw_core irq (pulse per ring) -> tw_irq_req -> usr_irq_req (MSI)
//
// Clocks (docs/hardware.md, "Clocks and resets"):
//   clk    = xdma axi_aclk, 250 MHz (Gen3 x16 with a 512-bit AXI interface).
//   rx_clk = xxv tx_clk_out_0, 156.25 MHz on every board (10GBASE-R, 64-bit datapath: 10.3125
//            Gb/s / 66), derived from the QSFP0 reference clock (156.25 MHz on the U250 and U280,
//            161.1328125 MHz on the U55C) through the transceiver's TX PLL. With the MAC's RX FIFO
//            included, the RX AXI4-Stream is clocked by rx_core_clk_0, which PG210 lets us drive
//            from tx_clk_out_0: the core's receive domain then runs from the card's own
//            oscillator, without a gap or a glitch when the link or the module goes away, which
//            the core's reset rule needs (below). The cost is the MAC's RX FIFO in front of the
//            parser (a few cycles); the FIFO-less low-latency alternative (rx_core_clk_0 =
//            rx_clk_out_0, the recovered clock) is left until a card can show how that clock
//            behaves on loss of signal.
//   dclk   = board clock / SYSCLK_DIV = 100 MHz (BUFGCE_DIV): the MAC's free-running GT DRP /
//            reset clock (GT_DRP_CLK in bitstreams/alveo_ip.tcl must match). U250: 300 MHz / 3;
//            U55C, U280: 100 MHz / 1.
// Resets: tw_core requires rst and rx_rst to be asserted together (tw_async_fifo,
// tw_cdc_handshake, tw_flow_filter): a receive-side reset alone would let the clk side read
// stale FIFO slots as ticks. So neither domain is ever reset alone:
//   rst    <- sync_clk( !axi_aresetn | user_tx_reset_0 )   held >= 16 clk cycles
//   rx_rst <- sync_rx ( rst          | user_tx_reset_0 )   follows rst, released after it
// The MAC's user_tx_reset_0 is high only until its transceiver comes up after configuration
// (this shell never resets the MAC again), and rx_clk does not run before that, so rx_rst can
// always take effect while rst is high. A PCIe reset (PERST#, hot reset, link down) resets the
// core, CSRs included, as the host expects. Link flaps on the QSFP do not reset anything: the
// MAC just stops delivering frames (user_rx_reset_0 is not used).
module tw_shell_alveo #(
    // Set by the recipe (synth_design -generic on the board's top) from the build's BUILD_ID.
    parameter logic [31:0] BUILD_ID   = tw_card_pkg::BUILD_ID_LATEST,
    // Divider from the board clock to the 100 MHz dclk (BUFGCE_DIV: 1..8).
    parameter int          SYSCLK_DIV = 3
) (
    // PCIe edge connector, Gen3 x16 (lane 0 = pcie_*[0])
    input  wire        pcie_refclk_p,       // 100 MHz from the host
    input  wire        pcie_refclk_n,
    input  wire        pcie_perst_n,        // PERST#, active low
    input  wire [15:0] pcie_rx_p,
    input  wire [15:0] pcie_rx_n,
    output wire [15:0] pcie_tx_p,
    output wire [15:0] pcie_tx_n,

    // QSFP28 cage 0: lane 0 and its reference clock
    input  wire        qsfp0_refclk_p,
    input  wire        qsfp0_refclk_n,
    input  wire        qsfp0_rx_p,
    input  wire        qsfp0_rx_n,
    output wire        qsfp0_tx_p,
    output wire        qsfp0_tx_n,

    // Free-running LVDS board clock (SYSCLK_DIV x 100 MHz)
    input  wire        sysclk_p,
    input  wire        sysclk_n
);
    if (SYSCLK_DIV < 1 || SYSCLK_DIV > 8) begin : gen_bad_sysclk_div
        initial $fatal(1, "tw_shell_alveo: SYSCLK_DIV must be 1..8 (BUFGCE_DIV), got %0d", SYSCLK_DIV);
    end

    localparam int RINGS      = 4;
    localparam int AXI_ID_W   = 4;
    localparam int AXIL_AW    = 14;        // tw_core's CSR window (16 KiB); BAR0 aliases it
    // ns per rx_clk cycle, 8.32 fixed point: 6.4 ns at 156.25 MHz (round(6.4 * 2**32))
    localparam logic [39:0] CLOCK_INC_NOM = 40'h06_6666_6666;

    // ------------------------------------------------------------------ clocks
    logic pcie_sys_clk, pcie_sys_clk_gt;
    // As PG195's example design: O to sys_clk_gt, ODIV2 (undivided with REFCLK_HROW_CK_SEL 00)
    // to sys_clk; the IP buffers the latter itself.
    IBUFDS_GTE4 #(.REFCLK_HROW_CK_SEL(2'b00)) u_pcie_refclk_buf (
        .I(pcie_refclk_p), .IB(pcie_refclk_n), .CEB(1'b0), .O(pcie_sys_clk_gt), .ODIV2(pcie_sys_clk)
    );

    logic sysclk, dclk;
    IBUFDS #(.DIFF_TERM("FALSE")) u_sysclk_buf (.I(sysclk_p), .IB(sysclk_n), .O(sysclk));
    BUFGCE_DIV #(.BUFGCE_DIVIDE(SYSCLK_DIV)) u_dclk_buf (.I(sysclk), .CE(1'b1), .CLR(1'b0), .O(dclk));

    // Power-on reset for the MAC (dclk domain): 2**8 dclk cycles after configuration.
    logic por_rst;
    tw_reset_sync #(.HOLD_W(8)) u_por (.clk(dclk), .arst(1'b0), .rst(por_rst));

    // ------------------------------------------------------------------ Ethernet (QSFP0 lane 0)
    logic        rx_clk, rx_rst, mac_tx_rst;
    logic        mac_rx_tvalid, mac_rx_tlast, mac_rx_tuser;
    logic [63:0] mac_rx_tdata;
    logic [7:0]  mac_rx_tkeep;

    xxv_ethernet_0 u_mac (
        .gt_rxp_in_0(qsfp0_rx_p), .gt_rxn_in_0(qsfp0_rx_n), .gt_txp_out_0(qsfp0_tx_p), .gt_txn_out_0(qsfp0_tx_n),
        .gt_refclk_p(qsfp0_refclk_p), .gt_refclk_n(qsfp0_refclk_n), .gt_refclk_out(),
        // the RX AXI4-Stream runs on the TX clock (see the header)
        .rx_core_clk_0(rx_clk), .tx_clk_out_0(rx_clk), .rx_clk_out_0(),
        // 3'b101: the value the GT wizard expects; instantiations of this IP keep it
        .txoutclksel_in_0(3'b101), .rxoutclksel_in_0(3'b101),
        .gtwiz_reset_tx_datapath_0(1'b0), .gtwiz_reset_rx_datapath_0(1'b0),
        .rxrecclkout_0(),
        .sys_reset(por_rst), .dclk(dclk),
        .gtpowergood_out_0(),
        .rx_reset_0(por_rst), .user_rx_reset_0(),
        .rx_axis_tvalid_0(mac_rx_tvalid), .rx_axis_tdata_0(mac_rx_tdata), .rx_axis_tlast_0(mac_rx_tlast),
        .rx_axis_tkeep_0(mac_rx_tkeep), .rx_axis_tuser_0(mac_rx_tuser),
        // receive: on, preamble/SFD checked, FCS checked and removed (a bad FCS sets tuser on the
        // last beat, which tw_core counts in RX_MAC_ERR); lengths up to 9600 bytes pass so that
        // tw_core's own length checks and counters see oversize frames too
        .ctl_rx_enable_0(1'b1), .ctl_rx_check_preamble_0(1'b1), .ctl_rx_check_sfd_0(1'b1),
        .ctl_rx_force_resync_0(1'b0), .ctl_rx_delete_fcs_0(1'b1), .ctl_rx_ignore_fcs_0(1'b0),
        .ctl_rx_max_packet_len_0(15'd9600), .ctl_rx_min_packet_len_0(8'd64), .ctl_rx_process_lfi_0(1'b0),
        .ctl_rx_test_pattern_0(1'b0), .ctl_rx_data_pattern_select_0(1'b0), .ctl_rx_test_pattern_enable_0(1'b0),
        .ctl_rx_custom_preamble_enable_0(1'b0),
        .stat_rx_framing_err_0(), .stat_rx_framing_err_valid_0(), .stat_rx_local_fault_0(),
        .stat_rx_block_lock_0(), .stat_rx_valid_ctrl_code_0(), .stat_rx_status_0(),
        .stat_rx_remote_fault_0(), .stat_rx_bad_fcs_0(), .stat_rx_stomped_fcs_0(), .stat_rx_truncated_0(),
        .stat_rx_internal_local_fault_0(), .stat_rx_received_local_fault_0(), .stat_rx_hi_ber_0(),
        .stat_rx_got_signal_os_0(), .stat_rx_test_pattern_mismatch_0(), .stat_rx_total_bytes_0(),
        .stat_rx_total_packets_0(), .stat_rx_total_good_bytes_0(), .stat_rx_total_good_packets_0(),
        .stat_rx_packet_bad_fcs_0(), .stat_rx_packet_64_bytes_0(), .stat_rx_packet_65_127_bytes_0(),
        .stat_rx_packet_128_255_bytes_0(), .stat_rx_packet_256_511_bytes_0(), .stat_rx_packet_512_1023_bytes_0(),
        .stat_rx_packet_1024_1518_bytes_0(), .stat_rx_packet_1519_1522_bytes_0(), .stat_rx_packet_1523_1548_bytes_0(),
        .stat_rx_packet_1549_2047_bytes_0(), .stat_rx_packet_2048_4095_bytes_0(), .stat_rx_packet_4096_8191_bytes_0(),
        .stat_rx_packet_8192_9215_bytes_0(), .stat_rx_packet_small_0(), .stat_rx_packet_large_0(),
        .stat_rx_unicast_0(), .stat_rx_multicast_0(), .stat_rx_broadcast_0(), .stat_rx_oversize_0(),
        .stat_rx_toolong_0(), .stat_rx_undersize_0(), .stat_rx_fragment_0(), .stat_rx_vlan_0(),
        .stat_rx_inrangeerr_0(), .stat_rx_jabber_0(), .stat_rx_bad_code_0(), .stat_rx_bad_sfd_0(),
        .stat_rx_bad_preamble_0(),
        // transmit: the card never sends a frame. ctl_tx_enable_0 low makes the MAC send only
        // idles (PG210), so the link partner still sees a valid 10GBASE-R signal.
        .tx_reset_0(por_rst), .user_tx_reset_0(mac_tx_rst),
        .tx_axis_tready_0(), .tx_axis_tvalid_0(1'b0), .tx_axis_tdata_0(64'd0), .tx_axis_tlast_0(1'b0),
        .tx_axis_tkeep_0(8'd0), .tx_axis_tuser_0(1'b0), .tx_unfout_0(), .tx_preamblein_0(56'd0),
        .rx_preambleout_0(),
        .stat_tx_local_fault_0(), .stat_tx_total_bytes_0(), .stat_tx_total_packets_0(),
        .stat_tx_total_good_bytes_0(), .stat_tx_total_good_packets_0(), .stat_tx_bad_fcs_0(),
        .stat_tx_packet_64_bytes_0(), .stat_tx_packet_65_127_bytes_0(), .stat_tx_packet_128_255_bytes_0(),
        .stat_tx_packet_256_511_bytes_0(), .stat_tx_packet_512_1023_bytes_0(), .stat_tx_packet_1024_1518_bytes_0(),
        .stat_tx_packet_1519_1522_bytes_0(), .stat_tx_packet_1523_1548_bytes_0(), .stat_tx_packet_1549_2047_bytes_0(),
        .stat_tx_packet_2048_4095_bytes_0(), .stat_tx_packet_4096_8191_bytes_0(), .stat_tx_packet_8192_9215_bytes_0(),
        .stat_tx_packet_small_0(), .stat_tx_packet_large_0(), .stat_tx_unicast_0(), .stat_tx_multicast_0(),
        .stat_tx_broadcast_0(), .stat_tx_vlan_0(), .stat_tx_frame_error_0(),
        .ctl_tx_enable_0(1'b0), .ctl_tx_send_rfi_0(1'b0), .ctl_tx_send_lfi_0(1'b0), .ctl_tx_send_idle_0(1'b0),
        .ctl_tx_fcs_ins_enable_0(1'b1), .ctl_tx_ignore_fcs_0(1'b0), .ctl_tx_test_pattern_0(1'b0),
        .ctl_tx_test_pattern_enable_0(1'b0), .ctl_tx_test_pattern_select_0(1'b0), .ctl_tx_data_pattern_select_0(1'b0),
        .ctl_tx_test_pattern_seed_a_0(58'd0), .ctl_tx_test_pattern_seed_b_0(58'd0), .ctl_tx_ipg_value_0(4'd12),
        .ctl_tx_custom_preamble_enable_0(1'b0),
        .gt_loopback_in_0(3'b000), .qpllreset_in_0(1'b0)
    );

    // ------------------------------------------------------------------ PCIe (XDMA, AXI Bridge)
    logic clk, axi_aresetn, rst;

    // BAR0 master bridge (AXI4) <-> tw_axi_to_axil
    logic [3:0]   bar_awid, bar_bid, bar_arid, bar_rid;
    logic [63:0]  bar_awaddr, bar_araddr;
    logic [7:0]   bar_awlen, bar_arlen;
    logic [2:0]   bar_awsize, bar_arsize, bar_awprot, bar_arprot;
    logic [1:0]   bar_awburst, bar_arburst, bar_bresp, bar_rresp;
    logic         bar_awvalid, bar_awready, bar_awlock, bar_arvalid, bar_arready, bar_arlock;
    logic [3:0]   bar_awcache, bar_arcache;
    logic [511:0] bar_wdata, bar_rdata;
    logic [63:0]  bar_wstrb;
    logic         bar_wlast, bar_wvalid, bar_wready, bar_bvalid, bar_bready, bar_rlast, bar_rvalid, bar_rready;

    // tw_core DMA (AXI4 write master) -> slave bridge
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

    logic [RINGS-1:0] core_irq, irq_req, irq_ack;

    xdma_0 u_pcie (
        .sys_clk(pcie_sys_clk), .sys_clk_gt(pcie_sys_clk_gt), .sys_rst_n(pcie_perst_n),
        .cfg_ltssm_state(), .user_lnk_up(),
        .pci_exp_txp(pcie_tx_p), .pci_exp_txn(pcie_tx_n), .pci_exp_rxp(pcie_rx_p), .pci_exp_rxn(pcie_rx_n),
        .axi_aclk(clk), .axi_aresetn(axi_aresetn), .axi_ctl_aresetn(),
        .usr_irq_req(irq_req), .usr_irq_ack(irq_ack), .msi_enable(), .msi_vector_width(),
        // BAR0 -> master bridge
        .m_axib_awid(bar_awid), .m_axib_awaddr(bar_awaddr), .m_axib_awlen(bar_awlen), .m_axib_awsize(bar_awsize),
        .m_axib_awburst(bar_awburst), .m_axib_awprot(bar_awprot), .m_axib_awvalid(bar_awvalid),
        .m_axib_awready(bar_awready), .m_axib_awlock(bar_awlock), .m_axib_awcache(bar_awcache),
        .m_axib_wdata(bar_wdata), .m_axib_wstrb(bar_wstrb), .m_axib_wlast(bar_wlast), .m_axib_wvalid(bar_wvalid),
        .m_axib_wready(bar_wready),
        .m_axib_bid(bar_bid), .m_axib_bresp(bar_bresp), .m_axib_bvalid(bar_bvalid), .m_axib_bready(bar_bready),
        .m_axib_arid(bar_arid), .m_axib_araddr(bar_araddr), .m_axib_arlen(bar_arlen), .m_axib_arsize(bar_arsize),
        .m_axib_arburst(bar_arburst), .m_axib_arprot(bar_arprot), .m_axib_arvalid(bar_arvalid),
        .m_axib_arready(bar_arready), .m_axib_arlock(bar_arlock), .m_axib_arcache(bar_arcache),
        .m_axib_rid(bar_rid), .m_axib_rdata(bar_rdata), .m_axib_rresp(bar_rresp), .m_axib_rlast(bar_rlast),
        .m_axib_rvalid(bar_rvalid), .m_axib_rready(bar_rready),
        // the bridge's own register slave: not used (the address translation is fixed in alveo_ip.tcl)
        .s_axil_awaddr(32'd0), .s_axil_awprot(3'd0), .s_axil_awvalid(1'b0), .s_axil_awready(),
        .s_axil_wdata(32'd0), .s_axil_wstrb(4'd0), .s_axil_wvalid(1'b0), .s_axil_wready(),
        .s_axil_bvalid(), .s_axil_bresp(), .s_axil_bready(1'b1),
        .s_axil_araddr(32'd0), .s_axil_arprot(3'd0), .s_axil_arvalid(1'b0), .s_axil_arready(),
        .s_axil_rdata(), .s_axil_rresp(), .s_axil_rvalid(), .s_axil_rready(1'b1),
        .interrupt_out(),
        // slave bridge: tw_core's tick writes become PCIe memory writes (identity address
        // translation, alveo_ip.tcl); the read channels are never used
        .s_axib_awid(dma_awid), .s_axib_awaddr(dma_awaddr), .s_axib_awregion(4'd0), .s_axib_awlen(dma_awlen),
        .s_axib_awsize(dma_awsize), .s_axib_awburst(dma_awburst), .s_axib_awvalid(dma_awvalid),
        .s_axib_wdata(dma_wdata), .s_axib_wstrb(dma_wstrb), .s_axib_wlast(dma_wlast), .s_axib_wvalid(dma_wvalid),
        .s_axib_bready(dma_bready),
        .s_axib_arid('0), .s_axib_araddr(64'd0), .s_axib_arregion(4'd0), .s_axib_arlen(8'd0),
        .s_axib_arsize(3'd0), .s_axib_arburst(2'b01), .s_axib_arvalid(1'b0), .s_axib_rready(1'b1),
        .s_axib_awready(dma_awready), .s_axib_wready(dma_wready), .s_axib_bid(dma_bid), .s_axib_bresp(dma_bresp),
        .s_axib_bvalid(dma_bvalid),
        .s_axib_arready(), .s_axib_rid(), .s_axib_rdata(), .s_axib_rresp(), .s_axib_rlast(), .s_axib_rvalid()
    );

    // ------------------------------------------------------------------ resets (see the header)
    tw_reset_sync u_rst    (.clk(clk),    .arst(!axi_aresetn || mac_tx_rst), .rst(rst));
    tw_reset_sync u_rx_rst (.clk(rx_clk), .arst(rst || mac_tx_rst),          .rst(rx_rst));

    // ------------------------------------------------------------------ BAR0 -> CSRs
    logic [AXIL_AW-1:0] csr_awaddr, csr_araddr;
    logic [2:0]  csr_awprot, csr_arprot;
    logic        csr_awvalid, csr_awready, csr_wvalid, csr_wready, csr_bvalid, csr_bready;
    logic        csr_arvalid, csr_arready, csr_rvalid, csr_rready;
    logic [31:0] csr_wdata, csr_rdata;
    logic [3:0]  csr_wstrb;
    logic [1:0]  csr_bresp, csr_rresp;

    tw_axi_to_axil #(.ADDR_W(64), .DATA_W(512), .ID_W(4), .AXIL_ADDR_W(AXIL_AW)) u_bar0 (
        .clk(clk), .rst(rst),
        .s_axi_awid(bar_awid), .s_axi_awaddr(bar_awaddr), .s_axi_awlen(bar_awlen), .s_axi_awprot(bar_awprot),
        .s_axi_awvalid(bar_awvalid), .s_axi_awready(bar_awready),
        .s_axi_wdata(bar_wdata), .s_axi_wstrb(bar_wstrb), .s_axi_wlast(bar_wlast), .s_axi_wvalid(bar_wvalid),
        .s_axi_wready(bar_wready),
        .s_axi_bid(bar_bid), .s_axi_bresp(bar_bresp), .s_axi_bvalid(bar_bvalid), .s_axi_bready(bar_bready),
        .s_axi_arid(bar_arid), .s_axi_araddr(bar_araddr), .s_axi_arlen(bar_arlen), .s_axi_arprot(bar_arprot),
        .s_axi_arvalid(bar_arvalid), .s_axi_arready(bar_arready),
        .s_axi_rid(bar_rid), .s_axi_rdata(bar_rdata), .s_axi_rresp(bar_rresp), .s_axi_rlast(bar_rlast),
        .s_axi_rvalid(bar_rvalid), .s_axi_rready(bar_rready),
        .m_axil_awaddr(csr_awaddr), .m_axil_awprot(csr_awprot), .m_axil_awvalid(csr_awvalid),
        .m_axil_awready(csr_awready), .m_axil_wdata(csr_wdata), .m_axil_wstrb(csr_wstrb),
        .m_axil_wvalid(csr_wvalid), .m_axil_wready(csr_wready), .m_axil_bresp(csr_bresp),
        .m_axil_bvalid(csr_bvalid), .m_axil_bready(csr_bready),
        .m_axil_araddr(csr_araddr), .m_axil_arprot(csr_arprot), .m_axil_arvalid(csr_arvalid),
        .m_axil_arready(csr_arready), .m_axil_rdata(csr_rdata), .m_axil_rresp(csr_rresp),
        .m_axil_rvalid(csr_rvalid), .m_axil_rready(csr_rready)
    );

    // ------------------------------------------------------------------ the core
    tw_core #(
        .DATA_W(64), .AXIL_ADDR_W(AXIL_AW), .AXI_ADDR_W(64), .AXI_DATA_W(512), .AXI_ID_W(AXI_ID_W),
        .RINGS(RINGS), .RULES(64), .BUILD_ID(BUILD_ID), .CLOCK_INC_NOM(CLOCK_INC_NOM), .EXT_TS_EN(1'b0),
        .FIFO_DEPTH(64), .MAX_OUTSTANDING(8)
    ) u_core (
        .rx_clk(rx_clk), .rx_rst(rx_rst),
        .s_axis_tdata(mac_rx_tdata), .s_axis_tkeep(mac_rx_tkeep), .s_axis_tvalid(mac_rx_tvalid),
        .s_axis_tlast(mac_rx_tlast), .s_axis_tuser(mac_rx_tuser), .s_axis_ts(64'd0),
        .clk(clk), .rst(rst),
        .s_axil_awvalid(csr_awvalid), .s_axil_awready(csr_awready), .s_axil_awaddr(csr_awaddr),
        .s_axil_awprot(csr_awprot), .s_axil_wvalid(csr_wvalid), .s_axil_wready(csr_wready),
        .s_axil_wdata(csr_wdata), .s_axil_wstrb(csr_wstrb), .s_axil_bvalid(csr_bvalid),
        .s_axil_bready(csr_bready), .s_axil_bresp(csr_bresp), .s_axil_arvalid(csr_arvalid),
        .s_axil_arready(csr_arready), .s_axil_araddr(csr_araddr), .s_axil_arprot(csr_arprot),
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

    tw_irq_req #(.N(RINGS)) u_irq (.clk(clk), .rst(rst), .pulse(core_irq), .req(irq_req), .ack(irq_ack));

    // AXI attributes the slave bridge has no port for (it issues non-cacheable, unprivileged
    // writes of its own), and BAR-master attributes tw_axi_to_axil does not need (it checks len
    // and strobes, which say everything about a 32-bit register access).
    logic unused;
    assign unused = ^{dma_awlock, dma_awcache, dma_awprot, bar_awsize, bar_awburst, bar_awlock, bar_awcache,
                      bar_arsize, bar_arburst, bar_arlock, bar_arcache};
endmodule
`default_nettype wire
`resetall
