# SPDX-License-Identifier: Apache-2.0
"""Shared helpers for the scenario tests (tests/test_sim_*.py) that drive the simulated card
through the Python module tickwire_sim (built by scripts/setup-python-module.sh).

Frames are built here with scapy, and MoldUDP64 / ITCH 5.0 are encoded here with struct from the
specifications' offsets: independently of the Rust encoders the card is tested against.
"""
import struct
import sys

import pytest

# The test modules import these helpers as `tw_scenario`: a name no other conftest.py in the tree
# (each imported as plain `conftest`) can shadow.
sys.modules["tw_scenario"] = sys.modules[__name__]

SESSION = b"PYSCENE001"
CAP = 36  # message bytes a tick carries (hdl/regs/tick.toml, layout v3: data is 36 bytes)
# flag bits (hdl/regs/tick.toml)
FLAG_TRUNCATED, FLAG_EVENT, FLAG_LOSS, FLAG_FRAME_END, FLAG_FRAME_BAD, FLAG_VERDICT, FLAG_GAP, FLAG_LATE = (
    1, 2, 4, 8, 16, 32, 64, 128)
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
    feed 0, line A (deliver_all(0))."""
    if len(msg) > CAP:
        flags |= FLAG_TRUNCATED
    return {"seq": seq, "msg_len": len(msg), "flags": flags, "line": line, "feed": feed, "message": msg[:CAP],
            "session": None, "event": 0, "gap": None}


def event_tick(seq, session=SESSION, new_session=False, gap_from=None, eos=False, flags=0, feed=0, line=0):
    """A feed sequencer event record: a new session, a gap (messages gap_from..seq lost on every
    line), an end of session, or several at once."""
    gap = gap_from is not None
    ev = (EVENT_NEW_SESSION if new_session else 0) | (EVENT_GAP if gap else 0) | (EVENT_END_OF_SESSION if eos else 0)
    return {"seq": seq, "msg_len": 0, "flags": flags | FLAG_EVENT | (FLAG_GAP if gap else 0), "line": line,
            "feed": feed, "message": b"", "session": session, "event": ev, "gap": (gap_from, seq) if gap else None}


def session_tick(seq, session=SESSION, flags=0, feed=0, line=0):
    """The event record of a feed's new session."""
    return event_tick(seq, session, new_session=True, flags=flags, feed=feed, line=line)


def verdict_tick(bad, feed=0, line=0):
    """A VERDICT record: no message, FRAME_END (and FRAME_BAD) for a frame whose last payload beat
    completed no record."""
    return {"seq": 0, "msg_len": 0, "flags": FLAG_VERDICT | (BAD if bad else END), "line": line, "feed": feed,
            "message": b"", "session": None, "event": 0, "gap": None}


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
