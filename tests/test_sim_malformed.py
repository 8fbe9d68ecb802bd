# SPDX-License-Identifier: Apache-2.0
"""The bad-input catalogue: one case per drop / error class of the header parser and the
MoldUDP64 deframer, and unusual-but-valid frames, built with scapy, through the simulated card and
the real driver.

Every case sends a good MoldUDP64 packet, the case's frame, and another good packet back to back,
and asserts the exact ticks the ring holds and the exact change of every counter: a frame is
counted once, in the class hdl/rtl/tw_eth_udp_rx.sv's header table names for it (the first failed
check in wire order), every other drop counter stays unchanged, and the frame after it is right.
The case's packet continues the first packet's sequence; the packet after it jumps ahead, so it
reports a gap from wherever the case frame left the feed's sequencer (a good frame moves it past
its messages, a bad or dropped one not at all).

What a bad frame delivers (hdl/regs/tick.toml, flags):
- dropped at a header check (classes 1-8, or a frame that ends before its header does): nothing;
- accepted, then found bad at its end (MAC error, UDP checksum, truncated, too long, runt, or the
  MoldUDP64 packet cut short): in cut-through mode the messages completed before the fault, the
  frame's last record flagged FRAME_END|FRAME_BAD, or a VERDICT record carrying them when the
  frame's last payload beat completed no record; in hold mode nothing at all.

Each case runs in cut-through mode with and without host-memory backpressure and MAC idle
cycles, and in hold mode.
"""
from dataclasses import dataclass, field

import pytest
from scapy.all import ARP, Dot1Q, Ether, ICMP, IP, IPOption, IPv6, Raw, TCP, UDP, fragment

from tw_scenario import (
    BAD, DPORT, DST_IP, DST_MAC, SRC_IP, SRC_MAC, assert_ticks, delta, itch_add, itch_delete, itch_system, mold,
    END, carried_fields, event_tick, msg_tick, packet_ticks, pad60, udp_frame, verdict_gate, verdict_tick,
)

A1, A2, A3 = itch_add(ref=1), itch_add(ref=2, side=b"S"), itch_add(ref=3)
D1 = itch_delete(ref=1)
BAD_SEQ = 3    # sequence number of the case frame's packet: the one after the first packet's two
AFTER_SEQ = 200  # the packet after the case: a gap from where the case left the feed
OPTS40 = [IPOption(b"\x01" * 40)]  # 40 bytes of NOPs: IHL 15, the largest IPv4 header


def _big_udp():
    return udp_frame(mold(BAD_SEQ, [itch_add(ref=i) for i in range(60)]))


def _fragments():
    return fragment(_big_udp()[IP], fragsize=800)


def _raw_udp(udp_len=None, **ip):
    return (Ether(src=SRC_MAC, dst=DST_MAC) / IP(src=SRC_IP, dst=DST_IP, **ip) / UDP(dport=DPORT, len=udp_len)
            / Raw(mold(BAD_SEQ, [A3])))


def _wrong(field_value):
    """A checksum value that is certainly wrong (never 0, which would mean 'not checked')."""
    return field_value ^ 0x0101


def _ip_csum_wrong():
    good = IP(bytes(udp_frame(mold(BAD_SEQ, [A3]))[IP])).chksum
    return udp_frame(mold(BAD_SEQ, [A3]), chksum=_wrong(good))


def _udp_csum_wrong(seq=BAD_SEQ):
    good = UDP(bytes(udp_frame(mold(seq, [A3, D1]))[UDP])).chksum
    return udp_frame(mold(seq, [A3, D1]), udp={"chksum": _wrong(good)})


GOOD_BAD = bytes(udp_frame(mold(BAD_SEQ, [A3, D1])))  # 121 bytes; payload 79: A3 ends at byte 57, D1 at 78
OPTIONS_FRAME = bytes(udp_frame(mold(BAD_SEQ, [A3]), options=OPTS40))  # E = 14, U = 74, P = 82
# 220-byte messages: 7 blocks of 222 bytes, a 1616-byte frame (MAX_FRAME is 1522 after reset);
# of type B (Broken Trade, 19 bytes) at the wrong length: delivered raw, truncated, ITCH_LEN_ERR
BIG = [(b"B%02d" % i).ljust(220, b"x") for i in range(7)]

