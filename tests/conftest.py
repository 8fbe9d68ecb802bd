# SPDX-License-Identifier: Apache-2.0
"""Shared helpers for the scenario tests (tests/test_sim_*.py) that drive the simulated card
through the Python module tickwire_sim (built by scripts/setup-python-module.sh).

Frames are built here with scapy, and MoldUDP64 / ITCH 5.0 are encoded here with struct from the
specifications' offsets: independently of the Rust encoders the card is tested against. The
decoded fields a tick must carry are those of `itchfeed` (PyPI), an ITCH 5.0 decoder written
elsewhere, under the specification's names (ITCH50.md).
"""
import struct
import sys

import pytest
from itch.messages import messages as ITCHFEED

# The test modules import these helpers as `tw_scenario`: a name no other conftest.py in the tree
# (each imported as plain `conftest`) can shadow.
sys.modules["tw_scenario"] = sys.modules[__name__]

SESSION = b"PYSCENE001"
RAW_MAX = 41  # message bytes a raw record holds (hdl/regs/tick.toml, layout v4: wire bytes 0..40)
# flag bits, u16 (hdl/regs/tick.toml)
(FLAG_TRUNCATED, FLAG_EVENT, FLAG_LOSS, FLAG_FRAME_END, FLAG_FRAME_BAD, FLAG_VERDICT, FLAG_GAP, FLAG_LATE, FLAG_RAW,
 FLAG_LINE_B) = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
# event bits of an event record (hdl/regs/tick.toml)
EVENT_NEW_SESSION, EVENT_GAP, EVENT_END_OF_SESSION = 1, 2, 4
END = FLAG_FRAME_END                      # the last record of a good frame
BAD = FLAG_FRAME_END | FLAG_FRAME_BAD     # the last record of a bad frame (cut-through mode)

SRC_MAC, DST_MAC = "02:00:54:57:00:01", "01:00:5e:36:0c:6f"
SRC_IP, DST_IP = "192.0.2.10", "233.54.12.111"
SPORT, DPORT = 40000, 26477


@pytest.fixture(scope="session")
def tw():
    """The tickwire_sim module; a clear failure (not a skip) when it was not built."""
    try:
        import tickwire_sim
    except ImportError as e:  # pragma: no cover - set-up problem
        pytest.fail(f"tickwire_sim is not importable ({e}): run scripts/setup-python-module.sh (make setup)")
    return tickwire_sim


@pytest.fixture
def make_card(tw):
    """make_card(seed=..., **SimConfig knobs) -> a fresh card; every card is checked for IOMMU
    violations at the end of the test."""
    cards = []

    def make(seed=1, **kw):
        c = tw.Card(seed=seed, **kw)
        cards.append(c)
        return c

    yield make
    for c in cards:
        assert c.violations() == [], "DMA writes outside every mapped window"


@pytest.fixture
def card(make_card):
    return make_card()


# ---------------------------------------------------------------- encoders (from the specs)

def mold(seq, msgs, session=SESSION, count=None):
    """A MoldUDP64 downstream packet: session(10) seq(8) count(2), then (len(2), message) blocks."""
    body = b"".join(struct.pack(">H", len(m)) + m for m in msgs)
    return struct.pack(">10sQH", session, seq, len(msgs) if count is None else count) + body


def itch_add(locate=1, ref=1, side=b"B", shares=100, stock=b"AAPL", price=1_000_000, ts=34_200_000_000_000, tracking=0):
    """ITCH 5.0 'A' Add Order (36 bytes)."""
    return (b"A" + struct.pack(">HH", locate, tracking) + ts.to_bytes(6, "big")
            + struct.pack(">QcI8sI", ref, side, shares, stock.ljust(8), price))


def itch_delete(locate=1, ref=1, ts=34_200_000_000_001):
    """ITCH 5.0 'D' Order Delete (19 bytes)."""
    return b"D" + struct.pack(">HH", locate, 0) + ts.to_bytes(6, "big") + struct.pack(">Q", ref)


