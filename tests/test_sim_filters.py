# SPDX-License-Identifier: Apache-2.0
"""Per-ring ITCH filters through the simulated card and the real driver (docs/registers.md:
RING[n].ITCH_TYPES, RING[n].LOCATE_TYPES, LOCATE_ADDR, LOCATE_DATA, ITCH_FILTERED).

The rules, as the tests below model them (written here from the register descriptions,
independently of `tickwire::filter`): a ring takes a decoded message if its type's bit is set in
ITCH_TYPES (bit i: the i-th type of S R H Y L V W K J h A F E C X D U P Q B I N O) and, when the
type's bit is also set in LOCATE_TYPES, the message's stock_locate is set in the ring's 65 536-bit
locate bitmap (word w: locates 32w..32w+31, locate 32w+b in bit b); a raw record (unknown type,
or a known type at a wrong length) by bit 23 alone, never by the bitmap. A message not taken leaves
no record and counts in ITCH_FILTERED (not duplicates, not unknown types CTRL.drop_unknown
dropped). Event and verdict records always pass; the record made on a frame's last payload beat
carries FRAME_END, and when that beat makes none (its message was filtered) but the frame made
records before, a VERDICT record does.

Scenarios: a subscription (one ring with order-book types for a set of locates, another with
everything, the same packets to both); the bitmap's edges and incremental word writes, and
LOCATE_ADDR naming a ring the build lacks; raw records against bit 23; FRAME_END / VERDICT when
filters drop a frame's last or every message; and ring 0's filters rewritten under traffic, with
a driver and a reconfiguring task running at once.
"""
import random
import struct
from dataclasses import dataclass, field

import pytest

from tw_scenario import (
    END, FLAG_GAP, ITCH_TYPES, assert_ticks, decodable, delta, drive_and_monitor, event_tick, itch_add, itch_delete, itch_system,
    mold, msg_tick, packet_ticks, random_itch, session_tick, udp_frame, verdict_tick,
)

RAW = "raw"          # stands for ITCH_TYPES bit 23 in the type sets below
RAW_BIT = 23
ALL = frozenset(ITCH_TYPES) | {RAW}
ORDER_BOOK = "AFECXDUP"

AXES = {
    "cut_through": ({}, False),
    "backpressure": ({"awready_prob": 0.5, "wready_prob": 0.6, "bresp_delay_max": 20, "idle_prob": 0.3}, False),
    "hold": ({"idle_prob": 0.3}, True),
}


def type_mask(letters):
    """ITCH_TYPES / LOCATE_TYPES bits of a set of type letters (and RAW), in the documented order."""
    return sum(1 << (RAW_BIT if t == RAW else ITCH_TYPES.index(t)) for t in set(letters))


def locate_of(msg):
    return struct.unpack(">H", msg[1:3])[0]


def words_of(locates, first, n):
    """Bitmap words first..first+n-1 of a set of locates (word w: locates 32w..32w+31)."""
    out = [0] * n
    for loc in locates:
        w = loc // 32 - first
        if 0 <= w < n:
            out[w] |= 1 << (loc % 32)
    return out


@dataclass(frozen=True)
class Filter:
    """One ring's filters: the types it takes (letters, RAW), the types checked against the
    bitmap, the bitmap's locates."""
    types: frozenset = ALL
    loc_types: frozenset = frozenset()
    locates: frozenset = frozenset()

    def takes(self, msg):
        if not decodable(msg):
            return RAW in self.types
        t = chr(msg[0])
        return t in self.types and (t not in self.loc_types or locate_of(msg) in self.locates)

    def apply(self, card, ring):
        """Program the whole filter through the driver (writes the whole bitmap)."""
        card.set_itch_filter(ring, types="".join(sorted(self.types - {RAW})), raw=RAW in self.types,
                             locate_types="".join(sorted(self.loc_types)), locates=sorted(self.locates))


