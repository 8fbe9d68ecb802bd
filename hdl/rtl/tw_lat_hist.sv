// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_lat_hist: the in-card latency histogram, per ring: 32 bins of (DMA issue time - receive
// timestamp), counted when the DMA writer issues a tick's write, readable through an external
// CSR window (HIST.RING[r].BIN[b]).
//
// Bins (ns): b = 0..15 hold [16b, 16b+16) (0 to 256 ns, 16 ns wide); b = 16..31 hold the octaves
// [2^(b-8), 2^(b-7)) (256 ns up), the last one everything from 2^23 ns (8.4 ms) on. A negative
// difference (clock stepped between receive and issue) counts in bin 0.
//
// The issue time is the card clock as the clk domain sees it: tw_card_clock's snapshot, 3-10
// rx_clk cycles old at 322 MHz (9-31 ns), plus LAG_NS, its mean age: each sample is accurate to
// about +-11 ns, less than a bin. Pipeline: subtract (1 cycle), bin (1 cycle), count (1 cycle), so
// events may come every cycle.
//
// CSR window (byte address): [11:7] ring, [6:2] bin. Rings beyond RINGS read 0; writes are
// acknowledged and ignored. Counters wrap at 2^32 and clear on reset only.
module tw_lat_hist #(
    parameter int RINGS  = 4,
    parameter int LAG_NS = 20
) (
    input  wire         clk,
    input  wire         rst,

    input  wire         ev,           // a tick write was issued
    input  wire  [4:0]  ev_ring,
    input  wire  [63:0] ev_rx_ts,     // its receive timestamp
    input  wire  [63:0] now_ns,       // card clock snapshot (clk domain)

    input  wire         req,
    input  wire         req_is_wr,
    input  wire  [11:0] addr,
    input  wire  [31:0] wr_data,
    input  wire  [31:0] wr_biten,
    output logic        rd_ack,
    output logic [31:0] rd_data,
    output logic        wr_ack
);
    localparam int N  = RINGS * 32;
    localparam int IW = $clog2(N);

    generate
        if (RINGS < 1 || RINGS > 32) begin : gen_bad
            initial $fatal(1, "tw_lat_hist: RINGS=%0d must be 1..32", RINGS);
        end
    endgenerate

    // stage 1: the difference
    logic        v1_q;
    logic [4:0]  ring1_q;
    logic [63:0] lat1_q;
    always_ff @(posedge clk) begin
        if (rst) v1_q <= 1'b0;
        else     v1_q <= ev;
        ring1_q <= ev_ring;
        lat1_q  <= now_ns + 64'(LAG_NS) - ev_rx_ts;
    end

    // stage 2: the bin
    function automatic logic [4:0] bin_of(input logic [63:0] lat);
        logic [4:0] b;
        if (lat[63])               b = 5'd0;                  // negative
        else if (lat[62:8] == '0)  b = {1'b0, lat[7:4]};      // < 256 ns
        else if (lat[62:23] != '0) b = 5'd31;                 // >= 2^23 ns
        else begin
            b = 5'd16;
            for (int i = 9; i <= 22; i++) if (lat[i]) b = 5'(i + 8);
        end
        return b;
    endfunction

    // stage 2: the counter's index (ring, bin), registered (the bin is a leading-one search)
    logic          v2_q;
    logic [IW-1:0] idx2_q;
    always_ff @(posedge clk) begin
        if (rst) v2_q <= 1'b0;
        else     v2_q <= v1_q && int'(ring1_q) < RINGS;
        idx2_q <= IW'({ring1_q, bin_of(lat1_q)});
    end

    // stage 3: count
    logic          ready;
    logic [IW-1:0] rd_idx;
    logic [31:0]   rd_count;
    assign rd_idx  = IW'(addr[11:2]);

    tw_event_counters #(.N(N), .W(32)) u_counters (
        .clk(clk), .rst(rst), .ready(ready),
        .inc(v2_q && ready), .inc_idx(idx2_q),
        .rd_idx(rd_idx), .rd_count(rd_count)
    );

    always_ff @(posedge clk) begin
        if (rst) begin
            rd_ack <= 1'b0;
            wr_ack <= 1'b0;
        end else begin
            rd_ack <= req && !req_is_wr;
            wr_ack <= req && req_is_wr;
        end
        rd_data <= (int'(addr[11:7]) < RINGS) ? rd_count : 32'd0;
    end

    logic unused;
    assign unused = ^{wr_data, wr_biten, addr[1:0]};
endmodule
`default_nettype wire
`resetall
