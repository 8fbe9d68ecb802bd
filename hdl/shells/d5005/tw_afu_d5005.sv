// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
`include "ofs_plat_if.vh"
// tw_afu_d5005: the AFU ("green bits") of the Intel PAC D5005 on the OFS FIM, built with the
// Platform Interface Manager (PIM): tw_core between the FIM's HE-HSSI Ethernet channel 0
// (10GBASE-R MAC in the FIM, AXI-S 64-bit) and the primary host channel, which the PIM maps to
// AXI-MM (DMA) plus AXI-Lite (MMIO). The module name ofs_plat_afu is fixed by the PIM (the AFU
// JSON's afu-top-interface class "ofs_plat_afu"); hdl/shells/d5005/sources.txt lists the files.
//
//   HSSI ch 0 --ofs_plat_hssi_as_axi_st--> eth_rx (AXI-S 64b, MAC clock) --> tw_core s_axis (rx_clk)
//   host_chan.ports[0] --ofs_plat_host_chan_as_axi_mem_with_mmio-->
//        mmio64 (AXI-Lite 64b, PIM clk) -> tw_mmio64_to_axil -> tw_core CSRs (clk)
//        tw_core DMA (AXI4 write, 512b, clk) -> host_mem (AXI-MM 512b) -> PCIe writes to host rings
//
// Clocks: clk = the host channel's clock (host_mem.clk: the FIM's pClk, no PIM clock crossing);
// rx_clk = the MAC's RX stream clock (eth_rx.clk: 156.25 MHz for 10G with a 64-bit stream).
// Resets as on Alveo (hdl/shells/common/tw_shell_alveo.sv): tw_core needs rst and rx_rst asserted
// together, so neither is ever asserted alone:
//   rst    <- sync_clk( !host_mem.reset_n | !eth_rx.rst_n )
//   rx_rst <- sync_rx ( rst | !eth_rx.rst_n )
// A port reset from OPAE (fpgaReset, AFU load) resets the core, CSRs included.
// Interrupts: tw_core's irq pulses are not connected (the PIM AXI-MM host channel has no
// interrupt port in the form used here; the driver polls). Listed in docs/hardware.md.
// The lint of `make shells-check` (Verilator) cannot connect an element of an interface array that
// sits inside another interface (plat_ifc.host_chan.ports[0]); the lint stubs give it the same
// ports under a scalar name instead. Quartus always takes the PIM's real path.
`ifdef VERILATOR
  `define TW_HOST_CHAN_PORT0 plat_ifc.host_chan.port0_lint
  `define TW_HSSI_CHANNEL0   plat_ifc.hssi.channel0_lint
`else
  `define TW_HOST_CHAN_PORT0 plat_ifc.host_chan.ports[0]
  `define TW_HSSI_CHANNEL0   plat_ifc.hssi.channels[0]
`endif
module ofs_plat_afu (
    ofs_plat_if plat_ifc
);
    // ------------------------------------------------------------------ host channel
    ofs_plat_axi_mem_if #(
        `HOST_CHAN_AXI_MEM_PARAMS,
        .LOG_CLASS(ofs_plat_log_pkg::HOST_CHAN)
    ) host_mem ();

    ofs_plat_axi_mem_lite_if #(
        `HOST_CHAN_AXI_MMIO_PARAMS(64),
        .LOG_CLASS(ofs_plat_log_pkg::HOST_CHAN)
    ) mmio64 ();

    ofs_plat_host_chan_as_axi_mem_with_mmio u_host_chan (
        .to_fiu(`TW_HOST_CHAN_PORT0),     // the primary port: OPAE MMIO lives here
        .host_mem_to_afu(host_mem),
        .mmio_to_afu(mmio64),
        .afu_clk(1'b0),            // no clock crossing: the AFU runs on the host channel's clock
        .afu_reset_n(1'b1)
    );

    // ------------------------------------------------------------------ HSSI channel 0
    ofs_fim_eth_rx_axis_if          eth_rx ();
    ofs_fim_eth_tx_axis_if          eth_tx ();
    ofs_fim_eth_sideband_rx_axis_if eth_sb_rx ();
    ofs_fim_eth_sideband_tx_axis_if eth_sb_tx ();

    ofs_plat_hssi_as_axi_st u_hssi0 (
        .to_fiu(`TW_HSSI_CHANNEL0),
        .eth_rx_st(eth_rx),
        .eth_tx_st(eth_tx),
        .eth_sb_rx(eth_sb_rx),
        .eth_sb_tx(eth_sb_tx),
        .afu_clk(1'b0),
        .afu_reset_n(1'b1)
    );

    // The card never transmits; no pause frames are requested.
    assign eth_tx.tx     = '0;
    assign eth_sb_tx.sb  = '0;

    // Everything but host channel 0 and HSSI channel 0 is tied off by the PIM.
    ofs_plat_if_tie_off_unused #(
        .HOST_CHAN_IN_USE_MASK(1),
        .HSSI_IN_USE_MASK(1)
    ) u_tie_off (plat_ifc);

    // ------------------------------------------------------------------ tickwire
    tw_shell_d5005 u_shell (.host_mem(host_mem), .mmio64(mmio64), .eth_rx(eth_rx), .eth_tx_tready(eth_tx.tready),
                            .eth_sb_rx(eth_sb_rx));
endmodule
`undef TW_HOST_CHAN_PORT0
`undef TW_HSSI_CHANNEL0
`default_nettype wire
`resetall
