# SPDX-License-Identifier: Apache-2.0
"""Unit bench: the board shells' common modules (hdl/shells/common/).

tw_axi_to_axil (scoreboard): a random AXI4 master (single 32-bit accesses to random lanes with
random strobes, bursts, strobes that spill out of the addressed lane, random IDs) against a
register-file model on the AXI4-Lite side that answers SLVERR above 0x3000, both with random
backpressure. The model predicts every register's value, every response code and ID, read data
(replicated in all 16 lanes) and the number of read beats with RLAST on the last; a rejected
access must leave the registers untouched and never reach the AXI4-Lite side.
tw_irq_req: a host that acknowledges requests after random delays; every pulse must be followed
by an acknowledge strictly later (no lost wake-up), a request drops for at least one cycle after
each acknowledge, and a request is only raised after a pulse.
tw_reset_sync: in reset from power-up; released exactly STAGES + 2**HOLD_W + 1 edges after the
source falls; a one-cycle source pulse resets for at least 2**HOLD_W cycles.

Run: .venv/bin/pytest -q hdl/tb/tw_shell_common      (TW_TB_SEED=<n> to change the random seed)
"""
import os
import random
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge

ROOT = Path(__file__).resolve().parents[3]
SEED = int(os.environ.get("TW_TB_SEED", "1"))
LANES = 16
OKAY, SLVERR = 0, 2
ERR_BASE = 0x3000            # the lite model answers SLVERR from here up
N_OPS = 600


async def start(dut):
    cocotb.start_soon(Clock(dut.clk, 4, unit="ns").start())
    for sig in ("s_axi_awvalid", "s_axi_wvalid", "s_axi_bready", "s_axi_arvalid", "s_axi_rready",
                "m_axil_awready", "m_axil_wready", "m_axil_bvalid", "m_axil_arready", "m_axil_rvalid",
                "irq_pulse", "irq_ack", "rs_arst"):
        getattr(dut, sig).value = 0
    dut.rst.value = 1
    await ClockCycles(dut.clk, 4)
    dut.rst.value = 0
    await RisingEdge(dut.clk)


@cocotb.test(timeout_time=1, timeout_unit="ms")
async def reset_sync_timing(dut):
    # first test: the module's flops still hold their power-up values
    stages, hold = 3, 16
    dut.rs_arst.value = 0
    cocotb.start_soon(Clock(dut.clk, 4, unit="ns").start(start_high=False))   # first edge at 2 ns
    await ReadOnly()
    assert dut.rs_rst.value == 1, "not in reset at power-up"
    edges = 0
    while True:
        await RisingEdge(dut.clk)
        edges += 1
        await ReadOnly()
        if not dut.rs_rst.value:
            break
        assert edges < 100
    assert edges == stages + hold, f"power-on reset released after {edges} edges"
    for width in (1, 2, 7):
        await ClockCycles(dut.clk, 5)
        await cocotb.triggers.NextTimeStep()
        first = last = None
        for edge in range(1, stages + width + hold + 12):
            dut.rs_arst.value = int(edge <= width)      # sampled high by edges 1..width
            await RisingEdge(dut.clk)
            await ReadOnly()
            if dut.rs_rst.value:
                first = edge if first is None else first
                last = edge
            await cocotb.triggers.NextTimeStep()
        dut.rs_arst.value = 0
        # up STAGES + 1 edges after the first high sample, down STAGES + 2**HOLD_W edges after the
        # last one: high for width + 2**HOLD_W - 1 sampled cycles
        assert first == stages + 1, f"{width}-cycle source: reset rose at edge {first}"
        assert last == width + stages + hold - 1, f"{width}-cycle source: reset last high at edge {last}"


class LiteSlave:
    """AXI4-Lite register file with random ready/valid delays; records every access. Each cycle:
    in ReadOnly, see which handshakes the coming edge completes (valid and ready as they stand);
    after the edge, act on them and drive the next cycle's signals."""

    def __init__(self, dut, rng):
        self.dut, self.rng, self.regs, self.accesses = dut, rng, {}, []

    async def run(self):
        d, rng = self.dut, self.rng
        aw = w = rd = None
        bvalid = rvalid = 0
        awready = wready = arready = 0
        while True:
            await ReadOnly()
            aw_fire = d.m_axil_awvalid.value and awready
            w_fire = d.m_axil_wvalid.value and wready
            ar_fire = d.m_axil_arvalid.value and arready
            b_fire = bvalid and d.m_axil_bready.value
            r_fire = rvalid and d.m_axil_rready.value
            aw_addr = int(d.m_axil_awaddr.value) if aw_fire else None
            w_word = (int(d.m_axil_wdata.value), int(d.m_axil_wstrb.value)) if w_fire else None
            ar_addr = int(d.m_axil_araddr.value) if ar_fire else None
            await RisingEdge(d.clk)
            if aw_fire:
                assert aw is None, "a second AW before the first write was answered"
                aw = aw_addr
            if w_fire:
                assert w is None, "a second W before the first write was answered"
                w = w_word
            if ar_fire:
                assert rd is None, "a second AR before the first read was answered"
                rd = ar_addr
            if b_fire:
                bvalid = 0
            if r_fire:
                rvalid = 0
            if aw is not None and w is not None and not bvalid and rng.random() < 0.7:
                data, strb = w
                self.accesses.append(("w", aw))
                if aw < ERR_BASE:
                    old = self.regs.get(aw, 0)
                    mask = sum(0xFF << (8 * i) for i in range(4) if strb >> i & 1)
                    self.regs[aw] = (old & ~mask) | (data & mask)
                d.m_axil_bresp.value = OKAY if aw < ERR_BASE else SLVERR
                bvalid = 1
                aw = w = None
            if rd is not None and not rvalid and rng.random() < 0.7:
                self.accesses.append(("r", rd))
                d.m_axil_rdata.value = self.regs.get(rd, 0) if rd < ERR_BASE else 0xDEADBEEF
                d.m_axil_rresp.value = OKAY if rd < ERR_BASE else SLVERR
                rvalid = 1
                rd = None
            awready = int(aw is None and rng.random() < 0.6)
            wready = int(w is None and rng.random() < 0.6)
            arready = int(rd is None and not rvalid and rng.random() < 0.6)
            d.m_axil_bvalid.value, d.m_axil_rvalid.value = bvalid, rvalid
            d.m_axil_awready.value, d.m_axil_wready.value, d.m_axil_arready.value = awready, wready, arready