def itch_system(code=b"O", ts=1):
    """ITCH 5.0 'S' System Event (12 bytes)."""
    return b"S" + struct.pack(">HH", 0, 0) + ts.to_bytes(6, "big") + code


# ITCH 5.0 message types: (name, size, kind) of each field after the common 11-byte header, in
# wire order (ITCH50.md); kind: "i" integer, "p" price (an integer: 4 implied decimals, 8 for V),
# "a" alpha (ASCII, left-justified, space-padded)
ITCH_SPECS = {
    "S": [("event_code", 1, "a")],
    "R": [("stock", 8, "a"), ("market_category", 1, "a"), ("financial_status_indicator", 1, "a"),
          ("round_lot_size", 4, "i"), ("round_lots_only", 1, "a"), ("issue_classification", 1, "a"),
          ("issue_sub_type", 2, "a"), ("authenticity", 1, "a"), ("short_sale_threshold_indicator", 1, "a"),
          ("ipo_flag", 1, "a"), ("luld_reference_price_tier", 1, "a"), ("etp_flag", 1, "a"),
          ("etp_leverage_factor", 4, "i"), ("inverse_indicator", 1, "a")],
    "H": [("stock", 8, "a"), ("trading_state", 1, "a"), ("reserved", 1, "a"), ("reason", 4, "a")],
    "Y": [("stock", 8, "a"), ("reg_sho_action", 1, "a")],
    "L": [("mpid", 4, "a"), ("stock", 8, "a"), ("primary_market_maker", 1, "a"), ("market_maker_mode", 1, "a"),
          ("market_participant_state", 1, "a")],
    "V": [("level1", 8, "p"), ("level2", 8, "p"), ("level3", 8, "p")],
    "W": [("breached_level", 1, "a")],
    "K": [("stock", 8, "a"), ("ipo_quotation_release_time", 4, "i"), ("ipo_quotation_release_qualifier", 1, "a"),
          ("ipo_price", 4, "p")],
    "J": [("stock", 8, "a"), ("auction_collar_reference_price", 4, "p"), ("upper_auction_collar_price", 4, "p"),
          ("lower_auction_collar_price", 4, "p"), ("auction_collar_extension", 4, "i")],
    "h": [("stock", 8, "a"), ("market_code", 1, "a"), ("operational_halt_action", 1, "a")],
    "A": [("order_reference_number", 8, "i"), ("buy_sell_indicator", 1, "a"), ("shares", 4, "i"),
          ("stock", 8, "a"), ("price", 4, "p")],
    "F": [("order_reference_number", 8, "i"), ("buy_sell_indicator", 1, "a"), ("shares", 4, "i"),
          ("stock", 8, "a"), ("price", 4, "p"), ("attribution", 4, "a")],
    "E": [("order_reference_number", 8, "i"), ("executed_shares", 4, "i"), ("match_number", 8, "i")],
    "C": [("order_reference_number", 8, "i"), ("executed_shares", 4, "i"), ("match_number", 8, "i"),
          ("printable", 1, "a"), ("execution_price", 4, "p")],
    "X": [("order_reference_number", 8, "i"), ("cancelled_shares", 4, "i")],
    "D": [("order_reference_number", 8, "i")],
    "U": [("original_order_reference_number", 8, "i"), ("new_order_reference_number", 8, "i"),
          ("shares", 4, "i"), ("price", 4, "p")],
    "P": [("order_reference_number", 8, "i"), ("buy_sell_indicator", 1, "a"), ("shares", 4, "i"),
          ("stock", 8, "a"), ("price", 4, "p"), ("match_number", 8, "i")],
    "Q": [("shares", 8, "i"), ("stock", 8, "a"), ("cross_price", 4, "p"), ("match_number", 8, "i"),
          ("cross_type", 1, "a")],
    "B": [("match_number", 8, "i")],
    "I": [("paired_shares", 8, "i"), ("imbalance_shares", 8, "i"), ("imbalance_direction", 1, "a"),
          ("stock", 8, "a"), ("far_price", 4, "p"), ("near_price", 4, "p"), ("current_reference_price", 4, "p"),
          ("cross_type", 1, "a"), ("price_variation_indicator", 1, "a")],
    "N": [("stock", 8, "a"), ("interest_flag", 1, "a")],
    "O": [("stock", 8, "a"), ("open_eligibility_status", 1, "a"), ("minimum_allowable_price", 4, "p"),
          ("maximum_allowable_price", 4, "p"), ("near_execution_price", 4, "p"), ("near_execution_time", 8, "i"),
          ("lower_price_range_collar", 4, "p"), ("upper_price_range_collar", 4, "p")],
}
ITCH_TYPES = "SRHYLVWKJhAFECXDUPQBINO"
# each type's fixed length (ITCH50.md)
ITCH_LENGTHS = {"S": 12, "R": 39, "H": 25, "Y": 20, "L": 26, "V": 35, "W": 12, "K": 28, "J": 35, "h": 21, "A": 36,
                "F": 40, "E": 31, "C": 36, "X": 23, "D": 19, "U": 35, "P": 44, "Q": 40, "B": 19, "I": 50, "N": 20,
                "O": 48}
