//! A deterministic, NASDAQ-like ITCH 5.0 feed over MoldUDP64: test traffic for the card, the
//! simulator and the host.
//!
//! One [`GenConfig`] (with its seed) always gives the same messages, packets and frames. A session
//! looks like a trading day:
//!
//! 1. System event `O` (start of messages) around 03:05, then a Stock Directory `R` for every
//!    symbol (real tickers; locates 1..=n in alphabetical order, as NASDAQ assigns them), system
//!    event `S` (start of system hours) at 04:00 and `Q` (start of market hours) at 09:30.
//! 2. An order-book-consistent stream: adds (`A`, `F`) priced around a per-symbol mid that walks,
//!    executions (`E`, `C`), partial cancels (`X`), deletes (`D`) and replaces (`U`) of live orders
//!    only — never executing or cancelling more shares than remain — non-displayed trades (`P`),
//!    and now and then every other type (`H Y L V W K J h Q B I N O`). Broken trades (`B`) name
//!    an earlier match number. Every type is forced in early if chance has not produced it, so a
//!    run of at least [`min_messages_for_all_types`] messages holds all 23 types (2000 suffice for
//!    up to 1600 symbols).
//! 3. System events `M`, `E`, `C` (end of market hours, system hours, messages) when the message
//!    budget leaves room for them (at least 10 stream messages).
//!
//! Timestamps (nanoseconds since midnight) strictly increase and come in bursts of 1 to 40
//! messages; tracking numbers are small and stable per symbol (0 for market-wide messages).
//! [`generate`] packs each burst into MoldUDP64 packets with contiguous sequence numbers (at most
//! 40 messages and `max_payload` bytes per packet, so mostly few), plus an optional heartbeat in
//! every silence longer than a second and an optional end-of-session packet. [`to_frames`] wraps the packets in UDP/IPv4 multicast frames
//! with capture timestamps for a pcap.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddrV4};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::frame::{self, UdpFrameSpec, MAX_UDP_PAYLOAD};
use crate::itch::{self, pad_alpha, Body, Header, Message, MESSAGE_TYPES};
use crate::mold::{self, MoldPacket};
use crate::pcap::CapturedFrame;

const NS_PER_SEC: u64 = 1_000_000_000;
const fn hms(h: u64, m: u64, s: u64) -> u64 {
    ((h * 60 + m) * 60 + s) * NS_PER_SEC
}
/// Longest ITCH message (NOII, 50 bytes) in a block with its 2-byte length.
const LONGEST_BLOCK: usize = 2 + 50;
/// Smallest `max_payload` that fits any one message.
pub const MIN_MAX_PAYLOAD: usize = mold::HEADER_LEN + LONGEST_BLOCK;

/// Errors from a generator configuration or from framing packets.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GenError {
    /// `symbols` is 0 or more than stock locates can number.
    #[error("symbols = {symbols}: must be 1..=65535")]
    Symbols {
        /// The configured count.
        symbols: usize,
    },
    /// `max_payload` cannot hold the longest message, or exceeds one UDP datagram.
    #[error("max_payload = {max_payload}: must be {MIN_MAX_PAYLOAD}..={MAX_UDP_PAYLOAD}")]
    MaxPayload {
        /// The configured size.
        max_payload: usize,
    },
    /// The sequence numbers would overflow u64.
    #[error("first_seq {first_seq} + {messages} messages overflows the sequence number")]
    Sequence {
        /// Configured first sequence number.
        first_seq: u64,
        /// Configured message count.
        messages: usize,
    },
    /// A packet handed to [`to_frames`] does not fit one UDP datagram.
    #[error(
        "packet {index} encodes to {len} bytes, more than one UDP datagram ({MAX_UDP_PAYLOAD})"
    )]
    PacketTooLarge {
        /// Index of the packet.
        index: usize,
        /// Its encoded size.
        len: usize,
    },
}

/// What to generate, and how to frame it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GenConfig {
    /// Seed of everything random; the same config always gives the same output.
    pub seed: u64,
    /// Number of securities (stock locates 1..=symbols).
    pub symbols: usize,
    /// Number of ITCH messages in total (preamble and closing included; heartbeats excluded).
    pub messages: usize,
    /// MoldUDP64 session, ASCII (serialized as a string).
    #[serde(with = "session_serde")]
    pub session: [u8; 10],
    /// Sequence number of the first message.
    pub first_seq: u64,
    /// 802.1Q TCI (or plain VLAN ID) of the frames; `None` for untagged.
    pub vlan: Option<u16>,
    /// Source MAC of the frames.
    pub src_mac: [u8; 6],
    /// Destination MAC; `None`: the multicast MAC of `dst`'s group.
    pub dst_mac: Option<[u8; 6]>,
    /// Source address and port.
    pub src: SocketAddrV4,
    /// Destination: the multicast group and port of the feed.
    pub dst: SocketAddrV4,
    /// IPv4 TTL.
    pub ttl: u8,
    /// Largest UDP payload (MoldUDP64 packet) in bytes; 1472 fits a 1500-byte MTU.
    pub max_payload: usize,
    /// Send a heartbeat in every silence between packets longer than one second (one per
    /// silence, not one per second).
    pub heartbeats: bool,
    /// End the session with an end-of-session packet.
    pub end_of_session: bool,
    /// Capture time of the session's midnight, ns since the Unix epoch (frame timestamps are this
    /// plus the ITCH timestamp plus a few microseconds of latency).
    pub midnight_epoch_ns: u64,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            seed: 1,
            symbols: 8,
            messages: 10_000,
            session: *b"TICKWIRE01",
            first_seq: 1,
            vlan: None,
            src_mac: [0x02, 0x00, 0x54, 0x57, 0x00, 0x01],
            dst_mac: None,
            src: SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 10), 40_000),
            dst: SocketAddrV4::new(Ipv4Addr::new(233, 54, 12, 111), 26_477),
            ttl: 32,
            max_payload: 1472,
            heartbeats: true,
            end_of_session: false,
            // 2024-03-01 00:00:00 America/New_York (05:00 UTC).
            midnight_epoch_ns: 1_709_269_200 * NS_PER_SEC,
        }
    }
}

