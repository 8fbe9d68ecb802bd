// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_gray_read: answers reads of N Gray-coded counters (the synchronised outputs of
// tw_cdc_counter #(.GRAY_OUT(1))) through one shared Gray-to-binary decoder, instead of a decoder
// per counter. A read request (one line per counter, one-hot, as a PeakRDL external register's
// req) is answered 5 cycles later with rd_ack on the same line and the binary value in rd_data:
//   cycle 1: the request line is registered; 2: encoded to an index; 3: that counter's Gray code
//   is sampled (all its bits on one clock edge: a value the counter held, never a torn one);
//   4 and 5: decoded to binary in two steps (the XOR of the bits above each bit, first within
//   groups of 6 bits, then across the groups: one LUT level each, where a 32-bit XOR chain maps
//   to ~8).
// The value is at most a few cycles old when the read is answered, as it was with a decoder per
// counter. rd_data is meaningful only with rd_ack.
module tw_gray_read #(
    parameter int N = 30,
    parameter int W = 32
) (
    input  wire          clk,
    input  wire          rst,
    input  wire  [W-1:0] gray [N],
    input  wire  [N-1:0] rd_req,
    output logic [N-1:0] rd_ack,
    output logic [W-1:0] rd_data
);
    localparam int IDX_W = N > 1 ? $clog2(N) : 1;
    localparam int G     = 6;           // decoder group: 6 inputs, one LUT

    logic [N-1:0]     req_q, req_q2, req_q3, req_q4, ack_q;
    logic [IDX_W-1:0] idx_d, idx_q;
    logic [W-1:0]     gray_q, loc_d, loc_q, bin_d, bin_q;

    always_comb begin
        idx_d = '0;
        for (int i = 0; i < N; i++) begin
            if (req_q[i]) idx_d = idx_d | IDX_W'(i);   // one-hot: an OR encoder
        end
    end
    // binary bit i = XOR of Gray bits W-1..i. loc: the XOR of bits i..(top of i's group);
    // bit k*G of loc is group k's parity.
    always_comb begin
        for (int i = 0; i < W; i++) begin
            loc_d[i] = 1'b0;
            for (int j = i; j < W && j < (i / G) * G + G; j++) loc_d[i] ^= gray_q[j];
        end
    end
    always_comb begin
        for (int i = 0; i < W; i++) begin
            bin_d[i] = loc_q[i];
            for (int k = i / G + 1; k * G < W; k++) bin_d[i] ^= loc_q[k * G];
        end
    end

    always_ff @(posedge clk) begin
        if (rst) begin
            req_q  <= '0;
            req_q2 <= '0;
            req_q3 <= '0;
            req_q4 <= '0;
            ack_q  <= '0;
        end else begin
            req_q  <= rd_req;
            req_q2 <= req_q;
            req_q3 <= req_q2;
            req_q4 <= req_q3;
            ack_q  <= req_q4;
        end
    end
    // data path: no reset (qualified by the request pipeline above)
    always_ff @(posedge clk) begin
        idx_q  <= idx_d;
        gray_q <= gray[idx_q];
        loc_q  <= loc_d;
        bin_q  <= bin_d;
    end

    assign rd_ack  = ack_q;
    assign rd_data = bin_q;

`ifndef SYNTHESIS
    always_ff @(posedge clk) begin
        if (!rst && !$onehot0(rd_req)) $error("tw_gray_read: more than one read request at once");
    end
`endif
endmodule
`default_nettype wire
`resetall
