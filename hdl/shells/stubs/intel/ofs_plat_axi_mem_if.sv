// SPDX-License-Identifier: Apache-2.0
// LINT ONLY, NEVER SYNTHESIZED. Stand-ins for the PIM's AXI interfaces (OFS ofs-platform-afu-bbb
// base_ifcs/axi/ofs_plat_axi_mem_if.sv, ofs_plat_axi_mem_lite_if.sv): the same parameters, the
// struct fields in the same order (aw: id addr len size burst lock cache prot user qos region
// atop; w: data strb last user; b: id resp user; lite aw/ar: id addr size prot user; lite r: id
// data resp user), clk/reset_n and the to_sink/to_source modports. No checker, no logging.
`resetall
`timescale 1ns/1ps
`default_nettype none
interface ofs_plat_axi_mem_if #(
    parameter ofs_plat_log_pkg::t_log_class LOG_CLASS = ofs_plat_log_pkg::NONE,
    parameter ADDR_WIDTH = 0, parameter DATA_WIDTH = 0, parameter BURST_CNT_WIDTH = 0,
    parameter RID_WIDTH = 1, parameter WID_WIDTH = 1, parameter USER_WIDTH = 1,
    parameter DISABLE_CHECKER = 0
);
    import ofs_plat_axi_mem_pkg::*;
    localparam DATA_N_BYTES = (DATA_WIDTH + 7) / 8;
    wire  clk;
    logic reset_n;
    typedef struct packed {
        logic [WID_WIDTH-1:0] id; logic [ADDR_WIDTH-1:0] addr; logic [BURST_CNT_WIDTH-1:0] len;
        t_axi_log2_beat_size size; t_axi_burst_type burst; t_axi_lock lock; t_axi_memory_type cache;
        t_axi_prot prot; logic [USER_WIDTH-1:0] user; t_axi_qos qos; t_axi_region region; t_axi_atomic atop;
    } t_axi_mem_aw;
    typedef struct packed {
        logic [DATA_WIDTH-1:0] data; logic [DATA_N_BYTES-1:0] strb; logic last; logic [USER_WIDTH-1:0] user;
    } t_axi_mem_w;
    typedef struct packed { logic [WID_WIDTH-1:0] id; t_axi_resp resp; logic [USER_WIDTH-1:0] user; } t_axi_mem_b;
    typedef struct packed {
        logic [RID_WIDTH-1:0] id; logic [ADDR_WIDTH-1:0] addr; logic [BURST_CNT_WIDTH-1:0] len;
        t_axi_log2_beat_size size; t_axi_burst_type burst; t_axi_lock lock; t_axi_memory_type cache;
        t_axi_prot prot; logic [USER_WIDTH-1:0] user; t_axi_qos qos; t_axi_region region;
    } t_axi_mem_ar;
    typedef struct packed {
        logic [RID_WIDTH-1:0] id; logic [DATA_WIDTH-1:0] data; t_axi_resp resp; logic [USER_WIDTH-1:0] user; logic last;
    } t_axi_mem_r;
    t_axi_mem_aw aw; logic awvalid, awready;
    t_axi_mem_w  w;  logic wvalid,  wready;
    t_axi_mem_b  b;  logic bvalid,  bready;
    t_axi_mem_ar ar; logic arvalid, arready;
    t_axi_mem_r  r;  logic rvalid,  rready;
    modport to_sink   (input clk, reset_n, output aw, awvalid, input awready, output w, wvalid, input wready,
                       input b, bvalid, output bready, output ar, arvalid, input arready, input r, rvalid, output rready);
    modport to_source (input clk, reset_n, input aw, awvalid, output awready, input w, wvalid, output wready,
                       output b, bvalid, input bready, input ar, arvalid, output arready, output r, rvalid, input rready);
    // as to_source / to_sink, but the holder drives clk and reset_n (the PIM's shims)
    modport to_source_clk (output clk, reset_n, input aw, awvalid, output awready, input w, wvalid, output wready,
                           output b, bvalid, input bready, input ar, arvalid, output arready, output r, rvalid, input rready);
    modport to_sink_clk (output clk, reset_n, output aw, awvalid, input awready, output w, wvalid, input wready,
                         input b, bvalid, output bready, output ar, arvalid, input arready, input r, rvalid, output rready);
endinterface

interface ofs_plat_axi_mem_lite_if #(
    parameter ofs_plat_log_pkg::t_log_class LOG_CLASS = ofs_plat_log_pkg::NONE,
    parameter ADDR_WIDTH = 0, parameter DATA_WIDTH = 0,
    parameter RID_WIDTH = 1, parameter WID_WIDTH = 1, parameter USER_WIDTH = 1,
    parameter DISABLE_CHECKER = 0
);
    import ofs_plat_axi_mem_pkg::*;
    localparam DATA_N_BYTES = (DATA_WIDTH + 7) / 8;
    wire  clk;
    logic reset_n;
    typedef struct packed {
        logic [WID_WIDTH-1:0] id; logic [ADDR_WIDTH-1:0] addr; t_axi_log2_beat_size size; t_axi_prot prot;
        logic [USER_WIDTH-1:0] user;
    } t_axi_mem_lite_aw;
    typedef struct packed { logic [DATA_WIDTH-1:0] data; logic [DATA_N_BYTES-1:0] strb; logic [USER_WIDTH-1:0] user; } t_axi_mem_lite_w;
    typedef struct packed { logic [WID_WIDTH-1:0] id; t_axi_resp resp; logic [USER_WIDTH-1:0] user; } t_axi_mem_lite_b;
    typedef struct packed {
        logic [RID_WIDTH-1:0] id; logic [ADDR_WIDTH-1:0] addr; t_axi_log2_beat_size size; t_axi_prot prot;
        logic [USER_WIDTH-1:0] user;
    } t_axi_mem_lite_ar;
    typedef struct packed {
        logic [RID_WIDTH-1:0] id; logic [DATA_WIDTH-1:0] data; t_axi_resp resp; logic [USER_WIDTH-1:0] user;
    } t_axi_mem_lite_r;
    t_axi_mem_lite_aw aw; logic awvalid, awready;
    t_axi_mem_lite_w  w;  logic wvalid,  wready;
    t_axi_mem_lite_b  b;  logic bvalid,  bready;
    t_axi_mem_lite_ar ar; logic arvalid, arready;
    t_axi_mem_lite_r  r;  logic rvalid,  rready;
    modport to_sink   (input clk, reset_n, output aw, awvalid, input awready, output w, wvalid, input wready,
                       input b, bvalid, output bready, output ar, arvalid, input arready, input r, rvalid, output rready);
    modport to_source (input clk, reset_n, input aw, awvalid, output awready, input w, wvalid, output wready,
                       output b, bvalid, input bready, input ar, arvalid, output arready, output r, rvalid, input rready);
    // as to_source / to_sink, but the holder drives clk and reset_n (the PIM's shims)
    modport to_source_clk (output clk, reset_n, input aw, awvalid, output awready, input w, wvalid, output wready,
                           output b, bvalid, input bready, input ar, arvalid, output arready, output r, rvalid, input rready);
    modport to_sink_clk (output clk, reset_n, output aw, awvalid, input awready, output w, wvalid, input wready,
                         input b, bvalid, output bready, output ar, arvalid, input arready, input r, rvalid, output rready);
endinterface
`default_nettype wire
`resetall
