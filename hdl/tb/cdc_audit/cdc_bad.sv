// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// cdc_bad: the mistakes scripts/cdc_audit.py must catch, one per block (see test_cdc_audit.py).
module cdc_bad (
    input  wire        a_clk,
    input  wire        a_rst,
    input  wire  [7:0] a_data,
    input  wire        a_we,
    input  wire  [3:0] a_addr,
    input  wire        b_clk,
    input  wire        b_rst,
    input  wire  [3:0] b_addr,
    input  wire        mystery_in,      // no domain in the test's port table
    output logic [7:0] b_raw,
    output logic       b_glitch,
    output logic       b_fanout,
    output logic       b_fanout_tap,
    output logic       b_rst_x,
    output logic [7:0] b_ram,
    output logic       b_mystery,
    input  wire        a_gate,
    output logic       g_q,
    output logic       b_clkdata,
    input  wire  [9:0] a_waddr,
    input  wire  [9:0] b_raddr,
    output logic [31:0] b_bram
);
    logic [7:0] a_cnt_q;
    always_ff @(posedge a_clk) begin
        if (a_rst) a_cnt_q <= '0;
        else       a_cnt_q <= a_cnt_q + a_data;
    end

    // 1. raw crossing: a multi-bit a_clk register sampled straight into b_clk
    always_ff @(posedge b_clk) b_raw <= a_cnt_q;

    // 2. synchroniser fed through logic from two source flops: glitch hazard
    tw_cdc_sync u_sync_glitch (.clk(b_clk), .rst(b_rst), .d(a_cnt_q[0] ^ a_cnt_q[1]), .q(b_glitch));

    // 3. a synchroniser whose first stage also drives other logic (cdc_tap_sync, approved as a
    //    sync kind by the test's configuration so that its shape is checked)
    cdc_tap_sync u_sync_tap (.clk(b_clk), .rst(b_rst), .d(a_cnt_q[2]), .q(b_fanout), .tap(b_fanout_tap));

    // 4. a b_clk flop reset from the a_clk domain's reset
    always_ff @(posedge b_clk) begin
        if (a_rst) b_rst_x <= 1'b0;
        else       b_rst_x <= !b_rst_x;
    end

    // 5. a dual-clock memory outside tw_async_fifo / tw_locate_ram
    logic [7:0] mem [16];
    always_ff @(posedge a_clk) if (a_we) mem[a_addr] <= a_data;
    always_ff @(posedge b_clk) b_ram <= mem[b_addr];

    // 6. an input port the port table does not know
    always_ff @(posedge b_clk) b_mystery <= mystery_in;

    // 7. a gated clock: the flop's clock traces to a LUT, not to a clock port
    wire g_clk = a_clk & a_gate;
    always_ff @(posedge g_clk) g_q <= !g_q;

    // 8. a clock used as data
    always_ff @(posedge b_clk) b_clkdata <= a_clk;

    // 9. a dual-clock block RAM outside tw_locate_ram / tw_async_fifo
    logic [31:0] bmem [1024];
    always_ff @(posedge a_clk) if (a_we) bmem[a_waddr] <= {4{a_data}};
    always_ff @(posedge b_clk) b_bram <= bmem[b_raddr];
endmodule

module cdc_tap_sync (
    input  wire  clk,
    input  wire  rst,
    input  wire  d,
    output logic q,
    output logic tap
);
    logic meta_q, sync_q;
    always_ff @(posedge clk) begin
        if (rst) {meta_q, sync_q} <= '0;
        else     {meta_q, sync_q} <= {d, meta_q};
    end
    assign q   = sync_q;
    assign tap = meta_q ^ sync_q;   // the metastable stage seen by logic
endmodule
`default_nettype wire
