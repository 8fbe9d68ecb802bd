// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_dma_writer: writes each tick into its host ring as one 64-byte AXI4 write (single beat,
// AWLEN 0, AWSIZE 64 bytes), filling in the slot's validity word; drops and counts ticks when the
// ring is full, disabled or misconfigured, and flags the next delivered tick with LOSS.
//
// Ring protocol (host side in tickwire::ring):
// - The host programs BASE and SLOTS, writes CONS = 0, then sets enable. On the rising edge of
//   enable the writer latches BASE/SLOTS, checks them (BASE 64-byte aligned, SLOTS a power of two,
//   2 <= SLOTS <= 2^26) and resets PROD to 0. A bad configuration sets cfg_error: nothing is written.
// - A tick goes to slot PROD mod SLOTS unless PROD - CONS == SLOTS: the writer never overwrites a
//   slot the host has not returned. Its validity word becomes PROD + 1 (mod 2^32).
// - Quiesce: after enable falls no new write is issued; idle rises once every issued write has its
//   B response. Ticks arriving meanwhile are dropped and counted.
module tw_dma_writer
    import tw_tick_pkg::*;
#(
    parameter int AXI_ADDR_W      = 64,
    parameter int AXI_DATA_W      = 512,
    parameter int AXI_ID_W        = 4,
    parameter int MAX_OUTSTANDING = 8
) (
    input  wire                     clk,
    input  wire                     rst,

    input  wire                     s_tick_valid,
    output logic                    s_tick_ready,
    input  wire  [8*TICK_BYTES-1:0] s_tick,

    input  wire  [63:0]             cfg_base,
    input  wire  [31:0]             cfg_slots,
    input  wire                     cfg_enable,
    input  wire  [31:0]             cfg_cons,
    output logic [31:0]             st_prod,
    output logic [31:0]             st_drops,
    output logic                    st_idle,
    output logic                    st_cfg_error,
    output logic                    st_dma_error,
    output logic                    ev_write,       // a tick write was issued
    output logic                    ev_bresp_err,   // a B response was SLVERR/DECERR

    output logic [AXI_ID_W-1:0]     m_axi_awid,
    output logic [AXI_ADDR_W-1:0]   m_axi_awaddr,
    output logic [7:0]              m_axi_awlen,
    output logic [2:0]              m_axi_awsize,
    output logic [1:0]              m_axi_awburst,
    output logic                    m_axi_awlock,
    output logic [3:0]              m_axi_awcache,
    output logic [2:0]              m_axi_awprot,
    output logic                    m_axi_awvalid,
    input  wire                     m_axi_awready,
    output logic [AXI_DATA_W-1:0]   m_axi_wdata,
    output logic [AXI_DATA_W/8-1:0] m_axi_wstrb,
    output logic                    m_axi_wlast,
    output logic                    m_axi_wvalid,
    input  wire                     m_axi_wready,
    input  wire  [AXI_ID_W-1:0]     m_axi_bid,
    input  wire  [1:0]              m_axi_bresp,
    input  wire                     m_axi_bvalid,
    output logic                    m_axi_bready
);
    localparam int OUT_W = $clog2(MAX_OUTSTANDING + 1);

    generate
        if (AXI_DATA_W != 8 * TICK_BYTES) begin : gen_bad_width
            initial $fatal(1, "tw_dma_writer: AXI_DATA_W=%0d must be one tick (%0d bits)", AXI_DATA_W, 8 * TICK_BYTES);
        end
        if (AXI_ADDR_W < 64) begin : gen_bad_addr
            initial $fatal(1, "tw_dma_writer: AXI_ADDR_W=%0d, the host IOVA space needs 64", AXI_ADDR_W);
        end
    endgenerate

    logic              en_q;          // ring enabled and configuration valid
    logic              en_seen_q;     // cfg_enable as last sampled (edge detect)
    logic              cfg_err_q;
    logic              dma_err_q;
    logic [63:0]       base_q;
    logic [31:0]       mask_q;        // SLOTS - 1
    logic [31:0]       slots_q;
    logic [31:0]       prod_q;
    logic [31:0]       drops_q;
    logic              loss_q;        // drops since the last delivered tick
    logic [OUT_W-1:0]  outst_q;       // writes issued, B not yet seen
    logic              awvalid_q, wvalid_q;
    logic [63:0]       awaddr_q;
    logic [8*TICK_BYTES-1:0] wdata_q;

    logic cfg_ok, space, aw_free, w_free, can_issue, pop, issue, drop, b_fire, enable_rise;
    assign cfg_ok = cfg_base[5:0] == 6'd0 && cfg_slots >= 32'd2 && cfg_slots <= 32'h0400_0000 &&
                    (cfg_slots & (cfg_slots - 32'd1)) == 32'd0;
    assign enable_rise = cfg_enable && !en_seen_q;
    assign space     = (prod_q - cfg_cons) < slots_q;
    assign aw_free   = !awvalid_q || m_axi_awready;
    assign w_free    = !wvalid_q || m_axi_wready;
    assign can_issue = aw_free && w_free && outst_q < OUT_W'(MAX_OUTSTANDING);
    // A tick is either written or dropped; it waits only for a free AXI slot on an enabled ring.
    assign issue = s_tick_valid && en_q && cfg_enable && space && can_issue && !enable_rise;
    assign drop  = s_tick_valid && !(en_q && cfg_enable && space) && !enable_rise;
    assign pop   = issue || drop;
    assign s_tick_ready = pop;
    assign b_fire = m_axi_bvalid && m_axi_bready;

    logic [8*TICK_BYTES-1:0] tick_out;
    always_comb begin
        tick_out = s_tick;
        tick_out[8*TICK_VALID_OFF +: 8*TICK_VALID_BYTES] = prod_q + 32'd1;
        tick_out[8*TICK_FLAGS_OFF + TICK_FLAG_LOSS] = s_tick[8*TICK_FLAGS_OFF + TICK_FLAG_LOSS] | loss_q;
    end

    always_ff @(posedge clk) begin
        if (rst) begin
            en_q      <= 1'b0;
            en_seen_q <= 1'b0;
            cfg_err_q <= 1'b0;
            dma_err_q <= 1'b0;
            prod_q    <= '0;
            drops_q   <= '0;
            loss_q    <= 1'b0;
            outst_q   <= '0;
            awvalid_q <= 1'b0;
            wvalid_q  <= 1'b0;
        end else begin
            en_seen_q <= cfg_enable;
            if (enable_rise) begin
                en_q      <= cfg_ok;
                cfg_err_q <= !cfg_ok;
                dma_err_q <= 1'b0;
                prod_q    <= '0;
                loss_q    <= 1'b0;
            end else if (!cfg_enable) begin
                en_q      <= 1'b0;
                cfg_err_q <= 1'b0;
            end
            if (m_axi_awvalid && m_axi_awready) awvalid_q <= 1'b0;
            if (m_axi_wvalid && m_axi_wready)   wvalid_q  <= 1'b0;
            if (issue) begin
                awvalid_q <= 1'b1;
                wvalid_q  <= 1'b1;
                prod_q    <= prod_q + 32'd1;
                loss_q    <= 1'b0;
            end
            if (drop) begin
                drops_q <= drops_q + 32'd1;
                loss_q  <= 1'b1;
            end
            outst_q <= outst_q + OUT_W'(issue) - OUT_W'(b_fire);
            if (b_fire && m_axi_bresp != 2'b00) dma_err_q <= 1'b1;   // SLVERR, DECERR (EXOKAY: no exclusive access was asked)
        end
        if (enable_rise) begin
            base_q  <= cfg_base;
            slots_q <= cfg_slots;
            mask_q  <= cfg_slots - 32'd1;
        end
        if (issue) begin
            awaddr_q <= base_q + {26'd0, (prod_q & mask_q), 6'd0};
            wdata_q  <= tick_out;
        end
    end

    assign st_prod      = prod_q;
    assign st_drops     = drops_q;
    assign st_idle      = !cfg_enable && !en_q && outst_q == '0 && !awvalid_q && !wvalid_q;
    assign st_cfg_error = cfg_err_q;
    assign st_dma_error = dma_err_q;
    assign ev_write     = issue;
    assign ev_bresp_err = b_fire && m_axi_bresp != 2'b00;

    assign m_axi_awid    = '0;
    assign m_axi_awaddr  = AXI_ADDR_W'(awaddr_q);
    assign m_axi_awlen   = 8'd0;                     // one beat = one tick
    assign m_axi_awsize  = 3'($clog2(TICK_BYTES));   // 64 bytes
    assign m_axi_awburst = 2'b01;                    // INCR
    assign m_axi_awlock  = 1'b0;
    assign m_axi_awcache = 4'b0011;                  // normal, bufferable, modifiable
    assign m_axi_awprot  = 3'b000;
    assign m_axi_awvalid = awvalid_q;
    assign m_axi_wdata   = wdata_q;
    assign m_axi_wstrb   = '1;
    assign m_axi_wlast   = 1'b1;
    assign m_axi_wvalid  = wvalid_q;
    assign m_axi_bready  = 1'b1;

`ifndef SYNTHESIS
    // AXI4 rules: a valid payload stays put until it is taken; no B without a write in flight.
    logic [AXI_ADDR_W-1:0] awaddr_prev;
    logic                  awstall_prev, wstall_prev;
    logic [8*TICK_BYTES-1:0] wdata_prev;
    always_ff @(posedge clk) begin
        awstall_prev <= !rst && m_axi_awvalid && !m_axi_awready;
        wstall_prev  <= !rst && m_axi_wvalid && !m_axi_wready;
        awaddr_prev  <= m_axi_awaddr;
        wdata_prev   <= m_axi_wdata;
        if (!rst) begin
            if (awstall_prev && (!m_axi_awvalid || m_axi_awaddr != awaddr_prev))
                $error("tw_dma_writer: AWVALID/AWADDR changed before AWREADY");
            if (wstall_prev && (!m_axi_wvalid || m_axi_wdata != wdata_prev))
                $error("tw_dma_writer: WVALID/WDATA changed before WREADY");
            if (b_fire && outst_q == '0)
                $error("tw_dma_writer: B response with no write outstanding");
            if ($isunknown({m_axi_awvalid, m_axi_wvalid}))
                $error("tw_dma_writer: X on AWVALID/WVALID");
        end
    end
    logic unused_bid;
    assign unused_bid = ^m_axi_bid;
`endif
endmodule
`default_nettype wire
`resetall
