# SPDX-License-Identifier: Apache-2.0
"""The card's ITCH 5.0 decoder through the simulated card and the real driver.

Every one of the 23 message types, at its type's length, is decoded into the tick: each field
compared with what `itchfeed` (PyPI, an ITCH 5.0 decoder written elsewhere) reads from the same
bytes, under the specification's names (docs/tick-format.md: no tracking number; no stock for P, I
and O, whose stock_locate names it).

The bad-input rules (hdl/regs/tick.toml flag RAW, tw_regs.rdl ITCH_LEN_ERR, ITCH_UNKNOWN,
CTRL.drop_unknown): a message of a known type at another length, or of a type byte that is none
of the 23, is delivered raw (flag RAW; TRUNCATED past 41 bytes: the record holds wire bytes 0..40,
the tracking number as zero) and counted, ITCH_LEN_ERR or ITCH_UNKNOWN, once per message made
(not for duplicates; also in frames that turn out bad); with CTRL.drop_unknown the unknown types
are dropped instead, still counted, and the messages around them are delivered as before.
"""
import random

import pytest

from tw_scenario import (
    END, FLAG_RAW, FLAG_TRUNCATED, ITCH_SPECS, ITCH_TYPES, NOT_CARRIED, assert_ticks, delta, itch_add, itch_delete,
    itch_message, itch_system, mold, msg_tick, packet_ticks, random_itch, session_tick, theirs, udp_frame,
    verdict_tick,
)

A1, D1, S1 = itch_add(ref=1, tracking=0x1111), itch_delete(ref=1), itch_system()
A_SHORT = A1[:-1]                                            # A is 36 bytes: 35
D_LONG = itch_delete(ref=2) + b"\xaa\xbb\xcc\xdd"            # D is 19 bytes: 23
I_LONG = itch_message("I", locate=3, tracking=0xFFFF, ts=77, paired_shares=5, stock="ABC") + b"\x01\x02"  # 52 > 41
UNK_SHORT = b"z" + bytes(range(0x40, 0x40 + 19))             # 20 bytes, type 'z'
UNK_LONG = b"Z\x00\x07\xbe\xef" + bytes(range(100, 155))     # 60 bytes, type 'Z'
ACC = {"rx_frames": 1, "rx_accepted": 1, "flow_misses": 1}   # one good frame (a new Card: deliver_all, no rules)

AXES = {
    "cut_through": ({}, False),
    "backpressure": ({"awready_prob": 0.5, "wready_prob": 0.6, "bresp_delay_max": 20, "idle_prob": 0.3}, False),
    "hold": ({"idle_prob": 0.3}, True),
}


def test_raw_records_hold_the_exact_bytes():
    """The expectations' raw form, written out for the messages used below (so the comparisons
    below rest on bytes written here, not on a helper's arithmetic)."""
    assert msg_tick(5, A_SHORT)["raw"] == b"A\x00\x01\x00\x00" + A1[5:35] and len(A_SHORT) == 35
    assert msg_tick(5, D_LONG)["raw"] == b"D\x00\x01\x00\x00" + D_LONG[5:23]
    assert msg_tick(5, I_LONG)["raw"] == b"I\x00\x03\x00\x00" + I_LONG[5:41]
    assert msg_tick(5, UNK_LONG)["raw"] == b"Z\x00\x07\x00\x00" + bytes(range(100, 136))
    assert msg_tick(5, UNK_SHORT)["raw"] == b"z@A\x00\x00" + bytes(range(0x44, 0x53))
    assert [msg_tick(5, m)["flags"] for m in (A_SHORT, D_LONG, I_LONG, UNK_SHORT, UNK_LONG)] == [
        FLAG_RAW, FLAG_RAW, FLAG_RAW | FLAG_TRUNCATED, FLAG_RAW, FLAG_RAW | FLAG_TRUNCATED]