def filtered_ticks(seq, msgs, take, new_session=False, gap_from=None, feed=0, line=0, dups=0):
    """The ticks of a good frame mold(seq, msgs) whose messages the ring takes or not (`take`, one
    bool per message; the first `dups` are duplicates: no record either way): the event record
    (new session or gap), the messages taken (the first flagged GAP after a gap, if taken), and
    FRAME_END on the last message's record if it was taken, else on a VERDICT record if the frame
    made any record; none at all if it made no record."""
    out = []
    gap = gap_from is not None
    if new_session or gap:
        out.append(event_tick(seq, new_session=new_session, gap_from=gap_from, feed=feed, line=line))
    for i, m in enumerate(msgs):
        if i >= dups and take[i]:
            out.append(msg_tick(seq + i, m, flags=FLAG_GAP if gap and i == 0 else 0, feed=feed, line=line))
    if out:
        if msgs and (len(msgs) <= dups or not take[-1]):
            out.append(verdict_tick(False, feed=feed, line=line))
        else:
            out[-1]["flags"] |= END
    return out


def _card(make_card, axis, seed):
    sim, hold = AXES[axis]
    card = make_card(seed=seed, **sim)
    if hold:
        card.set_hold(True)
    return card


# ---------------------------------------------------------------- 1. subscription

X, Y = ("233.54.12.1", 26400), ("233.54.12.2", 26400)


@pytest.mark.parametrize("axis", list(AXES))
def test_subscription_one_ring_filtered_one_ring_everything(make_card, axis):
    """Ring 0 subscribes to the order-book types (A F E C X D U P) of a set of locates, plus the
    market-wide S R H whatever their locate; ring 1 takes everything. The same packets go to
    both (destination X: ring 0 as feed 1; Y: ring 1 as feed 2), every type of the 23, with
    locates subscribed, their unsubscribed neighbours and others. Ring 0 holds exactly what the
    rules take, with FRAME_END or a VERDICT record where the frame's last message was dropped and
    no record for a frame it dropped whole; ring 1 holds every message; ITCH_FILTERED counts
    exactly what ring 0 lost."""
    rng = random.Random(101)
    card = _card(make_card, axis, seed=41)
    rings = [card.open_ring(0, slots=1024), card.open_ring(1, slots=1024)]
    card.set_flow_table([
        {"dst_ip": X[0], "dst_port": X[1], "action": {"ring": 0, "feed": 1, "line": 0}},
        {"dst_ip": Y[0], "dst_port": Y[1], "action": {"ring": 1, "feed": 2, "line": 0}},
    ], "drop")
    subscribed = {0, 1, 31, 32, 100, 4242, 65535} | {rng.randrange(65536) for _ in range(30)}
    f0 = Filter(types=frozenset("SRH" + ORDER_BOOK), loc_types=frozenset(ORDER_BOOK), locates=frozenset(subscribed))
    f0.apply(card, 0)
    # the registers hold the documented bit order (S = bit 0 ... O = bit 22, raw = 23)
    assert card.csr_read("RING[0].ITCH_TYPES") == type_mask("SRHAFECXDUP") == 0x3FC07
    assert card.csr_read("RING[0].LOCATE_TYPES") == type_mask(ORDER_BOOK) == 0x3FC00
    assert (card.csr_read("RING[1].ITCH_TYPES"), card.csr_read("RING[1].LOCATE_TYPES")) == (0xFFFFFF, 0)
    c0 = card.counters()
    card.start()

    unsubscribed = sorted({n for loc in subscribed for n in (loc - 1, loc + 1)
                           if 0 <= n < 65536 and n not in subscribed}
                          | {rng.randrange(65536) for _ in range(20)} - subscribed)
    subscribed = sorted(subscribed)
    msgs = [random_itch(rng, t, locate=rng.choice(subscribed if k % 2 else unsubscribed))
            for t in ITCH_TYPES for k in range(8)]
    rng.shuffle(msgs)
    packets, seq, i = [], 1, 0
    while i < len(msgs):
        n = rng.randint(1, 5)
        packets.append((seq, msgs[i:i + n]))
        seq, i = seq + len(msgs[i:i + n]), i + n
    for seq, p in packets:
        card.send(udp_frame(mold(seq, p), dst=X[0], dport=X[1]))
        card.send(udp_frame(mold(seq, p), dst=Y[0], dport=Y[1]))
    card.run_until_idle()
    got0, got1 = rings[0].poll_all(), rings[1].poll_all()

    want0 = [x for n, (seq, p) in enumerate(packets)
             for x in filtered_ticks(seq, p, [f0.takes(m) for m in p], new_session=n == 0, feed=1)]
    want1 = [x for n, (seq, p) in enumerate(packets) for x in packet_ticks(seq, p, new_session=n == 0, feed=2)]
    assert_ticks(got1, want1)
    assert_ticks(got0, want0)

    taken = [m for m in msgs if f0.takes(m)]
    lost = len(msgs) - len(taken)
    # the traffic exercised what the test claims: every type reached ring 1; S R H taken at
    # unsubscribed locates; each order-book type both taken and dropped; the rest all dropped;
    # frames ending with a dropped message, and frames dropped whole
    assert {t.msg_type for t in got1 if t.is_message} == set(ITCH_TYPES)
    assert {chr(m[0]) for m in taken if locate_of(m) not in subscribed} == set("SRH")
    assert {chr(m[0]) for m in taken if locate_of(m) in subscribed} == set("SRH" + ORDER_BOOK)
    assert {t.msg_type for t in got0 if t.is_message} == set("SRH" + ORDER_BOOK)
    assert sum(t.is_verdict for t in got0) > 5
    assert sum(not any(f0.takes(m) for m in p) for _, p in packets) > 5
    P = len(packets)
    assert card.flow_hits()[:3] == [P, P, 0]
    assert delta(card.counters(), c0) == {
        "rx_frames": 2 * P, "rx_accepted": 2 * P, "mold_pkts": 2 * P, "mold_msgs": 2 * len(msgs),
        "mold_sessions": 2, "itch_filtered": lost, "dma_writes": len(got0) + len(got1)}
    assert [t.seq for t in got0 if t.is_message] == [s + j for s, p in packets for j, m in enumerate(p) if f0.takes(m)]


