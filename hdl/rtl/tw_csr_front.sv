// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_csr_front: the registered AXI4-Lite front end of the CSRs. Takes one transaction at a time
// into flops, then issues it from those flops to the register block (PeakRDL-regblock's
// passthrough CPU interface) or to one of the external blocks of the map, whose windows are
// decoded here from the address bits, with no range compares (PeakRDL decodes an external block
// with two magnitude compares, carry chains):
//   RING[r]  0x1000 + 0x40*r (r < 32): addr[13:11] = 010, ring addr[10:6], one line per
//            implemented ring; windows of rings this build lacks read 0 and ignore writes here
//   FLOW     0x2000..0x27FF: addr[13:11] = 100
//   HIST     0x3000..0x3FFF: addr[13:12] = 11
// The register block spans the addresses below 2^REGS_ADDR_W and sees only those bits; any other
// address reads 0 and ignores writes here (as the block does for its own holes).
// Every path from the s_axil_* inputs ends at a flop, and the responses leave from flops. A CSR
// access costs a few clk cycles more than a combinational front end would: nobody counts CSR
// cycles.
//
// AXI4-Lite: ready depends on valid (allowed), valid never on ready. A write is taken when both
// AW and W are valid. When a read and a write are offered together they alternate.
module tw_csr_front #(
    parameter int ADDR_W      = 14,
    parameter int REGS_ADDR_W = 9,    // the register block's address width (TW_REGS_MIN_ADDR_WIDTH)
    parameter int RINGS  = 4          // rings implemented, 1..32: one request line each
) (
    input  wire               clk,
    input  wire               rst,

    input  wire               s_axil_awvalid,
    output logic              s_axil_awready,
    input  wire  [ADDR_W-1:0] s_axil_awaddr,
    input  wire               s_axil_wvalid,
    output logic              s_axil_wready,
    input  wire  [31:0]       s_axil_wdata,
    input  wire  [3:0]        s_axil_wstrb,
    output logic              s_axil_bvalid,
    input  wire               s_axil_bready,
    output logic [1:0]        s_axil_bresp,
    input  wire               s_axil_arvalid,
    output logic              s_axil_arready,
    input  wire  [ADDR_W-1:0] s_axil_araddr,
    output logic              s_axil_rvalid,
    input  wire               s_axil_rready,
    output logic [31:0]       s_axil_rdata,
    output logic [1:0]        s_axil_rresp,

    // to the register block (PeakRDL passthrough CPU interface)
    output logic              m_cpuif_req,
    output logic              m_cpuif_req_is_wr,
    output logic [REGS_ADDR_W-1:0] m_cpuif_addr,
    output logic [31:0]       m_cpuif_wr_data,
    output logic [31:0]       m_cpuif_wr_biten,
    input  wire               m_cpuif_req_stall_wr,
    input  wire               m_cpuif_req_stall_rd,
    input  wire               m_cpuif_rd_ack,
    input  wire               m_cpuif_rd_err,
    input  wire  [31:0]       m_cpuif_rd_data,
    input  wire               m_cpuif_wr_ack,
    input  wire               m_cpuif_wr_err,

    // to the external blocks (PeakRDL's external-block protocol: a one-cycle req, then rd_ack
    // with rd_data or wr_ack). The request's kind, address and data are shared: m_ext_*.
    output logic              m_ext_req_is_wr,
    output logic [ADDR_W-1:0] m_ext_addr,         // byte address; each block takes its low bits
    output logic [31:0]       m_ext_wr_data,
    output logic [31:0]       m_ext_wr_biten,
    // the ring registers (tw_ring_regs): one request line per ring; the acks and read data of
    // all rings ORed (a ring drives 0 when it does not answer)
    output logic [RINGS-1:0]  m_ring_req,
    input  wire               m_ring_rd_ack,
    input  wire  [31:0]       m_ring_rd_data,
    input  wire               m_ring_wr_ack,
    // the flow filter's rule table (FLOW) and the latency histograms (HIST)
    output logic              m_flow_req,
    input  wire               m_flow_rd_ack,
    input  wire  [31:0]       m_flow_rd_data,
    input  wire               m_flow_wr_ack,
    output logic              m_hist_req,
    input  wire               m_hist_rd_ack,
    input  wire  [31:0]       m_hist_rd_data,
    input  wire               m_hist_wr_ack
);
    generate
        if (ADDR_W != 14) begin : gen_bad_addr_w
            initial $fatal(1, "tw_csr_front: ADDR_W=%0d; the register map is 14 bits", ADDR_W);
        end
        if (REGS_ADDR_W < 2 || REGS_ADDR_W > 12) begin : gen_bad_regs_addr_w
            initial $fatal(1, "tw_csr_front: REGS_ADDR_W=%0d; the register block must end below 0x1000", REGS_ADDR_W);
        end
        if (RINGS < 1 || RINGS > 32) begin : gen_bad_rings
            initial $fatal(1, "tw_csr_front: RINGS=%0d; 1 to 32 rings are supported", RINGS);
        end
    endgenerate

    // busy_q: a transaction is taken and not yet answered (one at a time)
    logic              busy_q, last_rd_q, is_wr_q;
    logic [ADDR_W-1:0] addr_q;
    logic [31:0]       wdata_q;
    logic [3:0]        wstrb_q;
    logic              regs_req_q;      // request to the register block, held while it stalls
    logic              to_regs_q;       // the transaction went to the register block
    logic              to_flow_q, to_hist_q;
    logic [RINGS-1:0]  ring_req_q;
    logic              flow_req_q, hist_req_q;
    logic              local_q;         // an absent ring's window or no block: answer 0 at once
    logic              rvalid_q, bvalid_q;
    logic [31:0]       rdata_q;
    logic              err_q;

    logic              take_rd, take_wr;
    logic [ADDR_W-1:0] a;
    logic              in_ring_win, in_flow_win, in_hist_win, in_ext, in_regs;
    logic [RINGS-1:0]  ring_sel;
    always_comb begin
        take_wr  = !busy_q && s_axil_awvalid && s_axil_wvalid && (!s_axil_arvalid || last_rd_q);
        take_rd  = !busy_q && s_axil_arvalid && !take_wr;
        a        = take_wr ? s_axil_awaddr : s_axil_araddr;
        in_ring_win = a[13:11] == 3'b010;     // 0x1000..0x17FF
        in_flow_win = a[13:11] == 3'b100;     // 0x2000..0x27FF
        in_hist_win = a[13:12] == 2'b11;      // 0x3000..0x3FFF
        in_ext      = in_ring_win || in_flow_win || in_hist_win;
        in_regs     = a[ADDR_W-1:REGS_ADDR_W] == '0;
        ring_sel = '0;
        for (int r = 0; r < RINGS; r++) ring_sel[r] = in_ring_win && a[10:6] == 5'(r);
    end

    logic stall, regs_ack, ring_ack, flow_ack, hist_ack, done;
    assign stall    = is_wr_q ? m_cpuif_req_stall_wr : m_cpuif_req_stall_rd;
    assign regs_ack = m_cpuif_rd_ack || m_cpuif_wr_ack;
    assign ring_ack = m_ring_rd_ack || m_ring_wr_ack;
    assign flow_ack = m_flow_rd_ack || m_flow_wr_ack;
    assign hist_ack = m_hist_rd_ack || m_hist_wr_ack;
    // each ack counts only from the block the transaction went to
    assign done     = (to_regs_q && regs_ack) || (to_flow_q && flow_ack) || (to_hist_q && hist_ack) ||
                      (!to_regs_q && !to_flow_q && !to_hist_q && ring_ack) || local_q;

    always_ff @(posedge clk) begin
        if (rst) begin
            busy_q     <= 1'b0;
            last_rd_q  <= 1'b0;
            regs_req_q <= 1'b0;
            to_regs_q  <= 1'b0;
            to_flow_q  <= 1'b0;
            to_hist_q  <= 1'b0;
            ring_req_q <= '0;
            flow_req_q <= 1'b0;
            hist_req_q <= 1'b0;
            local_q    <= 1'b0;
            rvalid_q   <= 1'b0;
            bvalid_q   <= 1'b0;
        end else begin
            ring_req_q <= '0;
            flow_req_q <= 1'b0;
            hist_req_q <= 1'b0;
            local_q    <= 1'b0;
            if (take_rd || take_wr) begin
                busy_q     <= 1'b1;
                last_rd_q  <= take_rd;
                regs_req_q <= in_regs;
                to_regs_q  <= in_regs;
                to_flow_q  <= in_flow_win;
                to_hist_q  <= in_hist_win;
                ring_req_q <= ring_sel;
                flow_req_q <= in_flow_win;
                hist_req_q <= in_hist_win;
                local_q    <= (in_ring_win && ring_sel == '0) || (!in_ext && !in_regs);
            end
            if (regs_req_q && !stall) regs_req_q <= 1'b0;
            if (done) begin
                rvalid_q <= !is_wr_q;
                bvalid_q <= is_wr_q;
            end
            if ((rvalid_q && s_axil_rready) || (bvalid_q && s_axil_bready)) begin
                rvalid_q <= 1'b0;
                bvalid_q <= 1'b0;
                busy_q   <= 1'b0;
            end
        end
    end

    // data: no reset (qualified by the control flops above)
    always_ff @(posedge clk) begin
        if (take_rd || take_wr) begin
            is_wr_q <= take_wr;
            addr_q  <= {a[ADDR_W-1:2], 2'b00};
            wdata_q <= s_axil_wdata;
            wstrb_q <= s_axil_wstrb;
        end
        if (done) begin
            // a ring drives 0 when it does not answer (local answers: 0)
            rdata_q <= to_regs_q ? m_cpuif_rd_data :
                       to_flow_q ? m_flow_rd_data  :
                       to_hist_q ? m_hist_rd_data  : m_ring_rd_data;
            err_q   <= to_regs_q && (is_wr_q ? m_cpuif_wr_err : m_cpuif_rd_err);
        end
    end

    logic [31:0] biten;
    always_comb begin
        for (int b = 0; b < 4; b++) biten[8*b +: 8] = {8{wstrb_q[b]}};
    end

    assign s_axil_awready = take_wr;
    assign s_axil_wready  = take_wr;
    assign s_axil_arready = take_rd;
    assign s_axil_rvalid  = rvalid_q;
    assign s_axil_bvalid  = bvalid_q;
    assign s_axil_rdata   = rdata_q;
    assign s_axil_rresp   = err_q ? 2'b10 : 2'b00;
    assign s_axil_bresp   = err_q ? 2'b10 : 2'b00;

    assign m_cpuif_req       = regs_req_q;
    assign m_cpuif_req_is_wr = is_wr_q;
    assign m_cpuif_addr      = addr_q[REGS_ADDR_W-1:0];
    assign m_cpuif_wr_data   = wdata_q;
    assign m_cpuif_wr_biten  = biten;

    assign m_ext_req_is_wr = is_wr_q;
    assign m_ext_addr      = addr_q;
    assign m_ext_wr_data   = wdata_q;
    assign m_ext_wr_biten  = biten;
    assign m_ring_req      = ring_req_q;
    assign m_flow_req      = flow_req_q;
    assign m_hist_req      = hist_req_q;

    logic unused;
    assign unused = ^a[1:0];   // aligned 32-bit accesses: the byte lanes are in the strobes

`ifndef SYNTHESIS
    always_ff @(posedge clk) begin
        if (!rst && (regs_ack || ring_ack || flow_ack || hist_ack) && (!busy_q || rvalid_q || bvalid_q))
            $error("tw_csr_front: an acknowledge with no request outstanding");
    end
`endif
endmodule
`default_nettype wire
`resetall
