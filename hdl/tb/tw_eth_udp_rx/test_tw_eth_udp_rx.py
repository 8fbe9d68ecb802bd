# SPDX-License-Identifier: Apache-2.0
"""Unit bench: tw_eth_udp_rx (Ethernet II / 802.1Q / 802.1ad / IPv4 / UDP header parser).

Scoreboard: eth_udp_model.model() predicts, per input frame, its one drop/error class (or none), whether
its header is emitted, the header fields, the payload bytes, the verdict (tuser on the last payload
beat) and the last beat's latency; monitors observe the header port, the payload stream and the pulses;
the checker compares. Pulse attribution is exact: the class and ev_accepted pulses show 2 cycles after
the input beat that decided them, err_mac 1 cycle after the frame's last beat, so each pulse belongs to
the frame of the beat taken 2 (1) cycles before it.
Axes: idle cycles on the input (between and within frames) x backpressure on m_axis / m_hdr; plus a
back-to-back max-rate run (readies held 1) that requires s_axis_tready never to drop.

Run: .venv/bin/pytest -q hdl/tb/tw_eth_udp_rx from the repository root (TW_TB_SEED=<n> to change the seed)
"""
import os
import random
import sys
from collections import Counter, deque
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
HDR_FIELDS = ("eth_dst", "eth_src", "vlan_valid", "vlan_tags", "vlan_vid", "vlan_outer_vid", "ip_src",
              "ip_dst", "udp_src_port", "udp_dst_port", "udp_length")
PULSES = em.CLASSES + ("accepted", "mac")


