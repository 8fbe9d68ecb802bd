#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Explain logic depth in a Yosys synth_xilinx netlist (write_json): every register-to-register
path deeper than a limit, counted per instance, and the deepest path into each group of endpoints
traced back net by net. Same depth rule as synth_report.py (LUTs count; MUXF, CARRY, INV do not).

usage: synth_paths.py NETLIST.json [--limit 6] [--top tw_core] [--trace 12] [--match REGEX]
"""
import argparse
import os
import re
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from synth_report import is_comb, netlist  # noqa: E402  (the same netlist reading and depth rule)

sys.setrecursionlimit(1_000_000)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("netlist")
    ap.add_argument("--top", default="tw_core")
    ap.add_argument("--limit", type=int, default=6)
    ap.add_argument("--trace", type=int, default=12, help="paths to trace (deepest groups first)")
    ap.add_argument("--match", default=None, help="only endpoints whose name matches")
    ap.add_argument("--groups", type=int, default=40, help="endpoint groups to list")
    a = ap.parse_args()
    _, cells, driver, netname = netlist(a.netlist, a.top)
    memo = {}

    def dbit(b):
        if not isinstance(b, int):
            return 0, None
        name = driver.get(b)
        if name is None or not is_comb(cells[name]["type"]):
            return 0, None
        return dcell(name), name

    def dcell(name):
        if name in memo:
            return memo[name][0]
        memo[name] = (0, None)
        c = cells[name]
        best, via = 0, None
        for port, bits in c["connections"].items():
            if c["port_directions"].get(port) == "input":
                for b in bits:
                    d, _ = dbit(b)
                    if d > best or via is None:
                        best, via = d, b
        memo[name] = (best + (1 if c["type"].startswith("LUT") else 0), via)
        return memo[name][0]

    def unit_of(end):
        return re.sub(r"\[\d+\]", "[*]", end.split(".")[0]) if "." in end else "tw_core"

    def group_of(end):
        return re.sub(r"\[\d+\]", "[*]", end)

    ends = []   # (depth, endpoint name, start bit)
    for name, c in cells.items():
        if is_comb(c["type"]):
            continue
        q = c["connections"].get("Q", [None])[0]
        end = netname.get(q, name)
        if a.match and not re.search(a.match, end):
            continue
        worst, wb = 0, None
        for port, bits in c["connections"].items():
            if c["port_directions"].get(port) == "input":
                for b in bits:
                    d, _ = dbit(b)
                    if d > worst:
                        worst, wb = d, b
        ends.append((worst, end, wb))
    deep = [e for e in ends if e[0] > a.limit]
    print(f"endpoints deeper than {a.limit} levels: {len(deep)} of {len(ends)}")
    per_unit = Counter(unit_of(e[1]) for e in deep)
    for u, n in per_unit.most_common():
        print(f"  {n:6d}  {u}")
    groups = defaultdict(list)
    for e in deep:
        groups[group_of(e[1])].append(e)
    print("deepest endpoint groups:")
    order = sorted(groups.items(), key=lambda kv: -max(e[0] for e in kv[1]))
    for g, es in order[: a.groups]:
        print(f"  {max(e[0] for e in es):3d}  {len(es):5d}  {g}")
    for g, es in order[: a.trace]:
        d, end, b = max(es, key=lambda e: e[0])
        print(f"\npath into {end} ({d} levels):")
        chain = []
        while b is not None:
            cname = driver.get(b)
            if cname is None or not is_comb(cells[cname]["type"]):
                chain.append(f"    start  {netname.get(b, b)}")
                break
            chain.append(f"    {cells[cname]['type']:7s} {netname.get(b, b)}")
            b = memo[cname][1]
        for line in reversed(chain):
            print(line)


if __name__ == "__main__":
    main()