async def handshake(dut, valid, ready, rng):
    """Hold `valid` up until the edge that sees `ready` with it."""
    getattr(dut, valid).value = 1
    while True:
        await ReadOnly()
        fire = bool(getattr(dut, ready).value)
        await RisingEdge(dut.clk)
        if fire:
            break
    getattr(dut, valid).value = 0


async def axi_write(dut, rng, addr, lanes_data, strb, length, awid):
    dut.s_axi_awid.value, dut.s_axi_awaddr.value, dut.s_axi_awlen.value = awid, addr, length
    dut.s_axi_awprot.value = 0
    await handshake(dut, "s_axi_awvalid", "s_axi_awready", rng)
    for beat in range(length + 1):
        for _ in range(rng.randrange(3)):
            await RisingEdge(dut.clk)
        dut.s_axi_wdata.value = lanes_data
        dut.s_axi_wstrb.value = strb
        dut.s_axi_wlast.value = int(beat == length)
        await handshake(dut, "s_axi_wvalid", "s_axi_wready", rng)
    while True:
        ready = int(rng.random() < 0.5)
        dut.s_axi_bready.value = ready
        await ReadOnly()
        fire = ready and dut.s_axi_bvalid.value
        if fire:
            resp, bid = int(dut.s_axi_bresp.value), int(dut.s_axi_bid.value)
        await RisingEdge(dut.clk)
        if fire:
            dut.s_axi_bready.value = 0
            return resp, bid


async def axi_read(dut, rng, addr, length, arid):
    dut.s_axi_arid.value, dut.s_axi_araddr.value, dut.s_axi_arlen.value = arid, addr, length
    dut.s_axi_arprot.value = 0
    await handshake(dut, "s_axi_arvalid", "s_axi_arready", rng)
    beats = []
    while True:
        ready = int(rng.random() < 0.5)
        dut.s_axi_rready.value = ready
        await ReadOnly()
        fire = ready and dut.s_axi_rvalid.value
        if fire:
            beats.append((int(dut.s_axi_rdata.value), int(dut.s_axi_rresp.value), int(dut.s_axi_rid.value),
                          int(dut.s_axi_rlast.value)))
            assert len(beats) <= length + 1, "more read beats than ARLEN + 1"
        await RisingEdge(dut.clk)
        if fire and beats[-1][3]:
            dut.s_axi_rready.value = 0
            return beats


