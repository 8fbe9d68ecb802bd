// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_event_counters: N wrapping event counters kept in distributed RAM, one increment per cycle
// (read-modify-write through the write port's own read port), plus one independent read port.
// A RAM cannot be reset at once: after rst the block sweeps zeros into every entry (N cycles,
// ready low); the caller holds its events meanwhile, and reads during the sweep return 0 (every
// counter is, or is about to be, zero).
module tw_event_counters #(
    parameter int N = 64,
    parameter int W = 32,
    localparam int IW = (N > 1) ? $clog2(N) : 1
) (
    input  wire           clk,
    input  wire           rst,
    output logic          ready,     // low while clearing after reset; inc must stay low
    input  wire           inc,
    input  wire  [IW-1:0] inc_idx,   // < N
    input  wire  [IW-1:0] rd_idx,    // < N
    output logic [W-1:0]  rd_count   // combinational (asynchronous RAM read)
);
    generate
        if (N < 1 || W < 1) begin : gen_bad
            initial $fatal(1, "tw_event_counters: N=%0d W=%0d must be >= 1", N, W);
        end
    endgenerate

    logic [W-1:0] mem [N];
    logic [IW:0]  clr_q;             // next entry to clear; N when done
    logic         clearing;
    logic [IW-1:0] wa;
    logic [W-1:0]  cur;

    assign clearing = clr_q != (IW + 1)'(N);
    assign ready    = !clearing;
    assign wa       = clearing ? clr_q[IW-1:0] : inc_idx;
    assign cur      = mem[wa];

    always_ff @(posedge clk) begin
        if (rst)           clr_q <= '0;
        else if (clearing) clr_q <= clr_q + 1'b1;
    end

    always_ff @(posedge clk) begin
        if (clearing || inc) mem[wa] <= clearing ? '0 : cur + 1'b1;
    end

    assign rd_count = clearing ? '0 : mem[rd_idx];

`ifndef SYNTHESIS
    always_ff @(posedge clk) begin
        if (!rst) begin
            assert (!(inc && clearing)) else $error("tw_event_counters: inc while clearing (event lost)");
            assert (!inc || int'(inc_idx) < N) else $error("tw_event_counters: inc_idx %0d >= N", inc_idx);
        end
    end
`endif
endmodule
`default_nettype wire
`resetall
