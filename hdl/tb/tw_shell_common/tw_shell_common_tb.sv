// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_shell_common_tb: the board shells' common modules side by side on one clock, so that a
// single simulator build serves the bench (test_tw_shell_common.py): tw_axi_to_axil (512-bit AXI4
// slave, 32-bit AXI4-Lite master, 16 KiB window), tw_irq_req (4 lines), tw_reset_sync (3 stages,
// 16 cycles).
module tw_shell_common_tb (
    input  wire          clk,
    input  wire          rst,
    // tw_axi_to_axil
    input  wire  [3:0]   s_axi_awid,
    input  wire  [63:0]  s_axi_awaddr,
    input  wire  [7:0]   s_axi_awlen,
    input  wire  [2:0]   s_axi_awprot,
    input  wire          s_axi_awvalid,
    output logic         s_axi_awready,
    input  wire  [511:0] s_axi_wdata,
    input  wire  [63:0]  s_axi_wstrb,
    input  wire          s_axi_wlast,
    input  wire          s_axi_wvalid,
    output logic         s_axi_wready,
    output logic [3:0]   s_axi_bid,
    output logic [1:0]   s_axi_bresp,
    output logic         s_axi_bvalid,
    input  wire          s_axi_bready,
    input  wire  [3:0]   s_axi_arid,
    input  wire  [63:0]  s_axi_araddr,
    input  wire  [7:0]   s_axi_arlen,
    input  wire  [2:0]   s_axi_arprot,
    input  wire          s_axi_arvalid,
    output logic         s_axi_arready,
    output logic [3:0]   s_axi_rid,
    output logic [511:0] s_axi_rdata,
    output logic [1:0]   s_axi_rresp,
    output logic         s_axi_rlast,
    output logic         s_axi_rvalid,
    input  wire          s_axi_rready,
    output logic [13:0]  m_axil_awaddr,
    output logic [2:0]   m_axil_awprot,
    output logic         m_axil_awvalid,
    input  wire          m_axil_awready,
    output logic [31:0]  m_axil_wdata,
    output logic [3:0]   m_axil_wstrb,
    output logic         m_axil_wvalid,
    input  wire          m_axil_wready,
    input  wire  [1:0]   m_axil_bresp,
    input  wire          m_axil_bvalid,
    output logic         m_axil_bready,
    output logic [13:0]  m_axil_araddr,
    output logic [2:0]   m_axil_arprot,
    output logic         m_axil_arvalid,
    input  wire          m_axil_arready,
    input  wire  [31:0]  m_axil_rdata,
    input  wire  [1:0]   m_axil_rresp,
    input  wire          m_axil_rvalid,
    output logic         m_axil_rready,
    // tw_irq_req
    input  wire  [3:0]   irq_pulse,
    output logic [3:0]   irq_req,
    input  wire  [3:0]   irq_ack,
    // tw_reset_sync
    input  wire          rs_arst,
    output logic         rs_rst
);
    tw_axi_to_axil #(.ADDR_W(64), .DATA_W(512), .ID_W(4), .AXIL_ADDR_W(14)) u_axi_to_axil (.*);
    tw_irq_req #(.N(4)) u_irq_req (.clk, .rst, .pulse(irq_pulse), .req(irq_req), .ack(irq_ack));
    tw_reset_sync #(.STAGES(3), .HOLD_W(4)) u_reset_sync (.clk, .arst(rs_arst), .rst(rs_rst));
endmodule
`default_nettype wire
`resetall
