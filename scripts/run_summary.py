#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`make run`'s last lines: the daemon's summary, shortened to what the demo shows."""
import json
import sys

s = json.load(open(sys.argv[1]))
r = s["rings"][0]
print(f"run: stopped ({s['reason']}): {s['ticks']} ticks, {s['gaps']} gaps ({s['gap_messages']} messages), "
      f"{r['recovered']} recovered messages delivered (+{r['recovered_filtered']} filtered), "
      f"recovery {r['recovery']['complete']}/{r['recovery']['started']} complete, {r['recovery']['requests']} requests")
for name, b in r["books"].items():
    best = lambda side: (f"{side[0][1]}x{side[0][0] / 10000:.4f}" if side else "-")
    print(f"run: {name:<6} bid {best(b['bids']):>16} | ask {best(b['asks']):<16}{'  stale' if b['stale'] else ''}")
