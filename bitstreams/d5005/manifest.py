#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""manifest.json of a D5005 AFU build (bitstreams/d5005/build.sh), the same shape as the Alveo one
(bitstreams/alveo_build.tcl): board, top, build id, git revision, tool and version, utilisation,
timing, files and their SHA-256. Utilisation and timing come from the Quartus summaries in the
work directory (*.fit.summary: "Logic utilization (in ALMs) : n / total ...", registers, RAM
blocks, DSP blocks; *.sta.summary: "Type : Setup 'clk'" / "Slack : x" records). A figure the
summaries do not give is null. `make shells-check` runs this on a synthetic work directory.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def first_int(text: str, label: str) -> int | None:
    m = re.search(rf"^\s*{re.escape(label)}\s*:\s*([\d,]+)", text, re.M)
    return int(m.group(1).replace(",", "")) if m else None


def timing(sta: str) -> dict:
    setup, hold = [], []
    for m in re.finditer(r"Type\s*:\s*(\w+)[^\n]*\n\s*Slack\s*:\s*(-?[\d.]+)", sta):
        (setup if m.group(1).lower() == "setup" else hold if m.group(1).lower() == "hold" else []).append(float(m.group(2)))
    wns = min(setup) if setup else None
    whs = min(hold) if hold else None
    return {"wns_ns": wns, "whs_ns": whs, "met": wns is not None and whs is not None and wns >= 0 and whs >= 0}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--build-id", type=int, required=True)
    ap.add_argument("--git-rev", default="unknown")
    ap.add_argument("--started", type=int, default=int(time.time()))
    ap.add_argument("--tool-version", default="unknown")
    a = ap.parse_args()

    fit = "\n".join(p.read_text(errors="replace") for p in sorted(a.work.rglob("*.fit.summary")))
    sta = "\n".join(p.read_text(errors="replace") for p in sorted(a.work.rglob("*.sta.summary")))
    afu = json.loads((ROOT / "hdl/shells/d5005/tw_afu_d5005.json").read_text())
    uuid = afu["afu-image"]["accelerator-clusters"][0]["accelerator-type-uuid"]
    files = {"gbs": "tw_d5005.gbs"}
    m = {
        "board": "d5005",
        "part": "1SX280HN2F43E2VG",
        "top": afu["afu-image"]["afu-top-interface"]["class"],
        "afu_uuid": uuid,
        "build_id": a.build_id,
        "build_id_hex": f"0x{a.build_id:08x}",
        "git_rev": a.git_rev,
        "tool": "Quartus Prime Pro",
        "tool_version": a.tool_version.strip(),
        "built_utc": datetime.datetime.fromtimestamp(a.started, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "build_seconds": int(time.time()) - a.started,
        "utilisation": {
            "alms": first_int(fit, "Logic utilization (in ALMs)"),
            "registers": first_int(fit, "Total registers"),
            "ram_blocks": first_int(fit, "Total RAM Blocks"),
            "dsp_blocks": first_int(fit, "Total DSP Blocks"),
        },
        "timing": timing(sta),
        "files": files,
        "sha256": {k: hashlib.sha256((a.out / f).read_bytes()).hexdigest()
                   for k, f in files.items() if (a.out / f).exists()},
    }
    (a.out / "manifest.json").write_text(json.dumps(m, indent=2) + "\n")
    print(f"manifest: d5005: WNS {m['timing']['wns_ns']} ns, WHS {m['timing']['whs_ns']} ns, met {m['timing']['met']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
