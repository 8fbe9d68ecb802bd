# SPDX-License-Identifier: Apache-2.0
"""Python model of tw_mold_deframer + tw_mold_sequencer + tw_tick_packer: one MoldUDP64 payload
in, the exact 64-byte tick records (and the beat each is made on) and the counter pulses out.

Written from the specs, independently of the RTL and of the Rust model: the header comments of
hdl/rtl/tw_mold_sequencer.sv, tw_mold_deframer.sv and tw_tick_packer.sv, the module doc of
host/tickwire/src/model.rs (whose `Model::frame` applies the same rules) and the tick layout
hdl/regs/tick.toml (v3). Rules, in short:

Deframing. A payload shorter than the 20-byte header delivers nothing (MOLD_ERR). Blocks
(2-byte big-endian length + message) are parsed to the end of the payload; a message shorter than
8 bytes, or a block (length field or message) running past the payload end, is a fault: the
messages before it are delivered, the rest dropped, MOLD_ERR once. A fault-free packet whose block
count differs from message_count (0 for an end of session, 0xFFFF) is a count error
(MOLD_COUNT_ERR). The frame is bad if s_axis_tuser is set on its last beat, or on a fault, or on a
count error.

Sequencing, per feed: state {session, expected, hole [lo, hi), ended}, or none.
  new session = no state, or another session: the feed restarts (event NEW_SESSION, no gap);
  gap         = not new and seq > expected (u64 compare): event GAP with [expected, seq), the
                packet's first message flagged GAP;
  message i (sequence number seq + i, mod 2^64):
      late fill  = fill_lo <= i < fill_hi   (delivered, LATE, SEQ_LATE)
      duplicate  = i < dup_below and not late (dropped, SEQ_DUPS)
    with idx_to(b, a) = 0 if b <= a else min(b - a, 2^16)   (17-bit saturation in the RTL)
      dup_below = 0 if new else idx_to(expected, seq)
      fill_lo, fill_hi = (0, 0) if new else (idx_to(lo, seq), idx_to(hi, seq));
  end of session (message_count 0xFFFF): event END_OF_SESSION if new or not yet ended.
  One event record per packet at most, made on the header's last beat (payload byte 19: beat 2).
  Commit (only when the frame ends good), with n = messages parsed, end = seq + n (mod 2^64):
      expected = end if new or end > expected else expected
      hole     = [seq, seq) if new;
                 [lo if (lo < hi and hi == expected) else expected, seq) on a gap (merge);
                 [seq + min(n, fill_hi), hi) if min(n, fill_hi) > fill_lo (a fill moved it);
                 unchanged otherwise
      ended    = eos or (not new and ended).
  seq_clear forgets every feed.

Records. A record is made on the payload beat (8 bytes) holding its last byte. The record made on
the frame's last beat carries FRAME_END (+ FRAME_BAD if bad); if none is and the frame made any
record, a VERDICT record (rx_ts, flags, line, feed; the rest zero) carries them.

Pulses: pkt (the 20-byte header complete), msg (per message parsed, duplicates included), err (a
fault), count_err, bad_verdict (the frame is bad, the FRAME_BAD rule above, whether or not it
made a record: one per bad frame, also for a payload under 20 bytes), session, gap, dup, late.

Delivery decision. A frame the flow filter drops (deliver=False) is invisible: no record, no
pulse, and the sequencer neither decides nor commits it (the feed's state does not move; the
model is called with deliver=False and returns an empty Outcome).
"""
import struct
from collections import Counter
from dataclasses import dataclass, field

M64 = (1 << 64) - 1
CAP = 36                 # tick data bytes
HDR = 20                 # MoldUDP64 header bytes
MIN_MSG_LEN = 8
EOS_COUNT = 0xFFFF
GAP_FIRST_OFF = 32       # tick byte offset of the first missing sequence number (gap event)
IDX_SAT = 0x1_0000       # index differences saturate here (17 bits)

# flags (tick byte 18)
F_TRUNC, F_EVENT, F_LOSS, F_FRAME_END, F_FRAME_BAD, F_VERDICT, F_GAP, F_LATE = (1 << b for b in range(8))
# event bits (tick byte 57)
E_NEW_SESSION, E_GAP, E_EOS = 1, 2, 4

# counter pulses the bench watches (tb_mold_rx outputs ev_<name>)
PULSES = ("pkt", "msg", "err", "count_err", "bad_verdict", "session", "gap", "dup", "late")


def mold_packet(session, seq, msgs, count=None):
    """A MoldUDP64 downstream packet; count defaults to len(msgs)."""
    assert len(session) == 10
    body = b"".join(struct.pack(">H", len(m)) + m for m in msgs)
    return session + struct.pack(">QH", seq & M64, len(msgs) if count is None else count) + body


def parse(payload):
    """-> (header (session, seq, count) or None, [(index of the message's last byte, message)], fault)."""
    if len(payload) < HDR:
        return None, [], True
    session = payload[:10]
    seq, count = struct.unpack(">QH", payload[10:HDR])
    msgs, pos, fault = [], HDR, False
    while pos < len(payload):
        if pos + 2 > len(payload):
            fault = True
            break
        n = struct.unpack(">H", payload[pos:pos + 2])[0]
        if n < MIN_MSG_LEN or pos + 2 + n > len(payload):
            fault = True
            break
        msgs.append((pos + 2 + n - 1, payload[pos + 2:pos + 2 + n]))
        pos += 2 + n
    return (session, seq, count), msgs, fault


