# SPDX-License-Identifier: Apache-2.0
"""Cross-layer test: a capture built independently in Python (scapy frames, MoldUDP64 and ITCH 5.0
encoded here with struct from the specification's offsets) goes through `tickwire replay --jsonl`:
the simulated RTL, the Rust driver and the Rust ITCH decoder. Every tick must come back with the
documented keys and the values this file put in.
"""
import json
import os
import random
import struct
import subprocess
from pathlib import Path

import pytest
from scapy.all import Dot1Q, Ether, IP, UDP, Raw, wrpcap, wrpcapng

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / "target/release/tickwire"

# (type, [(field, size, kind)]) after the common header; kind: i = integer, a = alpha (ITCH 5.0)
SPECS = {
    "S": [("event_code", 1, "a")],
    "R": [("stock", 8, "a"), ("market_category", 1, "a"), ("financial_status_indicator", 1, "a"),
          ("round_lot_size", 4, "i"), ("round_lots_only", 1, "a"), ("issue_classification", 1, "a"),
          ("issue_sub_type", 2, "a"), ("authenticity", 1, "a"), ("short_sale_threshold_indicator", 1, "a"),
          ("ipo_flag", 1, "a"), ("luld_reference_price_tier", 1, "a"), ("etp_flag", 1, "a"),
          ("etp_leverage_factor", 4, "i"), ("inverse_indicator", 1, "a")],
    "A": [("order_reference_number", 8, "i"), ("buy_sell_indicator", 1, "a"), ("shares", 4, "i"),
          ("stock", 8, "a"), ("price", 4, "i")],
    "F": [("order_reference_number", 8, "i"), ("buy_sell_indicator", 1, "a"), ("shares", 4, "i"),
          ("stock", 8, "a"), ("price", 4, "i"), ("attribution", 4, "a")],
    "E": [("order_reference_number", 8, "i"), ("executed_shares", 4, "i"), ("match_number", 8, "i")],
    "C": [("order_reference_number", 8, "i"), ("executed_shares", 4, "i"), ("match_number", 8, "i"),
          ("printable", 1, "a"), ("execution_price", 4, "i")],
    "X": [("order_reference_number", 8, "i"), ("cancelled_shares", 4, "i")],
    "D": [("order_reference_number", 8, "i")],
    "U": [("original_order_reference_number", 8, "i"), ("new_order_reference_number", 8, "i"),
          ("shares", 4, "i"), ("price", 4, "i")],
    "P": [("order_reference_number", 8, "i"), ("buy_sell_indicator", 1, "a"), ("shares", 4, "i"),
          ("stock", 8, "a"), ("price", 4, "i"), ("match_number", 8, "i")],
    "B": [("match_number", 8, "i")],
}
LENGTHS = {"S": 12, "R": 39, "A": 36, "F": 40, "E": 31, "C": 36, "X": 23, "D": 19, "U": 35, "P": 44, "B": 19}
CAP = 40


def encode(rng, t, locate, tracking, ts):
    """One message and the field values a decoder must report."""
    body, fields = b"", {}
    for name, size, kind in SPECS[t]:
        if kind == "i":
            v = rng.getrandbits(8 * size)
            body += v.to_bytes(size, "big")
        else:
            v = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(1, size)))
            body += v.encode().ljust(size, b" ")
        fields[name] = v
    msg = t.encode() + struct.pack(">HH", locate, tracking) + ts.to_bytes(6, "big") + body
    assert len(msg) == LENGTHS[t], t
    return msg, fields


def build_capture(path, pcapng, seed):
    rng = random.Random(seed)
    session, seq = b"PYTEST0001", 77
    frames, expect = [], []
    for i in range(40):
        msgs = []
        for _ in range(rng.randint(1, 12)):
            t = rng.choice(list(SPECS))
            locate, tracking, ts = rng.randint(0, 65535), rng.randint(0, 65535), rng.getrandbits(47)
            msg, fields = encode(rng, t, locate, tracking, ts)
            msgs.append(msg)
            expect.append(dict(seq=seq + len(msgs) - 1, session=session.decode(), message_type=t, stock_locate=locate,
                               tracking_number=tracking, timestamp=ts, msg_len=len(msg), fields=fields,
                               bytes=msg[:CAP].hex()))
        payload = session + struct.pack(">QH", seq, len(msgs)) + b"".join(struct.pack(">H", len(m)) + m for m in msgs)
        seq += len(msgs)
        eth = Ether(dst="01:00:5e:36:0c:6f", src="02:00:00:00:00:01")
        l3 = IP(src="10.1.1.1", dst="233.54.12.111", ttl=8) / UDP(sport=40000, dport=26477) / Raw(payload)
        frames.append(eth / Dot1Q(vlan=300) / l3 if i % 2 else eth / l3)
    # a frame that is not MoldUDP64 traffic at all: counted and dropped
    frames.insert(5, Ether() / IP(dst="10.0.0.9") / UDP(dport=53) / Raw(b"\x00" * 3))
    for n, f in enumerate(frames):
        f.time = 1_700_000_000 + n / 1000
    (wrpcapng if pcapng else wrpcap)(str(path), frames)
    return expect, len(frames)