# ---------------------------------------------------------------- 2. the bitmap's edges

DESTS = [(f"233.54.12.{10 + r}", 26400) for r in range(4)]
PROBE = [0, 1, 30, 31, 32, 33, 63, 64, 65, 65503, 65504, 65534, 65535]


def test_locate_bitmap_edges_and_incremental_words(make_card):
    """Ring 0 checks A against its bitmap ({0, 31, 32, 65535} at first); a probe packet, an A at
    each of 0, 1, 30, 31, 32, 33, 63, 64, 65, 65503, 65504, 65534, 65535 then a D (not
    locate-checked: always taken), is sent after each change and must deliver exactly the A's at
    the locates set. Changes: write_locate_words of one word after set_itch_filter (subscribe 33;
    unsubscribe 32; subscribe 65534 in the last word), three words at once (LOCATE_DATA advancing
    the word), then LOCATE_ADDR naming rings the build lacks (CAPS.rings and above) with all-ones
    words: ignored, no implemented ring's bitmap changes (every ring probed), and the next write
    for ring 0 lands where LOCATE_ADDR says."""
    card = make_card(seed=7)
    rings = card.info["rings"]
    assert card.csr_read("CAPS.rings") == rings == 4
    ring = [card.open_ring(r, slots=256) for r in range(rings)]
    card.set_flow_table([{"dst_ip": ip, "dst_port": port, "action": {"ring": r, "feed": r, "line": 0}}
                         for r, (ip, port) in enumerate(DESTS)], "drop")
    state = {0: {0, 31, 32, 65535}, 1: {1}, 2: {2, 65534}, 3: {33}}
    for r in range(rings):
        Filter(loc_types=frozenset("A"), locates=frozenset(state[r])).apply(card, r)
    c0 = card.counters()
    card.start()
    seqs = [1] * rings
    seen = [0] * rings

    def probe(r):
        msgs = [itch_add(locate=loc, ref=loc + 1) for loc in PROBE] + [itch_delete(locate=1, ref=9)]
        f = Filter(loc_types=frozenset("A"), locates=frozenset(state[r]))
        before = card.counters()
        card.send(udp_frame(mold(seqs[r], msgs), dst=DESTS[r][0], dport=DESTS[r][1]))
        card.run_until_idle()
        got = ring[r].poll_all()
        take = [f.takes(m) for m in msgs]
        assert_ticks(got, filtered_ticks(seqs[r], msgs, take, new_session=seqs[r] == 1, feed=r),
                     first_valid=seen[r] + 1)
        assert [t.stock_locate for t in got if t.msg_type == "A"] == sorted(state[r] & set(PROBE)), r
        d = delta(card.counters(), before)
        assert (d.get("itch_filtered", 0), d["mold_msgs"]) == (take.count(False), len(msgs))
        seqs[r] += len(msgs)
        seen[r] += len(got)

    for r in range(rings):
        probe(r)
    # one word at a time, the host keeping the image (LOCATE_DATA reads 0)
    card.write_locate_words(0, 1, [0b11])                     # word 1 = {32, 33}: subscribe 33
    state[0] |= {33}
    probe(0)
    card.write_locate_words(0, 1, [0b10])                     # unsubscribe 32
    state[0] -= {32}
    probe(0)
    card.write_locate_words(0, 2047, [1 << 30 | 1 << 31])     # subscribe 65534 = 32 * 2047 + 30
    state[0] |= {65534}
    probe(0)
    assert card.csr_read("LOCATE_DATA") == 0
    # three words from word 0: LOCATE_DATA advances the word after each write
    card.write_locate_words(0, 0, [1 << 1 | 1 << 30, 0, 1 << 1])   # {1, 30}, {}, {65}
    state[0] = (state[0] - set(range(96))) | {1, 30, 65}
    probe(0)

    # LOCATE_ADDR naming a ring the build lacks: the writes go nowhere (a ring index cut to the
    # implemented bits would land on ring r % rings)
    assert card.csr_read("CAPS.rings") == rings
    for bad in list(range(rings, 2 * rings)) + [8, 16, 31]:
        card.csr_write("LOCATE_ADDR", bad << 11 | 0)
        for _ in range(3):
            card.csr_write("LOCATE_DATA", 0xFFFFFFFF)
        card.csr_write("LOCATE_ADDR", bad << 11 | 2047)
        card.csr_write("LOCATE_DATA", 0xFFFFFFFF)
    for r in range(rings):
        probe(r)
    # and the next address for an implemented ring is honoured
    card.csr_write("LOCATE_ADDR", 0 << 11 | 2047)
    card.csr_write("LOCATE_DATA", 1 << 31)                    # word 2047 = {65535}
    state[0] -= {65534}
    probe(0)
    card.write_locate_words(3, 1, [0b1])                      # ring 3: word 1 = {32} (33 gone)
    state[3] = {32}
    probe(3)
    assert card.csr_read("LOCATE_DATA") == 0
    assert all(card.ring_status(r)["drops"] == 0 for r in range(rings))
    assert delta(card.counters(), c0)["mold_sessions"] == rings


