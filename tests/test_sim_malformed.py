# SPDX-License-Identifier: Apache-2.0
"""Malformed frames, built with scapy, through the simulated card and the real driver.

Every case sends a good MoldUDP64 packet, the bad frame, and another good packet, and asserts the
exact ticks the ring holds and the exact value of every counter: a bad frame is counted once, in the
counter docs/architecture.md §1 names for it, delivers exactly the messages completed before the
fault, and the next frame is right. Each case runs with and without host-memory backpressure and
MAC idle cycles.
"""
import pytest
from scapy.all import ARP, Dot1Q, Ether, ICMP, IP, IPOption, IPv6, Raw, TCP, UDP, fragment

from tw_scenario import (
    DPORT, DST_IP, DST_MAC, SRC_IP, SRC_MAC, assert_ticks, itch_add, itch_delete, itch_system, mold,
    msg_tick, pad60, session_tick, udp_frame,
)

A1, A2, A3 = itch_add(ref=1), itch_add(ref=2, side=b"S"), itch_add(ref=3)
D1 = itch_delete(ref=1)
BAD_SEQ = 100  # sequence number of the bad frame's packet
AFTER_SEQ = 200


def _big_udp():
    return udp_frame(mold(BAD_SEQ, [itch_add(ref=i) for i in range(60)]))


def _fragments():
    return fragment(_big_udp()[IP], fragsize=800)


def _raw_udp(udp_len=None, **ip):
    return Ether(src=SRC_MAC, dst=DST_MAC) / IP(src=SRC_IP, dst=DST_IP, **ip) / UDP(dport=DPORT, len=udp_len) / Raw(mold(BAD_SEQ, [A3]))


GOOD_BAD = bytes(udp_frame(mold(BAD_SEQ, [A3, D1])))

# name: (frame bytes, pad to 60 like a MAC, counters the frame adds, messages it delivers)
CASES = {
    # not IPv4/UDP: dropped whole, RX_NOT_UDP
    "arp": (Ether(src=SRC_MAC) / ARP(), True, {"rx_not_udp": 1}, []),
    "ipv6_udp": (Ether(src=SRC_MAC) / IPv6() / UDP(dport=DPORT) / Raw(mold(BAD_SEQ, [A3])), True, {"rx_not_udp": 1}, []),
    "ipv4_tcp": (Ether(src=SRC_MAC) / IP(src=SRC_IP, dst=DST_IP) / TCP(dport=DPORT) / Raw(mold(BAD_SEQ, [A3])), True, {"rx_not_udp": 1}, []),
    "ipv4_icmp": (Ether(src=SRC_MAC) / IP(src=SRC_IP, dst=DST_IP) / ICMP(), True, {"rx_not_udp": 1}, []),
    "qinq_tag": (Ether(src=SRC_MAC, type=0x88A8) / Dot1Q(vlan=5) / IP() / UDP() / Raw(mold(BAD_SEQ, [A3])), True, {"rx_not_udp": 1}, []),
    "ipv4_first_fragment": (Ether(src=SRC_MAC) / _fragments()[0], True, {"rx_not_udp": 1}, []),
    "ipv4_later_fragment": (Ether(src=SRC_MAC) / _fragments()[1], True, {"rx_not_udp": 1}, []),
    # TCP cut after its protocol byte: already known not to be UDP
    "tcp_cut_after_protocol": (bytes(Ether(src=SRC_MAC) / IP(src=SRC_IP, dst=DST_IP) / TCP())[:14 + 10], False, {"rx_not_udp": 1}, []),
    # frames that end inside the headers (no MAC padding: the frame really stops there)
    "cut_in_ethernet": (GOOD_BAD[:13], False, {"rx_bad_hdr": 1}, []),
    "cut_in_ipv4": (GOOD_BAD[:14 + 8], False, {"rx_bad_hdr": 1}, []),
    "cut_in_ipv4_options": (bytes(udp_frame(mold(BAD_SEQ, [A3]), options=[IPOption(b"\x01" * 40)]))[:14 + 40], False, {"rx_bad_hdr": 1}, []),
    "cut_in_udp": (GOOD_BAD[:14 + 20 + 4], False, {"rx_bad_hdr": 1}, []),
    "cut_in_vlan_ipv4": (bytes(udp_frame(mold(BAD_SEQ, [A3]), vlan=7))[:18 + 12], False, {"rx_bad_hdr": 1}, []),
    # malformed headers
    "ipv4_ihl_4": (udp_frame(mold(BAD_SEQ, [A3]), ihl=4), True, {"rx_bad_hdr": 1}, []),
    "ipv4_version_6": (udp_frame(mold(BAD_SEQ, [A3]), version=6), True, {"rx_bad_hdr": 1}, []),
    "ipv4_total_len_too_small": (udp_frame(mold(BAD_SEQ, [A3]), len=20 + 7), True, {"rx_bad_hdr": 1}, []),
    "udp_len_8_empty": (_raw_udp(udp_len=8), True, {"rx_bad_hdr": 1}, []),
    "udp_len_past_ip": (_raw_udp(udp_len=500), True, {"rx_bad_hdr": 1}, []),
    # the frame ends inside the UDP payload: the payload is cut (RX_BAD_HDR), the MoldUDP64 packet
    # is cut short (MOLD_ERR), the message completed before the cut is delivered
    "frame_cut_in_payload": (GOOD_BAD[:-10], False, {"rx_bad_hdr": 1, "mold_pkts": 1, "mold_msgs": 1, "mold_err": 1}, [(BAD_SEQ, A3)]),
    # MoldUDP64 cut short
    "mold_shorter_than_header": (udp_frame(mold(BAD_SEQ, [])[:15]), True, {"mold_err": 1}, []),
    "mold_block_past_payload": (udp_frame(mold(BAD_SEQ, [A3, A2])[:-5]), True, {"mold_pkts": 1, "mold_msgs": 1, "mold_err": 1}, [(BAD_SEQ, A3)]),
    "mold_runt_message": (udp_frame(mold(BAD_SEQ, [A3, b"X" * 5, A2]), vlan=5), True, {"mold_pkts": 1, "mold_msgs": 1, "mold_err": 1}, [(BAD_SEQ, A3)]),
    "mold_zero_length_message": (udp_frame(mold(BAD_SEQ, [A3, b"", A2])), True, {"mold_pkts": 1, "mold_msgs": 1, "mold_err": 1}, [(BAD_SEQ, A3)]),
    "mold_runt_first": (udp_frame(mold(BAD_SEQ, [b"S" * 7, A2])), True, {"mold_pkts": 1, "mold_err": 1}, []),
    # valid corner cases, for contrast
    "ipv4_options_ok": (udp_frame(mold(BAD_SEQ, [A3]), options=[IPOption(b"\x01" * 40)]), True, {"mold_pkts": 1, "mold_msgs": 1}, [(BAD_SEQ, A3)]),
    "heartbeat": (udp_frame(mold(BAD_SEQ, [])), True, {"mold_pkts": 1}, []),
    "ethernet_padding_after_udp": (pad60(udp_frame(mold(BAD_SEQ, [])[:20] + b"\x00\x0c" + itch_system())) + b"\xee" * 30, False, {"mold_pkts": 1, "mold_msgs": 1}, [(BAD_SEQ, itch_system())]),
}