def record(ts, seq, msg_len, flags, line, data, feed, event=0):
    b = (struct.pack("<QQHBB", ts & M64, seq & M64, msg_len, flags, line) + bytes(data[:CAP]).ljust(CAP, b"\0")
         + bytes([feed, event, 0, 0]) + bytes(4))
    assert len(b) == 64
    return b


def unpack(rec):
    """A tick record as a dict (for messages and the semantic checks)."""
    ts, seq, msg_len, flags, line = struct.unpack("<QQHBB", rec[:20])
    return {"ts": ts, "seq": seq, "msg_len": msg_len, "flags": flags, "line": line, "data": rec[20:56],
            "feed": rec[56], "event": rec[57], "gap_first": struct.unpack("<Q", rec[32:40])[0]}


def idx_to(b, a):
    """b - a as a message index: 0 when b <= a, saturated at 2^16."""
    return 0 if b <= a else min(b - a, IDX_SAT)


@dataclass
class FeedState:
    session: bytes
    expected: int
    lo: int
    hi: int
    ended: bool


@dataclass
class Outcome:
    """What one frame does: records [(beat, 64 bytes)], pulses, and what the sequencer decided."""
    records: list = field(default_factory=list)
    pulses: Counter = field(default_factory=Counter)
    bad: bool = False
    new_session: bool = False
    gap: bool = False
    committed: bool = False
    delivered: list = field(default_factory=list)   # sequence numbers of the message records
    dups: int = 0
    late: int = 0
    dropped: bool = False


class MoldSeqModel:
    def __init__(self, feeds=16):
        self.nfeeds = feeds
        self.feeds = {}

    def clear(self):
        """seq_clear: every feed forgotten."""
        self.feeds = {}

    def state(self, feed):
        return self.feeds.get(feed)

    def frame(self, payload, ts, feed, line, tuser=False, commit=True, deliver=True):
        """One frame (its UDP payload; tuser = s_axis_tuser on its last beat). commit=False: the
        sequencer may not commit this frame even if good (a seq_clear came after its state read).
        deliver=False: the delivery decision drops the frame: nothing at all, no state change."""
        o = Outcome()
        if not deliver:
            o.dropped = True
            return o
        p = o.pulses
        hdr, msgs, fault = parse(payload)
        made = []                                           # (beat, record)
        count_err = False
        if hdr is not None:
            p["pkt"] += 1
            session, seq, count = hdr
            st = self.feeds.get(feed)
            if st is not None and st.session != session:
                st = None
            new = st is None
            expected, lo, hi, ended = (seq, seq, seq, False) if new else (st.expected, st.lo, st.hi, st.ended)
            gap = not new and seq > expected
            dup_below = 0 if new else idx_to(expected, seq)
            fill_lo, fill_hi = (0, 0) if new else (idx_to(lo, seq), idx_to(hi, seq))
            eos = count == EOS_COUNT
            eos_ev = eos and (new or not ended)
            o.new_session, o.gap = new, gap
            if new or gap or eos_ev:
                data = session + bytes(2) + (struct.pack("<Q", expected) if gap else bytes(8))
                ev = (E_NEW_SESSION if new else 0) | (E_GAP if gap else 0) | (E_EOS if eos_ev else 0)
                made.append(((HDR - 1) // 8, record(ts, seq, 0, F_EVENT | (F_GAP if gap else 0), line, data, feed,
                                                   ev)))
            p["session"] += int(new)
            p["gap"] += int(gap)
            for i, (last, m) in enumerate(msgs):
                p["msg"] += 1
                late = fill_lo <= i < fill_hi
                if i < dup_below and not late:
                    p["dup"] += 1
                    o.dups += 1
                    continue
                p["late"] += int(late)
                o.late += int(late)
                flags = (F_TRUNC if len(m) > CAP else 0) | (F_GAP if gap and i == 0 else 0) | (F_LATE if late else 0)
                made.append((last // 8, record(ts, seq + i, len(m), flags, line, m, feed)))
                o.delivered.append((seq + i) & M64)
            n = len(msgs)
            count_err = not fault and (n != 0 if eos else n != count)
            end = (seq + n) & M64
            fill_end = min(n, fill_hi)
            if new:
                lo, hi = seq, seq
            elif gap:
                lo, hi = (lo if lo < hi and hi == expected else expected), seq
            elif fill_end > fill_lo:
                lo = (seq + fill_end) & M64
            new_state = FeedState(session, end if new or end > expected else expected, lo, hi,
                                  eos or (not new and ended))
        p["err"] += int(fault)
        p["count_err"] += int(count_err)
        o.bad = tuser or fault or count_err
        p["bad_verdict"] += int(o.bad)
        if hdr is not None and not o.bad and commit:
            self.feeds[feed] = new_state
            o.committed = True
        last_beat = (len(payload) - 1) // 8
        verdict = F_FRAME_END | (F_FRAME_BAD if o.bad else 0)
        for k, (beat, rec) in enumerate(made):
            if beat == last_beat:
                made[k] = (beat, rec[:18] + bytes([rec[18] | verdict]) + rec[19:])
        if made and made[-1][0] != last_beat:
            made.append((last_beat, record(ts, 0, 0, F_VERDICT | verdict, line, b"", feed)))
        o.records = made
        return o
