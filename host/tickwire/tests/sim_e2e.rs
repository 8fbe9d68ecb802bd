//! End to end on the simulated card: frames in on the MAC interface of the Verilator model of
//! tw_core, ticks out of the host ring through the real driver (Card, Ring over SimDevice).
//!
//! The expected records are packed here by hand from the input frames, following
//! docs/tick-format.md, and compared with the bytes the card wrote: this is the test that the RTL
//! packer, the Rust `TickRecord` and the documented layout agree byte for byte. (The differential
//! tests in `diff.rs` compare the card with the reference model instead.)
#![cfg(feature = "sim")]

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tickwire::frame::UdpFrameSpec;
use tickwire::mold::MoldPacket;
use tickwire::replay::{replay, ReplayOptions, ReplaySummary, ReplayTick};
use tickwire::SimConfig;

const FRAME_END: u16 = 0b1000;
const EVENT: u16 = 0b10;
const GAP: u16 = 0b100_0000;
const RAW: u16 = 0b1_0000_0000;
const TRUNCATED: u16 = 0b1;
const EV_NEW_SESSION: u8 = 0b1;
const EV_GAP: u8 = 0b10;
// Offsets in bytes 8..64 of a record (the slices below leave rx_ts_ns out): docs/tick-format.md
// tick offset minus 8.
const FLAGS: usize = 24 - 8;
const BODY: usize = 28 - 8;

/// One input frame and what it should produce.
struct Case {
    frame: Vec<u8>,
    /// Expected records without rx_ts_ns (bytes 8..64), in order.
    expect: Vec<[u8; 56]>,
    /// Messages in the frame (event records excluded).
    messages: usize,
}

fn spec(vlan: Option<u16>) -> UdpFrameSpec {
    let mut s = tickwire::gen::GenConfig::default().frame_spec();
    s.vlan = vlan;
    s
}

fn set_flags(b: &mut [u8; 56], flags: u16) {
    let f = u16::from_le_bytes([b[FLAGS], b[FLAGS + 1]]) | flags;
    b[FLAGS..FLAGS + 2].copy_from_slice(&f.to_le_bytes());
}

fn flags_of(b: &[u8]) -> u16 {
    u16::from_le_bytes([b[FLAGS], b[FLAGS + 1]])
}

/// An event record's bytes 8..64: seq, flags, the session at tick 28, the event bits at 38, the
/// first missing sequence number at 40; feed 0, line A.
fn packed_event(seq: u64, flags: u16, session: &[u8; 10], event: u8, gap_first: Option<u64>) -> [u8; 56] {
    let mut b = [0u8; 56];
    b[0..8].copy_from_slice(&seq.to_le_bytes());
    set_flags(&mut b, flags);
    b[BODY..BODY + 10].copy_from_slice(session);
    b[38 - 8] = event;
    if let Some(g) = gap_first {
        b[40 - 8..48 - 8].copy_from_slice(&g.to_le_bytes());
    }
    b
}

/// A message record's bytes 8..64, packed here from docs/tick-format.md: the ITCH timestamp
/// (wire 5..11) at tick 16 as 48-bit little-endian, stock_locate (wire 1..3) at 22, the type at 26;
/// a message of one of the 23 types and of its length gets the body the generated table gives
/// (`TickRecord::from_itch`; checked field by field against the ITCH decoder elsewhere), any other
/// is raw: msg_len at 28, wire bytes 11..41 at 30, RAW (and TRUNCATED past 41 bytes). Feed 0,
/// line A.
fn packed(seq: u64, msg: &[u8], flags: u16) -> [u8; 56] {
    let mut b = [0u8; 56];
    let wire = |i: usize| msg.get(i).copied().unwrap_or(0);
    b[0..8].copy_from_slice(&seq.to_le_bytes());
    for i in 0..6 {
        b[16 - 8 + i] = wire(10 - i);
    }
    b[22 - 8] = wire(2);
    b[23 - 8] = wire(1);
    b[26 - 8] = wire(0);
    set_flags(&mut b, flags);
    if tickwire::itch::message_len(msg[0]) == Some(msg.len()) {
        b[BODY..BODY + 32].copy_from_slice(&tickwire::tick::TickRecord::from_itch(msg).body);
    } else {
        set_flags(&mut b, RAW | if msg.len() > 41 { TRUNCATED } else { 0 });
        b[BODY..BODY + 2].copy_from_slice(&(msg.len() as u16).to_le_bytes());
        for i in 0..30 {
            b[BODY + 2 + i] = wire(11 + i);
        }
    }
    b
}