mod session_serde {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(session: &[u8; 10], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(session))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 10], D::Error> {
        let name = String::deserialize(d)?;
        crate::mold::session_from_str(&name).map_err(D::Error::custom)
    }
}

impl GenConfig {
    /// Checks the configuration.
    pub fn validate(&self) -> Result<(), GenError> {
        if self.symbols == 0 || self.symbols > usize::from(u16::MAX) {
            return Err(GenError::Symbols {
                symbols: self.symbols,
            });
        }
        if !(MIN_MAX_PAYLOAD..=MAX_UDP_PAYLOAD).contains(&self.max_payload) {
            return Err(GenError::MaxPayload {
                max_payload: self.max_payload,
            });
        }
        if self.first_seq.checked_add(self.messages as u64).is_none() {
            return Err(GenError::Sequence {
                first_seq: self.first_seq,
                messages: self.messages,
            });
        }
        Ok(())
    }

    /// The frame header fields of the first frame (`to_frames` increments the IP ID per frame).
    pub fn frame_spec(&self) -> UdpFrameSpec {
        UdpFrameSpec {
            dst_mac: self
                .dst_mac
                .unwrap_or_else(|| frame::multicast_mac(*self.dst.ip())),
            src_mac: self.src_mac,
            vlan: self.vlan,
            src_ip: *self.src.ip(),
            dst_ip: *self.dst.ip(),
            src_port: self.src.port(),
            dst_port: self.dst.port(),
            ttl: self.ttl,
            ip_id: (self.seed as u16).wrapping_mul(0x9e37),
        }
    }
}

/// Messages of the preamble (`O`, one `R` per symbol, `S`, `Q`).
fn preamble_len(symbols: usize) -> usize {
    symbols + 3
}

/// From this stream position on, every `FORCE_EVERY`-th stream message is the first message type
/// not seen yet (when the book allows it), so that short runs still hold all 23 types.
const WARMUP: usize = 16;
const FORCE_EVERY: usize = 8;

/// The smallest `messages` for which a run with `symbols` symbols is guaranteed to contain all 23
/// message types: the preamble, enough stream for every type to be forced in (with room for a
/// few infeasible tries), and the closing events.
pub fn min_messages_for_all_types(symbols: usize) -> usize {
    preamble_len(symbols) + WARMUP + FORCE_EVERY * 2 * MESSAGE_TYPES.len() + 3
}

/// Generates the session's ITCH messages (see the module doc).
pub fn generate_messages(cfg: &GenConfig) -> Result<Vec<Message>, GenError> {
    cfg.validate()?;
    Ok(FeedGen::new(cfg).run(cfg.messages))
}

/// Generates the session as MoldUDP64 packets (messages from [`generate_messages`]).
pub fn generate(cfg: &GenConfig) -> Result<Vec<MoldPacket>, GenError> {
    let messages = generate_messages(cfg)?;
    Ok(packetize(cfg, &messages))
}

/// Most messages in one packet.
pub const MAX_MESSAGES_PER_PACKET: usize = 40;
/// A packet only holds messages stamped within this window (ns) of its first message: a burst.
pub const PACKET_WINDOW_NS: u64 = 50_000;

/// Packs messages into MoldUDP64 packets the way a feed handler sends them: one packet per burst
/// (messages within [`PACKET_WINDOW_NS`] of the packet's first), at most
/// [`MAX_MESSAGES_PER_PACKET`] messages and `cfg.max_payload` bytes; sequence numbers are
/// contiguous from `cfg.first_seq`. With `cfg.heartbeats`, a heartbeat goes in every silence over a
/// second; with `cfg.end_of_session`, an end-of-session packet ends the list.
///
/// # Panics
/// If `cfg.max_payload` cannot hold a message (checked by [`GenConfig::validate`]).
pub fn packetize(cfg: &GenConfig, messages: &[Message]) -> Vec<MoldPacket> {
    let mut packets = Vec::new();
    let mut seq = cfg.first_seq;
    let mut last_time: Option<u64> = None;
    let mut rest = messages;
    while let Some(first) = rest.first() {
        let start = first.header.timestamp;
        if let Some(t) = last_time {
            if cfg.heartbeats && start > t + NS_PER_SEC {
                packets.push(MoldPacket::heartbeat(cfg.session, seq));
            }
        }
        let mut size = mold::HEADER_LEN;
        let mut taken = 0;
        for m in rest.iter().take(MAX_MESSAGES_PER_PACKET) {
            let in_burst = m.header.timestamp.saturating_sub(start) <= PACKET_WINDOW_NS;
            if size + 2 + m.len() > cfg.max_payload || !in_burst {
                break;
            }
            size += 2 + m.len();
            taken += 1;
        }
        assert!(
            taken > 0,
            "max_payload {} cannot hold a {}-byte message",
            cfg.max_payload,
            first.len()
        );
        let (chunk, tail) = rest.split_at(taken);
        packets.push(MoldPacket::new(
            cfg.session,
            seq,
            chunk.iter().map(Message::encode).collect(),
        ));
        seq += taken as u64;
        last_time = chunk.last().map(|m| m.header.timestamp);
        rest = tail;
    }
    if cfg.end_of_session {
        packets.push(MoldPacket::end_of_session(cfg.session, seq));
    }
    packets
}

