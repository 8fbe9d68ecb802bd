// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_reset_sync: turns a reset level from any clock domain (or none) into a synchronous,
// active-high reset for one clock domain, held for at least 2**HOLD_W cycles after the source
// falls. Shell-level: the core's tw_cdc_sync carries data and has no power-up value; a reset
// synchroniser must come out of configuration already in reset, before its clock has sampled
// anything.
//
//   arst (level, asynchronous to clk) -> sync_q (STAGES flops, ASYNC_REG) -> hold counter -> rst_q
//
// Assertion reaches rst STAGES+1 clk edges after arst rises (synchronously: a clock that is not
// running resets nothing, and nothing it clocks changes either). Deassertion comes
// STAGES+2**HOLD_W+1 edges after arst falls, always on a clock edge. Power-up: every flop
// starts at 1 (the FPGA's INIT value from the declaration), so rst is high from configuration
// until the source has been seen low long enough. A clock-less source (arst tied to 0) makes a
// power-on reset of 2**HOLD_W cycles.
//
// Constraints (constraints/common/cdc.tcl): the path into sync_q[0] is a false path (a level held
// for many cycles); ASYNC_REG keeps the chain together.
module tw_reset_sync #(
    parameter int STAGES = 3,      // synchroniser depth, >= 2
    parameter int HOLD_W = 4       // rst stays high 2**HOLD_W cycles after the synchronised source falls
) (
    input  wire  clk,
    input  wire  arst,             // active-high reset request, any domain
    output logic rst               // active-high, synchronous to clk
);
    generate
        if (STAGES < 2) begin : gen_bad_stages
            initial $fatal(1, "tw_reset_sync: STAGES=%0d must be >= 2", STAGES);
        end
        if (HOLD_W < 1) begin : gen_bad_hold
            initial $fatal(1, "tw_reset_sync: HOLD_W=%0d must be >= 1", HOLD_W);
        end
    endgenerate

    // Declaration values are the flops' power-up (INIT) values: this module has no reset of its
    // own to give them one. Verilator's PROCASSINIT style warning is about exactly that pattern.
    /* verilator lint_off PROCASSINIT */
    (* ASYNC_REG = "TRUE" *) logic [STAGES-1:0] sync_q = '1;
    logic [HOLD_W-1:0] hold_q = '1;
    logic              rst_q  = 1'b1;
    /* verilator lint_on PROCASSINIT */

    always_ff @(posedge clk) begin
        sync_q <= {sync_q[STAGES-2:0], arst};
        if (sync_q[STAGES-1]) begin
            hold_q <= '1;
            rst_q  <= 1'b1;
        end else if (hold_q != '0) begin
            hold_q <= hold_q - 1'b1;
        end else begin
            rst_q  <= 1'b0;
        end
    end

    assign rst = rst_q;
endmodule
`default_nettype wire
`resetall