# ---------------------------------------------------------------- 3. raw records

A1 = itch_add(locate=1, ref=1)                      # locate 1: never subscribed below
A7 = itch_add(locate=7, ref=7)                      # locate 7: subscribed
A_SHORT = itch_add(locate=1, ref=2)[:-1]            # A at 35 bytes: raw, ITCH_LEN_ERR
D_LONG = itch_delete(locate=1, ref=3) + b"\xaa\xbb\xcc\xdd"   # D at 23 bytes: raw, ITCH_LEN_ERR
UNK = b"z\x00\x01" + bytes(range(0x40, 0x51))       # type 'z', locate 1, 20 bytes: raw, ITCH_UNKNOWN
S1 = itch_system()


@pytest.mark.parametrize("axis", ["cut_through", "backpressure"])
def test_raw_records_pass_by_bit_23_alone(make_card, axis):
    """Bit 23 of ITCH_TYPES alone decides raw records: clear, they are dropped and counted in
    ITCH_FILTERED as well as ITCH_LEN_ERR / ITCH_UNKNOWN; set, they are delivered although their
    type letter (A, D) is locate-checked and their locate (1) is not in the bitmap, and although
    their letter's own bit is clear. With CTRL.drop_unknown an unknown type is dropped and counted
    in ITCH_UNKNOWN only, not ITCH_FILTERED; duplicates are not counted in ITCH_FILTERED."""
    card = _card(make_card, axis, seed=9)
    ring = card.open_ring(0, slots=64)
    assert (card.csr_read("RING[0].ITCH_TYPES"), card.csr_read("RING[0].LOCATE_TYPES")) == (0xFFFFFF, 0)
    card.start()
    msgs = [S1, A_SHORT, A1, UNK, A7, D_LONG]
    seq, first = 1, True
    n = 0

    def send(f, want_counts, dup_of=None):
        nonlocal seq, first, n
        before = card.counters()
        s = seq if dup_of is None else dup_of
        card.send(udp_frame(mold(s, msgs)))
        card.run_until_idle()
        got = ring.poll_all()
        if dup_of is None:
            want = filtered_ticks(s, msgs, [f.takes(m) for m in msgs], new_session=first)
        else:
            want = []
        assert_ticks(got, want, first_valid=n + 1)
        assert delta(card.counters(), before) == {
            "rx_frames": 1, "rx_accepted": 1, "flow_misses": 1, "mold_pkts": 1, "mold_msgs": len(msgs),
            **({"mold_sessions": 1} if first else {}), **({"dma_writes": len(got)} if got else {}), **want_counts}
        if dup_of is None:
            seq += len(msgs)
        first, n = False, n + len(got)
        return got

    # bit 23 clear: the three raw records dropped (A_SHORT, UNK, D_LONG), with A1 (locate 1)
    f = Filter(types=ALL - {RAW}, loc_types=frozenset("AD"), locates=frozenset({7}))
    f.apply(card, 0)
    assert card.csr_read("RING[0].ITCH_TYPES") == 0x7FFFFF
    got = send(f, {"itch_filtered": 4, "itch_len_err": 2, "itch_unknown": 1})
    assert [t.msg_type for t in got if t.is_message] == ["S", "A"] and got[-1].is_verdict
    # bit 23 set (by register name): the raw records are delivered, never looked up in the bitmap
    card.csr_write("RING[0].ITCH_TYPES", 0xFFFFFF)
    f = Filter(types=ALL, loc_types=frozenset("AD"), locates=frozenset({7}))
    got = send(f, {"itch_filtered": 1, "itch_len_err": 2, "itch_unknown": 1})
    assert [(t.msg_type, t.stock_locate, t.is_raw) for t in got if t.is_message] == [
        ("S", 0, False), ("A", 1, True), ("z", 1, True), ("A", 7, False), ("D", 1, True)]
    # only S and raw: a raw A or D passes by bit 23 although A's and D's bits are clear
    card.csr_write("RING[0].ITCH_TYPES", type_mask({"S", RAW}))
    card.csr_write("RING[0].LOCATE_TYPES", 0)
    f = Filter(types=frozenset({"S", RAW}))
    got = send(f, {"itch_filtered": 2, "itch_len_err": 2, "itch_unknown": 1})
    assert [(t.msg_type, t.is_raw) for t in got if t.is_message] == [("S", False), ("A", True), ("z", True),
                                                                     ("D", True)]
    assert got[-1].frame_end and not got[-1].is_verdict
    # drop_unknown with bit 23 clear: 'z' is dropped by drop_unknown (ITCH_UNKNOWN only), the
    # wrong lengths by the filter (ITCH_FILTERED), A1 and A7 by their clear bit
    card.set_drop_unknown(True)
    card.csr_write("RING[0].ITCH_TYPES", type_mask({"S"}))
    f = Filter(types=frozenset({"S"}))
    got = send(f, {"itch_filtered": 4, "itch_len_err": 2, "itch_unknown": 1})
    assert [t.msg_type for t in got if t.is_message] == ["S"]
    # the same packet again: every message a duplicate, nothing filtered, nothing counted twice
    send(f, {"seq_dups": len(msgs)}, dup_of=seq - len(msgs))


