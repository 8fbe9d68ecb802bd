// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_dma_writer: writes each tick into its host ring as one 64-byte AXI4 write (single beat,
// AWLEN 0, AWSIZE 64 bytes), filling in the slot's validity word; drops and counts ticks when the
// ring is full, disabled or misconfigured, and flags the ring's next delivered tick with LOSS.
// RINGS rings, each with its own state; the tick says which ring it is for. AXI IDs are ring
// numbers, so responses of different rings may come back in any order.
//
// Ring protocol (host side in tickwire::ring):
// - The host programs BASE and SLOTS, writes CONS = 0, then sets enable. On the rising edge of
//   enable the writer latches BASE/SLOTS (and the write-back address), takes the result of the
//   configuration check (BASE 64-byte aligned, SLOTS a power of two, 2 <= SLOTS <= 2^26, the
//   write-back address: registered every cycle from the CSR values) and resets PROD to 0. A bad
//   configuration sets cfg_error: nothing is written. A tick for the ring waits in the edge's cycle
//   and the next.
// - A tick goes to slot PROD mod SLOTS unless PROD - CONS >= SLOTS: the writer never overwrites a
//   slot the host has not returned. Its validity word becomes PROD + 1 (mod 2^32). CONS is used
//   one cycle after it was written (the space check is registered).
// - Quiesce: after enable falls no new write is issued; idle rises once every issued write has its
//   B response. Ticks arriving meanwhile are dropped and counted.
// - Write-backs ({DROPS, PROD}, when enabled and checked) go out at most 2 cycles after they fall
//   due, never two in 3 cycles.
//
// Timing: the decision (write, drop or wait) is taken on the tick at the FIFO head, from the
// head's valid and ring and from registered per-ring flags only (space for PROD and PROD + 1,
// enable state, write-back candidate); its AW/W leave from flops on the next cycle (1 clk cycle
// from FIFO head to AWVALID).
module tw_dma_writer
    import tw_tick_pkg::*;
