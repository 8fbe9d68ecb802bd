# SPDX-License-Identifier: Apache-2.0
"""Cross-layer tests: captures built independently in Python (scapy frames, MoldUDP64 and ITCH 5.0
encoded here with struct from the specification's offsets) go through `tickwire replay --jsonl`:
the simulated RTL (which decodes ITCH 5.0), the Rust driver, its verdict gate and the JSON
writer. Every tick must come back with the documented keys and the values this file put in (or, for
messages built elsewhere, itchfeed reads: conftest.py); the flow table comes from the captures'
destinations (one feed each, line A; with --merge the second capture is line B) or
from --config (host/tickwired/src/config.rs).
"""
import json
import random
import struct
import subprocess
from pathlib import Path

import pytest
from scapy.all import Dot1Q, Ether, IP, UDP, Raw, wrpcap, wrpcapng

from tw_scenario import (
    ITCH_TYPES, NOT_CARRIED, RAW_MAX, capture_packets, carried_fields, itch_add, itch_delete, itch_message, mold,
    random_values, raw_bytes, udp_frame,
)

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / "target/release/tickwire"


def replay(*args, check=True):
    """Run `tickwire replay --jsonl ARGS`; (ticks, stats) or, with check=False, the process. The
    event lines (new session, gap, end of session) are in stats["events"], in output order."""
    assert BIN.exists(), f"{BIN} missing: build it with `cargo build --release -p tickwired` (make test does)"
    out = subprocess.run([str(BIN), "replay", "--jsonl", *map(str, args)], capture_output=True, text=True,
                         check=False, timeout=600)
    if not check:
        return out
    assert out.returncode == 0, out.stderr
    lines = [json.loads(l) for l in out.stdout.splitlines()]
    assert lines and lines[-1]["kind"] == "stats"
    assert all(l["kind"] in ("tick", "event") for l in lines[:-1])
    stats = lines[-1]
    stats["events"] = [l for l in lines[:-1] if l["kind"] == "event"]
    return [l for l in lines[:-1] if l["kind"] == "tick"], stats

# The keys every tick object starts with, in this order (docs/replay-jsonl.md); then the ITCH
# fields (message_type, stock_locate, timestamp, the type's fields), and omitted_fields, or for a
# raw record decode_error and bytes.
RECORD_KEYS = ["kind", "ring", "seq", "session", "rx_ts_ns", "feed", "line", "msg_len", "raw", "truncated",
               "loss_before", "gap_before", "late", "recovered"]
NOT_ITCH = set(RECORD_KEYS) | {"omitted_fields", "decode_error", "bytes"}
LOCATES = range(1, 9)  # few: a P, I or O often names a locate an earlier R listed, sometimes not


def itch_keys(t):
    """The ITCH keys of a tick object."""
    return {k: v for k, v in t.items() if k not in NOT_ITCH}


def _bad_message(rng, locate, tracking, ts):
    """A message the card delivers raw: a known type one byte short or 1..30 bytes long, or a
    type byte that is none of the 23 (12..60 bytes). (message, counter it goes to)"""
    kind = rng.choice(["short", "long", "unknown"])
    if kind == "unknown":
        body = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 49)))
        return b"z" + struct.pack(">HH", locate, tracking) + ts.to_bytes(6, "big") + body, "itch_unknown"
    t = rng.choice(ITCH_TYPES)
    msg = itch_message(t, locate, tracking, ts, **random_values(rng, t))
    msg = msg[:-1] if kind == "short" else msg + bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 30)))
    return msg, "itch_len_err"