# ---------------------------------------------------------------- 4. FRAME_END and VERDICT

A5, A6, D9 = itch_add(locate=5, ref=5), itch_add(locate=6, ref=6), itch_delete(locate=9, ref=9)


@pytest.mark.parametrize("axis", list(AXES))
def test_frame_end_when_filters_drop_the_last_or_every_message(make_card, axis):
    """Ring 0 takes A only at locate 5 (A6 dropped; D and S not locate-checked). The record made
    on a frame's payload's last beat carries FRAME_END; when that beat's message was filtered and
    the frame made records before, a VERDICT record carries it; a frame that made no record makes
    none -- also when its every message is filtered. The sequencer's event record (new session,
    gap) is made on the header's last beat, before the messages: a frame of a new session or
    after a gap whose messages are all filtered is its event record then a VERDICT record. After
    a gap the first message carries GAP only if it has a record (not moved to the next one)."""
    card = _card(make_card, axis, seed=13)
    ring = card.open_ring(0, slots=128)
    f = Filter(loc_types=frozenset("A"), locates=frozenset({5}))
    f.apply(card, 0)
    c0 = card.counters()
    card.start()
    T = lambda p: [f.takes(m) for m in p]  # noqa: E731
    cases = [  # (seq, msgs, duplicates first, gap from, expected ticks)
        (1, [A6], 0, None, [session_tick(1), verdict_tick(False)]),                  # new session, all filtered
        (2, [A5, A6], 0, None, [msg_tick(2, A5), verdict_tick(False)]),              # last filtered
        (4, [A6, D9, A6], 0, None, [msg_tick(5, D9), verdict_tick(False)]),
        (7, [A6, A6], 0, None, []),                                                  # all filtered: nothing
        (9, [A6, S1], 0, None, [msg_tick(10, S1, END)]),                             # first filtered, last taken
        (11, [A5, A6, A6, A5], 0, None, [msg_tick(11, A5), msg_tick(14, A5, END)]),
        (20, [A6], 0, 15, [event_tick(20, gap_from=15), verdict_tick(False)]),       # gap, all filtered
        (30, [A6, A5], 0, 21, [event_tick(30, gap_from=21), msg_tick(31, A5, END)]),  # first filtered: no GAP flag
        (2, [A5, A6], 2, None, []),                                                  # duplicates: nothing
        (31, [A5, A6], 1, None, []),                                                 # a duplicate, then 32 filtered
        (33, [A6, A6, A6], 0, None, []),
        (40, [A5, A6], 0, 36, [event_tick(40, gap_from=36), msg_tick(40, A5, FLAG_GAP), verdict_tick(False)]),
    ]
    for seq, p, dups, gap_from, want in cases:
        # the expectation written out above agrees with the general rule
        assert filtered_ticks(seq, p, T(p), new_session=seq == 1, gap_from=gap_from, dups=dups) == want, seq
        card.send(udp_frame(mold(seq, p)))
    card.run_until_idle()
    got_all = ring.poll_all()
    assert_ticks(got_all, [x for *_, want in cases for x in want])
    filtered = sum(1 for _, p, dups, _, _ in cases for j, m in enumerate(p) if j >= dups and not f.takes(m))
    assert filtered == 16
    assert delta(card.counters(), c0) == {
        "rx_frames": len(cases), "rx_accepted": len(cases), "flow_misses": len(cases), "mold_pkts": len(cases),
        "mold_msgs": sum(len(p) for _, p, *_ in cases), "mold_sessions": 1, "seq_gaps": 3, "seq_dups": 3,
        "itch_filtered": filtered, "dma_writes": len(got_all)}


