// SPDX-License-Identifier: Apache-2.0
// LINT ONLY, NEVER SYNTHESIZED. The lint top for a PIM AFU: Verilator cannot elaborate a module
// with an interface port as its top, so this plays the FIM's part (in OFS, the FIM's afu_main /
// the PIM's ofs_plat_afu wrapper instantiate ofs_plat_afu with the platform's ofs_plat_if).
`resetall
`timescale 1ns/1ps
`default_nettype none
module tw_lint_afu_top;
    ofs_plat_if plat_ifc ();
    ofs_plat_afu u_afu (.plat_ifc(plat_ifc));
endmodule
`default_nettype wire
`resetall
