//! The reference model: the card's receive pipeline in software, frames in, tick records and
//! counters out.
//!
//! It applies the same rules as the RTL, stage by stage: the header parser ([`crate::rx`]), the
//! flow filter ([`crate::flow`]), the MoldUDP64 deframer ([`crate::mold`] and the verdict rules
//! below), the per-feed sequencer (below) and the tick packer, in cut-through or hold mode. Differential tests compare the
//! simulated card against it tick by tick and counter by counter. It knows nothing of timing:
//! `rx_ts_ns` is whatever the caller passes, and the ring fields (`valid`, the LOSS flag) are
//! left zero; it assumes the clock-crossing FIFO and the rings never overflow.
//!
//! Frame verdicts (the packer's rules): a record is made on the payload beat (8 bytes, payload
//! realigned to lane 0) holding its last byte (an event record: byte 19, the header's last);
//! the record made on the frame's last payload beat carries FRAME_END, and FRAME_BAD when the
//! frame is bad (the parser's verdict, the MoldUDP64 packet cut short, or its blocks not
//! numbering its message_count); if no record is made on that beat and the frame made records
//! before, a VERDICT record carries them instead.
//!
//! Sequencing (`tw_mold_sequencer`): each feed keeps {session, expected next sequence number,
//! hole (the still-missing part of its latest gap), end of session seen}. A packet whose session
//! is not its feed's (or the feed's first) starts the feed afresh (event NEW_SESSION, no gap);
//! otherwise a sequence number past `expected` is a gap (event GAP with the range
//! `[expected, seq)`, the packet's first message flagged GAP, the range becomes the hole, merged
//! with the previous hole if that ends at `expected`); messages below `expected` inside the hole
//! are late fills (delivered, flagged LATE, counted in SEQ_LATE; the hole then starts after the
//! packet's last fill), other messages below `expected` are duplicates (dropped, counted in
//! SEQ_DUPS); the first end-of-session packet of a session makes an END_OF_SESSION event. One
//! event record per packet at most, made on the header's last beat, carries all of them. The
//! feed's state changes only when the frame ends good: `expected = max(expected, seq + messages)`.

use std::collections::BTreeMap;

use crate::flow::{self, FlowAction, FlowKey, FlowTable};
use crate::mold;
use crate::rx::{self, RxClass};
use crate::tick::{
    self, TickRecord, EVENT_END_OF_SESSION, EVENT_GAP, EVENT_NEW_SESSION, FLAG_EVENT, FLAG_FRAME_BAD,
    FLAG_FRAME_END, FLAG_GAP, FLAG_LATE, FLAG_LINE_B, FLAG_VERDICT, TICK_BODY_OFF, TICK_EV_BITS_OFF,
    TICK_GAP_FIRST_OFF, TICK_SESSION_OFF,
};

/// Settings the model needs (the card's registers that shape what comes out).
#[derive(Clone, Debug)]
pub struct ModelConfig {
    pub flow: FlowTable,
    pub hold: bool,
    /// MAX_FRAME (0: no limit).
    pub max_frame: u16,
    /// CTRL.drop_unknown: drop messages of no ITCH 5.0 type instead of delivering them raw.
    pub drop_unknown: bool,
    /// Per ring, its ITCH filters (rings past the end: everything passes).
    pub filters: Vec<crate::filter::ItchFilter>,
}

impl Default for ModelConfig {
    /// As the driver sets a card up by default: deliver everything to ring 0, cut-through,
    /// MAX_FRAME 1522.
    fn default() -> Self {
        ModelConfig { flow: FlowTable::deliver_all(), hold: false, max_frame: 1522, drop_unknown: false, filters: Vec::new() }
    }
}

/// A feed's sequencer state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedState {
    /// The feed's MoldUDP64 session.
    pub session: [u8; 10],
    /// The next sequence number the feed expects.
    pub expected: u64,
    /// The still-missing part of the latest gap, `lo..hi` (empty: none).
    pub hole: std::ops::Range<u64>,
    /// An end-of-session packet of this session was seen.
    pub ended: bool,
}

/// Receive-pipeline state that outlives a frame, and the counters.
#[derive(Debug, Clone)]
pub struct Model {
    cfg: ModelConfig,
    feeds: [Option<FeedState>; flow::FEEDS],
    counters: BTreeMap<&'static str, u64>,
    hits: Vec<u64>,
}

/// A tick and the ring it goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModelTick {
    pub ring: u8,
    pub record: TickRecord,
}

/// What one frame did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FrameOutcome {
    /// The parser's class (None: good).
    pub class: Option<RxClass>,
    /// The flow filter dropped it.
    pub filtered: bool,
    /// The frame reached the deframer and its verdict was bad.
    pub bad_verdict: bool,
    /// The MoldUDP64 packet was cut short (MOLD_ERR).
    pub mold_error: bool,
    /// The MoldUDP64 packet's blocks did not number its message_count (MOLD_COUNT_ERR).
    pub count_error: bool,
    /// Messages the deframer completed (MOLD_MSGS).
    pub messages: usize,
}