# ---------------------------------------------------------------- 5. reconfiguration under traffic

WORDS = (3, 4)                      # the bitmap words the traffic's locates mostly fall in
POOL = list(range(96, 160)) + [7, 1000, 65535]


def _changes(rng):
    """Ring 0's filter versions after each change, and how each change is made (a register write
    by name, or bitmap words through the driver). S is taken by every version (each frame's first
    message: every frame makes records)."""
    v0 = Filter(types=ALL, loc_types=frozenset(ORDER_BOOK + "Q"),
                locates=frozenset(rng.sample(range(96, 160), 32)) | {7})
    out = [(v0, None)]

    def types(v, letters):
        return (Filter(frozenset(letters), v.loc_types, v.locates),
                lambda c: c.csr_write("RING[0].ITCH_TYPES", type_mask(letters)))

    def loc_types(v, letters):
        return (Filter(v.types, frozenset(letters), v.locates),
                lambda c: c.csr_write("RING[0].LOCATE_TYPES", type_mask(letters)))

    def words(v, new):
        w = words_of(new, WORDS[0], len(WORDS))
        return Filter(v.types, v.loc_types, frozenset(new)), lambda c: c.write_locate_words(0, WORDS[0], w)

    v = v0
    steps = [
        lambda v: types(v, ALL - set("AFQ")),
        lambda v: words(v, (v.locates - set(rng.sample(sorted(v.locates & set(range(96, 160))), 12)))
                        | set(rng.sample(range(96, 160), 12))),
        lambda v: types(v, ALL - set("EX") - {RAW}),
        lambda v: loc_types(v, set(ORDER_BOOK + "QRH") - set("D")),
        lambda v: words(v, v.locates | set(range(128, 160))),          # word 4 all ones
        lambda v: types(v, ALL),
        lambda v: words(v, v.locates - set(range(96, 128))),           # word 3 empty
    ]
    for step in steps:
        v, how = step(v)
        out.append((v, how))
    return out