assert set(ITCH_SPECS) == set(ITCH_LENGTHS) == set(ITCH_TYPES) and all(
    11 + sum(n for _, n, _ in ITCH_SPECS[t]) == ITCH_LENGTHS[t] for t in ITCH_TYPES)
# what a tick does not carry (docs/tick-format.md): the tracking number; stock of P, I and O
NOT_CARRIED = {"P": {"stock"}, "I": {"stock"}, "O": {"stock"}}

from itchfeed_names import RENAME  # noqa: E402  (tests/ is on sys.path: rootdir conftest)


def theirs(msg):
    """itchfeed's fields of one message (stock_locate, tracking_number, timestamp and the type's
    fields) under the specification's names: alphanumeric fields as text, trailing spaces removed
    when longer than one character; integers and prices as the raw integers."""
    m = ITCHFEED[msg[:1]](msg)
    t = msg[:1].decode()
    out = {}
    for k, v in vars(m).items():
        if isinstance(v, bytes):
            v = v.decode("ascii")
            v = v.rstrip(" ") if len(v) > 1 else v
        out[RENAME.get((t, k), k)] = v
    return out


def decodable(msg):
    """The card decodes a message of one of the 23 types at exactly its type's length."""
    t = chr(msg[0]) if msg else ""
    return t in ITCH_LENGTHS and len(msg) == ITCH_LENGTHS[t]


def carried_fields(msg):
    """The decoded fields a tick carries for a message the card decodes (Tick.decoded()):
    itchfeed's, less the tracking number and, for P, I and O, the stock."""
    d = theirs(msg)
    del d["tracking_number"]
    for k in NOT_CARRIED.get(chr(msg[0]), ()):
        del d[k]
    return d


def raw_bytes(msg):
    """What a raw record holds of a message (Tick.raw_message): its first RAW_MAX bytes, the
    tracking number (wire bytes 3..4, not carried) as zero."""
    return (msg[0:3] + b"\0\0" + msg[5:RAW_MAX])[:len(msg)]


def itch_message(t, locate=0, tracking=0, ts=0, **values):
    """An ITCH 5.0 message of type t from the field values (alpha as str or bytes, padded with
    spaces; the others as integers); missing fields are zero (alpha: spaces)."""
    body = b""
    for name, size, kind in ITCH_SPECS[t]:
        v = values.pop(name, None)
        if kind == "a":
            v = (v.encode() if isinstance(v, str) else (v or b"")).ljust(size, b" ")
            assert len(v) == size, (t, name, v)
            body += v
        else:
            body += (v or 0).to_bytes(size, "big")
    assert not values, f"{t} has no field {sorted(values)}"
    return t.encode() + struct.pack(">HH", locate, tracking) + ts.to_bytes(6, "big") + body


def random_values(rng, t):
    """Random values for every field of type t (alpha: 1..size capital letters, so the text a
    decoder reports is the value itself)."""
    values = {}
    for name, size, kind in ITCH_SPECS[t]:
        if kind == "a":
            values[name] = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(1, size)))
        else:
            values[name] = rng.getrandbits(8 * size)
    return values