def build_capture(path, pcapng, seed):
    """40 packets of 1 to 12 messages of every type (random field values), a few of them not
    decodable; returns what each tick object must say, the frame count and the ITCH counters."""
    rng = random.Random(seed)
    session, seq = b"PYTEST0001", 77
    frames, expect = [], []
    directory = {}  # stock_locate -> stock from the R messages so far: how tickwire replay names P, I, O's stock
    bad = {"itch_unknown": 0, "itch_len_err": 0}
    for i in range(40):
        msgs = []
        for _ in range(rng.randint(1, 12)):
            locate, tracking, ts = rng.choice(LOCATES), rng.randint(0, 65535), rng.getrandbits(47)
            want = dict(seq=seq + len(msgs), session=session.decode(), omitted=[])
            if rng.random() < 0.06:
                msg, counter = _bad_message(rng, locate, tracking, ts)
                bad[counter] += 1
                want.update(raw=True, bytes=raw_bytes(msg).hex(),
                            itch=dict(message_type=chr(msg[0]), stock_locate=locate, timestamp=ts))
            else:
                t = rng.choice(ITCH_TYPES)
                values = random_values(rng, t)
                msg = itch_message(t, locate, tracking, ts, **values)
                if t == "R":
                    directory[locate] = values["stock"]
                if t in NOT_CARRIED:
                    if locate in directory:
                        values["stock"] = directory[locate]
                    else:
                        del values["stock"]
                        want["omitted"] = ["stock"]
                want.update(raw=False, itch=dict(message_type=t, stock_locate=locate, timestamp=ts, **values))
            want.update(msg_len=len(msg), truncated=want["raw"] and len(msg) > RAW_MAX)
            msgs.append(msg)
            expect.append(want)
        payload = session + struct.pack(">QH", seq, len(msgs)) + b"".join(struct.pack(">H", len(m)) + m for m in msgs)
        seq += len(msgs)
        eth = Ether(dst="01:00:5e:36:0c:6f", src="02:00:00:00:00:01")
        l3 = IP(src="10.1.1.1", dst="233.54.12.111", ttl=8) / UDP(sport=40000, dport=26477) / Raw(payload)
        frames.append(eth / Dot1Q(vlan=300) / l3 if i % 2 else eth / l3)
    # a frame that is not MoldUDP64 traffic at all: a second UDP destination (so a second feed,
    # ring 0), 45 bytes long as captured (no MAC padding in a capture): a runt whose headers are
    # valid, so accepted, and whose 3-byte payload is no MoldUDP64 packet (MOLD_ERR); no record
    frames.insert(5, Ether() / IP(dst="10.0.0.9") / UDP(dport=53) / Raw(b"\x00" * 3))
    for n, f in enumerate(frames):
        f.time = 1_700_000_000 + n / 1000
    (wrpcapng if pcapng else wrpcap)(str(path), frames)
    return expect, len(frames), bad


@pytest.mark.parametrize("pcapng", [False, True], ids=["pcap", "pcapng"])
def test_replay_jsonl_matches_an_independent_encoder(tmp_path, pcapng):
    """Every tick object has the documented keys in order and exactly the values the encoder
    here put in: every field of the 23 types (no tracking_number; the stock of P, I and O from
    the day's R messages, else listed in omitted_fields); messages of a wrong length or an
    unknown type raw, with their bytes, a decode_error, and counted."""
    cap = tmp_path / ("feed.pcapng" if pcapng else "feed.pcap")
    expect, nframes, bad = build_capture(cap, pcapng, seed=5 + pcapng)
    ticks, stats = replay(cap)
    assert len(ticks) == len(expect)
    for got, want in zip(ticks, expect):
        assert list(got)[:len(RECORD_KEYS)] == RECORD_KEYS, got
        assert (got["ring"], got["feed"], got["line"]) == (0, 0, "A")
        assert (got["seq"], got["session"], got["msg_len"], got["raw"], got["truncated"]) == (
            want["seq"], want["session"], want["msg_len"], want["raw"], want["truncated"]), (got, want)
        assert not (got["loss_before"] or got["gap_before"] or got["late"] or got["recovered"])
        assert "tracking_number" not in got
        assert itch_keys(got) == want["itch"], (got, want)
        assert got.get("omitted_fields", []) == want["omitted"], (got, want)
        if want["raw"]:
            assert got["bytes"] == want["bytes"] and got["decode_error"], (got, want)
        else:
            assert "bytes" not in got and "decode_error" not in got, got
    # the capture exercised what the test claims
    assert {w["itch"]["message_type"] for w in expect if not w["raw"]} == set(ITCH_TYPES)
    assert any(w["omitted"] for w in expect) and any(w["itch"]["message_type"] in NOT_CARRIED
                                                     and "stock" in w["itch"] for w in expect)
    assert all(bad.values()) and any(w["truncated"] for w in expect)
    c = stats["counters"]
    assert stats["frames"] == nframes and c["rx_frames"] == nframes == c["rx_accepted"]
    assert c["mold_msgs"] == stats["ticks"] == len(expect) and stats["event_records"] == 1
    assert (c["itch_unknown"], c["itch_len_err"]) == (bad["itch_unknown"], bad["itch_len_err"])
    assert [(e["seq"], e["new_session"], e["gap"], e["feed"]) for e in stats["events"]] == [(expect[0]["seq"], True, None, 0)]
    assert (c["rx_runt"], c["mold_err"], c["rx_bad_verdict"]) == (1, 1, 1)  # the 45-byte frame
    assert stats["rule_hits"] == [nframes - 1, 1] and (c["flow_misses"], c["flow_drops"]) == (0, 0)
    assert (stats["frames_bad"], stats["ticks_discarded_bad"], stats["ticks_discarded_unverified"]) == (0, 0, 0)
    assert [(r["index"], r["drops"], r["prod"]) for r in stats["rings"]] == [(0, 0, len(expect) + 1)]
    assert stats["iommu_violations"] == 0 and stats["ring_drops"] == 0


