// SPDX-License-Identifier: Apache-2.0
// LINT ONLY, NEVER SYNTHESIZED. Stand-ins for the PIM/FIM packages the d5005 AFU's interfaces
// use: ofs_plat_axi_mem_pkg (AXI field types, OFS ofs-platform-afu-bbb
// plat_if_develop/ofs_plat_if/src/rtl/base_ifcs/axi/) and ofs_fim_eth_if_pkg (HE-HSSI AXI-S RX
// struct: tvalid, tlast, tdata[63:0], tkeep[7:0], tuser.error[5:0]; OFS ofs-fim-common / the
// D5005 FIM's ofs_fim_eth_plat_if_pkg: ETH_PACKET_WIDTH 64, ETH_RX_ERROR_WIDTH 6).
`resetall
`timescale 1ns/1ps
`default_nettype none
package ofs_plat_axi_mem_pkg;
    typedef logic [2:0] t_axi_log2_beat_size;
    typedef logic [2:0] t_axi_prot;
    typedef logic [1:0] t_axi_resp;
    typedef logic [1:0] t_axi_burst_type;
    typedef logic       t_axi_lock;
    typedef logic [3:0] t_axi_memory_type;
    typedef logic [3:0] t_axi_qos;
    typedef logic [3:0] t_axi_region;
    typedef logic [5:0] t_axi_atomic;
endpackage

package ofs_fim_eth_if_pkg;
    localparam int ETH_PACKET_WIDTH   = 64;
    localparam int ETH_TKEEP_WIDTH    = ETH_PACKET_WIDTH / 8;
    localparam int ETH_RX_ERROR_WIDTH = 6;
    localparam int ETH_TX_ERROR_WIDTH = 1;
    typedef struct packed { logic [ETH_RX_ERROR_WIDTH-1:0] error; } t_axis_eth_rx_tuser;
    typedef struct packed { logic [ETH_TX_ERROR_WIDTH-1:0] error; } t_axis_eth_tx_tuser;
    typedef struct packed {
        logic                        tvalid;
        logic                        tlast;
        logic [ETH_PACKET_WIDTH-1:0] tdata;
        logic [ETH_TKEEP_WIDTH-1:0]  tkeep;
        t_axis_eth_rx_tuser          tuser;
    } t_axis_eth_rx;
    typedef struct packed {
        logic                        tvalid;
        logic                        tlast;
        logic [ETH_PACKET_WIDTH-1:0] tdata;
        logic [ETH_TKEEP_WIDTH-1:0]  tkeep;
        t_axis_eth_tx_tuser          tuser;
    } t_axis_eth_tx;
    typedef struct packed { logic pause_xoff; logic pause_xon; logic [7:0] pfc_xoff; } t_eth_sideband_to_mac;
    typedef struct packed { logic pfc_pause; } t_eth_sideband_from_mac;
    typedef struct packed { logic tvalid; t_eth_sideband_from_mac tdata; } t_axis_eth_sideband_rx;
    typedef struct packed { logic tvalid; t_eth_sideband_to_mac tdata; } t_axis_eth_sideband_tx;
endpackage
`default_nettype wire
`resetall
