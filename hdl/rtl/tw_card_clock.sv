// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_card_clock: the card's adjustable receive clock (64-bit ns + 32-bit fraction in rx_clk,
// stepped by a host-set 8.32 ns increment each cycle), with set/step/frequency commands from
// and a never-torn, continuously refreshed snapshot to the CSR clock domain.
//
// rx_clk                                         clk
//   time_q[95:0] += add_q  ------------------->  u_snap (tw_cdc_handshake, free running)
//   {applied_tgl_q, time_q[95:32]}                 snap_ns, done bit -> busy, time_lo/time_hi
//   command pipeline  <------------------------  u_cmd (tw_cdc_handshake) <- inc/set/step_wr
//
// Commands (clk): one in flight at a time, no queue. A strobe is accepted when busy is low; a
// strobe that arrives while busy is high is ignored and reported by a one-cycle cmd_dropped
// pulse (busy and the strobe are sampled at the same clk edge: a strobe is dropped exactly when
// busy reads high in the strobe's cycle). If several strobes arrive in one cycle, the first of set > step > inc is taken
// (when not busy) and the others are dropped: one cmd_dropped pulse for the cycle.
// busy rises the cycle after the accepting strobe and falls the cycle after snap_ns first shows
// a time captured after the command took effect: once busy reads low, snap_ns (TIME_LO/HI)
// already reflects the last accepted command and inc_cur holds the increment in effect.
// busy lasts 7-12 clk cycles (28-48 ns) at 322.27/250 MHz, 12-18 (48-72 ns) at 156.25 MHz in
// simulation (a few more cycles in silicon): one PCIe read of busy after a write sees it low. The
// driver writes, reads busy back (until low), and checks cmd_dropped's counter if it did not.
//
// rx_clk side of a command (from the cycle the word leaves u_cmd, c0):
//   c0 -> add_q/clr_q/inc_q loaded (registered, off the accumulator's path)
//   c1 -> time_q := (time_q & ~clr) + add_q, applied_tgl_q toggles
//   inc : add_q = new inc; the time of c1 is the first one to advance by it.
//   set : clr = 1, add_q = {set_value, 32'h0}: time = set_value.0 exactly, then advances by inc.
//   step: add_q = {step_value, 32'h0} + inc: time advances by inc + step_value (mod 2^96).
// A command takes effect at the 5th rx_clk edge after the clk edge that accepted it (later by
// one edge per synchroniser that resolves late in silicon).
//
// Snapshot: u_snap's source samples {applied_tgl_q, time_q[95:32]} (one register, one rx_clk
// edge, so never torn) whenever its previous word has been acknowledged, i.e. the rx side
// captures the time when the clk side's acknowledge ("request for the next one") arrives; the clk
// side takes the word 2-3 clk edges later and acknowledges at once. snap_ns is a register.
// Staleness of snap_ns: rx_clk cycles between the cycle whose time it holds and the live cycle of
// rx_time_ns, min..max over all instants and all phases of the two clocks (ns at the nominal inc):
//                        simulation / ideal synchronisers     silicon bound (each of the three
//                                                             synchronisers one edge late)
//   322.27 / 250 MHz:    3 .. 10 cycles ( 9.3 .. 31.0 ns)     3 .. 15 cycles ( 9.3 .. 46.5 ns)
//   156.25 / 250 MHz:    2 ..  6 cycles (12.8 .. 38.4 ns)     2 ..  9 cycles (12.8 .. 57.6 ns)
//   390.625/ 250 MHz:    4 .. 11 cycles (10.2 .. 28.2 ns)     4 .. 16 cycles (10.2 .. 41.0 ns)
// snap_ns is refreshed every 5-6 (322), 4 (156) or 6-7 (390) rx cycles. The figures come from
// an event-level model of the loop in the bench (loop_model), which the simulation matches
// exactly. The host servo should take the midpoint as the read delay and the spread as noise.
// Reading: time_lo is snap_ns[31:0] live; time_hi is snap_ns[63:32] latched in the cycle lo_rd
// (the CSR read strobe of TIME_LO) is high: read LO then HI for one consistent 64-bit value.
//
// Resets: rst and rx_rst must be asserted together (see tw_cdc_handshake), e.g. both derived
// from one reset source; an rx_rst alone (link down) may replay the last command. After reset
// time = 0, inc = INC_NOM, inc_cur = INC_NOM, snap_ns = 0.
module tw_card_clock #(
    // ns per rx_clk cycle at reset, unsigned 8.32 fixed point. Default: 322.265625 MHz,
    // 512/165 ns = 3.1030303 ns -> round(512/165 * 2^32).
    parameter logic [39:0] INC_NOM = 40'h3_1A60_31A6
) (
    // rx_clk domain
    input  wire         rx_clk,
    input  wire         rx_rst,
    output logic [63:0] rx_time_ns,     // registered; the time of the current rx_clk cycle

    // clk domain: host commands (one-cycle strobes) and status
    input  wire         clk,
    input  wire         rst,
    input  wire         inc_wr,
    input  wire  [39:0] inc_value,      // new increment, 8.32 ns per rx_clk cycle
    input  wire         set_wr,
    input  wire  [63:0] set_value,      // time := set_value.0
    input  wire         step_wr,
    input  wire  [63:0] step_value,     // time += step_value (two's complement ns)
    output logic        busy,           // a command is in flight; strobes are ignored
    output logic        cmd_dropped,    // one-cycle pulse: a strobe was ignored
    output logic [39:0] inc_cur,        // increment in effect (INC_NOM after reset)

    // clk domain: reading the time
    output logic [63:0] snap_ns,        // rx time a few rx cycles ago, never torn
    input  wire         lo_rd,          // read strobe of TIME_LO
    output logic [31:0] time_lo,        // snap_ns[31:0]
    output logic [31:0] time_hi         // snap_ns[63:32] as it was when lo_rd was last high
);
    typedef enum logic [1:0] {
        CmdInc  = 2'd0,
        CmdSet  = 2'd1,
        CmdStep = 2'd2
    } cmd_kind_e;

    localparam int CMD_W  = 2 + 64;     // {kind, value}
    localparam int SNAP_W = 1 + 64;     // {applied toggle, ns}

    generate
        if (INC_NOM == 40'd0) begin : gen_bad_inc
            initial $fatal(1, "tw_card_clock: INC_NOM must not be zero");
        end
    endgenerate

    // ================================================================== clk domain
    logic              cmd_s_ready;
    logic [SNAP_W-1:0] snap_word;
    logic              snap_valid;
    logic              snap_done;       // applied toggle as seen in the latest snapshot

    assign snap_done = snap_word[64];

    logic        busy_q, issued_tgl_q, dropped_q, kind_inc_q;
    logic [39:0] inc_pend_q, inc_cur_q;
    logic [31:0] time_hi_q;

    logic        any_wr, multi_wr, accept;
    cmd_kind_e   kind_sel;
    logic [63:0] value_sel;
    assign any_wr   = inc_wr || set_wr || step_wr;
    assign multi_wr = (inc_wr && set_wr) || (inc_wr && step_wr) || (set_wr && step_wr);
    assign accept   = any_wr && !busy_q;

    always_comb begin
        if (set_wr) begin
            kind_sel  = CmdSet;
            value_sel = set_value;
        end else if (step_wr) begin
            kind_sel  = CmdStep;
            value_sel = step_value;
        end else begin
            kind_sel  = CmdInc;
            value_sel = {24'd0, inc_value};
        end
    end

    always_ff @(posedge clk) begin
        if (rst) begin
            busy_q       <= 1'b0;
            issued_tgl_q <= 1'b0;
            dropped_q    <= 1'b0;
            kind_inc_q   <= 1'b0;
            inc_pend_q   <= INC_NOM;
            inc_cur_q    <= INC_NOM;
            time_hi_q    <= '0;
        end else begin
            // busy: from the accepting strobe until a snapshot carries the matching applied
            // toggle; also while u_cmd is not idle (it always is by then: belt and braces).
            busy_q    <= accept || (issued_tgl_q != snap_done) || !cmd_s_ready;
            dropped_q <= any_wr && (busy_q || multi_wr);
            if (accept) begin
                issued_tgl_q <= !issued_tgl_q;
                kind_inc_q   <= kind_sel == CmdInc;
                if (kind_sel == CmdInc) inc_pend_q <= inc_value;
            end
            // The last inc command has been applied: it is the one in effect.
            if (kind_inc_q && issued_tgl_q == snap_done) inc_cur_q <= inc_pend_q;
            if (lo_rd) time_hi_q <= snap_word[63:32];
        end
    end

    assign busy        = busy_q;
    assign cmd_dropped = dropped_q;
    assign inc_cur     = inc_cur_q;
    assign snap_ns     = snap_word[63:0];
    assign time_lo     = snap_word[31:0];
    assign time_hi     = time_hi_q;

    // ================================================================== crossings
    logic [CMD_W-1:0]  cmd_word;
    logic              cmd_valid;
    logic [SNAP_W-1:0] rx_snap;
    logic              rx_snap_ready;

    // CDC: commands clk -> rx_clk as bundled data; value and kind are held in u_cmd's source
    // register until the rx side has captured them.
    tw_cdc_handshake #(.W(CMD_W)) u_cmd (
        .s_clk(clk), .s_rst(rst), .s_data({kind_sel, value_sel}), .s_valid(accept), .s_ready(cmd_s_ready),
        .m_clk(rx_clk), .m_rst(rx_rst), .m_data(cmd_word), .m_valid(cmd_valid), .m_ready(1'b1)
    );

    // CDC: time rx_clk -> clk as bundled data, free running: the rx side samples whenever the
    // previous snapshot has been acknowledged; all 65 bits come from one rx_clk register edge.
    tw_cdc_handshake #(.W(SNAP_W)) u_snap (
        .s_clk(rx_clk), .s_rst(rx_rst), .s_data(rx_snap), .s_valid(1'b1), .s_ready(rx_snap_ready),
        .m_clk(clk), .m_rst(rst), .m_data(snap_word), .m_valid(snap_valid), .m_ready(1'b1)
    );

    // ================================================================== rx_clk domain
    logic [95:0] time_q, add_q, add_d;   // {ns, fraction}; addend of the next cycle
    logic        clr_q, clr_d, apply_q, applied_tgl_q;
    logic [39:0] inc_q, inc_d;
    cmd_kind_e   cmd_kind;
    logic [63:0] cmd_value, step_hi;

    assign cmd_kind  = cmd_kind_e'(cmd_word[65:64]);
    assign cmd_value = cmd_word[63:0];
    assign step_hi   = cmd_value + {56'd0, inc_q[39:32]};

    // The accumulator's operand mux lives here, one cycle ahead: the 96-bit add itself only
    // sees two registers and a clear (which folds into the carry chain's LUTs).
    always_comb begin
        add_d = {56'd0, inc_q};
        clr_d = 1'b0;
        inc_d = inc_q;
        if (cmd_valid) begin
            unique case (cmd_kind)
                CmdInc: begin
                    inc_d = cmd_value[39:0];
                    add_d = {56'd0, cmd_value[39:0]};
                end
                CmdSet: begin
                    add_d = {cmd_value, 32'd0};
                    clr_d = 1'b1;
                end
                CmdStep: add_d = {step_hi, inc_q[31:0]};
                default: ;
            endcase
        end
    end

    always_ff @(posedge rx_clk) begin
        if (rx_rst) begin
            time_q        <= '0;
            add_q         <= {56'd0, INC_NOM};
            clr_q         <= 1'b0;
            inc_q         <= INC_NOM;
            apply_q       <= 1'b0;
            applied_tgl_q <= 1'b0;
        end else begin
            time_q        <= (time_q & ~{96{clr_q}}) + add_q;
            add_q         <= add_d;
            clr_q         <= clr_d;
            inc_q         <= inc_d;
            apply_q       <= cmd_valid;
            applied_tgl_q <= applied_tgl_q ^ apply_q;
        end
    end

    assign rx_time_ns = time_q[95:32];
    // Toggle and time from the same edge: a snapshot showing the toggle shows the command.
    assign rx_snap    = {applied_tgl_q, time_q[95:32]};

    logic unused;
    assign unused = ^{snap_valid, rx_snap_ready};

`ifndef SYNTHESIS
    always_ff @(posedge clk) begin
        if (!rst) begin
            assert (!$isunknown({inc_wr, set_wr, step_wr, lo_rd}))
                else $error("tw_card_clock: X on a strobe");
            // Not busy implies the command crossing is idle, so an accepted word is never lost.
            assert (busy_q || cmd_s_ready) else $error("tw_card_clock: u_cmd busy while busy is low");
            // The applied toggle never runs ahead of the issued one.
            assert (busy_q || snap_done == issued_tgl_q)
                else $error("tw_card_clock: snapshot reports a command that was not issued");
        end
    end
    always_ff @(posedge rx_clk) begin
        if (!rx_rst) begin
            assert (!(cmd_valid && apply_q)) else $error("tw_card_clock: command words back to back");
            assert (!cmd_valid || cmd_kind inside {CmdInc, CmdSet, CmdStep})
                else $error("tw_card_clock: bad command kind %0d", cmd_kind);
        end
    end
`endif
endmodule
`default_nettype wire
`resetall
