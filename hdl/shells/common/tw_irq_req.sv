// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_irq_req: turns tw_core's one-cycle interrupt pulses (one per ring) into the level request /
// acknowledge handshake of the PCIe IP's user interrupt port (XDMA usr_irq_req / usr_irq_ack,
// PG195: hold the request until it is acknowledged, then drop it).
//
// Per bit: a pulse raises req; ack drops it. A pulse that comes while req is up (the interrupt
// may already be on its way to the host) is remembered and raises req again one cycle after the
// ack: a wake-up is never lost, at worst one interrupt more is sent. Pulses that come while a
// repeat is already owed are merged into it (the core's interrupts are wake-up hints; the ring's
// validity word stays the authority).
module tw_irq_req #(
    parameter int N = 4
) (
    input  wire          clk,
    input  wire          rst,
    input  wire  [N-1:0] pulse,     // from tw_core irq
    output logic [N-1:0] req,       // to usr_irq_req
    input  wire  [N-1:0] ack        // from usr_irq_ack
);
    logic [N-1:0] req_q, owed_q;

    always_ff @(posedge clk) begin
        if (rst) begin
            req_q  <= '0;
            owed_q <= '0;
        end else begin
            for (int i = 0; i < N; i++) begin
                if (req_q[i]) begin
                    if (ack[i])   req_q[i]  <= 1'b0;
                    if (pulse[i]) owed_q[i] <= 1'b1;
                end else if (pulse[i] || owed_q[i]) begin
                    req_q[i]  <= 1'b1;
                    owed_q[i] <= 1'b0;
                end
            end
        end
    end

    assign req = req_q;
endmodule
`default_nettype wire
`resetall
