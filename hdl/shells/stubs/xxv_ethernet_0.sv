// SPDX-License-Identifier: Apache-2.0
// LINT ONLY, NEVER SYNTHESIZED. A stand-in for the Vivado-generated wrapper of the AMD 10G/25G High
// Speed Ethernet Subsystem (xxv_ethernet) as bitstreams/alveo_ip.tcl configures it on every Alveo
// board (the GT site and reference clock differ, the ports do not): one core, MAC+PCS/PMA 64-bit, 10GBASE-R, AXI4-Stream, no AXI4-Lite, RX FIFO, GT and shared logic in the
// core, so that `make shells-check` can elaborate the board shell with tw_core under Verilator. It
// has the generated wrapper's module name and ports (one per line, literal widths:
// bitstreams/alveo_build.tcl compares this list with the instantiation template Vivado generates
// for the IP and stops on any difference) and no behaviour: every output is a constant. It lives in
// hdl/shells/stubs/, which no synthesis recipe reads.
//
// Port list sources: the instantiation of a generated xxv_ethernet_0 with the same options
// (AXI4-Stream, no AXI4-Lite, ctl_*/stat_* ports, gtpowergood_out_0, gt_loopback_in_0,
// qpllreset_in_0, txoutclksel_in_0/rxoutclksel_in_0) found in public code, the Vivado 2017.1
// generated wrapper eniac/Flightplan RSEInterface/.../design_1_xxv_ethernet_0_0.v (gt_refclk_p/n,
// gt_refclk_out, sys_reset, dclk, rx_core_clk_0, *_0 suffixes), PG210 port tables.
`resetall
`timescale 1ns/1ps
`default_nettype none
module xxv_ethernet_0 (
    input  wire  gt_rxp_in_0,
    input  wire  gt_rxn_in_0,
    output logic gt_txp_out_0,
    output logic gt_txn_out_0,
    input  wire  gt_refclk_p,
    input  wire  gt_refclk_n,
    output logic gt_refclk_out,
    input  wire  rx_core_clk_0,
    output logic tx_clk_out_0,
    output logic rx_clk_out_0,
    input  wire  [2:0] txoutclksel_in_0,
    input  wire  [2:0] rxoutclksel_in_0,
    input  wire  gtwiz_reset_tx_datapath_0,
    input  wire  gtwiz_reset_rx_datapath_0,
    output logic rxrecclkout_0,
    input  wire  sys_reset,
    input  wire  dclk,
    output logic gtpowergood_out_0,
    input  wire  rx_reset_0,
    output logic user_rx_reset_0,
    output logic rx_axis_tvalid_0,
    output logic [63:0] rx_axis_tdata_0,
    output logic rx_axis_tlast_0,
    output logic [7:0] rx_axis_tkeep_0,
    output logic rx_axis_tuser_0,
    input  wire  ctl_rx_enable_0,
    input  wire  ctl_rx_check_preamble_0,
    input  wire  ctl_rx_check_sfd_0,
    input  wire  ctl_rx_force_resync_0,
    input  wire  ctl_rx_delete_fcs_0,
    input  wire  ctl_rx_ignore_fcs_0,
    input  wire  [14:0] ctl_rx_max_packet_len_0,
    input  wire  [7:0] ctl_rx_min_packet_len_0,
    input  wire  ctl_rx_process_lfi_0,
    input  wire  ctl_rx_test_pattern_0,
    input  wire  ctl_rx_data_pattern_select_0,
    input  wire  ctl_rx_test_pattern_enable_0,
    input  wire  ctl_rx_custom_preamble_enable_0,
    output logic stat_rx_framing_err_0,
    output logic stat_rx_framing_err_valid_0,
    output logic stat_rx_local_fault_0,
    output logic stat_rx_block_lock_0,
    output logic stat_rx_valid_ctrl_code_0,
    output logic stat_rx_status_0,
    output logic stat_rx_remote_fault_0,
    output logic [1:0] stat_rx_bad_fcs_0,
    output logic [1:0] stat_rx_stomped_fcs_0,
    output logic stat_rx_truncated_0,
    output logic stat_rx_internal_local_fault_0,
    output logic stat_rx_received_local_fault_0,
    output logic stat_rx_hi_ber_0,
    output logic stat_rx_got_signal_os_0,
    output logic stat_rx_test_pattern_mismatch_0,
    output logic [3:0] stat_rx_total_bytes_0,
    output logic [1:0] stat_rx_total_packets_0,
    output logic [13:0] stat_rx_total_good_bytes_0,
    output logic stat_rx_total_good_packets_0,
    output logic stat_rx_packet_bad_fcs_0,
    output logic stat_rx_packet_64_bytes_0,
    output logic stat_rx_packet_65_127_bytes_0,
    output logic stat_rx_packet_128_255_bytes_0,
    output logic stat_rx_packet_256_511_bytes_0,
    output logic stat_rx_packet_512_1023_bytes_0,
    output logic stat_rx_packet_1024_1518_bytes_0,
    output logic stat_rx_packet_1519_1522_bytes_0,
    output logic stat_rx_packet_1523_1548_bytes_0,
    output logic stat_rx_packet_1549_2047_bytes_0,
    output logic stat_rx_packet_2048_4095_bytes_0,
    output logic stat_rx_packet_4096_8191_bytes_0,
    output logic stat_rx_packet_8192_9215_bytes_0,
    output logic stat_rx_packet_small_0,
    output logic stat_rx_packet_large_0,
    output logic stat_rx_unicast_0,
    output logic stat_rx_multicast_0,
    output logic stat_rx_broadcast_0,
    output logic stat_rx_oversize_0,
    output logic stat_rx_toolong_0,
    output logic stat_rx_undersize_0,
    output logic stat_rx_fragment_0,
    output logic stat_rx_vlan_0,
    output logic stat_rx_inrangeerr_0,
    output logic stat_rx_jabber_0,
    output logic stat_rx_bad_code_0,
    output logic stat_rx_bad_sfd_0,
    output logic stat_rx_bad_preamble_0,
    input  wire  tx_reset_0,
    output logic user_tx_reset_0,
    output logic tx_axis_tready_0,
    input  wire  tx_axis_tvalid_0,
    input  wire  [63:0] tx_axis_tdata_0,
    input  wire  tx_axis_tlast_0,
    input  wire  [7:0] tx_axis_tkeep_0,
    input  wire  tx_axis_tuser_0,
    output logic tx_unfout_0,
    input  wire  [55:0] tx_preamblein_0,
    output logic [55:0] rx_preambleout_0,
    output logic stat_tx_local_fault_0,
    output logic [3:0] stat_tx_total_bytes_0,
    output logic stat_tx_total_packets_0,
    output logic [13:0] stat_tx_total_good_bytes_0,
    output logic stat_tx_total_good_packets_0,
    output logic stat_tx_bad_fcs_0,
    output logic stat_tx_packet_64_bytes_0,
    output logic stat_tx_packet_65_127_bytes_0,
    output logic stat_tx_packet_128_255_bytes_0,
    output logic stat_tx_packet_256_511_bytes_0,
    output logic stat_tx_packet_512_1023_bytes_0,
    output logic stat_tx_packet_1024_1518_bytes_0,
    output logic stat_tx_packet_1519_1522_bytes_0,
    output logic stat_tx_packet_1523_1548_bytes_0,
    output logic stat_tx_packet_1549_2047_bytes_0,
    output logic stat_tx_packet_2048_4095_bytes_0,
    output logic stat_tx_packet_4096_8191_bytes_0,
    output logic stat_tx_packet_8192_9215_bytes_0,
    output logic stat_tx_packet_small_0,
    output logic stat_tx_packet_large_0,
    output logic stat_tx_unicast_0,
    output logic stat_tx_multicast_0,
    output logic stat_tx_broadcast_0,
    output logic stat_tx_vlan_0,
    output logic stat_tx_frame_error_0,
    input  wire  ctl_tx_enable_0,
    input  wire  ctl_tx_send_rfi_0,
    input  wire  ctl_tx_send_lfi_0,
    input  wire  ctl_tx_send_idle_0,
    input  wire  ctl_tx_fcs_ins_enable_0,
    input  wire  ctl_tx_ignore_fcs_0,
    input  wire  ctl_tx_test_pattern_0,
    input  wire  ctl_tx_test_pattern_enable_0,
    input  wire  ctl_tx_test_pattern_select_0,
    input  wire  ctl_tx_data_pattern_select_0,
    input  wire  [57:0] ctl_tx_test_pattern_seed_a_0,
    input  wire  [57:0] ctl_tx_test_pattern_seed_b_0,
    input  wire  [3:0] ctl_tx_ipg_value_0,
    input  wire  ctl_tx_custom_preamble_enable_0,
    input  wire  [2:0] gt_loopback_in_0,
    input  wire  qpllreset_in_0
);
    assign gt_txp_out_0 = '0;
    assign gt_txn_out_0 = '0;
    assign gt_refclk_out = '0;
    assign tx_clk_out_0 = '0;
    assign rx_clk_out_0 = '0;
    assign rxrecclkout_0 = '0;
    assign gtpowergood_out_0 = '0;
    assign user_rx_reset_0 = '0;
    assign rx_axis_tvalid_0 = '0;
    assign rx_axis_tdata_0 = '0;
    assign rx_axis_tlast_0 = '0;
    assign rx_axis_tkeep_0 = '0;
    assign rx_axis_tuser_0 = '0;
    assign stat_rx_framing_err_0 = '0;
    assign stat_rx_framing_err_valid_0 = '0;
    assign stat_rx_local_fault_0 = '0;
    assign stat_rx_block_lock_0 = '0;
    assign stat_rx_valid_ctrl_code_0 = '0;
    assign stat_rx_status_0 = '0;
    assign stat_rx_remote_fault_0 = '0;
    assign stat_rx_bad_fcs_0 = '0;
    assign stat_rx_stomped_fcs_0 = '0;
    assign stat_rx_truncated_0 = '0;
    assign stat_rx_internal_local_fault_0 = '0;
    assign stat_rx_received_local_fault_0 = '0;
    assign stat_rx_hi_ber_0 = '0;
    assign stat_rx_got_signal_os_0 = '0;
    assign stat_rx_test_pattern_mismatch_0 = '0;
    assign stat_rx_total_bytes_0 = '0;
    assign stat_rx_total_packets_0 = '0;
    assign stat_rx_total_good_bytes_0 = '0;
    assign stat_rx_total_good_packets_0 = '0;
    assign stat_rx_packet_bad_fcs_0 = '0;
    assign stat_rx_packet_64_bytes_0 = '0;
    assign stat_rx_packet_65_127_bytes_0 = '0;
    assign stat_rx_packet_128_255_bytes_0 = '0;
    assign stat_rx_packet_256_511_bytes_0 = '0;
    assign stat_rx_packet_512_1023_bytes_0 = '0;
    assign stat_rx_packet_1024_1518_bytes_0 = '0;
    assign stat_rx_packet_1519_1522_bytes_0 = '0;
    assign stat_rx_packet_1523_1548_bytes_0 = '0;
    assign stat_rx_packet_1549_2047_bytes_0 = '0;
    assign stat_rx_packet_2048_4095_bytes_0 = '0;
    assign stat_rx_packet_4096_8191_bytes_0 = '0;
    assign stat_rx_packet_8192_9215_bytes_0 = '0;
    assign stat_rx_packet_small_0 = '0;
    assign stat_rx_packet_large_0 = '0;
    assign stat_rx_unicast_0 = '0;
    assign stat_rx_multicast_0 = '0;
    assign stat_rx_broadcast_0 = '0;
    assign stat_rx_oversize_0 = '0;
    assign stat_rx_toolong_0 = '0;
    assign stat_rx_undersize_0 = '0;
    assign stat_rx_fragment_0 = '0;
    assign stat_rx_vlan_0 = '0;
    assign stat_rx_inrangeerr_0 = '0;
    assign stat_rx_jabber_0 = '0;
    assign stat_rx_bad_code_0 = '0;
    assign stat_rx_bad_sfd_0 = '0;
    assign stat_rx_bad_preamble_0 = '0;
    assign user_tx_reset_0 = '0;
    assign tx_axis_tready_0 = '0;
    assign tx_unfout_0 = '0;
    assign rx_preambleout_0 = '0;
    assign stat_tx_local_fault_0 = '0;
    assign stat_tx_total_bytes_0 = '0;
    assign stat_tx_total_packets_0 = '0;
    assign stat_tx_total_good_bytes_0 = '0;
    assign stat_tx_total_good_packets_0 = '0;
    assign stat_tx_bad_fcs_0 = '0;
    assign stat_tx_packet_64_bytes_0 = '0;
    assign stat_tx_packet_65_127_bytes_0 = '0;
    assign stat_tx_packet_128_255_bytes_0 = '0;
    assign stat_tx_packet_256_511_bytes_0 = '0;
    assign stat_tx_packet_512_1023_bytes_0 = '0;
    assign stat_tx_packet_1024_1518_bytes_0 = '0;
    assign stat_tx_packet_1519_1522_bytes_0 = '0;
    assign stat_tx_packet_1523_1548_bytes_0 = '0;
    assign stat_tx_packet_1549_2047_bytes_0 = '0;
    assign stat_tx_packet_2048_4095_bytes_0 = '0;
    assign stat_tx_packet_4096_8191_bytes_0 = '0;
    assign stat_tx_packet_8192_9215_bytes_0 = '0;
    assign stat_tx_packet_small_0 = '0;
    assign stat_tx_packet_large_0 = '0;
    assign stat_tx_unicast_0 = '0;
    assign stat_tx_multicast_0 = '0;
    assign stat_tx_broadcast_0 = '0;
    assign stat_tx_vlan_0 = '0;
    assign stat_tx_frame_error_0 = '0;
endmodule
`default_nettype wire
`resetall
