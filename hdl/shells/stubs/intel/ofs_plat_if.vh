// SPDX-License-Identifier: Apache-2.0
// LINT ONLY, NEVER SYNTHESIZED. Stand-in for the PIM's generated ofs_plat_if.vh (OFS
// ofs-platform-afu-bbb, generated per FIM into build/platform/ofs_plat_if/rtl/): the two macros
// tw_afu_d5005 uses. The real ones expand to parameters from ofs_plat_host_chan_pkg of the FIM
// the AFU is built against (address, data, id and user widths); the values here are assumptions
// for lint (docs/hardware.md, "PAC D5005", unverified): 512-bit data (one cache line), 64-bit
// byte addresses, 8-bit ids.
`ifndef TW_STUB_OFS_PLAT_IF_VH
`define TW_STUB_OFS_PLAT_IF_VH
`define HOST_CHAN_AXI_MEM_PARAMS .ADDR_WIDTH(64), .DATA_WIDTH(512), .BURST_CNT_WIDTH(8), .RID_WIDTH(8), .WID_WIDTH(8), .USER_WIDTH(8)
`define HOST_CHAN_AXI_MMIO_PARAMS(BUSWIDTH) .ADDR_WIDTH(18), .DATA_WIDTH(BUSWIDTH), .RID_WIDTH(9), .WID_WIDTH(9), .USER_WIDTH(1)
`endif