# What a frame adds to the counters besides RX_FRAMES (every frame counts there).
ACC = {"rx_accepted": 1, "flow_misses": 1}  # headers passed; a new Card's table has no rules (deliver_all)
BADV = {"rx_bad_verdict": 1}


def pkt(n):
    return {"mold_pkts": 1, "mold_msgs": n}


@dataclass
class Case:
    frame: object
    adds: dict                      # counter changes besides rx_frames
    ticks: list = field(default_factory=list)  # what it delivers in cut-through mode
    bad: bool = False               # bad verdict: hold mode delivers nothing of it
    mac_error: bool = False
    pad: bool = False               # pad to 60 bytes like a MAC (else the frame really ends there)


CASES = {
    # ---- dropped at the first failed header check, nothing delivered
    # runts that end inside the headers: a frame shorter than 14 bytes (a truncated Ethernet
    # header) is always a runt, and so is any frame < 60 bytes whose headers are cut
    "runt_cut_in_ethernet": Case(GOOD_BAD[:13], {"rx_runt": 1}),
    "runt_cut_in_ipv4": Case(GOOD_BAD[:14 + 8], {"rx_runt": 1}),
    "runt_cut_in_ipv4_options": Case(OPTIONS_FRAME[:14 + 40], {"rx_runt": 1}),
    "runt_cut_in_udp": Case(GOOD_BAD[:14 + 20 + 4], {"rx_runt": 1}),
    "runt_cut_in_vlan_ipv4": Case(bytes(udp_frame(mold(BAD_SEQ, [A3]), vlan=7))[:18 + 12], {"rx_runt": 1}),
    # a runt whose headers are complete and valid is accepted (its header completes first), then
    # bad at its end; its 10-byte payload is no MoldUDP64 packet either (MOLD_ERR); no record
    "runt_valid_headers": Case(udp_frame(b"\x00" * 10), {"rx_runt": 1, **ACC, "mold_err": 1, **BADV}, bad=True),
    # truncated headers (frames of >= 60 bytes that end before the header does): RX_TRUNC
    "trunc_in_ipv4_options": Case(OPTIONS_FRAME[:14 + 50], {"rx_trunc": 1}),
    "trunc_in_udp_header": Case(OPTIONS_FRAME[:14 + 60 + 4], {"rx_trunc": 1}),
    "trunc_right_after_udp_header": Case(OPTIONS_FRAME[:14 + 60 + 8], {"rx_trunc": 1}),  # no payload byte
    "trunc_in_udp_header_two_tags": Case(
        bytes(Ether(src=SRC_MAC, type=0x88A8) / Dot1Q(vlan=5) / Dot1Q(vlan=6) / IP(src=SRC_IP, dst=DST_IP, options=OPTS40)
              / UDP(dport=DPORT) / Raw(mold(BAD_SEQ, [A3])))[:22 + 60 + 6], {"rx_trunc": 1}),
    # 1. not IPv4 (ethertype or tag stack)
    "arp": Case(Ether(src=SRC_MAC) / ARP(), {"rx_not_ipv4": 1}, pad=True),
    "arp_unpadded": Case(Ether(src=SRC_MAC) / ARP(), {"rx_not_ipv4": 1}),  # decided at byte 13, before runt
    "ipv6_udp": Case(Ether(src=SRC_MAC) / IPv6() / UDP(dport=DPORT) / Raw(mold(BAD_SEQ, [A3])), {"rx_not_ipv4": 1}),
    "three_vlan_tags": Case(Ether(src=SRC_MAC, type=0x88A8) / Dot1Q(vlan=5) / Dot1Q(vlan=6) / Dot1Q(vlan=7)
                            / IP(src=SRC_IP, dst=DST_IP) / UDP(dport=DPORT) / Raw(mold(BAD_SEQ, [A3])), {"rx_not_ipv4": 1}),
    "inner_tag_88a8": Case(Ether(src=SRC_MAC) / Dot1Q(vlan=5, type=0x88A8) / Dot1Q(vlan=6)
                           / IP(src=SRC_IP, dst=DST_IP) / UDP(dport=DPORT) / Raw(mold(BAD_SEQ, [A3])), {"rx_not_ipv4": 1}),
    # 2. IPv4 version / IHL
    "ipv4_version_6": Case(udp_frame(mold(BAD_SEQ, [A3]), version=6), {"rx_ip_hdr": 1}),
    "ipv4_ihl_4": Case(udp_frame(mold(BAD_SEQ, [A3]), ihl=4), {"rx_ip_hdr": 1}),
    # 3. total length < 4*IHL + 8
    "ipv4_total_len_too_small": Case(udp_frame(mold(BAD_SEQ, [A3]), len=20 + 7), {"rx_ip_len": 1}),
    # 4. fragments
    "ipv4_first_fragment": Case(Ether(src=SRC_MAC) / _fragments()[0], {"rx_fragment": 1}),
    "ipv4_later_fragment": Case(Ether(src=SRC_MAC) / _fragments()[1], {"rx_fragment": 1}),
    # 5. IPv4 but not UDP
    "ipv4_tcp": Case(Ether(src=SRC_MAC) / IP(src=SRC_IP, dst=DST_IP) / TCP(dport=DPORT) / Raw(mold(BAD_SEQ, [A3])),
                     {"rx_not_udp": 1}),
    "ipv4_icmp": Case(Ether(src=SRC_MAC) / IP(src=SRC_IP, dst=DST_IP) / ICMP(), {"rx_not_udp": 1}, pad=True),
    # cut right after the protocol byte (24 bytes): not UDP is decided there, before runt
    "tcp_cut_after_protocol": Case(bytes(Ether(src=SRC_MAC) / IP(src=SRC_IP, dst=DST_IP) / TCP())[:14 + 10],
                                   {"rx_not_udp": 1}),
    # 6. IPv4 header checksum
    "ipv4_bad_checksum": Case(_ip_csum_wrong(), {"rx_ip_csum": 1}),
    # 7, 8. UDP length against the IPv4 total length
    "udp_len_past_ip": Case(_raw_udp(udp_len=500), {"rx_udp_long": 1}),
    "udp_len_short_by_one": Case(_raw_udp(udp_len=8 + len(mold(BAD_SEQ, [A3])) - 1), {"rx_udp_short": 1}),
    "udp_len_8_empty": Case(_raw_udp(udp_len=8), {"rx_udp_short": 1}),
    # a MAC error on a frame dropped anyway: RX_MAC_ERR counts it besides its class
    "mac_error_on_dropped_frame": Case(Ether(src=SRC_MAC) / ARP(), {"rx_not_ipv4": 1, "rx_mac_err": 1},
                                       mac_error=True, pad=True),

    # ---- accepted, found bad at the end
    # MAC error (signalled on the last beat): the ticks left already, the last one says FRAME_BAD
    "mac_error": Case(GOOD_BAD, {"rx_mac_err": 1, **ACC, **pkt(2), **BADV},
                      [msg_tick(BAD_SEQ, A3), msg_tick(BAD_SEQ + 1, D1, BAD)], bad=True, mac_error=True),
    # ... also when an Ethernet trailer follows the datagram (the verdict still rides on the last
    # message: the payload's last beat is the datagram's, not the frame's)
    "mac_error_with_trailer": Case(bytes(udp_frame(mold(BAD_SEQ, [A3]))) + b"\xee" * 30,
                                   {"rx_mac_err": 1, **ACC, **pkt(1), **BADV}, [msg_tick(BAD_SEQ, A3, BAD)],
                                   bad=True, mac_error=True),
    # UDP checksum
    "udp_bad_checksum": Case(_udp_csum_wrong(), {"rx_udp_csum": 1, **ACC, **pkt(2), **BADV},
                             [msg_tick(BAD_SEQ, A3), msg_tick(BAD_SEQ + 1, D1, BAD)], bad=True),
    # the frame ends inside the UDP payload: truncated; the MoldUDP64 packet is cut short too
    # (MOLD_ERR); A3 (payload byte 57, beat 7) was complete, the payload's last beat (byte 68,
    # beat 8) completed nothing: a VERDICT record
    "trunc_in_payload": Case(GOOD_BAD[:-10], {"rx_trunc": 1, **ACC, **pkt(1), "mold_err": 1, **BADV},
                             [msg_tick(BAD_SEQ, A3), verdict_tick(bad=True)], bad=True),
    # longer than MAX_FRAME (1522): treated as ending at byte 1522, payload bytes 0..1479;
    # messages 0-5 end by byte 1351 (beat 168), block 6 runs past the cut (MOLD_ERR), the last
    # beat (184) completed nothing: a VERDICT record; the six messages made are counted in
    # ITCH_LEN_ERR, in hold mode too (counted when made)
    "too_long": Case(udp_frame(mold(BAD_SEQ, BIG)),
                     {"rx_too_long": 1, **ACC, **pkt(6), "mold_err": 1, **BADV, "itch_len_err": 6},
                     [msg_tick(BAD_SEQ + i, BIG[i]) for i in range(6)] + [verdict_tick(bad=True)], bad=True),
    # MoldUDP64 packets cut short: the messages completed before the fault are delivered, then
    # the verdict (bad)
    "mold_shorter_than_header": Case(udp_frame(mold(BAD_SEQ, [])[:15]), {**ACC, "mold_err": 1, **BADV}, bad=True,
                                     pad=True),
    "mold_block_past_payload": Case(udp_frame(mold(BAD_SEQ, [A3, A2])[:-5]), {**ACC, **pkt(1), "mold_err": 1, **BADV},
                                    [msg_tick(BAD_SEQ, A3), verdict_tick(bad=True)], bad=True),
    "mold_oversize_length": Case(udp_frame(mold(BAD_SEQ, [A3]) + b"\xff\xff" + A2),
                                 {**ACC, **pkt(1), "mold_err": 1, **BADV},
                                 [msg_tick(BAD_SEQ, A3), verdict_tick(bad=True)], bad=True),
    "mold_zero_length_message": Case(udp_frame(mold(BAD_SEQ, [A3, b"", A2])), {**ACC, **pkt(1), "mold_err": 1, **BADV},
                                     [msg_tick(BAD_SEQ, A3), verdict_tick(bad=True)], bad=True),
    "mold_runt_message": Case(udp_frame(mold(BAD_SEQ, [A3, b"X" * 5, A2]), vlan=5),
                              {**ACC, **pkt(1), "mold_err": 1, **BADV},
                              [msg_tick(BAD_SEQ, A3), verdict_tick(bad=True)], bad=True),
    # the first block is already bad: no record, so no verdict record either
    "mold_runt_first": Case(udp_frame(mold(BAD_SEQ, [b"S" * 7, A2])), {**ACC, "mold_pkts": 1, "mold_err": 1, **BADV},
                            bad=True),

    # MoldUDP64 message_count larger than the payload holds: the card parses the blocks until the
    # payload ends (tw_mold_deframer.sv), delivers them cut-through, and finds at the end that
    # they do not number message_count: MOLD_COUNT_ERR, a bad verdict
    "mold_count_larger_than_payload": Case(udp_frame(mold(BAD_SEQ, [A3, D1], count=5)),
                                           {**ACC, **pkt(2), "mold_count_err": 1, **BADV},
                                           [msg_tick(BAD_SEQ, A3), msg_tick(BAD_SEQ + 1, D1, BAD)], bad=True),
    # ... and smaller
    "mold_count_smaller_than_payload": Case(udp_frame(mold(BAD_SEQ, [A3, D1], count=1)),
                                            {**ACC, **pkt(2), "mold_count_err": 1, **BADV},
                                            [msg_tick(BAD_SEQ, A3), msg_tick(BAD_SEQ + 1, D1, BAD)], bad=True),
    # an end-of-session packet (count 0xFFFF) must hold no block
    "end_of_session_with_a_block": Case(udp_frame(mold(BAD_SEQ, [A3], count=0xFFFF)),
                                        {**ACC, **pkt(1), "mold_count_err": 1, **BADV},
                                        [event_tick(BAD_SEQ, eos=True), msg_tick(BAD_SEQ, A3, BAD)], bad=True),

    # ---- unusual but valid
    "heartbeat": Case(udp_frame(mold(BAD_SEQ, [])), {**ACC, "mold_pkts": 1}),  # in sequence: no record
    # the first end of session of the session: an event record, the heartbeat's only (FRAME_END)
    "end_of_session": Case(udp_frame(mold(BAD_SEQ, [], count=0xFFFF)), {**ACC, "mold_pkts": 1},
                           [event_tick(BAD_SEQ, eos=True, flags=END)]),
    # a packet of messages already delivered (the other line's copy): dropped, counted, no record
    "duplicate": Case(udp_frame(mold(1, [A1, A2])), {**ACC, **pkt(2), "seq_dups": 2}),
    # a partial overlap: the first message already delivered, the second new
    "partial_overlap": Case(udp_frame(mold(2, [A2, A3])), {**ACC, **pkt(2), "seq_dups": 1},
                            [msg_tick(3, A3, END)]),
    # a gap: messages 3..9 lost; an event record carries the range, the first message is flagged
    "gap": Case(udp_frame(mold(10, [A3, D1])), {**ACC, **pkt(2), "seq_gaps": 1},
                packet_ticks(10, [A3, D1], gap_from=3)),
    # another session: the feed starts afresh there (no gap reported, whatever the number)
    "new_session": Case(udp_frame(mold(50, [A3], session=b"NEXTSESS01")), {**ACC, **pkt(1), "mold_sessions": 1},
                        packet_ticks(50, [A3], new_session=True, session=b"NEXTSESS01")),
    "ipv4_options_40": Case(OPTIONS_FRAME, {**ACC, **pkt(1)}, packet_ticks(BAD_SEQ, [A3])),
    "ipv4_options_4": Case(udp_frame(mold(BAD_SEQ, [A3, D1]), options=[IPOption(b"\x01" * 4)]), {**ACC, **pkt(2)},
                           packet_ticks(BAD_SEQ, [A3, D1])),  # IHL 6: payload at frame byte 46 (lane 6)
    "ipv4_dont_fragment": Case(udp_frame(mold(BAD_SEQ, [A3]), flags="DF"), {**ACC, **pkt(1)},
                               packet_ticks(BAD_SEQ, [A3])),
    "vlan_tag": Case(udp_frame(mold(BAD_SEQ, [A3, D1]), vlan=300), {**ACC, **pkt(2)}, packet_ticks(BAD_SEQ, [A3, D1])),
    "one_tag_88a8": Case(Ether(src=SRC_MAC, type=0x88A8) / Dot1Q(vlan=5) / IP(src=SRC_IP, dst=DST_IP)
                         / UDP(dport=DPORT) / Raw(mold(BAD_SEQ, [A3])), {**ACC, **pkt(1)}, packet_ticks(BAD_SEQ, [A3])),
    "two_tags_88a8_8100": Case(Ether(src=SRC_MAC, type=0x88A8) / Dot1Q(vlan=5) / Dot1Q(vlan=6)
                               / IP(src=SRC_IP, dst=DST_IP) / UDP(dport=DPORT) / Raw(mold(BAD_SEQ, [A3, D1])),
                               {**ACC, **pkt(2)}, packet_ticks(BAD_SEQ, [A3, D1])),
    "two_tags_8100_8100": Case(Ether(src=SRC_MAC) / Dot1Q(vlan=5) / Dot1Q(vlan=6)
                               / IP(src=SRC_IP, dst=DST_IP) / UDP(dport=DPORT) / Raw(mold(BAD_SEQ, [A3, D1])),
                               {**ACC, **pkt(2)}, packet_ticks(BAD_SEQ, [A3, D1])),
    "two_tags_ipv4_options": Case(Ether(src=SRC_MAC, type=0x88A8) / Dot1Q(vlan=5) / Dot1Q(vlan=6)
                                  / IP(src=SRC_IP, dst=DST_IP, options=OPTS40) / UDP(dport=DPORT)
                                  / Raw(mold(BAD_SEQ, [A3, D1])), {**ACC, **pkt(2)}, packet_ticks(BAD_SEQ, [A3, D1])),
    "udp_checksum_zero": Case(udp_frame(mold(BAD_SEQ, [A3, D1]), udp={"chksum": 0}), {**ACC, **pkt(2)},
                              packet_ticks(BAD_SEQ, [A3, D1])),
    "ethernet_padding_after_udp": Case(pad60(udp_frame(mold(BAD_SEQ, [], count=1)[:20] + b"\x00\x0c" + itch_system())) + b"\xee" * 30,
                                       {**ACC, **pkt(1)}, packet_ticks(BAD_SEQ, [itch_system()])),
}