/// A message of `len` bytes: mostly of a type whose length that is (decoded), else of a type of
/// another length or an unknown type (delivered raw); random bytes after the type.
fn random_message(rng: &mut ChaCha8Rng, len: usize) -> Vec<u8> {
    let types = b"SRHYLVWKJhAFECXDUPQBINO";
    let fitting: Vec<u8> = types.iter().copied().filter(|&t| tickwire::itch::message_len(t) == Some(len)).collect();
    let t = if !fitting.is_empty() && rng.random_range(0..4) != 0 {
        fitting[rng.random_range(0..fitting.len())]
    } else if rng.random_range(0..8) == 0 {
        b'a' // no ITCH 5.0 type
    } else {
        types[rng.random_range(0..types.len())]
    };
    let mut m = vec![t];
    m.extend((1..len).map(|_| rng.random::<u8>()));
    m
}

/// The sender's side of one feed (`seq`: the next packet's sequence number) and what the card's
/// sequencer should know of it (`known`: session and next expected sequence number, moved only
/// by good frames).
struct Feed {
    session: [u8; 10],
    known: Option<([u8; 10], u64)>,
    seq: u64,
}

impl Feed {
    fn new(session: [u8; 10], seq: u64) -> Feed {
        Feed { session, known: None, seq }
    }

    /// A good frame with the next packet: an event record first when the session is new to the
    /// card or messages were lost before it, then one record per message.
    fn packet(&mut self, vlan: Option<u16>, msgs: Vec<Vec<u8>>) -> Case {
        let p = MoldPacket::new(self.session, self.seq, msgs.clone());
        let mut expect = Vec::new();
        let new_session = self.known.is_none_or(|(s, _)| s != self.session);
        let gap = !new_session && self.seq > self.known.expect("known").1;
        if new_session || gap {
            let ev = if gap { EV_GAP } else { EV_NEW_SESSION };
            let first = gap.then(|| self.known.expect("known").1);
            expect.push(packed_event(self.seq, EVENT | if gap { GAP } else { 0 }, &self.session, ev, first));
        }
        for (i, m) in msgs.iter().enumerate() {
            expect.push(packed(self.seq + i as u64, m, if gap && i == 0 { GAP } else { 0 }));
        }
        if let Some(last) = expect.last_mut() {
            set_flags(last, FRAME_END); // a good frame's last record carries its verdict
        }
        self.seq += msgs.len() as u64;
        self.known = Some((self.session, self.seq));
        Case { frame: spec(vlan).build(&p.encode()), expect, messages: msgs.len() }
    }
}

fn run(cases: &[Case], sim: SimConfig) -> (Vec<ReplayTick>, ReplaySummary) {
    let frames = cases.iter().map(|c| (c.frame.clone(), false)).collect();
    let opts = ReplayOptions { sim, ring_slots: 1024, ..Default::default() };
    let mut got = Vec::new();
    let summary = replay(frames, &opts, |t| got.push(t.clone())).expect("replay");
    (got, summary)
}

/// Compare every record byte for byte (rx_ts_ns apart) and check the timestamps' structure.
fn check(cases: &[Case], got: &[ReplayTick], summary: &ReplaySummary) {
    check_with_loss(cases, got, summary, false)
}