def test_slow_consumer_losses_are_counted_and_flagged(tmp_path):
    """--consumer-delay with a small ring: whatever the timing, every record the card made is
    either printed, or counted in ring_drops / tick_overflow, or discarded by the host's verdict
    gate as unverified (a LOSS flag while its frame was open: its verdict may have been lost);
    each gap in the printed sequence is flagged on the tick after it, and only there."""
    cap = tmp_path / "feed.pcap"
    subprocess.run([str(BIN), "gen", "--out", str(cap), "--messages", "3000", "--seed", "9"], check=True,
                   capture_output=True)
    ticks, stats = replay("--ring-slots", "32", "--consumer-delay", "30us", "--line-rate-gbps", "1", cap)
    assert stats["ring_drops"] > 0, "a 32-slot ring and a 30 us/tick consumer must overflow"
    # 3000 messages + 1 new-session event record; one frame per MoldUDP64 packet, each ending with
    # a message
    assert (len(ticks) + stats["event_records"] + stats["ticks_discarded_unverified"] + stats["ring_drops"]
            + stats["counters"]["tick_overflow"]) == 3001
    assert stats["counters"]["dma_writes"] == len(ticks) + stats["event_records"] + stats["ticks_discarded_unverified"]
    assert len(ticks) == stats["ticks"] and (stats["frames_bad"], stats["ticks_discarded_bad"]) == (0, 0)
    expected_next = 1
    gaps = 0
    for t in ticks:
        if t["seq"] != expected_next:
            gaps += 1
            assert t["loss_before"], f"gap before seq {t['seq']} not flagged"
        else:
            assert not t["loss_before"], f"seq {t['seq']} flagged LOSS with nothing lost"
        expected_next = t["seq"] + 1
    assert gaps > 0
    # every LOSS tick polled was counted; those printed are exactly the gaps (a LOSS tick can itself
    # be discarded with its frame, when a later loss cuts that frame before its verdict)
    assert stats["loss_flags"] >= gaps


# ---------------------------------------------------------------- flow table from a config, and --merge

GROUP_A, GROUP_B, PORT = "233.54.12.111", "233.49.196.111", 26477


def _packets(n=8):
    """n MoldUDP64 packets (seq, messages) of one feed, 1 to 3 messages each."""
    pkts, seq = [], 1
    for i in range(n):
        msgs = [itch_add(ref=seq + j, shares=100 + i) if (i + j) % 3 else itch_delete(ref=seq + j) for j in range(1 + i % 3)]
        pkts.append((seq, msgs))
        seq += len(msgs)
    return pkts


