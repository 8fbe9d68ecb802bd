// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_locate_ram: the rings' stock-locate bitmaps, one simple dual-port RAM with a write port in
// the CSR clock domain (clk) and a registered read port in the receive domain (rx_clk): block
// RAM with independent port clocks (RAMB36 on UltraScale+, 1K x 32 per primitive: a ring's
// 65 536 bits are two of them). The ports share no logic; a read of a word that is being written
// returns the old or the new word (reconfiguration under traffic: each message sees one or the
// other, never a mixture of bits within its one bit). Contents start at zero.
module tw_locate_ram #(
    parameter int ADDR_W = 13,
    parameter int DATA_W = 32
) (
    input  wire               wr_clk,
    input  wire               we,
    input  wire  [ADDR_W-1:0] waddr,
    input  wire  [DATA_W-1:0] wdata,

    input  wire               rd_clk,
    input  wire               re,
    input  wire  [ADDR_W-1:0] raddr,
    output logic [DATA_W-1:0] rdata      // the word at raddr, the cycle after re (held otherwise)
);
    logic [DATA_W-1:0] mem [2**ADDR_W];

`ifndef SYNTHESIS
    // Block RAM is zero after configuration; simulation starts it the same way.
    initial begin
        for (int i = 0; i < 2**ADDR_W; i++) mem[i] = '0;
        rdata = '0;
    end
`endif

    always_ff @(posedge wr_clk) begin
        if (we) mem[waddr] <= wdata;
    end

    always_ff @(posedge rd_clk) begin
        if (re) rdata <= mem[raddr];
    end
endmodule
`default_nettype wire
`resetall
