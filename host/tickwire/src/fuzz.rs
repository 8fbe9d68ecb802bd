//! Differential testing: random and mutated traffic through the simulated card (the shipping RTL)
//! and through the reference model ([`crate::model`]), compared tick by tick, ring by ring, and
//! counter by counter, with random idle cycles on the MAC stream and random backpressure on the
//! AXI write channels. `tests/diff.rs` runs it in `make test`; `make fuzz` runs as many frames as
//! asked.
//!
//! Each round draws a flow table, hold or cut-through mode, a MAX_FRAME and the simulation's
//! knobs from its seed, opens the rings the table uses, sends the round's frames, waits for the
//! card to go idle and compares. Ticks may be missing only where the card says it dropped them
//! (the clock-crossing FIFO or a ring was full): every gap must be followed by a tick flagged
//! LOSS, and in cut-through mode the gaps must add up exactly to the card's drop counters.

use std::net::Ipv4Addr;
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::card::Card;
use crate::filter::ItchFilter;
use crate::flow::{FlowAction, FlowRule, FlowTable};
use crate::model::{Model, ModelConfig, ModelTick, MODEL_COUNTERS};
use crate::sim_device::SimDevice;
use crate::tick::{TickRecord, FLAG_LOSS, TICK_FLAGS_OFF};
use crate::SimConfig;

/// Result of one or more rounds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FuzzReport {
    pub frames: u64,
    pub ticks: u64,
    pub mismatches: u64,
    pub hangs: u64,
    /// The model's counters summed over the rounds: what the traffic exercised (sequencer events
    /// included: seq_dups, seq_late, seq_gaps, mold_sessions, mold_count_err, ...).
    pub coverage: std::collections::BTreeMap<&'static str, u64>,
    /// The first few mismatches, described.
    pub details: Vec<String>,
}

impl FuzzReport {
    fn fail(&mut self, msg: String) {
        self.mismatches += 1;
        if self.details.len() < 10 {
            self.details.push(msg);
        }
    }

    pub fn merge(&mut self, o: FuzzReport) {
        self.frames += o.frames;
        self.ticks += o.ticks;
        self.mismatches += o.mismatches;
        self.hangs += o.hangs;
        for (k, v) in o.coverage {
            *self.coverage.entry(k).or_default() += v;
        }
        for d in o.details {
            if self.details.len() < 10 {
                self.details.push(d);
            }
        }
    }
}

/// Destinations the traffic uses, two per stream (lines A and B); rules are drawn over them.
const DESTS: [([u8; 4], u16); 4] = [([233, 54, 12, 1], 26400), ([233, 54, 12, 2], 26400), ([233, 49, 196, 7], 26477), ([239, 1, 1, 1], 5000)];
const SOURCES: [[u8; 4]; 3] = [[10, 1, 0, 5], [10, 2, 0, 5], [192, 168, 1, 9]];
const SESSIONS: [&[u8; 10]; 2] = [b"20261124A ", b"20261124B "];

fn csum(data: &[u8], mut acc: u32) -> u32 {
    for c in data.chunks(2) {
        acc += u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
    }
    acc
}

fn fold(mut acc: u32) -> u16 {
    while acc > 0xFFFF {
        acc = (acc & 0xFFFF) + (acc >> 16);
    }
    acc as u16
}

/// The sender side of one MoldUDP64 stream, sent on two lines (a pair of destinations): its
/// session, next sequence number, and its recent messages (for the other line's copies).
struct Stream {
    session: usize,
    next: u64,
    /// (sequence number, message) of the recent messages, oldest first.
    recent: std::collections::VecDeque<(u64, Vec<u8>)>,
}

impl Stream {
    fn new() -> Stream {
        Stream { session: 0, next: 1, recent: Default::default() }
    }
}

/// A random ITCH message: mostly one of the 23 types at its own length (the card decodes it),
/// else a known type at another length, or a byte that is no ITCH type (both delivered raw, or the
/// latter dropped under CTRL.drop_unknown). Bytes after the type are random.
fn message(rng: &mut ChaCha8Rng) -> Vec<u8> {
    let (t, len) = match rng.random_range(0..20) {
        0..=11 => {
            let t = crate::itch::MESSAGE_TYPES[rng.random_range(0..23)];
            (t, crate::itch::message_len(t).expect("a type"))
        }
        12..=16 => (crate::itch::MESSAGE_TYPES[rng.random_range(0..23)], rng.random_range(8..=52usize)),
        _ => (b"azZ\x00\xff"[rng.random_range(0..5)], rng.random_range(8..=52usize)),
    };
    let mut m = vec![t];
    m.extend((1..len).map(|_| rng.random::<u8>()));
    m
}

