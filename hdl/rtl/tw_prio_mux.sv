// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_prio_mux: lowest-index-wins select. From N request bits and N payload words, returns whether
// any request is set, the lowest set index and that index's payload. Combinational; a balanced
// radix-4 tree of "first child with a request wins" merges: each merge output bit depends on 7
// signals (three children's request flags, four children's bits), one LUT6 + MUXF7, so the tree
// is ceil(log4 N) LUT levels (3 at N = 64). The merge outputs are kept (synthesis attribute keep)
// so that the mapper cannot trade the tree's depth for area by splitting merges into LUT chains.
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
    localparam int R  = 4;                                  // radix
    localparam int LV = (N > 1) ? ($clog2(N) + 1) / 2 : 0;  // levels: 4**LV >= N
    localparam int P  = 1 << (2 * LV);                      // leaves, N rounded up to a power of 4

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
        (* keep *) node_t n [P >> (2 * l)];
        if (l == 0) begin : gen_leaf
            for (genvar i = 0; i < P; i++) begin : gen_i
                if (i == P - 1 && i < N) begin : gen_last
                    // With no request anywhere every merge takes its last child, so the result is
                    // the last leaf: zeroing that one leaf makes the result 0 when !any.
                    assign n[i] = '{any: req[i], idx: req[i] ? IW'(i) : '0, d: req[i] ? data[i*W +: W] : '0};
                end else if (i < N) begin : gen_used
                    assign n[i] = '{any: req[i], idx: IW'(i), d: data[i*W +: W]};
                end else begin : gen_pad
                    assign n[i] = '0;
                end
            end
        end else begin : gen_merge
            for (genvar i = 0; i < (P >> (2 * l)); i++) begin : gen_i
                node_t c0, c1, c2, c3;
                assign c0 = gen_lvl[l-1].n[R*i];
                assign c1 = gen_lvl[l-1].n[R*i+1];
                assign c2 = gen_lvl[l-1].n[R*i+2];
                assign c3 = gen_lvl[l-1].n[R*i+3];
                always_comb begin
                    if (c0.any)      n[i] = c0;
                    else if (c1.any) n[i] = c1;
                    else if (c2.any) n[i] = c2;
                    else             n[i] = c3;
                    n[i].any = c0.any || c1.any || c2.any || c3.any;
                end
            end
        end
    end

    assign any = gen_lvl[LV].n[0].any;
    assign idx = gen_lvl[LV].n[0].idx;
    assign sel = gen_lvl[LV].n[0].d;
endmodule
`default_nettype wire
`resetall
