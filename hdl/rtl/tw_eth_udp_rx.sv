// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_eth_udp_rx: cut-through Ethernet II / 802.1Q / 802.1ad / IPv4 / UDP header parser; emits the header
// of each accepted datagram and its payload realigned to lane 0, with a per-frame verdict on the last
// payload beat; drops everything else and counts every frame in exactly one class.
//
// Fields (byte offsets from the first byte of the frame; T = number of VLAN tags, 0..2; E = 14 + 4*T is
// the IPv4 header; U = E + 4*IHL the UDP header; P = U + 8 the payload; D = E + IPv4 total length, the
// end of the IP datagram, which is also the end of the UDP datagram once the UDP length is checked):
//
//   offset      len  field                      use
//   0           6    destination MAC            m_hdr_eth_dst
//   6           6    source MAC                 m_hdr_eth_src
//   12          2    ethertype / TPID           0x0800: T = 0; 0x88A8 or 0x8100: a tag follows; else not_ipv4
//   14          2    outer TCI     (T >= 1)     VID: m_hdr_vlan_outer_vid (and m_hdr_vlan_vid if T = 1)
//   16          2    ethertype / inner TPID     0x0800: T = 1; 0x8100: a second tag follows; else not_ipv4
//   18          2    inner TCI     (T = 2)      VID: m_hdr_vlan_vid
//   20          2    ethertype     (T = 2)      0x0800, else not_ipv4 (so a third tag is not_ipv4)
//   E+0         1    version / IHL              version 4 and IHL >= 5, else ip_hdr
//   E+2         2    total length               >= 4*IHL + 8, else ip_len
//   E+6         2    flags / fragment offset    MF set or offset != 0: fragment
//   E+9         1    protocol                   17, else not_udp
//   E+10        2    header checksum            the 4*IHL header bytes must sum to 0xFFFF, else ip_csum
//   E+12        4    source address             m_hdr_ip_src (and UDP pseudo-header)
//   E+16        4    destination address        m_hdr_ip_dst (and UDP pseudo-header)
//   E+20..U-1        options (IHL > 5)          summed in the header checksum, otherwise skipped
//   U+0         2    UDP source port            m_hdr_udp_src_port
//   U+2         2    UDP destination port       m_hdr_udp_dst_port
//   U+4         2    UDP length                 == total length - 4*IHL, > 8: else udp_len_long / _short
//   U+6         2    UDP checksum               0: not checked; else verified at D, else udp_csum
//   P .. D-1         payload (UDP length - 8)   m_axis_*, realigned to lane 0
//   D ..             Ethernet padding/trailer   ignored (but counted in the frame length)
//
// Multi-byte fields are output in network order: the first byte on the wire is the MSB.
// P mod 8 is 2 or 6 (E mod 8 is 6 or 2, 4*IHL mod 8 is 0 or 4), so realignment is a 2-way mux.
//
// Drop / error classes (err_* pulses, one per frame at most). Every check is made on the input beat that
// holds the last byte it needs; a frame is counted in the class of its FIRST failed check in wire order,
// and a failed header check drops the rest of the frame (no header, no payload):
//   1. err_not_ipv4       ethertype / tag stack (at byte 13, 17 or 21)
//   2. err_ip_hdr         version != 4 or IHL < 5          \
//   3. err_ip_len         total length < 4*IHL + 8          | all four decided together at byte E+9,
//   4. err_fragment       MF or fragment offset != 0        | in this order
//   5. err_not_udp        protocol != 17                   /
//   6. err_ip_csum        IPv4 header checksum (at byte U-1)
//   7. err_udp_len_long   UDP length > total length - 4*IHL (at byte U+5)
//   8. err_udp_len_short  UDP length < total length - 4*IHL, or UDP length <= 8 (at byte U+5). An empty
//                         datagram (UDP length 8) is dropped here: every accepted frame has at least one
//                         payload byte.
//   -- accept point: byte P (the first payload byte) present and 1-8 passed: the header is emitted,
//      ev_accepted pulses --
//   then, at the end of the frame (or at the too-long point), at most one of, in this order:
//   9.  err_too_long      the frame has more than cfg_max_len bytes (cfg_max_len = 0: no limit). Found at
//                         byte cfg_max_len: the frame is treated as if it ended there (a check whose bytes
//                         lie beyond it is not made), the rest is discarded.
//   10. err_runt          the frame has fewer than 60 bytes. Decided at the frame's last beat: a runt is
//                         counted as such unless a header check (1-8) failed first. A runt whose header is
//                         valid (untagged, no options: < 18 payload bytes and no Ethernet padding) is accepted
//                         when its header completes, so it shows as an accepted frame with a bad verdict.
//                         Every MoldUDP64 packet (>= 42 + 20 bytes) passes.
//   11. err_trunc         the frame ended before byte D (inside the headers, or inside the payload)
//   12. err_udp_csum      UDP checksum wrong (checked when its field is non-zero: pseudo-header src,
//                         dst, 17, UDP length; UDP header and payload, an odd last byte padded with 0;
//                         a correct datagram sums to 0xFFFF)
//   err_mac pulses for every frame whose last beat has s_axis_tuser set, independently of the class.
//   So: a dropped frame counts in exactly one of 1-12; an accepted frame counts in ev_accepted and, if its
//   end is bad, in one of 9-12; a good frame in ev_accepted only.
//
// Frame verdict: for an accepted frame, m_axis_tuser on the last payload beat (m_axis_tlast) is
//   MAC error | too long | runt | truncated | UDP checksum wrong. The payload is the datagram's payload
//   cut at the frame end or at the too-long point, whichever is first.
//
// Timing (cycles counted in clk; "the beat" = the input beat that holds the byte in question):
// - Two stages. Stage 1 (the cycle the beat is accepted) captures fields, accumulates the checksums,
//   realigns and registers payload, and registers per-check flags; stage 2 (the next cycle) picks the
//   class from those flags, emits the header, and registers the pulses. So the err_<class> and
//   ev_accepted pulses show 2 cycles after the beat that decided them (the first failed field, the accept
//   beat, or the frame's last beat); err_mac 1 cycle after the frame's last beat.
// - Checksums: 16-bit words are summed per beat (one 6-operand add: the accumulator, one side operand, the
//   4 words of the beat, masked), unfolded (IPv4: 22 bits, UDP: 32 bits), and compared when needed
//   without a fold adder (lo == ~hi, or both 0xFFFF). The IPv4 sum is complete 1 cycle after the beat
//   holding U-1 and checked in that beat's stage 2; the UDP sum 1 cycle after the beat holding D-1.
// - Header: m_hdr_valid rises 2 cycles after the accept beat (the beat holding byte P), i.e. in the same
//   cycle as the frame's first payload beat at the earliest (never after it): the accept decision is
//   taken in stage 2, while stage 1 already realigns the beat after the accept beat.
// - Payload: output beat k holds input beats b+k (lanes r..7) and b+k+1 (lanes 0..r-1), b = the accept
//   beat, r = P mod 8; it is registered when b+k+1 is accepted (valid the next cycle). Unchanged.
// - Last payload beat (the verdict), counted from the input beat holding the frame's last byte (tlast)
//   to the cycle m_axis_tvalid && m_axis_tlast first shows:
//     1 cycle : the datagram ends before the frame does (padding/trailer: the final beat waited in tail_q
//               and the UDP sum was already complete), or the datagram's last byte is in lanes 0..r-1 of
//               the last input beat and the UDP checksum is 0 (not checked) or the frame is truncated.
//     2 cycles: the frame ends in its accept beat (the final beat waits for stage 2's decision; as
//               before), or the datagram's last byte is in lanes r..7 of the last input beat (a second
//               output beat is needed; as before), or it is in lanes 0..r-1 and the UDP checksum is
//               checked: then the final beat is held ONE extra cycle for the UDP sum of that beat. This
//               hold is the only latency the verdict adds.
// - err_too_long, as a frame end, follows the same rules at the beat holding byte cfg_max_len.
// - Per stage: stage 1 = 1 cycle (input beat -> payload register, flags, checksum accumulators); stage 2
//   = 1 cycle (flags -> class pulse, ev_accepted, header register). Compared with the previous version:
//   the header shows 1 cycle later (still no later than the first payload beat), payload beats are
//   unchanged, the last payload beat is unchanged except for the one-cycle checksum hold above.
// - Logic depth (Yosys synth_xilinx -family xcup, this module alone): 4 LUT levels register to register
//   (the checksum adders are 3 LUT levels plus carry chains, the last one 32 bits long, which the LUT
//   count does not show). cfg_max_len is used through registered forms (lane masks, cfg_max_len/8 - 1),
//   the class is a flat priority over the registered check flags, and U mod 8 / the beat of U are
//   picked from one candidate per tag count.
//
// Other behaviour:
// - A dropped frame produces neither header nor payload. Stage 1 may start realigning the beat after the
//   accept beat before stage 2 has taken the decision; a rejected frame's beats are discarded there.
// - busy is set from the first accepted beat of a frame until its header, last payload beat and pulses
//   have left (it may stay set one cycle longer); it never clears while a frame is inside.
// - Throughput: s_axis_tready = output register free (m_axis) and, on the accept beat only, header
//   register free. With both readies held high it never drops, including back-to-back minimum frames:
//   a frame's held final beat leaves while the next frame's first (header-only) beat comes in.
//   s_axis_tready depends combinationally on m_axis_tready / m_hdr_ready (no skid buffer here).
// - s_axis_tkeep is all ones except on the last beat, where it is contiguous from lane 0.
// - cfg_max_len is quasi-static (change it between frames); it takes effect one cycle after it changes.
module tw_eth_udp_rx #(
    parameter int DATA_W = 64,  // stream width; 64 only, for now
    parameter int TS_W   = 64   // receive timestamp width
) (
    input  wire                 clk,
    input  wire                 rst,

    input  wire [15:0]          cfg_max_len,    // frame bytes (without FCS) allowed; 0 = no limit

    input  wire [DATA_W-1:0]    s_axis_tdata,
    input  wire [DATA_W/8-1:0]  s_axis_tkeep,
    input  wire                 s_axis_tvalid,
    output logic                s_axis_tready,
    input  wire                 s_axis_tlast,
    input  wire                 s_axis_tuser,   // MAC error, on the last beat
    input  wire [TS_W-1:0]      s_ts,           // sampled on the frame's first beat

    output logic                m_hdr_valid,
    input  wire                 m_hdr_ready,
    output logic [TS_W-1:0]     m_hdr_ts,
    output logic [47:0]         m_hdr_eth_dst,
    output logic [47:0]         m_hdr_eth_src,
    output logic                m_hdr_vlan_valid,      // m_hdr_vlan_tags != 0
    output logic [1:0]          m_hdr_vlan_tags,       // 0..2
    output logic [11:0]         m_hdr_vlan_vid,        // innermost tag's VID; 0 when untagged
    output logic [11:0]         m_hdr_vlan_outer_vid,  // outer tag's VID (= m_hdr_vlan_vid unless 2 tags)
    output logic [31:0]         m_hdr_ip_src,
    output logic [31:0]         m_hdr_ip_dst,
    output logic [15:0]         m_hdr_udp_src_port,
    output logic [15:0]         m_hdr_udp_dst_port,
    output logic [15:0]         m_hdr_udp_length,

    output logic [DATA_W-1:0]   m_axis_tdata,
    output logic [DATA_W/8-1:0] m_axis_tkeep,
    output logic                m_axis_tvalid,
    input  wire                 m_axis_tready,
    output logic                m_axis_tlast,
    output logic                m_axis_tuser,   // last beat: the frame is bad (verdict)

    output logic                busy,

    // one-cycle pulses for counters, in precedence order
    output logic                ev_accepted,
    output logic                err_not_ipv4,
    output logic                err_ip_hdr,
    output logic                err_ip_len,
    output logic                err_fragment,
    output logic                err_not_udp,
    output logic                err_ip_csum,
    output logic                err_udp_len_long,
    output logic                err_udp_len_short,
    output logic                err_too_long,
    output logic                err_runt,
    output logic                err_trunc,
    output logic                err_udp_csum,
    output logic                err_mac
);

    localparam int KEEP_W = DATA_W / 8;

    if (DATA_W != 64) begin : gen_bad_data_w
        initial $fatal(1, "tw_eth_udp_rx: DATA_W = %0d, only 64 is supported", DATA_W);
    end

    localparam logic [15:0] ETH_IPV4  = 16'h0800;
    localparam logic [15:0] ETH_VLAN  = 16'h8100;
    localparam logic [15:0] ETH_QINQ  = 16'h88A8;
    localparam logic [7:0]  IP_UDP    = 8'd17;
    localparam int          MIN_FRAME = 60;

    // Class bit positions in cls_*, precedence order.
    localparam int C_NOT_IPV4  = 0;
    localparam int C_IP_HDR    = 1;
    localparam int C_IP_LEN    = 2;
    localparam int C_FRAGMENT  = 3;
    localparam int C_NOT_UDP   = 4;
    localparam int C_IP_CSUM   = 5;
    localparam int C_UDP_LONG  = 6;
    localparam int C_UDP_SHORT = 7;
    localparam int C_TOO_LONG  = 8;
    localparam int C_RUNT      = 9;
    localparam int C_TRUNC     = 10;
    localparam int C_UDP_CSUM  = 11;
    localparam int N_CLS       = 12;

    // Hdr: inside the headers (up to and including the accept beat). Pay: forwarding payload.
    // Pad: datagram complete, its final output beat waits in tail_q for the frame end. Drop: discard to tlast.
    typedef enum logic [1:0] {
        Hdr,
        Pay,
        Pad,
        Drop
    } state_e;

    function automatic logic [7:0] lane_byte(input logic [DATA_W-1:0] d, input int l);
        return d[8*l +: 8];
    endfunction

    // Lanes l and l+1 as a network-order 16-bit field.
    function automatic logic [15:0] lane_be16(input logic [DATA_W-1:0] d, input int l);
        return {d[8*l +: 8], d[8*l+8 +: 8]};
    endfunction

    // Lanes 0..l set.
    function automatic logic [KEEP_W-1:0] upto(input logic [2:0] l);
        logic [KEEP_W-1:0] m;
        for (int i = 0; i < KEEP_W; i++) m[i] = (3'(i) <= l);
        return m;
    endfunction

    // Lanes 0..l-1 set (none for l = 0).
    function automatic logic [KEEP_W-1:0] below(input logic [2:0] l);
        logic [KEEP_W-1:0] m;
        for (int i = 0; i < KEEP_W; i++) m[i] = (3'(i) < l);
        return m;
    endfunction

    // An unfolded ones'-complement sum s (s != 0, s < 2^32) folds to 0xFFFF: lo + hi is 0xFFFF or 0x1FFFE.
    function automatic logic csum_ok(input logic [31:0] s);
        return (s[15:0] == ~s[31:16]) || (s[15:0] == 16'hFFFF && s[31:16] == 16'hFFFF);
    endfunction

    // ---------------------------------------------------------------------------------------------
    // Stage 1 state
    state_e              state_q, state_d;
    logic [3:0]          hb_q, hb_d;            // beat index in the frame, saturating at 15
    logic [12:0]         bcnt_q, bcnt_d;        // beat index in the frame, saturating at 8191
    logic                cut_q, cut_d;          // this beat holds byte cfg_max_len (if the frame is that long)
    logic [TS_W-1:0]     ts_q, ts_d;
    logic [47:0]         eth_dst_q, eth_dst_d, eth_src_q, eth_src_d;
    logic [15:0]         tci1_q, tci1_d, tci2_q, tci2_d;
    logic                tag_q, tag_d;          // T >= 1 (from beat 2 on)
    logic                t2_q, t2_d;            // T = 2, given tag_q (from beat 3 on)
    logic [7:0]          ver_ihl_q, ver_ihl_d;
    logic [15:0]         ip_len_q, ip_len_d, ip_frag_q, ip_frag_d;
    logic [7:0]          ip_proto_q, ip_proto_d;
    logic [31:0]         ip_src_q, ip_src_d, ip_dst_q, ip_dst_d;
    logic [15:0]         ip_pay_q, ip_pay_d;    // total length - 4*IHL
    logic                ip_lbad_q, ip_lbad_d;  // total length < 4*IHL + 8 (compared where it is captured)
    logic [3:0]          ub_q, ub_d;            // beat holding byte U
    logic                r6_q, r6_d;            // U mod 8 (= P mod 8) is 6; else 2
    logic                at_ub_q, at_ub_d;      // this beat is beat ub
    logic                past_ub_q, past_ub_d;  // this beat is after beat ub
    logic                at_ub1_q, at_ub1_d;    // this beat is beat ub + 1 (holds P-1 and P: accept beat)
    logic [15:0]         udp_sport_q, udp_sport_d, udp_dport_q, udp_dport_d, udp_len_q, udp_len_d;
    logic                csum_nz_q, csum_nz_d;  // UDP checksum field != 0: verify it

    // Datagram bytes from the start of this beat to D (valid from beat 3 or 4 on), and where D lies.
    logic [15:0]         dr_q, dr_d;
    logic                dall_q, dall_d;        // dr > 8: the whole beat is datagram
    logic                dend_q, dend_d;        // 1 <= dr <= 8: the datagram ends in this beat
    logic                dover_q, dover_d;      // dr <= 0: the datagram is over

    // Checksums. Masks are registered for the beat they apply to.
    logic [21:0]         acc_ip_q, acc_ip_d;
    logic [16:0]         s12_q, s12_d;          // words 1, 2 of beat 2: IPv4 header words if T = 1
    logic [3:0]          ipm_q, ipm_d;          // words of this beat in the IPv4 header
    logic                ipk_q, ipk_d;          // keep acc_ip (else restart from 0)
    logic                s12e_q, s12e_d;        // add s12_q (beat 3 of a frame with T = 1)
    logic [31:0]         acc_u_q, acc_u_d;
    logic [KEEP_W-1:0]   ubm_q, ubm_d;          // lanes of this beat in the UDP sum (pseudo-header, datagram)
    logic                inj_q, inj_d;          // add ip_pay_q (pseudo-header UDP length), in the E+10 slot
    logic                uk_q, uk_d;            // keep acc_u (else restart from 17, the pseudo-header protocol)

    logic [DATA_W-1:0]   carry_q, carry_d;      // previous input beat (its lanes r.. start the next output)
    logic [DATA_W-1:0]   tail_q, tail_d;        // final output beat, aligned, waiting for the frame end
    logic [KEEP_W-1:0]   tail_keep_q, tail_keep_d;
    logic                tail_user_q, tail_user_d;
    logic                tail_pend_q, tail_pend_d;  // tail_q is complete: emit it once decided and m_axis is free

    // Stage 1 -> stage 2: what the beat accepted last cycle showed.
    logic                v1_q, v1_d;            // a beat was accepted
    logic                last1_q, last1_d;      // ... it was the frame's last (tlast)
    logic                fin1_q, fin1_d;        // ... it ended the frame for the parser (tlast or too-long point)
    logic                cut1_q, cut1_d;        // ... at the too-long point
    logic                runt1_q, runt1_d;      // ... and the frame has < 60 bytes
    logic                trunc1_q, trunc1_d;    // ... before byte D
    logic                fl_et_q, fl_et_d;      // ethertype / tag stack bad
    logic                fl_ipg_q, fl_ipg_d;    // byte E+9 arrived: check the IPv4 fixed header
    logic                fl_hend_q, fl_hend_d;  // byte U-1 arrived: check the IPv4 header checksum
    logic                fl_ulen_q, fl_ulen_d;  // byte U+5 arrived: the UDP length is checked ...
    logic                ulong_q, ulong_d;      // ... and too long
    logic                ushort_q, ushort_d;    // ... and too short
    logic                fl_acc_q, fl_acc_d;    // byte P arrived: accept, unless a check failed

    // Stage 2 state
    logic                failed_q, failed_d;    // the frame in stage 2 has been given its class (or dropped)
    logic [N_CLS-1:0]    cls_q, cls_d;
    logic                ev_acc_q, ev_acc_d;

    logic                m_axis_tvalid_q, m_axis_tvalid_d, m_axis_tlast_q, m_axis_tlast_d;
    logic                m_axis_tuser_q, m_axis_tuser_d;
    logic [DATA_W-1:0]   m_axis_tdata_q, m_axis_tdata_d;
    logic [KEEP_W-1:0]   m_axis_tkeep_q, m_axis_tkeep_d;

    logic                m_hdr_valid_q, m_hdr_valid_d;
    logic [TS_W-1:0]     m_hdr_ts_q, m_hdr_ts_d;
    logic [47:0]         m_hdr_eth_dst_q, m_hdr_eth_dst_d, m_hdr_eth_src_q, m_hdr_eth_src_d;
    logic [1:0]          m_hdr_vlan_tags_q, m_hdr_vlan_tags_d;
    logic [11:0]         m_hdr_vlan_vid_q, m_hdr_vlan_vid_d, m_hdr_vlan_ovid_q, m_hdr_vlan_ovid_d;
    logic [31:0]         m_hdr_ip_src_q, m_hdr_ip_src_d, m_hdr_ip_dst_q, m_hdr_ip_dst_d;
    logic [15:0]         m_hdr_udp_sport_q, m_hdr_udp_sport_d, m_hdr_udp_dport_q, m_hdr_udp_dport_d;
    logic [15:0]         m_hdr_udp_len_q, m_hdr_udp_len_d;

    logic                err_mac_q, err_mac_d, busy_q, busy_d;

    // cfg_max_len in the forms the beat logic needs, registered (it is quasi-static: one cycle late)
    logic [KEEP_W-1:0]   mx_below_q;            // lanes before byte cfg_max_len, in its beat
    logic [KEEP_W-1:0]   mx_lane_q;             // the lane of byte cfg_max_len (one-hot)
    logic                mx_nz_q;               // cfg_max_len != 0
    logic                mx_hi0_q;              // cfg_max_len < 8 (byte cfg_max_len is in beat 0)
    logic [12:0]         mx_m1_q;               // cfg_max_len / 8 - 1
    always_ff @(posedge clk) begin
        mx_below_q <= below(cfg_max_len[2:0]);
        mx_lane_q  <= KEEP_W'(1) << cfg_max_len[2:0];
        mx_nz_q    <= cfg_max_len != '0;
        mx_hi0_q   <= cfg_max_len[15:3] == '0;
        mx_m1_q    <= cfg_max_len[15:3] - 13'd1;
    end

    // ---------------------------------------------------------------------------------------------
    // Derived, per cycle
    logic                out_free;      // m_axis register can take a beat this cycle
    logic                hdr_free;      // m_hdr register can take a header next cycle
    logic                acc;           // input beat transferred this cycle
    logic [KEEP_W-1:0]   in_keep;       // valid lanes of the input beat (all but on the last beat)
    logic [KEEP_W-1:0]   ek;            // ... and before the too-long point
    logic                cut_now;       // the frame is too long: this beat holds byte cfg_max_len
    logic                elast;         // the frame ends here for the parser (tlast or too-long point)
    logic                runt_now;      // tlast, and the frame has < 60 bytes
    logic                bad_end;       // verdict bits known at this beat: MAC error, runt, too long
    logic [DATA_W-1:0]   al_c;          // carry lanes r.., then input lanes ..r-1: one realigned beat
    logic [DATA_W-1:0]   al_s;          // input lanes r.. at lane 0 (input rotated by r)
    logic                ulen_bad1;     // stage 2: the UDP length in the stage-2 beat is bad
    logic                accept_now;    // stage 2: emit the header of the frame in stage 2
    logic                same_frame;    // the beat in stage 1 (if any) belongs to the frame in stage 2
    logic                kill;          // stage 1: the frame is dropped; discard this beat
    logic                udp_bad;       // the UDP sum is complete (see uses) and wrong
    logic                ip_bad;        // the IPv4 header sum is complete (beat holding U-1 + 1) and wrong

    assign out_free   = !m_axis_tvalid_q || m_axis_tready;
    assign hdr_free   = !m_hdr_valid_q || m_hdr_ready;
    // Only the accept beat needs the header register (it is loaded in the next cycle, by stage 2).
    assign s_axis_tready = out_free && (hdr_free || !(state_q == Hdr && at_ub1_q));
    assign acc        = s_axis_tvalid && s_axis_tready;
    assign in_keep    = s_axis_tlast ? s_axis_tkeep : '1;
    assign ek         = in_keep & (cut_q ? mx_below_q : '1);
    assign cut_now    = cut_q && (!s_axis_tlast || (s_axis_tkeep & mx_lane_q) != '0);
    assign elast      = s_axis_tlast || cut_now;
    assign runt_now   = s_axis_tlast && (hb_q < 4'(MIN_FRAME / 8)
                                         || (hb_q == 4'(MIN_FRAME / 8) && !s_axis_tkeep[MIN_FRAME % 8 - 1]));
    assign bad_end    = (s_axis_tlast && s_axis_tuser) || runt_now || cut_now;
    assign al_c       = r6_q ? {s_axis_tdata[47:0], carry_q[63:48]} : {s_axis_tdata[15:0], carry_q[63:16]};
    assign al_s       = r6_q ? {s_axis_tdata[47:0], s_axis_tdata[63:48]}
                             : {s_axis_tdata[15:0], s_axis_tdata[63:16]};

    // The only header check that can fail in the accept beat itself is the UDP length (when P mod 8 = 6);
    // every earlier one has already set failed_q.
    assign ulen_bad1  = fl_ulen_q && (ulong_q || ushort_q);
    assign accept_now = v1_q && fl_acc_q && !failed_q && !ulen_bad1;
    assign same_frame = !(v1_q && last1_q);
    assign kill       = same_frame && (failed_q || (v1_q && fl_acc_q && ulen_bad1));
    assign udp_bad    = csum_nz_q && !csum_ok(acc_u_q);
    assign ip_bad     = !csum_ok({10'd0, acc_ip_q});

    always_comb begin
        logic [15:0]       et0, et1, et2, ulen;
        logic              is_ip0, is_tag0, is_ip1, is_tag1, is_ip2;
        logic              t0, t1, t2;       // T, for beats 3 and later
        logic              t1n;              // T = 1, decided in beat 2
        logic [4:0]        u4;               // U / 4 (U mod 4 is always 2)
        logic              dinit;            // this beat holds the total length: set dr
        logic [15:0]       dinit_v;
        logic              fits, trunc, emit, emit_last, emit_user;
        logic [2:0]        end_lane;         // lane of the datagram's last byte, if it is in this beat
        logic [KEEP_W-1:0] vm;               // payload lanes of this input beat
        logic [KEEP_W-1:0] keep_c;           // lanes of al_c holding payload
        logic [DATA_W-1:0] emit_data;
        logic [KEEP_W-1:0] emit_keep;
        logic [3:0]        nps;              // next beat: words in the UDP pseudo-header
        logic [KEEP_W-1:0] num;              // next beat: lanes in the UDP datagram
        logic [KEEP_W-1:0] ndm;              // next beat: lanes before D
        logic [12:0]       nb;               // index of the next beat
        logic              tail_first;       // first cycle of a pending tail: stage 2 decides it now
        logic              tu;
        logic [17:0]       ip_w, u_w;
        logic [15:0]       w;
        logic [N_CLS-1:0]  cnd;              // stage 2: each check failed (the class is the first)
        logic [4:0]        u4_t0, u4_t1, u4_t2;

        state_d        = state_q;
        hb_d           = hb_q;
        bcnt_d         = bcnt_q;
        ts_d           = ts_q;
        eth_dst_d      = eth_dst_q;
        eth_src_d      = eth_src_q;
        tci1_d         = tci1_q;
        tci2_d         = tci2_q;
        tag_d          = tag_q;
        t2_d           = t2_q;
        ver_ihl_d      = ver_ihl_q;
        ip_len_d       = ip_len_q;
        ip_frag_d      = ip_frag_q;
        ip_proto_d     = ip_proto_q;
        ip_src_d       = ip_src_q;
        ip_dst_d       = ip_dst_q;
        ip_pay_d       = ip_pay_q;
        ip_lbad_d      = ip_lbad_q;
        ub_d           = ub_q;
        r6_d           = r6_q;
        at_ub_d        = at_ub_q;
        past_ub_d      = past_ub_q;
        at_ub1_d       = at_ub1_q;
        udp_sport_d    = udp_sport_q;
        udp_dport_d    = udp_dport_q;
        udp_len_d      = udp_len_q;
        csum_nz_d      = csum_nz_q;
        dr_d           = dr_q;
        dall_d         = dall_q;
        dend_d         = dend_q;
        dover_d        = dover_q;
        acc_ip_d       = acc_ip_q;
        s12_d          = s12_q;
        ipm_d          = ipm_q;
        ipk_d          = ipk_q;
        s12e_d         = s12e_q;
        acc_u_d        = acc_u_q;
        ubm_d          = ubm_q;
        inj_d          = inj_q;
        uk_d           = uk_q;
        carry_d        = carry_q;
        tail_d         = tail_q;
        tail_keep_d    = tail_keep_q;
        tail_user_d    = tail_user_q;
        tail_pend_d    = tail_pend_q;

        v1_d      = acc;
        last1_d   = acc && s_axis_tlast;
        fin1_d    = 1'b0;
        cut1_d    = cut_now;
        runt1_d   = runt_now;
        trunc1_d  = 1'b0;
        fl_et_d   = 1'b0;
        fl_ipg_d  = 1'b0;
        fl_hend_d = 1'b0;
        fl_ulen_d = 1'b0;
        ulong_d   = 1'b0;
        ushort_d  = 1'b0;
        fl_acc_d  = 1'b0;

        m_axis_tvalid_d = m_axis_tvalid_q && !m_axis_tready;
        m_axis_tdata_d  = m_axis_tdata_q;
        m_axis_tkeep_d  = m_axis_tkeep_q;
        m_axis_tlast_d  = m_axis_tlast_q;
        m_axis_tuser_d  = m_axis_tuser_q;

        m_hdr_valid_d      = m_hdr_valid_q && !m_hdr_ready;
        m_hdr_ts_d         = m_hdr_ts_q;
        m_hdr_eth_dst_d    = m_hdr_eth_dst_q;
        m_hdr_eth_src_d    = m_hdr_eth_src_q;
        m_hdr_vlan_tags_d  = m_hdr_vlan_tags_q;
        m_hdr_vlan_vid_d   = m_hdr_vlan_vid_q;
        m_hdr_vlan_ovid_d  = m_hdr_vlan_ovid_q;
        m_hdr_ip_src_d     = m_hdr_ip_src_q;
        m_hdr_ip_dst_d     = m_hdr_ip_dst_q;
        m_hdr_udp_sport_d  = m_hdr_udp_sport_q;
        m_hdr_udp_dport_d  = m_hdr_udp_dport_q;
        m_hdr_udp_len_d    = m_hdr_udp_len_q;

        failed_d  = failed_q;
        cls_d     = '0;
        ev_acc_d  = 1'b0;
        err_mac_d = 1'b0;

        et0 = lane_be16(s_axis_tdata, 4);
        et1 = lane_be16(s_axis_tdata, 0);
        et2 = lane_be16(s_axis_tdata, 4);
        is_ip0  = (et0 == ETH_IPV4);
        is_tag0 = (et0 == ETH_VLAN) || (et0 == ETH_QINQ);
        is_ip1  = (et1 == ETH_IPV4);
        is_tag1 = (et1 == ETH_VLAN);
        is_ip2  = (et2 == ETH_IPV4);
        t0  = !tag_q;
        t1  = tag_q && !t2_q;
        t2  = tag_q && t2_q;
        t1n = tag_q && !is_tag1;
        u4 = '0;
        u4_t0 = '0; u4_t1 = '0; u4_t2 = '0;
        dinit = 1'b0;
        dinit_v = '0;
        ulen = r6_q ? lane_be16(s_axis_tdata, 2) : lane_be16(s_axis_tdata, 6);
        fits = dend_q;
        end_lane = dr_q[2:0] - 3'd1;
        trunc = 1'b0; emit = 1'b0; emit_last = 1'b0; emit_user = 1'b0;
        vm = '0; keep_c = '0; emit_data = '0; emit_keep = '0;
        nps = '0; num = '0; ndm = '0;
        tu = 1'b0;
        ip_w = '0; u_w = '0; w = '0;

        // ---- stage 2: class of the beat accepted last cycle, header ----
        // Every check's condition side by side, then the first failed one (a flat priority, not an
        // if-chain: the frame's "failed" flag needs only the OR of them).
        cnd = '0;
        cnd[C_NOT_IPV4]  = fl_et_q;
        cnd[C_IP_HDR]    = fl_ipg_q && (ver_ihl_q[7:4] != 4'd4 || ver_ihl_q[3:0] < 4'd5);
        cnd[C_IP_LEN]    = fl_ipg_q && ip_lbad_q;
        cnd[C_FRAGMENT]  = fl_ipg_q && (ip_frag_q[13] || ip_frag_q[12:0] != '0);
        cnd[C_NOT_UDP]   = fl_ipg_q && ip_proto_q != IP_UDP;
        cnd[C_IP_CSUM]   = fl_hend_q && ip_bad;
        cnd[C_UDP_LONG]  = fl_ulen_q && ulong_q;
        cnd[C_UDP_SHORT] = fl_ulen_q && ushort_q;
        cnd[C_TOO_LONG]  = fin1_q && cut1_q;
        cnd[C_RUNT]      = fin1_q && runt1_q;
        cnd[C_TRUNC]     = fin1_q && trunc1_q;
        cnd[C_UDP_CSUM]  = fin1_q && udp_bad;
        for (int i = 0; i < N_CLS; i++) begin
            cls_d[i] = v1_q && !failed_q && cnd[i] && (cnd & N_CLS'((1 << i) - 1)) == '0;
        end
        failed_d = (failed_q || (v1_q && cnd != '0)) && !(v1_q && last1_q);

        if (accept_now) begin
            // hdr_free held when the accept beat was taken: the register is empty now.
            ev_acc_d           = 1'b1;
            m_hdr_valid_d      = 1'b1;
            m_hdr_ts_d         = ts_q;
            m_hdr_eth_dst_d    = eth_dst_q;
            m_hdr_eth_src_d    = eth_src_q;
            m_hdr_vlan_tags_d  = !tag_q ? 2'd0 : (t2_q ? 2'd2 : 2'd1);
            m_hdr_vlan_vid_d   = !tag_q ? 12'd0 : (t2_q ? tci2_q[11:0] : tci1_q[11:0]);
            m_hdr_vlan_ovid_d  = !tag_q ? 12'd0 : tci1_q[11:0];
            m_hdr_ip_src_d     = ip_src_q;
            m_hdr_ip_dst_d     = ip_dst_q;
            m_hdr_udp_sport_d  = udp_sport_q;
            m_hdr_udp_dport_d  = udp_dport_q;
            m_hdr_udp_len_d    = udp_len_q;
        end

        // ---- pending final beat ----
        // It exists only after a frame's end, so the beat accepted in the same cycle is the next frame's
        // first beat, which never needs m_axis. In its first cycle stage 2 decides the frame: a dropped
        // frame's tail is discarded, an accepted one gets the UDP checksum result in its verdict.
        tail_first = v1_q && fin1_q;
        if (tail_pend_q) begin
            if (tail_first && (failed_q || (fl_acc_q && ulen_bad1))) begin
                tail_pend_d = 1'b0;
            end else begin
                tu = tail_user_q || (tail_first && udp_bad);
                tail_user_d = tu;
                if (out_free) begin
                    m_axis_tvalid_d = 1'b1;
                    m_axis_tdata_d  = tail_q;
                    m_axis_tkeep_d  = tail_keep_q;
                    m_axis_tlast_d  = 1'b1;
                    m_axis_tuser_d  = tu;
                    tail_pend_d     = 1'b0;
                end
            end
        end

        // ---- beat counters; the too-long point ----
        // cut_d = (cfg_max_len != 0 && nb == cfg_max_len / 8), from registered forms of the limit:
        // nb is 0 (frame end, reset), bcnt_q + 1 (unless saturated) or bcnt_q (cut_q holds).
        nb = bcnt_q;
        cut_d = cut_q;
        if (acc) begin
            nb = s_axis_tlast ? '0 : (bcnt_q == '1 ? bcnt_q : bcnt_q + 13'd1);
            cut_d = s_axis_tlast ? mx_nz_q && mx_hi0_q
                                 : (mx_nz_q && !mx_hi0_q && bcnt_q == mx_m1_q) || (bcnt_q == '1 && cut_q);
        end
        if (rst) begin
            nb = '0;
            cut_d = mx_nz_q && mx_hi0_q;
        end
        bcnt_d = nb;

        if (acc) begin
            if (hb_q != 4'hF) hb_d = hb_q + 4'd1;
            if (s_axis_tlast) err_mac_d = s_axis_tuser;

            // ---- checksum accumulators (masks were registered for this beat) ----
            ip_w = '0;
            u_w  = '0;
            for (int j = 0; j < 4; j++) begin
                w = lane_be16(s_axis_tdata, 2 * j);
                ip_w = ip_w + (ipm_q[j] ? {2'b00, w} : 18'd0);
                u_w  = u_w + {2'b00, ubm_q[2*j] ? w[15:8] : 8'd0, ubm_q[2*j+1] ? w[7:0] : 8'd0};
            end
            acc_ip_d = (ipk_q ? acc_ip_q : 22'd0) + (s12e_q ? {5'd0, s12_q} : 22'd0) + {4'd0, ip_w};
            acc_u_d  = (uk_q ? acc_u_q : 32'd17) + (inj_q ? {16'd0, ip_pay_q} : 32'd0) + {14'd0, u_w};

            // ---- field capture and header checks (stage 1 flags) ----
            if (state_q == Hdr) begin
                unique case (hb_q)
                    4'd0: begin
                        ts_d      = s_ts;
                        eth_dst_d = {lane_byte(s_axis_tdata, 0), lane_byte(s_axis_tdata, 1),
                                     lane_byte(s_axis_tdata, 2), lane_byte(s_axis_tdata, 3),
                                     lane_byte(s_axis_tdata, 4), lane_byte(s_axis_tdata, 5)};
                        eth_src_d[47:32] = lane_be16(s_axis_tdata, 6);
                    end
                    4'd1: begin
                        eth_src_d[31:0] = {lane_be16(s_axis_tdata, 0), lane_be16(s_axis_tdata, 2)};
                        tci1_d    = lane_be16(s_axis_tdata, 6);
                        ver_ihl_d = lane_byte(s_axis_tdata, 6);     // E = 14
                        tag_d     = is_tag0;
                        fl_et_d   = ek[5] && !is_ip0 && !is_tag0;   // byte 13
                    end
                    4'd2: begin
                        tci2_d = lane_be16(s_axis_tdata, 2);
                        t2_d   = is_tag1;
                        if (!tag_q) begin                           // E = 14
                            ip_len_d   = lane_be16(s_axis_tdata, 0);
                            ip_frag_d  = lane_be16(s_axis_tdata, 4);
                            ip_proto_d = lane_byte(s_axis_tdata, 7);
                            ip_pay_d   = lane_be16(s_axis_tdata, 0) - {10'd0, ver_ihl_q[3:0], 2'b00};
                            ip_lbad_d  = lane_be16(s_axis_tdata, 0) < {10'd0, ver_ihl_q[3:0], 2'b00} + 16'd8;
                            dinit      = 1'b1;
                            dinit_v    = lane_be16(s_axis_tdata, 0) - 16'd10;   // E - 24
                            fl_ipg_d   = ek[7];                                 // byte E+9 = 23
                        end else if (!is_tag1) begin                // E = 18
                            ver_ihl_d  = lane_byte(s_axis_tdata, 2);
                            ip_len_d   = lane_be16(s_axis_tdata, 4);
                            ip_pay_d   = lane_be16(s_axis_tdata, 4)
                                         - {10'd0, s_axis_tdata[8*2 +: 4], 2'b00};
                            ip_lbad_d  = lane_be16(s_axis_tdata, 4) < {10'd0, s_axis_tdata[8*2 +: 4], 2'b00} + 16'd8;
                            dinit      = 1'b1;
                            dinit_v    = lane_be16(s_axis_tdata, 4) - 16'd6;    // E - 24
                        end else begin                              // E = 22
                            ver_ihl_d  = lane_byte(s_axis_tdata, 6);
                        end
                        // bytes 17 and 21
                        fl_et_d = tag_q && ((ek[1] && !is_ip1 && !is_tag1) || (ek[5] && is_tag1 && !is_ip2));
                        // U and P mod 8, now that T and IHL are known (IHL < 5 is dropped; clamp so that the
                        // accept beat never comes before the checks that drop it).
                        // (one candidate per tag count, each a function of 4 bits; then a select)
                        u4_t0 = 5'd3 + {1'b0, ver_ihl_q[3:0] < 4'd5 ? 4'd5 : ver_ihl_q[3:0]};
                        u4_t1 = 5'd4 + {1'b0, s_axis_tdata[8*2 +: 4] < 4'd5 ? 4'd5 : s_axis_tdata[8*2 +: 4]};
                        u4_t2 = 5'd5 + {1'b0, s_axis_tdata[8*6 +: 4] < 4'd5 ? 4'd5 : s_axis_tdata[8*6 +: 4]};
                        u4    = !tag_q ? u4_t0 : (is_tag1 ? u4_t2 : u4_t1);
                        ub_d  = u4[4:1];
                        r6_d  = u4[0];
                    end
                    4'd3: begin
                        if (t0) begin
                            ip_src_d        = {lane_be16(s_axis_tdata, 2), lane_be16(s_axis_tdata, 4)};
                            ip_dst_d[31:16] = lane_be16(s_axis_tdata, 6);
                        end else if (t1) begin
                            ip_frag_d        = lane_be16(s_axis_tdata, 0);
                            ip_proto_d       = lane_byte(s_axis_tdata, 3);
                            ip_src_d[31:16]  = lane_be16(s_axis_tdata, 6);
                            fl_ipg_d         = ek[3];                           // byte E+9 = 27
                        end else begin
                            ip_len_d   = lane_be16(s_axis_tdata, 0);
                            ip_frag_d  = lane_be16(s_axis_tdata, 4);
                            ip_proto_d = lane_byte(s_axis_tdata, 7);
                            ip_pay_d   = lane_be16(s_axis_tdata, 0) - {10'd0, ver_ihl_q[3:0], 2'b00};
                            ip_lbad_d  = lane_be16(s_axis_tdata, 0) < {10'd0, ver_ihl_q[3:0], 2'b00} + 16'd8;
                            dinit      = 1'b1;
                            dinit_v    = lane_be16(s_axis_tdata, 0) - 16'd10;   // E - 32
                            fl_ipg_d   = ek[7];                                 // byte E+9 = 31
                        end
                    end
                    4'd4: begin
                        if (t0) begin
                            ip_dst_d[15:0] = lane_be16(s_axis_tdata, 0);
                        end else if (t1) begin
                            ip_src_d[15:0] = lane_be16(s_axis_tdata, 0);
                            ip_dst_d       = {lane_be16(s_axis_tdata, 2), lane_be16(s_axis_tdata, 4)};
                        end else begin
                            ip_src_d        = {lane_be16(s_axis_tdata, 2), lane_be16(s_axis_tdata, 4)};
                            ip_dst_d[31:16] = lane_be16(s_axis_tdata, 6);
                        end
                    end
                    4'd5: begin
                        if (t2) ip_dst_d[15:0] = lane_be16(s_axis_tdata, 0);
                    end
                    default: ;
                endcase
                // UDP header: U mod 8 is 2 (ports and length in lanes 2-7 of beat ub, checksum in lanes 0-1
                // of ub+1) or 6 (source port in lanes 6-7 of ub, the rest in lanes 0-5 of ub+1).
                if (at_ub_q) begin
                    fl_hend_d = r6_q ? ek[5] : ek[1];                   // byte U-1
                    if (r6_q) begin
                        udp_sport_d = lane_be16(s_axis_tdata, 6);
                    end else begin
                        udp_sport_d = lane_be16(s_axis_tdata, 2);
                        udp_dport_d = lane_be16(s_axis_tdata, 4);
                        udp_len_d   = lane_be16(s_axis_tdata, 6);
                        fl_ulen_d   = ek[7];                            // byte U+5
                    end
                end
                if (at_ub1_q) begin
                    if (r6_q) begin
                        udp_dport_d = lane_be16(s_axis_tdata, 0);
                        udp_len_d   = lane_be16(s_axis_tdata, 2);
                        csum_nz_d   = lane_be16(s_axis_tdata, 4) != '0;
                        fl_ulen_d   = ek[3];                            // byte U+5
                    end else begin
                        csum_nz_d   = lane_be16(s_axis_tdata, 0) != '0;
                    end
                    fl_acc_d = r6_q ? ek[6] : ek[2];                    // byte P
                end
                ulong_d  = ulen > ip_pay_q;
                ushort_d = ulen < ip_pay_q || ulen <= 16'd8;
                if (hb_q == 4'd2) s12_d = {1'b0, lane_be16(s_axis_tdata, 2)} + {1'b0, lane_be16(s_axis_tdata, 4)};
            end

            // ---- next beat: position flags, datagram counter, checksum masks ----
            dr_d = dinit ? dinit_v : dr_q - 16'd8;
            if (hb_q == 4'd2 || hb_q == 4'd3) begin
                // Beats 3 and 4 lie wholly before D in every frame that survives the checks (D >= 14 +
                // 4*5 + 9): the flags need not wait for dr (which is set in beat 2 or 3).
                dall_d  = 1'b1;
                dend_d  = 1'b0;
                dover_d = 1'b0;
            end else begin
                // dr_q > 16, as bit tests (no carry chain ahead of the lane masks below)
                dall_d  = dall_q && (dr_q[15:5] != '0 || (dr_q[4] && dr_q[3:0] != '0));
                dend_d  = dall_q && !(dr_q[15:5] != '0 || (dr_q[4] && dr_q[3:0] != '0));
                dover_d = dover_q || dend_q;
            end
            ndm = dall_d ? '1 : (dend_d ? upto(dr_q[2:0] - 3'd1) : '0);   // dr_d = dr_q - 8 here
            at_ub_d   = hb_q >= 4'd3 && (hb_q + 4'd1 == ub_q);
            past_ub_d = past_ub_q || at_ub_q;
            at_ub1_d  = at_ub_q;
            ipk_d  = 1'b1;
            s12e_d = 1'b0;
            unique case (hb_q)
                4'd0:    begin ipm_d = 4'b1000; ipk_d = 1'b0; end                // next: beat 1
                4'd1:    begin ipm_d = is_tag0 ? 4'b1000 : 4'b1111; ipk_d = !is_tag0; end
                4'd2:    begin ipm_d = 4'b1111; s12e_d = t1n; end
                default: ipm_d = past_ub_d ? 4'b0000 : (at_ub_d ? (r6_q ? 4'b0111 : 4'b0001) : 4'b1111);
            endcase
            // UDP pseudo-header: source and destination address (E+12..E+19) as words; the protocol (17)
            // is the accumulator's start value, the UDP length (= total length - 4*IHL) goes in the slot of
            // the IPv4 header checksum (E+10), which is not part of the UDP sum.
            inj_d = 1'b0;
            unique case (hb_q)
                4'd2:    begin                                                     // next: beat 3
                    if (!tag_q) begin inj_d = 1'b1; nps = 4'b1110; end             // E+10 = 24
                    else if (t1n) begin nps = 4'b1000; end                         // E+10 = 28, in word 2
                end
                4'd3:    begin                                                     // next: beat 4
                    if (t0) nps = 4'b0001;
                    else if (t1) nps = 4'b0111;
                    else begin inj_d = 1'b1; nps = 4'b1110; end                    // E+10 = 32
                end
                4'd4:    if (t2) nps = 4'b0001;
                default: ;
            endcase
            inj_d = inj_d || (hb_q == 4'd2 && t1n);
            num = ndm & (past_ub_d ? 8'hFF : (at_ub_d ? (r6_q ? 8'hC0 : 8'hFC) : 8'h00));
            for (int j = 0; j < 4; j++) begin
                ubm_d[2*j]   = nps[j] || num[2*j];
                ubm_d[2*j+1] = nps[j] || num[2*j+1];
            end
            uk_d = 1'b1;

            if (s_axis_tlast) begin
                hb_d      = '0;
                ipm_d     = '0;
                ipk_d     = 1'b0;
                s12e_d    = 1'b0;
                ubm_d     = '0;
                inj_d     = 1'b0;
                uk_d      = 1'b0;
                at_ub_d   = 1'b0;
                past_ub_d = 1'b0;
                at_ub1_d  = 1'b0;
                dall_d    = 1'b1;
                dend_d    = 1'b0;
                dover_d   = 1'b0;
            end

            // ---- payload ----
            if (kill || state_q == Drop) begin
                state_d = s_axis_tlast ? Hdr : Drop;
            end else begin
                fin1_d = elast;
                unique case (state_q)
                    Hdr: begin
                        if (at_ub1_q && (r6_q ? ek[6] : ek[2])) begin
                            // Accept (stage 2 confirms next cycle); payload byte 0 is in lane r.
                            vm    = ek & (r6_q ? 8'hC0 : 8'hFC) & (fits ? upto(end_lane) : '1);
                            trunc = elast && !(fits && ek[end_lane]);
                            if (fits || elast) begin
                                tail_d      = al_s;
                                tail_keep_d = r6_q ? {6'd0, vm[7:6]} : {2'd0, vm[7:2]};
                                tail_user_d = bad_end || trunc;
                                tail_pend_d = elast;
                                state_d     = elast ? (s_axis_tlast ? Hdr : Drop) : Pad;
                            end else begin
                                carry_d = s_axis_tdata;
                                state_d = Pay;
                            end
                        end else begin
                            trunc = elast;              // ended inside the headers
                            if (elast) state_d = s_axis_tlast ? Hdr : Drop;
                        end
                    end
                    Pay: begin
                        // The carry holds 8-r payload bytes; dr_q >= 1 more are to come from this beat on.
                        vm      = ek & (fits ? upto(end_lane) : '1);
                        trunc   = elast && !(fits && ek[end_lane]);
                        keep_c  = r6_q ? {vm[5:0], 2'b11} : {vm[1:0], 6'h3F};
                        carry_d = s_axis_tdata;
                        if (!(fits || elast)) begin
                            emit      = 1'b1;                   // a full beat
                            emit_data = al_c;
                            emit_keep = '1;
                        end else if (r6_q ? vm[6] : vm[2]) begin
                            // One full beat now; input lanes r.. are the final beat.
                            emit        = 1'b1;
                            emit_data   = al_c;
                            emit_keep   = '1;
                            tail_d      = al_s;
                            tail_keep_d = r6_q ? {6'd0, vm[7:6]} : {2'd0, vm[7:2]};
                            tail_user_d = bad_end || trunc;
                            tail_pend_d = elast;
                            state_d     = elast ? (s_axis_tlast ? Hdr : Drop) : Pad;
                        end else if (elast) begin
                            if (csum_nz_q && !trunc && !cut_now) begin
                                // Hold the final beat one cycle: the verdict needs this beat's UDP sum.
                                tail_d      = al_c;
                                tail_keep_d = keep_c;
                                tail_user_d = bad_end;
                                tail_pend_d = 1'b1;
                            end else begin
                                emit      = 1'b1;               // the final beat, verdict known
                                emit_data = al_c;
                                emit_keep = keep_c;
                                emit_last = 1'b1;
                                emit_user = bad_end || trunc;
                            end
                            state_d = s_axis_tlast ? Hdr : Drop;
                        end else begin
                            // Datagram complete, padding follows: hold the final beat for the frame's end.
                            tail_d      = al_c;
                            tail_keep_d = keep_c;
                            tail_user_d = 1'b0;
                            state_d     = Pad;
                        end
                    end
                    Pad: begin
                        if (elast) begin
                            // The datagram ended at least one beat ago: its UDP sum is complete.
                            emit      = 1'b1;
                            emit_data = tail_q;
                            emit_keep = tail_keep_q;
                            emit_last = 1'b1;
                            emit_user = tail_user_q || bad_end || udp_bad;
                            state_d   = s_axis_tlast ? Hdr : Drop;
                        end
                    end
                    default: state_d = Hdr;
                endcase
                trunc1_d = trunc;
            end
        end

        // Payload beat from the input side. s_axis_tready guaranteed room; a pending tail never
        // coincides with it (see above).
        if (emit) begin
            m_axis_tvalid_d = 1'b1;
            m_axis_tdata_d  = emit_data;
            m_axis_tkeep_d  = emit_keep;
            m_axis_tlast_d  = emit_last;
            m_axis_tuser_d  = emit_user;
        end

        // From registered state (plus the beat taken now): may stay set one cycle after the module
        // empties, never clear while a frame is inside.
        busy_d = acc || (state_q != Hdr) || (hb_q != '0) || tail_pend_q || m_axis_tvalid_q
                 || m_hdr_valid_q || v1_q;
    end

    always_ff @(posedge clk) begin
        state_q         <= state_d;
        hb_q            <= hb_d;
        bcnt_q          <= bcnt_d;
        cut_q           <= cut_d;
        ts_q            <= ts_d;
        eth_dst_q       <= eth_dst_d;
        eth_src_q       <= eth_src_d;
        tci1_q          <= tci1_d;
        tci2_q          <= tci2_d;
        tag_q           <= tag_d;
        t2_q            <= t2_d;
        ver_ihl_q       <= ver_ihl_d;
        ip_len_q        <= ip_len_d;
        ip_frag_q       <= ip_frag_d;
        ip_proto_q      <= ip_proto_d;
        ip_src_q        <= ip_src_d;
        ip_dst_q        <= ip_dst_d;
        ip_pay_q        <= ip_pay_d;
        ip_lbad_q       <= ip_lbad_d;
        ub_q            <= ub_d;
        r6_q            <= r6_d;
        at_ub_q         <= at_ub_d;
        past_ub_q       <= past_ub_d;
        at_ub1_q        <= at_ub1_d;
        udp_sport_q     <= udp_sport_d;
        udp_dport_q     <= udp_dport_d;
        udp_len_q       <= udp_len_d;
        csum_nz_q       <= csum_nz_d;
        dr_q            <= dr_d;
        dall_q          <= dall_d;
        dend_q          <= dend_d;
        dover_q         <= dover_d;
        acc_ip_q        <= acc_ip_d;
        s12_q           <= s12_d;
        ipm_q           <= ipm_d;
        ipk_q           <= ipk_d;
        s12e_q          <= s12e_d;
        acc_u_q         <= acc_u_d;
        ubm_q           <= ubm_d;
        inj_q           <= inj_d;
        uk_q            <= uk_d;
        carry_q         <= carry_d;
        tail_q          <= tail_d;
        tail_keep_q     <= tail_keep_d;
        tail_user_q     <= tail_user_d;
        tail_pend_q     <= tail_pend_d;

        v1_q            <= v1_d;
        last1_q         <= last1_d;
        fin1_q          <= fin1_d;
        cut1_q          <= cut1_d;
        runt1_q         <= runt1_d;
        trunc1_q        <= trunc1_d;
        fl_et_q         <= fl_et_d;
        fl_ipg_q        <= fl_ipg_d;
        fl_hend_q       <= fl_hend_d;
        fl_ulen_q       <= fl_ulen_d;
        ulong_q         <= ulong_d;
        ushort_q        <= ushort_d;
        fl_acc_q        <= fl_acc_d;
        failed_q        <= failed_d;
        cls_q           <= cls_d;
        ev_acc_q        <= ev_acc_d;

        m_axis_tvalid_q <= m_axis_tvalid_d;
        m_axis_tdata_q  <= m_axis_tdata_d;
        m_axis_tkeep_q  <= m_axis_tkeep_d;
        m_axis_tlast_q  <= m_axis_tlast_d;
        m_axis_tuser_q  <= m_axis_tuser_d;

        m_hdr_valid_q      <= m_hdr_valid_d;
        m_hdr_ts_q         <= m_hdr_ts_d;
        m_hdr_eth_dst_q    <= m_hdr_eth_dst_d;
        m_hdr_eth_src_q    <= m_hdr_eth_src_d;
        m_hdr_vlan_tags_q  <= m_hdr_vlan_tags_d;
        m_hdr_vlan_vid_q   <= m_hdr_vlan_vid_d;
        m_hdr_vlan_ovid_q  <= m_hdr_vlan_ovid_d;
        m_hdr_ip_src_q     <= m_hdr_ip_src_d;
        m_hdr_ip_dst_q     <= m_hdr_ip_dst_d;
        m_hdr_udp_sport_q  <= m_hdr_udp_sport_d;
        m_hdr_udp_dport_q  <= m_hdr_udp_dport_d;
        m_hdr_udp_len_q    <= m_hdr_udp_len_d;

        err_mac_q       <= err_mac_d;
        busy_q          <= busy_d;

        if (rst) begin
            state_q         <= Hdr;
            hb_q            <= '0;
            bcnt_q          <= '0;
            at_ub_q         <= 1'b0;
            past_ub_q       <= 1'b0;
            at_ub1_q        <= 1'b0;
            dall_q          <= 1'b1;
            dend_q          <= 1'b0;
            dover_q         <= 1'b0;
            ipm_q           <= '0;
            ipk_q           <= 1'b0;
            s12e_q          <= 1'b0;
            ubm_q           <= '0;
            inj_q           <= 1'b0;
            uk_q            <= 1'b0;
            tail_pend_q     <= 1'b0;
            v1_q            <= 1'b0;
            failed_q        <= 1'b0;
            cls_q           <= '0;
            ev_acc_q        <= 1'b0;
            m_axis_tvalid_q <= 1'b0;
            m_hdr_valid_q   <= 1'b0;
            err_mac_q       <= 1'b0;
            busy_q          <= 1'b0;
        end
    end

    assign m_axis_tvalid        = m_axis_tvalid_q;
    assign m_axis_tdata         = m_axis_tdata_q;
    assign m_axis_tkeep         = m_axis_tkeep_q;
    assign m_axis_tlast         = m_axis_tlast_q;
    assign m_axis_tuser         = m_axis_tuser_q;
    assign m_hdr_valid          = m_hdr_valid_q;
    assign m_hdr_ts             = m_hdr_ts_q;
    assign m_hdr_eth_dst        = m_hdr_eth_dst_q;
    assign m_hdr_eth_src        = m_hdr_eth_src_q;
    assign m_hdr_vlan_valid     = m_hdr_vlan_tags_q != 2'd0;
    assign m_hdr_vlan_tags      = m_hdr_vlan_tags_q;
    assign m_hdr_vlan_vid       = m_hdr_vlan_vid_q;
    assign m_hdr_vlan_outer_vid = m_hdr_vlan_ovid_q;
    assign m_hdr_ip_src         = m_hdr_ip_src_q;
    assign m_hdr_ip_dst         = m_hdr_ip_dst_q;
    assign m_hdr_udp_src_port   = m_hdr_udp_sport_q;
    assign m_hdr_udp_dst_port   = m_hdr_udp_dport_q;
    assign m_hdr_udp_length     = m_hdr_udp_len_q;
    assign busy                 = busy_q;
    assign ev_accepted          = ev_acc_q;
    assign err_not_ipv4         = cls_q[C_NOT_IPV4];
    assign err_ip_hdr           = cls_q[C_IP_HDR];
    assign err_ip_len           = cls_q[C_IP_LEN];
    assign err_fragment         = cls_q[C_FRAGMENT];
    assign err_not_udp          = cls_q[C_NOT_UDP];
    assign err_ip_csum          = cls_q[C_IP_CSUM];
    assign err_udp_len_long     = cls_q[C_UDP_LONG];
    assign err_udp_len_short    = cls_q[C_UDP_SHORT];
    assign err_too_long         = cls_q[C_TOO_LONG];
    assign err_runt             = cls_q[C_RUNT];
    assign err_trunc            = cls_q[C_TRUNC];
    assign err_udp_csum         = cls_q[C_UDP_CSUM];
    assign err_mac              = err_mac_q;

`ifndef SYNTHESIS
    // Protocol checks, active in every simulation.
    always_ff @(posedge clk) begin
        if (!rst) begin
            assert (!$isunknown(m_axis_tvalid)) else $error("m_axis_tvalid is X");
            assert (!$isunknown(m_hdr_valid)) else $error("m_hdr_valid is X");
            assert (!$isunknown(s_axis_tready)) else $error("s_axis_tready is X");
            // A pending tail only coexists with the next frame's header beats.
            assert (!(tail_pend_q && acc && (state_q == Pay || state_q == Pad)))
                else $error("tail pending while payload arrives");
            // The accept beat is never one that holds an earlier header check (see ulen_bad1).
            assert (!(v1_q && fl_acc_q && (fl_et_q || fl_ipg_q || fl_hend_q)))
                else $error("accept beat coincides with an earlier header check");
            // One class at a time.
            assert ($onehot0(cls_q)) else $error("two classes at once");
            // The header register is free when stage 2 accepts.
            assert (!(accept_now && m_hdr_valid_q)) else $error("header register busy at accept");
        end
    end

    a_axis_stable: assert property (@(posedge clk) disable iff (rst)
        (m_axis_tvalid && !m_axis_tready) |=> (m_axis_tvalid && $stable(m_axis_tdata)
            && $stable(m_axis_tkeep) && $stable(m_axis_tlast) && $stable(m_axis_tuser)))
        else $error("m_axis changed while valid && !ready");

    a_hdr_stable: assert property (@(posedge clk) disable iff (rst)
        (m_hdr_valid && !m_hdr_ready) |=> (m_hdr_valid && $stable(m_hdr_ts) && $stable(m_hdr_eth_dst)
            && $stable(m_hdr_eth_src) && $stable(m_hdr_vlan_tags) && $stable(m_hdr_vlan_vid)
            && $stable(m_hdr_vlan_outer_vid) && $stable(m_hdr_ip_src) && $stable(m_hdr_ip_dst)
            && $stable(m_hdr_udp_src_port) && $stable(m_hdr_udp_dst_port) && $stable(m_hdr_udp_length)))
        else $error("m_hdr changed while valid && !ready");
`endif

endmodule

`default_nettype wire
`resetall