/// Messages in a burst: many singles, some small bursts, a few large ones (up to 40).
fn burst_len(rng: &mut ChaCha8Rng) -> u32 {
    match rng.random_range(0..100) {
        0..40 => 1,
        40..65 => rng.random_range(2..=3),
        65..83 => rng.random_range(4..=8),
        83..94 => rng.random_range(9..=20),
        _ => rng.random_range(21..=40),
    }
}
/// Mean of [`burst_len`], near enough.
const MEAN_BURST: u64 = 5;

/// Wraps packets in UDP/IPv4 frames (see [`GenConfig::frame_spec`]; the IP ID increments per
/// frame). A data packet is stamped with its last message's time plus 2–4 µs of latency; a
/// heartbeat one second after the previous packet; an end of session 1 ms after it. Timestamps
/// never decrease.
pub fn to_frames(cfg: &GenConfig, packets: &[MoldPacket]) -> Result<Vec<CapturedFrame>, GenError> {
    let mut rng = rng_stream(cfg.seed, 2);
    let mut spec = cfg.frame_spec();
    let mut prev_ns = cfg.midnight_epoch_ns;
    let mut frames = Vec::with_capacity(packets.len());
    for (index, p) in packets.iter().enumerate() {
        let payload = p.encode();
        if payload.len() > MAX_UDP_PAYLOAD {
            return Err(GenError::PacketTooLarge {
                index,
                len: payload.len(),
            });
        }
        let last_ts = p
            .messages
            .last()
            .filter(|m| m.len() >= itch::HEADER_LEN)
            .map(|m| {
                let mut ts = [0u8; 8];
                ts[2..].copy_from_slice(&m[5..11]);
                u64::from_be_bytes(ts)
            });
        let ts_ns = match last_ts {
            Some(ts) => cfg.midnight_epoch_ns + ts + rng.random_range(2_000..4_000),
            None if p.end_of_session => prev_ns + 1_000_000,
            None => prev_ns + NS_PER_SEC,
        }
        .max(prev_ns);
        frames.push(CapturedFrame {
            ts_ns,
            data: spec.build(&payload),
        });
        spec.ip_id = spec.ip_id.wrapping_add(1);
        prev_ns = ts_ns;
    }
    Ok(frames)
}

/// How one line of a feed differs from the exchange's packet stream: packets it loses, sends
/// twice, or sends after the next one, and how late its copies leave.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineImpairments {
    /// Probability that a packet is missing on this line.
    pub loss: f64,
    /// Probability that a packet is sent twice on this line (the copy 1 µs later).
    pub dup: f64,
    /// Probability that a packet is sent after the packet that follows it on this line.
    pub reorder: f64,
    /// This line's copies leave this much later than the exchange stamped them.
    pub delay_ns: u64,
}

/// One feed on two lines: the same packets wrapped for line A (`cfg.dst`) and line B (`b_dst`),
/// each line impaired on its own ([`LineImpairments`], independent random streams from
/// `cfg.seed`). Each line's timestamps never decrease (a reordered packet takes the next one's
/// time, and that one its own).
pub fn to_lines(
    cfg: &GenConfig,
    packets: &[MoldPacket],
    b_dst: SocketAddrV4,
    a: &LineImpairments,
    b: &LineImpairments,
) -> Result<[Vec<CapturedFrame>; 2], GenError> {
    let frames_a = to_frames(cfg, packets)?;
    let frames_b = to_frames(&GenConfig { dst: b_dst, dst_mac: None, ..cfg.clone() }, packets)?;
    let mut out = [Vec::new(), Vec::new()];
    for (line, (frames, imp)) in [(frames_a, a), (frames_b, b)].into_iter().enumerate() {
        let mut rng = rng_stream(cfg.seed, 10 + line as u64);
        let mut kept: Vec<CapturedFrame> = Vec::with_capacity(frames.len());
        let mut i = 0;
        while i < frames.len() {
            let mut f = frames[i].clone();
            f.ts_ns += imp.delay_ns;
            if rng.random_bool(imp.loss) {
                i += 1;
                continue;
            }
            if i + 1 < frames.len() && rng.random_bool(imp.reorder) && !rng.random_bool(imp.loss) {
                // the next packet leaves first, at this one's time; this one at the next's
                let mut g = frames[i + 1].clone();
                g.ts_ns += imp.delay_ns;
                std::mem::swap(&mut f.data, &mut g.data);
                kept.push(f);
                kept.push(g);
                i += 2;
                continue;
            }
            let dup = rng.random_bool(imp.dup);
            let again = CapturedFrame { ts_ns: f.ts_ns + 1_000, data: f.data.clone() };
            kept.push(f);
            if dup {
                kept.push(again);
            }
            i += 1;
        }
        // keep each line's timestamps non-decreasing (a duplicate 1 µs later may pass the next)
        for j in 1..kept.len() {
            kept[j].ts_ns = kept[j].ts_ns.max(kept[j - 1].ts_ns);
        }
        out[line] = kept;
    }
    Ok(out)
}