# A message split across the payload's last two beats: the last message (8..15 bytes) starts at
# payload byte 60 (beat 7) and ends at byte 67..74 (beat 8 or 9), so the frame's last byte falls
# in every lane of the input beat once, untagged (payload at lane 2) and tagged (lane 6), with the
# UDP checksum checked and not (the final beat is held one cycle for the checksum when the last
# byte is in the lanes below the payload's start lane). Its type 'Z' is none of ITCH 5.0's 23: it
# is delivered raw and counted in ITCH_UNKNOWN.
for _n in range(8, 16):
    _last = bytes([0x5A]) * _n
    for _vlan, _tag in [(None, ""), (9, "_vlan")]:
        for _csum, _ctag in [(None, ""), (0, "_nocsum")]:
            CASES[f"split_last_msg_{_n}{_tag}{_ctag}"] = Case(
                udp_frame(mold(BAD_SEQ, [A3, _last]), vlan=_vlan, udp=None if _csum is None else {"chksum": _csum}),
                {**ACC, **pkt(2), "itch_unknown": 1}, packet_ticks(BAD_SEQ, [A3, _last]))

AXES = {
    "cut_through": ({}, False),
    "backpressure": ({"awready_prob": 0.5, "wready_prob": 0.6, "bresp_delay_max": 20, "idle_prob": 0.3}, False),
    "hold": ({"idle_prob": 0.3}, True),
}