def random_itch(rng, t, locate=None, tracking=None, ts=None):
    """A message of type t with random field values (random_values) and header."""
    values = random_values(rng, t)
    return itch_message(t, rng.randint(0, 65535) if locate is None else locate,
                        rng.randint(0, 65535) if tracking is None else tracking,
                        rng.getrandbits(47) if ts is None else ts, **values)


def udp_frame(payload, vlan=None, sport=SPORT, dport=DPORT, dst=DST_IP, src=SRC_IP, udp=None, **ip):
    """A scapy Ether/[Dot1Q]/IP/UDP/payload packet; `udp` = extra UDP fields (chksum=, len=),
    `ip` = extra IP fields."""
    from scapy.all import Dot1Q, Ether, IP, UDP, Raw

    eth = Ether(src=SRC_MAC, dst=DST_MAC)
    if vlan is not None:
        eth = eth / Dot1Q(vlan=vlan)
    return eth / IP(src=src, dst=dst, ttl=32, **ip) / UDP(sport=sport, dport=dport, **(udp or {})) / Raw(payload)


def capture_packets(path):
    """The MoldUDP64 packets of a pcap capture, one per frame, as (sequence number, [message
    bytes]): read with scapy and struct from the specification's offsets, independently of the
    Rust decoders. Checks that each packet's message_count agrees with its blocks."""
    from scapy.all import UDP, rdpcap

    out = []
    for f in rdpcap(str(path)):
        pl = bytes(f[UDP].payload)
        seq, count = struct.unpack(">QH", pl[10:20])
        msgs, pos = [], 20
        while pos + 2 <= len(pl):
            n = struct.unpack(">H", pl[pos:pos + 2])[0]
            msgs.append(pl[pos + 2:pos + 2 + n])
            pos += 2 + n
        assert count in (len(msgs), 0xFFFF) or (count == 0 and not msgs), (seq, count, len(msgs))
        out.append((seq, msgs))
    return out


def pad60(b):
    """What a MAC hands over: at least 60 bytes (64 with the FCS it strips)."""
    b = bytes(b)
    return b + bytes(max(0, 60 - len(b)))


# ---------------------------------------------------------------- expectations

def msg_tick(seq, msg, flags=0, feed=0, line=0):
    """The fields a message tick must carry (rx_ts_ns aside). A new Card delivers everything as
    feed 0, line A (deliver_all(0)). A message of one of the 23 types at its type's length is
    decoded: its fields as itchfeed reads them (carried_fields); any other is delivered raw
    (flag RAW, TRUNCATED past RAW_MAX bytes) with its bytes (raw_bytes) and no fields."""
    if line:
        flags |= FLAG_LINE_B
    fields = raw = None
    if decodable(msg):
        fields = carried_fields(msg)
    else:
        flags |= FLAG_RAW | (FLAG_TRUNCATED if len(msg) > RAW_MAX else 0)
        raw = raw_bytes(msg)
    return {"seq": seq, "msg_len": len(msg), "flags": flags, "line": line, "feed": feed, "msg_type": chr(msg[0]),
            "fields": fields, "raw": raw, "session": None, "event": 0, "gap": None}


def event_tick(seq, session=SESSION, new_session=False, gap_from=None, eos=False, flags=0, feed=0, line=0):
    """A feed sequencer event record: a new session, a gap (messages gap_from..seq lost on every
    line), an end of session, or several at once."""
    gap = gap_from is not None
    ev = (EVENT_NEW_SESSION if new_session else 0) | (EVENT_GAP if gap else 0) | (EVENT_END_OF_SESSION if eos else 0)
    flags |= FLAG_EVENT | (FLAG_GAP if gap else 0) | (FLAG_LINE_B if line else 0)
    return {"seq": seq, "msg_len": 0, "flags": flags, "line": line, "feed": feed, "msg_type": None, "fields": None,
            "raw": None, "session": session, "event": ev, "gap": (gap_from, seq) if gap else None}