fn rng_stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// Real NASDAQ-listed tickers: (ticker, kind) where kind picks the directory flags.
const TICKERS: &[(&str, Kind)] = &[
    ("AAPL", Kind::Stock),
    ("MSFT", Kind::Stock),
    ("NVDA", Kind::Stock),
    ("AMZN", Kind::Stock),
    ("QQQ", Kind::Etf),
    ("META", Kind::Stock),
    ("GOOGL", Kind::Stock),
    ("TSLA", Kind::Stock),
    ("AVGO", Kind::Stock),
    ("COST", Kind::Stock),
    ("TQQQ", Kind::Leveraged),
    ("SQQQ", Kind::Inverse),
    ("ASML", Kind::Adr),
    ("NFLX", Kind::Stock),
    ("AMD", Kind::Stock),
    ("PEP", Kind::Stock),
    ("ADBE", Kind::Stock),
    ("CSCO", Kind::Stock),
    ("INTC", Kind::Stock),
    ("CMCSA", Kind::Stock),
    ("TMUS", Kind::Stock),
    ("QCOM", Kind::Stock),
    ("TXN", Kind::Stock),
    ("INTU", Kind::Stock),
    ("AMGN", Kind::Stock),
    ("HON", Kind::Stock),
    ("AMAT", Kind::Stock),
    ("SBUX", Kind::Stock),
    ("BKNG", Kind::Stock),
    ("ISRG", Kind::Stock),
    ("MDLZ", Kind::Stock),
    ("GILD", Kind::Stock),
    ("ADP", Kind::Stock),
    ("VRTX", Kind::Stock),
    ("REGN", Kind::Stock),
    ("ADI", Kind::Stock),
    ("LRCX", Kind::Stock),
    ("MU", Kind::Stock),
    ("PYPL", Kind::Stock),
    ("PANW", Kind::Stock),
    ("SNPS", Kind::Stock),
    ("KLAC", Kind::Stock),
    ("CDNS", Kind::Stock),
    ("MELI", Kind::Stock),
    ("CSX", Kind::Stock),
    ("MAR", Kind::Stock),
    ("ORLY", Kind::Stock),
    ("MNST", Kind::Stock),
    ("CTAS", Kind::Stock),
    ("FTNT", Kind::Stock),
    ("ABNB", Kind::Stock),
    ("NXPI", Kind::Stock),
    ("CHTR", Kind::Stock),
    ("PCAR", Kind::Stock),
    ("PAYX", Kind::Stock),
    ("ROST", Kind::Stock),
    ("MRVL", Kind::Stock),
    ("CPRT", Kind::Stock),
    ("KHC", Kind::Stock),
    ("DXCM", Kind::Stock),
    ("BIIB", Kind::Stock),
    ("EA", Kind::Stock),
    ("FAST", Kind::Stock),
    ("CRWD", Kind::Stock),
    ("DDOG", Kind::Stock),
    ("TEAM", Kind::Stock),
    ("ZS", Kind::Stock),
    ("SIRI", Kind::Stock),
];

/// Market participant IDs used for `F` attribution and `L` positions.
const MPIDS: &[&str] = &[
    "GSCO", "MSCO", "JPMS", "UBSS", "CDRG", "VIRT", "NITE", "SUSQ", "CITD", "JANE",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Stock,
    Adr,
    Etf,
    Leveraged,
    Inverse,
}

#[derive(Debug, Clone)]
struct Symbol {
    ticker: [u8; 8],
    kind: Kind,
    locate: u16,
    tracking: u16,
    /// Mid price, 4 implied decimals.
    mid: u32,
}

impl Symbol {
    fn header(&self, timestamp: u64) -> Header {
        Header {
            stock_locate: self.locate,
            tracking_number: self.tracking,
            timestamp,
        }
    }
}

/// A live order of the book.
#[derive(Debug, Clone, Copy)]
struct Order {
    reference: u64,
    symbol: usize,
    side: u8,
    shares: u32,
    price: u32,
}

/// Live orders: a vector for seeded random picks (never iterate the map: its order is random)
/// and a map from reference number to position.
#[derive(Debug, Default)]
struct Book {
    orders: Vec<Order>,
    index: HashMap<u64, usize>,
}

impl Book {
    fn add(&mut self, order: Order) {
        let previous = self.index.insert(order.reference, self.orders.len());
        assert!(
            previous.is_none(),
            "order reference {} reused",
            order.reference
        );
        self.orders.push(order);
    }

