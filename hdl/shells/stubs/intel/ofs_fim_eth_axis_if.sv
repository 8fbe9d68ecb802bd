// SPDX-License-Identifier: Apache-2.0
// LINT ONLY, NEVER SYNTHESIZED. Stand-ins for the FIM's HE-HSSI AXI-S interfaces (OFS
// ofs-fim-common ofs_fim_eth_if.sv, the generation the D5005 OFS FIM uses: clk, rst_n (active
// low) and one packed struct per channel, plus tready; master = the MAC side).
`resetall
`timescale 1ns/1ps
`default_nettype none
interface ofs_fim_eth_rx_axis_if ();
    import ofs_fim_eth_if_pkg::*;
    logic clk;
    logic rst_n;
    t_axis_eth_rx rx;
    logic tready;
    modport master (input tready, output clk, output rst_n, output rx);
    modport slave  (output tready, input clk, input rst_n, input rx);
endinterface

interface ofs_fim_eth_tx_axis_if ();
    import ofs_fim_eth_if_pkg::*;
    logic clk;
    logic rst_n;
    t_axis_eth_tx tx;
    logic tready;
    modport master (input tready, input clk, input rst_n, output tx);
    modport slave  (output tready, output clk, output rst_n, input tx);
endinterface

interface ofs_fim_eth_sideband_rx_axis_if ();
    import ofs_fim_eth_if_pkg::*;
    logic clk;
    logic rst_n;
    t_axis_eth_sideband_rx sb;
    modport master (output clk, output rst_n, output sb);
    modport slave  (input clk, input rst_n, input sb);
endinterface

interface ofs_fim_eth_sideband_tx_axis_if ();
    import ofs_fim_eth_if_pkg::*;
    logic clk;
    logic rst_n;
    t_axis_eth_sideband_tx sb;
    modport master (input clk, input rst_n, output sb);
    modport slave  (output clk, output rst_n, input sb);
endinterface
`default_nettype wire
`resetall