def session_tick(seq, session=SESSION, flags=0, feed=0, line=0):
    """The event record of a feed's new session."""
    return event_tick(seq, session, new_session=True, flags=flags, feed=feed, line=line)


def verdict_tick(bad, feed=0, line=0):
    """A VERDICT record: no message, FRAME_END (and FRAME_BAD) for a frame whose last payload beat
    completed no record."""
    flags = FLAG_VERDICT | (BAD if bad else END) | (FLAG_LINE_B if line else 0)
    return {"seq": 0, "msg_len": 0, "flags": flags, "line": line, "feed": feed, "msg_type": None, "fields": None,
            "raw": None, "session": None, "event": 0, "gap": None}


def packet_ticks(seq, msgs, new_session=False, session=SESSION, feed=0, line=0, gap_from=None, dups=0):
    """The ticks of a good frame whose UDP payload is exactly mold(seq, msgs, session): an event
    record when the feed's session is new or messages gap_from..seq were lost, then one tick per
    message but the first `dups` (already delivered: duplicates), the first flagged GAP after a
    gap; the record made on the payload's last beat (the last message's, which ends with the
    payload; for a heartbeat the event record, whose last byte is payload byte 19, the
    heartbeat's last) carries FRAME_END. A heartbeat of the session in force with no gap makes
    no record, hence no verdict record either."""
    out = []
    if new_session or gap_from is not None:
        out.append(event_tick(seq, session, new_session=new_session, gap_from=gap_from, feed=feed, line=line))
    out += [msg_tick(seq + i, m, feed=feed, line=line, flags=FLAG_GAP if (gap_from is not None and i == 0) else 0)
            for i, m in enumerate(msgs) if i >= dups]
    if out:
        out[-1]["flags"] |= FLAG_FRAME_END
    return out


def tick_fields(t):
    d = t.to_dict()
    del d["rx_ts_ns"], d["valid"]
    return d


def assert_ticks(ticks, expected, first_valid=1):
    """Exact comparison of every tick with the expected list (and the validity words)."""
    got = [tick_fields(t) for t in ticks]
    assert got == expected
    assert [t.valid for t in ticks] == list(range(first_valid, first_valid + len(ticks)))


def nonzero(counters):
    """The counters that are not 0 (what a scenario changed)."""
    return {k: v for k, v in counters.items() if v}


def delta(after, before):
    """Counter changes between two card.counters() snapshots, only those that changed."""
    return {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}


def verdict_gate(ticks):
    """What a host does with a ring's ticks in cut-through mode (docs: hdl/regs/tick.toml flags):
    hold each frame's records until the one with FRAME_END; deliver them if it is good, discard
    them all if it carries FRAME_BAD; never deliver VERDICT records; a LOSS flag while a frame is
    open discards the open frame (its verdict may have been lost). Returns (delivered, bad_frames)."""
    out, pending, bad = [], [], 0
    for t in ticks:
        if t.loss_before and pending:
            pending = []
        pending.append(t)
        if not t.frame_end:
            continue
        if t.frame_bad:
            bad += 1
        else:
            out += [p for p in pending if not p.is_verdict]
        pending = []
    return out, bad


def drive_and_monitor(sim, card, rings, *tasks):
    """cocotb style on the simulated card: start `tasks` (coroutine functions taking the stop
    event; one of them sets it when its work is done) beside a monitor that polls `rings` every
    200 cycles; once stop is set and the card is idle, drain the rings and return every tick as
    (ring index, tick), in arrival order per ring."""
    async def monitor(stop):
        got = []
        while True:
            quiet = stop.is_set and card.is_idle()
            for r in rings:
                got += [(r.index, t) for t in r.poll_all()]
            if quiet:
                return got
            await sim.cycles(200)

    async def main():
        stop = sim.event()
        for task in tasks:
            sim.start_soon(task(stop))
        return await sim.start_soon(monitor(stop))

    got = sim.run(main())
    card.run_until_idle()
    for r in rings:
        got += [(r.index, t) for t in r.poll_all()]
    return got
