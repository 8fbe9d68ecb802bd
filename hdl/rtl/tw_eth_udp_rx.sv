// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns/1ps
`default_nettype none
// tw_eth_udp_rx: cut-through Ethernet II / 802.1Q / IPv4 / UDP header parser; emits the header of each
// accepted datagram and its payload realigned to lane 0, drops everything else and counts why.
//
// Fields extracted (byte offsets from the first byte of the frame; V = 4 if an 802.1Q tag is present,
// else 0; E = 14 + V is the IPv4 header; U = E + 4*IHL is the UDP header; P = U + 8 is the payload):
//
//   offset      len  field                      use
//   0           6    destination MAC            m_hdr_eth_dst
//   6           6    source MAC                 m_hdr_eth_src
//   12          2    ethertype / TPID           0x0800 IPv4; 0x8100 802.1Q tag follows; else err_not_udp
//   14          2    802.1Q TCI (if tagged)     m_hdr_vlan_vid = TCI[11:0]
//   16          2    inner ethertype (tagged)   0x0800 IPv4, else err_not_udp (Q-in-Q 0x88A8 too, for now)
//   E+0         1    version / IHL              version 4 and IHL >= 5, else err_bad_hdr
//   E+2         2    total length               >= 4*IHL + 8, else err_bad_hdr
//   E+6         2    flags / fragment offset    MF set or offset != 0: fragment -> err_not_udp
//   E+9         1    protocol                   17 (UDP), else err_not_udp
//   E+10        2    header checksum            NOT verified yet (see ip_csum_ok)
//   E+12        4    source address             m_hdr_ip_src
//   E+16        4    destination address        m_hdr_ip_dst
//   E+20..U-1        options (IHL > 5)          skipped
//   U+0         2    UDP source port            m_hdr_udp_src_port
//   U+2         2    UDP destination port       m_hdr_udp_dst_port
//   U+4         2    UDP length                 9 .. (total length - 4*IHL), else err_bad_hdr
//   U+6         2    UDP checksum               ignored
//   P ..             payload, UDP length - 8    m_axis_*, realigned to lane 0; trailing bytes dropped
//
// Multi-byte fields are output in network order: the first byte on the wire is the MSB.
// P mod 8 is 2 or 6 (14 + 4*(V/4 + IHL) + 8), so realignment is a 2-way mux, not a barrel shifter.
//
// Behaviour:
// - Cut-through. A frame is checked as its bytes arrive: the ethertype at byte 13 (17 when tagged), the
//   IPv4 header at byte E+9, the UDP length at byte P-1 (the accept point). A failed check drops the rest
//   of the frame; a dropped frame produces neither header nor payload. A frame that ends before it is
//   accepted or rejected is err_bad_hdr (so a TCP frame cut after its protocol byte is err_not_udp, one
//   cut before it err_bad_hdr).
// - Empty datagrams (UDP length 8) are dropped and counted in err_bad_hdr: every accepted frame has at
//   least one payload byte, so a header is always followed by at least one payload beat. A frame that ends
//   exactly at P (headers complete, no payload byte) is dropped the same way.
// - Header timing: registered on the accept beat (the input beat holding byte P-1, which also holds
//   payload byte 0, in lane r = P mod 8), so m_hdr_valid is set at least one cycle before the frame's
//   first payload beat is valid.
// - Payload latency: output beat k needs input beats b+k and b+k+1 (b holds P; r != 0); it is registered
//   when b+k+1 is accepted and valid the next cycle. The last beat is registered with the input's tlast
//   (or one cycle after it, if it is a tail of 1..r bytes left over from the last input beat). A frame
//   whose UDP datagram ends before the frame does (Ethernet padding, trailer) holds its final beat until
//   tlast, because that beat's tuser carries the MAC error flag that only the last input beat brings.
// - Truncation (tlast before UDP length is reached): the payload ends there with tuser = 1 and
//   err_bad_hdr pulses. tuser on the last payload beat = MAC error | truncated.
// - err_mac pulses once for every frame whose last beat has tuser set, whatever else happened to it.
//   The err_* pulses are registered: they show the cycle after the input beat that decided them.
// - busy is set from the first accepted beat of a frame until its header and last payload beat have left
//   (it may stay set one cycle longer); it never clears while a frame is inside.
// - Throughput: s_axis_tready = output register free (m_axis) and, on the accept beat only, header
//   register free. With both readies held high it never drops, including back-to-back frames: a frame's
//   realigned tail beat is flushed from tail_q while the next frame's first (header-only) beat comes in.
//   s_axis_tready depends combinationally on m_axis_tready / m_hdr_ready (no skid buffer here: put the
//   shared register slice downstream if that path gets long).
module tw_eth_udp_rx #(
    parameter int DATA_W = 64,  // stream width; 64 only, for now
    parameter int TS_W   = 64   // receive timestamp width
) (
    input  wire                 clk,
    input  wire                 rst,

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
    output logic                m_hdr_vlan_valid,
    output logic [11:0]         m_hdr_vlan_vid,  // 0 when untagged
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
    output logic                m_axis_tuser,   // last beat: MAC error or truncated

    output logic                busy,

    output logic                err_not_udp,
    output logic                err_bad_hdr,
    output logic                err_mac
);

    localparam int KEEP_W = DATA_W / 8;

    if (DATA_W != 64) begin : gen_bad_data_w
        initial $fatal(1, "tw_eth_udp_rx: DATA_W = %0d, only 64 is supported", DATA_W);
    end

    localparam logic [15:0] ETH_IPV4 = 16'h0800;
    localparam logic [15:0] ETH_VLAN = 16'h8100;
    localparam logic [7:0]  IP_UDP   = 8'd17;

    // Hdr*: inside the headers (Eth: MAC + tag + ethertype; Ip: IPv4 header; Udp: options + UDP header).
    // Pay: forwarding payload. Pad: payload complete, final beat held in tail_q until tlast. Drop: discard.
    typedef enum logic [2:0] {
        HdrEth,
        HdrIp,
        HdrUdp,
        Pay,
        Pad,
        Drop
    } state_e;

    function automatic logic [7:0] lane_byte(input logic [DATA_W-1:0] d, input int l);
        return d[8*l +: 8];
    endfunction

    // Lanes 0..l set.
    function automatic logic [KEEP_W-1:0] upto(input logic [2:0] l);
        logic [KEEP_W-1:0] m;
        for (int i = 0; i < KEEP_W; i++) m[i] = (3'(i) <= l);
        return m;
    endfunction

    // ---------------------------------------------------------------------------------------------
    // State
    state_e              state_q, state_d;
    logic [3:0]          beat_q, beat_d;        // beat index in the frame, saturating
    logic                vlan_q, vlan_d;
    logic [TS_W-1:0]     ts_q, ts_d;
    logic [47:0]         eth_dst_q, eth_dst_d, eth_src_q, eth_src_d;
    logic [15:0]         tci_q, tci_d;
    logic [7:0]          ver_ihl_q, ver_ihl_d;
    logic [15:0]         ip_len_q, ip_len_d, ip_frag_q, ip_frag_d;
    logic [7:0]          ip_proto_q, ip_proto_d;
    logic [31:0]         ip_src_q, ip_src_d, ip_dst_q, ip_dst_d;
    logic [15:0]         ip_pay_q, ip_pay_d;     // IPv4 total length - 4*IHL
    logic [3:0]          ub_q, ub_d;             // beat holding byte U (UDP header start)
    logic [3:0]          ub1_q, ub1_d;           // ub + 1: holds byte P-1, the accept point
    logic                r6_q, r6_d;             // U mod 8 (= P mod 8) is 6; else it is 2
    logic [15:0]         udp_sport_q, udp_sport_d, udp_dport_q, udp_dport_d, udp_len_q, udp_len_d;

    logic [15:0]         rem_q, rem_d;           // payload bytes still to come from the input (Pay)
    logic [DATA_W-1:0]   carry_q, carry_d;       // previous input beat (its lanes r.. start the next output)
    logic [DATA_W-1:0]   tail_q, tail_d;         // final output beat, aligned, waiting for tlast/room
    logic [KEEP_W-1:0]   tail_keep_q, tail_keep_d;
    logic                tail_user_q, tail_user_d;
    logic                tail_pend_q, tail_pend_d;  // tail_q is complete: emit it as soon as m_axis is free

    logic                m_axis_tvalid_q, m_axis_tvalid_d, m_axis_tlast_q, m_axis_tlast_d;
    logic                m_axis_tuser_q, m_axis_tuser_d;
    logic [DATA_W-1:0]   m_axis_tdata_q, m_axis_tdata_d;
    logic [KEEP_W-1:0]   m_axis_tkeep_q, m_axis_tkeep_d;

    logic                m_hdr_valid_q, m_hdr_valid_d;
    logic [TS_W-1:0]     m_hdr_ts_q, m_hdr_ts_d;
    logic [47:0]         m_hdr_eth_dst_q, m_hdr_eth_dst_d, m_hdr_eth_src_q, m_hdr_eth_src_d;
    logic                m_hdr_vlan_valid_q, m_hdr_vlan_valid_d;
    logic [11:0]         m_hdr_vlan_vid_q, m_hdr_vlan_vid_d;
    logic [31:0]         m_hdr_ip_src_q, m_hdr_ip_src_d, m_hdr_ip_dst_q, m_hdr_ip_dst_d;
    logic [15:0]         m_hdr_udp_sport_q, m_hdr_udp_sport_d, m_hdr_udp_dport_q, m_hdr_udp_dport_d;
    logic [15:0]         m_hdr_udp_len_q, m_hdr_udp_len_d;

    logic                err_not_udp_q, err_not_udp_d, err_bad_hdr_q, err_bad_hdr_d;
    logic                err_mac_q, err_mac_d, busy_q, busy_d;

    // ---------------------------------------------------------------------------------------------
    // Derived, per cycle
    logic                out_free;      // m_axis register can take a beat this cycle
    logic                hdr_free;      // m_hdr register can take a header this cycle
    logic                at_accept;     // the beat now offered holds byte P-1 (accept point)
    logic                acc;           // input beat transferred this cycle
    logic [KEEP_W-1:0]   in_keep;       // valid lanes of the input beat (all but on the last beat)
    logic                vlan_eff;      // tagged, once known (from beat 2 on): E = 18, else E = 14
    logic                ip_chk;        // the beat now offered holds byte E+9 (last IPv4 field checked)
    // r = P mod 8 (6 if r6_q, else 2)
    logic [DATA_W-1:0]   al_c;          // carry lanes r.., then input lanes ..r-1: one realigned beat
    logic [DATA_W-1:0]   al_s;          // input lanes r.. at lane 0 (input rotated by r)
    logic                ip_csum_ok;

    assign out_free   = !m_axis_tvalid_q || m_axis_tready;
    assign hdr_free   = !m_hdr_valid_q || m_hdr_ready;
    // P-1 = U+7 is always in the beat after U's: U mod 8 is 2 or 6, so U+7 mod 8 is 1 or 5 of the next.
    assign at_accept  = (state_q == HdrUdp) && (beat_q == ub1_q);
    // Only the accept beat needs the header register; every beat may need the payload register.
    assign s_axis_tready = out_free && (hdr_free || !at_accept);
    assign acc        = s_axis_tvalid && s_axis_tready;
    assign in_keep    = s_axis_tlast ? s_axis_tkeep : '1;
    assign vlan_eff   = vlan_q && beat_q >= 4'd2;
    assign ip_chk     = vlan_q ? (beat_q == 4'd3 && in_keep[3]) : (beat_q == 4'd2 && in_keep[7]); // 27 : 23
    assign al_c       = r6_q ? {s_axis_tdata[47:0], carry_q[63:48]} : {s_axis_tdata[15:0], carry_q[63:16]};
    assign al_s       = r6_q ? {s_axis_tdata[47:0], s_axis_tdata[63:48]}
                             : {s_axis_tdata[15:0], s_axis_tdata[63:16]};

    // IPv4 header checksum: not verified yet. To add it, sum bytes E..U-1 (16-bit one's complement)
    // as they stream past, and fold the result in here: it is checked at the accept point, together with
    // the UDP length, and a failure drops the frame as err_bad_hdr.
    assign ip_csum_ok = 1'b1;

    always_comb begin
        logic [4:0]        u4;          // U / 4 (U mod 4 is always 2)
        logic [7:0]        b;
        logic              hit;
        logic              drop_nu, drop_bad, accept, fits, trunc;
        logic [15:0]       et, ulen;
        logic [2:0]        end_lane;    // lane of the last payload byte, if it is in this beat
        logic [KEEP_W-1:0] vm;          // payload lanes of this input beat
        logic [KEEP_W-1:0] keep_c;      // lanes of al_c holding payload
        logic              emit, emit_last, emit_user;
        logic [DATA_W-1:0] emit_data;
        logic [KEEP_W-1:0] emit_keep;

        state_d        = state_q;
        beat_d         = beat_q;
        vlan_d         = vlan_q;
        ts_d           = ts_q;
        eth_dst_d      = eth_dst_q;
        eth_src_d      = eth_src_q;
        tci_d          = tci_q;
        ver_ihl_d      = ver_ihl_q;
        ip_len_d       = ip_len_q;
        ip_frag_d      = ip_frag_q;
        ip_proto_d     = ip_proto_q;
        ip_src_d       = ip_src_q;
        ip_dst_d       = ip_dst_q;
        ip_pay_d       = ip_pay_q;
        ub_d           = ub_q;
        ub1_d          = ub1_q;
        r6_d           = r6_q;
        udp_sport_d    = udp_sport_q;
        udp_dport_d    = udp_dport_q;
        udp_len_d      = udp_len_q;
        rem_d          = rem_q;
        carry_d        = carry_q;
        tail_d         = tail_q;
        tail_keep_d    = tail_keep_q;
        tail_user_d    = tail_user_q;
        tail_pend_d    = tail_pend_q;

        m_axis_tvalid_d = m_axis_tvalid_q && !m_axis_tready;
        m_axis_tdata_d  = m_axis_tdata_q;
        m_axis_tkeep_d  = m_axis_tkeep_q;
        m_axis_tlast_d  = m_axis_tlast_q;
        m_axis_tuser_d  = m_axis_tuser_q;

        m_hdr_valid_d      = m_hdr_valid_q && !m_hdr_ready;
        m_hdr_ts_d         = m_hdr_ts_q;
        m_hdr_eth_dst_d    = m_hdr_eth_dst_q;
        m_hdr_eth_src_d    = m_hdr_eth_src_q;
        m_hdr_vlan_valid_d = m_hdr_vlan_valid_q;
        m_hdr_vlan_vid_d   = m_hdr_vlan_vid_q;
        m_hdr_ip_src_d     = m_hdr_ip_src_q;
        m_hdr_ip_dst_d     = m_hdr_ip_dst_q;
        m_hdr_udp_sport_d  = m_hdr_udp_sport_q;
        m_hdr_udp_dport_d  = m_hdr_udp_dport_q;
        m_hdr_udp_len_d    = m_hdr_udp_len_q;

        err_not_udp_d = 1'b0;
        err_bad_hdr_d = 1'b0;
        err_mac_d     = 1'b0;

        u4 = '0; b = '0; hit = 1'b0;
        drop_nu = 1'b0; drop_bad = 1'b0; accept = 1'b0; fits = 1'b0; trunc = 1'b0;
        et = '0; ulen = '0; end_lane = '0; vm = '0; keep_c = '0;
        emit = 1'b0; emit_last = 1'b0; emit_user = 1'b0; emit_data = '0; emit_keep = '0;

        // A complete tail goes out as soon as there is room. It only exists after a frame's tlast, so the
        // beat accepted in the same cycle is the next frame's first beat, which never needs m_axis.
        if (tail_pend_q && out_free) begin
            m_axis_tvalid_d = 1'b1;
            m_axis_tdata_d  = tail_q;
            m_axis_tkeep_d  = tail_keep_q;
            m_axis_tlast_d  = 1'b1;
            m_axis_tuser_d  = tail_user_q;
            tail_pend_d     = 1'b0;
        end

        if (acc) begin
            if (beat_q != 4'hF) beat_d = beat_q + 4'd1;
            if (s_axis_tlast) err_mac_d = s_axis_tuser;

            // ---- field capture (header states only) ----
            if (state_q == HdrEth || state_q == HdrIp || state_q == HdrUdp) begin
                if (beat_q == 4'd0) begin
                    ts_d      = s_ts;
                    eth_dst_d = {lane_byte(s_axis_tdata, 0), lane_byte(s_axis_tdata, 1),
                                 lane_byte(s_axis_tdata, 2), lane_byte(s_axis_tdata, 3),
                                 lane_byte(s_axis_tdata, 4), lane_byte(s_axis_tdata, 5)};
                    eth_src_d[47:32] = {lane_byte(s_axis_tdata, 6), lane_byte(s_axis_tdata, 7)};
                end
                if (beat_q == 4'd1) begin
                    eth_src_d[31:0] = {lane_byte(s_axis_tdata, 0), lane_byte(s_axis_tdata, 1),
                                       lane_byte(s_axis_tdata, 2), lane_byte(s_axis_tdata, 3)};
                    tci_d = {lane_byte(s_axis_tdata, 6), lane_byte(s_axis_tdata, 7)};
                end
                // IPv4 header byte k is at offset E + k, E = 14 or 18: constant (beat, lane) pairs, no
                // adders. Before the tag is known (beats 0-1) E is taken as 14; a tagged frame rewrites
                // the fields from beat 2 on, before any check reads them.
                for (int k = 0; k < 20; k++) begin
                    b = '0;
                    hit = 1'b0;
                    if (!vlan_eff && beat_q == 4'((14 + k) / 8)) begin
                        b   = lane_byte(s_axis_tdata, (14 + k) % 8);
                        hit = 1'b1;
                    end
                    if (vlan_eff && beat_q == 4'((18 + k) / 8)) begin
                        b   = lane_byte(s_axis_tdata, (18 + k) % 8);
                        hit = 1'b1;
                    end
                    if (hit) begin
                        unique case (k)
                            0:  ver_ihl_d       = b;
                            2:  ip_len_d[15:8]  = b;
                            3:  ip_len_d[7:0]   = b;
                            6:  ip_frag_d[15:8] = b;
                            7:  ip_frag_d[7:0]  = b;
                            9:  ip_proto_d      = b;
                            12: ip_src_d[31:24] = b;
                            13: ip_src_d[23:16] = b;
                            14: ip_src_d[15:8]  = b;
                            15: ip_src_d[7:0]   = b;
                            16: ip_dst_d[31:24] = b;
                            17: ip_dst_d[23:16] = b;
                            18: ip_dst_d[15:8]  = b;
                            19: ip_dst_d[7:0]   = b;
                            default: ;
                        endcase
                    end
                end
                // UDP ports and length: U mod 8 is 2 (all six bytes in beat ub, lanes 2..7) or 6 (source
                // port in lanes 6-7 of beat ub, destination port and length in lanes 0-3 of beat ub+1).
                if (state_q == HdrUdp) begin
                    if (r6_q) begin
                        if (beat_q == ub_q) begin
                            udp_sport_d = {lane_byte(s_axis_tdata, 6), lane_byte(s_axis_tdata, 7)};
                        end
                        if (beat_q == ub1_q) begin
                            udp_dport_d = {lane_byte(s_axis_tdata, 0), lane_byte(s_axis_tdata, 1)};
                            udp_len_d   = {lane_byte(s_axis_tdata, 2), lane_byte(s_axis_tdata, 3)};
                        end
                    end else if (beat_q == ub_q) begin
                        udp_sport_d = {lane_byte(s_axis_tdata, 2), lane_byte(s_axis_tdata, 3)};
                        udp_dport_d = {lane_byte(s_axis_tdata, 4), lane_byte(s_axis_tdata, 5)};
                        udp_len_d   = {lane_byte(s_axis_tdata, 6), lane_byte(s_axis_tdata, 7)};
                    end
                end
            end

            // ---- checks and payload ----
            unique case (state_q)
                HdrEth: begin
                    if (beat_q == 4'd1 && in_keep[5]) begin             // byte 13
                        et = {lane_byte(s_axis_tdata, 4), lane_byte(s_axis_tdata, 5)};
                        vlan_d = (et == ETH_VLAN);
                        if (et == ETH_IPV4) state_d = HdrIp;
                        else if (et != ETH_VLAN) drop_nu = 1'b1;
                    end
                    if (beat_q == 4'd2 && vlan_q && in_keep[1]) begin   // byte 17
                        et = {lane_byte(s_axis_tdata, 0), lane_byte(s_axis_tdata, 1)};
                        if (et == ETH_IPV4) state_d = HdrIp;
                        else drop_nu = 1'b1;
                    end
                end
                HdrIp: begin
                    // Version/IHL arrived in an earlier beat; length, flags and protocol may be in this one.
                    if (ip_chk) begin
                        if (ver_ihl_q[7:4] != 4'd4 || ver_ihl_q[3:0] < 4'd5) begin
                            drop_bad = 1'b1;
                        end else if (ip_proto_d != IP_UDP || ip_frag_d[13] || ip_frag_d[12:0] != '0) begin
                            drop_nu = 1'b1;
                        end else if (ip_len_d < {10'd0, ver_ihl_q[3:0], 2'b00} + 16'd8) begin
                            drop_bad = 1'b1;
                        end else begin
                            state_d  = HdrUdp;
                            u4       = (vlan_q ? 5'd4 : 5'd3) + {1'b0, ver_ihl_q[3:0]};  // (E + 4*IHL) / 4
                            ub_d     = u4[4:1];
                            ub1_d    = u4[4:1] + 4'd1;
                            r6_d     = u4[0];
                            ip_pay_d = ip_len_d - {10'd0, ver_ihl_q[3:0], 2'b00};
                        end
                    end
                end
                HdrUdp: begin
                    if (at_accept && (r6_q ? in_keep[5] : in_keep[1])) begin   // byte P-1
                        ulen = r6_q ? {lane_byte(s_axis_tdata, 2), lane_byte(s_axis_tdata, 3)} : udp_len_q;
                        if (ulen < 16'd9 || ulen > ip_pay_q || !ip_csum_ok) begin
                            drop_bad = 1'b1;
                        end else if (r6_q ? in_keep[6] : in_keep[2]) begin
                            // Accept: header out; payload byte 0 is in lane r of this beat.
                            accept = 1'b1;
                            m_hdr_valid_d      = 1'b1;
                            m_hdr_ts_d         = ts_q;
                            m_hdr_eth_dst_d    = eth_dst_q;
                            m_hdr_eth_src_d    = eth_src_q;
                            m_hdr_vlan_valid_d = vlan_q;
                            m_hdr_vlan_vid_d   = vlan_q ? tci_q[11:0] : 12'd0;
                            m_hdr_ip_src_d     = ip_src_q;
                            m_hdr_ip_dst_d     = ip_dst_q;
                            m_hdr_udp_sport_d  = udp_sport_d;
                            m_hdr_udp_dport_d  = udp_dport_d;
                            m_hdr_udp_len_d    = ulen;

                            // Payload lanes r .. r+ulen-9; it ends in this beat if ulen - 8 <= 8 - r.
                            fits     = ulen <= (r6_q ? 16'd10 : 16'd14);
                            end_lane = ulen[2:0] + (r6_q ? 3'd5 : 3'd1);    // (r + ulen - 9) mod 8
                            vm       = in_keep & (r6_q ? 8'hC0 : 8'hFC) & (fits ? upto(end_lane) : '1);
                            trunc    = s_axis_tlast && !(fits && s_axis_tkeep[end_lane]);
                            rem_d    = ulen - (r6_q ? 16'd10 : 16'd14);
                            if (fits || s_axis_tlast) begin
                                tail_d      = al_s;
                                tail_keep_d = r6_q ? {6'd0, vm[7:6]} : {2'd0, vm[7:2]};
                                tail_user_d = s_axis_tuser || trunc;
                                tail_pend_d = s_axis_tlast;
                                state_d     = s_axis_tlast ? HdrEth : Pad;
                            end else begin
                                carry_d = s_axis_tdata;
                                state_d = Pay;
                            end
                        end
                    end
                end
                Pay: begin
                    // rem_q >= 1 bytes to come; the carry holds 8-r payload bytes.
                    fits     = rem_q <= 16'd8;
                    end_lane = rem_q[2:0] - 3'd1;
                    vm       = in_keep & (fits ? upto(end_lane) : '1);
                    trunc    = s_axis_tlast && !(fits && s_axis_tkeep[end_lane]);
                    keep_c   = r6_q ? {vm[5:0], 2'b11} : {vm[1:0], 6'h3F};
                    rem_d    = rem_q - 16'd8;
                    carry_d  = s_axis_tdata;
                    if (!(fits || s_axis_tlast)) begin
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
                        tail_user_d = s_axis_tuser || trunc;
                        tail_pend_d = s_axis_tlast;
                        state_d     = s_axis_tlast ? HdrEth : Pad;
                    end else if (s_axis_tlast) begin
                        emit      = 1'b1;                   // the final beat
                        emit_data = al_c;
                        emit_keep = keep_c;
                        emit_last = 1'b1;
                        emit_user = s_axis_tuser || trunc;
                        state_d   = HdrEth;
                    end else begin
                        // Payload complete, padding follows: hold the final beat for tlast's tuser.
                        tail_d      = al_c;
                        tail_keep_d = keep_c;
                        state_d     = Pad;
                    end
                end
                Pad: begin
                    if (s_axis_tlast) begin
                        emit      = 1'b1;
                        emit_data = tail_q;
                        emit_keep = tail_keep_q;
                        emit_last = 1'b1;
                        emit_user = s_axis_tuser;
                        state_d   = HdrEth;
                    end
                end
                Drop: begin
                    if (s_axis_tlast) state_d = HdrEth;
                end
                default: state_d = HdrEth;
            endcase

            // ---- drops and frame end inside the headers ----
            if (drop_nu || drop_bad) begin
                err_not_udp_d = drop_nu;
                err_bad_hdr_d = drop_bad;
                state_d       = s_axis_tlast ? HdrEth : Drop;
            end else if (s_axis_tlast && !accept
                         && (state_q == HdrEth || state_q == HdrIp || state_q == HdrUdp)) begin
                err_bad_hdr_d = 1'b1;     // ended inside the headers (or right after them)
                state_d       = HdrEth;
            end
            if (trunc) err_bad_hdr_d = 1'b1;  // ended inside the payload
            if (s_axis_tlast) beat_d = '0;
        end

        // Payload beat from the input side. s_axis_tready guaranteed room; a pending tail never
        // coincides with it (see the tail_pend_q block above).
        if (emit) begin
            m_axis_tvalid_d = 1'b1;
            m_axis_tdata_d  = emit_data;
            m_axis_tkeep_d  = emit_keep;
            m_axis_tlast_d  = emit_last;
            m_axis_tuser_d  = emit_user;
        end

        // From registered state (plus the beat taken now): may stay set one cycle after the module
        // empties, never clear while a frame is inside.
        busy_d = acc || (state_q != HdrEth) || (beat_q != '0) || tail_pend_q || m_axis_tvalid_q
                 || m_hdr_valid_q;
    end

    always_ff @(posedge clk) begin
        state_q         <= state_d;
        beat_q          <= beat_d;
        vlan_q          <= vlan_d;
        ts_q            <= ts_d;
        eth_dst_q       <= eth_dst_d;
        eth_src_q       <= eth_src_d;
        tci_q           <= tci_d;
        ver_ihl_q       <= ver_ihl_d;
        ip_len_q        <= ip_len_d;
        ip_frag_q       <= ip_frag_d;
        ip_proto_q      <= ip_proto_d;
        ip_src_q        <= ip_src_d;
        ip_dst_q        <= ip_dst_d;
        ip_pay_q        <= ip_pay_d;
        ub_q            <= ub_d;
        ub1_q           <= ub1_d;
        r6_q            <= r6_d;
        udp_sport_q     <= udp_sport_d;
        udp_dport_q     <= udp_dport_d;
        udp_len_q       <= udp_len_d;
        rem_q           <= rem_d;
        carry_q         <= carry_d;
        tail_q          <= tail_d;
        tail_keep_q     <= tail_keep_d;
        tail_user_q     <= tail_user_d;
        tail_pend_q     <= tail_pend_d;

        m_axis_tvalid_q <= m_axis_tvalid_d;
        m_axis_tdata_q  <= m_axis_tdata_d;
        m_axis_tkeep_q  <= m_axis_tkeep_d;
        m_axis_tlast_q  <= m_axis_tlast_d;
        m_axis_tuser_q  <= m_axis_tuser_d;

        m_hdr_valid_q      <= m_hdr_valid_d;
        m_hdr_ts_q         <= m_hdr_ts_d;
        m_hdr_eth_dst_q    <= m_hdr_eth_dst_d;
        m_hdr_eth_src_q    <= m_hdr_eth_src_d;
        m_hdr_vlan_valid_q <= m_hdr_vlan_valid_d;
        m_hdr_vlan_vid_q   <= m_hdr_vlan_vid_d;
        m_hdr_ip_src_q     <= m_hdr_ip_src_d;
        m_hdr_ip_dst_q     <= m_hdr_ip_dst_d;
        m_hdr_udp_sport_q  <= m_hdr_udp_sport_d;
        m_hdr_udp_dport_q  <= m_hdr_udp_dport_d;
        m_hdr_udp_len_q    <= m_hdr_udp_len_d;

        err_not_udp_q   <= err_not_udp_d;
        err_bad_hdr_q   <= err_bad_hdr_d;
        err_mac_q       <= err_mac_d;
        busy_q          <= busy_d;

        if (rst) begin
            state_q         <= HdrEth;
            beat_q          <= '0;
            tail_pend_q     <= 1'b0;
            m_axis_tvalid_q <= 1'b0;
            m_hdr_valid_q   <= 1'b0;
            err_not_udp_q   <= 1'b0;
            err_bad_hdr_q   <= 1'b0;
            err_mac_q       <= 1'b0;
            busy_q          <= 1'b0;
        end
    end

    assign m_axis_tvalid      = m_axis_tvalid_q;
    assign m_axis_tdata       = m_axis_tdata_q;
    assign m_axis_tkeep       = m_axis_tkeep_q;
    assign m_axis_tlast       = m_axis_tlast_q;
    assign m_axis_tuser       = m_axis_tuser_q;
    assign m_hdr_valid        = m_hdr_valid_q;
    assign m_hdr_ts           = m_hdr_ts_q;
    assign m_hdr_eth_dst      = m_hdr_eth_dst_q;
    assign m_hdr_eth_src      = m_hdr_eth_src_q;
    assign m_hdr_vlan_valid   = m_hdr_vlan_valid_q;
    assign m_hdr_vlan_vid     = m_hdr_vlan_vid_q;
    assign m_hdr_ip_src       = m_hdr_ip_src_q;
    assign m_hdr_ip_dst       = m_hdr_ip_dst_q;
    assign m_hdr_udp_src_port = m_hdr_udp_sport_q;
    assign m_hdr_udp_dst_port = m_hdr_udp_dport_q;
    assign m_hdr_udp_length   = m_hdr_udp_len_q;
    assign busy               = busy_q;
    assign err_not_udp        = err_not_udp_q;
    assign err_bad_hdr        = err_bad_hdr_q;
    assign err_mac            = err_mac_q;

`ifndef SYNTHESIS
    // Protocol checks, active in every simulation.
    always_ff @(posedge clk) begin
        if (!rst) begin
            assert (!$isunknown(m_axis_tvalid)) else $error("m_axis_tvalid is X");
            assert (!$isunknown(m_hdr_valid)) else $error("m_hdr_valid is X");
            // A pending tail only coexists with the next frame's header beats.
            assert (!(tail_pend_q && acc && (state_q == Pay || state_q == Pad || state_q == HdrUdp)))
                else $error("tail pending while payload arrives");
        end
    end

    a_axis_stable: assert property (@(posedge clk) disable iff (rst)
        (m_axis_tvalid && !m_axis_tready) |=> (m_axis_tvalid && $stable(m_axis_tdata)
            && $stable(m_axis_tkeep) && $stable(m_axis_tlast) && $stable(m_axis_tuser)))
        else $error("m_axis changed while valid && !ready");

    a_hdr_stable: assert property (@(posedge clk) disable iff (rst)
        (m_hdr_valid && !m_hdr_ready) |=> (m_hdr_valid && $stable(m_hdr_ts) && $stable(m_hdr_eth_dst)
            && $stable(m_hdr_eth_src) && $stable(m_hdr_vlan_valid) && $stable(m_hdr_vlan_vid)
            && $stable(m_hdr_ip_src) && $stable(m_hdr_ip_dst) && $stable(m_hdr_udp_src_port)
            && $stable(m_hdr_udp_dst_port) && $stable(m_hdr_udp_length)))
        else $error("m_hdr changed while valid && !ready");
`endif

endmodule

`default_nettype wire
`resetall