/// The next MoldUDP64 packet of one of the streams. Mostly the stream's next packet on one of its two lines; else the
/// other line's copy of recent messages, cut at other packet boundaries (duplicates, partial
/// overlaps, late fills of gaps), a loss (the sequence number jumps), a heartbeat, an end of
/// session, a new session, or a sequence number from anywhere in the 64-bit range.
/// A packet to send: destination (address, port), session, sequence number, message_count, messages.
struct Packet {
    dest: ([u8; 4], u16),
    session: [u8; 10],
    seq: u64,
    count: u16,
    msgs: Vec<Vec<u8>>,
}

fn packet(rng: &mut ChaCha8Rng, streams: &mut [Stream; 2]) -> Packet {
    let s = rng.random_range(0..2);
    let dest = DESTS[2 * s + rng.random_range(0..2)];
    let st = &mut streams[s];
    let n = [0usize, 1, 1, 2, 3, 5, 8, 20][rng.random_range(0..8)];
    let (seq, count, msgs) = match rng.random_range(0..100) {
        0..=24 if !st.recent.is_empty() => {
            // a copy from the other line: contiguous recent messages, cut anywhere
            let first = rng.random_range(0..st.recent.len());
            let take = rng.random_range(1..=8).min(st.recent.len() - first);
            let msgs: Vec<Vec<u8>> = st.recent.range(first..first + take).map(|(_, m)| m.clone()).collect();
            (st.recent[first].0, msgs.len() as u16, msgs)
        }
        25..=29 => {
            st.next += rng.random_range(1..6); // lost on every line so far
            (st.next, 0, Vec::new())
        }
        30..=33 => (st.next, 0, Vec::new()),                // heartbeat
        34..=35 => (st.next, 0xFFFF, Vec::new()),           // end of session
        36 => {
            st.session ^= 1;                                // a new session
            st.next = rng.random_range(1..1000);
            st.recent.clear();
            (st.next, 0, Vec::new())
        }
        37 => (rng.random::<u64>() | if rng.random_bool(0.5) { 0xFFFF_FFFF_FFFF_0000 } else { 0 }, n as u16,
               (0..n).map(|_| message(rng)).collect()),       // anywhere, near 2^64 too
        _ => {
            let msgs: Vec<Vec<u8>> = (0..n).map(|_| message(rng)).collect();
            let seq = st.next;
            for (i, m) in msgs.iter().enumerate() {
                st.recent.push_back((seq + i as u64, m.clone()));
            }
            while st.recent.len() > 48 {
                st.recent.pop_front();
            }
            st.next += n as u64;
            (seq, n as u16, msgs)
        }
    };
    Packet { dest, session: *SESSIONS[st.session], seq, count, msgs }
}