def _line_a(seq, msgs, **kw):
    return udp_frame(mold(seq, msgs), dst=GROUP_A, dport=PORT, src="10.1.1.1", **kw)


def _line_b(seq, msgs, vlan=12, src="10.1.2.3", **kw):
    return udp_frame(mold(seq, msgs), dst=GROUP_B, dport=PORT, src=src, vlan=vlan, **kw)


def _stamp(frames, t0=1_700_000_000.0, step=1e-4):
    for n, f in enumerate(frames):
        f.time = t0 + n * step
    return frames


def _tick_keys(t):
    return (t["ring"], t["feed"], t["line"], t["seq"], t["session"], itch_keys(t))


def _fields(msg):
    """A tick object's ITCH keys for a message the card decodes (as itchfeed reads it)."""
    return {"message_type": chr(msg[0]), **carried_fields(msg)}


CONFIG = f"""
[filter]
default = "drop"
max_frame = 1522

[[feed]]
name = "itch"
ring = 1
a = {{ group = "{GROUP_A}", port = {PORT} }}
b = {{ group = "{GROUP_B}", port = {PORT}, vlan = 12, source = "10.1.0.0/16" }}
"""


@pytest.mark.parametrize("hold", [False, True], ids=["cut_through", "hold"])
def test_config_one_feed_on_two_lines(tmp_path, hold):
    """One feed on lines A and B (B tagged, source-filtered), into ring 1: A/B arbitration
    delivers each message once, from the line that brought it first (A, which leads here), and
    drops B's copies as duplicates; frames no rule matches are dropped (default), a bad frame's
    ticks never reach the output (cut-through: the host's verdict gate discards them; hold: the
    card never sends them), and, being bad, it moves no sequence state."""
    pkts = _packets()
    frames = []
    for i, (seq, msgs) in enumerate(pkts):
        frames += [_line_a(seq, msgs), _line_b(seq, msgs)]
        if i == 2:
            bad = _line_a(1000, [itch_add(ref=1000)])
            good_csum = UDP(bytes(bad[UDP])).chksum
            frames.append(_line_a(1000, [itch_add(ref=1000)], udp={"chksum": good_csum ^ 0x0101}))
            frames.append(_line_b(2000, [itch_add(ref=2000)], vlan=13))              # B's group, other VLAN
            frames.append(_line_b(3000, [itch_add(ref=3000)], src="10.2.0.1"))       # outside the source prefix
            frames.append(udp_frame(mold(4000, [itch_add()]), dst="233.54.12.99", dport=PORT))  # no such group
    cap, cfg = tmp_path / "ab.pcap", tmp_path / "feeds.toml"
    wrpcap(str(cap), _stamp(frames))
    cfg.write_text(CONFIG)

    ticks, stats = replay("--config", cfg, *(["--hold"] if hold else []), cap)
    want = []
    for seq, msgs in pkts:
        want += [(1, 0, "A", seq + j, "PYSCENE001", _fields(m)) for j, m in enumerate(msgs)]
    assert [_tick_keys(t) for t in ticks] == want
    n = sum(len(m) for _, m in pkts)
    c = stats["counters"]
    assert stats["frames"] == len(frames) == c["rx_frames"] == c["rx_accepted"]
    assert stats["rule_hits"] == [len(pkts) + 1, len(pkts)]  # line A's rule also took the bad frame
    assert (c["flow_misses"], c["flow_drops"]) == (3, 3)
    assert (c["rx_udp_csum"], c["rx_bad_verdict"], c["mold_msgs"]) == (1, 1, 2 * n + 1)
    assert stats["ticks"] == n and stats["event_records"] == 1 and c["seq_dups"] == n
    # the bad frame (seq 1000) looked like a gap: its gap event and its message went out
    # (cut-through) and were discarded by the gate; no gap reached the output
    assert c["seq_gaps"] == 1 and stats["gap_events"] == 0
    assert (stats["frames_bad"], stats["ticks_discarded_bad"]) == ((0, 0) if hold else (1, 2))
    assert [(r["index"], r["drops"], r["prod"]) for r in stats["rings"]] == [(1, 0, n + 1 + (0 if hold else 2))]
    assert stats["iommu_violations"] == 0


