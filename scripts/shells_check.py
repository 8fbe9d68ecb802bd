#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Consistency checks of the board shells, constraints and build recipes (`make shells-check`).

Vendor tools are not on these machines, so this checks everything that can be checked without
them, for every board that has a shell (hdl/shells/<board>/):

  tcl-parse     every Tcl and XDC file of the board, the common recipes and constraints is a
                complete Tcl script (`info complete` under tclsh)
  files-named   every file the recipes name literally (read_verilog, read_xdc, read_ip, add_files,
                source, [file join $root ...]) exists
  dry-run       build.tcl runs to its end under tclsh with Vivado's commands mocked
                (scripts/vivado_mock.tcl): every file it reads exists, it reads the board's shell,
                its top is the shell's module, its IP port check passes on the stubs; flash.tcl
                runs in both modes against the dry run's images
  stubs         every IP the recipe creates has a lint stub named after it, in the one-port-per-
                line form the recipe's port check parses, marked lint-only
  lint          the shell elaborates with the core, exactly the SystemVerilog files the recipe
                synthesises plus the stubs, under `verilator --lint-only -Wall`
  pins          every top-level port bit has a PACKAGE_PIN (transceiver pins too), every
                non-transceiver port an IOSTANDARD, no package pin is used twice
  get-ports     every get_ports in the constraint files the recipe reads names a real port
  cdc           every module the CDC constraints list (tw_cdc_primitives, tw_cdc_composed in
                constraints/common/cdc.tcl) exists in the design; every tw_cdc_* module, module
                with ASYNC_REG flops and module with a memory and two clock inputs is listed; a
                composed one instantiates a listed primitive

