# SPDX-License-Identifier: Apache-2.0
"""Oracle: an ITCH 5.0 decoder written elsewhere (`itchfeed` from PyPI, all 23 message types)
against the card's decoder. A generated trading day (`tickwire gen`: every one of the 23 types)
goes through `tickwire replay --jsonl`: the simulated RTL decodes each message into its tick, the
Rust driver polls it, the JSON writer prints the tick's fields (and the stock of P, I and O,
which the tick does not carry, from the day's R stock-directory records). itchfeed decodes each
message from the capture itself (read with scapy and struct, conftest.py), and every field it
reports must come back with the same value under the ITCH 5.0 specification's name, except
tracking_number, which the card never carries (it must be absent). The day's R records come
first, so no stock is left unnamed: no tick has `omitted_fields`. No record may be raw, and no
field of ours goes unchecked.
"""
import json
import subprocess
from collections import Counter
from pathlib import Path

from tw_scenario import ITCH_TYPES, NOT_CARRIED, capture_packets, theirs

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / "target/release/tickwire"
# keys of a tick object that are not ITCH fields (docs/replay-jsonl.md)
NOT_ITCH = {"kind", "ring", "seq", "session", "rx_ts_ns", "feed", "line", "msg_len", "raw", "truncated",
            "loss_before", "gap_before", "late", "recovered", "omitted_fields", "decode_error", "bytes"}


def test_every_field_of_every_type_matches_itchfeed(tmp_path):
    cap = tmp_path / "day.pcap"
    subprocess.run([str(BIN), "gen", "--out", str(cap), "--messages", "4000", "--seed", "11"], check=True,
                   capture_output=True)
    out = subprocess.run([str(BIN), "replay", "--jsonl", str(cap)], capture_output=True, text=True, check=True)
    ticks = [json.loads(line) for line in out.stdout.splitlines()]
    ticks = [t for t in ticks if t["kind"] == "tick"]
    raw = {seq + i: m for seq, msgs in capture_packets(cap) for i, m in enumerate(msgs)}
    assert len(ticks) == len(raw) == 4000
    seen, checked, filled = Counter(), 0, 0
    for t in ticks:
        msg = raw[t["seq"]]
        assert not t["raw"] and not t["truncated"] and "bytes" not in t and "decode_error" not in t, t
        assert "omitted_fields" not in t, t
        assert t["msg_len"] == len(msg)
        want = theirs(msg)
        assert "tracking_number" not in t
        del want["tracking_number"]
        mine = {k: v for k, v in t.items() if k not in NOT_ITCH}
        assert mine.pop("message_type") == chr(msg[0])
        assert set(mine) == set(want), (t["message_type"], sorted(mine), sorted(want))
        for k, v in want.items():
            assert mine[k] == v, (t["seq"], t["message_type"], k, mine[k], v)
            checked += 1
        filled += t["message_type"] in NOT_CARRIED
        seen[t["message_type"]] += 1
    assert set(seen) == set(ITCH_TYPES), f"types missing from the generated day: {set(ITCH_TYPES) - set(seen)}"
    print(f"itchfeed oracle: {len(ticks)} messages, {checked} fields equal ({filled} P, I, O stocks from the directory)")
    assert checked > 5 * len(ticks) and filled > 0
