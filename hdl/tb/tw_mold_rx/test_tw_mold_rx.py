# SPDX-License-Identifier: Apache-2.0
"""Unit bench: tw_mold_deframer (with its per-feed MoldUDP64 sequencer, tw_mold_sequencer) ->
tw_tick_packer, wired as in tw_core (bench top tb_mold_rx.sv): the header (s_hdr_*) and, as an
input of its own, the flow filter's delivery decision (s_dec_valid, s_dec_deliver, s_dec_feed,
s_dec_user {feed, line}), which the bench gives at or after the header as tw_core's filter does.

Scoreboard: mold_seq_model.py, a Python model written from the RTL headers and the rules of
host/tickwire/src/model.rs `Model::frame` (per-feed state {session, expected, hole [lo, hi), ended};
new session, gap and hole merge, late fills, duplicates, end of session once, count mismatch,
commit only on good frames, 17-bit saturation of index differences, 64-bit wrapping seq + i and
commit), predicts per input frame the exact 64-byte tick records in layout v4, built from
hdl/regs/tick.toml (message records with the ITCH 5.0 message decoded, or RAW; event and verdict
records), the payload beat each is made on, and the counter pulses (ev_pkt, ev_msg, ev_err,
ev_count_err, ev_bad_verdict, ev_session, ev_gap, ev_dup, ev_late, ev_unknown, ev_len_err, and
ev_filtered, never: the packer's ring ITCH filters are tied to pass everything in tb_mold_rx.sv);
for a frame the decision drops, nothing at all, and its feed's state unmoved.
The monitor samples the packer output and the pulses every cycle and attributes each to the input
beat that caused it (records 1 + REG_OUT cycles after the beat, ev_dup and ev_late 2 cycles after,
the deframer's and the sequencer's pulses 1 cycle after; the packer's 2) -- or, for ev_err and ev_bad_verdict of a
frame that ended before its decision (a payload of at most 16 bytes), to the decision: they are
held and come 1 cycle after a delivering decision, and only then (checked per frame: a held frame's
error and verdict pulses all come from its decision, no other frame's from a decision). The checker
compares record by record, byte for byte, with m_frame_end / m_frame_bad beside each record, the
beat it was made on, and the pulse counts frame by frame. Nothing may come out that no input beat
or held decision accounts for; busy must fall when all is through (no decision owed); within a
packet the deframer may never stall a beat.
On top of the model comparison, the A/B tests check the delivery contract on what the DUT emitted,
independently of the model: no sequence number delivered twice; every message of the stream not
delivered lies in a reported gap range [gap_first, seq) (the documented losses: lost on both lines
or dropped by the decision, or an older gap's remainder once a newer gap opened, the sequencer
tracking one hole); the stretches lost on both lines never delivered; LATE only on messages inside
a gap reported before; the other messages in increasing order; every record of its message's
type, RAW exactly when not decoded; with s_drop_unknown no message of an unknown type delivered
(nor counted missing); ev_dup = copies delivered to the deframer - messages delivered (- the
unknown ones dropped); ev_late = LATE records.

Traffic: messages are mostly ITCH 5.0 messages of the 23 types at their lengths with random field
values (random_msg), else raw: a known type one byte short or long, at 41 or 42 bytes (the
TRUNCATED limit) or any length 8..60, or a type byte of none of the 23. s_drop_unknown (a CSR)
is on in half the variants of each test (idle xor dec=random) and switched by the decoder test.

Delivery decision (the decision driver): one per header, in order, never before the header is
taken and never after the cycle the packet's beat 2 (its third) is taken; the next header is not
presented before it has come (the deframer takes a decision in a header's cycle as that header's).
Its timing per frame: 0, 1 or 2 cycles after the header is taken, or "b2": in the very cycle beat 2
is taken (the latest the deframer allows; for a frame of at most 2 beats, 2 cycles after the
header, even when that is after its last beat: the held-pulse case); the checker asserts each
frame's decision cycle against its header and beat 2 cycles. Dropped frames (deliver=0): in the
tests with model-only checks on random traffic each frame is dropped with P_DROP (0.15; never the
first packet or the final heartbeats of an A/B stream); in the directed tests each frame is kept
and, with P_DROP, preceded by a dropped decoy (a copy of it, or the copy cut short, often to at
most 16 bytes) -- which must change nothing, although delivered it would have moved the state.
While no decision is valid, s_dec_deliver/feed/user carry garbage.

Axes. Each test runs as four variants, idle x dec (decision_sweep: idle only, it sets every
frame's timing itself; decoder: idle only, dec=fixed2 back to back, random with idle), and the
whole set on two builds, the packer's REG_OUT=1 (registered
record outputs) and REG_OUT=0 (combinational, as tw_core builds it; records one cycle earlier):
  idle=False  back to back: the header with the first beat, the next header taken in the cycle
              after the last beat, s_axis_tready never low -- but for a first beat whose header
              waits for the previous frame's late decision (a frame of 1 or 2 beats);
  idle=True   random idle cycles between beats (p=0.3), headers presented early (waiting on
              s_hdr_ready while the previous packet streams) or late, after a random delay (the
              first beat then waiting on the header);
  dec=fixed2  every decision 2 cycles after its header, as tw_core's flow filter (back to back:
              in beat 2's cycle);
  dec=random  per frame at random 0, 1, 2 cycles after the header or in beat 2's cycle.
Tests:
  random_packets   random traffic on 4 feeds: gaps, resends, heartbeats, session changes, end of
                   session, runts, packets cut short (also to 1..16 bytes), count mismatches,
                   s_axis_tuser, garbage in lanes outside tkeep; then packets cut at every length,
                   the second message ending in each lane;
  ab_arbitration   one feed's 3000-message stream cut into packets differently on lines A and B,
                   random loss on each line, two stretches lost on both, packets repeated on a line,
                   heartbeats, line B trailing by a random number of packets;
  bad_frames       bad copies (s_axis_tuser, count +-1, end of session or heartbeat count with
                   messages, cut short, runt) of a first packet, an in-order one, a gap, a late fill,
                   an end of session, a heartbeat gap, a session change, then a random stream: the
                   state does not move, the good copy that follows is delivered and its events made
                   again;
  session_events   directed: new session (other id, lower seq) resets, end of session once per
                   session, heartbeats in order / behind / with a gap, the hole merge after a
                   heartbeat gap, fills moving the hole start, one hole only, a packet straddling
                   dup / fill / dup / new; then a random walk;
  wrap_saturation  sequence numbers across 2^64 (64-bit wrapping arithmetic as the RTL and
                   model.rs: a commit that wraps leaves expected put), duplicates 2^16 +- k behind,
                   holes over 2^16 long (saturated fill_lo / fill_hi / dup_below);
  seq_clear        seq_clear between packets forgets every feed; in a packet's beat 1 as well (the
                   state is read at beat 2); in its beat k >= 2 (at or after the state read) the
                   packet is decided on the old state and not committed (dropped packets: the
                   clear still acts);
  many_feeds       16 feeds interleaved, each with its own A/B streams (feeds 0..7 sharing session
                   id and sequence numbers, so any state leaking between feeds shows);
  decision_sweep   a 44-byte packet cut at every length 1..44 bytes, and good heartbeats and
                   one-message packets, each with every decision timing x deliver / drop x
                   s_axis_tuser (the drop first: a good whole packet dropped must not make its
                   delivered copy a duplicate): held pulses released or discarded, drops at every
                   beat, ev_bad_verdict on every kind of bad ending;
  decoder          (idle only) each of the 23 types with its first byte in each of the 8 lanes of
                   the 64-bit bus (lane 1: its length straddles two beats; lane 0: the length
                   ends a beat), random field values, placed by filler blocks; each type one byte
                   short and long in every lane; unknown types of 8..60 bytes and raw messages of
                   8..10 bytes in every lane; an 8-byte message at lane 0 after a decoded one;
                   then with s_drop_unknown. Besides the byte-for-byte model check, every decoded
                   record against itchfeed (PyPI): each field itchfeed decodes from the same wire
                   bytes read back at its tick.toml offset (integers little-endian, alpha bytes;
                   tracking_number and P/I/O's stock excepted; every carried field compared); the
                   23 x 8 matrix must be complete, and the wrong-length one too.
test_tw_mold_rx_mutants plants bugs (the MUTANTS table: commit on bad frames, count error not bad,
'>=' for '>' in the gap compare, no hole merge, hole start not moved, LATE flag missing, expected
not max, end of session every time, no saturation, clear after the read ignored, feeds sharing
state, ended forgotten, fills dropped as duplicates, GAP flag on every message; and on the
decision: beats of a dropped packet delivered, a dropped packet decided or committed, held pulses
released on a drop, lost, or not held, ev_bad_verdict blind to s_axis_tuser, m_user one decision
late; and on the ITCH decoder: two bytes of A's shares swapped, a type's length + 1 decoded
(and its length raw), s_drop_unknown ignored, TRUNCATED at 41 bytes instead of 42, an 8-byte
message at lane 0 flagged with the previous message's map, ev_len_err on unknown types, ev_unknown
on duplicates, RAW records without msg_len) in a copy of the RTL under build/tb/tw_mold_rx/mutants/
(one build, REG_OUT=1, each mutant
selected at run time by +TW_MUT=<n>) and requires each mutant's target test, back to back with
dec=fixed2, at TB_SCALE=0.25, to fail.

Run: source scripts/env.sh && pytest -q hdl/tb/tw_mold_rx   (on 2 cores, shared, about 100 s
with the three builds remade; TW_TB_SEED=<n> for another seed; TB_SCALE=<f> scales the random parts (the
REG_OUT=0 build runs at half of it); TW_TB_MUTANTS=0 skips the mutation check)
"""
import os
import random
import sys
import xml.etree.ElementTree as ET
import zlib
from collections import Counter, deque
from dataclasses import dataclass
from pathlib import Path

import cocotb
import pytest
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parents[2]
sys.path.insert(0, str(BENCH))
import mold_seq_model as msm  # noqa: E402
from mold_seq_model import (E_EOS, E_GAP, E_NEW_SESSION, F_EVENT, F_FRAME_BAD, F_FRAME_END,  # noqa: E402
                            F_LATE, F_RAW, F_TRUNC, F_VERDICT, flags_of, mold_packet)

