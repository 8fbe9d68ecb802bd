// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_axi_to_axil: the PCIe bridge's BAR master (AXI4, wide data) to tw_core's CSR slave
// (AXI4-Lite, 32 bits). The host reaches the CSRs with aligned 32-bit MMIO only (the register
// map's rule), which the bridge turns into single-beat AXI4 transactions whose 32-bit lane is
// picked by address bits [log2(DATA_W/8)-1:2]; this module carries exactly those, one read and
// one write at a time, and answers anything else with SLVERR without touching the CSRs:
//   - a burst (len != 0): every beat is taken (writes) or returned (reads, data 0), SLVERR;
//   - a write whose strobes reach outside the addressed 32-bit lane (a 64-bit store).
// Read data is the 32-bit word replicated into every lane, so it is right whichever lane the
// bridge takes. Addresses above the CSR window alias into it (AXIL_ADDR_W low bits are passed).
//
// Write: Idle -(AW)-> Data -(W beats .. last)-> Lite (AW+W to the CSRs) -> LiteResp -> Resp
//                                          \-(error)------------------------------------^
// Read:  Idle -(AR, len 0)-> Lite -> LiteData -> Resp ;  Idle -(AR, len > 0)-> BurstErr (len+1 beats)
// The slave waits for AW before taking W (allowed by AXI4). All outputs come from flops.
module tw_axi_to_axil #(
    parameter int ADDR_W      = 64,
    parameter int DATA_W      = 512,
    parameter int ID_W        = 4,
    parameter int AXIL_ADDR_W = 14
) (
    input  wire                    clk,
    input  wire                    rst,

    // AXI4 slave (from the bridge)
    input  wire  [ID_W-1:0]        s_axi_awid,
    input  wire  [ADDR_W-1:0]      s_axi_awaddr,
    input  wire  [7:0]             s_axi_awlen,
    input  wire  [2:0]             s_axi_awprot,
    input  wire                    s_axi_awvalid,
    output logic                   s_axi_awready,
    input  wire  [DATA_W-1:0]      s_axi_wdata,
    input  wire  [DATA_W/8-1:0]    s_axi_wstrb,
    input  wire                    s_axi_wlast,
    input  wire                    s_axi_wvalid,
    output logic                   s_axi_wready,
    output logic [ID_W-1:0]        s_axi_bid,
    output logic [1:0]             s_axi_bresp,
    output logic                   s_axi_bvalid,
    input  wire                    s_axi_bready,
    input  wire  [ID_W-1:0]        s_axi_arid,
    input  wire  [ADDR_W-1:0]      s_axi_araddr,
    input  wire  [7:0]             s_axi_arlen,
    input  wire  [2:0]             s_axi_arprot,
    input  wire                    s_axi_arvalid,
    output logic                   s_axi_arready,
    output logic [ID_W-1:0]        s_axi_rid,
    output logic [DATA_W-1:0]      s_axi_rdata,
    output logic [1:0]             s_axi_rresp,
    output logic                   s_axi_rlast,
    output logic                   s_axi_rvalid,
    input  wire                    s_axi_rready,

    // AXI4-Lite master (to the CSR block)
    output logic [AXIL_ADDR_W-1:0] m_axil_awaddr,
    output logic [2:0]             m_axil_awprot,
    output logic                   m_axil_awvalid,
    input  wire                    m_axil_awready,
    output logic [31:0]            m_axil_wdata,
    output logic [3:0]             m_axil_wstrb,
    output logic                   m_axil_wvalid,
    input  wire                    m_axil_wready,
    input  wire  [1:0]             m_axil_bresp,
    input  wire                    m_axil_bvalid,
    output logic                   m_axil_bready,
    output logic [AXIL_ADDR_W-1:0] m_axil_araddr,
    output logic [2:0]             m_axil_arprot,
    output logic                   m_axil_arvalid,
    input  wire                    m_axil_arready,
    input  wire  [31:0]            m_axil_rdata,
    input  wire  [1:0]             m_axil_rresp,
    input  wire                    m_axil_rvalid,
    output logic                   m_axil_rready
);
    localparam int LANES  = DATA_W / 32;
    localparam int LANE_W = $clog2(LANES);
    localparam logic [1:0] RESP_SLVERR = 2'b10;

    generate
        if (DATA_W < 64 || DATA_W % 32 != 0 || (1 << LANE_W) != LANES) begin : gen_bad_data_w
            initial $fatal(1, "tw_axi_to_axil: DATA_W=%0d must be a power-of-two multiple of 32, >= 64", DATA_W);
        end
        if (AXIL_ADDR_W < LANE_W + 2 || AXIL_ADDR_W > ADDR_W) begin : gen_bad_axil_addr_w
            initial $fatal(1, "tw_axi_to_axil: AXIL_ADDR_W=%0d out of range", AXIL_ADDR_W);
        end
    endgenerate

    // ------------------------------------------------------------------ writes
    typedef enum logic [2:0] { WrIdle, WrData, WrLite, WrLiteResp, WrResp } wr_state_e;
    wr_state_e               wr_state_q, wr_state_d;
    logic [ID_W-1:0]         wr_id_q, wr_id_d;
    logic [AXIL_ADDR_W-1:0]  wr_addr_q, wr_addr_d;
    logic [2:0]              wr_prot_q, wr_prot_d;
    logic                    wr_err_q, wr_err_d;      // burst, or strobes outside the lane
    logic                    wr_first_q, wr_first_d;  // the next W beat is the transaction's first
    logic [31:0]             wr_data_q, wr_data_d;
    logic [3:0]              wr_strb_q, wr_strb_d;
    logic                    aw_sent_q, aw_sent_d, w_sent_q, w_sent_d;
    logic [1:0]              wr_resp_q, wr_resp_d;

    logic [LANE_W-1:0]       wr_lane;
    logic [DATA_W/8-1:0]     wr_lane_mask;
    assign wr_lane      = wr_addr_q[LANE_W+1:2];
    assign wr_lane_mask = (DATA_W/8)'(4'hF) << (4 * wr_lane);

    always_comb begin
        wr_state_d = wr_state_q;
        wr_id_d    = wr_id_q;
        wr_addr_d  = wr_addr_q;
        wr_prot_d  = wr_prot_q;
        wr_err_d   = wr_err_q;
        wr_first_d = wr_first_q;
        wr_data_d  = wr_data_q;
        wr_strb_d  = wr_strb_q;
        aw_sent_d  = aw_sent_q;
        w_sent_d   = w_sent_q;
        wr_resp_d  = wr_resp_q;
        unique case (wr_state_q)
            WrIdle: begin
                if (s_axi_awvalid) begin
                    wr_id_d    = s_axi_awid;
                    wr_addr_d  = {s_axi_awaddr[AXIL_ADDR_W-1:2], 2'b00};
                    wr_prot_d  = s_axi_awprot;
                    wr_err_d   = s_axi_awlen != 8'd0;
                    wr_first_d = 1'b1;
                    wr_state_d = WrData;
                end
            end
            WrData: begin
                if (s_axi_wvalid) begin
                    if (wr_first_q) begin
                        wr_data_d = s_axi_wdata[32 * wr_lane +: 32];
                        wr_strb_d = s_axi_wstrb[4 * wr_lane +: 4];
                        if ((s_axi_wstrb & ~wr_lane_mask) != '0) wr_err_d = 1'b1;
                    end
                    wr_first_d = 1'b0;
                    if (s_axi_wlast) begin
                        aw_sent_d  = 1'b0;
                        w_sent_d   = 1'b0;
                        wr_resp_d  = RESP_SLVERR;
                        wr_state_d = wr_err_d ? WrResp : WrLite;
                    end
                end
            end
            WrLite: begin
                if (m_axil_awready) aw_sent_d = 1'b1;
                if (m_axil_wready)  w_sent_d  = 1'b1;
                if (aw_sent_d && w_sent_d) wr_state_d = WrLiteResp;
            end
            WrLiteResp: begin
                if (m_axil_bvalid) begin
                    wr_resp_d  = m_axil_bresp;
                    wr_state_d = WrResp;
                end
            end
            WrResp: begin
                if (s_axi_bready) wr_state_d = WrIdle;
            end
            default: wr_state_d = WrIdle;
        endcase
    end

    always_ff @(posedge clk) begin
        if (rst) begin
            wr_state_q <= WrIdle;
            aw_sent_q  <= 1'b0;
            w_sent_q   <= 1'b0;
        end else begin
            wr_state_q <= wr_state_d;
            aw_sent_q  <= aw_sent_d;
            w_sent_q   <= w_sent_d;
        end
    end
    always_ff @(posedge clk) begin
        wr_id_q    <= wr_id_d;
        wr_addr_q  <= wr_addr_d;
        wr_prot_q  <= wr_prot_d;
        wr_err_q   <= wr_err_d;
        wr_first_q <= wr_first_d;
        wr_data_q  <= wr_data_d;
        wr_strb_q  <= wr_strb_d;
        wr_resp_q  <= wr_resp_d;
    end

    assign s_axi_awready  = wr_state_q == WrIdle;
    assign s_axi_wready   = wr_state_q == WrData;
    assign s_axi_bvalid   = wr_state_q == WrResp;
    assign s_axi_bid      = wr_id_q;
    assign s_axi_bresp    = wr_resp_q;
    assign m_axil_awvalid = wr_state_q == WrLite && !aw_sent_q;
    assign m_axil_awaddr  = wr_addr_q;
    assign m_axil_awprot  = wr_prot_q;
    assign m_axil_wvalid  = wr_state_q == WrLite && !w_sent_q;
    assign m_axil_wdata   = wr_data_q;
    assign m_axil_wstrb   = wr_strb_q;
    assign m_axil_bready  = wr_state_q == WrLiteResp;

    // ------------------------------------------------------------------ reads
    typedef enum logic [2:0] { RdIdle, RdLite, RdLiteData, RdResp, RdBurstErr } rd_state_e;
    rd_state_e               rd_state_q, rd_state_d;
    logic [ID_W-1:0]         rd_id_q, rd_id_d;
    logic [AXIL_ADDR_W-1:0]  rd_addr_q, rd_addr_d;
    logic [2:0]              rd_prot_q, rd_prot_d;
    logic [7:0]              rd_left_q, rd_left_d;    // BurstErr: beats still to return after this one
    logic [31:0]             rd_data_q, rd_data_d;
    logic [1:0]              rd_resp_q, rd_resp_d;

    always_comb begin
        rd_state_d = rd_state_q;
        rd_id_d    = rd_id_q;
        rd_addr_d  = rd_addr_q;
        rd_prot_d  = rd_prot_q;
        rd_left_d  = rd_left_q;
        rd_data_d  = rd_data_q;
        rd_resp_d  = rd_resp_q;
        unique case (rd_state_q)
            RdIdle: begin
                if (s_axi_arvalid) begin
                    rd_id_d   = s_axi_arid;
                    rd_addr_d = {s_axi_araddr[AXIL_ADDR_W-1:2], 2'b00};
                    rd_prot_d = s_axi_arprot;
                    rd_left_d = s_axi_arlen;
                    if (s_axi_arlen == 8'd0) begin
                        rd_state_d = RdLite;
                    end else begin
                        rd_data_d  = '0;
                        rd_resp_d  = RESP_SLVERR;
                        rd_state_d = RdBurstErr;
                    end
                end
            end
            RdLite: begin
                if (m_axil_arready) rd_state_d = RdLiteData;
            end
            RdLiteData: begin
                if (m_axil_rvalid) begin
                    rd_data_d  = m_axil_rdata;
                    rd_resp_d  = m_axil_rresp;
                    rd_state_d = RdResp;
                end
            end
            RdResp: begin
                if (s_axi_rready) rd_state_d = RdIdle;
            end
            RdBurstErr: begin
                if (s_axi_rready) begin
                    rd_left_d = rd_left_q - 8'd1;
                    if (rd_left_q == 8'd0) rd_state_d = RdIdle;
                end
            end
            default: rd_state_d = RdIdle;
        endcase
    end

    always_ff @(posedge clk) begin
        if (rst) rd_state_q <= RdIdle;
        else     rd_state_q <= rd_state_d;
    end
    always_ff @(posedge clk) begin
        rd_id_q   <= rd_id_d;
        rd_addr_q <= rd_addr_d;
        rd_prot_q <= rd_prot_d;
        rd_left_q <= rd_left_d;
        rd_data_q <= rd_data_d;
        rd_resp_q <= rd_resp_d;
    end

    assign s_axi_arready  = rd_state_q == RdIdle;
    assign s_axi_rvalid   = rd_state_q == RdResp || rd_state_q == RdBurstErr;
    assign s_axi_rid      = rd_id_q;
    assign s_axi_rdata    = {LANES{rd_data_q}};
    assign s_axi_rresp    = rd_resp_q;
    assign s_axi_rlast    = rd_state_q == RdResp || rd_left_q == 8'd0;
    assign m_axil_arvalid = rd_state_q == RdLite;
    assign m_axil_araddr  = rd_addr_q;
    assign m_axil_arprot  = rd_prot_q;
    assign m_axil_rready  = rd_state_q == RdLiteData;

    // Address bits above the CSR window and below the 32-bit word: not decoded (see header).
    logic unused;
    assign unused = ^{s_axi_awaddr[ADDR_W-1:AXIL_ADDR_W], s_axi_awaddr[1:0],
                      s_axi_araddr[ADDR_W-1:AXIL_ADDR_W], s_axi_araddr[1:0]};

`ifndef SYNTHESIS
    always_ff @(posedge clk) begin
        if (!rst) begin
            assert (!$isunknown(s_axi_awvalid) && !$isunknown(s_axi_wvalid) && !$isunknown(s_axi_arvalid))
                else $error("tw_axi_to_axil: X on a valid input");
        end
    end
`endif
endmodule
`default_nettype wire
`resetall