def test_merge_two_captures_as_lines_a_and_b(tmp_path):
    """--merge A.pcap B.pcap: the captures interleaved by timestamp, line A's destination feed 0
    on line A, line B's feed 0 on line B. Each line loses packets of its own, and both lose
    packet 7: exactly one tick per sequence number that either line brought, from the line that
    brought it first (A leads by 200 us), and one gap event for what both lines lost, the
    first tick after it flagged gap_before."""
    pkts = _packets(10)
    lost_a, lost_b = {3, 7}, {6, 7}
    a = [_line_a(seq, msgs) for i, (seq, msgs) in enumerate(pkts) if i not in lost_a]
    b = [_line_b(seq, msgs, vlan=None) for i, (seq, msgs) in enumerate(pkts) if i not in lost_b]
    t0 = 1_700_000_000.0
    for f, i in zip(a, [i for i in range(len(pkts)) if i not in lost_a]):
        f.time = t0 + i * 1e-3
    for f, i in zip(b, [i for i in range(len(pkts)) if i not in lost_b]):
        f.time = t0 + i * 1e-3 + 2e-4  # line B lags line A by 200 us
    cap_a, cap_b = tmp_path / "a.pcap", tmp_path / "b.pcap"
    wrpcap(str(cap_a), a)
    wrpcapng(str(cap_b), b)

    ticks, stats = replay("--merge", cap_a, cap_b)
    want = []
    for i, (seq, msgs) in enumerate(pkts):
        if i not in lost_a & lost_b:
            line = "B" if i in lost_a else "A"
            want += [(0, 0, line, seq + j, "PYSCENE001", _fields(m)) for j, m in enumerate(msgs)]
    assert [_tick_keys(t) for t in ticks] == want
    # one tick per sequence number either line brought; nothing twice
    n = sum(len(m) for _, m in pkts)
    both = [seq + j for i, (seq, msgs) in enumerate(pkts) if i in lost_a & lost_b for j in range(len(msgs))]
    assert sorted(t["seq"] for t in ticks) == [s for s in range(1, n + 1) if s not in both]
    # the gap event: packet 7's messages, reported once, before packet 8's first tick
    seq8 = pkts[8][0]
    assert [(e["gap"], e["seq"], e["new_session"], e["line"]) for e in stats["events"]] == [
        (None, 1, True, "A"), ([both[0], seq8], seq8, False, "A")]
    assert [t["seq"] for t in ticks if t["gap_before"]] == [seq8]
    c = stats["counters"]
    assert stats["frames"] == len(a) + len(b) == c["rx_accepted"]
    assert stats["rule_hits"] == [len(a), len(b)] and (c["flow_misses"], c["flow_drops"]) == (0, 0)
    assert stats["ticks"] == len(ticks) == n - len(both) and stats["frames_bad"] == 0
    # every copy that lost the race was dropped as a duplicate
    copies = sum(len(msgs) for i, (_, msgs) in enumerate(pkts) if i not in lost_a | lost_b)
    assert c["seq_dups"] == copies and (c["seq_gaps"], stats["gap_events"], stats["gap_messages"]) == (1, 1, len(both))
    assert [(r["index"], r["drops"]) for r in stats["rings"]] == [(0, 0)]


def test_merge_needs_two_captures_with_distinct_destinations(tmp_path):
    cap = tmp_path / "a.pcap"
    wrpcap(str(cap), _stamp([_line_a(seq, msgs) for seq, msgs in _packets(2)]))
    out = replay("--merge", cap, check=False)
    assert out.returncode != 0 and "--merge with two" in out.stderr
    out = replay(cap, cap, check=False)
    assert out.returncode != 0 and "--merge with two" in out.stderr
    out = replay("--merge", cap, cap, check=False)  # the same destination on both lines
    assert out.returncode != 0 and "destination in both captures" in out.stderr and "--config" in out.stderr