/// As `check`; with `allow_loss`, ticks may be missing where the card says it dropped them: each
/// gap is followed by a tick flagged LOSS, and the gaps add up to the card's drop counters.
fn check_with_loss(cases: &[Case], got: &[ReplayTick], summary: &ReplaySummary, allow_loss: bool) {
    const LOSS: u8 = 0b100; // flags bit 2: the flags' low byte
    let expected: Vec<(usize, [u8; 56])> =
        cases.iter().enumerate().flat_map(|(f, c)| c.expect.iter().map(move |e| (f, *e))).collect();
    if !allow_loss {
        assert_eq!(got.len(), expected.len(), "ticks delivered vs expected; summary: {summary:?}");
    }
    let c: BTreeMap<_, _> = summary.counters.iter().copied().collect();
    let mut ts_of_frame: BTreeMap<usize, u64> = BTreeMap::new();
    let mut next = 0usize;
    let mut lost = 0usize;
    for (i, t) in got.iter().enumerate() {
        let bytes = t.record.to_bytes();
        let mut have = [0u8; 56];
        have.copy_from_slice(&bytes[8..]);
        let flagged = have[FLAGS] & LOSS != 0;
        have[FLAGS] &= !LOSS;
        let skip = expected[next..]
            .iter()
            .position(|(_, e)| e[..52] == have[..52])
            .unwrap_or_else(|| panic!("tick {i} matches no expected record at or after {next}: {:02x?}", &bytes[..]));
        if skip > 0 {
            assert!(allow_loss, "tick {i}: {skip} expected records missing before it; summary: {summary:?}");
            assert!(flagged, "tick {i} follows {skip} dropped ticks but is not flagged LOSS");
        } else {
            assert!(!flagged, "tick {i} flagged LOSS with nothing lost before it");
        }
        lost += skip;
        next += skip;
        let (frame, e) = expected[next];
        let mut want = e;
        // validity word: slot index + 1; slots of discarded frames (bad verdicts) are not
        // delivered, so it is checked for order here and against the ring's producer below
        want[52..56].copy_from_slice(&have[52..56]);
        assert!(i == 0 || t.record.valid > got[i - 1].record.valid, "tick {i}: validity words not increasing");
        assert_eq!(&have[..], &want[..], "tick {i} (frame {frame}) differs from the expected record; gate {:?}", summary.gate);
        // and the Rust type reads the same fields the bytes hold
        assert_eq!(t.record.seq, u64::from_le_bytes(want[0..8].try_into().unwrap()));
        let ts = *ts_of_frame.entry(frame).or_insert(t.record.rx_ts_ns);
        assert_eq!(t.record.rx_ts_ns, ts, "ticks of one frame carry the frame's timestamp");
        next += 1;
    }
    lost += expected.len() - next;
    // what the card dropped, plus what the host's verdict gate discarded because a loss cut a
    // frame before its verdict (its FRAME_END record was among the dropped)
    assert_eq!(
        lost,
        (c["tick_overflow"] as u64 + summary.ring_drops() + summary.gate.ticks_unverified) as usize,
        "losses the host saw vs the card's counters"
    );
    let ts: Vec<u64> = ts_of_frame.values().copied().collect();
    assert!(ts.windows(2).all(|w| w[0] < w[1]), "frame timestamps strictly increase");
    assert_eq!(summary.iommu_violations, 0, "DMA outside the ring");
    let ring = summary.rings[0].1;
    assert!(!ring.dma_error && !ring.cfg_error);
    let msgs: usize = cases.iter().map(|c| c.messages).sum();
    assert_eq!(c["mold_msgs"] as usize, msgs);
    assert_eq!(c["dma_writes"], ring.prod);
    if !allow_loss {
        assert_eq!(ring.drops, 0);
        assert_eq!(
            u64::from(ring.prod),
            got.len() as u64 + summary.gate.ticks_bad + summary.gate.verdict_records,
            "slots written: delivered, discarded with bad frames, and verdict records"
        );
        let delivered = expected.iter().filter(|(_, e)| flags_of(e) & EVENT == 0).count();
        assert_eq!(summary.ticks as usize, delivered);
    }
}

#[test]
fn messages_in_ticks_out_with_and_without_vlan() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut feed = Feed::new(*b"20261124A ", 1);
    let mut cases = Vec::new();
    for i in 0..120 {
        let n = [1, 1, 2, 3, 5, 8, 13, 20][i % 8];
        let msgs = (0..n).map(|_| {
            let len = [12, 19, 23, 25, 31, 35, 36, 39, 40, 44, 48, 50][rng.random_range(0..12)];
            random_message(&mut rng, len)
        });
        let vlan = if i % 3 == 0 { Some(100 + i as u16) } else { None };
        cases.push(feed.packet(vlan, msgs.collect()));
    }
    // a full 1500-byte frame: 1472-byte UDP payload of 12-byte messages (14-byte blocks), and one
    // with VLAN; then a heartbeat and a session change
    for vlan in [None, Some(7)] {
        // 102 blocks of 14 bytes and one of 24: 20 + 1428 + 24 = 1472
        let mut msgs: Vec<Vec<u8>> = (0..102).map(|_| random_message(&mut rng, 12)).collect();
        msgs.push(random_message(&mut rng, 22));
        let c = feed.packet(vlan, msgs);
        assert_eq!(c.frame.len(), 1514 + if vlan.is_some() { 4 } else { 0 });
        cases.push(c);
    }
    cases.push(feed.packet(None, vec![]));
    feed.session = *b"20261124B ";
    cases.push(feed.packet(None, vec![random_message(&mut rng, 36)]));

    let (got, summary) = run(&cases, SimConfig { seed: 3, ..Default::default() });
    check(&cases, &got, &summary);
    let c: BTreeMap<_, _> = summary.counters.iter().copied().collect();
    assert_eq!(c["rx_frames"] as usize, cases.len());
    assert_eq!(c["mold_pkts"] as usize, cases.len());
    assert_eq!(c["mold_sessions"], 2);
    assert_eq!(c["mold_err"] + c["rx_bad_verdict"] + c["tick_overflow"], 0);
    assert_eq!(c["rx_accepted"] as usize, cases.len());
}