/// One frame: a valid MoldUDP64-over-UDP frame from [`packet`], then maybe mutated.
fn frame(rng: &mut ChaCha8Rng, streams: &mut [Stream; 2]) -> (Vec<u8>, bool) {
    let Packet { dest: (dst, port), session, seq, count, msgs } = packet(rng, streams);
    let src = SOURCES[rng.random_range(0..SOURCES.len())];
    // MoldUDP64 payload
    let mut payload = Vec::new();
    payload.extend_from_slice(&session);
    payload.extend_from_slice(&seq.to_be_bytes());
    payload.extend_from_slice(&count.to_be_bytes());
    for m in &msgs {
        payload.extend_from_slice(&(m.len() as u16).to_be_bytes());
        payload.extend_from_slice(m);
    }
    let n = msgs.len();
    // MoldUDP64-level mutations
    match rng.random_range(0..100) {
        0 => payload[18..20].copy_from_slice(&500u16.to_be_bytes()), // count larger than the payload holds
        1 if n > 0 => payload[20..22].copy_from_slice(&0u16.to_be_bytes()), // zero-length message
        2 if n > 0 => payload[20..22].copy_from_slice(&9000u16.to_be_bytes()), // runs past the payload
        3 if n > 0 => payload[20..22].copy_from_slice(&3u16.to_be_bytes()), // too short
        4 => payload.truncate(rng.random_range(0..20)),                    // header cut
        _ => {}
    }
    // headers
    let tags: usize = [0, 0, 0, 1, 1, 2][rng.random_range(0..6)];
    let ihl: usize = if rng.random_bool(0.1) { rng.random_range(6..=15) } else { 5 };
    let mut f = vec![0x01, 0x00, 0x5e, dst[1] & 0x7f, dst[2], dst[3], 0x02, 0, 0, 0, 0, 1];
    for t in 0..tags {
        let tpid: u16 = if t == 0 && tags == 2 && rng.random_bool(0.5) { 0x88A8 } else { 0x8100 };
        f.extend_from_slice(&tpid.to_be_bytes());
        let vid: u16 = [10, 20, rng.random_range(1..4095u16)][rng.random_range(0..3)];
        f.extend_from_slice(&(vid | (u16::from(rng.random_range(0..8u8)) << 13)).to_be_bytes()); // PCP bits too
    }
    f.extend_from_slice(&0x0800u16.to_be_bytes());
    let e = f.len();
    let udp_len = 8 + payload.len();
    let tot = 4 * ihl + udp_len;
    let mut ip = vec![0x40 | ihl as u8, 0, 0, 0, 0x12, 0x34, 0x40, 0, 64, 17, 0, 0];
    ip[2..4].copy_from_slice(&(tot as u16).to_be_bytes());
    ip.extend_from_slice(&src);
    ip.extend_from_slice(&dst);
    ip.resize(4 * ihl, 1); // options: NOPs
    let c = !fold(csum(&ip, 0));
    ip[10..12].copy_from_slice(&c.to_be_bytes());
    f.extend_from_slice(&ip);
    let u = f.len();
    f.extend_from_slice(&[0x30, 0x39]);
    f.extend_from_slice(&port.to_be_bytes());
    f.extend_from_slice(&(udp_len as u16).to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(&payload);
    if rng.random_bool(0.5) {
        let mut acc = csum(&src, 0) + csum(&dst, 0) + 17 + udp_len as u32;
        acc = csum(&f[u..], acc);
        let mut c = !fold(acc);
        if c == 0 {
            c = 0xFFFF;
        }
        f[u + 6..u + 8].copy_from_slice(&c.to_be_bytes());
    }
    if f.len() < 60 {
        f.resize(60, 0); // Ethernet padding
    }
    let mut mac_error = false;
    // frame-level mutations
    match rng.random_range(0..100) {
        0..=2 => {
            let cut = rng.random_range(1..f.len());
            f.truncate(cut);
        }
        3..=4 => {
            let i = rng.random_range(0..f.len().min(e + 4 * ihl + 8));
            f[i] ^= 1 << rng.random_range(0..8);
        }
        5 => {
            let i = rng.random_range(u + 8..f.len().max(u + 9)).min(f.len() - 1);
            f[i] ^= 0x40; // payload bit: a wrong UDP checksum if one is set
        }
        6..=7 => mac_error = true,
        8 => f[e + 6] |= 0x20,  // more fragments
        9 => f[e + 9] = 6,      // TCP
        10 => f[e - 2..e].copy_from_slice(&0x86DDu16.to_be_bytes()), // IPv6 ethertype
        11 => f.extend((0..rng.random_range(1..40)).map(|_| rng.random::<u8>())), // trailer
        12 => f.truncate(rng.random_range(14..60).min(f.len())), // runt
        13 => {
            let l = u16::from_be_bytes([f[u + 4], f[u + 5]]).wrapping_add(if rng.random_bool(0.5) { 1 } else { 0xFFFF });
            f[u + 4..u + 6].copy_from_slice(&l.to_be_bytes()); // UDP length off by one
        }
        _ => {}
    }
    (f, mac_error)
}

fn rule(rng: &mut ChaCha8Rng) -> FlowRule {
    let d = rng.random_range(0..DESTS.len());
    let (dst, port) = DESTS[d];
    // mostly a stream's two destinations on one feed as lines A and B (A/B arbitration)
    let action = if rng.random_bool(0.15) {
        FlowAction::Drop
    } else if rng.random_bool(0.7) {
        FlowAction::Deliver { feed: (d / 2) as u8, line: (d % 2) as u8, ring: rng.random_range(0..4) }
    } else {
        FlowAction::Deliver { feed: rng.random_range(0..16), line: rng.random_range(0..2), ring: rng.random_range(0..4) }
    };
    let src = match rng.random_range(0..4) {
        0 => (Ipv4Addr::from(SOURCES[0]), 16),
        1 => (Ipv4Addr::from(SOURCES[1]), 8),
        _ => (Ipv4Addr::UNSPECIFIED, 0),
    };
    FlowRule {
        dst_ip: dst.into(),
        dst_port: if rng.random_bool(0.7) { Some(port) } else { None },
        vlan: [None, None, Some(10), Some(20)][rng.random_range(0..4)],
        src,
        action,
    }
}

/// What the card produced: ticks per ring, counters, rule hits, ring drops.
type CardRun = (Vec<(usize, Vec<TickRecord>)>, Vec<(&'static str, u32)>, Vec<u32>, u64);

/// What a round sends and how it sets the card up, all drawn from its seed (to reproduce a round).
pub struct RoundSetup {
    pub flow: FlowTable,
    pub hold: bool,
    pub max_frame: u16,
    pub stressed: bool,
    /// CTRL.drop_unknown (every fourth seed).
    pub drop_unknown: bool,
    /// Per ring (0..4), its ITCH filters: in half the rounds random type masks, locate-checked
    /// types and bitmaps (a locate in two), else everything passes.
    pub filters: Vec<ItchFilter>,
    pub sim: SimConfig,
    /// The frames (without FCS) and their MAC error flags.
    pub input: Vec<(Vec<u8>, bool)>,
}

/// The set-up and traffic of round `seed` with `frames` frames.
pub fn round_setup(seed: u64, frames: usize) -> RoundSetup {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rules: Vec<FlowRule> = (0..rng.random_range(0..6)).map(|_| rule(&mut rng)).collect();
    if rng.random_bool(0.3) {
        rules.truncate(1);
    }
    let default = if rng.random_bool(0.6) {
        FlowAction::Deliver { feed: 15, line: 0, ring: rng.random_range(0..4) }
    } else {
        FlowAction::Drop
    };
    let flow = FlowTable { rules, default };
    let hold = rng.random_bool(0.3);
    let max_frame = [1522u16, 1522, 0, 300][rng.random_range(0..4)];
    let stressed = rng.random_bool(0.5);
    let sim = SimConfig {
        seed,
        idle_prob: if stressed { rng.random_range(0.0..0.3) } else { 0.0 },
        awready_prob: if stressed { rng.random_range(0.3..1.0) } else { 1.0 },
        wready_prob: if stressed { rng.random_range(0.3..1.0) } else { 1.0 },
        bresp_delay_max: if stressed { rng.random_range(0..40) } else { 0 },
        ..SimConfig::default()
    };
    let mut streams = [Stream::new(), Stream::new()];
    let input: Vec<(Vec<u8>, bool)> = (0..frames).map(|_| frame(&mut rng, &mut streams)).collect();
    // the filters come from their own generator: the traffic of a seed does not depend on them
    let mut frng = ChaCha8Rng::seed_from_u64(seed ^ 0x17C4_F11E);
    let filters = if frng.random_bool(0.5) {
        (0..4)
            .map(|_| {
                let mut f = ItchFilter::default();
                for bit in 0..=crate::filter::RAW_BIT {
                    if frng.random_bool(0.2) {
                        f.types &= !(1 << bit);
                    }
                    if bit < crate::filter::RAW_BIT && frng.random_bool(0.5) {
                        f.locate_types |= 1 << bit;
                    }
                }
                for w in 0..crate::filter::LOCATE_WORDS {
                    for b in 0..32 {
                        f.locates.set((w * 32 + b) as u16, frng.random_bool(0.5));
                    }
                }
                f
            })
            .collect()
    } else {
        Vec::new()
    };
    RoundSetup { flow, hold, max_frame, stressed, drop_unknown: seed % 4 == 3, filters, sim, input }
}

/// One round: `frames` frames through a fresh card configured from `seed`.
pub fn round(seed: u64, frames: usize) -> FuzzReport {
    let RoundSetup { flow, hold, max_frame, stressed, drop_unknown, filters, sim, input } = round_setup(seed, frames);

    let mut report = FuzzReport { frames: frames as u64, ..Default::default() };
    let cover = |report: &mut FuzzReport, model: &Model, expected: &[ModelTick]| {
        report.coverage = model.counters().clone();
        let decoded = expected.iter().filter(|t| t.record.is_message() && !t.record.is_raw()).count();
        report.coverage.insert("itch_decoded", decoded as u64);
    };
    let ctx = format!("seed {seed} (hold {hold}, max_frame {max_frame}, stressed {stressed}, drop_unknown {drop_unknown}, filters {}, {} rules)", !filters.is_empty(), flow.rules.len());

    // the model
    let mut model = Model::with_config(ModelConfig { flow: flow.clone(), hold, max_frame, drop_unknown, filters: filters.clone() });
    let mut expected: Vec<ModelTick> = Vec::new();
    for (i, (f, e)) in input.iter().enumerate() {
        model.frame(f, *e, i as u64, &mut expected);
    }
    cover(&mut report, &model, &expected);

    // the card
    let run = || -> Result<CardRun, String> {
        let card = Card::open(SimDevice::new(sim.clone()).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        card.set_hold(hold);
        card.set_max_frame(max_frame);
        card.set_drop_unknown(drop_unknown);
        for (ring, f) in filters.iter().enumerate() {
            card.set_itch_filter(ring, f).map_err(|e| e.to_string())?;
        }
        card.set_flow_table(&flow.rules, flow.default).map_err(|e| e.to_string())?;
        let mut rings: Vec<_> = (0..4).map(|i| card.open_ring(i, 1 << 14)).collect::<Result<_, _>>().map_err(|e| e.to_string())?;
        card.start();
        card.device().push_frames(input.clone());
        let r = card.device().wait_idle(Duration::from_secs(600));
        let mut got = Vec::new();
        for ring in rings.iter_mut() {
            let mut v = Vec::new();
            while ring.poll_with(|t| v.push(*t)) {}
            got.push((ring.index(), v));
        }
        r.map_err(|e| format!("hang: {e}"))?;
        let counters = card.counters();
        let hits = card.flow_hits();
        let mut drops = 0u64;
        for ring in rings {
            drops += u64::from(card.close_ring(ring, Duration::from_secs(10)).map_err(|e| e.to_string())?.drops);
        }
        if !card.device().sim().memory().violations().is_empty() {
            return Err("DMA write outside every mapped window".into());
        }
        Ok((got, counters, hits, drops))
    };
    let (got, counters, hits, drops) = match run() {
        Ok(x) => x,
        Err(e) if e.starts_with("hang") => {
            report.hangs += 1;
            report.details.push(format!("{ctx}: {e}"));
            return report;
        }
        Err(e) => {
            report.fail(format!("{ctx}: {e}"));
            return report;
        }
    };

    // counters
    let c = |k: &str| counters.iter().find(|x| x.0 == k).map(|x| u64::from(x.1)).unwrap_or(0);
    for &k in MODEL_COUNTERS {
        if c(k) != model.counters()[k] {
            report.fail(format!("{ctx}: counter {k}: card {} model {}", c(k), model.counters()[k]));
        }
    }
    for (i, &h) in model.rule_hits().iter().enumerate() {
        if u64::from(hits[i]) != h {
            report.fail(format!("{ctx}: rule {i} hits: card {} model {h}", hits[i]));
        }
    }

    // ticks, ring by ring
    let mut gaps = 0u64;
    let mut frame_ts: Vec<Option<u64>> = vec![None; frames];
    for (ring, ticks) in &got {
        report.ticks += ticks.len() as u64;
        let exp: Vec<&TickRecord> = expected.iter().filter(|m| usize::from(m.ring) == *ring).map(|m| &m.record).collect();
        let mut next = 0usize;
        for (i, t) in ticks.iter().enumerate() {
            let mut have = t.to_bytes();
            let flagged = have[TICK_FLAGS_OFF] & FLAG_LOSS as u8 != 0;
            have[TICK_FLAGS_OFF] &= !(FLAG_LOSS as u8);
            let same = |e: &TickRecord| e.to_bytes()[8..60] == have[8..60];
            let Some(skip) = exp[next..].iter().position(|e| same(e)) else {
                report.fail(format!("{ctx}: ring {ring} tick {i} matches no expected record at or after {next}: {:02x?}", &have[..]));
                break;
            };
            if skip > 0 && !flagged {
                report.fail(format!("{ctx}: ring {ring} tick {i}: {skip} records missing before it, not flagged LOSS; the first: {:02x?}", &exp[next].to_bytes()[..]));
            }
            if skip == 0 && flagged && !hold {
                report.fail(format!("{ctx}: ring {ring} tick {i} flagged LOSS with nothing lost before it"));
            }
            gaps += skip as u64;
            next += skip;
            let frame = exp[next].rx_ts_ns as usize;
            match frame_ts[frame] {
                None => frame_ts[frame] = Some(t.rx_ts_ns),
                Some(ts) if ts != t.rx_ts_ns => report.fail(format!("{ctx}: frame {frame}: ticks with timestamps {ts} and {}", t.rx_ts_ns)),
                _ => {}
            }
            next += 1;
        }
        gaps += (exp.len() - next.min(exp.len())) as u64;
    }
    let dropped = c("tick_overflow") + drops;
    if (!hold && gaps != dropped) || (hold && gaps > dropped) {
        report.fail(format!("{ctx}: {gaps} records missing, the card counted {dropped} dropped"));
    }
    let ts: Vec<u64> = frame_ts.iter().flatten().copied().collect();
    if !ts.windows(2).all(|w| w[0] < w[1]) {
        report.fail(format!("{ctx}: frame timestamps do not increase"));
    }
    report
}