    fn remove(&mut self, reference: u64) -> Order {
        let at = self.index.remove(&reference).expect("live order");
        let order = self.orders.swap_remove(at);
        if let Some(moved) = self.orders.get(at) {
            self.index.insert(moved.reference, at);
        }
        order
    }

    fn pick(&self, rng: &mut ChaCha8Rng) -> Option<Order> {
        if self.orders.is_empty() {
            return None;
        }
        Some(self.orders[rng.random_range(0..self.orders.len())])
    }

    /// Removes `shares` from a live order (deleting it when none remain).
    fn reduce(&mut self, reference: u64, shares: u32) {
        let at = self.index[&reference];
        let remaining = &mut self.orders[at].shares;
        assert!(shares <= *remaining, "overdrawn order {reference}");
        *remaining -= shares;
        if *remaining == 0 {
            self.remove(reference);
        }
    }
}

/// Relative weights of the stream's message types (system events only in preamble/closing).
const STREAM_WEIGHTS: &[(u8, u32)] = &[
    (b'A', 380),
    (b'F', 60),
    (b'E', 90),
    (b'C', 15),
    (b'X', 70),
    (b'D', 160),
    (b'U', 80),
    (b'P', 30),
    (b'I', 12),
    (b'N', 6),
    (b'H', 4),
    (b'Y', 3),
    (b'L', 3),
    (b'J', 3),
    (b'Q', 3),
    (b'K', 2),
    (b'h', 2),
    (b'B', 2),
    (b'O', 2),
    (b'V', 1),
    (b'W', 1),
];

struct FeedGen {
    rng: ChaCha8Rng,
    symbols: Vec<Symbol>,
    book: Book,
    now: u64,
    /// Mean gap between stream messages, ns.
    mean_gap: u64,
    /// Messages left in the current burst.
    burst_left: u32,
    next_ref: u64,
    next_match: u64,
    /// Recent match numbers, for broken trades.
    matches: Vec<u64>,
    seen: [bool; 256],
    out: Vec<Message>,
}

impl FeedGen {
    fn new(cfg: &GenConfig) -> FeedGen {
        let mut rng = rng_stream(cfg.seed, 0);
        let symbols = make_symbols(&mut rng, cfg.symbols);
        let stream = cfg
            .messages
            .saturating_sub(preamble_len(cfg.symbols))
            .max(1) as u64;
        // Fit the stream into the trading day (09:30..16:00), at most 200 µs apart on average.
        let mean_gap = ((hms(16, 0, 0) - hms(9, 30, 0)) * 9 / 10 / stream).clamp(2, 200_000);
        let next_ref = rng.random_range(1_000..100_000);
        let next_match = rng.random_range(10_000..1_000_000);
        let now = hms(3, 5, 0) + rng.random_range(0..NS_PER_SEC);
        FeedGen {
            rng,
            symbols,
            book: Book::default(),
            now,
            mean_gap,
            burst_left: 0,
            next_ref,
            next_match,
            matches: Vec::new(),
            seen: [false; 256],
            out: Vec::new(),
        }
    }

    fn run(mut self, messages: usize) -> Vec<Message> {
        let preamble = preamble_len(self.symbols.len());
        let rest = messages.saturating_sub(preamble);
        let closing = if rest >= 10 + 3 { 3 } else { 0 };
        self.preamble(messages.min(preamble));
        self.now = self.now.max(hms(9, 30, 0));
        for i in 0..rest - closing {
            self.advance();
            let forced = (i >= WARMUP && i % FORCE_EVERY == 0)
                .then(|| self.unseen_feasible())
                .flatten();
            let kind = forced.unwrap_or_else(|| self.weighted_kind());
            let (header, body) = match self.stream_message(kind) {
                Some(m) => m,
                None => self.add_order(false),
            };
            self.push(header, body);
        }
        if closing > 0 {
            for (at, code) in [
                (hms(16, 0, 0), b'M'),
                (hms(20, 0, 0), b'E'),
                (hms(20, 5, 0), b'C'),
            ] {
                self.now = self.now.max(at) + 1;
                self.push(self.system_header(), Body::SystemEvent { event_code: code });
            }
        }
        self.out
    }

    fn push(&mut self, header: Header, body: Body) {
        self.seen[usize::from(body.message_type())] = true;
        self.out.push(Message { header, body });
    }

    fn system_header(&self) -> Header {
        Header {
            stock_locate: 0,
            tracking_number: 0,
            timestamp: self.now,
        }
    }

    fn preamble(&mut self, limit: usize) {
        let mut plan: Vec<(u64, Option<usize>, u8)> = vec![(self.now, None, b'O')];
        for i in 0..self.symbols.len() {
            plan.push((0, Some(i), b'R'));
        }
        plan.push((hms(4, 0, 0), None, b'S'));
        plan.push((hms(9, 30, 0), None, b'Q'));
        for (at, symbol, code) in plan.into_iter().take(limit) {
            self.now = self.now.max(at) + self.rng.random_range(1_000..50_000);
            match symbol {
                Some(i) => {
                    let body = self.directory(i);
                    self.push(self.symbols[i].header(self.now), body);
                }
                None => self.push(self.system_header(), Body::SystemEvent { event_code: code }),
            }
        }
    }

