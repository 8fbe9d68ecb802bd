// SPDX-License-Identifier: Apache-2.0
// LINT ONLY, NEVER SYNTHESIZED. Stand-ins for the PIM modules tw_afu_d5005 instantiates, with
// their parameters and ports (OFS ofs-platform-afu-bbb; usage as in OPAE intel-fpga-bbb
// samples/tutorial/afu_types/01_pim_ifc/hello_world/hw/rtl/axi/ofs_plat_afu.sv and the OFS PIM
// AFU developer guide): every output is a constant.
`resetall
`timescale 1ns/1ps
`default_nettype none
module ofs_plat_host_chan_as_axi_mem_with_mmio #(
    parameter ADD_CLOCK_CROSSING = 0,
    parameter ADD_TIMING_REG_STAGES = 0
) (
    ofs_plat_host_chan_port_if         to_fiu,
    ofs_plat_axi_mem_if.to_source_clk  host_mem_to_afu,
    ofs_plat_axi_mem_lite_if.to_sink_clk mmio_to_afu,
    input  wire                        afu_clk,
    input  wire                        afu_reset_n
);
    assign host_mem_to_afu.clk     = to_fiu.clk;
    assign host_mem_to_afu.reset_n = to_fiu.reset_n;
    assign mmio_to_afu.clk         = to_fiu.clk;
    assign mmio_to_afu.reset_n     = to_fiu.reset_n;
    assign host_mem_to_afu.awready = 1'b0;
    assign host_mem_to_afu.wready  = 1'b0;
    assign host_mem_to_afu.bvalid  = 1'b0;
    assign host_mem_to_afu.b       = '0;
    assign host_mem_to_afu.arready = 1'b0;
    assign host_mem_to_afu.rvalid  = 1'b0;
    assign host_mem_to_afu.r       = '0;
    assign mmio_to_afu.awvalid = 1'b0;
    assign mmio_to_afu.aw      = '0;
    assign mmio_to_afu.wvalid  = 1'b0;
    assign mmio_to_afu.w       = '0;
    assign mmio_to_afu.bready  = 1'b1;
    assign mmio_to_afu.arvalid = 1'b0;
    assign mmio_to_afu.ar      = '0;
    assign mmio_to_afu.rready  = 1'b1;
endmodule

module ofs_plat_hssi_as_axi_st #(
    parameter ADD_CLOCK_CROSSING = 0,
    parameter ADD_TIMING_REG_STAGES = 0
) (
    ofs_plat_hssi_channel_if                to_fiu,
    ofs_fim_eth_rx_axis_if.master           eth_rx_st,
    ofs_fim_eth_tx_axis_if.slave            eth_tx_st,
    ofs_fim_eth_sideband_rx_axis_if.master  eth_sb_rx,
    ofs_fim_eth_sideband_tx_axis_if.slave   eth_sb_tx,
    input  wire                             afu_clk,
    input  wire                             afu_reset_n
);
    assign eth_rx_st.clk   = 1'b0;
    assign eth_rx_st.rst_n = 1'b0;
    assign eth_rx_st.rx    = '0;
    assign eth_tx_st.clk   = 1'b0;
    assign eth_tx_st.rst_n = 1'b0;
    assign eth_tx_st.tready = 1'b0;
    assign eth_sb_rx.clk   = 1'b0;
    assign eth_sb_rx.rst_n = 1'b0;
    assign eth_sb_rx.sb    = '0;
    assign eth_sb_tx.clk   = 1'b0;
    assign eth_sb_tx.rst_n = 1'b0;
endmodule

module ofs_plat_if_tie_off_unused #(
    parameter HOST_CHAN_IN_USE_MASK = 0,
    parameter HOST_CHAN_G1_IN_USE_MASK = 0,
    parameter LOCAL_MEM_IN_USE_MASK = 0,
    parameter HSSI_IN_USE_MASK = 0,
    parameter QUIET = 0
) (
    ofs_plat_if plat_ifc
);
endmodule
`default_nettype wire
`resetall
