# SPDX-License-Identifier: Apache-2.0
"""Python model of tw_mold_deframer + tw_mold_sequencer + tw_tick_packer: one MoldUDP64 payload
in, the exact 64-byte tick records (and the beat each is made on) and the counter pulses out.

Written from the specs, independently of the RTL and of the Rust model: the header comments of
hdl/rtl/tw_mold_sequencer.sv, tw_mold_deframer.sv and tw_tick_packer.sv, the module doc of
host/tickwire/src/model.rs (whose `Model::frame` applies the same rules) and the tick layout,
read here from hdl/regs/tick.toml itself with tomllib (no offset copied by hand). Rules, in short:

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
record, a VERDICT record (rx_ts, flags, LINE_B, feed; the rest zero) carries them. Every record
carries rx_ts, flags (LINE_B for line 1) and feed.
  message record: seq; msg_type, stock_locate, timestamp from wire bytes 0..10 (those present;
      integers little-endian); if the type is one of tick.toml's 23 and the length its `len`: the
      body holds every field with an `at` (integers and prices little-endian, alpha as on the
      wire); else RAW: msg_len, wire bytes 11..40 (zero past the end), TRUNCATED if longer than
      41 bytes. An unknown type is dropped (no record) when drop_unknown.
  event record (EVENT, + GAP on a gap): the packet's seq, session, event bits, gap_first on a gap.

Pulses: pkt (the 20-byte header complete), msg (per message parsed, duplicates included), err (a
fault), count_err, bad_verdict (the frame is bad, the FRAME_BAD rule above, whether or not it
made a record: one per bad frame, also for a payload under 20 bytes), session, gap, dup, late
(per LATE record), unknown (a non-duplicate message of none of the 23 types, dropped or not),
len_err (a non-duplicate message of a known type at another length).

Delivery decision. A frame the flow filter drops (deliver=False) is invisible: no record, no
pulse, and the sequencer neither decides nor commits it (the feed's state does not move; the
model is called with deliver=False and returns an empty Outcome).
"""
import struct
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SPEC = tomllib.loads((Path(__file__).resolve().parents[3] / "hdl/regs/tick.toml").read_text())
FIELDS = {f["name"]: f for f in SPEC["field"]}
for _f in SPEC["field"]:
    _f["bytes"] = {"u8": 1, "u16": 2, "u32": 4, "u64": 8}[_f["type"]] * _f.get("count", 1)
OFF = {n: f["offset"] for n, f in FIELDS.items()}
TICK_BYTES = SPEC["size"]
FLAG = {fl["name"]: 1 << fl["bit"] for fl in SPEC["flag"]}
EVENT = {ev["name"]: 1 << ev["bit"] for ev in SPEC["event"]}
EV_BODY, RAW_BODY, ITCH_HDR = SPEC["event_body"], SPEC["raw_body"], SPEC["itch_header"]
RAW_WIRE, RAW_AT, RAW_SIZE = RAW_BODY["bytes"]["wire"], RAW_BODY["bytes"]["at"], RAW_BODY["bytes"]["size"]
RAW_MAX = RAW_WIRE + RAW_SIZE          # a raw record holds wire bytes [0, RAW_MAX): longer is TRUNCATED
MESSAGES = {ord(m["type"]): m for m in SPEC["message"]}   # type byte -> its table
TYPES = bytes(MESSAGES)                # the 23 type bytes, in tick.toml order
assert len(MESSAGES) == 23 and TICK_BYTES == 64

M64 = (1 << 64) - 1
HDR = 20                 # MoldUDP64 header bytes
MIN_MSG_LEN = 8
EOS_COUNT = 0xFFFF
IDX_SAT = 0x1_0000       # index differences saturate here (17 bits)

F_TRUNC, F_EVENT, F_LOSS, F_FRAME_END, F_FRAME_BAD, F_VERDICT, F_GAP, F_LATE, F_RAW, F_LINE_B = (
    FLAG[n] for n in ("TRUNCATED", "EVENT", "LOSS", "FRAME_END", "FRAME_BAD", "VERDICT", "GAP", "LATE", "RAW",
                      "LINE_B"))
E_NEW_SESSION, E_GAP, E_EOS = EVENT["NEW_SESSION"], EVENT["GAP"], EVENT["END_OF_SESSION"]

# counter pulses the bench watches (tb_mold_rx outputs ev_<name>)
PULSES = ("pkt", "msg", "err", "count_err", "bad_verdict", "session", "gap", "dup", "late", "unknown", "len_err",
          "filtered")      # filtered: the packer's ring ITCH filters, which the bench sets to pass all: never


def kind(m):
    """'decoded' (one of the 23 types at its length), 'unknown' (none of the 23) or 'len_err'."""
    t = MESSAGES.get(m[0])
    return "unknown" if t is None else "decoded" if len(m) == t["len"] else "len_err"


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


def _put(b, at, wire_bytes, alpha):
    """A wire field at tick offset `at`: alpha as on the wire, integers little-endian."""
    b[at:at + len(wire_bytes)] = wire_bytes if alpha else wire_bytes[::-1]


def _common(ts, seq, flags, line, feed):
    b = bytearray(TICK_BYTES)
    b[OFF["rx_ts_ns"]:OFF["rx_ts_ns"] + 8] = (ts & M64).to_bytes(8, "little")
    b[OFF["seq"]:OFF["seq"] + 8] = (seq & M64).to_bytes(8, "little")
    b[OFF["flags"]:OFF["flags"] + 2] = (flags | (F_LINE_B if line else 0)).to_bytes(2, "little")
    b[OFF["feed"]] = feed
    return b