    fn directory(&self, i: usize) -> Body {
        let s = &self.symbols[i];
        let (classification, sub_type, etp, leverage, inverse) = match s.kind {
            Kind::Stock => (b'C', "Z", b'N', 0, b'N'),
            Kind::Adr => (b'A', "Z", b'N', 0, b'N'),
            Kind::Etf => (b'Q', "I", b'Y', 1, b'N'),
            Kind::Leveraged => (b'Q', "I", b'Y', 3, b'N'),
            Kind::Inverse => (b'Q', "I", b'Y', 3, b'Y'),
        };
        Body::StockDirectory {
            stock: s.ticker,
            market_category: b'Q',
            financial_status_indicator: b'N',
            round_lot_size: 100,
            round_lots_only: b'N',
            issue_classification: classification,
            issue_sub_type: pad_alpha(sub_type),
            authenticity: b'P',
            short_sale_threshold_indicator: b'N',
            ipo_flag: b'N',
            luld_reference_price_tier: b'1',
            etp_flag: etp,
            etp_leverage_factor: leverage,
            inverse_indicator: inverse,
        }
    }

    /// Moves the clock. Messages come in bursts (one to 40 messages tens of ns to 1.5 µs apart,
    /// as after an order sweeps the book) separated by exponential silences, so that the average
    /// gap is `mean_gap`.
    fn advance(&mut self) {
        let gap = if self.burst_left > 0 {
            self.burst_left -= 1;
            self.rng.random_range(20..1_500).min(self.mean_gap)
        } else {
            self.burst_left = burst_len(&mut self.rng) - 1;
            let u: f64 = self.rng.random_range(f64::EPSILON..1.0);
            (-u.ln() * (self.mean_gap * MEAN_BURST) as f64) as u64
        };
        // Keep the stream inside the trading day, whatever the message count.
        let limit = hms(15, 59, 59);
        self.now = if self.now + gap < limit {
            self.now + gap.max(1)
        } else {
            self.now + 1
        };
    }

    fn weighted_kind(&mut self) -> u8 {
        let total: u32 = STREAM_WEIGHTS.iter().map(|(_, w)| w).sum();
        let mut r = self.rng.random_range(0..total);
        for &(code, w) in STREAM_WEIGHTS {
            if r < w {
                return code;
            }
            r -= w;
        }
        unreachable!("r < total")
    }

    /// The first message type not seen yet that can be produced now.
    fn unseen_feasible(&self) -> Option<u8> {
        MESSAGE_TYPES.into_iter().find(|&t| {
            !self.seen[usize::from(t)]
                && match t {
                    b'S' | b'R' => false, // preamble and closing only
                    b'E' | b'C' | b'D' | b'U' => !self.book.orders.is_empty(),
                    b'X' => self.book.orders.iter().any(|o| o.shares >= 2),
                    b'B' => !self.matches.is_empty(),
                    _ => true,
                }
        })
    }

    fn random_symbol(&mut self) -> usize {
        self.rng.random_range(0..self.symbols.len())
    }

    fn take_ref(&mut self) -> u64 {
        let r = self.next_ref;
        self.next_ref += self.rng.random_range(1..=4);
        r
    }

    fn take_match(&mut self) -> u64 {
        let m = self.next_match;
        self.next_match += self.rng.random_range(1..=3);
        if self.matches.len() >= 1024 {
            self.matches.remove(0);
        }
        self.matches.push(m);
        m
    }

    /// A price `ticks` cents away from the symbol's mid, on the passive side, at least one cent.
    fn price_near(&mut self, symbol: usize, side: u8, max_ticks: u32) -> u32 {
        let ticks = self
            .rng
            .random_range(0..=max_ticks)
            .min(self.rng.random_range(0..=max_ticks));
        let mid = self.symbols[symbol].mid;
        let price = if side == b'B' {
            mid.saturating_sub(ticks * 100)
        } else {
            mid + (ticks + 1) * 100
        };
        price.max(100)
    }

    fn shares(&mut self) -> u32 {
        match self.rng.random_range(0..100) {
            0..75 => 100 * [1, 1, 1, 2, 2, 3, 5, 10][self.rng.random_range(0..8)],
            75..90 => self.rng.random_range(1..100),
            _ => 100 * self.rng.random_range(10..=100),
        }
    }

    fn walk_mid(&mut self, symbol: usize) {
        let s = &mut self.symbols[symbol];
        match self.rng.random_range(0..10) {
            0 => s.mid = s.mid.saturating_sub(100).max(10_000),
            1 => s.mid += 100,
            _ => {}
        }
    }

    fn add_order(&mut self, attributed: bool) -> (Header, Body) {
        let symbol = self.random_symbol();
        self.walk_mid(symbol);
        let side = if self.rng.random_bool(0.5) {
            b'B'
        } else {
            b'S'
        };
        let order = Order {
            reference: self.take_ref(),
            symbol,
            side,
            shares: self.shares(),
            price: self.price_near(symbol, side, 15),
        };
        self.book.add(order);
        let s = &self.symbols[symbol];
        let header = s.header(self.now);
        let body = if attributed {
            let mpid = pick(&mut self.rng, MPIDS);
            Body::AddOrderMpid {
                order_reference_number: order.reference,
                buy_sell_indicator: side,
                shares: order.shares,
                stock: s.ticker,
                price: order.price,
                attribution: pad_alpha(mpid),
            }
        } else {
            Body::AddOrder {
                order_reference_number: order.reference,
                buy_sell_indicator: side,
                shares: order.shares,
                stock: s.ticker,
                price: order.price,
            }
        };
        (header, body)
    }

