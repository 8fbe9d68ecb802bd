// SPDX-License-Identifier: Apache-2.0
// LINT ONLY, NEVER SYNTHESIZED. A stand-in for the Vivado-generated wrapper of the AMD DMA/Bridge
// Subsystem for PCIe (xdma 4.1) as bitstreams/alveo_ip.tcl configures it on every Alveo board: AXI
// Bridge functional mode, endpoint, Gen3 x16, 512-bit AXI, slave bridge on, so that
// `make shells-check` can elaborate the board shell with tw_core under Verilator. It has the generated wrapper's module name and
// ports (one per line, literal widths: bitstreams/alveo_build.tcl compares this list with the
// instantiation template Vivado generates for the IP and stops on any difference) and no behaviour:
// every output is a constant. It lives in hdl/shells/stubs/, which no synthesis recipe reads.
//
// Port list sources: synth stubs of generated XDMA bridge-mode wrappers (yu-zou/DirectNVM
// rtl_proj/bd/design_1/ip/design_1_xdma_0_0/design_1_xdma_0_0_stub.v, Vivado 2019.2: m_axib_*,
// s_axil_*, s_axib_*; a Vivado 2020.2 endpoint bridge stub with
// usr_irq_req/usr_irq_ack/msi_enable/msi_vector_width), the XDMA x16 instance in
// joonho3020/berkeley-emulation-engine fpga/alveo-u250/design/rtl/top.v (sys_clk, sys_clk_gt,
// sys_rst_n, pci_exp_*[15:0], axi_aclk, axi_aresetn), PG195 / PG344 bridge port tables. Widths
// follow alveo_ip.tcl (axi_addr_width 64, axi_data_width 512_bit, xdma_num_usr_irq 4).
`resetall
`timescale 1ns/1ps
`default_nettype none
module xdma_0 (
    input  wire  sys_clk,                                   // IBUFDS_GTE4 ODIV2 (100 MHz)
    input  wire  sys_clk_gt,                                // IBUFDS_GTE4 O
    input  wire  sys_rst_n,
    output logic [5:0] cfg_ltssm_state,
    output logic user_lnk_up,
    output logic [15:0] pci_exp_txp,
    output logic [15:0] pci_exp_txn,
    input  wire  [15:0] pci_exp_rxp,
    input  wire  [15:0] pci_exp_rxn,
    output logic axi_aclk,
    output logic axi_aresetn,
    output logic axi_ctl_aresetn,
    input  wire  [3:0] usr_irq_req,
    output logic [3:0] usr_irq_ack,
    output logic msi_enable,
    output logic [2:0] msi_vector_width,
    output logic [3:0] m_axib_awid,
    output logic [63:0] m_axib_awaddr,
    output logic [7:0] m_axib_awlen,
    output logic [2:0] m_axib_awsize,
    output logic [1:0] m_axib_awburst,
    output logic [2:0] m_axib_awprot,
    output logic m_axib_awvalid,
    input  wire  m_axib_awready,
    output logic m_axib_awlock,
    output logic [3:0] m_axib_awcache,
    output logic [511:0] m_axib_wdata,
    output logic [63:0] m_axib_wstrb,
    output logic m_axib_wlast,
    output logic m_axib_wvalid,
    input  wire  m_axib_wready,
    input  wire  [3:0] m_axib_bid,
    input  wire  [1:0] m_axib_bresp,
    input  wire  m_axib_bvalid,
    output logic m_axib_bready,
    output logic [3:0] m_axib_arid,
    output logic [63:0] m_axib_araddr,
    output logic [7:0] m_axib_arlen,
    output logic [2:0] m_axib_arsize,
    output logic [1:0] m_axib_arburst,
    output logic [2:0] m_axib_arprot,
    output logic m_axib_arvalid,
    input  wire  m_axib_arready,
    output logic m_axib_arlock,
    output logic [3:0] m_axib_arcache,
    input  wire  [3:0] m_axib_rid,
    input  wire  [511:0] m_axib_rdata,
    input  wire  [1:0] m_axib_rresp,
    input  wire  m_axib_rlast,
    input  wire  m_axib_rvalid,
    output logic m_axib_rready,
    input  wire  [31:0] s_axil_awaddr,
    input  wire  [2:0] s_axil_awprot,
    input  wire  s_axil_awvalid,
    output logic s_axil_awready,
    input  wire  [31:0] s_axil_wdata,
    input  wire  [3:0] s_axil_wstrb,
    input  wire  s_axil_wvalid,
    output logic s_axil_wready,
    output logic s_axil_bvalid,
    output logic [1:0] s_axil_bresp,
    input  wire  s_axil_bready,
    input  wire  [31:0] s_axil_araddr,
    input  wire  [2:0] s_axil_arprot,
    input  wire  s_axil_arvalid,
    output logic s_axil_arready,
    output logic [31:0] s_axil_rdata,
    output logic [1:0] s_axil_rresp,
    output logic s_axil_rvalid,
    input  wire  s_axil_rready,
    output logic interrupt_out,
    input  wire  [3:0] s_axib_awid,                         // width unverified (see docs/hardware.md)
    input  wire  [63:0] s_axib_awaddr,
    input  wire  [3:0] s_axib_awregion,
    input  wire  [7:0] s_axib_awlen,
    input  wire  [2:0] s_axib_awsize,
    input  wire  [1:0] s_axib_awburst,
    input  wire  s_axib_awvalid,
    input  wire  [511:0] s_axib_wdata,
    input  wire  [63:0] s_axib_wstrb,
    input  wire  s_axib_wlast,
    input  wire  s_axib_wvalid,
    input  wire  s_axib_bready,
    input  wire  [3:0] s_axib_arid,
    input  wire  [63:0] s_axib_araddr,
    input  wire  [3:0] s_axib_arregion,
    input  wire  [7:0] s_axib_arlen,
    input  wire  [2:0] s_axib_arsize,
    input  wire  [1:0] s_axib_arburst,
    input  wire  s_axib_arvalid,
    input  wire  s_axib_rready,
    output logic s_axib_awready,
    output logic s_axib_wready,
    output logic [3:0] s_axib_bid,
    output logic [1:0] s_axib_bresp,
    output logic s_axib_bvalid,
    output logic s_axib_arready,
    output logic [3:0] s_axib_rid,
    output logic [511:0] s_axib_rdata,
    output logic [1:0] s_axib_rresp,
    output logic s_axib_rlast,
    output logic s_axib_rvalid
);
    assign cfg_ltssm_state = '0;
    assign user_lnk_up = '0;
    assign pci_exp_txp = '0;
    assign pci_exp_txn = '0;
    assign axi_aclk = '0;
    assign axi_aresetn = '0;
    assign axi_ctl_aresetn = '0;
    assign usr_irq_ack = '0;
    assign msi_enable = '0;
    assign msi_vector_width = '0;
    assign m_axib_awid = '0;
    assign m_axib_awaddr = '0;
    assign m_axib_awlen = '0;
    assign m_axib_awsize = '0;
    assign m_axib_awburst = '0;
    assign m_axib_awprot = '0;
    assign m_axib_awvalid = '0;
    assign m_axib_awlock = '0;
    assign m_axib_awcache = '0;
    assign m_axib_wdata = '0;
    assign m_axib_wstrb = '0;
    assign m_axib_wlast = '0;
    assign m_axib_wvalid = '0;
    assign m_axib_bready = '0;
    assign m_axib_arid = '0;
    assign m_axib_araddr = '0;
    assign m_axib_arlen = '0;
    assign m_axib_arsize = '0;
    assign m_axib_arburst = '0;
    assign m_axib_arprot = '0;
    assign m_axib_arvalid = '0;
    assign m_axib_arlock = '0;
    assign m_axib_arcache = '0;
    assign m_axib_rready = '0;
    assign s_axil_awready = '0;
    assign s_axil_wready = '0;
    assign s_axil_bvalid = '0;
    assign s_axil_bresp = '0;
    assign s_axil_arready = '0;
    assign s_axil_rdata = '0;
    assign s_axil_rresp = '0;
    assign s_axil_rvalid = '0;
    assign interrupt_out = '0;
    assign s_axib_awready = '0;
    assign s_axib_wready = '0;
    assign s_axib_bid = '0;
    assign s_axib_bresp = '0;
    assign s_axib_bvalid = '0;
    assign s_axib_arready = '0;
    assign s_axib_rid = '0;
    assign s_axib_rdata = '0;
    assign s_axib_rresp = '0;
    assign s_axib_rlast = '0;
    assign s_axib_rvalid = '0;
endmodule
`default_nettype wire
`resetall