@pytest.mark.parametrize("axis", list(AXES))
def test_wrong_length_and_unknown_type_are_delivered_raw_and_counted(make_card, axis):
    sim, hold = AXES[axis]
    card = make_card(seed=17, **sim)
    if hold:
        card.set_hold(True)
    ring = card.open_ring(0, slots=64)
    c0 = card.counters()
    card.start()
    msgs = [A1, A_SHORT, D_LONG, UNK_SHORT, I_LONG, UNK_LONG, S1]
    card.send(udp_frame(mold(10, msgs)))
    card.send(udp_frame(mold(10, msgs)))       # the same packet again: duplicates, not counted again
    card.run_until_idle()
    ticks = ring.poll_all()
    assert_ticks(ticks, packet_ticks(10, msgs, new_session=True))
    _, a, a_short, d_long, unk_short, i_long, unk_long, s = ticks
    # the raw records, field by field
    assert (a_short.is_raw, a_short.msg_len, a_short.msg_type, a_short.flags) == (True, 35, "A", FLAG_RAW)
    assert a_short.raw_message == b"A\x00\x01\x00\x00" + A1[5:35] and a_short.itch is None
    assert (d_long.msg_len, d_long.raw_message) == (23, b"D\x00\x01\x00\x00" + D_LONG[5:])
    assert (unk_short.msg_len, unk_short.msg_type, unk_short.raw_message) == (20, "z", b"z@A\x00\x00" + UNK_SHORT[5:])
    assert (i_long.msg_len, i_long.flags, i_long.is_truncated) == (52, FLAG_RAW | FLAG_TRUNCATED, True)
    assert i_long.raw_message == I_LONG[:3] + b"\x00\x00" + I_LONG[5:41] and (i_long.stock_locate, i_long.timestamp) == (3, 77)
    assert (unk_long.msg_len, unk_long.flags, unk_long.stock_locate) == (60, FLAG_RAW | FLAG_TRUNCATED, 7)
    assert unk_long.raw_message == b"Z\x00\x07\x00\x00" + bytes(range(100, 136))
    for t in (a_short, d_long, unk_short, i_long, unk_long):
        with pytest.raises(ValueError):
            t.decoded()
    # the decodable neighbours are decoded
    assert a.decoded() == {"stock_locate": 1, "timestamp": 34_200_000_000_000, "order_reference_number": 1,
                           "buy_sell_indicator": "B", "shares": 100, "stock": "AAPL", "price": 1_000_000}
    assert s.decoded() == {"stock_locate": 0, "timestamp": 1, "event_code": "O"} and s.flags == END
    assert delta(card.counters(), c0) == {
        "rx_frames": 2, "rx_accepted": 2, "flow_misses": 2, "mold_pkts": 2, "mold_msgs": 14, "mold_sessions": 1,
        "seq_dups": 7, "itch_len_err": 3, "itch_unknown": 2, "dma_writes": 8}


def test_counted_in_a_bad_frame_too(make_card):
    """In hold mode a bad frame delivers nothing, yet its raw messages were made and are counted."""
    card = make_card(seed=3)
    card.set_hold(True)
    ring = card.open_ring(0, slots=16)
    c0 = card.counters()
    card.start()
    card.send(udp_frame(mold(1, [A1, UNK_SHORT, D_LONG])), mac_error=True)
    card.run_until_idle()
    assert ring.poll_all() == []
    assert delta(card.counters(), c0) == {
        "rx_frames": 1, "rx_accepted": 1, "flow_misses": 1, "rx_mac_err": 1, "rx_bad_verdict": 1, "mold_pkts": 1,
        "mold_msgs": 3, "mold_sessions": 1, "itch_len_err": 1, "itch_unknown": 1}