/// Counter names the model keeps (the card's, lower case). Counters that depend on timing
/// (TICK_OVERFLOW, ring drops, DMA) are not modelled.
pub const MODEL_COUNTERS: &[&str] = &[
    "rx_frames", "rx_mac_err", "rx_runt", "rx_not_ipv4", "rx_ip_hdr", "rx_ip_csum", "rx_ip_len", "rx_fragment",
    "rx_not_udp", "rx_udp_long", "rx_udp_short", "rx_trunc", "rx_too_long", "rx_udp_csum", "rx_accepted",
    "flow_drops", "flow_misses", "rx_bad_verdict", "mold_pkts", "mold_msgs", "mold_err", "mold_sessions",
    "seq_dups", "seq_gaps", "mold_count_err", "seq_late", "itch_unknown", "itch_len_err", "itch_filtered",
];

impl Default for Model {
    fn default() -> Self {
        Self::with_config(ModelConfig::default())
    }
}

impl Model {
    /// A model in the state of a card just out of reset, set up as by [`ModelConfig::default`].
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_config(cfg: ModelConfig) -> Self {
        let hits = vec![0; cfg.flow.rules.len()];
        let counters = MODEL_COUNTERS.iter().map(|&k| (k, 0)).collect();
        Model { cfg, feeds: std::array::from_fn(|_| None), counters, hits }
    }

    /// Receive was disabled (CTRL.rx_enable cleared): every feed's sequence state is forgotten.
    pub fn receive_disabled(&mut self) {
        self.feeds = std::array::from_fn(|_| None);
    }

    /// A feed's sequencer state (None: no good packet since reset or since receive was disabled).
    pub fn feed_state(&self, feed: usize) -> Option<FeedState> {
        self.feeds.get(feed).cloned().flatten()
    }

