//! The reference model: the card's receive pipeline in software, frames in, tick records and
//! counters out.
//!
//! It applies the same rules as the RTL, stage by stage: the header parser ([`crate::rx`]), the
//! flow filter ([`crate::flow`]), the MoldUDP64 deframer ([`crate::mold`] and the verdict rules
//! below) and the tick packer, in cut-through or hold mode. Differential tests compare the
//! simulated card against it tick by tick and counter by counter. It knows nothing of timing:
//! `rx_ts_ns` is whatever the caller passes, and the ring fields (`valid`, the LOSS flag) are
//! left zero; it assumes the clock-crossing FIFO and the rings never overflow.
//!
//! Frame verdicts (the packer's rules): a record is made on the payload beat (8 bytes, payload
//! realigned to lane 0) holding its last byte (a session record: byte 19, the header's last);
//! the record made on the frame's last payload beat carries FRAME_END, and FRAME_BAD when the
//! frame is bad (the parser's verdict, or the MoldUDP64 packet cut short); if no record is made
//! on that beat and the frame made records before, a VERDICT record carries them instead.

use std::collections::BTreeMap;

use crate::flow::{self, FlowAction, FlowKey, FlowTable};
use crate::mold;
use crate::rx::{self, RxClass};
use crate::tick::{
    TickRecord, FLAG_FRAME_BAD, FLAG_FRAME_END, FLAG_SESSION, FLAG_TRUNCATED, FLAG_VERDICT, TICK_DATA_CAP,
};

/// Settings the model needs (the card's registers that shape what comes out).
#[derive(Clone, Debug)]
pub struct ModelConfig {
    pub flow: FlowTable,
    pub hold: bool,
    /// MAX_FRAME (0: no limit).
    pub max_frame: u16,
}

impl Default for ModelConfig {
    /// As the driver sets a card up by default: deliver everything to ring 0, cut-through,
    /// MAX_FRAME 1522.
    fn default() -> Self {
        ModelConfig { flow: FlowTable::deliver_all(), hold: false, max_frame: 1522 }
    }
}

/// Receive-pipeline state that outlives a frame, and the counters.
#[derive(Debug, Clone)]
pub struct Model {
    cfg: ModelConfig,
    last_session: Option<[u8; 10]>,
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
    /// Messages the deframer completed (MOLD_MSGS).
    pub messages: usize,
}

/// Counter names the model keeps (the card's, lower case). Counters that depend on timing
/// (TICK_OVERFLOW, ring drops, DMA) are not modelled.
pub const MODEL_COUNTERS: &[&str] = &[
    "rx_frames", "rx_mac_err", "rx_runt", "rx_not_ipv4", "rx_ip_hdr", "rx_ip_csum", "rx_ip_len", "rx_fragment",
    "rx_not_udp", "rx_udp_long", "rx_udp_short", "rx_trunc", "rx_too_long", "rx_udp_csum", "rx_accepted",
    "flow_drops", "flow_misses", "rx_bad_verdict", "mold_pkts", "mold_msgs", "mold_err", "mold_sessions",
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
        Model { cfg, last_session: None, counters, hits }
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
        let rec = |seq, msg_len, flags, data: &[u8]| {
            let mut d = [0u8; TICK_DATA_CAP];
            let k = data.len().min(TICK_DATA_CAP);
            d[..k].copy_from_slice(&data[..k]);
            TickRecord { rx_ts_ns, seq, msg_len, flags, line, data: d, feed, ..TickRecord::default() }
        };
        let mut session = None;
        let mold_error = match mold::decode_partial(payload) {
            Err(_) => true,
            Ok((packet, fault)) => {
                self.count("mold_pkts");
                if self.last_session != Some(packet.session) {
                    made.push((19 / 8, rec(packet.sequence_number, 10, FLAG_SESSION, &packet.session)));
                    self.count("mold_sessions");
                }
                session = Some(packet.session);
                let mut pos = mold::HEADER_LEN;
                for (i, m) in packet.messages.iter().enumerate() {
                    let flags = if m.len() > TICK_DATA_CAP { FLAG_TRUNCATED } else { 0 };
                    let end = pos + 2 + m.len() - 1;
                    made.push((end / 8, rec(packet.sequence_number + i as u64, m.len() as u16, flags, m)));
                    self.count("mold_msgs");
                    pos += 2 + m.len();
                }
                outcome.messages = packet.messages.len();
                fault.is_some()
            }
        };
        if mold_error {
            self.count("mold_err");
        }
        outcome.mold_error = mold_error;
        let bad = r.bad || mold_error;
        outcome.bad_verdict = bad;
        // the session is "seen" only through a good frame (a bad frame's session record is
        // discarded with it; the next packet repeats it)
        if !bad && session.is_some() {
            self.last_session = session;
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
            made.push((last_beat, TickRecord { rx_ts_ns, flags: FLAG_VERDICT | verdict, line, feed, ..TickRecord::default() }));
        }
        if !(self.cfg.hold && bad) {
            out.extend(made.into_iter().map(|(_, record)| ModelTick { ring, record }));
        }
        outcome
    }
}
