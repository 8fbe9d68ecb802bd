// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_ring_regs: one DMA ring's CSRs (the external RING[n] regfile of tw_regs), kept beside the
// DMA writer state they control. Byte offsets as in hdl/regs/tw_regs.rdl (tw_ring_rf):
//   0x00 BASE_LO  rw   0x04 BASE_HI rw   0x08 SLOTS rw   0x0C CTRL rw (bit0 enable)
//   0x10 STATUS   ro   0x14 PROD    ro   0x18 CONS  rw   0x1C DROPS ro
//   0x20 WB_LO    rw   0x24 WB_HI   rw   0x28 SIGNAL rw (bit0 writeback, bit1 irq, 31:16 every)
//   0x2C IRQS     ro   0x30 ITCH_TYPES rw (23:0, reset all ones)   0x34 LOCATE_TYPES rw (22:0)
// With PRESENT = 0 the ring does not exist in this build: reads return 0, writes are ignored.
// The request comes from flops (tw_csr_front); the status inputs (the DMA writer's) are
// registered here before the read mux, so a status read shows them one cycle old.
module tw_ring_regs #(
    parameter bit PRESENT = 1'b1
) (
    input  wire         clk,
    input  wire         rst,

    // tw_regs external regfile port
    input  wire         req,
    input  wire         req_is_wr,
    input  wire  [5:0]  addr,
    input  wire  [31:0] wr_data,
    input  wire  [31:0] wr_biten,
    output logic        rd_ack,
    output logic [31:0] rd_data,
    output logic        wr_ack,

    output logic [63:0] base,
    output logic [31:0] slots,
    output logic        enable,
    output logic [31:0] cons,
    output logic [63:0] wb_addr,
    output logic        wb_enable,
    output logic        irq_enable,
    output logic [15:0] wb_every,
    output logic [23:0] itch_types,    // the ITCH filter (used in rx_clk through a synchroniser)
    output logic [22:0] locate_types,

    input  wire         st_idle,
    input  wire         st_cfg_error,
    input  wire         st_dma_error,
    input  wire  [31:0] st_prod,
    input  wire  [31:0] st_drops,
    input  wire  [31:0] st_irqs
);
    logic [31:0] base_lo_q, base_hi_q, slots_q, cons_q, wb_lo_q, wb_hi_q, signal_q;
    logic        enable_q;
    logic [23:0] types_q;
    logic [23:0] loc_types_q;          // bit 23 always 0 (23 ITCH types)
    logic        st_idle_q, st_cfg_error_q, st_dma_error_q;
    logic [31:0] st_prod_q, st_drops_q, st_irqs_q;
    always_ff @(posedge clk) begin
        st_idle_q      <= st_idle;
        st_cfg_error_q <= st_cfg_error;
        st_dma_error_q <= st_dma_error;
        st_prod_q      <= st_prod;
        st_drops_q     <= st_drops;
        st_irqs_q      <= st_irqs;
    end
    localparam logic [31:0] SIGNAL_MASK    = 32'hFFFF_0003;
    localparam logic [23:0] LOC_TYPES_MASK = 24'h7F_FFFF;

    always_ff @(posedge clk) begin
        if (rst) begin
            base_lo_q <= '0;
            base_hi_q <= '0;
            slots_q   <= '0;
            cons_q    <= '0;
            wb_lo_q   <= '0;
            wb_hi_q   <= '0;
            signal_q  <= '0;
            enable_q  <= 1'b0;
            types_q   <= '1;
            loc_types_q <= '0;
            rd_ack    <= 1'b0;
            wr_ack    <= 1'b0;
            rd_data   <= '0;
        end else begin
            rd_ack <= req && !req_is_wr;
            wr_ack <= req && req_is_wr;
            rd_data <= '0;
            if (PRESENT && req && req_is_wr) begin
                // Per-byte clock enables: AXI-Lite writes come with byte strobes, so each byte's
                // bit enables are all set or all clear (a per-bit merge cost one LUT per bit).
                for (int b = 0; b < 4; b++) begin
                    if (wr_biten[8*b]) begin
                        unique case (addr[5:2])
                            4'd0:  base_lo_q[8*b +: 8] <= wr_data[8*b +: 8];
                            4'd1:  base_hi_q[8*b +: 8] <= wr_data[8*b +: 8];
                            4'd2:  slots_q[8*b +: 8]   <= wr_data[8*b +: 8];
                            4'd3:  if (b == 0) enable_q <= wr_data[0];
                            4'd6:  cons_q[8*b +: 8]    <= wr_data[8*b +: 8];
                            4'd8:  wb_lo_q[8*b +: 8]   <= wr_data[8*b +: 8];
                            4'd9:  wb_hi_q[8*b +: 8]   <= wr_data[8*b +: 8];
                            4'd10: signal_q[8*b +: 8]  <= wr_data[8*b +: 8] & SIGNAL_MASK[8*b +: 8];
                            4'd12: if (b < 3) types_q[8*b +: 8] <= wr_data[8*b +: 8];
                            4'd13: if (b < 3) loc_types_q[8*b +: 8] <= wr_data[8*b +: 8] & LOC_TYPES_MASK[8*b +: 8];
                            default: ;  // read-only registers
                        endcase
                    end
                end
            end
            if (PRESENT && req && !req_is_wr) begin
                unique case (addr[5:2])
                    4'd0: rd_data <= base_lo_q;
                    4'd1: rd_data <= base_hi_q;
                    4'd2: rd_data <= slots_q;
                    4'd3: rd_data <= {31'd0, enable_q};
                    4'd4: rd_data <= {29'd0, st_dma_error_q, st_cfg_error_q, st_idle_q};
                    4'd5: rd_data <= st_prod_q;
                    4'd6: rd_data <= cons_q;
                    4'd7: rd_data <= st_drops_q;
                    4'd8: rd_data <= wb_lo_q;
                    4'd9: rd_data <= wb_hi_q;
                    4'd10: rd_data <= signal_q;
                    4'd11: rd_data <= st_irqs_q;
                    4'd12: rd_data <= {8'd0, types_q};
                    4'd13: rd_data <= {8'd0, loc_types_q};
                    default: rd_data <= '0;
                endcase
            end
        end
    end

    assign base   = {base_hi_q, base_lo_q};
    assign slots  = slots_q;
    assign enable = enable_q;
    assign cons   = cons_q;
    assign wb_addr    = {wb_hi_q, wb_lo_q};
    assign wb_enable  = signal_q[0];
    assign irq_enable = signal_q[1];
    assign wb_every   = signal_q[31:16];
    assign itch_types   = types_q;
    assign locate_types = loc_types_q[22:0];

    logic unused;
    // each byte's strobe is its bit 0's (AXI-Lite byte strobes); loc_types_q[23] is always 0
    assign unused = ^{addr[1:0], wr_biten[31:25], wr_biten[23:17], wr_biten[15:9], wr_biten[7:1], loc_types_q[23]};
endmodule
`default_nettype wire
`resetall