BASE = {  # what the two good packets around the bad frame add
    "rx_frames": 3, "mold_pkts": 2, "mold_msgs": 3, "mold_sessions": 1,
}
ALL_COUNTERS = ["rx_frames", "rx_disabled", "rx_mac_err", "rx_not_udp", "rx_bad_hdr", "mold_pkts",
                "mold_msgs", "mold_err", "mold_sessions", "tick_overflow", "dma_writes", "dma_bresp_err"]

AXES = {
    "plain": {},
    "backpressure": {"awready_prob": 0.5, "wready_prob": 0.6, "bresp_delay_max": 20, "idle_prob": 0.3},
}


@pytest.mark.parametrize("axis", list(AXES))
@pytest.mark.parametrize("name", list(CASES))
def test_bad_frame_is_counted_and_next_frame_is_right(make_card, name, axis):
    frame, pad, adds, delivered = CASES[name]
    frame = pad60(frame) if pad else bytes(frame)
    card = make_card(seed=7, **AXES[axis])
    ring = card.open_ring(0, slots=64)
    card.start()
    card.send(pad60(udp_frame(mold(1, [A1, A2]))))
    card.send(frame)
    card.send(udp_frame(mold(AFTER_SEQ, [D1])))
    card.run_until_idle()

    expected = [session_tick(1), msg_tick(1, A1), msg_tick(2, A2)]
    expected += [msg_tick(seq, m) for seq, m in delivered]
    expected += [msg_tick(AFTER_SEQ, D1)]
    assert_ticks(ring.poll_all(), expected)

    want = {k: BASE.get(k, 0) + adds.get(k, 0) for k in ALL_COUNTERS}
    want["dma_writes"] = len(expected)
    got = card.counters()
    assert {k: got[k] for k in ALL_COUNTERS} == want
    status = ring.close()
    assert (status["prod"], status["drops"], status["idle"]) == (len(expected), 0, True)


def test_mac_error_is_counted_and_ticks_still_delivered(card):
    """Today the path is cut-through: a frame whose MAC error shows at its end is counted in
    RX_MAC_ERR and its ticks are delivered (the per-frame verdict is issue [B])."""
    ring = card.open_ring(0, slots=16)
    card.start()
    card.send(udp_frame(mold(1, [A1])))
    card.send(udp_frame(mold(2, [A2, A3])), mac_error=True)
    card.send(udp_frame(mold(4, [D1])))
    card.run_until_idle()
    assert_ticks(ring.poll_all(), [session_tick(1), msg_tick(1, A1), msg_tick(2, A2), msg_tick(3, A3), msg_tick(4, D1)])
    c = card.counters()
    assert (c["rx_frames"], c["rx_mac_err"], c["mold_msgs"], c["rx_bad_hdr"]) == (3, 1, 4, 0)