@pytest.mark.parametrize("text, key, names_file", [
    (CONFIG.replace(f'group = "{GROUP_B}"', 'group = "233.49.196"'), "feed[0].b.group", True),
    (CONFIG.replace('"10.1.0.0/16"', '"10.1.0.0/33"'), "feed[0].b.source", True),
    (CONFIG.replace('default = "drop"', 'default = "keep"'), "filter.default", True),
    (CONFIG.replace("max_frame = 1522", "max_frame = 1522\nholdd = true"), "holdd", True),
    # the ring is checked against the card's 4 rings after the file is loaded; the message still
    # names the file
    (CONFIG.replace("ring = 1", "ring = 9"), "feed[0].ring", True),
], ids=["group", "source", "default", "unknown_key", "ring"])
def test_config_error_names_its_key(tmp_path, text, key, names_file):
    cap, cfg = tmp_path / "a.pcap", tmp_path / "feeds.toml"
    wrpcap(str(cap), _stamp([_line_a(seq, msgs) for seq, msgs in _packets(2)]))
    cfg.write_text(text)
    out = replay("--config", cfg, cap, check=False)
    assert out.returncode != 0 and out.stdout == ""
    assert key in out.stderr, out.stderr
    if names_file:
        assert str(cfg) in out.stderr, out.stderr


def test_gen_two_lossy_lines_replay_to_one_tick_per_message(tmp_path):
    """`tickwire gen --out-b` writes one feed on two lines, each losing, repeating and reordering
    packets of its own; `replay --merge` gives exactly one tick per sequence number that either
    line brought, and gap events whose ranges, less the late fills that came after them, are
    exactly what both lines lost (up to the last message delivered: a loss at the very end has
    no later packet to show it)."""
    a, b = tmp_path / "a.pcap", tmp_path / "b.pcap"
    out = subprocess.run([str(BIN), "gen", "--out", str(a), "--out-b", str(b), "--messages", "6000", "--seed", "7",
                          "--loss-a", "0.05", "--loss-b", "0.05", "--dup", "0.02", "--reorder", "0.02"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    seqs_a, seqs_b = ([list(range(seq, seq + len(m))) for seq, m in capture_packets(c)] for c in (a, b))
    brought = {s for f in seqs_a + seqs_b for s in f}
    every = set(range(1, max(brought) + 1))
    assert len(brought) < len(every), "some messages must be lost on both lines"
    ticks, stats = replay("--merge", a, b)
    seqs = [t["seq"] for t in ticks]
    assert sorted(seqs) == sorted(brought), "one tick per sequence number either line brought"
    late = {t["seq"] for t in ticks if t["late"]}
    reported = {s for e in stats["events"] if e["gap"] for s in range(*e["gap"])}
    assert reported - late == every - brought
    assert late <= reported and stats["late_messages"] == len(late)
    c = stats["counters"]
    copies = sum(len(f) for f in seqs_a + seqs_b)
    assert c["seq_dups"] == copies - len(seqs) and c["seq_late"] == len(late) and stats["frames_bad"] == 0
    # both lines won messages, and the duplicates and reorderings were there to handle
    assert {t["line"] for t in ticks} == {"A", "B"} and late


@pytest.mark.parametrize("args, flag", [
    (["--loss-a", "1.5"], "--loss-a"),
    (["--dup=-0.1"], "--dup"),
    (["--loss-b", "0.1"], "--out-b"),
    (["--out-b", "B", "--group-b", "233.54.12.111"], "--group-b"),
], ids=["loss_over_1", "negative_dup", "b_without_out_b", "same_group"])
def test_gen_line_options_name_the_flag_and_the_fix(tmp_path, args, flag):
    args = [str(tmp_path / x) if x == "B" else x for x in args]
    out = subprocess.run([str(BIN), "gen", "--out", str(tmp_path / "a.pcap"), *args], capture_output=True, text=True,
                         check=False)
    assert out.returncode != 0 and flag in out.stderr, out.stderr
