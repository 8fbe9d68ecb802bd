// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_mmio64_to_axil: the PIM's 64-bit MMIO AXI-Lite (with rid/wid and user, echoed in the
// responses by OFS convention) to tw_core's 32-bit AXI4-Lite CSR slave, one access at a time,
// plus the AFU header OPAE requires at AFU MMIO offset 0 (the kernel's port driver and
// fpgaconf/fpgainfo read the AFU's id there):
//   0x00 DFH: type AFU (1), end of list, no next feature      0x08 AFU_ID_L   0x10 AFU_ID_H
//   0x18 next AFU offset: 0                                    other offsets below CSR_BASE: 0
// tw_core's 2**AXIL_ADDR_W-byte CSR window sits at CSR_BASE; writes outside it are ignored (OKAY).
// Writes: the 32-bit half with strobes set is written (a 64-bit write writes its low half only:
// the driver never issues one). Reads: the 32-bit register is returned in both halves, which is
// right whichever lane convention the PIM uses for a 32-bit read of a 64-bit bus.
module tw_mmio64_to_axil #(
    parameter int ADDR_W      = 18,   // PIM MMIO byte address
    parameter int ID_W        = 9,
    parameter int USER_W      = 1,
    parameter int AXIL_ADDR_W = 14,
    parameter int CSR_BASE    = 'h10000,
    parameter logic [127:0] AFU_ID = '0   // the AFU JSON's accelerator-type-uuid
) (
    input  wire                    clk,
    input  wire                    rst,
    // PIM MMIO (the host is the source)
    input  wire                    s_axil_awvalid,
    output logic                   s_axil_awready,
    input  wire [ID_W-1:0]         s_axil_awid,
    input  wire [ADDR_W-1:0]       s_axil_awaddr,
    input  wire [USER_W-1:0]       s_axil_awuser,
    input  wire                    s_axil_wvalid,
    output logic                   s_axil_wready,
    input  wire [63:0]             s_axil_wdata,
    input  wire [7:0]              s_axil_wstrb,
    output logic                   s_axil_bvalid,
    input  wire                    s_axil_bready,
    output logic [ID_W-1:0]        s_axil_bid,
    output logic [1:0]             s_axil_bresp,
    output logic [USER_W-1:0]      s_axil_buser,
    input  wire                    s_axil_arvalid,
    output logic                   s_axil_arready,
    input  wire [ID_W-1:0]         s_axil_arid,
    input  wire [ADDR_W-1:0]       s_axil_araddr,
    input  wire [USER_W-1:0]       s_axil_aruser,
    output logic                   s_axil_rvalid,
    input  wire                    s_axil_rready,
    output logic [ID_W-1:0]        s_axil_rid,
    output logic [63:0]            s_axil_rdata,
    output logic [1:0]             s_axil_rresp,
    output logic [USER_W-1:0]      s_axil_ruser,
    // tw_core CSRs
    output logic                   m_axil_awvalid,
    input  wire                    m_axil_awready,
    output logic [AXIL_ADDR_W-1:0] m_axil_awaddr,
    output logic                   m_axil_wvalid,
    input  wire                    m_axil_wready,
    output logic [31:0]            m_axil_wdata,
    output logic [3:0]             m_axil_wstrb,
    input  wire                    m_axil_bvalid,
    output logic                   m_axil_bready,
    input  wire [1:0]              m_axil_bresp,
    output logic                   m_axil_arvalid,
    input  wire                    m_axil_arready,
    output logic [AXIL_ADDR_W-1:0] m_axil_araddr,
    input  wire                    m_axil_rvalid,
    output logic                   m_axil_rready,
    input  wire [31:0]             m_axil_rdata,
    input  wire [1:0]              m_axil_rresp
);
    if (ADDR_W <= AXIL_ADDR_W || CSR_BASE % (1 << AXIL_ADDR_W) != 0 || CSR_BASE == 0
            || CSR_BASE + (1 << AXIL_ADDR_W) > (1 << ADDR_W)) begin : gen_bad_window
        initial $fatal(1, "tw_mmio64_to_axil: the CSR window (%0d bytes at 0x%0h) must be aligned, above the header and inside the %0d-bit MMIO space",
                       1 << AXIL_ADDR_W, CSR_BASE, ADDR_W);
    end
    localparam logic [ADDR_W-AXIL_ADDR_W-1:0] CSR_PAGE = (ADDR_W-AXIL_ADDR_W)'(CSR_BASE >> AXIL_ADDR_W);

    // the header word at 64-bit word address `word`
    function automatic logic [63:0] header(input logic [ADDR_W-4:0] word);
        unique case (word)
            '0:              return 64'h1000_0100_0000_0000;   // DFH: type 1 (AFU) [63:60], EOL [40]
            (ADDR_W-3)'(1):  return AFU_ID[63:0];
            (ADDR_W-3)'(2):  return AFU_ID[127:64];
            default:         return 64'd0;
        endcase
    endfunction

    // ---------------------------------------------------------------- writes
    typedef enum logic [1:0] { WrIdle, WrReq, WrResp, WrDone } wr_state_e;
    wr_state_e wr_q, wr_d;
    logic aw_sent_q, aw_sent_d, w_sent_q, w_sent_d;
    logic [ID_W-1:0] wid_q;
    logic [USER_W-1:0] wuser_q;
    logic [AXIL_ADDR_W-1:0] waddr_q;
    logic [31:0] wdata_q;
    logic [3:0] wstrb_q;
    logic [1:0] bresp_q;
    logic wr_take, wr_hi;

    assign wr_take = (wr_q == WrIdle) && s_axil_awvalid && s_axil_wvalid;
    assign wr_hi   = (s_axil_wstrb[3:0] == 4'd0);
    assign s_axil_awready = wr_take;
    assign s_axil_wready  = wr_take;

    always_comb begin
        wr_d = wr_q;
        aw_sent_d = aw_sent_q;
        w_sent_d = w_sent_q;
        unique case (wr_q)
            WrIdle: if (wr_take && s_axil_awaddr[ADDR_W-1:AXIL_ADDR_W] != CSR_PAGE) begin
                wr_d = WrDone;                 // not tw_core's: ignored
            end else if (wr_take) begin
                wr_d = WrReq;
                aw_sent_d = 1'b0;
                w_sent_d = 1'b0;
            end
            WrReq: begin
                if (m_axil_awready) aw_sent_d = 1'b1;
                if (m_axil_wready)  w_sent_d  = 1'b1;
                if ((aw_sent_q || m_axil_awready) && (w_sent_q || m_axil_wready)) wr_d = WrResp;
            end
            WrResp: if (m_axil_bvalid) wr_d = WrDone;
            WrDone: if (s_axil_bready) wr_d = WrIdle;
            default: wr_d = WrIdle;
        endcase
    end

    always_ff @(posedge clk) begin
        wr_q <= wr_d;
        aw_sent_q <= aw_sent_d;
        w_sent_q <= w_sent_d;
        if (wr_take) begin
            wid_q   <= s_axil_awid;
            wuser_q <= s_axil_awuser;
            waddr_q <= {s_axil_awaddr[AXIL_ADDR_W-1:3], wr_hi, 2'b00};
            wdata_q <= wr_hi ? s_axil_wdata[63:32] : s_axil_wdata[31:0];
            wstrb_q <= wr_hi ? s_axil_wstrb[7:4] : s_axil_wstrb[3:0];
        end
        if (wr_take) bresp_q <= 2'b00;
        if (wr_q == WrResp && m_axil_bvalid) bresp_q <= m_axil_bresp;
        if (rst) wr_q <= WrIdle;
    end

    assign m_axil_awvalid = (wr_q == WrReq) && !aw_sent_q;
    assign m_axil_awaddr  = waddr_q;
    assign m_axil_wvalid  = (wr_q == WrReq) && !w_sent_q;
    assign m_axil_wdata   = wdata_q;
    assign m_axil_wstrb   = wstrb_q;
    assign m_axil_bready  = (wr_q == WrResp);
    assign s_axil_bvalid  = (wr_q == WrDone);
    assign s_axil_bid     = wid_q;
    assign s_axil_bresp   = bresp_q;
    assign s_axil_buser   = wuser_q;

    // ---------------------------------------------------------------- reads
    typedef enum logic [1:0] { RdIdle, RdReq, RdResp, RdDone } rd_state_e;
    rd_state_e rd_q, rd_d;
    logic [ID_W-1:0] rid_q;
    logic [USER_W-1:0] ruser_q;
    logic [AXIL_ADDR_W-1:0] raddr_q;
    logic [63:0] rdata_q;
    logic [1:0] rresp_q;

    assign s_axil_arready = (rd_q == RdIdle);

    always_comb begin
        rd_d = rd_q;
        unique case (rd_q)
            RdIdle: if (s_axil_arvalid) rd_d = (s_axil_araddr[ADDR_W-1:AXIL_ADDR_W] == CSR_PAGE) ? RdReq : RdDone;
            RdReq:  if (m_axil_arready) rd_d = RdResp;
            RdResp: if (m_axil_rvalid)  rd_d = RdDone;
            RdDone: if (s_axil_rready)  rd_d = RdIdle;
            default: rd_d = RdIdle;
        endcase
    end

    always_ff @(posedge clk) begin
        rd_q <= rd_d;
        if (rd_q == RdIdle && s_axil_arvalid) begin
            rid_q   <= s_axil_arid;
            ruser_q <= s_axil_aruser;
            raddr_q <= {s_axil_araddr[AXIL_ADDR_W-1:2], 2'b00};
            rdata_q <= header(s_axil_araddr[ADDR_W-1:3]);
            rresp_q <= 2'b00;
        end
        if (rd_q == RdResp && m_axil_rvalid) begin
            rdata_q <= {m_axil_rdata, m_axil_rdata};
            rresp_q <= m_axil_rresp;
        end
        if (rst) rd_q <= RdIdle;
    end

    assign m_axil_arvalid = (rd_q == RdReq);
    assign m_axil_araddr  = raddr_q;
    assign m_axil_rready  = (rd_q == RdResp);
    assign s_axil_rvalid  = (rd_q == RdDone);
    assign s_axil_rid     = rid_q;
    assign s_axil_rdata   = rdata_q;
    assign s_axil_rresp   = rresp_q;
    assign s_axil_ruser   = ruser_q;

    logic unused;
    assign unused = ^{s_axil_awaddr[2:0], s_axil_araddr[1:0]};
endmodule
`default_nettype wire
`resetall