CLK_PS = 3103                     # 322.265625 MHz
SEED = int(os.environ.get("TW_TB_SEED", "1"))
SCALE = float(os.environ.get("TB_SCALE", "1"))
REG_OUT = int(os.environ.get("TW_TB_REG_OUT", "1"))   # the build's packer REG_OUT (set by the pytest wrapper)
IDLE_P = 0.3                      # idle axis: probability of no beat in a cycle
P_DROP = 0.15                     # frames dropped by the delivery decision (or preceded by a dropped decoy)
LAT_REC = 1 + REG_OUT             # packer records: cycles after the input beat
PULSE_DELAY = {"pkt": 1, "msg": 1, "err": 1, "count_err": 1, "bad_verdict": 1, "session": 1, "gap": 1,
               "dup": 2, "late": 2, "unknown": 2, "len_err": 2,
               "filtered": 2}
HELD = ("err", "bad_verdict")     # pulses a frame that ends before its decision holds until it
DEC_MODES = ["fixed2", "random"]
DEC_TIMES = (0, 1, 2, "b2")       # decision: cycles after the header is taken, or in beat 2's cycle


def n_scaled(n, least=1):
    return max(least, int(n * SCALE))


def sess(name):
    """A 10-byte MoldUDP64 session, space-padded ASCII as on the wire."""
    return name.encode().ljust(10)[:10]


UNKNOWN_TYPES = bytes(b for b in range(256) if b not in msm.MESSAGES)


def random_msg(rng):
    """Mostly an ITCH 5.0 message of one of the 23 types at its length, random field values (75%);
    else raw: a known type at another length (one off, at the 41-byte raw limit and one past it,
    or any of 8..60), or a type byte none of the 23 is."""
    r, t = rng.random(), rng.choice(msm.TYPES)
    n = msm.MESSAGES[t]["len"]
    if r < 0.75:
        pass
    elif r < 0.88:
        n = rng.choice([n - 1, n + 1, msm.RAW_MAX, msm.RAW_MAX + 1, rng.randint(8, 60)])
        n = n + 1 if n == msm.MESSAGES[t]["len"] else n
    else:
        t = rng.choice(UNKNOWN_TYPES)
        n = rng.choice([8, 9, 11, 12, n, msm.RAW_MAX, msm.RAW_MAX + 1, rng.randint(8, 60)])
    return bytes([t]) + rng.randbytes(n - 1)


def nbeats(p):
    return (len(p.payload) + 7) // 8


@dataclass
class Pkt:
    """One frame for the deframer: its UDP payload and what rides beside it."""
    payload: bytes
    feed: int = 0
    line: int = 0
    tuser: bool = False            # s_axis_tuser on the last beat (bad frame)
    ts: int = None                 # header timestamp (random when None)
    clear_before: bool = False     # seq_clear pulses before the packet (in its first beat's cycle)
    clear_at: int = None           # seq_clear pulses in the cycle beat k (>= 1) is taken
    desc: str = ""
    deliver: bool = None           # the delivery decision (None: the bench draws it, see TB.send)
    dec: object = None             # its timing, one of DEC_TIMES (None: by the test's dec mode)


# ------------------------------------------------------------------------------------------------
# The bench