A board built as an OPAE AFU (hdl/shells/<board>/sources.txt, no build.tcl: the PAC D5005) gets
check_afu_board instead: files-named (sources.txt, the recipes), afu-json (parses, top
ofs_plat_afu, UUID documented and equal to the RTL's AFU_ID), tcl-parse (the SDC), recipes
(bash -n, exit 2 without the tools, manifest.py on synthetic Quartus summaries), stubs
(hdl/shells/stubs/intel/), lint (under the stubs' lint top), cdc (as above, on the SDC, plus a
rule for every listed primitive).

Last line: `shells-check: <n> passed, <m> failed`; exit status 1 if any failed.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_BOARDS = {"common", "stubs"}


class Check:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def result(self, board: str, name: str, errors: list[str], detail: str = "") -> bool:
        if errors:
            self.failed += 1
            print(f"shells-check: {board}: {name}: FAIL")
            for e in errors[:40]:
                print(f"    {e}")
            if len(errors) > 40:
                print(f"    ... and {len(errors) - 40} more")
            return False
        self.passed += 1
        print(f"shells-check: {board}: {name}: ok" + (f" ({detail})" if detail else ""))
        return True


def rel(p: Path | str) -> str:
    p = Path(p)
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


def strip_tcl_comments(text: str) -> str:
    """Drop Tcl comments (a # starting a command or after `;`), keep everything else."""
    out = []
    for line in text.splitlines():
        s = line.lstrip()
        if s.startswith("#"):
            out.append("")
            continue
        out.append(re.sub(r";\s*#.*$", "", line))
    return "\n".join(out)


# ------------------------------------------------------------------------------- Tcl
def tcl_parse(files: list[Path]) -> list[str]:
    script = (
        "set bad 0\n"
        "foreach f $argv {\n"
        "  set fh [open $f r]; set t [read $fh]; close $fh\n"
        "  if {![info complete $t]} { puts \"$f: not a complete Tcl script (unbalanced braces, brackets or quotes)\"; incr bad }\n"
        "}\n"
        "exit [expr {$bad ? 1 : 0}]\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".tcl", delete=False) as fh:
        fh.write(script)
    try:
        r = subprocess.run(["tclsh", fh.name, *map(str, files)], capture_output=True, text=True)
    finally:
        os.unlink(fh.name)
    return [] if r.returncode == 0 else (r.stdout + r.stderr).strip().splitlines()


FILE_CMDS = re.compile(r"^\s*(read_verilog|read_vhdl|read_xdc|read_ip|add_files|source)\b(.*)$")
FILE_JOIN = re.compile(r"\[file join \$(root|script_dir|board_dir)((?:\s+[A-Za-z0-9_.\-]+)+)\s*\]")


def files_named(tcl_files: list[Path], board_dir: Path) -> tuple[list[str], int]:
    """Literal file references in the recipes: [file join $root a b c], [file join $script_dir x]
    ($board_dir: the board's recipe directory, the file's own)."""
    errors, n = [], 0
    for f in tcl_files:
        text = strip_tcl_comments(f.read_text())
        for m in FILE_JOIN.finditer(text):
            base = ROOT if m.group(1) == "root" else f.parent
            parts = m.group(2).split()
            # directories the recipe creates (out, build) are not inputs
            if parts[0] in ("build",) or parts[:2] == ["bitstreams", "out"]:
                continue
            p = base.joinpath(*parts)
            n += 1
            if not p.exists():
                errors.append(f"{rel(f)}: names {rel(p)}, which does not exist")
        for line in text.splitlines():
            m = FILE_CMDS.match(line)
            if not m:
                continue
            args = m.group(2)
            while re.search(r"\[[^\[\]]*\]", args):      # computed paths: the dry run checks those
                args = re.sub(r"\[[^\[\]]*\]", " ", args)
            for tok in args.split():
                if tok.startswith("-") or "$" in tok or tok in ("{", "}"):
                    continue
                p = (f.parent / tok)
                n += 1
                if not p.exists() and not (ROOT / tok).exists():
                    errors.append(f"{rel(f)}: {m.group(1)} {tok}: no such file")
    return errors, n


def dry_run(recipe: Path, env_extra: dict[str, str], log: Path) -> tuple[int, str, list[list[str]]]:
    env = dict(os.environ, TW_MOCK_LOG=str(log), TW_MOCK_ROOT=str(ROOT), **env_extra)
    r = subprocess.run(["tclsh", str(ROOT / "scripts" / "vivado_mock.tcl"), str(recipe)],
                       capture_output=True, text=True, env=env, cwd=ROOT)
    calls = []
    if log.exists():
        for line in log.read_text().splitlines():
            calls.append(tcl_list(line))
    return r.returncode, r.stdout + r.stderr, calls


def tcl_list(line: str) -> list[str]:
    """Split one recorded Tcl list (words, {braced} groups)."""
    words, i, n = [], 0, len(line)
    while i < n:
        if line[i].isspace():
            i += 1
            continue
        if line[i] == "{":
            depth, j = 1, i + 1
            while j < n and depth:
                depth += {"{": 1, "}": -1}.get(line[j], 0)
                j += 1
            words.append(line[i + 1:j - 1])
            i = j
        else:
            j = i
            while j < n and not line[j].isspace():
                j += 1
            words.append(line[i:j])
            i = j
    return words


# ------------------------------------------------------------------------------- HDL
def verilator(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(["verilator", *args], capture_output=True, text=True, cwd=ROOT)


def top_ports(files: list[str], top: str, vlt: list[str]) -> tuple[dict[str, tuple[str, int, int] | tuple[str, None, None]], list[str]]:
    """{name: (direction, msb, lsb)} of the top module (msb/lsb None for a scalar), from
    Verilator's elaborated JSON tree."""
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "t.json"
        r = verilator(["--json-only", "--json-only-output", str(out), "--json-only-meta-output",
                       str(Path(d) / "m.json"), "-Wno-fatal", *vlt, *files, "--top-module", top])
        if r.returncode != 0 or not out.exists():
            return {}, (r.stdout + r.stderr).strip().splitlines()[-20:]
        tree = json.loads(out.read_text())

    def walk(o):
        if isinstance(o, dict):
            yield o
            for v in o.values():
                yield from walk(v)
        elif isinstance(o, list):
            for v in o:
                yield from walk(v)

    dtypes = {d["addr"]: d for d in walk(tree) if isinstance(d, dict) and "addr" in d
              and str(d.get("type", "")).endswith("DTYPE")}
    mod = next((m for m in tree["modulesp"] if m.get("name") == top), None)
    if mod is None:
        return {}, [f"module {top} not in the elaborated design"]
    ports = {}
    for s in mod.get("stmtsp", []):
        if s.get("type") == "VAR" and s.get("isPrimaryIO"):
            dt = dtypes.get(s.get("dtypep"), {})
            if dt.get("type") != "BASICDTYPE":
                return {}, [f"port {s['name']}: unsupported type {dt.get('type')} (use plain logic vectors)"]
            rng = dt.get("range")
            msb, lsb = (int(x) for x in rng.split(":")) if rng else (None, None)
            ports[s["name"]] = (s.get("direction", "?").lower(), msb, lsb)
    return ports, []


def port_bits(ports) -> list[str]:
    bits = []
    for name, (_, msb, lsb) in ports.items():
        if msb is None:
            bits.append(name)
        else:
            lo, hi = min(msb, lsb), max(msb, lsb)
            bits.extend(f"{name}[{i}]" for i in range(lo, hi + 1))
    return bits


# ------------------------------------------------------------------------------- constraints
GET_PORTS = re.compile(r"\[get_ports\s+(?:-quiet\s+)?(\{[^}]*\}|\"[^\"]*\"|[^\]\s]+)\s*\]")
MGT_COMMENT = re.compile(r"#.*\bMGT(Y|H|REFCLK)", re.I)


def port_patterns(arg: str) -> list[str]:
    arg = arg.strip()
    if arg[0] in "{\"":
        arg = arg[1:-1]
    return arg.split()


def check_constraints(cfiles: list[Path], bits: list[str]) -> tuple[list[str], list[str], dict]:
    """(pin errors, get_ports errors, stats)."""
    pin_of: dict[str, str] = {}
    iostd: set[str] = set()
    mgt: set[str] = set()
    pins_used: dict[str, str] = {}
    gp_errors, pin_errors = [], []
    bitset = set(bits)

    def expand(pattern: str) -> list[str]:
        # get_ports patterns: * and ? are wildcards, brackets are the bit index (bus[*], bus[3]);
        # a bus's bare name means all its bits
        if pattern in bitset:
            return [pattern]
        rx = re.compile("^" + re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".") + "$")
        return [b for b in bits if rx.match(b) or rx.match(b.split("[")[0])]

    for f in cfiles:
        for ln, line in enumerate(f.read_text().splitlines(), 1):
            code = line.split(";#")[0] if ";#" in line else line
            if code.lstrip().startswith("#"):
                continue
            for m in GET_PORTS.finditer(code):
                targets = []
                for pat in port_patterns(m.group(1)):
                    hit = expand(pat)
                    if not hit:
                        gp_errors.append(f"{rel(f)}:{ln}: get_ports {pat}: no such port in the shell")
                    targets.extend(hit)
                pm = re.search(r"\bPACKAGE_PIN\s+([A-Z]{1,2}\d+)", code)
                if pm:
                    for t in targets:
                        if t in pin_of and pin_of[t] != pm.group(1):
                            pin_errors.append(f"{rel(f)}:{ln}: {t} placed twice ({pin_of[t]}, {pm.group(1)})")
                        pin_of[t] = pm.group(1)
                        if pm.group(1) in pins_used and pins_used[pm.group(1)] != t:
                            pin_errors.append(f"{rel(f)}:{ln}: package pin {pm.group(1)} used by {pins_used[pm.group(1)]} and {t}")
                        pins_used[pm.group(1)] = t
                        if MGT_COMMENT.search(line):
                            mgt.add(t)
                if re.search(r"\bIOSTANDARD\s+\w+", code):
                    iostd.update(targets)
    for b in bits:
        if b not in pin_of:
            pin_errors.append(f"port {b}: no PACKAGE_PIN in {', '.join(rel(f) for f in cfiles if f.suffix == '.xdc')}")
        elif b not in mgt and b not in iostd:
            pin_errors.append(f"port {b}: PACKAGE_PIN {pin_of[b]} but no IOSTANDARD (transceiver pins: say MGT... in the comment)")
    return pin_errors, gp_errors, {"placed": len(pin_of), "mgt": len(mgt)}


# ------------------------------------------------------------------------------- CDC
def cdc_coverage(files: list[str], cfiles: list[Path], stub_files: list[str]) -> tuple[list[str], set[str]]:
    """(errors, listed primitives): every module the CDC constraints list (tw_cdc_primitives,
    tw_cdc_composed) exists in the design; every tw_cdc_* module, module with ASYNC_REG flops and
    module with a memory and two clock inputs is listed; a composed one instantiates a primitive."""
    errs: list[str] = []
    design_modules = {}
    for f in files:
        text = Path(f).read_text()
        for mod in re.findall(r"^\s*module\s+(\w+)", text, re.M):
            design_modules[mod] = (f, text)
    listed, composed = set(), set()
    for c in cfiles:
        text = strip_tcl_comments(c.read_text())
        m = re.search(r"set\s+tw_cdc_primitives\s+\{([^}]*)\}", text)
        if m:
            listed.update(m.group(1).split())
        m = re.search(r"set\s+tw_cdc_composed\s+\{([^}]*)\}", text)
        if m:
            composed.update(m.group(1).split())
    if not listed:
        errs.append("no `set tw_cdc_primitives {...}` in the constraint files the recipe reads")
    for mod in sorted((listed | composed) - set(design_modules)):
        errs.append(f"the CDC constraints list module {mod}, which is not in the design")
    for mod in sorted(composed & set(design_modules)):
        used = [p for p in listed if re.search(rf"^\s*{p}\b", design_modules[mod][1], re.M)]
        if not used:
            errs.append(f"{mod} is listed as composed of CDC primitives but instantiates none of {sorted(listed)}")
    for mod, (f, text) in sorted(design_modules.items()):
        if f in stub_files or "/stubs/" in f:
            continue
        reasons = []
        if re.search(r"\(\*\s*ASYNC_REG", text, re.I):
            reasons.append("ASYNC_REG flops")
        if mod.startswith("tw_cdc_"):
            reasons.append("a tw_cdc_ primitive")
        if len(re.findall(r"input\s+wire\s+\w*clk\b", text)) >= 2 and re.search(r"\bmem\s*\[", text):
            reasons.append("a memory with two clocks")
        if reasons and mod not in listed and mod not in composed:
            errs.append(f"{rel(f)}: {mod} ({', '.join(reasons)}) is in neither tw_cdc_primitives nor tw_cdc_composed of the CDC constraints")
    return errs, listed


# ------------------------------------------------------------------------------- OPAE AFU boards
AFU_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def afu_sources(src: Path) -> tuple[list[Path], list[str]]:
    """The files sources.txt names (relative to it), in order; errors for lines it cannot use."""
    files, errs = [], []
    for ln, line in enumerate(src.read_text().splitlines(), 1):
        s = line.split("#", 1)[0].strip()
        if not s:
            continue
        if s.startswith("+") or re.match(r"^[A-Z]{1,3}:", s):
            errs.append(f"{rel(src)}:{ln}: '{s}': only plain file names are used here")
            continue
        files.append((src.parent / s).resolve())
    return files, errs


def check_afu_board(board: str, chk: Check, work: Path) -> None:
    """A board built as an OPAE AFU (PAC D5005): hdl/shells/<board>/sources.txt (what
    afu_synth_setup reads), the AFU JSON, Quartus SDC, bitstreams/<board>/build.sh + flash.sh."""
    shell_dir = ROOT / "hdl" / "shells" / board
    recipe_dir = ROOT / "bitstreams" / board
    src = shell_dir / "sources.txt"
    stub_dir = ROOT / "hdl" / "shells" / "stubs" / "intel"

    # ---- files-named: sources.txt, the recipes
    files, errs = afu_sources(src)
    for f in files:
        if not f.exists():
            errs.append(f"{rel(src)} names {rel(f)}, which does not exist")
    sv = [f for f in files if f.suffix in (".sv", ".v")]
    sdc = [f for f in files if f.suffix == ".sdc"]
    jsons = [f for f in files if f.suffix == ".json"]
    core = [str(ROOT / x) for x in subprocess.run(["bash", str(ROOT / "scripts" / "rtl_files.sh")],
                                                   capture_output=True, text=True).stdout.split()]
    listed_core = [str(f) for f in sv if f.is_relative_to(ROOT / "hdl" / "rtl") or f.parent == ROOT / "hdl" / "regs" / "generated" and f.name != "tw_card_pkg.sv"]
    if listed_core != core:
        errs.append(f"{rel(src)}: the core's files differ from scripts/rtl_files.sh (missing: "
                    f"{[rel(c) for c in core if c not in listed_core]}, extra: {[rel(c) for c in listed_core if c not in core]}, or order)")
    for f in sorted(shell_dir.glob("*.sv")):
        if f.resolve() not in files:
            errs.append(f"{rel(src)} does not list the shell's {rel(f)}")
    for f in files:
        if "/hdl/shells/stubs/" in str(f):
            errs.append(f"{rel(src)} lists the lint-only stub {rel(f)}")
    if len(jsons) != 1:
        errs.append(f"{rel(src)} must name exactly one AFU JSON, names {[rel(j) for j in jsons]}")
    if not sdc:
        errs.append(f"{rel(src)} names no .sdc (the CDC constraints)")
    for r in ("build.sh", "flash.sh", "manifest.py"):
        if not (recipe_dir / r).exists():
            errs.append(f"{rel(recipe_dir / r)} is missing")
    for r in recipe_dir.glob("*.sh"):
        for m in re.finditer(r"\$ROOT/([A-Za-z0-9_./\-]+)", r.read_text()):
            p = m.group(1).rstrip(".")
            if p.startswith(("bitstreams/out", "build/")) or "$" in p:
                continue
            if not (ROOT / p).exists():
                errs.append(f"{rel(r)} names $ROOT/{p}, which does not exist")
    chk.result(board, "files-named", errs, f"{len(files)} files in sources.txt, {len(sv)} HDL, {len(sdc)} SDC")

    # ---- afu-json
    errs = []
    top_mod = ""
    for j in jsons:
        try:
            afu = json.loads(j.read_text())
            img = afu["afu-image"]
            top_mod = img["afu-top-interface"]["class"]
            uuids = [c["accelerator-type-uuid"] for c in img["accelerator-clusters"]]
        except (json.JSONDecodeError, KeyError, TypeError, IndexError) as e:
            errs.append(f"{rel(j)}: not an AFU JSON ({type(e).__name__}: {e})")
            continue
        if top_mod != "ofs_plat_afu":
            errs.append(f"{rel(j)}: afu-top-interface class is '{top_mod}', the PIM top is ofs_plat_afu")
        if not any(re.search(rf"^\s*module\s+{re.escape(top_mod)}\b", f.read_text(), re.M) for f in sv if f.exists()):
            errs.append(f"{rel(j)}: no listed HDL file defines module {top_mod}")
        hw = (ROOT / "docs" / "hardware.md").read_text()
        for u in uuids:
            if not AFU_UUID.match(u) or u == "00000000-0000-0000-0000-000000000000":
                errs.append(f"{rel(j)}: accelerator-type-uuid '{u}' is not a lower-case RFC 4122 UUID")
            elif u not in hw:
                errs.append(f"{rel(j)}: the AFU UUID {u} is not documented in docs/hardware.md")
        # the one source is card.toml's afu.uuid: the driver checks the AFU header against it, the
        # RTL presents it through tw_card_pkg (OPAE reads the id from AFU MMIO 0x08/0x10)
        want = tomllib.loads((ROOT / "hdl" / "regs" / "card.toml").read_text())["afu"]["uuid"]
        if uuids and uuids[0] != want:
            errs.append(f"{rel(j)}'s accelerator-type-uuid {uuids[0]} differs from hdl/regs/card.toml afu.uuid {want}")
        ids = [m.group(1).replace("_", "").lower() for f in sv if f.exists()
               for m in re.finditer(r"localparam\s+logic\s*\[127:0\]\s*AFU_ID\s*=\s*128'h([0-9a-fA-F_]+)", f.read_text())]
        if len(ids) != 1:
            errs.append(f"expected one `localparam logic [127:0] AFU_ID = 128'h...` (tw_card_pkg) in the AFU's sources, found {len(ids)}")
        elif ids[0] != want.replace("-", ""):
            errs.append(f"the RTL's AFU_ID {ids[0]} differs from hdl/regs/card.toml afu.uuid {want}")
    chk.result(board, "afu-json", errs, f"top {top_mod}")

    # ---- tcl-parse: the SDC (Tcl) files
    chk.result(board, "tcl-parse", tcl_parse([f for f in sdc if f.exists()]), f"{len(sdc)} files")

    # ---- recipes: shell syntax, the no-tools error, the manifest writer on a synthetic build
    errs = []
    for r in ("build.sh", "flash.sh"):
        if (recipe_dir / r).exists():
            b = subprocess.run(["bash", "-n", str(recipe_dir / r)], capture_output=True, text=True)
            if b.returncode:
                errs.append(f"{rel(recipe_dir / r)}: bash -n: {b.stderr.strip()}")
    if not shutil.which("afu_synth_setup") and not shutil.which("quartus_sh"):
        env = {k: v for k, v in os.environ.items() if k != "OPAE_PLATFORM_ROOT"}
        env.update(TW_OUT_DIR=str(work / "out"), TW_WORK_DIR=str(work / "work"))
        for r, word in (("build.sh", "Quartus"), ("flash.sh", "OPAE")):
            b = subprocess.run(["bash", str(ROOT / "bitstreams" / r), board], capture_output=True, text=True, env=env)
            if b.returncode != 2 or word not in b.stderr:
                errs.append(f"bitstreams/{r} {board} without the tools: exit {b.returncode}, expected 2 and a message naming {word}")
    fake = work / "fake"
    (fake / "build" / "output_files").mkdir(parents=True)
    (fake / "build" / "output_files" / "afu.fit.summary").write_text(
        "Fitter Status : Successful\nLogic utilization (in ALMs) : 12,345 / 933,120 ( 1 % )\n"
        "Total registers : 23456\nTotal RAM Blocks : 78 / 11,721 ( < 1 % )\nTotal DSP Blocks : 0 / 5,760 ( 0 % )\n")
    (fake / "build" / "output_files" / "afu.sta.summary").write_text(
        "Type  : Setup 'u_host_clk'\nSlack : 0.123\nTNS   : 0.000\n\nType  : Hold 'u_host_clk'\nSlack : 0.045\nTNS   : 0.000\n")
    out = work / "mout"
    out.mkdir()
    (out / "tw_d5005.gbs").write_bytes(b"\0")
    mp = recipe_dir / "manifest.py"
    if mp.exists():
        r = subprocess.run([sys.executable, str(mp), "--work", str(fake), "--out", str(out), "--build-id", "7",
                            "--git-rev", "check"], capture_output=True, text=True)
        if r.returncode:
            errs.append(f"{rel(mp)} failed on a synthetic build: {(r.stdout + r.stderr).strip()[-300:]}")
        else:
            m = json.loads((out / "manifest.json").read_text())
            for k in ("board", "git_rev", "build_id", "tool", "tool_version", "utilisation", "timing"):
                if k not in m:
                    errs.append(f"manifest.json lacks '{k}'")
            if m.get("utilisation", {}).get("alms") != 12345 or m.get("timing", {}).get("wns_ns") != 0.123 \
                    or m.get("timing", {}).get("met") is not True or m.get("build_id") != 7:
                errs.append(f"manifest.json from the synthetic summaries is wrong: {m.get('utilisation')}, {m.get('timing')}")
    chk.result(board, "recipes", errs, "build.sh/flash.sh syntax, exit 2 without the tools, manifest.py")

    # ---- stubs
    # packages first (the interfaces import them), then the rest by name
    stub_files = [str(f) for f in sorted(stub_dir.glob("*.sv"), key=lambda f: ("pkg" not in f.name, f.name))]
    errs = [f"{rel(f)}: not marked 'LINT ONLY, NEVER SYNTHESIZED'" for f in [*stub_dir.glob("*.sv"), *stub_dir.glob("*.vh")]
            if "LINT ONLY, NEVER SYNTHESIZED" not in f.read_text()]
    chk.result(board, "stubs", errs, f"{len(stub_files)} files in {rel(stub_dir)}")

    # ---- lint: the listed HDL plus the stubs, under the stubs' lint top (Verilator cannot take a
    # module with an interface port as its top)
    vlt = [str(ROOT / "hdl" / "lint.vlt"), str(ROOT / "hdl" / "shells" / "lint.vlt")]
    lint_files = stub_files + [str(f) for f in sv]
    r = verilator(["--lint-only", "-Wall", *vlt, f"-I{stub_dir}", *lint_files, "--top-module", "tw_lint_afu_top"])
    out_lines = [l for l in (r.stdout + r.stderr).splitlines() if l.startswith("%")]
    chk.result(board, "lint", out_lines if r.returncode != 0 or out_lines else [],
               f"verilator -Wall, {len(lint_files)} files, top tw_lint_afu_top > {top_mod}")

    # ---- CDC coverage, and every listed primitive has a rule in the SDC
    errs, listed = cdc_coverage([str(f) for f in sv if f.exists()] + stub_files, [c for c in sdc if c.exists()], stub_files)
    for c in [c for c in sdc if c.exists()]:
        text = strip_tcl_comments(c.read_text())
        text = re.sub(r"set\s+tw_cdc_(primitives|composed)\s+\{[^}]*\}", "", text)
        for mod in sorted(listed):
            if not re.search(rf"\b{mod}\b", text):
                errs.append(f"{rel(c)}: {mod} is listed in tw_cdc_primitives but has no rule")
    chk.result(board, "cdc", errs, f"{len(listed)} primitives constrained")


# ------------------------------------------------------------------------------- one board
def check_board(board: str, chk: Check, work: Path) -> None:
    shell_dir = ROOT / "hdl" / "shells" / board
    recipe_dir = ROOT / "bitstreams" / board
    build = recipe_dir / "build.tcl"
    flash = recipe_dir / "flash.tcl"
    if not build.exists() and (shell_dir / "sources.txt").exists():
        check_afu_board(board, chk, work)
        return
    if not build.exists():
        chk.result(board, "recipe", [f"{rel(build)} is missing (every shell needs a build recipe)"])
        return

    # the board's recipes and constraints, and the shared ones (bitstreams/*.tcl: common.tcl and
    # the flows the boards source; constraints/common/)
    tcl_files = sorted({*recipe_dir.glob("*.tcl"), *(ROOT / "bitstreams").glob("*.tcl"),
                        *(ROOT / "constraints" / board).glob("*.tcl"),
                        *(ROOT / "constraints" / "common").glob("*.tcl"),
                        ROOT / "scripts" / "vivado_mock.tcl"})
    xdc_files = sorted({*(ROOT / "constraints" / board).glob("*.xdc"),
                        *(ROOT / "constraints" / "common").glob("*.xdc")})
    chk.result(board, "tcl-parse", tcl_parse(tcl_files + xdc_files), f"{len(tcl_files) + len(xdc_files)} files")

    errs, n = files_named([f for f in tcl_files if f.name != "vivado_mock.tcl"], recipe_dir)
    chk.result(board, "files-named", errs, f"{n} references")

    # ---- dry run of build.tcl, then flash.tcl in both modes on its images
    out, wdir = work / "out", work / "work"
    rc, text, calls = dry_run(build, {"TW_OUT_DIR": str(out), "TW_WORK_DIR": str(wdir)}, work / "build.log")
    errs = []
    if rc != 0:
        errs.append(f"build.tcl stopped (exit {rc}) under the mock:")
        errs.extend("  " + l for l in text.strip().splitlines()[:6])
    sv_files, cons, tops, ips = [], [], [], []
    for c in calls:
        cmd, args = c[0], c[1:]
        plain = [a for a in args if not a.startswith("-")]
        if cmd == "read_verilog":
            sv_files.extend(plain)
        elif cmd == "read_xdc" or (cmd == "source" and "/constraints/" in (plain[-1] if plain else "")):
            cons.extend(plain)
        elif cmd == "synth_design" and "-top" in args:
            tops.append(args[args.index("-top") + 1])
        elif cmd == "create_ip" and "-module_name" in args:
            ips.append(args[args.index("-module_name") + 1])
        if cmd in ("read_verilog", "read_xdc", "read_ip", "add_files", "source"):
            for p in plain:
                if not Path(p).exists():
                    errs.append(f"build.tcl reads {p}, which does not exist")
    shell_files = sorted(shell_dir.glob("*.sv"))
    for sf in shell_files:
        if str(sf) not in sv_files:
            errs.append(f"build.tcl does not read the shell's {rel(sf)}")
    if any("/hdl/shells/stubs/" in f for f in sv_files):
        errs.append("build.tcl reads a lint-only stub from hdl/shells/stubs/")
    top = tops[0] if tops else ""
    if len(tops) != 1:
        errs.append(f"expected one synth_design -top, found {tops}")
    elif not any(re.search(rf"^\s*module\s+{re.escape(top)}\b", sf.read_text(), re.M) for sf in shell_files):
        errs.append(f"synth_design -top {top}: no such module in {rel(shell_dir)}")
    if rc == 0 and not (out / "manifest.json").exists():
        errs.append("build.tcl wrote no manifest.json")
    elif rc == 0:
        try:
            m = json.loads((out / "manifest.json").read_text())
            for k in ("board", "git_rev", "build_id", "tool_version", "utilisation", "timing"):
                if k not in m:
                    errs.append(f"manifest.json lacks '{k}'")
        except json.JSONDecodeError as e:
            errs.append(f"manifest.json is not JSON: {e}")
    for mode in ("flash", "jtag") if rc == 0 else ():
        if not flash.exists():
            errs.append(f"{rel(flash)} is missing")
            break
        frc, ftext, _ = dry_run(flash, {"TW_IMAGE_DIR": str(out), "TW_FLASH_MODE": mode}, work / f"flash-{mode}.log")
        if frc != 0:
            errs.append(f"flash.tcl ({mode}) stopped under the mock:")
            errs.extend("  " + l for l in ftext.strip().splitlines()[:4])
    chk.result(board, "dry-run", errs, f"top {top}, {len(sv_files)} HDL files, {len(cons)} constraint files, IP {', '.join(ips)}")

    # ---- stubs
    errs, stub_files = [], []
    for ip in ips:
        stub = ROOT / "hdl" / "shells" / "stubs" / f"{ip}.sv"
        if not stub.exists():
            errs.append(f"IP {ip} has no lint stub {rel(stub)}")
            continue
        text = stub.read_text()
        stub_files.append(str(stub))
        if "LINT ONLY, NEVER SYNTHESIZED" not in text:
            errs.append(f"{rel(stub)}: not marked 'LINT ONLY, NEVER SYNTHESIZED'")
        if not re.search(rf"^module\s+{re.escape(ip)}\s*\(", text, re.M):
            errs.append(f"{rel(stub)}: the module is not named {ip}")
        decl = re.findall(r"^\s*(?:input|output|inout)\b.*$", text, re.M)
        form = re.compile(r"^\s*(input|output|inout)\s+(wire|logic)\s*(\[\d+:0\])?\s*\w+\s*,?\s*(//.*)?$")
        for d in decl:
            if not form.match(d):
                errs.append(f"{rel(stub)}: port line not in the form build.tcl parses: {d.strip()}")
    unisim = sorted((ROOT / "hdl" / "shells" / "stubs" / "unisim").glob("*.sv"))
    for u in unisim:
        if "LINT ONLY, NEVER SYNTHESIZED" not in u.read_text():
            errs.append(f"{rel(u)}: not marked 'LINT ONLY, NEVER SYNTHESIZED'")
    chk.result(board, "stubs", errs, f"{len(stub_files)} IP stubs, {len(unisim)} primitive stubs")

    # ---- lint: exactly what the recipe synthesises, plus the stubs
    vlt = [str(ROOT / "hdl" / "lint.vlt"), str(ROOT / "hdl" / "shells" / "lint.vlt")]
    files = sv_files + stub_files + [str(u) for u in unisim]
    if not top or not sv_files:
        chk.result(board, "lint", ["no file list from the dry run"])
        return
    r = verilator(["--lint-only", "-Wall", *vlt, *files, "--top-module", top])
    out_lines = [l for l in (r.stdout + r.stderr).splitlines() if l.startswith("%")]
    chk.result(board, "lint", out_lines if r.returncode != 0 or out_lines else [],
               f"verilator -Wall, {len(files)} files, top {top}")

    # ---- pins and get_ports
    ports, errs = top_ports(files, top, vlt)
    if errs:
        chk.result(board, "pins", errs)
        return
    bits = port_bits(ports)
    cfiles = [Path(c) for c in cons]
    pin_errs, gp_errs, stats = check_constraints(cfiles, bits)
    chk.result(board, "pins", pin_errs, f"{len(ports)} ports, {len(bits)} bits placed, {stats['mgt']} on transceiver pins")
    chk.result(board, "get-ports", gp_errs, f"{len(cfiles)} constraint files")

    # ---- CDC coverage
    errs, listed = cdc_coverage(files, cfiles, stub_files)
    chk.result(board, "cdc", errs, f"{len(listed)} primitives constrained")


def main() -> int:
    if shutil.which("tclsh") is None:
        print("shells-check: tclsh not found: install Tcl (Debian: apt-get install tcl, which pulls in tcl8.6)")
        print("shells-check: 0 passed, 1 failed")
        return 1
    if shutil.which("verilator") is None:
        print("shells-check: verilator not found: source scripts/env.sh (make setup installs it)")
        print("shells-check: 0 passed, 1 failed")
        return 1
    boards = sorted(d.name for d in (ROOT / "hdl" / "shells").iterdir()
                    if d.is_dir() and d.name not in NOT_BOARDS)
    only = sys.argv[1:]
    if only:
        boards = [b for b in boards if b in only]
    chk = Check()
    if not boards:
        chk.result("-", "boards", ["no board shells in hdl/shells/"])
    for board in boards:
        with tempfile.TemporaryDirectory(prefix=f"shells-check-{board}-") as d:
            check_board(board, chk, Path(d))
    print(f"shells-check: {chk.passed} passed, {chk.failed} failed")
    return 1 if chk.failed else 0


if __name__ == "__main__":
    sys.exit(main())
