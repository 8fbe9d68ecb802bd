# SPDX-License-Identifier: Apache-2.0
"""Unit bench: tw_card_clock (rx_clk time counter, host commands and snapshot across clk).

Scoreboard style. The rx model integrates the 8.32 increment exactly on the full 96-bit time
({ns, fraction}, read from the accumulator every rx cycle) and predicts each cycle's value; a
command accepted in clk must show up exactly once, 4-5 rx edges later, as exactly its effect
(set: time = v.0; step: time += inc + v; inc: the cycle advances by the new increment). The clk
monitor predicts which strobes are accepted or dropped (busy sampled at the strobe's edge),
checks cmd_dropped, busy (it may only fall once snap_ns shows the applied command), inc_cur, and
every snapshot: it must be an rx_time_ns value of some rx cycle, never go backwards in rx cycles,
and lag the live time by the documented number of rx cycles. TIME_LO/TIME_HI reads are checked
for consistency, near 2^32 wraps of the low word so an unlatched high word would be caught.
Axes: rx clock period (322.27, 156.25 and 390.625 MHz against clk 250 MHz); command mix and rate.

Run: .venv/bin/pytest -q hdl/tb/tw_card_clock      (TW_TB_SEED=<n> to change the random seed)
"""
import os
import random
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, FallingEdge, ReadOnly, RisingEdge, Timer

ROOT = Path(__file__).resolve().parents[3]
SEED = int(os.environ.get("TW_TB_SEED", "1"))
CLK_PS = 4000                     # 250 MHz
INC_NOM = 0x3_1A60_31A6           # the RTL default: round(512/165 * 2^32), 322.265625 MHz
M96, M64, M40 = (1 << 96) - 1, (1 << 64) - 1, (1 << 40) - 1
SET, STEP, INC = "set", "step", "inc"
# Documented staleness (rx cycles between snap_ns's value and the live rx_time_ns, over all
# instants; tw_card_clock.sv's header), and the rx edge after the accepting clk edge at which a
# command takes effect.
LAG = {3103: (3, 10), 6400: (2, 6), 2560: (4, 11)}
LAG_MAX_SILICON = {3103: 15, 6400: 9, 2560: 16}   # every synchroniser one edge late
APPLY_EDGES = (4, 5)              # 0-based index of the rx edge after the accept edge
N_CMDS = 200
BUSY_MAX_CLK = 24                 # clk cycles from the accepting edge until busy is low again


def inc_of(period_ps):
    return round(period_ps * (1 << 32) / 1000)


