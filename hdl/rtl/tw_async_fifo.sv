// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_async_fifo: dual-clock FIFO with Gray-coded pointers (Cummings, SNUG 2002), the one
// reviewed data crossing of the core. First-word-fall-through read side.
// The write side never stalls the pipeline: s_ready is "not full"; the caller counts what it drops.
//
// Frame mode (s_frame = 1 on a write): the write is held back, invisible to the read side, until
// a write with s_last: then, if s_bad is clear, the whole unit (the held writes and this one)
// is published to the read side at once; if s_bad is set, all of it is discarded (the write
// pointer goes back to the last published one). A unit that outgrows the free space loses the
// writes that find the FIFO full (the caller sees !s_ready and counts them, as always); its
// s_last write still commits or discards what did fit, even when it does not fit itself.
// With s_frame = 0 every write is published at once (s_last and s_bad are ignored).
module tw_async_fifo #(
    parameter int W     = 512,
    parameter int DEPTH = 16        // power of two, >= 4
) (
    input  wire          s_clk,
    input  wire          s_rst,
    input  wire  [W-1:0] s_data,
    input  wire          s_valid,
    output logic         s_ready,
    input  wire          s_frame,
    input  wire          s_last,
    input  wire          s_bad,

    input  wire          m_clk,
    input  wire          m_rst,
    output logic [W-1:0] m_data,
    output logic         m_valid,
    input  wire          m_ready
);
    localparam int AW = $clog2(DEPTH);

    generate
        if (DEPTH < 4 || (1 << AW) != DEPTH) begin : gen_bad_depth
            initial $fatal(1, "tw_async_fifo: DEPTH=%0d must be a power of two >= 4", DEPTH);
        end
    endgenerate

    logic [W-1:0] mem [DEPTH];

    // Write side (s_clk). wbin_q: next slot to write; pbin_q/wgray_q: published pointer.
    logic [AW:0] wbin_q, wbin_d, pbin_q, pbin_d, wgray_q, rgray_w, rbin_w;
    logic        full, wr;
    // full compares the local write pointer with the read pointer (binary, from the synchronised
    // Gray code: held-back writes occupy slots too).
    always_comb begin
        rbin_w[AW] = rgray_w[AW];
        for (int i = AW - 1; i >= 0; i--) rbin_w[i] = rbin_w[i + 1] ^ rgray_w[i];
    end
    assign full    = wbin_q == {~rbin_w[AW], rbin_w[AW-1:0]};
    assign s_ready = !full;
    assign wr      = s_valid && !full;

    // The published pointer's next Gray code is picked from three precomputed ones (pbin_q, wbin_q,
    // wbin_q + 1) rather than converted after the pointer arithmetic: fewer levels after s_valid.
    logic        publish;
    logic [AW:0] wbin_inc, wgray_d;
    assign publish  = !s_frame || (s_valid && s_last && !s_bad);
    assign wbin_inc = wbin_q + 1'b1;
    always_comb begin
        wbin_d = wr ? wbin_inc : wbin_q;
        pbin_d = publish ? wbin_d : pbin_q;
        if (s_frame && s_valid && s_last && s_bad) wbin_d = pbin_q;
        wgray_d = !publish ? pbin_q ^ (pbin_q >> 1)
                : wr       ? wbin_inc ^ (wbin_inc >> 1)
                :            wbin_q ^ (wbin_q >> 1);
    end

    always_ff @(posedge s_clk) begin
        if (wr) mem[wbin_q[AW-1:0]] <= s_data;
    end
    always_ff @(posedge s_clk) begin
        if (s_rst) begin
            wbin_q  <= '0;
            pbin_q  <= '0;
            wgray_q <= '0;
        end else begin
            wbin_q  <= wbin_d;
            pbin_q  <= pbin_d;
            wgray_q <= wgray_d;                  // = pbin_d ^ (pbin_d >> 1)
        end
    end

    // Read side (m_clk)
    logic [AW:0] rbin_q, rgray_q, wgray_r;
    assign m_valid = rgray_q != wgray_r;
    assign m_data  = mem[rbin_q[AW-1:0]];

    always_ff @(posedge m_clk) begin
        if (m_rst) begin
            rbin_q  <= '0;
            rgray_q <= '0;
        end else if (m_valid && m_ready) begin
            rbin_q  <= rbin_q + 1'b1;
            rgray_q <= (rbin_q + 1'b1) ^ ((rbin_q + 1'b1) >> 1);
        end
    end

    tw_cdc_sync #(.W(AW + 1)) u_sync_w2r (.clk(m_clk), .rst(m_rst), .d(wgray_q), .q(wgray_r));
    tw_cdc_sync #(.W(AW + 1)) u_sync_r2w (.clk(s_clk), .rst(s_rst), .d(rgray_q), .q(rgray_w));
endmodule
`default_nettype wire
`resetall
