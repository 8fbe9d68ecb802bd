// SPDX-License-Identifier: Apache-2.0
// LINT ONLY, NEVER SYNTHESIZED. Stand-in for the PIM's ofs_plat_log_pkg (simulation logging
// classes; OFS ofs-platform-afu-bbb): the class type and the names the AFU uses.
`resetall
`timescale 1ns/1ps
`default_nettype none
package ofs_plat_log_pkg;
    typedef enum logic [2:0] { NONE, HOST_CHAN, LOCAL_MEM, HSSI } t_log_class;
endpackage
`default_nettype wire
`resetall
