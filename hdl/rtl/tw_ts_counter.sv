// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_ts_counter: the card's receive clock, nanoseconds since reset in the rx_clk domain. Adds a
// fixed-point increment (8.24 ns) every cycle so a 3.1030303 ns period keeps time to ~20 ppb.
// (Set/step/frequency adjust from the host and a wider fraction come with the card-clock work.)
module tw_ts_counter #(
    parameter logic [31:0] INC = 32'h031A_6032   // ns per cycle, unsigned 8.24 fixed point
) (
    input  wire         clk,
    input  wire         rst,
    output logic [63:0] ns
);
    logic [63:0] ns_q;
    logic [23:0] frac_q;
    always_ff @(posedge clk) begin
        if (rst) begin
            ns_q   <= '0;
            frac_q <= '0;
        end else begin
            {ns_q, frac_q} <= {ns_q, frac_q} + {56'd0, INC};
        end
    end
    assign ns = ns_q;
endmodule
`default_nettype wire
`resetall
