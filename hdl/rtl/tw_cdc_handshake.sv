// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_cdc_handshake: carries one W-bit word at a time between clock domains as bundled data: a
// two-phase toggle handshake (req, ack) through two-flop synchronisers, data held stable in a
// source register while its toggle crosses. For words that change every cycle (a time counter)
// or must arrive whole (a command): never torn, unlike a bus through tw_cdc_sync.
//
//   s_clk:  s_valid && s_ready  -> data_q := s_data, req_q toggles        (s_ready = req_q == ack)
//   m_clk:  req seen != ack_q and the output register is free
//                               -> m_data_q := data_q, m_valid_q := 1, ack_q toggles
//           m_valid && m_ready  -> the word is taken (m_valid_q falls unless a new word lands)
//
// The destination acknowledges when it captures, so the source may send the next word while
// the destination's consumer still holds the previous one (one word buffered at each end).
// Loop (ideal synchronisers): a word accepted at a source edge is in m_data after the third
// m_clk edge that follows it (synchroniser, its output, capture); s_ready is high again after
// the second s_clk edge that follows the capture, so the next word goes at the third.
// s_valid / s_data follow "sample when ready" rules: a caller may change or withdraw them while
// s_ready is low (a free-running sampler ties s_valid high and presents a live value).
//
// Constraints: the two toggles are single bits (set_max_delay -datapath_only, or false path, on
// u_sync_req / u_sync_ack's first flop). data_q -> m_data_q needs set_max_delay -datapath_only of
// at most one m_clk period (it must settle within the two m_clk cycles the toggle spends in the
// synchroniser; in practice the bound is generous).
// Resets: s_rst and m_rst must be asserted together (overlapping by a few cycles of the slower
// clock). A reset of one side alone desynchronises the toggles: the other side may see one
// spurious word (a repeat of the last one) or a torn one.
module tw_cdc_handshake #(
    parameter int W = 64
) (
    input  wire          s_clk,
    input  wire          s_rst,
    input  wire  [W-1:0] s_data,
    input  wire          s_valid,
    output logic         s_ready,

    input  wire          m_clk,
    input  wire          m_rst,
    output logic [W-1:0] m_data,
    output logic         m_valid,
    input  wire          m_ready
);
    // ---------------------------------------------------------------- source (s_clk)
    logic         req_q, ack_s;
    logic [W-1:0] data_q;

    assign s_ready = req_q == ack_s;

    always_ff @(posedge s_clk) begin
        if (s_rst) req_q <= 1'b0;
        else if (s_valid && s_ready) req_q <= !req_q;
    end
    always_ff @(posedge s_clk) begin
        // Data register: not reset; only read by m_clk after its toggle has crossed.
        if (s_valid && s_ready) data_q <= s_data;
    end

    // ---------------------------------------------------------------- destination (m_clk)
    logic         ack_q, req_m, m_valid_q, take;
    logic [W-1:0] m_data_q;

    // A new word is waiting when the synchronised req differs from our ack; take it when the
    // output register is free (empty, or its word is being taken this cycle).
    assign take = (req_m != ack_q) && (!m_valid_q || m_ready);

    always_ff @(posedge m_clk) begin
        if (m_rst) begin
            ack_q     <= 1'b0;
            m_valid_q <= 1'b0;
            m_data_q  <= '0;    // reset so a free-running reader never sees X before the first word
        end else if (take) begin
            ack_q     <= !ack_q;
            m_valid_q <= 1'b1;
            // CDC: data_q was written at the s_clk edge that toggled req_q and is held until the
            // ack comes back, which is after this edge; req_m changed two m_clk edges after
            // req_q did, so data_q has been stable for at least two m_clk periods here.
            m_data_q  <= data_q;
        end else if (m_ready) begin
            m_valid_q <= 1'b0;
        end
    end

    assign m_data  = m_data_q;
    assign m_valid = m_valid_q;

    // ---------------------------------------------------------------- the two toggles
    // CDC: single-bit toggles, each changes at most once per loop and is held until answered.
    tw_cdc_sync u_sync_req (.clk(m_clk), .rst(m_rst), .d(req_q), .q(req_m));
    tw_cdc_sync u_sync_ack (.clk(s_clk), .rst(s_rst), .d(ack_q), .q(ack_s));

`ifndef SYNTHESIS
    always_ff @(posedge s_clk) begin
        if (!s_rst) begin
            assert (!$isunknown(s_valid)) else $error("tw_cdc_handshake: s_valid is X");
        end
    end
    always_ff @(posedge m_clk) begin
        if (!m_rst) begin
            assert (!$isunknown(m_ready)) else $error("tw_cdc_handshake: m_ready is X");
            assert (!(take && $isunknown(data_q))) else $error("tw_cdc_handshake: captured X data");
        end
    end
`endif
endmodule
`default_nettype wire
`resetall
