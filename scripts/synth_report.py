#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Summarise a Yosys synth_xilinx netlist (write_json): resources and logic depth.

depth = the largest number of LUTs on any combinational path from a register (or RAM, or a
top-level input) to a register (or RAM, or an output), on the mapped netlist. MUXF7/8/9, CARRY
and INV cells lie on paths but are not counted as levels (they are the LUT's own fabric).
Prints, last, the machine-readable line: synth: LUT=<n> FF=<n> BRAM36=<n> DSP=<n> depth=<n>
With --budget LUT,BRAM36,DEPTH it exits 1 after that line if any figure is over its limit.
"""
import json
import re
import sys
from collections import Counter

sys.setrecursionlimit(1_000_000)


def is_comb(t):
    """Cells that lie on a combinational path (only LUTs count as levels)."""
    return t.startswith(("LUT", "MUXF", "CARRY", "INV")) or t in ("BUFG",)


def netlist(path, top):
    """The top module's cells, the cell driving each bit, and a readable name for each bit."""
    mod = json.load(open(path))["modules"][top]
    cells = mod["cells"]
    driver = {}   # bit -> name of the cell driving it
    for name, c in cells.items():
        for port, bits in c["connections"].items():
            if c.get("port_directions", {}).get(port) == "output":
                for b in bits:
                    if isinstance(b, int):
                        driver[b] = name
    netname = {}
    for n, info in mod["netnames"].items():
        for i, b in enumerate(info["bits"]):
            if isinstance(b, int) and (b not in netname or netname[b].startswith("$")):
                netname[b] = f"{n}[{i}]" if len(info["bits"]) > 1 else n
    return mod, cells, driver, netname


def main(path, top):
    mod, cells, driver, netname = netlist(path, top)
    types = Counter(c["type"] for c in cells.values())

    memo = {}

    def depth_of_bit(b):
        if not isinstance(b, int):
            return 0
        name = driver.get(b)
        if name is None or not is_comb(cells[name]["type"]):
            return 0
        return depth_of_cell(name)

    def depth_of_cell(name):
        if name in memo:
            return memo[name]
        memo[name] = 0  # break (impossible) combinational loops
        c = cells[name]
        d = 0
        for port, bits in c["connections"].items():
            if c["port_directions"].get(port) == "input":
                for b in bits:
                    d = max(d, depth_of_bit(b))
        d += 1 if c["type"].startswith("LUT") else 0
        memo[name] = d
        return d

    worst, worst_end = 0, "-"
    per_unit = {}   # deepest path per instance (first hierarchy level)
    # path ends: inputs of sequential cells and top-level outputs
    for name, c in cells.items():
        if is_comb(c["type"]):
            continue
        for port, bits in c["connections"].items():
            if c["port_directions"].get(port) == "input":
                for b in bits:
                    d = depth_of_bit(b)
                    q = c["connections"].get("Q", [None])[0]
                    end = netname.get(q, name)
                    unit = re.sub(r"\[\d+\]", "[*]", end.split(".")[0]) if "." in end else "tw_core"
                    if d > per_unit.get(unit, (0, ""))[0]:
                        per_unit[unit] = (d, end)
                    if d > worst:
                        worst, worst_end = d, end
    for pname, p in mod["ports"].items():
        if p["direction"] == "output":
            for b in p["bits"]:
                worst = max(worst, depth_of_bit(b))

    lut_logic = sum(n for t, n in types.items() if t.startswith("LUT"))
    lutram = sum(n for t, n in types.items() if t.startswith(("RAM32", "RAM64", "RAM128", "RAM256", "SRL")))
    ffs = sum(n for t, n in types.items() if t.startswith("FD"))
    bram36 = types.get("RAMB36E2", 0) + types.get("RAMB36E1", 0) + 0.5 * (types.get("RAMB18E2", 0) + types.get("RAMB18E1", 0))
    dsp = sum(n for t, n in types.items() if t.startswith("DSP"))
    for t, n in sorted(types.items()):
        print(f"  {t:12s} {n}")
    print(f"LUT as logic: {lut_logic}, LUT as memory/SRL cells: {lutram}")
    print("deepest path per instance (LUT levels, endpoint):")
    for unit, (d, end) in sorted(per_unit.items(), key=lambda x: -x[1][0])[:8]:
        print(f"  {d:3d}  {end}")
    print(f"deepest path ends at: {worst_end}")
    bram = int(bram36) if bram36 == int(bram36) else bram36
    print(f"synth: LUT={lut_logic + lutram} FF={ffs} BRAM36={bram} DSP={dsp} depth={worst}")
    return lut_logic + lutram, bram36, worst, worst_end


if __name__ == "__main__":
    args = sys.argv[1:]
    budget = None
    if "--budget" in args:
        i = args.index("--budget")
        budget = [float(x) for x in args[i + 1].split(",")]
        del args[i:i + 2]
    lut, bram, depth, end = main(args[0], args[1] if len(args) > 1 else "tw_core")
    if budget:
        over = [f"{name} {have:g} > {limit:g}" for name, have, limit in
                zip(("LUT", "BRAM36", "depth"), (lut, bram, depth), budget) if have > limit]
        if over:
            print(f"synth: over budget: {', '.join(over)} (deepest path ends at {end}; "
                  f"scripts/synth_paths.py {args[0]} traces it)", file=sys.stderr)
            sys.exit(1)
