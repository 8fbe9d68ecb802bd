# SPDX-License-Identifier: Apache-2.0
"""Oracle: an ITCH 5.0 decoder written elsewhere (`itchfeed` from PyPI, all 23 message types)
against the card path. A generated trading day (`tickwire gen`: every one of the 23 types) goes
through `tickwire replay --jsonl` (the simulated RTL, the Rust driver, and today the host's
`tickwire::itch` decoder of the bytes the tick carries: issue [C] moves decoding into the card);
itchfeed decodes each message from the capture itself (read with scapy and struct, conftest.py), and
every field it reports must come back with the same value under the ITCH 5.0 specification's name,
or be listed in `omitted_fields` when it lies beyond the 36 bytes a tick carries. No field of
ours goes unchecked.
"""
import json
import subprocess
from collections import Counter
from pathlib import Path

from itch.messages import messages as ITCHFEED

from tw_scenario import capture_packets

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / "target/release/tickwire"
TYPES = "SRHYLVWKJhAFECXDUPQBINO"
# itchfeed's attribute names where they differ from the specification's (ITCH50.md) in snake_case
RENAME = {
    ("I", "variation_indicator"): "price_variation_indicator",
    ("J", "auction_collar_extention"): "auction_collar_extension",
    ("K", "ipo_release_qualifier"): "ipo_quotation_release_qualifier",
    ("K", "ipo_release_time"): "ipo_quotation_release_time",
    ("R", "luld_ref"): "luld_reference_price_tier",
    ("U", "order_reference_number"): "original_order_reference_number",
    ("V", "level1_price"): "level1",
    ("V", "level2_price"): "level2",
    ("V", "level3_price"): "level3",
}
# keys of a tick object that are not ITCH fields (docs/replay-jsonl.md)
NOT_ITCH = {"kind", "ring", "seq", "session", "rx_ts_ns", "feed", "line", "msg_len", "truncated", "loss_before",
            "gap_before", "late", "message_type", "omitted_fields", "bytes"}


def theirs(msg):
    """itchfeed's fields of one message, as the JSON output writes them: alphanumeric fields as
    text, trailing spaces removed when longer than one character."""
    m = ITCHFEED[msg[:1]](msg)
    t = msg[:1].decode()
    out = {}
    for k, v in vars(m).items():
        if isinstance(v, bytes):
            v = v.decode("ascii")
            v = v.rstrip(" ") if len(v) > 1 else v
        out[RENAME.get((t, k), k)] = v
    return out


def test_every_field_of_every_type_matches_itchfeed(tmp_path):
    cap = tmp_path / "day.pcap"
    subprocess.run([str(BIN), "gen", "--out", str(cap), "--messages", "4000", "--seed", "11"], check=True,
                   capture_output=True)
    out = subprocess.run([str(BIN), "replay", "--jsonl", str(cap)], capture_output=True, text=True, check=True)
    ticks = [json.loads(line) for line in out.stdout.splitlines()]
    ticks = [t for t in ticks if t["kind"] == "tick"]
    raw = {seq + i: m for seq, msgs in capture_packets(cap) for i, m in enumerate(msgs)}
    assert len(ticks) == len(raw) == 4000
    seen, checked, omitted = Counter(), 0, 0
    for t in ticks:
        msg = raw[t["seq"]]
        assert bytes.fromhex(t["bytes"]) == msg[:36] and t["msg_len"] == len(msg)
        want = theirs(msg)
        mine = {k: v for k, v in t.items() if k not in NOT_ITCH}
        skipped = set(t.get("omitted_fields", []))
        assert set(mine) | skipped == set(want), (t["message_type"], sorted(mine), sorted(skipped), sorted(want))
        for k, v in want.items():
            if k in skipped:
                omitted += 1
                continue
            assert mine[k] == v, (t["seq"], t["message_type"], k, mine[k], v)
            checked += 1
        seen[t["message_type"]] += 1
    assert set(seen) == set(TYPES), f"types missing from the generated day: {set(TYPES) - set(seen)}"
    print(f"itchfeed oracle: {len(ticks)} messages, {checked} fields equal, {omitted} beyond the carried bytes")
    assert checked > 20 * len(ticks) // 4 and omitted > 0