@pytest.mark.parametrize("axis", list(AXES))
@pytest.mark.parametrize("name", list(CASES))
def test_frame_is_counted_in_its_class_and_next_frame_is_right(make_card, name, axis):
    case = CASES[name]
    sim, hold = AXES[axis]
    frame = pad60(case.frame) if case.pad else bytes(case.frame)
    card = make_card(seed=7, **sim)
    if hold:
        card.set_hold(True)  # receive is still stopped: a new Card starts with rx_enable clear
    ring = card.open_ring(0, slots=64)
    c0 = card.counters()
    card.start()
    card.send(udp_frame(mold(1, [A1, A2])))
    card.send(frame, mac_error=case.mac_error)
    card.send(udp_frame(mold(AFTER_SEQ, [D1])))
    card.run_until_idle()

    delivered = [] if (hold and case.bad) else case.ticks
    # where the case frame left the feed: past its last delivered message if it was good
    last = [t for t in case.ticks if t["event"] == 0 and not t["flags"] & 32]
    if case.bad or not last:
        expected_next = 3
    else:
        expected_next = max(3, last[-1]["seq"] + 1)
    after_ticks = packet_ticks(AFTER_SEQ, [D1])
    if last and not case.bad and case.ticks[0]["session"] == b"NEXTSESS01":
        after_ticks = packet_ticks(AFTER_SEQ, [D1], new_session=True)  # back in the first session
    else:
        after_ticks = packet_ticks(AFTER_SEQ, [D1], gap_from=expected_next)
    expected = packet_ticks(1, [A1, A2], new_session=True) + delivered + after_ticks
    assert_ticks(ring.poll_all(), expected)

    good = {"rx_frames": 1, **ACC, **pkt(2), "mold_sessions": 1}  # the packet before
    after = {"rx_frames": 1, **ACC, **pkt(1)}                       # the packet after
    after.update({"mold_sessions": 1} if after_ticks[0]["event"] & 1 else {"seq_gaps": 1})
    want = {}
    for d in (good, {"rx_frames": 1, **case.adds}, after, {"dma_writes": len(expected)}):
        for k, v in d.items():
            want[k] = want.get(k, 0) + v
    assert delta(card.counters(), c0) == want
    status = ring.close()
    assert (status["prod"], status["drops"], status["idle"]) == (len(expected), 0, True)


