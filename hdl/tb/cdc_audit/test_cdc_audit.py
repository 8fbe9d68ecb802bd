# SPDX-License-Identifier: Apache-2.0
"""Self-test of scripts/cdc_audit.py: it must fail a design with unsynchronised crossings (naming
each offender) and pass one whose crossings all go through the approved primitives. Each design is
synthesised by the audit's own Yosys flow (a few seconds; cached under build/cdc/tb/)."""
import io
import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))
import cdc_audit  # noqa: E402

HERE = Path(__file__).resolve().parent.relative_to(ROOT)
PRIMS = ["hdl/rtl/tw_cdc_sync.sv", "hdl/rtl/tw_cdc_handshake.sv", "hdl/rtl/tw_cdc_counter.sv",
         "hdl/rtl/tw_async_fifo.sv", "hdl/rtl/tw_locate_ram.sv"]

CFG = cdc_audit.Config(
    top="",
    clocks={"a_clk": "a", "b_clk": "b"},
    ports=[("a_*", "a"), ("b_*", "b"), ("g_q", "a")],
    primitives={**cdc_audit.TW_CORE.primitives, "cdc_tap_sync": "sync"},
)


def audit(top, strict=False):
    cfg = replace(CFG, top=top)
    path, _ = cdc_audit.synth_audit_netlist([str(HERE / f"{top}.sv")] + PRIMS, top,
                                            ROOT / "build" / "cdc" / "tb" / f"{top}.json", cfg.primitives,
                                            quiet=True)
    out = io.StringIO()
    a, rc = cdc_audit.audit_netlist(path, cfg, strict=strict, out=out)
    text = out.getvalue()
    print(text)
    return a, rc, text


def test_good_design_passes():
    a, rc, text = audit("cdc_good")
    assert rc == 0, text
    rules = {x["rule"].split(":")[0] for x in a.crossings}
    # every kind of primitive was seen carrying a crossing
    assert {"sync", "memory read", "handshake data", "dual-clock RAM"} <= rules, rules
    assert text.splitlines()[-1] == f"cdc-audit: {len(a.crossings)} crossings, all in approved primitives"
    assert not a.shape_problems and not a.errors


def test_bad_design_fails_and_names_offenders():
    a, rc, text = audit("cdc_bad")
    assert rc == 1, text
    assert text.splitlines()[-1].startswith("cdc-audit: FAILED")
    bad = [x for x in a.crossings if not x["rule"]]
    hit = lambda dest, words: any(x["dest"] == dest and words in x["reason"] for x in bad)
    # 1. raw multi-bit crossing into a plain flop
    assert hit("b_raw", "unsynchronised crossing (outside any CDC primitive)"), bad
    # 4. reset from the other domain (R pin of a b_clk flop)
    assert any(x["dest"] == "b_rst_x" and x["pin"] == "R" for x in bad), bad
    # 5. memory written in a_clk, read in b_clk, outside an approved FIFO/RAM
    assert any(x["dest"] == "b_ram" and "RAM" in x["reason"] for x in bad), bad
    # 2. synchroniser fed through logic; 3. first stage with a second load
    shapes = dict(a.shape_problems)
    assert "glitch hazard" in shapes.get("u_sync_glitch", ""), a.shape_problems
    assert "must drive only the second stage" in shapes.get("u_sync_tap", ""), a.shape_problems
    # 6. the input port with no domain
    assert any("mystery_in" in e and "no clock domain" in e for e in a.errors), a.errors
    # 7. gated clock; 8. clock as data
    assert any("clock pin C" in e and "does not trace to a clock port" in e for e in a.errors), a.errors
    assert hit("b_clkdata", "clock a_clk used as data"), bad
    # 9. dual-clock block RAM outside the approved RAM/FIFO
    assert any(x["pin"] == "RAM" and "outside an approved primitive" in x["reason"] for x in bad), bad
    # the good parts of the bad design are still approved
    assert any(x["rule"].startswith("sync") and x["dest"] == "u_sync_tap.meta_q" for x in a.crossings)


def test_reclocked_flop_is_caught():
    """Edit the good design's netlist: clock a_level_q (the level synchroniser's source, fed from
    the a_clk port a_level) from b_clk. Its input now crosses raw into b_clk."""
    audit("cdc_good")   # make sure the netlist exists
    path = ROOT / "build" / "cdc" / "tb" / "cdc_good.json"
    js = json.loads(path.read_text())
    top = js["modules"]["cdc_good"]
    a_level_q = next(n for n, w in top["netnames"].items() if n == "a_level_q")
    q = top["netnames"][a_level_q]["bits"][0]
    flop = next(c for c in top["cells"].values() if c["type"] == "FDRE" and c["connections"]["Q"] == [q])
    flop["connections"]["C"] = top["ports"]["b_clk"]["bits"]
    a, rc = cdc_audit.audit_netlist(path, replace(CFG, top="cdc_good"), out=io.StringIO(), js=js)
    assert rc == 1
    bad = [x for x in a.crossings if not x["rule"]]
    assert [(x["dest"], x["src"]) for x in bad] == [("a_level_q", "port a_level")], bad


def test_tw_core_passes_if_audited():
    """The real core: only when `make cdc-audit` has left an up-to-date audit netlist (synthesising
    tw_core takes over a minute, too long for this bench). Also checks that the same netlist with
    one flop moved to the other clock (rx_busy_q, rx_clk -> clk) fails."""
    files = cdc_audit.rtl_files()
    out = ROOT / "build" / "cdc" / "tw_core.json"
    if not cdc_audit.netlist_fresh(files, "tw_core", out, cdc_audit.TW_CORE.primitives):
        pytest.skip("no up-to-date build/cdc/tw_core.json (make cdc-audit)")
    js = json.loads(out.read_text())
    a, rc = cdc_audit.audit_netlist(out, cdc_audit.TW_CORE, out=io.StringIO(), js=js)
    assert rc == 0 and len(a.crossings) > 50
    ci = next(i for i, c in enumerate(a.nl.cells) if c.type == "FDRE" and a.reg_name(i) == "rx_busy_q[0]")
    top = js["modules"]["tw_core"]
    top["cells"][a.nl.cells[ci].name]["connections"]["C"] = top["ports"]["clk"]["bits"]
    a, rc = cdc_audit.audit_netlist(out, cdc_audit.TW_CORE, out=io.StringIO(), js=js)
    assert rc == 1
    assert {x["dest"] for x in a.crossings if not x["rule"]} == {"rx_busy_q"}