@pytest.mark.parametrize("axis", ["cut_through", "backpressure"])
def test_drop_unknown_drops_only_unknown_types_and_still_counts_them(make_card, axis):
    """CTRL.drop_unknown: the unknown types leave no record (their sequence numbers are no gap),
    the known types at a wrong length are still delivered raw, and the neighbours in the same
    packet are delivered and decoded exactly. A packet whose last message is dropped ends with a
    VERDICT record; a packet of unknown types only makes no record at all."""
    sim, _ = AXES[axis]
    card = make_card(seed=5, **sim)
    ring = card.open_ring(0, slots=64)
    card.csr_write("CTRL.drop_unknown", 1)
    c0 = card.counters()
    card.start()
    assert card.csr_read("CTRL.drop_unknown") == 1 and card.csr_read("CTRL.rx_enable") == 1
    p1 = [A1, UNK_SHORT, D1, UNK_LONG, A_SHORT, S1]             # seq 1..6
    p2 = [itch_delete(ref=7), UNK_LONG]                         # seq 7..8: the last one dropped
    p3 = [UNK_SHORT, UNK_LONG]                                  # seq 9..10: nothing delivered
    p4 = [itch_add(ref=11, side=b"S"), I_LONG]                  # seq 11..12: no gap before 11
    for seq, p in [(1, p1), (7, p2), (9, p3), (11, p4)]:
        card.send(udp_frame(mold(seq, p)))
    card.run_until_idle()
    ticks = ring.poll_all()
    assert_ticks(ticks, [session_tick(1),
        msg_tick(1, A1), msg_tick(3, D1), msg_tick(5, A_SHORT), msg_tick(6, S1, END),
        msg_tick(7, p2[0]), verdict_tick(False),
        msg_tick(11, p4[0]), msg_tick(12, I_LONG, END)])
    assert [t.seq for t in ticks if t.is_message] == [1, 3, 5, 6, 7, 11, 12]
    assert not any(t.is_raw and t.msg_type in "zZ" for t in ticks)
    assert ticks[3].raw_message == b"A\x00\x01\x00\x00" + A1[5:35]
    assert ticks[1].decoded()["order_reference_number"] == 1 and ticks[2].decoded()["order_reference_number"] == 1
    assert delta(card.counters(), c0) == {
        "rx_frames": 4, "rx_accepted": 4, "flow_misses": 4, "mold_pkts": 4, "mold_msgs": 12, "mold_sessions": 1,
        "itch_len_err": 2, "itch_unknown": 5, "dma_writes": len(ticks)}

    # back to delivering them: the same unknown message comes raw again
    card.csr_write("CTRL.drop_unknown", 0)
    assert card.csr_read("CTRL.rx_enable") == 1
    card.send(udp_frame(mold(13, [UNK_SHORT, D1])))
    card.run_until_idle()
    assert_ticks(ring.poll_all(), packet_ticks(13, [UNK_SHORT, D1]), first_valid=len(ticks) + 1)
    assert card.counters()["itch_unknown"] - c0["itch_unknown"] == 6


def _edge_values(t):
    """Every integer field at its maximum, every alpha field all spaces."""
    return {name: (" " * size if kind == "a" else (1 << 8 * size) - 1) for name, size, kind in ITCH_SPECS[t]}


@pytest.mark.parametrize("axis", ["cut_through", "backpressure"])
def test_every_type_decoded_field_by_field_against_itchfeed(make_card, axis):
    """Each of the 23 types twice (random values; every integer at its maximum and every alpha
    field blank), a few per packet: each tick's decoded fields equal itchfeed's, field by field
    (stock_locate and timestamp included), but the tracking number and the stock of P, I and O,
    which the tick does not carry."""
    rng = random.Random(23)
    msgs = [random_itch(rng, t) for t in ITCH_TYPES]
    msgs += [itch_message(t, locate=0xFFFF, tracking=0xFFFF, ts=(1 << 48) - 1, **_edge_values(t)) for t in ITCH_TYPES]
    packets, seq = [], 100
    for i in range(0, len(msgs), 5):
        packets.append((seq, msgs[i:i + 5]))
        seq += len(msgs[i:i + 5])
    card = make_card(seed=29, **AXES[axis][0])
    ring = card.open_ring(0, slots=128)
    c0 = card.counters()
    card.start()
    for seq, p in packets:
        card.send(udp_frame(mold(seq, p)))
    card.run_until_idle()
    ticks = ring.poll_all()
    want = [x for n, (seq, p) in enumerate(packets) for x in packet_ticks(seq, p, new_session=n == 0)]
    assert_ticks(ticks, want)

    got = [t for t in ticks if t.is_message]
    assert len(got) == len(msgs) == 46
    for t, m in zip(got, msgs):
        ref = theirs(m)
        typ = chr(m[0])
        d = t.decoded()
        assert (t.msg_type, t.msg_len, t.is_raw, t.raw_message) == (typ, len(m), False, None)
        assert (t.stock_locate, t.timestamp) == (ref["stock_locate"], ref["timestamp"])
        assert "tracking_number" not in d
        for k in NOT_CARRIED.get(typ, ()):
            assert k not in d, (typ, k)
        carried = {k: v for k, v in ref.items() if k != "tracking_number" and k not in NOT_CARRIED.get(typ, ())}
        assert set(d) == set(carried), (typ, sorted(d), sorted(carried))
        for k, v in carried.items():
            assert d[k] == v, (t.seq, typ, k, d[k], v)
        assert t.itch.split(" ")[0] == typ
    assert {t.msg_type for t in got} == set(ITCH_TYPES)
    assert delta(card.counters(), c0) == {
        "rx_frames": len(packets), "rx_accepted": len(packets), "flow_misses": len(packets),
        "mold_pkts": len(packets), "mold_msgs": len(msgs), "mold_sessions": 1, "dma_writes": len(ticks)}
