// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_prio_mux: lowest-index-wins select. From N request bits and N payload words, returns whether
// any request is set, the lowest set index and that index's payload. Combinational; a balanced
// radix-3 tree of "first child with a request wins" merges: a merge output bit depends on 5
// signals (two children's request flags, three children's bits), one LUT, so the tree is
// ceil(log3 (N+1)) LUT levels (2 at N = 8, 4 at N = 64). The merge outputs are kept (synthesis
// attribute keep) so that the mapper cannot trade the tree's depth for area by splitting merges
// into LUT chains. The leaves are padded with at least one empty leaf after the last request:
// with no request every merge takes its last child, so the result is that empty leaf (0).
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
    localparam int R = 3;            // radix

    // levels: the smallest L with R**L >= N + 1 (room for the empty last leaf)
    function automatic int levels(input int n);
        int l, p;
        l = 1;
        p = R;
        while (p < n + 1) begin
            l++;
            p *= R;
        end
        return l;
    endfunction
    localparam int LV = levels(N);
    localparam int P  = R ** LV;     // leaves

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
        (* keep *) node_t n [P / (R ** l)];
        if (l == 0) begin : gen_leaf
            for (genvar i = 0; i < P; i++) begin : gen_i
                if (i < N) begin : gen_used
                    assign n[i] = '{any: req[i], idx: IW'(i), d: data[i*W +: W]};
                end else begin : gen_pad
                    assign n[i] = '0;
                end
            end
        end else begin : gen_merge
            for (genvar i = 0; i < P / (R ** l); i++) begin : gen_i
                node_t c0, c1, c2;
                assign c0 = gen_lvl[l-1].n[R*i];
                assign c1 = gen_lvl[l-1].n[R*i+1];
                assign c2 = gen_lvl[l-1].n[R*i+2];
                always_comb begin
                    if (c0.any)      n[i] = c0;
                    else if (c1.any) n[i] = c1;
                    else             n[i] = c2;
                    n[i].any = c0.any || c1.any || c2.any;
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