#(
    parameter int AXI_ADDR_W      = 64,
    parameter int AXI_DATA_W      = 512,
    parameter int AXI_ID_W        = 4,
    parameter int MAX_OUTSTANDING = 8,    // writes in flight, all rings together
    parameter int RINGS           = 4
) (
    input  wire                     clk,
    input  wire                     rst,

    input  wire                     s_tick_valid,
    output logic                    s_tick_ready,
    input  wire  [8*TICK_BYTES-1:0] s_tick,
    input  wire  [4:0]              s_tick_ring,

    input  wire  [63:0]             cfg_base     [RINGS],
    input  wire  [31:0]             cfg_slots    [RINGS],
    input  wire                     cfg_enable   [RINGS],
    input  wire  [31:0]             cfg_cons     [RINGS],
    output logic [31:0]             st_prod      [RINGS],
    output logic [31:0]             st_drops     [RINGS],
    output logic                    st_idle      [RINGS],
    output logic                    st_cfg_error [RINGS],
    output logic                    st_dma_error [RINGS],
    // optional signalling for consumers that do not poll (see tw_regs.rdl, RING[n].SIGNAL)
    input  wire  [63:0]             cfg_wb_addr  [RINGS],
    input  wire                     cfg_wb_en    [RINGS],
    input  wire                     cfg_irq_en   [RINGS],
    input  wire  [15:0]             cfg_wb_every [RINGS],
    output logic [31:0]             st_irqs      [RINGS],
    output logic [RINGS-1:0]        irq,            // one-cycle pulse per ring
    output logic                    ev_write,       // a tick write was issued
    output logic                    ev_bresp_err,   // a B response was SLVERR/DECERR
    output logic                    ev_bad_ring,    // a tick named a ring this build does not have
    output logic [4:0]              ev_ring,        // with ev_write: the tick's ring ...
    output logic [63:0]             ev_rx_ts,       // ... and its receive timestamp

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
    localparam int OUT_W  = $clog2(MAX_OUTSTANDING + 1);
    localparam int RING_W = RINGS > 1 ? $clog2(RINGS) : 1;

    generate
        if (AXI_DATA_W != 8 * TICK_BYTES) begin : gen_bad_width
            initial $fatal(1, "tw_dma_writer: AXI_DATA_W=%0d must be one tick (%0d bits)", AXI_DATA_W, 8 * TICK_BYTES);
        end
        if (AXI_ADDR_W < 64) begin : gen_bad_addr
            initial $fatal(1, "tw_dma_writer: AXI_ADDR_W=%0d, the host IOVA space needs 64", AXI_ADDR_W);
        end
        if (RINGS < 1 || RINGS > 32) begin : gen_bad_rings
            initial $fatal(1, "tw_dma_writer: RINGS=%0d, 1 to 32 supported", RINGS);
        end
        if ((1 << AXI_ID_W) < RINGS) begin : gen_bad_id
            initial $fatal(1, "tw_dma_writer: AXI_ID_W=%0d cannot name %0d rings", AXI_ID_W, RINGS);
        end
    endgenerate

    // Per-ring state
    logic              en_q      [RINGS];   // enabled with a valid configuration
    logic              en_seen_q [RINGS];   // cfg_enable as last sampled (edge detect)
    logic              fresh_q   [RINGS];   // enable rose last cycle (the space flags are not yet for PROD = 0)
    logic              cfg_err_q [RINGS];
    logic              dma_err_q [RINGS];
    logic [63:0]       base_q    [RINGS];   // latched at the rising edge of enable
    logic [63:0]       wb_addr_q [RINGS];   // ...
    logic [31:0]       mask_q    [RINGS];   // ... SLOTS - 1
    logic              wb_ok_q   [RINGS];   // ... the write-back address passed the check
    // The configuration check, registered every cycle from the CSR values (so it is one cycle old
    // at the rising edge of enable; the CSR block never lands two writes in one cycle, so a
    // configuration written before enable is always the one checked).
    logic              cok_q     [RINGS];   // BASE, SLOTS (and the write-back address, if on) valid
    logic              cwb_q     [RINGS];   // the write-back address is valid
    logic [31:0]       cmask_q   [RINGS];   // SLOTS - 1
    logic [31:0]       prod_q    [RINGS];
    logic [31:0]       drops_q   [RINGS];
    logic              loss_q    [RINGS];   // drops since the ring's last delivered tick
    logic [OUT_W-1:0]  outst_q   [RINGS];   // writes issued, B not yet seen
    logic [16:0]       wb_cnt_q  [RINGS];   // ticks written since the last write-back (saturating at 2^16)
    logic [OUT_W:0]    wb_b_left_q [RINGS]; // B responses of this ring until the last write-back's
    logic [31:0]       irqs_q    [RINGS];
    logic              irq_q     [RINGS];
    // Registered per-ring flags (from the previous cycle's state, see the issue decision)
    logic              iss_q     [RINGS];   // a tick of this ring was issued last cycle
    logic              sp0_q     [RINGS];   // PROD - CONS < SLOTS, last cycle's PROD and CONS
    logic              sp1_q     [RINGS];   // PROD + 1 - CONS < SLOTS, same
    logic              pend_q    [RINGS];   // a write-back is pending
    logic              urg_q     [RINGS];   // ... and urgent (`every` ticks since the last one)
    // Write-back candidate (registered from pend_q/urg_q)
    logic              wbc_valid_q, wbc_urgent_q;
    logic [RING_W-1:0] wbc_ring_q;
    logic              wb_iss_q, wb_iss_q2;  // a write-back went out 1 / 2 cycles ago
    // Shared AXI issue stage
    logic [OUT_W-1:0]  outst_all_q;
    logic              awvalid_q, wvalid_q;
    logic [63:0]       awaddr_q;
    logic [2:0]        awsize_q;
    logic [63:0]       wstrb_q;
    logic [AXI_ID_W-1:0] awid_q;
    logic [8*TICK_BYTES-1:0] wdata_q;

    // ---------------------------------------------------------------- the issue decision
    // Everything below reads the FIFO head (valid, ring) and flops only (the per-ring flags, the
    // AXI stage): the space check is registered per ring one cycle ahead, for PROD and for
    // PROD + 1 (iss_q picks the one that holds now: a ring gains at most one tick per cycle).
    logic              rise    [RINGS];     // enable rises now
    logic [RINGS-1:0]  ok, hold, wb_live;
    for (genvar r = 0; r < RINGS; r++) begin : gen_ring_flags
        assign rise[r]    = cfg_enable[r] && !en_seen_q[r];
        assign ok[r]      = en_q[r] && !fresh_q[r] && cfg_enable[r] && (iss_q[r] ? sp1_q[r] : sp0_q[r]);
        assign hold[r]    = rise[r] || fresh_q[r];         // a tick for the ring waits 2 cycles
        assign wb_live[r] = en_q[r] && cfg_enable[r];
    end

    // The ring of the tick at the head of the queue
    logic              ring_ok;
    logic [RING_W-1:0] r_sel;
    assign ring_ok = {27'd0, s_tick_ring} < RINGS;
    assign r_sel   = RING_W'(s_tick_ring);

    logic sel_ok, sel_hold, aw_free, w_free, can_issue, tick_wants, wb_go, issue, wb_issue, drop, b_fire;
    logic [RING_W-1:0] b_ring;
    assign sel_ok     = ring_ok && ok[r_sel];
    assign sel_hold   = ring_ok && hold[r_sel];
    assign aw_free    = !awvalid_q || m_axi_awready;
    assign w_free     = !wvalid_q || m_axi_wready;
    assign can_issue  = aw_free && w_free && outst_all_q < OUT_W'(MAX_OUTSTANDING);
    // A tick is either written or dropped; it waits only for a free AXI slot on a live ring
    // (and, when a write-back is urgent, for that write-back), or for its ring's check.
    // Write-backs: the candidate is at most 2 cycles old; none goes out in the 2 cycles after
    // another (so that a stale candidate never repeats one), and only to a live ring.
    assign tick_wants = s_tick_valid && sel_ok;
    assign wb_go      = wbc_valid_q && wb_live[wbc_ring_q] && !wb_iss_q && !wb_iss_q2;
    assign wb_issue   = can_issue && wb_go && (wbc_urgent_q || !tick_wants);
    assign issue      = tick_wants && can_issue && !(wb_go && wbc_urgent_q);
    assign drop       = s_tick_valid && !sel_ok && !sel_hold;
    assign s_tick_ready = issue || drop;
    assign b_fire = m_axi_bvalid && m_axi_bready;
    assign b_ring = RING_W'(m_axi_bid);

    // ---------------------------------------------------------------- write-back candidate
    // Due once `every` ticks went out since the last one (urgent: ahead of ticks), or when the
    // ring has nothing more to write (no tick of it at the FIFO head; registered, so one cycle
    // old: only the choice of candidate depends on it). Urgent ones first, lowest ring first.
    logic [RINGS-1:0] wb_due, wb_urg;
    for (genvar r = 0; r < RINGS; r++) begin : gen_wb_due
        assign wb_urg[r] = pend_q[r] && urg_q[r];
        assign wb_due[r] = pend_q[r] && (urg_q[r] || !(s_tick_valid && ring_ok && r_sel == RING_W'(r)));
    end
    always_ff @(posedge clk) begin
        if (rst) begin
            wbc_valid_q <= 1'b0;
            wb_iss_q    <= 1'b0;
            wb_iss_q2   <= 1'b0;
        end else begin
            wbc_valid_q <= wb_due != '0;
            wb_iss_q    <= wb_issue;
            wb_iss_q2   <= wb_iss_q;
        end
        wbc_urgent_q <= wb_urg != '0;
        wbc_ring_q   <= '0;
        for (int r = RINGS - 1; r >= 0; r--) begin
            if (wb_urg != '0 ? wb_urg[r] : wb_due[r]) wbc_ring_q <= RING_W'(r);
        end
    end

    // ---------------------------------------------------------------- per-ring state
    logic [8*TICK_BYTES-1:0] tick_out;
    logic [31:0]             prod_inc [RINGS];   // PROD + 1: the next PROD and the tick's validity word
    always_comb begin
        tick_out = s_tick;
        tick_out[8*TICK_VALID_OFF +: 8*TICK_VALID_BYTES] = prod_inc[r_sel];
        tick_out[8*TICK_FLAGS_OFF + TICK_FLAG_LOSS] = s_tick[8*TICK_FLAGS_OFF + TICK_FLAG_LOSS] | loss_q[r_sel];
    end

    for (genvar r = 0; r < RINGS; r++) begin : gen_ring_state
        logic mine_issue, mine_drop, mine_b, mine_wb;
        assign mine_issue = issue && r_sel == RING_W'(r);
        assign mine_drop  = drop && ring_ok && r_sel == RING_W'(r);
        assign mine_b     = b_fire && b_ring == RING_W'(r);
        assign mine_wb    = wb_issue && wbc_ring_q == RING_W'(r);
        // Space for PROD and PROD + 1 (SLOTS is a power of two on an enabled ring: d < SLOTS
        // is "no bit of d above the mask"; d + 1 carries out of the mask only if d & mask == mask).
        logic [31:0] d;
        logic [16:0] every;
        logic        sp0;
        assign prod_inc[r] = prod_q[r] + 32'd1;
        assign d     = prod_q[r] - cfg_cons[r];
        assign sp0   = (d & ~mask_q[r]) == 32'd0;
        assign every = cfg_wb_every[r] == 16'd0 ? 17'd1 : {1'b0, cfg_wb_every[r]};
        always_ff @(posedge clk) begin
            if (rst) begin
                en_q[r]      <= 1'b0;
                en_seen_q[r] <= 1'b0;
                fresh_q[r]   <= 1'b0;
                cfg_err_q[r] <= 1'b0;
                dma_err_q[r] <= 1'b0;
                prod_q[r]    <= '0;
                drops_q[r]   <= '0;
                loss_q[r]    <= 1'b0;
                outst_q[r]   <= '0;
                wb_cnt_q[r]  <= '0;
                wb_b_left_q[r] <= '0;
                irqs_q[r]    <= '0;
                irq_q[r]     <= 1'b0;
                iss_q[r]     <= 1'b0;
                pend_q[r]    <= 1'b0;
                urg_q[r]     <= 1'b0;
            end else begin
                irq_q[r] <= 1'b0;
                en_seen_q[r] <= cfg_enable[r];
                iss_q[r] <= mine_issue;
                pend_q[r] <= en_q[r] && cfg_enable[r] && cfg_wb_en[r] && wb_ok_q[r] && wb_cnt_q[r] != '0;
                urg_q[r]  <= wb_cnt_q[r] >= every;
                fresh_q[r] <= rise[r];
                if (rise[r]) begin
                    en_q[r]      <= cok_q[r];
                    cfg_err_q[r] <= !cok_q[r];
                    dma_err_q[r] <= 1'b0;
                    prod_q[r]    <= '0;
                    loss_q[r]    <= 1'b0;
                    wb_cnt_q[r]  <= '0;
                end else if (!cfg_enable[r]) begin
                    en_q[r]      <= 1'b0;
                    cfg_err_q[r] <= 1'b0;
                end
                if (mine_issue) begin
                    prod_q[r] <= prod_inc[r];
                    loss_q[r] <= 1'b0;
                    if (!wb_cnt_q[r][16]) wb_cnt_q[r] <= wb_cnt_q[r] + 17'd1;
                end
                if (mine_drop) begin
                    drops_q[r] <= drops_q[r] + 32'd1;
                    loss_q[r]  <= 1'b1;
                end
                outst_q[r] <= outst_q[r] + OUT_W'(mine_issue) + OUT_W'(mine_wb) - OUT_W'(mine_b);
                if (mine_b && wb_b_left_q[r] != '0) begin
                    wb_b_left_q[r] <= wb_b_left_q[r] - 1'b1;
                    if (wb_b_left_q[r] == (OUT_W + 1)'(1) && cfg_irq_en[r]) begin
                        irq_q[r]  <= 1'b1;       // the write-back has landed: wake the consumer
                        irqs_q[r] <= irqs_q[r] + 32'd1;
                    end
                end
                if (mine_wb) begin
                    // responses of one ID come back in order: this one is the (outstanding + 1)th
                    // (an earlier write-back still waiting is coalesced into this one)
                    wb_cnt_q[r]    <= '0;           // (a write-back and a tick never go out together)
                    wb_b_left_q[r] <= (OUT_W + 1)'(outst_q[r]) - (OUT_W + 1)'(mine_b) + 1'b1;
                end
                if (mine_b && m_axi_bresp != 2'b00) dma_err_q[r] <= 1'b1;   // SLVERR, DECERR (EXOKAY: no exclusive access was asked)
            end
            sp0_q[r] <= sp0;
            sp1_q[r] <= (d & mask_q[r]) != mask_q[r] ? sp0 : (d | mask_q[r]) == 32'hFFFF_FFFF;
            if (rise[r]) begin
                wb_addr_q[r] <= cfg_wb_addr[r];
                base_q[r]    <= cfg_base[r];
                mask_q[r]    <= cmask_q[r];
                wb_ok_q[r]   <= cwb_q[r];
            end
            // The check: BASE 64-byte aligned, SLOTS a power of two, 2 <= SLOTS <= 2^26; the
            // write-back, when on, 8-byte aligned and in the line right after the slots: the
            // card writes nothing outside the ring's window [BASE, BASE + (SLOTS+1)*64).
            cwb_q[r]   <= cfg_wb_addr[r][2:0] == 3'd0 &&
                          cfg_wb_addr[r][63:6] == cfg_base[r][63:6] + {26'd0, cfg_slots[r]};
            cok_q[r]   <= cfg_base[r][5:0] == 6'd0 && cfg_slots[r] >= 32'd2 && cfg_slots[r] <= 32'h0400_0000 &&
                          (cfg_slots[r] & (cfg_slots[r] - 32'd1)) == 32'd0 &&
                          (!cfg_wb_en[r] || (cfg_wb_addr[r][2:0] == 3'd0 &&
                                             cfg_wb_addr[r][63:6] == cfg_base[r][63:6] + {26'd0, cfg_slots[r]}));
            cmask_q[r] <= cfg_slots[r] - 32'd1;
        end
        assign st_prod[r]      = prod_q[r];
        assign st_drops[r]     = drops_q[r];
        assign st_idle[r]      = !cfg_enable[r] && !en_q[r] && outst_q[r] == '0 &&
                                 !((awvalid_q || wvalid_q) && awid_q == AXI_ID_W'(r));
        assign st_cfg_error[r] = cfg_err_q[r];
        assign st_dma_error[r] = dma_err_q[r];
        assign st_irqs[r]      = irqs_q[r];
    end

    // ---------------------------------------------------------------- AXI issue registers
    always_ff @(posedge clk) begin
        if (rst) begin
            outst_all_q <= '0;
            awvalid_q   <= 1'b0;
            wvalid_q    <= 1'b0;
        end else begin
            if (m_axi_awvalid && m_axi_awready) awvalid_q <= 1'b0;
            if (m_axi_wvalid && m_axi_wready)   wvalid_q  <= 1'b0;
            if (issue || wb_issue) begin
                awvalid_q <= 1'b1;
                wvalid_q  <= 1'b1;
            end
            outst_all_q <= outst_all_q + OUT_W'(issue) + OUT_W'(wb_issue) - OUT_W'(b_fire);
        end
        if (issue) begin
            awaddr_q <= base_q[r_sel] + {26'd0, (prod_q[r_sel] & mask_q[r_sel]), 6'd0};
            awid_q   <= AXI_ID_W'(r_sel);
            awsize_q <= 3'($clog2(TICK_BYTES));   // 64 bytes: one tick
            wstrb_q  <= '1;
            wdata_q  <= tick_out;
        end else if (wb_issue) begin
            awaddr_q <= wb_addr_q[wbc_ring_q];
            awid_q   <= AXI_ID_W'(wbc_ring_q);
            awsize_q <= 3'd3;                      // 8 bytes: {DROPS, PROD}
            wstrb_q  <= 64'hFF << (8 * wb_addr_q[wbc_ring_q][5:3]);
            wdata_q  <= {8{drops_q[wbc_ring_q], prod_q[wbc_ring_q]}};
        end
    end

    assign ev_write     = issue;
    assign ev_ring      = s_tick_ring;
    assign ev_rx_ts     = s_tick[8*TICK_RX_TS_NS_OFF +: 64];
    for (genvar r = 0; r < RINGS; r++) begin : gen_irq
        assign irq[r] = irq_q[r];
    end
    assign ev_bresp_err = b_fire && m_axi_bresp != 2'b00;
    assign ev_bad_ring  = s_tick_valid && !ring_ok;

    assign m_axi_awid    = awid_q;
    assign m_axi_awaddr  = AXI_ADDR_W'(awaddr_q);
    assign m_axi_awlen   = 8'd0;                     // one beat = one tick
    assign m_axi_awsize  = awsize_q;
    assign m_axi_awburst = 2'b01;                    // INCR
    assign m_axi_awlock  = 1'b0;
    assign m_axi_awcache = 4'b0011;                  // normal, bufferable, modifiable
    assign m_axi_awprot  = 3'b000;
    assign m_axi_awvalid = awvalid_q;
    assign m_axi_wdata   = wdata_q;
    assign m_axi_wstrb   = wstrb_q;
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
            if (b_fire && (outst_all_q == '0 || {{(32-AXI_ID_W){1'b0}}, m_axi_bid} >= RINGS || outst_q[b_ring] == '0))
                $error("tw_dma_writer: B response with no write outstanding for ID %0d", m_axi_bid);
            if ($isunknown({m_axi_awvalid, m_axi_wvalid}))
                $error("tw_dma_writer: X on AWVALID/WVALID");
        end
    end
`endif
endmodule
`default_nettype wire
`resetall