def loop_model(t_rx, t_clk, late=0):
    """Event-level model of the snapshot loop, independent of the RTL: the rx side samples at R0
    (the value of the rx cycle ending at R0) and toggles req; clk's synchroniser samples it at the
    first clk edge after R0, its output changes one edge later, and the word lands in snap_ns on
    the edge after that (tu), which also toggles ack; the rx side likewise samples ack at the first
    rx edge after tu and samples the next word two edges later. late=1: every synchroniser takes
    one more edge (metastability, routing delay up to a period). Returns (min, max) over all
    phases of the number of rx edges in [R0, t] while snap_ns holds R0's word, i.e. the staleness
    in rx cycles, and the set of loop periods in rx cycles."""
    def after(t, period, phase):               # first edge phase + k * period strictly after t
        return phase + ((t - phase) // period + 1) * period
    lo, hi, loops = 1 << 30, 0, set()
    for phase in range(0, t_clk, 7):          # rx phase against the clk grid, in ps
        r0 = phase
        for _ in range(8):
            tu = after(r0, t_clk, 0) + (2 + late) * t_clk
            r1 = after(tu, t_rx, phase) + (2 + late) * t_rx
            tu1 = after(r1, t_clk, 0) + (2 + late) * t_clk
            lo = min(lo, (tu - r0) // t_rx + 1)          # edges in [r0, tu]
            hi = max(hi, -(-(tu1 - r0) // t_rx))         # edges in [r0, tu1)
            loops.add((r1 - r0) // t_rx)
            r0 = r1
    return lo, hi, loops


class TB:
    def __init__(self, dut, rx_ps, seed):
        self.dut, self.rx_ps, self.rng = dut, rx_ps, random.Random(seed)
        self.nominal = INC_NOM if rx_ps == 3103 else inc_of(rx_ps)   # ns/cycle for the ns figures
        self.clocks = [Clock(dut.rx_clk, rx_ps, unit="ps", period_high=rx_ps - rx_ps // 2),
                       Clock(dut.clk, CLK_PS, unit="ps")]
        self.reset_model()
        self.stats = {"lag": [], "lag_ns": [], "refresh": [], "busy": [], "apply": [], "dropped": 0,
                      "accepted": 0, "reads": 0, "reads_spanning_hi_change": 0, "snaps": 0}

    # ------------------------------------------------------------------ model state
    def reset_model(self):
        self.T = 0                  # model time, 96 bits
        self.inc = INC_NOM          # model increment in effect (rx side)
        self.hist = []              # rx_time_ns per rx cycle since reset
        self.idx_of = {}            # ns -> latest rx cycle with that ns
        self.ambiguous = set()      # ns values seen in more than one rx cycle
        self.pending = None         # accepted command not yet seen in rx: dict
        self.last_cmd = None        # last accepted command (applied or not)
        self.jumps = []             # rx cycles at which a set/step took effect
        self.inc_cur = INC_NOM      # expected inc_cur output
        self.tgl = 0                # applied toggle (reset value 0)
        self.rx_live = False
        self.clk_live = False
        self.snap_live = False      # the first snapshot has reached clk (snap_ns left reset)

    async def reset(self):
        d = self.dut
        for s in ("inc_wr", "set_wr", "step_wr", "lo_rd"):
            getattr(d, s).value = 0
        d.inc_value.value = 0
        d.set_value.value = 0
        d.step_value.value = 0
        d.rst.value = 1
        d.rx_rst.value = 1
        self.rx_live = self.clk_live = self.snap_live = False
        # clk first, rx after a random offset: a random phase between commensurate clocks
        self.clocks[1].start()
        await Timer(self.rng.randrange(1, CLK_PS), unit="ps")
        self.clocks[0].start()
        await ClockCycles(d.clk, 6)
        self.reset_model()
        # Release both on falling edges (inputs change on falling edges throughout the bench).
        await FallingEdge(d.clk)
        d.rst.value = 0
        await FallingEdge(d.rx_clk)
        d.rx_rst.value = 0
        cocotb.start_soon(self.rx_monitor())
        cocotb.start_soon(self.clk_monitor())
        await ClockCycles(d.clk, 4)

    # ------------------------------------------------------------------ rx monitor + model
    async def rx_monitor(self):
        d = self.dut
        while True:
            await RisingEdge(d.rx_clk)
            await ReadOnly()
            V = int(d.time_q.value)
            if int(d.rx_rst.value):
                assert V == 0, f"time {V:#x} in reset"
                continue
            if not self.rx_live:                    # first edge out of reset: log the reset
                self.rx_live = True                 # cycle (time 0) as rx cycle 0
                self.T = 0
                self.idx_of[0] = 0
                self.hist.append(0)
            k = len(self.hist)                      # index of this rx cycle
            # The applied toggle marks the edge a command takes effect (and goes into the
            # snapshot with this very time): it must coincide with the command's effect.
            tgl = int(d.applied_tgl_q.value)
            toggled, self.tgl = tgl != self.tgl, tgl
            exp = (self.T + self.inc) & M96
            p = self.pending
            if toggled:
                assert p is not None, f"rx cycle {k}: applied toggle without a command"
                if p["kind"] == SET:
                    exp = p["value"] << 32
                elif p["kind"] == STEP:
                    exp = (self.T + self.inc + (p["value"] << 32)) & M96
                else:
                    exp = (self.T + p["value"]) & M96
                    self.inc = p["value"]
                lat = k - p["rx_idx"]
                assert APPLY_EDGES[0] <= lat <= APPLY_EDGES[1], f"{p['kind']} applied {lat} rx edges after accept"
                self.stats["apply"].append(lat)
                if p["kind"] != INC:
                    self.jumps.append(k)
                p["applied_idx"] = k
                self.pending = None
            elif p is not None:
                assert k - p["rx_idx"] <= APPLY_EDGES[1], f"{p['kind']} not applied after {k - p['rx_idx']} rx edges"
            assert V == exp, (f"rx cycle {k}: time {V:#026x}, expected {exp:#026x} (inc {self.inc:#x}"
                              + (f", {p['kind']} {p['value']:#x} applied" if toggled else "") + ")")
            self.T = V
            ns = V >> 32
            assert int(d.rx_time_ns.value) == ns, "rx_time_ns != time_q[95:32]"
            if ns in self.idx_of:
                self.ambiguous.add(ns)
            self.idx_of[ns] = k
            self.hist.append(ns)
            if self.clk_live:
                self.measure_lag(int(d.snap_ns.value), k, ns)

    def measure_lag(self, snap, cur, cur_ns):
        """Staleness in rx cycles (and ns), when the snapshot maps to one rx cycle unambiguously."""
        if not self.snap_live or snap in self.ambiguous or snap not in self.idx_of:
            return
        i = self.idx_of[snap]
        if self.jumps and i < self.jumps[-1] <= cur:
            return                                  # a set/step since: not a measure of the loop
        lo, hi = LAG[self.rx_ps]
        assert lo <= cur - i <= hi, f"snap_ns is {cur - i} rx cycles old, documented {lo}..{hi}"
        self.stats["lag"].append(cur - i)
        if self.inc == self.nominal:
            self.stats["lag_ns"].append((cur_ns - snap) & M64)

    # ------------------------------------------------------------------ clk monitor
    async def clk_monitor(self):
        d = self.dut
        busy_prev, snap_prev, lo_prev = 0, 0, 0
        snap_idx_prev, busy_since, refresh_at = 0, None, None
        ncyc = 0
        while True:
            await RisingEdge(d.clk)
            await ReadOnly()
            if int(d.rst.value):
                continue
            ncyc += 1
            self.clk_live = True
            self.snap_live = self.snap_live or bool(int(d.u_snap.m_valid_q.value))
            wr = {SET: int(d.set_wr.value), STEP: int(d.step_wr.value), INC: int(d.inc_wr.value)}
            nwr = sum(wr.values())
            busy, dropped = int(d.busy.value), int(d.cmd_dropped.value)
            snap, inc_cur = int(d.snap_ns.value), int(d.inc_cur.value)
            # -- acceptance, as documented: first of set > step > inc when busy was low
            accept = nwr > 0 and not busy_prev
            exp_drop = nwr > 0 and (busy_prev or nwr > 1)
            assert dropped == int(exp_drop), f"cmd_dropped={dropped}, strobes {wr}, busy was {busy_prev}"
            self.stats["dropped"] += int(exp_drop)
            if accept:
                kind = SET if wr[SET] else STEP if wr[STEP] else INC
                val = {SET: int(d.set_value.value), STEP: int(d.step_value.value),
                       INC: int(d.inc_value.value)}[kind]
                assert self.pending is None, "accepted a command while one was pending"
                # rx edges seen so far; a coincident rx edge may not be counted yet: the apply
                # window allows for it.
                cmd = {"kind": kind, "value": val, "rx_idx": len(self.hist), "applied_idx": None}
                self.pending = self.last_cmd = cmd
                self.stats["accepted"] += 1
                busy_since = ncyc
                assert busy == 1, "busy not set by an accepted strobe"
            # -- busy falls only once snap_ns shows the applied command
            if busy_prev and not busy:
                c = self.last_cmd
                assert c is not None and c["applied_idx"] is not None, "busy fell before the command was applied"
                assert snap in self.idx_of and self.idx_of[snap] >= c["applied_idx"], \
                    f"busy fell but snap_ns {snap:#x} predates the {c['kind']} (applied at rx {c['applied_idx']})"
                if c["kind"] == INC:
                    self.inc_cur = c["value"]
                self.stats["busy"].append(ncyc - busy_since)
            if busy:
                assert busy_since is not None and ncyc - busy_since <= BUSY_MAX_CLK, "busy stuck"
            else:
                assert self.pending is None, "busy low with a command not yet applied"
            assert inc_cur == self.inc_cur, f"inc_cur {inc_cur:#x}, expected {self.inc_cur:#x}"
            # -- snapshot: a real rx_time_ns value, never older than the previous one
            assert snap in self.idx_of or (not self.hist and snap == 0), f"snap_ns {snap:#x} never was rx time"
            if self.hist:
                idx = self.idx_of[snap]
                if snap != snap_prev:
                    self.stats["snaps"] += 1
                    if refresh_at is not None and snap not in self.ambiguous:
                        self.stats["refresh"].append(idx - refresh_at)
                    refresh_at = idx if snap not in self.ambiguous else None
                    if not any(snap_idx_prev < j <= idx for j in self.jumps):   # modulo 2^64
                        assert (snap - snap_prev) & M64 < 1 << 63, \
                            f"snap_ns went back {snap_prev:#x} -> {snap:#x} without set/step"
                    assert snap in self.ambiguous or snap_prev in self.ambiguous or idx > snap_idx_prev, \
                        "snapshot from an older rx cycle than the previous one"
                snap_idx_prev = idx
                # live rx cycle: look the accumulator up (a coincident rx edge may not be logged yet)
                cur_ns = int(d.rx_time_ns.value)
                cur = self.idx_of[cur_ns] if cur_ns in self.idx_of and self.hist[-1] == cur_ns else len(self.hist)
                self.measure_lag(snap, cur, cur_ns)
            # -- TIME_LO / TIME_HI
            assert int(d.time_lo.value) == snap & 0xFFFF_FFFF, "time_lo != snap_ns[31:0]"
            if int(d.lo_rd.value):
                hi = int(d.time_hi.value)
                assert hi == snap_prev >> 32, f"time_hi {hi:#x} not latched from snap_ns {snap_prev:#x}"
                self.read_lo, self.read_hi = lo_prev, hi
                self.read_val = (hi << 32) | lo_prev
                assert self.read_val in self.idx_of, f"TIME read {self.read_val:#x} never was rx time"
            elif hasattr(self, "read_hi"):
                assert int(d.time_hi.value) == self.read_hi, "time_hi changed without lo_rd"
            busy_prev, snap_prev, lo_prev = busy, snap, snap & 0xFFFF_FFFF

    # ------------------------------------------------------------------ host
    async def strobe(self, **kw):
        """Drive strobes (set=v, step=v, inc=v) for one clk cycle, from falling edge to falling edge."""
        d = self.dut
        await FallingEdge(d.clk)
        for kind, v in kw.items():
            getattr(d, kind + "_value").value = v & (M40 if kind == INC else M64)
            getattr(d, kind + "_wr").value = 1
        await FallingEdge(d.clk)
        for kind in kw:
            getattr(d, kind + "_wr").value = 0

    async def command(self, **kw):
        """What the driver does: write, then poll busy until it is low."""
        await self.strobe(**kw)
        while int(self.dut.busy.value):
            await FallingEdge(self.dut.clk)

    async def read_time(self, gap):
        """TIME_LO read (lo_rd for one cycle) then, `gap` cycles later, TIME_HI."""
        d = self.dut
        await FallingEdge(d.clk)
        d.lo_rd.value = 1
        await FallingEdge(d.clk)
        d.lo_rd.value = 0
        await ClockCycles(d.clk, gap)
        await ReadOnly()
        hi_live = int(d.snap_ns.value) >> 32
        assert int(d.time_hi.value) == self.read_hi
        self.stats["reads"] += 1
        self.stats["reads_spanning_hi_change"] += int(hi_live != self.read_hi)
        return self.read_val

    async def idle(self, n):
        await ClockCycles(self.dut.clk, n)

    def random_inc(self, nominal):
        ppm = self.rng.uniform(-500, 500)
        return (round(nominal * (1 + ppm * 1e-6)) ^ self.rng.getrandbits(8)) & M40

    def report(self, name):
        s = self.stats
        lag = s["lag"]
        assert lag, "no staleness samples"
        self.dut._log.info(
            "%s rx=%d ps: staleness %d..%d rx cycles (%d..%d ns), refresh every %s rx cycles, busy %s clk cycles, "
            "apply at rx edge %s, %d accepted, %d dropped, %d snapshots, %d reads (%d spanning a TIME_HI change)",
            name, self.rx_ps, min(lag), max(lag), min(s["lag_ns"], default=-1), max(s["lag_ns"], default=-1), sorted(set(s["refresh"])),
            f"{min(s['busy'])}..{max(s['busy'])}" if s["busy"] else "-", sorted(set(s["apply"])),
            s["accepted"], s["dropped"], s["snaps"], s["reads"], s["reads_spanning_hi_change"])

    def check_lag(self):
        lo, hi, loops = loop_model(self.rx_ps, CLK_PS)
        assert (lo, hi) == LAG[self.rx_ps], f"loop model {lo}..{hi}, documented {LAG[self.rx_ps]}"
        assert loop_model(self.rx_ps, CLK_PS, late=1)[1] == LAG_MAX_SILICON[self.rx_ps]
        got = (min(self.stats["lag"]), max(self.stats["lag"]))
        # The documented bounds hold, and are tight: the bench reaches both.
        assert got == (lo, hi), f"staleness {got} rx cycles, documented {lo}..{hi}"
        assert set(self.stats["refresh"]) <= loops, f"refresh periods {set(self.stats['refresh'])}, model {loops}"


# ---------------------------------------------------------------------------- tests

async def run_free(dut, rx_ps):
    """Reset state, free running at the nominal increment, staleness, and TIME_LO/HI reads."""
    tb = TB(dut, rx_ps, SEED)
    await tb.reset()
    assert int(dut.inc_cur.value) == INC_NOM and int(dut.busy.value) == 0
    if rx_ps != 3103:
        await tb.command(inc=inc_of(rx_ps))
        await tb.idle(10)
        tb.stats["lag"], tb.stats["lag_ns"] = [], []   # ns figures at the nominal increment
    for _ in range(60):
        await tb.read_time(tb.rng.randint(0, 6))
        await tb.idle(tb.rng.randint(1, 40))
    tb.report("free")
    tb.check_lag()
    assert tb.stats["reads"] == 60


async def run_commands(dut, rx_ps):
    """A host-like mix: each command after busy fell. Sets near carry boundaries, steps both ways,
    increments across +-500 ppm (random low bits), reads across 2^32 wraps of TIME_LO."""
    tb = TB(dut, rx_ps, SEED + rx_ps)
    rng = tb.rng
    await tb.reset()
    nominal = inc_of(rx_ps)
    await tb.command(inc=nominal)
    await tb.idle(10)
    tb.stats["lag"], tb.stats["lag_ns"] = [], []
    edges = [(1 << 32) - 400, (1 << 64) - 400, (1 << 63) - 400, (0xDEAD_BEEF << 32) - 300]
    for i in range(N_CMDS):
        r = rng.random()
        if i % 8 == 0:
            await tb.command(set=edges[(i // 8) % len(edges)])
            hi0 = edges[(i // 8) % len(edges)] >> 32
            for _ in range(60):                    # read until TIME_LO has wrapped
                v = await tb.read_time(rng.randint(2, 12))
                if v >> 32 != hi0:
                    break
            else:
                raise AssertionError("TIME_HI never changed after a set near a 2^32 boundary")
        elif r < 0.3:
            await tb.command(step=rng.choice([1, -1, 3, -7, 1000, -1000, rng.randint(-(1 << 40), 1 << 40)]))
        elif r < 0.4:
            await tb.command(step=(1 << 63) if rng.random() < 0.5 else -(1 << 62))
        elif r < 0.8:
            await tb.command(inc=tb.random_inc(nominal))
        elif r < 0.82:                              # extremes: stopped, fastest, back
            await tb.command(inc=rng.choice([0, M40, 1, 1 << 32]))
            await tb.idle(rng.randint(0, 30))
            await tb.command(inc=tb.random_inc(nominal))
        else:
            await tb.command(set=rng.getrandbits(64))
        await tb.idle(rng.randint(0, 30))
        if rng.random() < 0.5:
            await tb.read_time(rng.randint(0, 4))
    await tb.idle(40)
    tb.report("commands")
    assert tb.stats["accepted"] >= N_CMDS + 1 and tb.stats["dropped"] == 0
    assert tb.stats["reads_spanning_hi_change"] > 0, "no read straddled a TIME_HI change"
    tb.check_lag()


async def run_busy(dut, rx_ps):
    """Strobes without polling: back to back, during busy, in the cycle busy falls, several at once."""
    tb = TB(dut, rx_ps, SEED + 17)
    rng = tb.rng
    await tb.reset()
    nominal = inc_of(rx_ps)
    # set then, in the next cycles, inc and step: both must be dropped, time exact after the set
    await tb.strobe(set=0x1234_5678_0000)
    await tb.strobe(inc=nominal + 12345)
    await tb.strobe(step=-5)
    await tb.idle(30)
    assert tb.stats["dropped"] == 2 and tb.stats["accepted"] == 1
    assert int(tb.dut.inc_cur.value) == INC_NOM
    # all three in one cycle: set wins, two dropped (one pulse)
    await tb.strobe(set=0x9999_0000_0000, step=77, inc=nominal - 999)
    await tb.idle(30)
    # inc_wr held high for 80 cycles: dropped while busy (including the cycle busy falls, as
    # busy is sampled at the strobe's edge), accepted the cycle after; no-op incs included
    await tb.strobe(step=1 << 20)
    await FallingEdge(dut.clk)
    dut.inc_value.value = nominal + 7
    dut.inc_wr.value = 1
    await tb.idle(80)
    await FallingEdge(dut.clk)
    dut.inc_wr.value = 0
    await tb.idle(30)
    assert tb.stats["accepted"] >= 6 and int(dut.inc_cur.value) == nominal + 7
    # random strobes every cycle, at random rates: the monitor decides accepted/dropped
    for rate in (0.9, 0.3, 0.05):
        for _ in range(1500):
            if rng.random() < rate:
                kind = rng.choice([SET, STEP, INC, INC])
                v = {SET: rng.getrandbits(64), STEP: rng.randint(-(1 << 30), 1 << 30),
                     INC: tb.random_inc(nominal)}[kind]
                await tb.strobe(**{kind: v})
            else:
                await tb.idle(1)
    await tb.idle(40)
    tb.report("busy")
    assert tb.stats["dropped"] > 50 and tb.stats["accepted"] > 30


@cocotb.test()
async def free_322(dut):
    await run_free(dut, 3103)


@cocotb.test()
async def commands_322(dut):
    await run_commands(dut, 3103)


@cocotb.test()
async def busy_322(dut):
    await run_busy(dut, 3103)


@cocotb.test()
async def free_156(dut):
    await run_free(dut, 6400)


@cocotb.test()
async def commands_156(dut):
    await run_commands(dut, 6400)


@cocotb.test()
async def busy_156(dut):
    await run_busy(dut, 6400)


@cocotb.test()
async def free_390(dut):
    await run_free(dut, 2560)


@cocotb.test()
async def commands_390(dut):
    await run_commands(dut, 2560)


# ------------------------------------------------------------------------------------------------
# pytest entry point: build once with Verilator, run every test above in one simulation.

def test_tw_card_clock():
    from tw_tb import RTL, run_bench

    run_bench("tw_card_clock", [RTL / "tw_cdc_sync.sv", RTL / "tw_cdc_handshake.sv", RTL / "tw_card_clock.sv"],
              "tw_card_clock", "test_tw_card_clock", Path(__file__).resolve().parent,
              build_args=["--assert", "--x-assign", "unique", "--x-initial", "unique"])