    /// A message of type `kind`, or `None` when the book cannot support it now.
    fn stream_message(&mut self, kind: u8) -> Option<(Header, Body)> {
        match kind {
            b'A' => Some(self.add_order(false)),
            b'F' => Some(self.add_order(true)),
            b'E' | b'C' | b'X' | b'D' | b'U' => self.book_event(kind),
            b'V' | b'W' | b'B' => self.market_event(kind),
            _ => {
                let symbol = self.random_symbol();
                let body = self.symbol_event(kind, symbol);
                Some((self.symbols[symbol].header(self.now), body))
            }
        }
    }

    /// An execution, cancel, delete or replace of a random live order; `None` if there is none
    /// that fits.
    fn book_event(&mut self, kind: u8) -> Option<(Header, Body)> {
        let o = if kind == b'X' {
            // A partial cancel needs more than one share left; try a few orders.
            (0..8)
                .filter_map(|_| self.book.pick(&mut self.rng))
                .find(|o| o.shares >= 2)?
        } else {
            self.book.pick(&mut self.rng)?
        };
        let order_reference_number = o.reference;
        let body = match kind {
            b'E' | b'C' => {
                let executed_shares = if self.rng.random_bool(0.6) {
                    o.shares
                } else {
                    self.rng.random_range(1..=o.shares)
                };
                self.book.reduce(o.reference, executed_shares);
                let match_number = self.take_match();
                self.walk_mid(o.symbol);
                if kind == b'E' {
                    Body::OrderExecuted {
                        order_reference_number,
                        executed_shares,
                        match_number,
                    }
                } else {
                    // Executed at a price other than the order's (e.g. in a cross).
                    let offset = self.rng.random_range(0..=3) * 100;
                    let execution_price = match o.side {
                        b'B' => o.price + offset,
                        _ => o.price.saturating_sub(offset).max(100),
                    };
                    let printable = if self.rng.random_bool(0.9) {
                        b'Y'
                    } else {
                        b'N'
                    };
                    Body::OrderExecutedWithPrice {
                        order_reference_number,
                        executed_shares,
                        match_number,
                        printable,
                        execution_price,
                    }
                }
            }
            b'X' => {
                let cancelled_shares = self.rng.random_range(1..o.shares);
                self.book.reduce(o.reference, cancelled_shares);
                Body::OrderCancel {
                    order_reference_number,
                    cancelled_shares,
                }
            }
            b'D' => {
                self.book.remove(o.reference);
                Body::OrderDelete {
                    order_reference_number,
                }
            }
            b'U' => {
                self.book.remove(o.reference);
                let new = Order {
                    reference: self.take_ref(),
                    shares: self.shares(),
                    price: self.price_near(o.symbol, o.side, 10),
                    ..o
                };
                self.book.add(new);
                Body::OrderReplace {
                    original_order_reference_number: o.reference,
                    new_order_reference_number: new.reference,
                    shares: new.shares,
                    price: new.price,
                }
            }
            other => unreachable!("not a book event: {:?}", other as char),
        };
        Some((self.symbols[o.symbol].header(self.now), body))
    }

    /// Market-wide messages (locate 0), and broken trades; `None` for a broken trade before any
    /// trade.
    fn market_event(&mut self, kind: u8) -> Option<(Header, Body)> {
        let body = match kind {
            b'V' => {
                // S&P 500 near 5,000 with 8 implied decimals; levels 7%, 13% and 20% below.
                let reference: u64 = self.rng.random_range(4_800..5_200) * 100_000_000;
                Body::MwcbDeclineLevel {
                    level1: reference * 93 / 100,
                    level2: reference * 87 / 100,
                    level3: reference * 80 / 100,
                }
            }
            b'W' => Body::MwcbStatus {
                breached_level: pick(&mut self.rng, b"123"),
            },
            b'B' => {
                if self.matches.is_empty() {
                    return None;
                }
                let match_number = pick(&mut self.rng, &self.matches);
                // Broken trades carry the security's locate.
                let symbol = self.random_symbol();
                return Some((
                    self.symbols[symbol].header(self.now),
                    Body::BrokenTrade { match_number },
                ));
            }
            other => unreachable!("not a market event: {:?}", other as char),
        };
        Some((self.system_header(), body))
    }