@cocotb.test(timeout_time=20, timeout_unit="ms")
async def axi_to_axil_scoreboard(dut):
    rng = random.Random(SEED)
    await start(dut)
    lite = LiteSlave(dut, rng)
    cocotb.start_soon(lite.run())
    model = {}
    kinds = {"write": 0, "read": 0, "burst_w": 0, "burst_r": 0, "spill": 0, "err_resp": 0}
    for op in range(N_OPS):
        word = rng.randrange(0x4000 // 4)
        if rng.random() < 0.3:
            word = rng.randrange(16)          # reuse a few registers so reads check writes
        addr = word * 4 + rng.randrange(4) + (rng.randrange(8) << 14) * (rng.random() < 0.1)   # aliases
        waddr = (addr & 0x3FFF) & ~3
        lane = (addr >> 2) & (LANES - 1)
        aid = rng.randrange(16)
        kind = rng.choices(["write", "read", "burst_w", "burst_r", "spill"], [40, 40, 6, 6, 8])[0]
        before = len(lite.accesses)
        if kind in ("write", "burst_w", "spill"):
            value = rng.getrandbits(32)
            lane_strb = rng.randrange(1, 16)
            data = sum(rng.getrandbits(32) << (32 * i) for i in range(LANES))
            data &= ~((1 << 32) - 1 << (32 * lane))
            data |= value << (32 * lane)
            strb = lane_strb << (4 * lane)
            length = 0
            if kind == "burst_w":
                length = rng.randrange(1, 4)
            if kind == "spill":
                other = (lane + rng.randrange(1, LANES)) % LANES
                strb |= rng.randrange(1, 16) << (4 * other)
            resp, bid = await axi_write(dut, rng, addr, data, strb, length, aid)
            assert bid == aid, f"op {op}: BID {bid} != AWID {aid}"
            if kind == "write":
                expect = OKAY if waddr < ERR_BASE else SLVERR
                if waddr < ERR_BASE:
                    old = model.get(waddr, 0)
                    mask = sum(0xFF << (8 * i) for i in range(4) if lane_strb >> i & 1)
                    model[waddr] = (old & ~mask) | (value & mask)
                else:
                    kinds["err_resp"] += 1
                assert lite.accesses[before:] == [("w", waddr)], f"op {op}: lite side saw {lite.accesses[before:]}"
            else:
                expect = SLVERR
                assert lite.accesses[before:] == [], f"op {op}: a rejected write reached the registers"
            assert resp == expect, f"op {op} {kind} @0x{addr:x}: BRESP {resp}, expected {expect}"
        else:
            length = rng.randrange(1, 5) if kind == "burst_r" else 0
            beats = await axi_read(dut, rng, addr, length, aid)
            assert len(beats) == length + 1, f"op {op}: {len(beats)} beats for ARLEN {length}"
            assert all(b[2] == aid for b in beats), f"op {op}: RID != ARID"
            assert [b[3] for b in beats] == [0] * length + [1], f"op {op}: RLAST misplaced"
            if kind == "read":
                want = model.get(waddr, 0) if waddr < ERR_BASE else 0xDEADBEEF
                data = beats[0][0]
                for i in range(LANES):
                    assert (data >> (32 * i)) & 0xFFFFFFFF == want, f"op {op}: lane {i} of read @0x{addr:x}"
                assert beats[0][1] == (OKAY if waddr < ERR_BASE else SLVERR)
                assert lite.accesses[before:] == [("r", waddr)]
            else:
                assert all(b[1] == SLVERR for b in beats) and lite.accesses[before:] == []
        kinds[kind] += 1
    assert lite.regs == {a: v for a, v in model.items()}, "register file differs from the model"
    assert min(kinds.values()) > 10, f"too little coverage: {kinds}"
    dut._log.info(f"tw_axi_to_axil: {N_OPS} transactions {kinds}")


@cocotb.test(timeout_time=5, timeout_unit="ms")
async def irq_req_no_lost_wakeup(dut):
    rng = random.Random(SEED + 1)
    await start(dut)
    n, cycles = 4, 4000
    pulses = [[] for _ in range(n)]
    acks = [[] for _ in range(n)]
    rises = [[] for _ in range(n)]
    wait = [0] * n
    prev_req = [0] * n
    for cyc in range(cycles):
        pulse = [int(rng.random() < 0.03) for _ in range(n)]
        ack = [0] * n
        req = [int(dut.irq_req.value) >> i & 1 for i in range(n)]
        for i in range(n):
            if req[i]:
                wait[i] -= 1
                if wait[i] <= 0:
                    ack[i] = 1
            else:
                wait[i] = rng.randrange(1, 12)
        dut.irq_pulse.value = sum(b << i for i, b in enumerate(pulse))
        dut.irq_ack.value = sum(b << i for i, b in enumerate(ack))
        await RisingEdge(dut.clk)
        await ReadOnly()
        new_req = [int(dut.irq_req.value) >> i & 1 for i in range(n)]
        for i in range(n):
            if pulse[i]:
                pulses[i].append(cyc)
            if ack[i]:
                acks[i].append(cyc)
                assert not new_req[i], f"line {i}: request still up the cycle after its ack"
            if new_req[i] and not req[i]:
                rises[i].append(cyc)
            prev_req[i] = new_req[i]
        await cocotb.triggers.NextTimeStep()
    dut.irq_pulse.value = 0
    for i in range(n):
        last_ack = acks[i][-1] if acks[i] else -1
        for p in pulses[i]:
            if p < cycles - 40:
                assert any(a > p for a in acks[i]), f"line {i}: pulse at {p} never followed by an ack"
        assert len(rises[i]) <= len(pulses[i]), f"line {i}: more requests than pulses"
        assert last_ack >= 0
    dut._log.info(f"tw_irq_req: pulses {[len(p) for p in pulses]}, interrupts {[len(r) for r in rises]}")


def test_tw_shell_common():
    from tw_tb import run_bench

    common = ROOT / "hdl" / "shells" / "common"
    run_bench("tw_shell_common",
              [common / "tw_axi_to_axil.sv", common / "tw_irq_req.sv", common / "tw_reset_sync.sv",
               Path(__file__).resolve().parent / "tw_shell_common_tb.sv"],
              "tw_shell_common_tb", "test_tw_shell_common", Path(__file__).resolve().parent,
              build_args=["--assert", "--x-assign", "unique", "--x-initial", "unique"])