def test_max_frame_below_the_payload_drops_the_frame_whole(card):
    """MAX_FRAME found before the first payload byte: the frame is dropped whole, counted in
    RX_TOO_LONG; with no limit (0) a frame far above 1522 bytes is delivered whole (its 400-byte
    messages of type C, 36 bytes, raw and truncated, counted in ITCH_LEN_ERR)."""
    ring = card.open_ring(0, slots=64)
    card.set_max_frame(41)  # the payload starts at byte 42
    c0 = card.counters()
    card.start()
    card.send(udp_frame(mold(1, [A1])))
    card.run_until_idle()
    assert ring.poll_all() == []
    assert delta(card.counters(), c0) == {"rx_frames": 1, "rx_too_long": 1}

    card.stop_rx()
    card.set_max_frame(0)
    card.start()
    big = [(b"C%02d" % i).ljust(400, b"y") for i in range(20)]  # an 8102-byte jumbo frame
    c0 = card.counters()
    card.send(udp_frame(mold(5, big)))
    card.run_until_idle()
    assert_ticks(ring.poll_all(), packet_ticks(5, big, new_session=True))
    assert delta(card.counters(), c0) == {"rx_frames": 1, **ACC, **pkt(20), "mold_sessions": 1, "dma_writes": 21,
                                          "itch_len_err": 20}