class TB:
    """Owns the clock, reset, the header, decision and beat drivers, the monitor and the checker."""

    def __init__(self, dut, name, idle, dec):
        self.dut, self.idle, self.dec_mode, self.log = dut, idle, dec, dut._log
        self.name = name
        self.rng = random.Random(zlib.crc32(f"{name}/{idle}/{dec}/{SEED}/{REG_OUT}".encode()))
        self.model = msm.MoldSeqModel()
        # s_drop_unknown (a CSR: changed only while nothing is inside, set_drop_unknown); half the
        # variants of each test start with it on
        self.drop_unknown = bool(int(idle) ^ int(dec == "random"))
        self.pkts, self.exp = [], []          # frames sent, the model's outcome of each
        self.hdr_q, self.beat_q = deque(), deque()
        self.hdr_cur, self.hdr_gate = None, None
        self.beat_cur, self.beat_new = None, False
        self.hdrs_fired = 0                   # headers taken
        self.pkts_done = 0                    # frames whose last beat was taken
        self.dec_owed = None                  # (frame, cycle or "b2"): a taken header's decision to come
        self.hdr_blocked = False              # this cycle the next header waits for that decision
        self.cycle = 0
        self.stalls = 0                       # cycles a presented beat was not taken ...
        self.dec_stalls = 0                   # ... its header held back for the previous decision
        self.beat_at = {}                     # cycle -> (frame, beat) taken at that cycle's rising edge
        self.held_at = {}                     # cycle -> frame: its decision, taken after its last beat
        self.hdr_cycle, self.dec_cycle, self.b2_cycle = {}, {}, {}   # frame -> cycle
        self.late_dec = set()                 # frames whose decision came after their last beat
        self.held = Counter()                 # frame -> pulses attributed to its decision
        self.got = {}                         # frame -> [(beat, record, m_frame_end, m_frame_bad)]
        self.pulses = {}                      # frame -> Counter
        self.stray = []
        self.checked_upto = 0
        self.stats = Counter()
        d = dut
        cocotb.start_soon(Clock(d.clk, CLK_PS, unit="ps", period_high=CLK_PS // 2).start())
        d.rst.value = 1
        for s in ("s_hdr_valid", "s_hdr_ts", "seq_clear", "s_dec_valid", "s_dec_deliver", "s_dec_user",
                  "s_dec_feed", "s_axis_tdata", "s_axis_tkeep", "s_axis_tvalid", "s_axis_tlast", "s_axis_tuser"):
            getattr(d, s).value = 0
        d.s_drop_unknown.value = int(self.drop_unknown)
        self.ev_sigs = [(k, getattr(d, "ev_" + k), PULSE_DELAY[k]) for k in msm.PULSES]

    async def reset(self):
        for _ in range(4):
            await RisingEdge(self.dut.clk)
        self.dut.rst.value = 0
        await RisingEdge(self.dut.clk)
        cocotb.start_soon(self._loop())

    # -------------------------------------------------------------------------------- input
    def set_drop_unknown(self, on):
        """s_drop_unknown, between runs (the packer takes it as quasi-static)."""
        assert not (self.hdr_q or self.beat_q or self.hdr_cur is not None or self.beat_cur is not None)
        self.drop_unknown = bool(on)
        self.dut.s_drop_unknown.value = int(on)

    def send(self, pkts, drops="decoy"):
        """Queue frames; the model predicts each in order (seq_clear included); returns the
        outcomes of pkts. A frame's p.deliver left None is drawn here: drops="self" drops it with
        P_DROP; drops="decoy" delivers it and puts before it, with P_DROP, a dropped decoy (which
        changes nothing, so directed tests keep their expectations)."""
        out = []
        for p in pkts:
            if p.deliver is None and drops == "decoy" and self.rng.random() < P_DROP:
                self._queue(self._decoy(p))
            if p.deliver is None:
                p.deliver = not (drops == "self" and self.rng.random() < P_DROP)
            out.append(self._queue(p))
        return out

    def _decoy(self, p):
        rng, pl, how = self.rng, p.payload, "copy"
        r = rng.random()
        if r < 0.3:
            pl, how = pl[:rng.randint(1, 16)], "cut to at most 16 bytes"
        elif r < 0.45 and len(pl) > 1:
            pl, how = pl[:rng.randint(1, len(pl) - 1)], "cut short"
        return Pkt(pl, p.feed, rng.randrange(2), rng.random() < 0.1, deliver=False,
                   desc=f"dropped decoy ({how}) of: {p.desc}")

    def _queue(self, p):
        if p.ts is None:
            p.ts = self.rng.getrandbits(64)
        if p.dec is None:
            p.dec = 2 if self.dec_mode == "fixed2" else self.rng.choice(DEC_TIMES)
        assert p.dec in DEC_TIMES and p.deliver in (True, False), p.desc
        if p.dec == "b2" and nbeats(p) < 3:
            p.dec = 2                   # no beat 2: tw_core's 2 cycles after the header, maybe after the end
        assert p.clear_at is None or 1 <= p.clear_at <= (len(p.payload) - 1) // 8, p.desc
        # the sequencer reads the feed's state at beat 2: a clear in beat 1 comes before it
        late_clear = p.clear_at is not None and p.clear_at >= 2
        if p.clear_before or p.clear_at == 1:
            self.model.clear()
        o = self.model.frame(p.payload, p.ts, p.feed, p.line, p.tuser, commit=not late_clear, deliver=p.deliver,
                             drop_unknown=self.drop_unknown)
        if late_clear:
            self.model.clear()
        i = len(self.pkts)
        self.pkts.append(p)
        self.exp.append(o)
        self.hdr_q.append(i)
        n = len(p.payload)
        for b in range(0, n, 8):
            chunk = p.payload[b:b + 8]
            last = b + 8 >= n
            # lanes outside tkeep carry garbage: nothing may look at them
            word = int.from_bytes(chunk + self.rng.randbytes(8 - len(chunk)), "little")
            self.beat_q.append((i, b // 8, word, (1 << len(chunk)) - 1, int(last), int(last and p.tuser)))
        return o

    def _drive(self):
        d, rng, c = self.dut, self.rng, self.cycle
        # a taken header still waits for its decision: the next one may not be presented before it
        # has come (a decision in a header's cycle is that header's)
        owed = self.dec_owed is not None
        # beat channel: a beat is held until taken; idle cycles only between beats
        self.beat_new = False
        if self.beat_cur is None and self.beat_q and not (self.idle and rng.random() < IDLE_P):
            self.beat_cur = b = self.beat_q.popleft()
            self.beat_new = True
            d.s_axis_tdata.value = b[2]
            d.s_axis_tkeep.value = b[3]
            d.s_axis_tlast.value = b[4]
            d.s_axis_tuser.value = b[5]
        d.s_axis_tvalid.value = int(self.beat_cur is not None)
        clear = 0
        if self.beat_new:
            p = self.pkts[self.beat_cur[0]]
            clear = int((p.clear_before and self.beat_cur[1] == 0) or p.clear_at == self.beat_cur[1])
        d.seq_clear.value = clear
        # decision channel: the owed decision when due (beat 2 is taken in the cycle it is presented)
        dec = None
        if owed:
            i, due = self.dec_owed
            if due == "b2":
                now = self.beat_cur is not None and self.beat_cur[:2] == (i, 2)
            else:
                assert c <= due
                now = c == due
            if now:
                dec, self.dec_owed = i, None
        # header channel: one header at a time, held until taken
        self.hdr_blocked = False
        if self.hdr_cur is None and self.hdr_q:
            i = self.hdr_q[0]
            if self.hdr_gate is None:
                if not self.idle:
                    self.hdr_gate = [False, 0]
                elif rng.random() < 0.4:                 # early: may wait on s_hdr_ready
                    self.hdr_gate = [False, rng.choice([0, 0, 1, 3])]
                else:                                    # late: after the previous frame ended
                    self.hdr_gate = [True, rng.choice([0, 1, 2, 5, 9])]
            after, wait = self.hdr_gate
            if owed:
                self.hdr_blocked = True
            elif not after or self.pkts_done >= i:
                if wait:
                    self.hdr_gate[1] -= 1
                else:
                    self.hdr_q.popleft()
                    self.hdr_gate = None
                    self.hdr_cur = i
                    d.s_hdr_ts.value = self.pkts[i].ts
                    d.s_hdr_valid.value = 1
        if self.hdr_cur is None:
            d.s_hdr_valid.value = 0
        # a decision in the header's own cycle (s_hdr_ready is a register: known now)
        if self.hdr_cur is not None and int(d.s_hdr_ready.value) and self.pkts[self.hdr_cur].dec == 0:
            assert dec is None
            dec = self.hdr_cur
        if dec is not None:
            p = self.pkts[dec]
            d.s_dec_valid.value = 1
            d.s_dec_deliver.value = int(p.deliver)
            d.s_dec_feed.value = p.feed
            d.s_dec_user.value = (p.feed << 1) | p.line
            self.dec_cycle[dec] = c
            if self.pkts_done > dec:                     # after its last beat: its pulses were held
                self.held_at[c] = dec
                self.late_dec.add(dec)
        else:
            # nothing may look at the fields without s_dec_valid
            d.s_dec_valid.value = 0
            d.s_dec_deliver.value = rng.randrange(2)
            d.s_dec_feed.value = rng.randrange(16)
            d.s_dec_user.value = rng.randrange(32)

    async def _loop(self):
        d = self.dut
        while True:
            await FallingEdge(d.clk)
            self.cycle += 1
            c = self.cycle
            # outputs registered at the last rising edge (records with REG_OUT=0: combinational
            # from the deframer's registers, so one cycle earlier)
            if int(d.m_valid.value):
                rec = int(d.m_tick.value).to_bytes(64, "little")
                fe, fb = int(d.m_frame_end.value), int(d.m_frame_bad.value)
                src = self.beat_at.get(c - LAT_REC)
                if src is None:
                    self.stray.append((c, "record", rec.hex()))
                else:
                    self.got.setdefault(src[0], []).append((src[1], rec, fe, fb))
            for k, sig, delay in self.ev_sigs:
                if int(sig.value):
                    src = self.beat_at.get(c - delay)
                    if src is not None:
                        self.pulses.setdefault(src[0], Counter())[k] += 1
                    elif k in HELD and c - delay in self.held_at:
                        i = self.held_at[c - delay]
                        self.pulses.setdefault(i, Counter())[k] += 1
                        self.held[i] += 1
                    else:
                        self.stray.append((c, k))
            self.beat_at.pop(c - 3, None)
            self.held_at.pop(c - 3, None)
            self._drive()
            await ReadOnly()
            if self.hdr_cur is not None and int(d.s_hdr_ready.value):
                i = self.hdr_cur
                assert i == self.hdrs_fired
                self.hdrs_fired += 1
                self.hdr_cur = None
                self.hdr_cycle[i] = c
                dec = self.pkts[i].dec
                if dec != 0:
                    self.dec_owed = (i, "b2" if dec == "b2" else c + dec)
            if self.beat_cur is not None:
                if int(d.s_axis_tready.value):
                    i, b = self.beat_cur[:2]
                    assert i < self.hdrs_fired, f"frame {i} beat {b} taken before its header"
                    assert c not in self.held_at, "a beat taken in the cycle of a held decision"
                    self.beat_at[c] = (i, b)
                    if b == 2:
                        self.b2_cycle[i] = c
                    if self.beat_cur[4]:
                        self.pkts_done += 1
                    self.beat_cur = None
                else:
                    # only a first beat waits (for its header): within a packet the deframer never stalls
                    assert self.beat_cur[1] == 0, f"frame {self.beat_cur[0]} beat {self.beat_cur[1]} not taken"
                    if self.hdr_blocked:
                        self.dec_stalls += 1
                    else:
                        self.stalls += 1

    # -------------------------------------------------------------------------------- check
    async def run(self, pkts, drops="decoy"):
        """Send frames, wait until all are through, check them; returns the outcomes of pkts."""
        out = self.send(pkts, drops)
        limit = self.cycle + 40 * len(self.beat_q) + 200 * len(pkts) + 1000
        while (self.hdr_q or self.beat_q or self.hdr_cur is not None or self.beat_cur is not None
               or self.dec_owed is not None):
            await FallingEdge(self.dut.clk)
            assert self.cycle < limit, f"timeout: {len(self.beat_q)} beats and {len(self.hdr_q)} headers left"
        for _ in range(8):
            await FallingEdge(self.dut.clk)
        assert int(self.dut.busy.value) == 0, "busy with nothing inside"
        self.check()
        return out

    def check(self):
        assert not self.stray, f"outputs no input beat or held decision accounts for: {self.stray[:5]}"
        for i in range(self.checked_upto, len(self.pkts)):
            p, o = self.pkts[i], self.exp[i]
            got = self.got.get(i, [])
            where = (f"frame {i} ({p.desc}; feed {p.feed} line {p.line}, {len(p.payload)} bytes, tuser {int(p.tuser)}, "
                     f"{'delivered' if p.deliver else 'DROPPED'}, decision {p.dec}: header taken in cycle "
                     f"{self.hdr_cycle.get(i)}, decision {self.dec_cycle.get(i)}, beat 2 {self.b2_cycle.get(i)})")
            # the bench kept the decision rules
            h, dc = self.hdr_cycle[i], self.dec_cycle[i]
            assert h <= dc <= self.b2_cycle.get(i, h + 2), f"{where}: decision out of its window"
            assert dc == (self.b2_cycle[i] if p.dec == "b2" else h + p.dec), where
            for k in range(max(len(got), len(o.records))):
                assert k < len(got), f"{where}: record {k} missing:\n exp {_show(o.records[k][1])}"
                assert k < len(o.records), f"{where}: unexpected record {k}:\n got {_show(got[k][1])}"
                gb, g, fe, fb = got[k]
                eb, e = o.records[k]
                assert g == e, f"{where}: record {k}:\n got {_show(g)}\n exp {_show(e)}"
                assert gb == eb, f"{where}: record {k} made on beat {gb}, expected beat {eb}"
                assert (fe, fb) == (int(bool(flags_of(e) & F_FRAME_END)), int(bool(flags_of(e) & F_FRAME_BAD))), \
                    f"{where}: record {k}: m_frame_end/m_frame_bad {fe}/{fb} disagree with its flags"
            gp = +self.pulses.get(i, Counter())
            assert gp == +o.pulses, f"{where}: pulses {dict(gp)}, expected {dict(+o.pulses)}"
            # a frame that ended before its decision: its error and verdict pulses come 1 cycle
            # after the decision (none on a drop); any other frame's 1 cycle after its beat
            held = i in self.late_dec
            want = o.pulses["err"] + o.pulses["bad_verdict"] if held else 0
            assert self.held[i] == want, \
                f"{where}: {self.held[i]} pulses 1 cycle after the decision, expected {want} (held: {held})"
            self.stats["records"] += len(got)
            self.stats.update(gp)
            for _, r, _, _ in got:
                f = flags_of(r)
                self.stats["event" if f & F_EVENT else "verdict" if f & F_VERDICT else "message"] += 1
                self.stats["bad"] += int(bool(f & F_FRAME_BAD))
                self.stats["raw"] += int(bool(f & F_RAW))
                self.stats["truncated"] += int(bool(f & F_TRUNC))
            self.stats["dropped"] += int(not p.deliver)
            self.stats[f"dec_{p.dec}"] += 1
            if held:
                self.stats["held_deliver" if p.deliver else "held_drop"] += 1
                self.stats["held_pulses"] += self.held[i]
        self.stats["frames"] += len(self.pkts) - self.checked_upto
        self.checked_upto = len(self.pkts)
        if not self.idle:
            assert self.stalls == 0, f"back to back: s_axis_tready low {self.stalls} cycles"

    def records(self, frames=None):
        """(frame, record) of what the DUT emitted, in order."""
        frames = range(len(self.pkts)) if frames is None else frames
        return [(i, r) for i in frames for _, r, _, _ in self.got.get(i, [])]

    def done(self):
        s = self.stats
        self.log.info("%s idle=%s dec=%s REG_OUT=%d: checked %d ticks (%d message, %d event, %d verdict, %d bad) "
                      "over %d frames (%d dropped), %d cycles; decisions %s, after the frame's end %d delivered "
                      "(%d held pulses) / %d dropped, %d cycles a first beat waited for one; pulses %s",
                      self.name, self.idle, self.dec_mode, REG_OUT, s["records"], s["message"], s["event"],
                      s["verdict"], s["bad"], s["frames"], s["dropped"], self.cycle,
                      {t: s[f"dec_{t}"] for t in DEC_TIMES}, s["held_deliver"], s["held_pulses"], s["held_drop"],
                      self.dec_stalls, {k: s[k] for k in msm.PULSES})
        # one line per test in a file the pytest wrapper sums up
        with open(os.environ.get("TB_STATS", os.devnull), "a") as f:
            f.write(f"{self.name} {int(self.idle)} {s['records']} {s['frames']} {s['dropped']} "
                    f"{s['held_deliver'] + s['held_drop']} {self.dec_mode}\n")


def _show(rec):
    u = msm.unpack(rec)
    fl = "|".join(n for n, b in msm.FLAG.items() if u["flags"] & b)
    return (f"seq={u['seq']} flags={fl or 0} feed={u['feed']} type={u['msg_type']:#04x} "
            f"locate={u['stock_locate']} itch_ts={u['timestamp']:#x} ts={u['ts']:#x} body={u['body'].hex()} | "
            f"{rec.hex()}")


async def start(dut, name, idle, dec):
    tb = TB(dut, name, idle, dec)
    await tb.reset()
    return tb


# ------------------------------------------------------------------------------------------------
# Scenarios

def ab_stream(rng, feed, session, base, n, p_loss=0.08, both=((0.4, 15),), p_repeat=0.03, p_hb=0.03,
              lag_pkts=(1, 6)):
    """One feed's n-message stream on lines A (0) and B (1), each cut into packets of its own, in
    arrival order. Each line loses packets (p_loss) and repeats some (p_repeat, the same packet twice
    in a row); packets touching a `both` stretch (start fraction, length) are lost on both lines; B
    trails A by a random number of packets. Both lines end with a heartbeat at seq base + n (so a
    gap at the end is reported). The first packet (A's) and the final heartbeats are delivered;
    the bench may drop any other (send with drops="self"). Returns (frames, info)."""
    msgs = [random_msg(rng) for _ in range(n)]
    lost_both = set()
    for frac, length in both:
        s = max(9, int(frac * n))              # after A's first packet, which always arrives
        lost_both.update(range(s, min(n, s + length)))
    arrivals = []
    for line in (0, 1):
        t_prev, lag, s = -1.0, rng.randint(*lag_pkts) * 3, 0
        while s < n:
            c = min(n - s, rng.choice([1, 1, 2, 2, 3, 4, 5, 6, 8]))
            if line and rng.random() < 0.15:
                lag = rng.randint(*lag_pkts) * 3
            lost = any(k in lost_both for k in range(s, s + c)) or rng.random() < p_loss
            lost = lost and not (line == 0 and s == 0)        # the stream starts with A's first packet
            if not lost:
                t_prev = max(t_prev + 0.01, s + (lag if line else 0) + line * 0.001)
                pkt = Pkt(mold_packet(session, base + s, msgs[s:s + c]), feed, line,
                          desc=f"{'AB'[line]} msgs {s}..{s + c - 1}", deliver=True if line == 0 and s == 0 else None)
                arrivals.append((t_prev, pkt))
                if rng.random() < p_repeat:
                    t_prev += 0.001
                    arrivals.append((t_prev, Pkt(pkt.payload, feed, line, desc=pkt.desc + " repeated")))
            if rng.random() < p_hb:
                t_prev = max(t_prev + 0.01, s + c + (lag if line else 0))
                arrivals.append((t_prev, Pkt(mold_packet(session, base + s + c, []), feed, line,
                                             desc=f"{'AB'[line]} heartbeat at {s + c}")))
            s += c
        t_prev = max(t_prev + 0.01, n + (lag if line else 0) + line * 0.001)
        arrivals.append((t_prev, Pkt(mold_packet(session, base + n, []), feed, line,
                                     desc=f"{'AB'[line]} final heartbeat", deliver=True)))
    arrivals.sort(key=lambda a: a[0])
    return [a[1] for a in arrivals], {"base": base, "n": n, "lost_both": lost_both, "msgs": msgs}


def check_delivery(tb, frames, feed, info):
    """The delivery contract on what the DUT emitted for one feed's A/B stream (all frames good).
    With s_drop_unknown, the stream's messages of no ITCH type are never delivered (and count
    in ev_unknown, not in ev_dup); every record is of its message's type, RAW when not decoded."""
    base, n, msgs = info["base"], info["n"], info["msgs"]
    dropped_kind = lambda s: tb.drop_unknown and msm.kind(msgs[s - base]) == "unknown"  # noqa: E731
    gaps, seen, last_in_order, start = [], Counter(), None, None
    late = dups = 0
    for i, r in tb.records(frames):
        u = msm.unpack(r)
        if u["feed"] != feed or u["flags"] & F_VERDICT:
            continue
        assert not u["flags"] & F_FRAME_BAD, f"frame {i}: FRAME_BAD in a stream of good frames"
        if u["flags"] & F_EVENT:
            if u["event"] & E_NEW_SESSION:
                assert start is None, f"frame {i}: a second NEW_SESSION in one session's stream"
                start = u["seq"]
            if u["event"] & E_GAP:
                gaps.append((u["gap_first"], u["seq"]))
            continue
        s = u["seq"]
        seen[s] += 1
        assert seen[s] == 1, f"frame {i}: seq {s} delivered twice"
        m = msgs[s - base]
        assert u["msg_type"] == m[0] and bool(u["flags"] & F_RAW) == (msm.kind(m) != "decoded"), \
            f"frame {i}: seq {s}: type {u['msg_type']:#x} flags {u['flags']:#x} for message {m.hex()}"
        assert not dropped_kind(s), f"frame {i}: seq {s} of an unknown type delivered with s_drop_unknown"
        if u["flags"] & F_LATE:
            late += 1
            assert any(a <= s < b for a, b in gaps), f"frame {i}: seq {s} LATE outside every reported gap {gaps}"
        else:
            assert last_in_order is None or s > last_in_order, f"frame {i}: seq {s} after {last_in_order}, not LATE"
            last_in_order = s
    # before the session's first packet nothing is reported missing (NEW_SESSION, no gap)
    missing = [s for s in range(start, base + n) if not seen[s]]
    assert start == base, f"the stream started at {start}, not at its first message {base}"
    for s in missing:
        assert dropped_kind(s) or any(a <= s < b for a, b in gaps), \
            f"seq {s} never delivered and in no reported gap {gaps}"
    for k in info["lost_both"]:
        assert not seen[base + k], f"seq {base + k} lost on both lines, yet delivered"
    # copies the deframer delivered (the decision dropped the others: for the stream, lost)
    copies = sum(len(msm.parse(tb.pkts[i].payload)[1]) for i in frames if tb.pkts[i].deliver)
    dups = sum(tb.pulses.get(i, Counter())["dup"] for i in frames)
    lates = sum(tb.pulses.get(i, Counter())["late"] for i in frames)
    unknown = sum(tb.pulses.get(i, Counter())["unknown"] for i in frames)
    assert dups == copies - sum(seen.values()) - (unknown if tb.drop_unknown else 0), \
        (dups, copies, sum(seen.values()), unknown)
    assert lates == late, (lates, late)
    # received on some line yet not delivered: dropped by the decision, or the single-hole
    # limitation (an older gap's remainder is not tracked once a newer gap opens) -- always inside
    # a reported gap, checked above
    received_lost = sum(s - base not in info["lost_both"] and not dropped_kind(s) for s in missing)
    return {"delivered": len(seen), "missing": len(missing), "received_not_delivered": received_lost,
            "late": late, "dups": dups, "gaps": len(gaps), "copies": copies,
            "dropped": sum(not tb.pkts[i].deliver for i in frames)}


# ------------------------------------------------------------------------------------------------
# Tests

@cocotb.test()
@cocotb.parametrize(idle=[False, True], dec=DEC_MODES)
async def random_packets(dut, idle, dec):
    """Random traffic on 4 feeds: every packet fault and sequencing case, mixed."""
    tb = await start(dut, "random_packets", idle, dec)
    rng = tb.rng
    feeds = {f: {"sess": sess(f"R{f:02d}A"), "seq": rng.randrange(1, 1 << 40), "hist": []} for f in (0, 3, 9, 15)}
    pkts = []
    n = n_scaled(800, 20)
    for k in range(n):
        f = rng.choice(list(feeds))
        st = feeds[f]
        line, tuser = rng.randrange(2), rng.random() < 0.08
        r = rng.random()
        if k == n * 2 // 3:
            for g in feeds.values():
                g["sess"] = g["sess"][:4] + b"B" + g["sess"][5:]
        if r < 0.1 and st["hist"]:
            pkts.append(Pkt(rng.choice(st["hist"][-6:]), f, line, tuser, desc="resent"))
            continue
        if r < 0.15:
            st["seq"] += rng.randint(1, 5)                              # lost on every line
        if r > 0.97:
            pl = mold_packet(st["sess"], st["seq"], [], 0xFFFF)         # end of session
            pkts.append(Pkt(pl, f, line, tuser, desc="end of session"))
            continue
        msgs = [random_msg(rng) for _ in range(rng.choice([0, 1, 1, 2, 3, 5, 10, 20, 40]))]
        pl, desc = mold_packet(st["sess"], st["seq"], msgs), f"{len(msgs)} msgs"
        st["seq"] += len(msgs)
        st["hist"].append(pl)
        kind = rng.random()
        if kind < 0.05 and len(pl) > 21:
            pl, desc = pl[:rng.randint(1, len(pl) - 1)], "cut short"
        elif kind < 0.02:
            pl, desc = pl[:rng.randint(1, 16)], "cut to at most 16 bytes"
        elif kind < 0.08 and msgs:
            b = bytearray(pl)
            b[20:22] = rng.randint(0, msm.MIN_MSG_LEN - 1).to_bytes(2, "big")
            pl, desc = bytes(b), "runt message"
        elif kind < 0.11:
            b = bytearray(pl)
            b[18:20] = rng.choice([len(msgs) + 1] + ([len(msgs) - 1, 0xFFFF] if msgs else [])).to_bytes(2, "big")
            pl, desc = bytes(b), "count mismatch"
        pkts.append(Pkt(pl, f, line, tuser, desc=desc))
    st = feeds[3]
    # a full frame of minimum-length messages, and 8-byte ones
    msgs = [bytes([83]) + rng.randbytes(11) for _ in range(104)]
    pkts.append(Pkt(mold_packet(st["sess"], st["seq"], msgs), 3, 0, desc="104 x 12 bytes"))
    pkts.append(Pkt(mold_packet(st["sess"], st["seq"] + 104, [bytes([65]) + bytes(range(8, 15))] * 3), 3, 1,
                    desc="3 x 8 bytes"))
    st["seq"] += 107
    await tb.run(pkts, drops="self")
    # packets cut at every length, the second message ending in each lane: every place and
    # alignment at which a packet can end early (each cut copy is bad, so the whole one is new)
    pkts = []
    for l2 in range(12, 20) if SCALE >= 1 else (13, 17):
        whole = mold_packet(st["sess"], st["seq"], [bytes([83]) * 12, bytes([68]) * l2, bytes([69]) * 21])
        pkts += [Pkt(whole[:c], 3, c & 1, desc=f"cut at {c}") for c in range(1, len(whole))]
        pkts.append(Pkt(whole, 3, 0, desc="whole"))
        st["seq"] += 3
    exp = await tb.run(pkts, drops="self")
    assert all(o.delivered for o in exp if o.committed)
    s = tb.stats
    assert s["verdict"] and s["bad"] and s["count_err"] and s["err"] and s["gap"] and s["dup"] and s["session"]
    assert s["dropped"] and s["bad_verdict"] >= s["bad"]
    tb.done()


@cocotb.test()
@cocotb.parametrize(idle=[False, True], dec=DEC_MODES)
async def ab_arbitration(dut, idle, dec):
    """One feed, lines A and B cut differently, loss on each, stretches lost on both, B trailing."""
    tb = await start(dut, "ab_arbitration", idle, dec)
    rng = tb.rng
    n = n_scaled(3000, 150)
    frames, info = ab_stream(rng, 5, sess("AB0000001"), rng.randrange(1 << 50), n,
                             both=((0.3, 12), (0.7, 25)), p_repeat=0.05)
    base = len(tb.pkts)
    await tb.run(frames, drops="self")
    r = check_delivery(tb, range(base, len(tb.pkts)), 5, info)
    tb.log.info("A/B: %d messages, %s", n, r)
    assert r["late"] > 0 and r["dups"] > 0 and r["gaps"] >= 2 and tb.stats["session"] == 1
    tb.done()


def bad_variants(rng, pl, nmsgs):
    """Bad copies of a good payload with nmsgs messages: (payload, tuser, description)."""
    out = [(pl, True, "s_axis_tuser")]
    b = bytearray(pl)
    b[18:20] = (nmsgs + 1).to_bytes(2, "big")
    out.append((bytes(b), False, "count + 1"))
    if nmsgs:
        b[18:20] = (nmsgs - 1).to_bytes(2, "big")
        out.append((bytes(b), False, "count - 1"))
        b[18:20] = (0xFFFF).to_bytes(2, "big")
        out.append((bytes(b), False, "end of session with messages"))
        out.append((pl[:len(pl) - rng.randint(1, 6)], False, "cut short"))
        b = bytearray(pl)
        last = 20
        for _ in range(nmsgs - 1):
            last += 2 + int.from_bytes(b[last:last + 2], "big")
        b[last:last + 2] = (msm.MIN_MSG_LEN - 1).to_bytes(2, "big")
        out.append((bytes(b), False, "runt last message"))
    else:
        b[18:20] = (0).to_bytes(2, "big")
        out.append((bytes(b) + b"\x00\x0c" + b"M" * 12, False, "heartbeat count with a message"))
    return out


@cocotb.test()
@cocotb.parametrize(idle=[False, True], dec=DEC_MODES)
async def bad_frames(dut, idle, dec):
    """A bad copy never moves the state: the good copy that follows is delivered, its events made again."""
    tb = await start(dut, "bad_frames", idle, dec)
    rng = tb.rng
    f, s = 2, sess("BAD0000001")
    seq = 1000
    msgs = lambda k: [random_msg(rng) for _ in range(k)]  # noqa: E731

    async def bad_then_good(pl, nmsgs, desc, want):
        """Every bad variant of pl, then pl good on the other line: the good copy does `want`."""
        frames = [Pkt(bp, f, 0, tu, desc=f"{desc}: bad copy, {d}") for bp, tu, d in bad_variants(rng, pl, nmsgs)]
        frames.append(Pkt(pl, f, 1, desc=f"{desc}: good copy"))
        exp = await tb.run(frames)
        assert all(o.bad and not o.committed for o in exp[:-1]) and exp[-1].committed, desc
        good = exp[-1]
        assert len(good.delivered) == nmsgs and not good.dups, f"{desc}: the good copy was not delivered"
        if want:
            assert getattr(good, want), f"{desc}: the good copy did not make the {want} event again"
            assert all(getattr(o, want) for o in exp[:-1]), desc

    # a feed's first packet: NEW_SESSION from every copy
    pl = mold_packet(s, seq, msgs(3))
    await bad_then_good(pl, 3, "first packet", "new_session")
    seq += 3
    # in order
    pl = mold_packet(s, seq, msgs(4))
    await bad_then_good(pl, 4, "in order", None)
    seq += 4
    # a gap: GAP from every copy, the same range
    seq += 7
    pl = mold_packet(s, seq, msgs(2))
    await bad_then_good(pl, 2, "gap", "gap")
    seq += 2
    # a late fill of that gap: a bad fill does not move the hole
    pl = mold_packet(s, seq - 9, msgs(3))
    frames = [Pkt(bp, f, 1, tu, desc=f"late fill, bad: {d}") for bp, tu, d in bad_variants(rng, pl, 3)]
    frames.append(Pkt(pl, f, 0, desc="late fill, good"))
    exp = await tb.run(frames)
    assert all(o.late == len(o.delivered) for o in exp) and exp[-1].late == 3, \
        "the late fill is not seen as one by every copy"
    # end of session: a bad one does not end the session
    pl = mold_packet(s, seq, [], 0xFFFF)
    exp = await tb.run([Pkt(pl, f, 0, True, desc="end of session, bad"), Pkt(pl, f, 1, desc="end of session")])
    assert [bool(o.records) for o in exp] == [True, True]
    # a heartbeat with a gap
    seq += 5
    await bad_then_good(mold_packet(s, seq, []), 0, "heartbeat with a gap", "gap")
    # new session id: every bad copy sees it new
    s2 = sess("BAD0000002")
    await bad_then_good(mold_packet(s2, 1, msgs(2)), 2, "session change", "new_session")
    # random: each packet of a stream first bad (random kind) on one line, then good on the other
    seq2, frames = 3, []
    for _ in range(n_scaled(200, 10)):
        k = rng.choice([0, 1, 2, 3, 5])
        pl = mold_packet(s2, seq2, msgs(k))
        seq2 += k + (rng.random() < 0.1)
        line = rng.randrange(2)
        if rng.random() < 0.6:
            bp, tu, d = rng.choice(bad_variants(rng, pl, k))
            frames.append(Pkt(bp, f, line, tu, desc=f"random bad copy: {d}"))
        frames.append(Pkt(pl, f, 1 - line, desc="random good copy"))
    exp = await tb.run(frames, drops="self")
    assert all(not o.dups for o in exp if o.committed), "a good copy lost messages as duplicates"
    tb.done()


@cocotb.test()
@cocotb.parametrize(idle=[False, True], dec=DEC_MODES)
async def session_events(dut, idle, dec):
    """New session, end of session, heartbeats, hole merge and hole moves, straddling packets."""
    tb = await start(dut, "session_events", idle, dec)
    rng = tb.rng
    f = 7
    s1, s2, s3 = sess("SESS000001"), sess("SESS000002"), sess("SESS000003")
    msgs = lambda k: [random_msg(rng) for _ in range(k)]  # noqa: E731

    async def one(pl, desc, line=0, **want):
        o = (await tb.run([Pkt(pl, f, line, desc=desc)]))[0]
        for k, v in want.items():
            evs = [msm.unpack(r) for _, r in o.records if flags_of(r) & F_EVENT]
            got = {"events": lambda: [u["event"] for u in evs],
                   "delivered": lambda: o.delivered,
                   "late": lambda: o.late_seqs,
                   "gap_first": lambda: [u["gap_first"] for u in evs if u["event"] & E_GAP],
                   "nrec": lambda: len(o.records)}[k]()
            assert got == v, f"{desc}: {k} {got}, expected {v}"
        return o

    await one(mold_packet(s1, 100, msgs(3)), "first", events=[E_NEW_SESSION], delivered=[100, 101, 102])
    await one(mold_packet(s1, 103, msgs(2)), "in order, seq == expected: no gap", events=[], delivered=[103, 104])
    await one(mold_packet(s1, 102, msgs(4)), "behind: 3 dups, 1 new", events=[], delivered=[105])
    await one(mold_packet(s1, 106, []), "heartbeat in order: nothing", nrec=0)
    await one(mold_packet(s1, 90, []), "heartbeat behind: nothing", nrec=0)
    # a heartbeat with a gap makes the hole [106, 110) and expected 110; a gap right after
    # merges: hole [106, 115)
    await one(mold_packet(s1, 110, []), "heartbeat with a gap", events=[E_GAP], gap_first=[106])
    await one(mold_packet(s1, 115, msgs(2)), "gap after a heartbeat gap", events=[E_GAP], gap_first=[110],
              delivered=[115, 116])
    await one(mold_packet(s1, 107, msgs(2)), "fill in the merged hole", line=1, late=[107, 108])
    await one(mold_packet(s1, 106, msgs(1)), "below the hole's start after a fill: dup", line=1, delivered=[])
    await one(mold_packet(s1, 112, msgs(2)), "fill in the second half", line=1, late=[112, 113])
    await one(mold_packet(s1, 109, msgs(2)), "below the moved hole start: dups", line=1, delivered=[])
    await one(mold_packet(s1, 114, msgs(2)), "last fill of the hole", line=1, late=[114])
    # no merge: a gap after a gap packet with messages leaves the first hole behind
    await one(mold_packet(s1, 120, msgs(2)), "gap", events=[E_GAP], gap_first=[117])
    await one(mold_packet(s1, 125, msgs(1)), "another gap, not adjacent", events=[E_GAP], gap_first=[122])
    await one(mold_packet(s1, 118, msgs(1)), "fill of the older hole: dup (one hole only)", line=1, delivered=[])
    await one(mold_packet(s1, 122, msgs(3)), "fill of the newer hole", line=1, late=[122, 123, 124])
    # a packet straddling dup / fill / dup / new: hole [130, 140), expected 150
    await one(mold_packet(s1, 140, msgs(10)), "gap [126, 140)", events=[E_GAP], gap_first=[126])
    o = await one(mold_packet(s1, 120, msgs(35)), "straddling", line=1, events=[])
    assert o.delivered == list(range(126, 140)) + list(range(150, 155)), o.delivered
    assert o.late_seqs == list(range(126, 140))
    assert [msm.unpack(r)["seq"] for _, r in o.records if flags_of(r) & F_LATE] == \
        [q for q in range(126, 140) if q not in o.unknown_dropped]
    # end of session, once per session
    await one(mold_packet(s1, 155, [], 0xFFFF), "end of session", events=[E_EOS])
    await one(mold_packet(s1, 155, [], 0xFFFF), "end of session again: nothing", nrec=0)
    await one(mold_packet(s1, 160, [], 0xFFFF), "end of session again with a gap", events=[E_GAP], gap_first=[155])
    await one(mold_packet(s1, 160, msgs(1)), "a message after the end", events=[], delivered=[160])
    # a new session id resets, whatever its seq: lower, no gap, no dups
    await one(mold_packet(s2, 5, msgs(2)), "new session, lower seq", events=[E_NEW_SESSION], delivered=[5, 6])
    await one(mold_packet(s2, 7, [], 0xFFFF), "end of the new session", events=[E_EOS])
    await one(mold_packet(s1, 161, msgs(1)), "the old session again: new", events=[E_NEW_SESSION], delivered=[161])
    await one(mold_packet(s3, 9000, [], 0xFFFF), "new session that ends at once", events=[E_NEW_SESSION | E_EOS])
    await one(mold_packet(s3, 9005, [], 0xFFFF), "ended session, gap, end again", events=[E_GAP], gap_first=[9000])
    await one(mold_packet(s2, 50, []), "new session heartbeat", events=[E_NEW_SESSION])
    await one(mold_packet(s2, 60, msgs(1)), "gap after a new-session heartbeat", events=[E_GAP], gap_first=[50])
    # a random walk of the same cases, checked against the model only
    seq, frames = 61, []
    for _ in range(n_scaled(400, 20)):
        r = rng.random()
        k = rng.choice([0, 1, 2, 4, 7])
        at = seq + rng.choice([0, 0, 0, 1, 3]) if r < 0.7 else max(0, seq - rng.randint(1, 12))
        cnt = 0xFFFF if rng.random() < 0.05 else None
        frames.append(Pkt(mold_packet(s2, at, msgs(0 if cnt else k), cnt), f, rng.randrange(2), desc="walk"))
        seq = max(seq, at + (0 if cnt else k))
    await tb.run(frames, drops="self")
    tb.done()


@cocotb.test()
@cocotb.parametrize(idle=[False, True], dec=DEC_MODES)
async def wrap_saturation(dut, idle, dec):
    """Sequence numbers around 2^64 and index differences beyond 2^16."""
    tb = await start(dut, "wrap_saturation", idle, dec)
    rng = tb.rng
    f, s = 11, sess("WRAP000001")
    top = 1 << 64
    msgs = lambda k: [random_msg(rng) for _ in range(k)]  # noqa: E731

    async def one(pl, desc, line=0, feed=f):
        return (await tb.run([Pkt(pl, feed, line, desc=desc)]))[0]

    # a new session whose first packet wraps: expected = 2 (wrapped end)
    o = await one(mold_packet(s, top - 3, msgs(5)), "new session across 2^64")
    assert o.delivered == [top - 3, top - 2, top - 1, 0, 1]
    o = await one(mold_packet(s, 2, msgs(2)), "after the wrap, in order")
    assert o.delivered == [2, 3] and not o.gap
    # a session below the top whose packet wraps: end (small) < expected, expected stays put
    s2 = sess("WRAP000002")
    o = await one(mold_packet(s2, top - 10, msgs(4)), "new session below the top")
    o = await one(mold_packet(s2, top - 6, msgs(8)), "packet across 2^64")
    assert o.delivered == [(top - 6 + i) % top for i in range(8)]
    assert tb.model.state(f).expected == top - 6
    o = await one(mold_packet(s2, 2, msgs(3)), "after the wrap: all duplicates (64-bit compare)")
    assert o.dups == 3 and not o.gap
    o = await one(mold_packet(s2, top - 6, msgs(2)), "the wrapped packet again: delivered again")
    assert len(o.delivered) == 2
    o = await one(mold_packet(s2, top - 1, msgs(1)), "gap just below the top")
    assert o.gap and o.delivered == [top - 1]
    o = await one(mold_packet(s2, top - 3, msgs(2)), "late fill just below the top", line=1)
    assert o.late == 2
    # the wrapped commit left expected at top - 4, the fill moved it to top - 1: top - 1 again
    # is not a duplicate (64-bit compares, as the RTL and model.rs)
    o = await one(mold_packet(s2, top - 1, msgs(1)), "max seq again", line=1)
    assert o.delivered == [top - 1] and not o.late
    # saturation: duplicates more than 2^16 messages behind
    s3 = sess("SAT0000001")
    E = (1 << 45) + 12345
    await one(mold_packet(s3, E - 10, msgs(10)), "new session, expected E")
    for back, k in ((65536 + 2, 5), (65536, 3), (65535, 3), (2 * 65536 + 1, 3), (1 << 40, 4)):
        o = await one(mold_packet(s3, E - back, msgs(k)), f"{back} behind")
        assert o.dups == k and not o.delivered and not o.gap
    # saturated hole bounds: a gap of 200000 messages
    o = await one(mold_packet(s3, E + 200_000, msgs(1)), "gap of 200000")
    assert o.gap
    o = await one(mold_packet(s3, E + 200_000 - 65538, msgs(5)), "fill 65538 below the hole end", line=1)
    assert o.late == 5
    # the hole now starts at E + 200000 - 65533; a packet more than 2^16 below it
    o = await one(mold_packet(s3, E + 200_000 - 65533 - 65537, msgs(4)), "65537 below the hole start", line=1)
    assert o.dups == 4
    o = await one(mold_packet(s3, E + 5, msgs(3)), "fill far below the hole end (fill_hi saturated)", line=1)
    assert o.dups == 3          # E + 5 is below the moved hole start: duplicates
    await one(mold_packet(s3, E + 200_001, msgs(70)), "in order")
    # a 140-message packet (of 8-byte messages) half behind expected
    x = tb.model.state(f).expected
    o = await one(mold_packet(s3, x - 70, [bytes([66]) + rng.randbytes(7) for _ in range(140)]), "140 msgs, half dup")
    assert o.dups == 70 and o.delivered == list(range(x, x + 70))
    await tb.run([Pkt(mold_packet(s3, E + 250_000 + 2 * k, msgs(2)), f, k & 1, desc="random after")
                  for k in range(n_scaled(10, 3))], drops="self")
    tb.done()


@cocotb.test()
@cocotb.parametrize(idle=[False, True], dec=DEC_MODES)
async def seq_clear(dut, idle, dec):
    """seq_clear between packets forgets every feed, and so does one in a packet's beat 1 (before
    the state read at beat 2); one in beat k >= 2 (at or after the read): the packet is decided on
    the old state and not committed."""
    tb = await start(dut, "seq_clear", idle, dec)
    rng = tb.rng
    feeds = (0, 4, 8, 12)
    sessions = {f: sess(f"CLR{f:07d}") for f in feeds}
    seqs = {f: 500 for f in feeds}
    msgs = lambda k: [random_msg(rng) for _ in range(k)]  # noqa: E731

    def pkt(f, k, back=0, **kw):
        pl = mold_packet(sessions[f], seqs[f] - back, msgs(k))
        seqs[f] = max(seqs[f], seqs[f] - back + k)
        return Pkt(pl, f, rng.randrange(2), **kw)

    await tb.run([pkt(f, 3, desc="establish") for f in feeds])
    # clear between packets: every feed's next packet is new (a resend is delivered, not dropped)
    exp = await tb.run([pkt(0, 2, back=3, clear_before=True, desc="after clear, a resend")]
                       + [pkt(f, 2, back=2, desc="after clear, a resend") for f in feeds[1:]])
    assert all(o.new_session and len(o.delivered) == 2 for o in exp)
    # clear in beat 1: before the state read, the packet starts the feed afresh
    pl = mold_packet(sessions[4], seqs[4] - 2, msgs(4))
    exp = await tb.run([Pkt(pl, 4, 0, clear_at=1, desc="clear at beat 1")])
    assert exp[0].new_session and len(exp[0].delivered) == 4 and exp[0].committed
    seqs[4] += 2
    # clear in beat k >= 2 of a packet: decided on the old state (dups dropped), not committed
    for k in (2, 3, 5):
        pl = mold_packet(sessions[4], seqs[4] - 2, msgs(4))
        exp = await tb.run([Pkt(pl, 4, 0, clear_at=k, desc=f"clear at beat {k}"),
                            Pkt(pl, 4, 1, desc="the same packet after the clear")])
        assert exp[0].dups == 2 and not exp[0].committed and not exp[0].new_session
        assert exp[1].new_session and len(exp[1].delivered) == 4
        seqs[4] += 2
    # clear at the last beat
    pl = mold_packet(sessions[8], seqs[8], msgs(2))
    exp = await tb.run([Pkt(pl, 8, 0, clear_at=(len(pl) - 1) // 8, desc="clear at the last beat"),
                        Pkt(pl, 8, 1, desc="same packet again")])
    assert exp[1].new_session and len(exp[1].delivered) == 2
    seqs[8] += 2
    # random: clears between and within packets, on traffic with resends and gaps
    frames = []
    for _ in range(n_scaled(400, 20)):
        f = rng.choice(feeds)
        p = pkt(f, rng.choice([0, 1, 2, 5]), back=rng.choice([0, 0, 0, 2]), desc="random")
        if rng.random() < 0.1:
            seqs[f] += rng.randint(1, 4)
        r = rng.random()
        if r < 0.08:
            p.clear_before = True
        elif r < 0.16 and len(p.payload) > 8:
            p.clear_at = rng.randint(1, (len(p.payload) - 1) // 8)
        frames.append(p)
    await tb.run(frames, drops="self")
    tb.done()


@cocotb.test()
@cocotb.parametrize(idle=[False, True], dec=DEC_MODES)
async def many_feeds(dut, idle, dec):
    """16 feeds interleaved, each with its own A/B streams and state; feeds 0..7 share one session
    id and sequence numbers, so any state leaking between feeds shows."""
    tb = await start(dut, "many_feeds", idle, dec)
    rng = tb.rng
    n = n_scaled(200, 30)
    streams, infos = {}, {}
    for f in range(16):
        shared = f < 8
        s = sess("SHARED0001") if shared else sess(f"FEED{f:06d}")
        base = 4242 if shared else rng.randrange(1 << 32)
        frames, info = ab_stream(rng, f, s, base, n, p_loss=0.1, both=((rng.random() * 0.8, 5),))
        streams[f], infos[f] = deque(frames), info
    order = []
    while streams:
        f = rng.choice(list(streams))
        order.append(streams[f].popleft())
        if not streams[f]:
            del streams[f]
    first = len(tb.pkts)
    await tb.run(order, drops="self")
    frames = range(first, len(tb.pkts))
    tot = Counter()
    for f in range(16):
        mine = [i for i in frames if tb.pkts[i].feed == f]
        tot.update(check_delivery(tb, mine, f, infos[f]))
    tb.log.info("16 feeds: %s", dict(tot))
    assert tb.stats["session"] == 16 and tot["late"] and tot["dups"]
    tb.done()


@cocotb.test()
@cocotb.parametrize(idle=[False, True])
async def decision_sweep(dut, idle):
    """Every decision timing x deliver / drop x s_axis_tuser on a packet cut at every length (1..44
    bytes: ending in beat 0..5, before, at and after the decision), on good heartbeats and
    one-message packets: drops leave nothing and move nothing, held pulses come with a delivering
    decision only, ev_bad_verdict on every kind of bad end."""
    tb = await start(dut, "decision_sweep", idle, "sweep")
    f, s = 6, sess("DEC0000001")
    seq, frames, k = 1, [], 0

    def variants(pl, desc):
        nonlocal k
        # the drop first: a good packet dropped must not make the delivered copy a duplicate
        for dec in DEC_TIMES:
            for deliver in (False, True):
                for tuser in (False, True):
                    k += 1
                    frames.append(Pkt(pl, f, (k // 3) & 1, tuser, desc=f"{desc}, decision {dec}, "
                                      f"{'deliver' if deliver else 'drop'}", deliver=deliver, dec=dec))

    for n in range(1, 45):
        whole = mold_packet(s, seq, [bytes([65]) * 8, bytes([66]) * 12])     # 44 bytes, 6 beats
        variants(whole[:n], f"{n} of 44 bytes")
        seq += 2 + (n % 5 == 0)
    for msgs in ([], [bytes([67]) * 8]):
        for _ in range(2):
            variants(mold_packet(s, seq, msgs), f"{len(msgs)} message(s)")
            seq += len(msgs) + 1
    await tb.run(frames)
    s = tb.stats
    assert s["dropped"] == s["frames"] // 2 and s["bad_verdict"] and s["err"] and s["pkt"] and s["gap"]
    if not idle:
        # back to back, frames of 1 or 2 beats end before a decision 1 or 2 cycles after the header
        assert s["held_deliver"] and s["held_drop"] and s["held_pulses"]
    tb.done()


# itchfeed's attribute names where they differ from the specification's: the one table the
# oracle tests in tests/ use too; a name missing there fails check_itchfeed (no table has it)
sys.path.insert(0, str(ROOT / "tests"))
from itchfeed_names import RENAME as ITCHFEED_RENAME  # noqa: E402


def check_itchfeed(rec, m):
    """Every field itchfeed decodes from wire message m, read back from the tick record at its
    tick.toml offset (integers little-endian, alpha as bytes), tracking_number and the fields a
    type does not carry (stock of P, I, O) excepted; every carried field must have been compared.
    Returns the number of fields compared."""
    from itch.messages import messages as ITCHFEED
    t = chr(m[0])
    where = dict(msm.ITCH_HDR)
    where.update({f["name"]: f for f in msm.MESSAGES[m[0]]["fields"]})
    theirs = ITCHFEED[m[:1]](m)
    assert rec[where["message_type"]["at"]] == theirs.message_type[0], (t, rec.hex())
    compared = set()
    for k, v in vars(theirs).items():
        name = ITCHFEED_RENAME.get((t, k), k)
        assert name in where, f"{t}: itchfeed field {k} ({name}) is in no table of tick.toml"
        f = where[name]
        if "at" not in f:
            continue
        got = rec[f["at"]:f["at"] + f["size"]]
        mine = got if isinstance(v, bytes) else int.from_bytes(got, "little")
        assert mine == v, f"{t}.{name}: tick bytes {f['at']}..{f['at'] + f['size'] - 1} = {got.hex()}, " \
                          f"itchfeed {v!r} (message {m.hex()})"
        compared.add(name)
    carried = {n for n, f in where.items() if "at" in f} - {"message_type"}
    assert compared == carried, (t, sorted(carried - compared))
    return len(compared) + 1


@cocotb.test()
@cocotb.parametrize(idle=[False, True])
async def decoder(dut, idle):
    """The ITCH decoder at every byte alignment of the 64-bit bus: each of the 23 types (random
    field values) with its first byte in each of the 8 lanes (lane 1: its 2-byte length straddles
    two beats; lane 0: the length ends a beat), also one byte short and one long (raw, ev_len_err),
    raw messages of 8, 9 and 10 bytes (the common header cut short), an 8-byte message at lane 0 right after a
    decoded one, and unknown types at raw lengths around the 41-byte TRUNCATED limit; then again
    with s_drop_unknown. Every record is compared byte for byte with the model (as in every test)
    and every decoded one, field by field, with itchfeed's decode of the same wire bytes."""
    tb = await start(dut, "decoder", idle, "random" if idle else "fixed2")
    rng = tb.rng
    f, s = 13, sess("DECODE0001")
    seq = 1 << 33
    msg_at = {}                                      # seq -> (message, lane of its first byte)

    def msg(t, n):
        return bytes([t]) + rng.randbytes(n - 1)

    def valid(t):
        return msg(t, msm.MESSAGES[t]["len"])

    def chains(unknown_only=False):
        """(lane of the first message, [messages placed back to back])"""
        out = []
        for lane in range(8):
            for t in msm.TYPES if not unknown_only else ():
                n = msm.MESSAGES[t]["len"]
                out += [(lane, [valid(t)]) for _ in range(max(1, round(2 * SCALE)))]
                out += [(lane, [msg(t, n - 1)]), (lane, [msg(t, n + 1)])]
            for n in (8, 12, 40, 41, 42, 50, rng.randint(8, 60)):
                out.append((lane, [msg(rng.choice(UNKNOWN_TYPES), n)]))
            for n in (8, 9, 10):
                out.append((lane, [msg(rng.choice(msm.TYPES), n)]))
        for t in msm.TYPES if not unknown_only else ():
            # an 8-byte message at lane 0 (it ends in its type byte's beat) after a decoded one
            out.append(((-msm.MESSAGES[t]["len"] - 2) % 8, [valid(t), msg(rng.choice(msm.TYPES), 8)]))
        rng.shuffle(out)
        return out

    def packets(chs):
        nonlocal seq
        pkts = []
        while chs:
            body, pos = [], msm.HDR                  # pos: where the next block's length goes
            for _ in range(min(len(chs), rng.randint(1, 6))):
                lane, ms = chs.pop()
                pad = (lane - (pos + 2)) % 8
                if pad:                              # a filler block moves the next start by 2 + 8..15
                    n = 8 + (pad - 2) % 8
                    body.append(valid(rng.choice(b"SW")) if n == 12 else msg(rng.choice(range(256)), n))
                    pos += 2 + n
                for m in ms:
                    body.append(m)
                    pos += 2 + len(m)
            pl = mold_packet(s, seq, body)
            _, parsed, fault = msm.parse(pl)
            assert not fault and len(parsed) == len(body)
            for i, (last, m) in enumerate(parsed):
                msg_at[seq + i] = (m, (last - len(m) + 1) % 8)
            seq += len(body)
            pkts.append(Pkt(pl, f, rng.randrange(2), desc=f"decoder: {len(body)} msgs"))
        return pkts

    first = len(tb.pkts)
    tb.set_drop_unknown(False)
    await tb.run(packets(chains()))
    mid = len(tb.pkts)
    tb.set_drop_unknown(True)
    await tb.run(packets(chains(unknown_only=True)) + packets(chains()[:60]))
    # what the DUT emitted (equal to the model's, byte for byte: checked by tb.run), against itchfeed
    decoded, raw, fields = Counter(), Counter(), 0
    for i, r in tb.records(range(first, len(tb.pkts))):
        u = msm.unpack(r)
        if u["flags"] & (F_EVENT | F_VERDICT):
            continue
        m, lane = msg_at[u["seq"]]
        k = msm.kind(m)
        assert not (k == "unknown" and i >= mid), f"seq {u['seq']}: an unknown type delivered with s_drop_unknown"
        if k == "decoded":
            fields += check_itchfeed(r, m)
            decoded[(m[0], lane)] += 1
        else:
            assert u["msg_len"] == len(m) and bool(u["flags"] & F_TRUNC) == (len(m) > msm.RAW_MAX), u
            raw[(k, m[0] if k == "len_err" else None, lane, len(m) > msm.RAW_MAX)] += 1
    missing = [(chr(t), lane) for t in msm.TYPES for lane in range(8) if not decoded[(t, lane)]]
    assert not missing, f"types x first-byte lanes never decoded: {missing}"
    assert len(decoded) == 23 * 8
    # the 2-byte length straddling two beats (first byte in lane 1) and ending one (lane 0)
    assert all(decoded[(t, 1)] and decoded[(t, 0)] for t in msm.TYPES)
    missing = [(chr(t), lane) for t in msm.TYPES for lane in range(8)
               if not any(raw[("len_err", t, lane, tr)] for tr in (False, True))]
    assert not missing, f"types x lanes never seen at a wrong length: {missing}"
    assert all(raw[("unknown", None, lane, tr)] for lane in range(8) for tr in (False, True))
    s = tb.stats
    assert s["unknown"] and s["len_err"] and s["truncated"]
    tb.log.info("decoder: %d decoded records (23 types x 8 lanes), %d fields equal to itchfeed's, %d raw records",
                sum(decoded.values()), fields, sum(raw.values()))
    tb.done()


# ------------------------------------------------------------------------------------------------
# pytest entry points: build with Verilator for each REG_OUT, run every test above in one simulation
# per build; then the mutation check on a third build.

SOURCES = ("tw_tick_pkg.sv", "tw_mold_sequencer.sv", "tw_mold_deframer.sv", "tw_tick_packer.sv")
BUILD_ARGS = ["--assert", "-Wno-fatal", "--x-assign", "unique", "--x-initial", "unique", "--output-split", "0"]
SCALE_REG_OUT0 = 0.5              # the REG_OUT=0 build runs the random parts at half size

# the byte-order mutant's target, from tick.toml: A's decoder map (its position there) and its shares
_A_MAP = msm.TYPES.index(b"A")
_A_SHARES = next(f["at"] for f in msm.MESSAGES[ord("A")]["fields"] if f["name"] == "shares")
# name: (file, original text, mutated text ({M}: the condition "this mutant is selected"), target test);
# each original text must occur exactly once in the file as the mutants before it left it
MUTANTS = {
    "commit_on_bad_frame": (
        "tw_mold_deframer.sv",
        "commit   = s_axis_tvalid && s_axis_tlast && (hdr_seen_q || hdr_done) && !bad_v && !s_axis_tuser && deliver_nh;",
        "commit   = s_axis_tvalid && s_axis_tlast && (hdr_seen_q || hdr_done) && ({M} || (!bad_v && !s_axis_tuser)) && deliver_nh;",
        "bad_frames"),
    "count_err_not_bad": (
        "tw_mold_deframer.sv", "bad_v    = bad_q || cut || cnt_bad;",
        "bad_v    = bad_q || cut || (!{M} && cnt_bad);", "bad_frames"),
    "gap_on_equal": (
        "tw_mold_sequencer.sv", "gt        = s_seq > st_exp;",
        "gt        = {M} ? s_seq >= st_exp : s_seq > st_exp;", "session_events"),
    "no_hole_merge": (
        "tw_mold_sequencer.sv", "if (!merge_q) lo_new = st_exp_q;",
        "if ({M} || !merge_q) lo_new = st_exp_q;", "session_events"),
    "hole_start_stuck": (
        "tw_mold_sequencer.sv", "lo_new = pk_seq_q + 64'(fill_end_q);",
        "lo_new = {M} ? st_lo_q : pk_seq_q + 64'(fill_end_q);", "session_events"),
    "late_flag_missing": (
        "tw_tick_packer.sv", "out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_LATE]            = late_q;",
        "out_tick_d[8*TICK_FLAGS_OFF + TICK_FLAG_LATE]            = late_q && !{M};", "ab_arbitration"),
    "expected_not_max": (
        "tw_mold_sequencer.sv", "exp_new  = (pk_new_q || end_seq_q > st_exp_q) ? end_seq_q : st_exp_q;",
        "exp_new  = ({M} || pk_new_q || end_seq_q > st_exp_q) ? end_seq_q : st_exp_q;", "ab_arbitration"),
    "eos_every_time": (
        "tw_mold_sequencer.sv", "eos_ev    = s_eos && (new_sess || !st_ended);",
        "eos_ev    = s_eos && ({M} || new_sess || !st_ended);", "session_events"),
    "no_saturation": (
        "tw_mold_sequencer.sv", "else if (!zero_c64({16'd0, d[63:16]})) idx_to = 17'h1_0000;",
        "else if (!{M} && !zero_c64({16'd0, d[63:16]})) idx_to = 17'h1_0000;", "wrap_saturation"),
    "clear_after_read_commits": (
        "tw_mold_sequencer.sv", "commit_q   <= s_commit && (s_decide || !stale_q) && !clear;",
        "commit_q   <= s_commit && ({M} || s_decide || !stale_q) && !clear;", "seq_clear"),
    "feeds_share_state": (
        "tw_mold_deframer.sv", ".s_feed(feed_d),", ".s_feed({M} ? '0 : feed_d),", "many_feeds"),
    "ended_forgotten": (
        "tw_mold_sequencer.sv", "pk_eos_q || (!pk_new_q && st_ended_q)}",
        "pk_eos_q || (!{M} && !pk_new_q && st_ended_q)}", "session_events"),
    "fills_dropped_as_dups": (
        "tw_tick_packer.sv", "dup_d = {1'b0, s_new_idx} < s_dup_below && !late_d;",
        "dup_d = {1'b0, s_new_idx} < s_dup_below && (!late_d || {M});", "ab_arbitration"),
    "gap_flag_on_every_message": (
        "tw_tick_packer.sv", "gap_d = s_ev_gap && s_new_idx == '0;", "gap_d = s_ev_gap && (s_new_idx == '0 || {M});",
        "ab_arbitration"),
    # the delivery decision
    "dropped_beats_delivered": (
        "tw_mold_deframer.sv", "m_valid     <= beat && deliver;", "m_valid     <= beat && (deliver || {M});",
        "decision_sweep"),
    "dropped_packet_decided": (
        "tw_mold_deframer.sv", "decide   = s_axis_tvalid && hdr_done && deliver_nh;",
        "decide   = s_axis_tvalid && hdr_done && (deliver_nh || {M});", "decision_sweep"),
    "dropped_packet_committed": (
        "tw_mold_deframer.sv", ".s_commit(commit)",
        ".s_commit(commit || ({M} && s_axis_tvalid && s_axis_tlast && (hdr_seen_q || hdr_done) && !bad_v && !s_axis_tuser))",
        "decision_sweep"),
    "held_pulses_on_drop": (
        "tw_mold_deframer.sv", "out_err = pend_err_q && s_dec_deliver;",
        "out_err = pend_err_q && (s_dec_deliver || {M});", "decision_sweep"),
    "held_verdict_lost": (
        "tw_mold_deframer.sv", "pend_bad_d = bad_d || s_axis_tuser;", "pend_bad_d = !{M} && (bad_d || s_axis_tuser);",
        "decision_sweep"),
    "pulses_not_held": (
        "tw_mold_deframer.sv", "if (have_d) begin", "if (have_d || {M}) begin", "decision_sweep"),
    "bad_verdict_blind_to_tuser": (
        "tw_mold_deframer.sv", "out_bad = deliver_d && s_axis_tlast && (bad_d || s_axis_tuser);",
        "out_bad = deliver_d && s_axis_tlast && (bad_d || (s_axis_tuser && !{M}));", "random_packets"),
    "user_one_decision_late": (
        "tw_mold_deframer.sv", "m_user      <= user_d;", "m_user      <= {M} ? user_q : user_d;", "decision_sweep"),
    # the ITCH decoder
    "byte_order_slip": (       # two bytes of one field swapped: A's shares
        "tw_tick_packer.sv", "out_tick_d[8*LO                +: 8*ACC]                 = merged;",
        "out_tick_d[8*LO                +: 8*ACC]                 = merged;\n"
        f"                if ({{M}} && map_now == 5'd{_A_MAP}) out_tick_d[8*{_A_SHARES} +: 16] = "
        f"{{merged[8*({_A_SHARES}-LO) +: 8], merged[8*({_A_SHARES + 1}-LO) +: 8]}};", "decoder"),
    "decoded_at_len_plus_1": (
        "tw_tick_packer.sv", "tmap     = (tunk || 16'(itch_type_len(tidx)) != tlen) ? 5'(ITCH_MAP_RAW) : tidx;",
        "tmap     = (tunk || 16'(itch_type_len(tidx)) != tlen - 16'({M})) ? 5'(ITCH_MAP_RAW) : tidx;", "decoder"),
    "drop_unknown_ignored": (
        "tw_tick_packer.sv", "dropped_unknown = unk_now && s_drop_unknown;",
        "dropped_unknown = unk_now && s_drop_unknown && !{M};", "decoder"),
    "truncated_at_41": (
        "tw_tick_packer.sv", "raw_now && len_q > 16'(TICK_RAW_MAX);",
        "raw_now && ({M} ? len_q >= 16'(TICK_RAW_MAX) : len_q > 16'(TICK_RAW_MAX));", "decoder"),
    "short_msg_stale_map": (   # an 8-byte message at lane 0 ends in its type's beat: flags from the previous map
        "tw_tick_packer.sv", "map_now  = type_cur ? 5'(ITCH_MAP_RAW) : map_q;",
        "map_now  = (type_cur && !{M}) ? 5'(ITCH_MAP_RAW) : map_q;",
        "decoder"),
    "len_err_on_unknown": (
        "tw_tick_packer.sv", "len_ev_d = s_cur_end && !dup_q && raw_now && !unk_now;",
        "len_ev_d = s_cur_end && !dup_q && raw_now && (!unk_now || {M});", "decoder"),
    "unknown_on_duplicates": (
        "tw_tick_packer.sv", "unk_ev_d = s_cur_end && !dup_q && unk_now;",
        "unk_ev_d = s_cur_end && (!dup_q || {M}) && unk_now;", "ab_arbitration"),
    "raw_len_missing": (
        "tw_tick_packer.sv", "if (raw_now) out_tick_d[8*TICK_RAW_LEN_OFF +: 16]        = len_q;",
        "if (raw_now && !{M}) out_tick_d[8*TICK_RAW_LEN_OFF +: 16]        = len_q;", "random_packets"),
}


@pytest.mark.parametrize("reg_out", [1, 0])
def test_tw_mold_rx(tmp_path, reg_out):
    from tw_tb import RTL, run_bench

    stats = tmp_path / "stats.txt"
    scale = SCALE * (1 if reg_out else SCALE_REG_OUT0)
    run_bench("tw_mold_rx", [RTL / f for f in SOURCES] + [BENCH / "tb_mold_rx.sv"], "tb_mold_rx",
              "test_tw_mold_rx", BENCH, build_args=BUILD_ARGS, parameters={"REG_OUT": reg_out},
              build_subdir=None if reg_out else "reg_out0",
              extra_env={"TW_TB_SEED": str(SEED), "TB_SCALE": str(scale), "TW_TB_REG_OUT": str(reg_out),
                         "TB_STATS": str(stats)})
    lines = [ln.split() for ln in stats.read_text().splitlines()]
    print(f"\ntw_mold_rx REG_OUT={reg_out}: {len(lines)} tests, {sum(int(x[2]) for x in lines)} ticks checked over "
          f"{sum(int(x[3]) for x in lines)} frames ({sum(int(x[4]) for x in lines)} dropped, "
          f"{sum(int(x[5]) for x in lines)} decided after their end)")
    assert len(lines) == 32, f"{len(lines)} tests finished, expected 32"


def _mutant_rtl(d):
    """Copy the RTL to d with every mutant planted, each selected at run time by +TW_MUT=<n>."""
    d.mkdir(parents=True, exist_ok=True)
    text = {f: (ROOT / "hdl" / "rtl" / f).read_text() for f in SOURCES}
    used = set()
    for k, (name, (f, old, new, _)) in enumerate(MUTANTS.items(), 1):
        assert text[f].count(old) == 1, f"mutant {name}: the original text is not found exactly once in {f}"
        text[f] = text[f].replace(old, new.replace("{M}", f"(tw_mut == {k})"))
        used.add(f)
    for f in used:
        # the selector, right after the module's port list
        head, sep, tail = text[f].partition("\n);\n")
        assert sep, f
        text[f] = (head + sep + '    int tw_mut;\n    initial if (!$value$plusargs("TW_MUT=%d", tw_mut)) tw_mut = 0;\n'
                   + tail)
    for f, t in text.items():
        p = d / f
        if not p.exists() or p.read_text() != t:      # unchanged files keep the build up to date
            p.write_text(t)
    return [d / f for f in SOURCES]


def test_tw_mold_rx_mutants():
    """Each planted bug must make its target test fail (back to back, dec=fixed2, reduced size)."""
    if os.environ.get("TW_TB_MUTANTS", "1") == "0":
        pytest.skip("TW_TB_MUTANTS=0")
    from tw_tb import run_bench

    build = ROOT / "build" / "tb" / "tw_mold_rx" / "mutants"
    sources = _mutant_rtl(build / "rtl") + [BENCH / "tb_mold_rx.sv"]
    results, survived = [], []
    for k, (name, (_, _, _, target)) in enumerate(MUTANTS.items(), 1):
        xml = build / "results.xml"
        try:
            run_bench("tw_mold_rx", sources, "tb_mold_rx", "test_tw_mold_rx", BENCH, build_args=BUILD_ARGS,
                      build_subdir="mutants", plusargs=[f"+TW_MUT={k}"],
                      extra_env={"TW_TB_SEED": str(SEED), "TB_SCALE": "0.25",
                                 "COCOTB_TEST_FILTER": rf"\.{target}/idle=False(/dec=fixed2)?$"})
        except SystemExit:
            pass
        failed, ran = [], []
        if xml.exists():
            for tc in ET.parse(xml).iter("testcase"):
                ran.append(tc.get("name"))
                if tc.find("failure") is not None or tc.find("error") is not None:
                    failed.append(tc.get("name"))
        killed = bool(ran) and bool(failed)
        results.append(f"{'KILLED' if killed else 'SURVIVED':8s} {name:26s} by {target} (ran {ran}, failed {failed})")
        if not killed:
            survived.append(name)
    print("\n" + "\n".join(results))
    assert not survived, f"mutants not caught: {survived}"