#[test]
fn backpressure_and_idle_cycles_lose_nothing() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let mut feed = Feed::new(*b"SESSION001", 1_000_000_000_000);
    let cases: Vec<Case> = (0..60)
        .map(|i| {
            let msgs = (0..rng.random_range(1..30)).map(|_| {
                let len = rng.random_range(12..=50);
                random_message(&mut rng, len)
            });
            feed.packet(if i % 2 == 0 { Some(42) } else { None }, msgs.collect())
        })
        .collect();
    // Mild backpressure: the clock-crossing FIFO (64 ticks) absorbs it, nothing is lost.
    let sim = SimConfig { seed: 9, awready_prob: 0.8, wready_prob: 0.8, bresp_delay_max: 40, idle_prob: 0.25, ..Default::default() };
    let (got, summary) = run(&cases, sim);
    check(&cases, &got, &summary);
    // Heavy backpressure (the host accepts a write in under a third of the cycles): the FIFO
    // overflows; every loss is counted and flagged on the next tick delivered.
    let sim = SimConfig { seed: 10, awready_prob: 0.3, wready_prob: 0.5, bresp_delay_max: 40, idle_prob: 0.0, ..Default::default() };
    let (got, summary) = run(&cases, sim);
    let c: BTreeMap<_, _> = summary.counters.iter().copied().collect();
    assert!(c["tick_overflow"] > 0, "this load should overflow the FIFO: {summary:?}");
    check_with_loss(&cases, &got, &summary, true);
}

#[test]
fn bad_frames_are_counted_and_the_next_frame_is_right() {
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let mut feed = Feed::new(*b"BADFRAMES ", 500);
    let mut cases = vec![feed.packet(None, vec![random_message(&mut rng, 20); 3])];
    // ARP: not IPv4/UDP
    let mut arp = vec![0xffu8; 6];
    arp.extend([2, 0, 0, 0, 0, 1, 0x08, 0x06]);
    arp.resize(60, 0);
    cases.push(Case { frame: arp, expect: vec![], messages: 0 });
    // a MoldUDP64 packet cut short: the second block runs past the payload. The first message
    // went out (cut-through) before the fault showed; the frame's verdict is bad, and the host's
    // verdict gate discards it: nothing is delivered.
    let good = random_message(&mut rng, 30);
    let p = MoldPacket::new(feed.session, feed.seq, vec![good.clone(), random_message(&mut rng, 30)]).encode();
    let cut = &p[..p.len() - 5];
    cases.push(Case { frame: spec(None).build(cut), expect: vec![], messages: 1 });
    feed.seq += 2;
    // a message shorter than 8 bytes: the packet stops there, bad as well
    let p = MoldPacket::new(feed.session, feed.seq, vec![good.clone(), vec![b'X'; 5], good.clone()]).encode();
    cases.push(Case { frame: spec(Some(5)).build(&p), expect: vec![], messages: 1 });
    feed.seq += 3;
    cases.push(feed.packet(None, vec![random_message(&mut rng, 44), random_message(&mut rng, 12)]));

    let (got, summary) = run(&cases, SimConfig { seed: 4, ..Default::default() });
    check(&cases, &got, &summary);
    let c: BTreeMap<_, _> = summary.counters.iter().copied().collect();
    assert_eq!(c["rx_not_ipv4"], 1);
    assert_eq!(c["mold_err"], 2);
    assert_eq!(c["rx_bad_verdict"], 2);
    assert_eq!(summary.gate.frames_bad, 2);
    // discarded: the first bad frame's message; the second bad frame's gap event (the first bad
    // frame moved no state, so 503..505 looked missing) and message
    assert_eq!(summary.gate.ticks_bad, 3);
    // the sequencer: both bad frames' messages are missing once the good packet comes (503..508),
    // reported by the good frame's gap event; the second bad frame's gap event was discarded
    assert_eq!((c["seq_gaps"], summary.gap_events, summary.gap_messages), (2, 1, 5));
    assert_eq!(c["rx_frames"] as usize, cases.len());
}

#[test]
fn a_new_session_event_lost_with_a_bad_frame_is_repeated() {
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    let mut feed = Feed::new(*b"NEWSESSION", 1);
    // the first packet of the session, in a frame whose UDP checksum is wrong: its event record
    // and message go out (cut-through), flagged bad, and the host discards them
    let p = MoldPacket::new(feed.session, feed.seq, vec![random_message(&mut rng, 20)]).encode();
    let mut bad = spec(None).build(&p);
    let n = bad.len();
    bad[n - 1] ^= 0x01;
    feed.seq += 1;
    let mut cases = vec![Case { frame: bad, expect: vec![], messages: 1 }];
    // the next packet must bring the new-session event again (Feed expects it: no good frame yet)
    cases.push(feed.packet(None, vec![random_message(&mut rng, 24)]));
    let (got, summary) = run(&cases, SimConfig { seed: 6, ..Default::default() });
    check(&cases, &got, &summary);
    assert!(got[0].record.is_session() && got[0].record.seq == 2, "{:?}", got[0].record);
    let c: BTreeMap<_, _> = summary.counters.iter().copied().collect();
    assert_eq!((c["rx_udp_csum"], c["mold_sessions"], summary.gate.frames_bad), (1, 2, 1));
}