    /// Counters so far, by card register name.
    pub fn counters(&self) -> &BTreeMap<&'static str, u64> {
        &self.counters
    }

    /// Per-rule hit counts so far.
    pub fn rule_hits(&self) -> &[u64] {
        &self.hits
    }

    fn count(&mut self, name: &'static str) {
        *self.counters.get_mut(name).expect("modelled counter") += 1;
    }

    /// The ticks a frame (without FCS; `mac_error` = the MAC's flag) produces, in order, stamped
    /// `rx_ts_ns`, appended to `out` (good and bad frames alike in cut-through mode: bad frames'
    /// ticks carry FRAME_BAD; in hold mode bad frames produce none).
    pub fn frame(&mut self, bytes: &[u8], mac_error: bool, rx_ts_ns: u64, out: &mut Vec<ModelTick>) -> FrameOutcome {
        let mut outcome = FrameOutcome::default();
        self.count("rx_frames");
        if mac_error {
            self.count("rx_mac_err");
        }
        let r = rx::classify(bytes, mac_error, self.cfg.max_frame);
        outcome.class = r.class;
        if let Some(c) = r.class {
            self.count(c.counter());
        }
        let Some((hdr, payload)) = r.accepted else {
            return outcome;
        };
        self.count("rx_accepted");
        let key = FlowKey { dst_ip: hdr.dst_ip, src_ip: hdr.src_ip, dst_port: hdr.dst_port, vlan: hdr.vlan };
        let (hit, action) = flow::lookup(&self.cfg.flow.rules, self.cfg.flow.default, &key);
        match hit {
            Some(i) => self.hits[i] += 1,
            None => self.count("flow_misses"),
        }
        let FlowAction::Deliver { feed, line, ring } = action else {
            self.count("flow_drops");
            outcome.filtered = true;
            return outcome;
        };

        // the deframer and packer
        let mut made: Vec<(usize, TickRecord)> = Vec::new(); // (beat, record)
        let line_b = if line != 0 { FLAG_LINE_B } else { 0 };
        let body = |at: usize| at - TICK_BODY_OFF;
        let mut commit = None;
        let mut count_error = false;
        let mold_error = match mold::decode_partial(payload) {
            Err(_) => true,
            Ok((packet, fault)) => {
                self.count("mold_pkts");
                let header = mold::MoldHeader::parse(payload).expect("decoded above");
                let seq = packet.sequence_number;
                let st = self.feeds[usize::from(feed)].clone().filter(|s| s.session == packet.session);
                let new_session = st.is_none();
                let (expected, hole, ended) = st.map_or((seq, seq..seq, false), |s| (s.expected, s.hole, s.ended));
                let gap = !new_session && seq > expected;
                // b - a as a message index: 0 when b <= a, saturated above what a packet holds
                let idx_to = |b: u64, a: u64| if b <= a { 0 } else { (b - a).min(0x1_0000) };
                let dup_below = if new_session { 0 } else { idx_to(expected, seq) };
                let (fill_lo, fill_hi) = if new_session { (0, 0) } else { (idx_to(hole.start, seq), idx_to(hole.end, seq)) };
                let eos = header.message_count == mold::END_OF_SESSION_COUNT;
                let eos_event = eos && (new_session || !ended);
                if new_session || gap || eos_event {
                    let mut ev = TickRecord {
                        rx_ts_ns,
                        seq,
                        flags: FLAG_EVENT | line_b | if gap { FLAG_GAP } else { 0 },
                        feed,
                        ..TickRecord::default()
                    };
                    ev.body[body(TICK_SESSION_OFF)..body(TICK_SESSION_OFF) + 10].copy_from_slice(&packet.session);
                    ev.body[body(TICK_EV_BITS_OFF)] = if new_session { EVENT_NEW_SESSION } else { 0 }
                        | if gap { EVENT_GAP } else { 0 }
                        | if eos_event { EVENT_END_OF_SESSION } else { 0 };
                    if gap {
                        let o = body(TICK_GAP_FIRST_OFF);
                        ev.body[o..o + 8].copy_from_slice(&expected.to_le_bytes());
                    }
                    made.push((19 / 8, ev));
                }
                if new_session {
                    self.count("mold_sessions");
                }
                if gap {
                    self.count("seq_gaps");
                }
                let mut pos = mold::HEADER_LEN;
                for (i, m) in packet.messages.iter().enumerate() {
                    let end = pos + 2 + m.len() - 1;
                    pos += 2 + m.len();
                    self.count("mold_msgs");
                    let late = (fill_lo..fill_hi).contains(&(i as u64));
                    if (i as u64) < dup_below && !late {
                        self.count("seq_dups");
                        continue;
                    }
                    let mut t = TickRecord::from_itch(m);
                    let unknown = tick::message_layout(m[0]).is_none();
                    if unknown {
                        self.count("itch_unknown");
                    } else if t.is_raw() {
                        self.count("itch_len_err");
                    }
                    if unknown && self.cfg.drop_unknown {
                        continue;
                    }
                    if !self.cfg.filters.get(usize::from(ring)).is_none_or(|f| f.passes(&t)) {
                        self.count("itch_filtered");
                        continue;
                    }
                    if late {
                        self.count("seq_late");
                    }
                    t.rx_ts_ns = rx_ts_ns;
                    t.seq = seq.wrapping_add(i as u64);
                    t.feed = feed;
                    t.flags |= line_b | if gap && i == 0 { FLAG_GAP } else { 0 } | if late { FLAG_LATE } else { 0 };
                    made.push((end / 8, t));
                }
                outcome.messages = packet.messages.len();
                let n = packet.messages.len();
                count_error = fault.is_none()
                    && if eos { n != 0 } else { n != usize::from(header.message_count) };
                let end = seq.wrapping_add(n as u64);
                let fill_end = (n as u64).min(fill_hi);
                let hole = if new_session {
                    seq..seq
                } else if gap {
                    let merge = hole.start < hole.end && hole.end == expected;
                    (if merge { hole.start } else { expected })..seq
                } else if fill_end > fill_lo {
                    seq.wrapping_add(fill_end)..hole.end
                } else {
                    hole
                };
                commit = Some(FeedState {
                    session: packet.session,
                    expected: if new_session || end > expected { end } else { expected },
                    hole,
                    ended: eos || (!new_session && ended),
                });
                fault.is_some()
            }
        };
        if mold_error {
            self.count("mold_err");
        }
        if count_error {
            self.count("mold_count_err");
        }
        outcome.mold_error = mold_error;
        outcome.count_error = count_error;
        let bad = r.bad || mold_error || count_error;
        outcome.bad_verdict = bad;
        // only a good frame moves its feed's sequence state (a bad copy on one line must not
        // make the good copy on the other look like a duplicate)
        if !bad {
            if let Some(st) = commit {
                self.feeds[usize::from(feed)] = Some(st);
            }
        }
        if bad {
            self.count("rx_bad_verdict");
        }
        let last_beat = (payload.len() - 1) / 8;
        let verdict = FLAG_FRAME_END | if bad { FLAG_FRAME_BAD } else { 0 };
        let needs_record = made.last().is_some_and(|(b, _)| *b != last_beat);
        for (beat, t) in made.iter_mut() {
            if *beat == last_beat {
                t.flags |= verdict;
            }
        }
        if needs_record {
            made.push((last_beat, TickRecord { rx_ts_ns, flags: FLAG_VERDICT | verdict | line_b, feed, ..TickRecord::default() }));
        }
        if !(self.cfg.hold && bad) {
            out.extend(made.into_iter().map(|(_, record)| ModelTick { ring, record }));
        }
        outcome
    }
}