class Source:
    """AXI-Stream frame driver: one beat per cycle at most, idle cycles with probability `idle`."""

    def __init__(self, dut, rng, idle):
        self.dut, self.rng, self.idle = dut, rng, idle
        self.beats = deque()   # (tdata, tkeep, tlast, tuser, frame index, beat index)
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
                                   self.nframes, i // 8))
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
        self.last_shown = None          # sample index the current last beat was first shown

    def sample(self, hdrs_seen, now):
        d = self.dut
        if not int(d.m_axis_tvalid.value):
            return
        keep, last = int(d.m_axis_tkeep.value), int(d.m_axis_tlast.value)
        if last and self.last_shown is None:
            self.last_shown = now
        if not self.ready.val:
            return
        n = keep.bit_length()
        assert keep == (1 << n) - 1 and n > 0, f"tkeep {keep:#x} not contiguous from lane 0"
        assert last or n == 8, "partial beat before tlast"
        if not self.cur:
            self.first_beat_hdrs_seen.append(hdrs_seen)
        self.cur += int(d.m_axis_tdata.value).to_bytes(8, "little")[:n]
        if last:
            self.frames.append((bytes(self.cur), int(d.m_axis_tuser.value), self.last_shown))
            self.cur = bytearray()
            self.last_shown = None


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

    def __init__(self, dut, seed, idle=0.0, bp_axis=None, bp_hdr=None, max_len=em.DEFAULT_MAX_LEN):
        self.dut = dut
        self.rng = random.Random(seed)
        self.log = dut._log
        self.log.info("seed=%d idle=%.2f bp_axis=%s bp_hdr=%s max_len=%d", seed, idle, bp_axis, bp_hdr,
                      max_len)
        cocotb.start_soon(Clock(dut.clk, CLK_PS, unit="ps", period_high=CLK_PS // 2).start())
        dut.rst.value = 1
        dut.s_axis_tvalid.value = 0
        dut.s_axis_tdata.value = 0
        dut.s_axis_tkeep.value = 0
        dut.s_axis_tlast.value = 0
        dut.s_axis_tuser.value = 0
        dut.s_ts.value = 0
        self.max_len = max_len
        dut.cfg_max_len.value = max_len
        self.source = Source(dut, self.rng, idle)
        self.sink = PayloadSink(dut, self.rng, bp_axis)
        self.hdr = HeaderMonitor(dut, self.rng, bp_hdr)
        self.ts = 0
        self.frame_ts = {}
        self.beat_at = {}         # sample index -> (frame, beat index) of the beat taken after it
        self.frame_beats = {}     # frame index -> sample index of each of its beats
        self.pulses = {}          # frame index -> Counter of pulses
        self.stray_pulses = []
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

    def _attribute(self, name, delay):
        beat = self.beat_at.get(self.cycles - delay)
        if beat is None:
            self.stray_pulses.append((self.cycles, name))
        else:
            self.pulses.setdefault(beat[0], Counter())[name] += 1

    async def _sample(self):
        """Falling edge: everything is settled and is what the next rising edge will see."""
        d = self.dut
        while True:
            await FallingEdge(d.clk)
            self.cycles += 1
            # Pulses now showing were registered at the last rising edge: err_mac from the beat taken
            # one edge before, the classes and ev_accepted from stage 2, two edges after their beat.
            for c in em.CLASSES:
                if int(getattr(d, "err_" + c).value):
                    self._attribute(c, 2)
            if int(d.ev_accepted.value):
                self._attribute("accepted", 2)
            if int(d.err_mac.value):
                self._attribute("mac", 1)
            self.beat_at.pop(self.cycles - 3, None)
            ready = int(d.s_axis_tready.value)
            if not ready:
                self.tready_low += 1
            if self.source.cur is not None and ready:
                self.source.accepted = True
                beat = self.source.cur
                self.beat_at[self.cycles] = (beat[4], beat[5])
                self.frame_beats.setdefault(beat[4], []).append(self.cycles)
                if beat[5] == 0:
                    self.frame_ts[beat[4]] = self.ts
            self.hdr.sample()
            self.sink.sample(self.hdr.seen, self.cycles)
            if not self.busy_seen and int(d.busy.value):
                self.busy_seen = True

    async def run(self, gen_frames, check_intent=True, check_latency=False):
        """Send frames [(bytes, mac_err, intended kind or None, description)], then check everything."""
        exp = [em.model(f[0], f[1], self.max_len) for f in gen_frames]
        if check_intent:
            for f, e in zip(gen_frames, exp):
                assert f[2] is None or e.kind == f[2], f"model says {e.kind}, generator meant {f[2]}: {f[3]}"
        base = self.source.nframes
        n_hdr0, n_pay0 = len(self.hdr.hdrs), len(self.sink.frames)
        self.source.load([(f[0], f[1]) for f in gen_frames])
        ok = [(i, e) for i, e in enumerate(exp) if e.accepted]
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
        lat = Counter()
        for k, ((i, e), h, (pay, tuser, shown)) in enumerate(zip(ok, got_h, got_p)):
            want = dict(e.hdr, ts=self.frame_ts[base + i])
            desc = gen_frames[i][3]
            assert h == want, f"frame {i} ({desc}): header\n got {h}\nwant {want}"
            assert pay == e.payload, (f"frame {i} ({desc}): payload {len(pay)} bytes, expected "
                                      f"{len(e.payload)}\n got {pay.hex()}\nwant {e.payload.hex()}")
            assert tuser == e.tuser, f"frame {i} ({desc}, {e.kind}): tuser {tuser}, expected {e.tuser}"
            seen = self.sink.first_beat_hdrs_seen[n_pay0 + k]
            assert seen >= n_hdr0 + k + 1, f"frame {i}: first payload beat before its header"
            if check_latency:
                n = len(gen_frames[i][0])
                cut = self.max_len and n > self.max_len
                end_beat = self.max_len // 8 if cut else (n - 1) // 8
                got = shown - self.frame_beats[base + i][end_beat]
                assert got == e.latency, f"frame {i} ({desc}): last beat latency {got}, expected {e.latency}"
                lat[got] += 1
        for i, e in enumerate(exp):
            want = Counter({"mac": e.mac, "accepted": int(e.accepted)})
            if e.cls:
                want[e.cls] += 1
            got = self.pulses.get(base + i, Counter())
            assert +got == +want, f"frame {i} ({gen_frames[i][3]}): pulses {dict(got)}, expected {dict(+want)}"
        assert not self.stray_pulses, f"pulses with no input beat to attribute them to: {self.stray_pulses[:5]}"
        assert self.busy_seen, "busy never rose"
        kinds = Counter(e.kind for e in exp)
        self.log.info("checked %d frames %s, accepted %d (bad verdict %d), mac_err %d, %d payload bytes, "
                      "%d cycles, s_axis_tready low %d cycles%s", len(exp), dict(sorted(kinds.items())),
                      len(ok), sum(e.tuser for _, e in ok), sum(e.mac for e in exp),
                      sum(len(e.payload) for _, e in ok), self.cycles, self.tready_low,
                      f", last-beat latencies {dict(lat)}" if check_latency else "")
        return exp


# ------------------------------------------------------------------------------------------------
# Tests

N_MIXED = int(os.environ.get("TW_TB_FRAMES", "700"))


@cocotb.test()
@cocotb.parametrize(idle=[0.0, 0.3], bp=["none", "axis", "hdr", "both"])
async def mixed_traffic(dut, idle, bp):
    """Random mix of good and bad frames of every class, on every idle/backpressure axis."""
    bp_axis = (0.3, 0.5) if bp in ("axis", "both") else None   # short, frequent stalls
    bp_hdr = (0.1, 0.05) if bp in ("hdr", "both") else None    # long stalls: ~20 cycles low
    seed = SEED * 100 + int(idle * 10) * 10 + ["none", "axis", "hdr", "both"].index(bp)
    tb = TB(dut, seed, idle=idle, bp_axis=bp_axis, bp_hdr=bp_hdr)
    await tb.reset()
    exp = await tb.run([em.mixed(tb.rng) for _ in range(N_MIXED)], check_latency=bp == "none")
    missing = set(em.CLASSES) - {e.cls for e in exp}
    assert not missing, f"the mix did not exercise {missing}"


@cocotb.test()
async def max_rate_back_to_back(dut):
    """Readies held 1, frames back to back with no idle cycle: s_axis_tready must never drop.

    Short unpadded datagrams of every length, alignment and tag count make a frame's held final beat
    coincide with the next frame's first beat; minimum (60-byte) frames and 1..8-byte runts follow each
    other directly; every last beat's latency is checked.
    """
    tb = TB(dut, SEED ^ 0x5EED)
    await tb.reset()
    rng = tb.rng
    frames = []
    for paylen in range(1, 41):
        for tags in (0, 1, 2):
            for ihl in (5, 6, 7):
                for pad in (False, True):
                    csum = rng.choice(["ok", "zero", "bad"])
                    b, mac = em.udp_frame(rng, paylen, tags=tags, ihl=ihl, pad=pad, udp_csum=csum,
                                          mac_err=rng.random() < 0.05)
                    frames.append((b, mac, None, f"len={paylen} tags={tags} ihl={ihl} pad={pad} {csum}"))
    frames += [(bytes(rng.randbytes(n)), False, "runt", f"{n}-byte runt") for n in range(1, 9) for _ in range(20)]
    frames += [em.mixed(rng) for _ in range(300)]
    rng.shuffle(frames)
    await tb.run(frames, check_latency=True)
    assert tb.tready_low == 0, f"s_axis_tready dropped for {tb.tready_low} cycles at max rate"


@cocotb.test()
async def directed_cases(dut):
    """Every rule once, in a known order, with mild idle and backpressure."""
    tb = TB(dut, SEED ^ 0xD1, idle=0.1, bp_axis=(0.1, 0.5), bp_hdr=(0.1, 0.3))
    await tb.reset()
    rng = tb.rng
    f = []

    def add(b_mac, kind, desc):
        f.append((b_mac[0], b_mac[1], kind, desc))

    # Every IHL with 0, 1 and 2 tags, payload lengths around the beat boundaries, exact-fit frames,
    # UDP checksum correct (non-zero) and zero.
    for ihl in range(5, 16):
        for tags in (0, 1, 2):
            for paylen in (1, 2, 5, 6, 7, 8, 9, 14, 15, 16, 17, 64, 1400):
                csum = "ok" if paylen % 2 else "zero"
                b = em.udp_frame(rng, paylen, tags=tags, ihl=ihl, pad=False, udp_csum=csum)
                add(b, "runt" if len(b[0]) < 60 else "ok", f"ihl={ihl} tags={tags} len={paylen} {csum}")
    # Both two-tag stacks, explicitly: 0x88A8 + 0x8100 and 0x8100 + 0x8100.
    for outer in (em.Dot1AD, em.Dot1Q):
        for ihl in (5, 9):
            pkt = (em.Ether(dst="02:00:00:00:00:01", src="02:00:00:00:00:02") / outer(vlan=0xABC, prio=5)
                   / em.Dot1Q(vlan=0x123, prio=1) / em.IP(src="10.0.0.1", dst="10.0.0.2", options=em._opts(ihl))
                   / em.UDP(sport=1234, dport=5678) / em.Raw(rng.randbytes(40)))
            add((bytes(pkt), False), "ok", f"two tags {outer.__name__}+Dot1Q ihl={ihl}")
    # Checksums: UDP wrong, IPv4 wrong, on padded, trailed and exact frames.
    for tags in (0, 1, 2):
        for paylen in (1, 3, 20, 21, 300):
            add(em.udp_frame(rng, paylen, tags=tags, pad=True, udp_csum="bad"), "udp_csum",
                f"bad udp csum len={paylen} tags={tags}")
            add(em.udp_frame(rng, paylen, tags=tags, ihl=rng.choice([5, 6, 15]), pad=True, ip_csum="bad"),
                "ip_csum", f"bad ip csum len={paylen}")
    # Ethernet padding after a short datagram, and a trailer after a longer one; MAC errors.
    f += [(*em.udp_frame(rng, n, tags=t, pad=True), "ok", f"padded len={n} tags={t}")
          for n in (1, 6, 12, 17, 18) for t in (0, 1, 2)]
    add(em.udp_frame(rng, 3, pad=True, mac_err=True), "ok", "mac error, padded")
    add(em.udp_frame(rng, 300, tags=1, ihl=7, pad=False, mac_err=True), "ok", "mac error")
    add(em.udp_frame(rng, 100, tags=2, pad=False, trailer=13), "ok", "trailer")
    # Zero-length datagram (dropped by choice: UDP length 8 is "too short").
    add(em.udp_frame(rng, 0, pad=True), "udp_len_short", "udp empty")
    # Every header fault class, several times.
    for cls in ("ip_hdr", "ip_len", "fragment", "not_udp", "ip_csum", "udp_len_long", "udp_len_short"):
        for _ in range(8):
            f.append(em.header_fault(rng, cls))
    for _ in range(20):
        f.append(em.not_ipv4(rng))
        f.append(em.runt(rng))
        f.append(em.truncated(rng))
    # Cuts at every byte of one frame of each shape: inside the headers (a runt below 60 bytes, else
    # truncated), inside the payload (accepted: payload cut short, bad verdict).
    # UDP checksum 0, so that the verdict cannot come from the (wrong) sum of a cut datagram.
    for tags, ihl, csum in ((0, 5, "zero"), (1, 5, "ok"), (2, 6, "zero"), (2, 15, "zero"), (2, 15, "ok")):
        b, _ = em.udp_frame(rng, 80, tags=tags, ihl=ihl, pad=False, udp_csum=csum)
        for cut in range(1, len(b)):
            f.append((b[:cut], cut % 7 == 0, "runt" if cut < 60 else "trunc",
                      f"cut at {cut} tags={tags} ihl={ihl} {csum}"))
    # Non-UDP frames cut at every length through their headers: once the deciding field (ethertype,
    # protocol, fragment bits) is in, the frame is counted there; before that, it is a runt.
    for tags in (0, 1, 2):
        for pkt in (em.IP(proto=6) / em.Raw(bytes(40)), em.IP(frag=3) / em.UDP() / em.Raw(bytes(40)),
                    em.ARP(), em.IPv6() / em.UDP()):
            b = bytes(em._l2(rng, tags) / pkt)
            f += [(b[:cut], False, None, f"{pkt.summary()} tags={tags} cut at {cut}") for cut in range(1, 44)]
    exp = await tb.run(f)
    missing = set(em.CLASSES) - {e.cls for e in exp} - {"too_long"}
    assert not missing, f"directed cases did not exercise {missing}"


@cocotb.test()
async def precedence(dut):
    """Frames failing several checks at once count in the first one in wire order (module header)."""
    tb = TB(dut, SEED ^ 0x9EC, idle=0.1, bp_axis=(0.1, 0.5), bp_hdr=(0.1, 0.3))
    await tb.reset()
    rng = tb.rng
    f = []

    def frame(tags=0, ihl=5, paylen=30, ip_kw=None, udp_kw=None, **kw):
        return em.udp_frame(rng, paylen, tags=tags, ihl=ihl, ip_kw=ip_kw, udp_kw=udp_kw, **kw)

    def patch(b, off, val, size=1):
        b = bytearray(b)
        b[off:off + size] = val.to_bytes(size, "big")
        return bytes(b)

    for tags in (0, 1, 2):
        e = 14 + 4 * tags
        for _ in range(4):
            # The IPv4 fixed-header checks, pairwise, plus a wrong header checksum and UDP length.
            bad = dict(ip_csum="bad", udp_kw={"len": 3})
            f.append((*frame(tags, ip_kw={"version": 6, "len": 10, "flags": "MF", "proto": 6}, **bad),
                      "ip_hdr", "version+len+frag+proto"))
            f.append((*frame(tags, ip_kw={"len": 10, "flags": "MF", "proto": 6}, **bad),
                      "ip_len", "len+frag+proto"))
            f.append((*frame(tags, ip_kw={"frag": 5, "proto": 6}, **bad), "fragment", "frag+proto"))
            f.append((*frame(tags, ip_kw={"proto": 6}, **bad), "not_udp", "proto+csum+udp len"))
            f.append((*frame(tags, **bad), "ip_csum", "ip csum+udp len"))
            f.append((*frame(tags, ihl=rng.randint(5, 9), udp_kw={"len": 200}, udp_csum="bad"),
                      "udp_len_long", "udp len+udp csum"))
            # A wrong ethertype hides everything after it.
            b, mac = frame(tags, ip_kw={"version": 6}, ip_csum="bad")
            f.append((patch(b, e - 2, 0x86DD, 2), mac, "not_ipv4", "ethertype+version+csum"))
            # Header faults in short frames: the header check, not the runt.
            b, mac = frame(tags, paylen=2, pad=False, ip_csum="bad")
            f.append((b, mac, "ip_csum", "short frame, bad ip csum"))
            f.append((*frame(tags, paylen=2, pad=False, ip_kw={"proto": 1}), "not_udp", "short frame, icmp"))
            # End classes: runt over truncated and a wrong UDP checksum; truncated over the checksum.
            b, mac = frame(tags, paylen=100, pad=False, udp_csum="bad")
            f.append((b[:50], mac, "runt", "runt+trunc+csum"))
            f.append((b[:70], mac, "trunc", "trunc+csum"))
            f.append((*frame(tags, paylen=4, pad=False, udp_csum="bad"), "runt", "runt+csum"))
            f.append((*frame(tags, paylen=4, pad=False, udp_csum="bad", mac_err=True), "runt", "runt+csum+mac"))
    await tb.run(f)


@cocotb.test()
@cocotb.parametrize(max_len=[13, 64, 69, 100, 0])
async def too_long_cuts(dut, max_len):
    """A small cfg_max_len cuts frames inside the headers (dropped), the payload and the trailer
    (payload ended there, bad verdict); 13 cuts every frame inside its ethertype; 0 lets a 9000-byte jumbo
    through."""
    tb = TB(dut, SEED ^ (0x7000 + max_len), idle=0.1, bp_axis=(0.1, 0.5), bp_hdr=(0.1, 0.3), max_len=max_len)
    await tb.reset()
    rng = tb.rng
    f = []
    for tags in (0, 1, 2):
        for ihl in (5, 8, 15):
            for paylen in (1, 7, 20, 30, 40, 41, 45, 60, 100):
                for trailer in (0, 11, 40):
                    b, mac = em.udp_frame(rng, paylen, tags=tags, ihl=ihl, pad=True, trailer=trailer,
                                          udp_csum=rng.choice(["ok", "zero", "bad"]), mac_err=rng.random() < 0.1)
                    f.append((b, mac, None, f"tags={tags} ihl={ihl} len={paylen} trailer={trailer}"))
    f += [em.mixed(rng) for _ in range(100)]
    if max_len == 0:
        f.append((*em.udp_frame(rng, 8900, tags=1), "ok", "jumbo"))
    exp = await tb.run(f, check_intent=False)
    n_long = sum(e.cls == "too_long" for e in exp)
    assert (n_long > 0) == (max_len != 0), f"{n_long} too-long frames with max_len {max_len}"
    if max_len > 42:        # P is at least 42
        assert any(e.cls == "too_long" and e.accepted for e in exp), "no frame cut after its accept point"
    if 0 < max_len < 90:    # P is up to 90 (two tags, IHL 15)
        assert any(e.cls == "too_long" and not e.accepted for e in exp), "no frame cut inside its headers"


@cocotb.test()
async def verdict_latency(dut):
    """The last payload beat's latency, case by case (readies held 1): held one extra cycle only when the
    UDP checksum must be checked on a datagram that ends in lanes 0..r-1 of the frame's last beat."""
    tb = TB(dut, SEED ^ 0x1A7)
    await tb.reset()
    rng = tb.rng
    f = []
    want = []
    # Untagged, IHL 5: P = 42, r = 2. Payload n bytes, frame = 42 + n (no padding when >= 60).
    for n, csum, lat in ((24, "ok", 2),     # ends at byte 65: lane 1 < r, checked -> held
                         (24, "zero", 1),   # same, not checked
                         (25, "ok", 2),     # ends at byte 66: lane 2 >= r -> two output beats
                         (25, "zero", 2),
                         (30, "ok", 2),     # lane 7
                         (6, "ok", 2),      # ends in the accept beat (a runt, still latency 2)
                         ):
        b, mac = em.udp_frame(rng, n, pad=False, udp_csum=csum)
        f.append((b, mac, None, f"len={n} {csum}"))
        want.append(lat)
    # A datagram followed by padding: the final beat waited for tlast.
    b, mac = em.udp_frame(rng, 10, pad=True, udp_csum="ok")
    f.append((b, mac, "ok", "padded"))
    want.append(1)
    exp = await tb.run(f, check_latency=True)
    assert [e.latency for e in exp] == want, f"model latencies {[e.latency for e in exp]}, expected {want}"


@cocotb.test()
async def reset_mid_frame(dut):
    """Reset while a frame is half in: afterwards the parser starts clean."""
    tb = TB(dut, SEED ^ 0x77)
    await tb.reset()
    b, _ = em.udp_frame(tb.rng, 200, tags=1, ihl=5, pad=False)
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
    await FallingEdge(dut.clk)
    tb.hdr.hdrs.clear()
    tb.sink.frames.clear()
    tb.sink.first_beat_hdrs_seen.clear()
    tb.sink.cur = bytearray()
    tb.pulses.clear()
    tb.stray_pulses.clear()
    tb.beat_at.clear()
    tb.frame_beats.clear()
    tb.source.nframes = 0
    tb.frame_ts.clear()
    await tb.run([em.good(tb.rng, tags=2) for _ in range(10)])


# ------------------------------------------------------------------------------------------------
# pytest entry point: build once with Verilator, run every test above in one simulation.

def test_tw_eth_udp_rx():
    from tw_tb import RTL, run_bench

    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    run_bench("tw_eth_udp_rx", [RTL / "tw_eth_udp_rx.sv"], "tw_eth_udp_rx", "test_tw_eth_udp_rx",
              ROOT / "build" / "tb" / "tw_eth_udp_rx", build_args=["--assert"])