    /// A message about one security that does not touch the book: trades outside it (`P`, `Q`),
    /// imbalances, trading status and the like.
    fn symbol_event(&mut self, kind: u8, symbol: usize) -> Body {
        let Symbol {
            ticker: stock, mid, ..
        } = self.symbols[symbol];
        let rng = &mut self.rng;
        match kind {
            b'P' => {
                let price = self.price_near(symbol, b'S', 2);
                let shares = self.shares();
                // NASDAQ sends non-displayed executions with reference 0 and side 'B'.
                Body::Trade {
                    order_reference_number: 0,
                    buy_sell_indicator: b'B',
                    shares,
                    stock,
                    price,
                    match_number: self.take_match(),
                }
            }
            b'Q' => {
                let shares = u64::from(self.shares()) * self.rng.random_range(50..2_000);
                let cross_type = pick(&mut self.rng, b"OCHI");
                Body::CrossTrade {
                    shares,
                    stock,
                    cross_price: mid,
                    match_number: self.take_match(),
                    cross_type,
                }
            }
            b'I' => {
                let paired_shares = 100 * rng.random_range(100..50_000);
                let imbalance_shares = 100 * rng.random_range(0..5_000);
                Body::Noii {
                    paired_shares,
                    imbalance_shares,
                    imbalance_direction: if imbalance_shares == 0 {
                        b'N'
                    } else {
                        pick(rng, b"BSO")
                    },
                    stock,
                    far_price: mid + rng.random_range(0..20) * 100,
                    near_price: mid + rng.random_range(0..10) * 100,
                    current_reference_price: mid,
                    cross_type: pick(rng, b"OCH"),
                    price_variation_indicator: pick(rng, b"L123456789ABC "),
                }
            }
            b'N' => Body::RetailPriceImprovement {
                stock,
                interest_flag: pick(rng, b"BSAN"),
            },
            b'H' => {
                let (trading_state, reason) = pick(
                    rng,
                    &[
                        (b'T', ""),
                        (b'T', ""),
                        (b'H', "T1"),
                        (b'P', "LUDP"),
                        (b'Q', "LUDP"),
                    ],
                );
                Body::StockTradingAction {
                    stock,
                    trading_state,
                    reserved: b' ',
                    reason: pad_alpha(reason),
                }
            }
            b'Y' => Body::RegShoRestriction {
                stock,
                reg_sho_action: pick(rng, b"012"),
            },
            b'L' => Body::MarketParticipantPosition {
                mpid: pad_alpha(pick(rng, MPIDS)),
                stock,
                primary_market_maker: if rng.random_bool(0.2) { b'Y' } else { b'N' },
                market_maker_mode: b'N',
                market_participant_state: b'A',
            },
            b'K' => Body::IpoQuotingPeriodUpdate {
                stock,
                // Seconds since midnight: some time after noon.
                ipo_quotation_release_time: 12 * 3600 + rng.random_range(0..3_600),
                ipo_quotation_release_qualifier: if rng.random_bool(0.9) { b'A' } else { b'C' },
                ipo_price: mid,
            },
            b'J' => Body::LuldAuctionCollar {
                stock,
                auction_collar_reference_price: mid,
                upper_auction_collar_price: mid / 100 * 105,
                lower_auction_collar_price: mid / 100 * 95,
                auction_collar_extension: rng.random_range(0..=3),
            },
            b'h' => Body::OperationalHalt {
                stock,
                market_code: pick(rng, b"QBX"),
                operational_halt_action: pick(rng, b"HT"),
            },
            b'O' => Body::DirectListingCapitalRaise {
                stock,
                open_eligibility_status: if rng.random_bool(0.5) { b'Y' } else { b'N' },
                minimum_allowable_price: mid / 100 * 80,
                maximum_allowable_price: mid / 100 * 120,
                near_execution_price: mid,
                near_execution_time: self.now + rng.random_range(1..600) * NS_PER_SEC,
                lower_price_range_collar: mid / 100 * 90,
                upper_price_range_collar: mid / 100 * 110,
            },
            other => unreachable!("no stream rule for message type {:?}", other as char),
        }
    }
}

/// A uniformly chosen element of a slice.
///
/// # Panics
/// If `items` is empty.
fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// `n` securities sorted by ticker, with locates 1..=n: real tickers first (a seeded choice when
/// fewer are asked for), then made-up unique ones.
fn make_symbols(rng: &mut ChaCha8Rng, n: usize) -> Vec<Symbol> {
    let mut pool: Vec<(String, Kind)> = TICKERS.iter().map(|&(t, k)| (t.to_owned(), k)).collect();
    // Seeded partial shuffle: the first n entries are the choice.
    for i in 0..pool.len().min(n) {
        let j = rng.random_range(i..pool.len());
        pool.swap(i, j);
    }
    pool.truncate(n);
    let mut taken: std::collections::HashSet<String> =
        pool.iter().map(|(t, _)| t.clone()).collect();
    while pool.len() < n {
        let len = rng.random_range(3..=5);
        let ticker: String = (0..len)
            .map(|_| char::from(b'A' + rng.random_range(0..26u8)))
            .collect();
        if taken.insert(ticker.clone()) {
            pool.push((ticker, Kind::Stock));
        }
    }
    pool.sort_by(|a, b| a.0.cmp(&b.0));
    pool.into_iter()
        .enumerate()
        .map(|(i, (ticker, kind))| {
            // Log-uniform mid between $5 and $500, on a cent.
            let dollars = 5.0 * 100f64.powf(rng.random_range(0.0..1.0));
            let locate = (i + 1) as u16;
            Symbol {
                ticker: pad_alpha(&ticker),
                kind,
                locate,
                tracking: 1 + locate % 6,
                mid: (dollars * 100.0) as u32 * 100,
            }
        })
        .collect()
}
