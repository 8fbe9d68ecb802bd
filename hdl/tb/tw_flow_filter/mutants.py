# SPDX-License-Identifier: Apache-2.0
"""Mutation check for the tw_flow_filter bench: each mutant is one deliberate RTL bug; the bench
must fail on it, and the test meant to catch it must be among the failures.

Run from the repository root (not part of `make tb`; about 20 s per mutant):
    source scripts/env.sh && python hdl/tb/tw_flow_filter/mutants.py [name ...]
The RTL is copied to build/tb/tw_flow_filter/mutant/, edited there, and simulated through the
bench's TW_FF_RTL override; hdl/rtl is never touched.
"""
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parents[2]
FILES = ("tw_cdc_sync.sv", "tw_cdc_hold.sv", "tw_async_fifo.sv", "tw_cdc_counter.sv", "tw_prio_mux.sv", "tw_event_counters.sv",
         "tw_flow_filter.sv")
FF, PM, EC = "tw_flow_filter.sv", "tw_prio_mux.sv", "tw_event_counters.sv"

# name: (file, original text, mutated text, RULES variant, test expected to fail)
MUTANTS = {
    "torn_commit": (FF, ".load(load_m_q), .d(sh_a_flat)", ".load(load_a_q), .d(sh_a_flat)", 64,
                    "atomic_update"),
    "highest_wins": (PM, "if (c0.any)      n[i] = c0;\n                    else if (c1.any) n[i] = c1;",
                     "if (c1.any)      n[i] = c1;\n                    else if (c0.any) n[i] = c0;", 64,
                     "priority_and_default"),
    "vid_matches_untagged": (FF, "(s_vlan_valid && s_vlan_vid[2*c +: 2]", "(s_vlan_vid[2*c +: 2]",
                             64, "match_fields"),
    "port_any_ignored": (FF, "act_m_q[n].port_any || s_dst_port", "s_dst_port", 64, "match_fields"),
    "prefix_off_by_one": (FF, "~(32'hFFFF_FFFF >> q3_plen)", "~(32'hFFFF_FFFF >> (q3_plen + 6'd1))", 64,
                          "match_fields"),
    "prefix_5bit_len": (FF, "q3_plen <= nw[13:8];", "q3_plen <= {1'b0, nw[12:8]};", 64, "match_fields"),
    "torn_valid": (FF, ".load(load_m_q), .d(sh_valid_q)", ".load(load_a_q), .d(sh_valid_q)", 64,
                   "atomic_update"),
    "torn_default": (FF, ".load(load_a_q), .d(def_q)", ".load(load_m_q), .d(def_q)", 64,
                     "atomic_update"),
    "writes_not_refused": (FF, "assign do_wr   = q2_v && q2_wr && !q2_pend &&",
                           "assign do_wr   = q2_v && q2_wr &&", 64, "writes_during_commit"),
    "commit_retriggers": (FF, "assign commit_ok = commit && !pending_q;", "assign commit_ok = commit;", 64,
                          "writes_during_commit"),
    "default_live": (FF, ".load(load_a_q), .d(def_q)",
                     ".load(1'b1), .d(make_act(default_deliver, default_feed, default_line, default_ring))", 64,
                     "priority_and_default"),
    "reset_default_deliver": (FF, "tw_cdc_hold #(.W(ACT_W), .RESET_EN(1'b1)) u_hold_def",
                              "tw_cdc_hold #(.W(ACT_W), .RESET_EN(1'b1), .RESET_VALUE(11'h401)) u_hold_def", 64,
                              "reset_state"),
    "ring_range_unchecked": (FF, "a.deliver = deliver && int'(feed) < FEEDS && int'(ring) < RINGS;",
                             "a.deliver = deliver;", 64, "csr_window"),
    "version_at_strobe": (FF, "            pending_q <= 1'b1;\n", "            pending_q <= 1'b1;\n"
                          "            version_q <= version_q + 1'b1;\n", 64, "writes_during_commit"),
    "miss_counts_hits": (FF, "if (ev_v_q && !ev_hit_q) miss_q", "if (ev_v_q) miss_q", 64, "counters"),
    "hits_off_by_one": (FF, ".inc_idx(ev_rule_q)", ".inc_idx(ev_rule_q + 1'b1)", 64, "counters"),
    "no_counter_clear": (EC, "if (rst)           clr_q <= '0;", "if (rst)           clr_q <= (IW + 1)'(N);", 64,
                         "reset_state"),
    "mirror_not_gated": (FF, "a_word == 3'(w) && written_q[a_ri][w];", "a_word == 3'(w);", 64, "reset_state"),
    "lost_not_counted": (FF, ".inc(m_valid_q && !ev_ready)", ".inc(1'b0)", 64, "atomic_update"),
    "rules_alias": (FF, "assign a_in_range = int'(a_rule) < RULES;", "assign a_in_range = 1'b1;", 8,
                    "beyond_rules"),
    "dst_low_half": (FF, "assign ok[c] = s_dst_ip[3*c +: 3] == act_m_q[n].dst[3*c +: 3];",
                     "assign ok[c] = c > 5 || s_dst_ip[3*c +: 3] == act_m_q[n].dst[3*c +: 3];", 64,
                     "match_fields"),
    "biten_ignored": (FF, "assign nw      = merge(cur_word, q2_data, q2_biten);", "assign nw      = q2_data;", 64,
                      "csr_window"),
    "miss_rule_nonzero": (PM, "assign n[i] = '0;", "assign n[i] = '{any: 1'b0, idx: '1, d: '1};", 64, "reset_state"),
    "latency_3": (FF, "            m_valid_q <= v_q;\n", "            m_valid_q <= v_q2;\n            v_q2 <= v_q;\n", 64,
                  "match_fields"),
}


def run(name):
    f, old, new, rules, target = MUTANTS[name]
    d = ROOT / "build" / "tb" / "tw_flow_filter" / "mutant"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    for x in FILES:
        shutil.copy(ROOT / "hdl" / "rtl" / x, d / x)
    text = (d / f).read_text()
    assert text.count(old) == 1, f"{name}: the original text is not found exactly once in {f}"
    text = text.replace(old, new)
    if name == "latency_3":
        text = text.replace("logic             v_q;", "logic             v_q, v_q2;")
    (d / f).write_text(text)
    env = dict(os.environ, TW_FF_RTL=str(d))
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", str(BENCH / "test_tw_flow_filter.py"),
                    "-k", f"rules{rules}"], cwd=ROOT, env=env, capture_output=True, text=True)
    xml = ROOT / "build" / "tb" / "tw_flow_filter" / f"rules{rules}_alt" / "results.xml"
    failed = []
    if xml.exists():
        for tc in ET.parse(xml).iter("testcase"):
            if tc.find("failure") is not None or tc.find("error") is not None:
                failed.append(tc.get("name"))
    ok = target in failed
    print(f"{'KILLED' if ok else 'SURVIVED':8s} {name:24s} failed: {', '.join(failed) or '(none; build error?)'}",
          flush=True)
    return ok


if __name__ == "__main__":
    names = sys.argv[1:] or list(MUTANTS)
    survived = [n for n in names if not run(n)]
    print(f"{len(names) - len(survived)}/{len(names)} mutants killed by their target test")
    sys.exit(1 if survived else 0)