def test_bad_frames_back_to_back_each_carry_their_own_verdict(card):
    """Good and bad frames interleaved with no gap: each frame's records end with its own verdict
    (cut-through), and a host that honours the verdicts keeps exactly the good frames' messages."""
    ring = card.open_ring(0, slots=64)
    card.start()
    # each bad frame carries the next sequence number; being bad it moves no sequence state, so
    # the good frame after it carries the same number again
    frames = [
        (udp_frame(mold(1, [A1])), False),
        (udp_frame(mold(2, [A3, D1])), True),             # MAC error
        (udp_frame(mold(2, [A2])), False),
        (_udp_csum_wrong(3), False),                      # UDP checksum
        (bytes(udp_frame(mold(3, [A3, D1])))[:-10], False),  # truncated
        (udp_frame(mold(3, [D1, A3])), False),
    ]
    for f, me in frames:
        card.send(f, mac_error=me)
    card.run_until_idle()
    ticks = ring.poll_all()
    assert_ticks(ticks, packet_ticks(1, [A1], new_session=True)
                 + [msg_tick(2, A3), msg_tick(3, D1, BAD)]
                 + packet_ticks(2, [A2])
                 + [msg_tick(3, A3), msg_tick(4, D1, BAD)]
                 + [msg_tick(3, A3), verdict_tick(bad=True)]
                 + packet_ticks(3, [D1, A3]))
    kept, bad = verdict_gate(ticks)
    assert bad == 3
    assert [(t.seq, t.decoded()) for t in kept if t.is_message] == [
        (1, carried_fields(A1)), (2, carried_fields(A2)), (3, carried_fields(D1)), (4, carried_fields(A3))]
    c = card.counters()
    assert (c["rx_mac_err"], c["rx_udp_csum"], c["rx_trunc"], c["rx_bad_verdict"], c["rx_accepted"]) == (1, 1, 1, 3, 6)


def test_heartbeat_of_a_new_session_ends_with_its_event_record(card):
    """A heartbeat whose session differs from the feed's makes one record, the new-session event
    record (payload byte 19, the heartbeat's last: FRAME_END); the next packet, back in the first
    session, restarts the feed again: another new-session event record."""
    ring = card.open_ring(0, slots=16)
    card.start()
    card.send(udp_frame(mold(1, [A1])))
    card.send(udp_frame(mold(7, [], session=b"OTHERSESS1")))
    card.send(udp_frame(mold(2, [A2])))
    card.run_until_idle()
    assert_ticks(ring.poll_all(), packet_ticks(1, [A1], new_session=True)
                 + packet_ticks(7, [], new_session=True, session=b"OTHERSESS1")
                 + packet_ticks(2, [A2], new_session=True))
    c = card.counters()
    assert (c["mold_pkts"], c["mold_msgs"], c["mold_sessions"], c["rx_bad_verdict"]) == (3, 2, 3, 0)