@pytest.mark.parametrize("pcapng", [False, True], ids=["pcap", "pcapng"])
def test_replay_jsonl_matches_an_independent_encoder(tmp_path, pcapng):
    assert BIN.exists(), f"{BIN} missing: build it with `cargo build --release -p tickwired` (make test does)"
    cap = tmp_path / ("feed.pcapng" if pcapng else "feed.pcap")
    expect, nframes = build_capture(cap, pcapng, seed=5 + pcapng)
    out = subprocess.run([str(BIN), "replay", "--jsonl", str(cap)], capture_output=True, text=True, check=True,
                         timeout=600)
    lines = [json.loads(l) for l in out.stdout.splitlines()]
    ticks = [l for l in lines if l["kind"] == "tick"]
    stats = lines[-1]
    assert stats["kind"] == "stats" and len(ticks) == len(lines) - 1
    assert len(ticks) == len(expect)
    for got, want in zip(ticks, expect):
        for key in ("ring", "seq", "session", "rx_ts_ns", "message_type", "stock_locate", "tracking_number",
                    "timestamp", "bytes"):
            assert key in got, (key, got)
        assert got["ring"] == 0
        for key in ("seq", "session", "message_type", "stock_locate", "tracking_number", "timestamp", "msg_len",
                    "bytes"):
            assert got[key] == want[key], (key, got, want)
        assert got["truncated"] == (want["msg_len"] > CAP)
        for name, v in want["fields"].items():
            end = 11 + sum(s for n, s, _ in SPECS[want["message_type"]][:[n for n, _, _ in SPECS[want["message_type"]]].index(name) + 1])
            if end > CAP:
                assert name in got.get("omitted_fields", []), (name, got)
                continue
            assert got[name] == v, (name, got, want)
    c = stats["counters"]
    assert stats["frames"] == nframes and c["rx_frames"] == nframes
    assert c["mold_msgs"] == len(expect) and c["mold_err"] == 1   # the 3-byte UDP payload is no MoldUDP64 packet
    assert stats["iommu_violations"] == 0 and stats["ring"]["drops"] == 0


def test_slow_consumer_losses_are_counted_and_flagged(tmp_path):
    """--consumer-delay with a small ring: whatever the timing, every message is either delivered
    or counted in ring_drops, and each gap in the delivered sequence is flagged on the next tick."""
    cap = tmp_path / "feed.pcap"
    subprocess.run([str(BIN), "gen", "--out", str(cap), "--messages", "3000", "--seed", "9"], check=True,
                   capture_output=True)
    out = subprocess.run([str(BIN), "replay", "--jsonl", "--ring-slots", "32", "--consumer-delay", "30us",
                          "--line-rate-gbps", "1", str(cap)], capture_output=True, text=True, check=True, timeout=600)
    lines = [json.loads(l) for l in out.stdout.splitlines()]
    ticks, stats = lines[:-1], lines[-1]
    assert stats["ring_drops"] > 0, "a 32-slot ring and a 30 us/tick consumer must overflow"
    # 3000 messages + 1 session record (the first tick: always delivered, not printed)
    assert len(ticks) + 1 + stats["ring_drops"] + stats["counters"]["tick_overflow"] == 3001
    expected_next = 1
    gaps = 0
    for t in ticks:
        if t["seq"] != expected_next:
            gaps += 1
            assert t["loss_before"], f"gap before seq {t['seq']} not flagged"
        else:
            assert not t["loss_before"], f"seq {t['seq']} flagged LOSS with nothing lost"
        expected_next = t["seq"] + 1
    assert stats["loss_flags"] == gaps
