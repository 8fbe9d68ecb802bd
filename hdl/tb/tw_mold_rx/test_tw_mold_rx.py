# SPDX-License-Identifier: Apache-2.0
"""Unit bench: tw_mold_deframer + tw_tick_packer against a Python MoldUDP64 model, frame verdicts
(FRAME_END / FRAME_BAD / VERDICT records) included.

Scoreboard style: the model predicts the tick records of each packet, a monitor collects what the
packer emits, the checker compares them byte for byte. Axis: idle cycles inserted between beats.
"""
import os
import random
import struct
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import RisingEdge, ReadOnly

ROOT = Path(__file__).resolve().parents[3]
CAP = 36          # tick data capacity (hdl/regs/tick.toml)
F_TRUNC, F_SESSION, F_FRAME_END, F_FRAME_BAD, F_VERDICT = 1, 2, 8, 16, 32
MIN_MSG_LEN = 8


def mold_packet(session, seq, msgs, count=None):
    body = b"".join(struct.pack(">H", len(m)) + m for m in msgs)
    return session + struct.pack(">QH", seq, len(msgs) if count is None else count) + body


def model(payload, ts, state, bad_in=False, feed=0, line=0):
    """Expected tick records (bytes) and counters for one payload, per the deframer's rules.

    Each record is made on the beat holding its last byte (a session record: the header's last
    byte, 19); the record made on the packet's last beat carries FRAME_END (and FRAME_BAD when the
    frame is bad: bad_in, or the packet cut short); if none is, a VERDICT record does, provided
    the packet made any record. The session becomes the last one seen only with a good frame."""
    made, err, new_session = [], False, False   # (beat, seq, n, flags, data)
    if len(payload) >= 20:
        session, seq = payload[:10], struct.unpack(">Q", payload[10:18])[0]
        new_session = state.get("session") != session
        if new_session:
            made.append((19 // 8, seq, 10, F_SESSION, session))
        pos, idx = 20, 0
        while pos < len(payload):
            if pos + 2 > len(payload):
                err = True
                break
            n = struct.unpack(">H", payload[pos:pos + 2])[0]
            if n < MIN_MSG_LEN or pos + 2 + n > len(payload):
                err = True
                break
            msg = payload[pos + 2:pos + 2 + n]
            made.append(((pos + 2 + n - 1) // 8, seq + idx, n, F_TRUNC if n > CAP else 0, msg[:CAP]))
            idx += 1
            pos += 2 + n
    else:
        err = True
    last_beat = (len(payload) - 1) // 8
    bad = bad_in or err
    if len(payload) >= 20 and not bad:
        state["session"] = payload[:10]   # a session counts as seen only through a good frame
    verdict = F_FRAME_END | (F_FRAME_BAD if bad else 0)
    ticks = []
    for beat, seq, n, flags, data in made:
        if beat == last_beat:
            flags |= verdict
        ticks.append(record(ts, seq, n, flags, data, feed, line))
    if made and made[-1][0] != last_beat:
        ticks.append(record(ts, 0, 0, F_VERDICT | verdict, b"", feed, line))
    return ticks, err, new_session


def record(ts, seq, n, flags, data, feed=0, line=0):
    b = struct.pack("<QQHBB", ts, seq, n, flags, line) + data.ljust(CAP, b"\0") + bytes([feed, 0, 0, 0]) + b"\0\0\0\0"
    assert len(b) == 64
    return b


class TB:
    def __init__(self, dut, idle_prob, seed):
        self.dut, self.idle_prob, self.rng = dut, idle_prob, random.Random(seed)
        self.got, self.ev = [], {"pkt": 0, "msg": 0, "err": 0, "session": 0}
        self.frame_flags = []   # (m_frame_end, m_frame_bad) beside each record
        cocotb.start_soon(Clock(dut.clk, 3104, unit="ps").start())
        cocotb.start_soon(self.monitor())

    async def reset(self):
        d = self.dut
        d.rst.value = 1
        d.s_hdr_valid.value = 0
        d.s_axis_tvalid.value = 0
        d.s_hdr_ts.value = 0
        d.s_hdr_user.value = 0
        d.s_axis_tuser.value = 0
        d.s_axis_tdata.value = 0
        d.s_axis_tkeep.value = 0
        d.s_axis_tlast.value = 0
        for _ in range(4):
            await RisingEdge(d.clk)
        d.rst.value = 0
        await RisingEdge(d.clk)

    async def monitor(self):
        d = self.dut
        while True:
            await RisingEdge(d.clk)
            await ReadOnly()
            if d.rst.value == 1:
                continue
            if d.m_valid.value == 1:
                self.got.append(int(d.m_tick.value).to_bytes(64, "little"))
                self.frame_flags.append((int(d.m_frame_end.value), int(d.m_frame_bad.value)))
            for k in self.ev:
                if getattr(d, "ev_" + k).value == 1:
                    self.ev[k] += 1

    async def send(self, payload, ts, bad=False, user=0):
        """Header first (held until taken), payload beats with random idle cycles; handshakes are
        sampled in the ReadOnly phase before the clock edge that completes them."""
        d = self.dut
        d.s_hdr_valid.value = 1
        d.s_hdr_ts.value = ts
        d.s_hdr_user.value = user
        hdr_pending = True
        beats = [payload[i:i + 8] for i in range(0, len(payload), 8)]
        i = 0
        while i < len(beats) or hdr_pending:
            present = i < len(beats) and self.rng.random() >= self.idle_prob
            if present:
                b = beats[i]
                d.s_axis_tdata.value = int.from_bytes(b.ljust(8, b"\0"), "little")
                d.s_axis_tkeep.value = (1 << len(b)) - 1
                d.s_axis_tlast.value = int(i == len(beats) - 1)
                d.s_axis_tuser.value = int(bad and i == len(beats) - 1)
            d.s_axis_tvalid.value = int(present)
            await ReadOnly()
            hdr_fire = hdr_pending and d.s_hdr_ready.value == 1
            beat_fire = present and d.s_axis_tready.value == 1
            await RisingEdge(d.clk)
            if hdr_fire:
                hdr_pending = False
                d.s_hdr_valid.value = 0
            if beat_fire:
                i += 1
        d.s_axis_tvalid.value = 0


def random_msg(rng):
    # ITCH-like: a type byte then random bytes; lengths cover 8..60 to hit truncation at 40
    n = rng.choice([12, 19, 20, 21, 23, 25, 26, 28, 31, 35, 36, 39, 40, 41, 44, 48, 50, rng.randint(8, 60)])
    return bytes([rng.choice(b"SRHYLVWKJhAFECXDUPQBINO")]) + bytes(rng.getrandbits(8) for _ in range(n - 1))


async def run(dut, idle_prob):
    seed = int(os.environ.get("TB_SEED", "1"))
    tb = TB(dut, idle_prob, seed)
    await tb.reset()
    rng = random.Random(seed + 7)
    state, exp, exp_err, exp_sess, exp_pkts = {}, [], 0, 0, 0
    sessions = [b"20261124AA", b"20261124AB"]
    seq = 1
    cases = []
    for i in range(300):
        sess = sessions[0] if i < 200 else sessions[1]
        msgs = [random_msg(rng) for _ in range(rng.choice([0, 1, 1, 2, 3, 5, 10, 20, 40]))]
        payload = mold_packet(sess, seq, msgs)
        seq += len(msgs)
        kind = rng.random()
        if kind < 0.05 and len(payload) > 21:
            payload = payload[:rng.randint(1, len(payload) - 1)]       # cut short
        elif kind < 0.08 and msgs:
            bad = bytearray(payload)
            bad[20:22] = struct.pack(">H", rng.randint(0, MIN_MSG_LEN - 1))  # runt message
            payload = bytes(bad)
        cases.append(payload)
    # 1500-byte frame worth of messages, and minimum-length ones
    cases.append(mold_packet(sessions[1], seq, [random_msg(rng)[:12].ljust(12, b"x") for _ in range(104)]))
    cases.append(mold_packet(sessions[1], seq + 104, [bytes([65]) + bytes(range(8, 15))] * 3))
    # packets cut at every possible length, with the second message ending at each of the 8 lanes:
    # every place and every alignment at which a packet can end early
    for l2 in range(12, 20):
        whole = mold_packet(sessions[1], seq + 107, [bytes([83]) * 12, bytes([68]) * l2, bytes([69]) * 21])
        cases += [whole[:n] for n in range(1, len(whole))] + [whole]
    for n, payload in enumerate(cases):
        ts = 1_000_000 + n * 977
        bad = rng.random() < 0.1
        feed, line = rng.randrange(16), rng.randrange(2)
        t, err, new_sess = model(payload, ts, state, bad, feed, line)
        exp += t
        exp_err += int(err)
        exp_sess += int(new_sess)
        exp_pkts += int(len(payload) >= 20)
        await tb.send(payload, ts, bad, (feed << 8) | line)
    for _ in range(20):
        await RisingEdge(dut.clk)
    for i, (g, e) in enumerate(zip(tb.got, exp)):
        assert g == e, f"tick {i}:\n got {g.hex()}\n exp {e.hex()}"
        assert tb.frame_flags[i] == (int(bool(e[18] & F_FRAME_END)), int(bool(e[18] & F_FRAME_BAD))), i
    assert len(tb.got) == len(exp), f"{len(tb.got)} ticks, expected {len(exp)}"
    assert tb.ev["err"] == exp_err, (tb.ev, exp_err)
    assert tb.ev["session"] == exp_sess, (tb.ev, exp_sess)
    assert tb.ev["pkt"] == exp_pkts, (tb.ev, exp_pkts)
    n_verdicts = sum(1 for e in exp if e[18] & F_VERDICT)
    assert n_verdicts > 0 and any(e[18] & F_FRAME_BAD for e in exp)
    assert tb.ev["msg"] == len(exp) - exp_sess - n_verdicts
    dut._log.info("checked %d ticks over %d packets (idle_prob=%.2f)", len(exp), len(cases), idle_prob)


@cocotb.test()
async def back_to_back(dut):
    await run(dut, 0.0)


@cocotb.test()
async def with_idle(dut):
    await run(dut, 0.3)


def test_tw_mold_rx():
    from tw_tb import RTL, run_bench

    run_bench("tw_mold_rx", [RTL / "tw_tick_pkg.sv", RTL / "tw_mold_deframer.sv", RTL / "tw_tick_packer.sv",
                             Path(__file__).parent / "tb_mold_rx.sv"],
              "tb_mold_rx", "test_tw_mold_rx", Path(__file__).parent,
              build_args=["-Wno-fatal", "--x-assign", "unique", "--x-initial", "unique"])