@dataclass
class Frame:
    index: int
    seq: int
    msgs: list = field(default_factory=list)


GUARD = 40     # clk cycles (~50 rx_clk beats) between a frame's last beat and a change it is wholly before


@pytest.mark.parametrize("seed", [51, 52, 53])
def test_filter_reconfiguration_under_traffic(make_card, seed):
    """A driver task streams packets (an S, then 8 to 16 messages of every type and raw ones, at
    locates mostly in bitmap words 3 and 4) back to back at 10 Gb/s while a second task changes
    ring 0's filters seven times: ITCH_TYPES and LOCATE_TYPES by register name, bitmap words 3-4
    through write_locate_words. Each change is made mid-frame: GUARD cycles after a frame's last
    beat. Checked, per change: every message of a frame that ended GUARD cycles before the change
    began follows the old filter, every message of a frame that began after the change returned
    follows the new one; a message of a frame in between follows one of the two, and per type
    and bitmap word the old setting never comes back once the new one has been seen. Every
    frame's ticks are exact for the messages it delivered (FRAME_END or VERDICT), and messages
    delivered + ITCH_FILTERED == messages sent."""
    rng, traffic = random.Random(seed), random.Random(seed + 1000)
    card = make_card(seed=seed, line_rate_bps=10_000_000_000)
    ring = card.open_ring(0, slots=4096)
    versions = _changes(rng)
    versions[0][0].apply(card, 0)
    c0 = card.counters()
    card.start()
    sim = card.async_sim()
    sent: list[Frame] = []
    windows = []   # per change: (frames < lo wholly before, frames >= hi wholly after)
    seq = 1

    def message():
        r = traffic.random()
        if r < 0.06:
            return itch_add(locate=traffic.choice(POOL), ref=traffic.getrandbits(32))[:-1]   # raw (length)
        if r < 0.09:
            return b"z" + struct.pack(">H", traffic.choice(POOL)) + bytes(17)                 # raw (unknown)
        return random_itch(traffic, traffic.choice(ITCH_TYPES), locate=traffic.choice(POOL))

    async def driver(stop):
        nonlocal seq
        while not stop.is_set:
            if card.stats()["frames_pending"] >= 2:
                await sim.cycles(8)
                continue
            f = Frame(len(sent), seq, [itch_system(ts=seq)] + [message() for _ in range(traffic.randint(8, 16))])
            card.send(udp_frame(mold(f.seq, f.msgs)))
            sent.append(f)
            seq += len(f.msgs)

    async def reconfigure(stop):
        for _, how in versions[1:]:
            await sim.cycles(rng.randrange(1500, 2500))
            target = card.stats()["frames_sent"] + 1
            await sim.until(lambda: card.stats()["frames_sent"] >= target, timeout=10_000)
            lo = card.stats()["frames_sent"]        # frames 0..lo-1 have had their last beat
            await sim.cycles(GUARD + rng.randrange(0, 40))
            how(card)
            # frame `frames_sent` may have begun before the change returned; the next ones not
            windows.append((lo, card.stats()["frames_sent"] + 1))
        await sim.cycles(2000)
        stop.set()

    got = [t for _, t in drive_and_monitor(sim, card, [ring], driver, reconfigure)]

    delivered = {t.seq for t in got if t.is_message}
    # every frame's ticks, exact, for the messages it delivered
    want = []
    for f in sent:
        want += filtered_ticks(f.seq, f.msgs, [f.seq + j in delivered for j in range(len(f.msgs))],
                               new_session=f.index == 0)
    assert_ticks(got, want)

    # which versions may judge each frame: wholly before change k -> version k-1 at most ...
    n = len(sent)
    allowed = []
    for f in sent:
        ks = [k for k in range(len(versions))
              if (k == 0 or f.index >= windows[k - 1][0]) and (k == len(windows) or f.index < windows[k][1])]
        allowed.append(ks)
    strict = in_flight = 0
    flips = {}      # (change, key) -> the versions seen, in stream order
    for f in sent:
        ks = allowed[f.index]
        for j, m in enumerate(f.msgs):
            took = f.seq + j in delivered
            fates = {k: versions[k][0].takes(m) for k in ks}
            assert took in fates.values(), \
                f"frame {f.index} msg {j} ({chr(m[0])} locate {locate_of(m)}, raw {not decodable(m)}): " \
                f"{'taken' if took else 'dropped'}, versions {ks} say {fates}"
            if len(set(fates.values())) == 1:
                strict += len(ks) == 1
                continue
            in_flight += 1
            key = ("raw" if not decodable(m) else chr(m[0]), locate_of(m) // 32)
            for k in ks[1:]:   # the change from k-1 to k, if this message tells them apart
                if versions[k - 1][0].takes(m) != versions[k][0].takes(m) and {k - 1, k} <= set(ks):
                    flips.setdefault((k, key), []).append(k if took == versions[k][0].takes(m) else k - 1)
    for (k, key), seen in flips.items():
        assert seen == sorted(seen), f"change {k}, {key}: the old setting came back: {seen}"

    # the counters add up: every message was delivered or filtered
    msgs = sum(len(f.msgs) for f in sent)
    c = card.counters()
    d = {k: c[k] - c0[k] for k in c}
    raw_len = sum(1 for f in sent for m in f.msgs if not decodable(m) and chr(m[0]) == "A")
    raw_unk = sum(1 for f in sent for m in f.msgs if chr(m[0]) == "z")
    assert len(delivered) + d["itch_filtered"] == msgs == d["mold_msgs"]
    assert (d["itch_len_err"], d["itch_unknown"], d["seq_dups"], d["seq_gaps"]) == (raw_len, raw_unk, 0, 0)
    assert (d["mold_pkts"], d["rx_frames"], d["dma_writes"]) == (n, n, len(got))
    assert ring.close()["drops"] == 0
    # the scenario exercised what it claims: every change crossed traffic, frames were wholly
    # before and after each, and messages in flight told old and new apart
    assert len(windows) == len(versions) - 1
    assert all(0 < lo < hi < n for lo, hi in windows)
    assert strict > 1000 and in_flight > 0, (strict, in_flight)
