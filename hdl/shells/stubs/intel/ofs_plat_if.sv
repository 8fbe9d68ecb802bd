// SPDX-License-Identifier: Apache-2.0
// LINT ONLY, NEVER SYNTHESIZED. Stand-in for the PIM's top-level platform interface ofs_plat_if
// (generated per FIM by gen_ofs_plat_if) as tw_afu_d5005 sees it: host_chan.ports[0] (the
// primary host channel, with the OPAE-managed MMIO) and hssi.channels[] (one per Ethernet
// channel). The native host-channel port is opaque here: only the PIM's shim touches it.
`resetall
`timescale 1ns/1ps
`default_nettype none
interface ofs_plat_host_chan_port_if ();
    wire  clk;
    logic reset_n;
    // driven by the FIM; constants here
    assign clk     = 1'b0;
    assign reset_n = 1'b0;
endinterface

interface ofs_plat_host_chan_fiu_if #(parameter NUM_PORTS = 1) ();
    ofs_plat_host_chan_port_if ports[NUM_PORTS] ();
    // The lint (Verilator) cannot pass ports[0] on through a nested interface: the AFU uses this instead
    // under `ifdef VERILATOR (tw_afu_d5005.sv).
    ofs_plat_host_chan_port_if port0_lint ();
endinterface

interface ofs_plat_hssi_channel_if ();
    ofs_fim_eth_rx_axis_if          data_rx ();
    ofs_fim_eth_tx_axis_if          data_tx ();
    ofs_fim_eth_sideband_rx_axis_if sb_rx ();
    ofs_fim_eth_sideband_tx_axis_if sb_tx ();
endinterface

interface ofs_plat_hssi_fiu_if #(parameter NUM_CHANNELS = 8) ();
    ofs_plat_hssi_channel_if channels[NUM_CHANNELS] ();
    ofs_plat_hssi_channel_if channel0_lint ();
endinterface

interface ofs_plat_if ();
    ofs_plat_host_chan_fiu_if host_chan ();
    ofs_plat_hssi_fiu_if      hssi ();
endinterface
`default_nettype wire
`resetall
