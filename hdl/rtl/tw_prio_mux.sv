// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_prio_mux: lowest-index-wins select. From N request bits and N payload words, returns whether
// any request is set, the lowest set index and that index's payload. Combinational; a balanced
// binary tree of "left wins if it has a request" merges (log2 N 2:1 levels), which the mapper packs
// about two levels per LUT6, instead of a priority encoder followed by a separate N:1 mux.
module tw_prio_mux #(
    parameter int N  = 64,
    parameter int W  = 8,
    localparam int IW = (N > 1) ? $clog2(N) : 1
) (
    input  wire  [N-1:0]   req,
    input  wire  [N*W-1:0] data,     // payload i at [i*W +: W]
    output logic           any,
    output logic [IW-1:0]  idx,      // 0 when !any
    output logic [W-1:0]   sel       // payload of idx; 0 when !any
);
    localparam int LV = (N > 1) ? $clog2(N) : 0;
    localparam int P  = 1 << LV;     // leaves, N rounded up to a power of two

    generate
        if (N < 1) begin : gen_bad_n
            initial $fatal(1, "tw_prio_mux: N=%0d must be >= 1", N);
        end
    endgenerate

    typedef struct packed {
        logic          any;
        logic [IW-1:0] idx;
        logic [W-1:0]  d;
    } node_t;

    for (genvar l = 0; l <= LV; l++) begin : gen_lvl
        node_t n [P >> l];
        if (l == 0) begin : gen_leaf
            for (genvar i = 0; i < P; i++) begin : gen_i
                if (i == P - 1 && i < N) begin : gen_last
                    // With no request anywhere every merge takes its right child, so the result is
                    // the last leaf: zeroing that one leaf makes the result 0 when !any.
                    assign n[i] = '{any: req[i], idx: req[i] ? IW'(i) : '0, d: req[i] ? data[i*W +: W] : '0};
                end else if (i < N) begin : gen_used
                    assign n[i] = '{any: req[i], idx: IW'(i), d: data[i*W +: W]};
                end else begin : gen_pad
                    assign n[i] = '0;
                end
            end
        end else begin : gen_merge
            for (genvar i = 0; i < (P >> l); i++) begin : gen_i
                assign n[i] = gen_lvl[l-1].n[2*i].any ? gen_lvl[l-1].n[2*i] : gen_lvl[l-1].n[2*i+1];
            end
        end
    end

    assign any = gen_lvl[LV].n[0].any;
    assign idx = gen_lvl[LV].n[0].idx;
    assign sel = gen_lvl[LV].n[0].d;
endmodule
`default_nettype wire
`resetall
