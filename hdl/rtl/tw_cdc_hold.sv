// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_cdc_hold: the destination register of a held-data crossing. The source domain holds `d`
// stable from the moment it raises a request (a toggle, through tw_cdc_sync) until the
// destination's acknowledge comes back (through tw_cdc_sync); the destination loads `d` on
// `load`, a strobe it derives from the synchronised request, so `d` has been stable for at least
// two destination cycles when it is sampled and no bit can be caught mid-change. This is the
// flow filter's shadow -> active table copy (thousands of bits, one handshake). Constraints:
// set_max_delay -datapath_only of one destination clock period from the source registers to
// `q_reg` (the two-flop delay of the request gives the margin), never a false path.
module tw_cdc_hold #(
    parameter int W = 1,
    parameter bit RESET_EN = 1'b0,             // reset q (control state); data need not be reset
    parameter logic [W-1:0] RESET_VALUE = '0
) (
    input  wire          clk,                  // destination clock
    input  wire          rst,                  // destination reset (used with RESET_EN only)
    input  wire          load,                 // destination-domain strobe: take d now
    input  wire  [W-1:0] d,                    // from the other domain, held stable around load
    output logic [W-1:0] q
);
    logic [W-1:0] q_reg;

    if (RESET_EN) begin : gen_reset
        always_ff @(posedge clk) begin
            if (rst) q_reg <= RESET_VALUE;
            else if (load) q_reg <= d;
        end
    end else begin : gen_no_reset
        always_ff @(posedge clk) begin
            if (load) q_reg <= d;
        end
        logic unused_rst;
        assign unused_rst = rst;
    end

    assign q = q_reg;
endmodule
`default_nettype wire
`resetall