def msg_record(ts, seq, m, flags, line, feed):
    """The record of ITCH message m (its wire bytes), decoded or raw."""
    k = kind(m)
    raw = k != "decoded"
    if raw:
        flags |= F_RAW | (F_TRUNC if len(m) > RAW_MAX else 0)
    b = _common(ts, seq, flags, line, feed)
    for h in ITCH_HDR.values():
        if "at" in h:      # header integers; the bytes past a short message's end read as zero
            _put(b, h["at"], m[h["wire"]:h["wire"] + h["size"]].ljust(h["size"], b"\0"), False)
    if raw:
        b[RAW_BODY["msg_len"]["at"]:RAW_BODY["msg_len"]["at"] + 2] = len(m).to_bytes(2, "little")
        b[RAW_AT:RAW_AT + RAW_SIZE] = m[RAW_WIRE:RAW_MAX].ljust(RAW_SIZE, b"\0")
    else:
        for f in MESSAGES[m[0]]["fields"]:
            if "at" in f:
                _put(b, f["at"], m[f["wire"]:f["wire"] + f["size"]], f["kind"] == "alpha")
    return bytes(b)


def event_record(ts, seq, line, feed, session, ev, gap_first=None):
    b = _common(ts, seq, F_EVENT | (F_GAP if gap_first is not None else 0), line, feed)
    b[EV_BODY["session"]["at"]:EV_BODY["session"]["at"] + 10] = session
    b[EV_BODY["event"]["at"]] = ev
    if gap_first is not None:
        b[EV_BODY["gap_first"]["at"]:EV_BODY["gap_first"]["at"] + 8] = (gap_first & M64).to_bytes(8, "little")
    return bytes(b)


def verdict_record(ts, line, feed, flags):
    return bytes(_common(ts, 0, F_VERDICT | flags, line, feed))


def flags_of(rec):
    return int.from_bytes(rec[OFF["flags"]:OFF["flags"] + 2], "little")


def with_flags(rec, more):
    o = OFF["flags"]
    return rec[:o] + (flags_of(rec) | more).to_bytes(2, "little") + rec[o + 2:]


def unpack(rec):
    """A tick record as a dict (for messages and the semantic checks)."""
    def le(name, size=None):
        o = OFF[name]
        return int.from_bytes(rec[o:o + (size or FIELDS[name]["bytes"])], "little")

    flags = flags_of(rec)
    body = rec[OFF["body"]:OFF["body"] + FIELDS["body"]["bytes"]]
    ev, gf = EV_BODY["event"]["at"], EV_BODY["gap_first"]["at"]
    ml = RAW_BODY["msg_len"]["at"]
    return {"ts": le("rx_ts_ns"), "seq": le("seq"), "flags": flags, "line": int(bool(flags & F_LINE_B)),
            "feed": rec[OFF["feed"]], "msg_type": rec[OFF["msg_type"]], "stock_locate": le("stock_locate"),
            "timestamp": le("timestamp", 6), "body": body, "event": rec[ev],
            "gap_first": int.from_bytes(rec[gf:gf + 8], "little"),
            "msg_len": int.from_bytes(rec[ml:ml + 2], "little") if flags & F_RAW else None,
            "valid": le("valid")}


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
    messages: dict = field(default_factory=dict)    # seq -> wire bytes of each message record
    pulses: Counter = field(default_factory=Counter)
    bad: bool = False
    new_session: bool = False
    gap: bool = False
    committed: bool = False
    delivered: list = field(default_factory=list)   # sequence numbers the sequencer passed (not duplicates)
    dups: int = 0
    late: int = 0                                   # late fills passed by the sequencer
    late_seqs: list = field(default_factory=list)
    dropped: bool = False
    unknown_dropped: list = field(default_factory=list)   # sequence numbers dropped by drop_unknown


class MoldSeqModel:
    def __init__(self, feeds=16):
        self.nfeeds = feeds
        self.feeds = {}

    def clear(self):
        """seq_clear: every feed forgotten."""
        self.feeds = {}

    def state(self, feed):
        return self.feeds.get(feed)

    def frame(self, payload, ts, feed, line, tuser=False, commit=True, deliver=True, drop_unknown=False):
        """One frame (its UDP payload; tuser = s_axis_tuser on its last beat); drop_unknown is the
        packer's s_drop_unknown. commit=False: the sequencer may not commit this frame even if
        good (a seq_clear came after its state read).
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
                ev = (E_NEW_SESSION if new else 0) | (E_GAP if gap else 0) | (E_EOS if eos_ev else 0)
                made.append(((HDR - 1) // 8, event_record(ts, seq, line, feed, session, ev, expected if gap else None)))
            p["session"] += int(new)
            p["gap"] += int(gap)
            for i, (last, m) in enumerate(msgs):
                p["msg"] += 1
                late = fill_lo <= i < fill_hi
                if i < dup_below and not late:
                    p["dup"] += 1
                    o.dups += 1
                    continue
                k = kind(m)
                p["unknown"] += int(k == "unknown")
                p["len_err"] += int(k == "len_err")
                o.late += int(late)
                o.delivered.append((seq + i) & M64)
                if late:
                    o.late_seqs.append((seq + i) & M64)
                if k == "unknown" and drop_unknown:
                    o.unknown_dropped.append((seq + i) & M64)
                    continue
                p["late"] += int(late)
                flags = (F_GAP if gap and i == 0 else 0) | (F_LATE if late else 0)
                made.append((last // 8, msg_record(ts, seq + i, m, flags, line, feed)))
                o.messages[(seq + i) & M64] = m
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
                made[k] = (beat, with_flags(rec, verdict))
        if made and made[-1][0] != last_beat:
            made.append((last_beat, verdict_record(ts, line, feed, verdict)))
        o.records = made
        return o
