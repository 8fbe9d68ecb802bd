//! MoldUDP64 re-request (retransmission): the request packet, a blocking client for the daemon's
//! gap recovery, a small server for tests and demos, and the conversion of recovered messages
//! into tick records ([`to_records`]).
//!
//! # The protocol (MoldUDP64 Protocol Specification V1.00, NASDAQ OMX, 07/07/2009)
//!
//! - A listener that detects a sequence gap sends a **Request Packet** by UDP to a configured
//!   re-request server (spec, "Request Packet"). All integers are big-endian:
//!
//!   | offset | size | field | spec |
//!   |---|---|---|---|
//!   | 0 | 10 | Session | alphanumeric: the session the request is for |
//!   | 10 | 8 | Sequence Number | the first requested sequence number |
//!   | 18 | 2 | Requested Message Count | the number of messages requested for retransmission |
//!
//! - "The response to a valid Request Packet is a standard Downstream Packet unicast back to the
//!   source of the retransmission request" (spec): the layout of [`crate::mold`] (session,
//!   sequence number of the first message, message count, length-prefixed message blocks). It
//!   starts at the requested sequence number and, being one downstream packet in one UDP
//!   datagram, carries at most what fits; a server may send fewer messages than requested.
//!   The spec's text does not spell that out as a rule: it follows from the single downstream
//!   packet, and it is what servers do (the open-source Nassau `MoldUDP64RequestServer` puts at
//!   most 1400 bytes of message blocks after the header; 1400 is also the default of
//!   [`ServerOptions::max_payload`], header included). A client therefore asks again for the
//!   remainder.
//! - The protocol has no negative acknowledgement: a request the server cannot serve (another
//!   session, a sequence number it does not have, a count of 0) simply gets no answer (Nassau
//!   sends nothing when it has no messages). Clients rely on timeouts and retries.
//! - Message count 0 is a heartbeat, 0xFFFF an end of session ("sent ... for a short while in
//!   place of Heartbeats ... While the End of Session messages persist, re-requests may be made
//!   on the current session", spec). Neither carries messages, so neither answers a request.
//! - Sequence numbers are those of the session's messages, the first being number 1 (Nassau
//!   ignores requests below 1); the [`Server`] gives message `i` of its list sequence number
//!   `i + 1`.
//!
//! # The client
//!
//! [`Client::fetch`] recovers a range of sequence numbers in **chunks** of at most
//! [`ClientOptions::max_per_request`] messages. Each chunk gets at most
//! [`ClientOptions::tries`] **tries**, each a window of [`ClientOptions::timeout_per_try`]:
//! a try begins with a request for the chunk's outstanding part; an answer that leaves part of
//! the chunk outstanding (a partial answer) is followed at once by a request for the rest, in
//! the same window. A window that closes with the chunk incomplete is a failed try. When a chunk
//! runs out of tries, `fetch` stops: later chunks are not requested, since recovered messages must
//! be contiguous from the start of the range. So one chunk takes at most `tries *
//! timeout_per_try`, and `fetch` at most that times the number of chunks; received messages are
//! never thrown away, even from a failed try.
//!
//! An answer is accepted when it comes from the server's address, is a well-formed data packet
//! (its header's message count equals its blocks, parsed by the card's rules in
//! [`crate::mold::decode_partial`], with no fault), is for the requested session, and contains the
//! next outstanding sequence number. Everything else is counted in [`Recovery::ignored`]: other
//! sessions or sources, heartbeats, end-of-session packets, malformed packets (ignored whole: the
//! same messages can be asked for again), and stale or duplicate answers (from an earlier try).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::filter::ItchFilter;
use crate::frame::MAX_UDP_PAYLOAD;
use crate::mold::{self, MoldHeader, END_OF_SESSION_COUNT, HEADER_LEN};
use crate::tick::{TickRecord, FLAG_LINE_B, FLAG_RECOVERED};

/// Size of a MoldUDP64 request packet.
pub const REQUEST_LEN: usize = 20;

/// Largest [`ClientOptions::timeout_per_try`] the client accepts: a retransmission that takes
/// longer than this is of no use to a live feed.
pub const MAX_TIMEOUT_PER_TRY: Duration = Duration::from_secs(60);

/// Receive buffer size: larger than any UDP payload, so no datagram is ever cut short.
const RECV_BUF: usize = 1 << 16;

/// How long the server thread blocks in one receive before it looks at its stop flag.
const SERVER_POLL: Duration = Duration::from_millis(10);

/// Errors from decoding a request packet.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RequestDecodeError {
    /// A request is exactly [`REQUEST_LEN`] bytes.
    #[error("MoldUDP64 request of {len} bytes: a request packet is exactly {REQUEST_LEN} bytes")]
    Length {
        /// Length of the rejected datagram payload.
        len: usize,
    },
}

/// A MoldUDP64 request packet: retransmit `count` messages of `session` from `sequence` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestPacket {
    /// Session, ASCII as on the wire (see [`crate::mold::session_from_str`]).
    pub session: [u8; 10],
    /// The first requested sequence number.
    pub sequence: u64,
    /// The number of messages requested.
    pub count: u16,
}

impl RequestPacket {
    /// The packet's 20 bytes, as sent to the re-request server.
    pub fn encode(&self) -> [u8; REQUEST_LEN] {
        let mut out = [0u8; REQUEST_LEN];
        out[0..10].copy_from_slice(&self.session);
        out[10..18].copy_from_slice(&self.sequence.to_be_bytes());
        out[18..20].copy_from_slice(&self.count.to_be_bytes());
        out
    }

    /// Parses a request packet; any length but [`REQUEST_LEN`] is an error. The fields are not
    /// judged (a server decides whether it can serve the request).
    pub fn decode(bytes: &[u8]) -> Result<RequestPacket, RequestDecodeError> {
        let b: &[u8; REQUEST_LEN] = bytes
            .try_into()
            .map_err(|_| RequestDecodeError::Length { len: bytes.len() })?;
        let mut session = [0u8; 10];
        session.copy_from_slice(&b[0..10]);
        let mut sequence = [0u8; 8];
        sequence.copy_from_slice(&b[10..18]);
        Ok(RequestPacket {
            session,
            sequence: u64::from_be_bytes(sequence),
            count: u16::from_be_bytes([b[18], b[19]]),
        })
    }
}

/// How a [`Client`] requests (see the module doc, "The client").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientOptions {
    /// Length of one try's window (non-zero, at most [`MAX_TIMEOUT_PER_TRY`]).
    pub timeout_per_try: Duration,
    /// Tries per chunk (at least 1).
    pub tries: u32,
    /// Most messages asked for in one request, which is also the chunk size (at least 1). Pick
    /// it so that a chunk's answers arrive well within one window: a server answers about 40
    /// ITCH messages per 1400-byte packet.
    pub max_per_request: u16,
}

impl Default for ClientOptions {
    /// 250 ms per try, 3 tries, 128 messages per request.
    fn default() -> Self {
        ClientOptions {
            timeout_per_try: Duration::from_millis(250),
            tries: 3,
            max_per_request: 128,
        }
    }
}

/// Errors of the re-request client: invalid options and socket failures. A server that does not
/// answer is no error: [`Recovery::missing`] says what is left.
#[derive(Debug, Error)]
pub enum RecoveryError {
    /// The client's options (or the server address) cannot work.
    #[error("MoldUDP64 re-request client for {server}: invalid options: {reason}")]
    Options {
        /// The re-request server.
        server: SocketAddr,
        /// What is wrong.
        reason: &'static str,
    },
    /// The client's UDP socket could not be bound.
    #[error("MoldUDP64 re-request client for {server}: cannot bind a UDP socket on {local}")]
    Bind {
        /// The re-request server.
        server: SocketAddr,
        /// The local address asked for.
        local: SocketAddr,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// A socket option (the receive timeout) or the local address could not be set or read.
    #[error("MoldUDP64 re-request client for {server}: cannot {what}")]
    Socket {
        /// The re-request server.
        server: SocketAddr,
        /// What the client was doing.
        what: &'static str,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// A request could not be sent.
    #[error("MoldUDP64 re-request client: cannot send a request to {server}")]
    Send {
        /// The re-request server.
        server: SocketAddr,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// Receiving answers failed (other than by a timeout).
    #[error("MoldUDP64 re-request client: receiving answers from {server} failed")]
    Receive {
        /// The re-request server.
        server: SocketAddr,
        /// The OS error.
        #[source]
        source: io::Error,
    },
}

/// What one [`Client::fetch`] recovered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recovery {
    /// The recovered messages, `(sequence number, message bytes)`, in sequence order and
    /// contiguous from the start of the requested range.
    pub messages: Vec<(u64, Vec<u8>)>,
    /// The sequence numbers not recovered: the tail of the requested range after the last
    /// recovered message; empty (`end..end`) when everything was recovered.
    pub missing: Range<u64>,
    /// Request packets sent.
    pub requests: u32,
    /// Answer packets accepted (each brought at least one new message).
    pub answers: u32,
    /// Packets received and not accepted (see the module doc).
    pub ignored: u32,
}

impl Recovery {
    /// True when every requested message was recovered.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// A blocking MoldUDP64 re-request client, one UDP socket talking to one re-request server.
pub struct Client {
    server: SocketAddr,
    opts: ClientOptions,
    socket: UdpSocket,
    buf: Vec<u8>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("server", &self.server)
            .field("local", &self.socket.local_addr().ok())
            .field("opts", &self.opts)
            .finish()
    }
}

impl Client {
    /// A client of the re-request server at `server`, on an ephemeral UDP port: on the loopback
    /// address of `server`'s family if `server` is a loopback address, else on the unspecified
    /// address (0.0.0.0 or ::). Answers come back to this socket (the spec's "unicast back to the
    /// source").
    pub fn new(server: SocketAddr, opts: ClientOptions) -> Result<Client, RecoveryError> {
        let invalid = |reason| Err(RecoveryError::Options { server, reason });
        if opts.tries == 0 {
            return invalid("tries must be at least 1");
        }
        if opts.max_per_request == 0 {
            return invalid("max_per_request must be at least 1");
        }
        if opts.timeout_per_try.is_zero() || opts.timeout_per_try > MAX_TIMEOUT_PER_TRY {
            return invalid("timeout_per_try must be non-zero and at most 60 s");
        }
        if server.ip().is_unspecified() || server.port() == 0 {
            return invalid("the server address needs a host and a port");
        }
        let ip = match (server.ip(), server.ip().is_loopback()) {
            (IpAddr::V4(_), true) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            (IpAddr::V4(_), false) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            (IpAddr::V6(_), true) => IpAddr::V6(Ipv6Addr::LOCALHOST),
            (IpAddr::V6(_), false) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        };
        let local = SocketAddr::new(ip, 0);
        let socket = UdpSocket::bind(local).map_err(|source| RecoveryError::Bind {
            server,
            local,
            source,
        })?;
        Ok(Client {
            server,
            opts,
            socket,
            buf: vec![0u8; RECV_BUF],
        })
    }

    /// The re-request server.
    pub fn server(&self) -> SocketAddr {
        self.server
    }

    /// The client's options.
    pub fn options(&self) -> ClientOptions {
        self.opts
    }

    /// The local address answers come to.
    pub fn local_addr(&self) -> Result<SocketAddr, RecoveryError> {
        self.socket
            .local_addr()
            .map_err(|source| RecoveryError::Socket {
                server: self.server,
                what: "read the local address",
                source,
            })
    }

    /// Recovers the messages `range` of `session` (see the module doc for the chunks, tries and
    /// what is accepted). An empty range sends nothing. Only socket failures are errors; what the
    /// server did not deliver is in [`Recovery::missing`].
    pub fn fetch(
        &mut self,
        session: [u8; 10],
        range: Range<u64>,
    ) -> Result<Recovery, RecoveryError> {
        let mut out = Recovery {
            missing: range.end..range.end,
            ..Recovery::default()
        };
        let mut next = range.start;
        while next < range.end {
            let chunk_end = range
                .end
                .min(next.saturating_add(u64::from(self.opts.max_per_request)));
            let mut tries = 0;
            while next < chunk_end {
                if tries == self.opts.tries {
                    out.missing = next..range.end;
                    return Ok(out);
                }
                tries += 1;
                // Checked by `new`: the timeout is at most a minute, so this cannot overflow.
                let deadline = Instant::now() + self.opts.timeout_per_try;
                self.request(session, next, chunk_end)?;
                out.requests += 1;
                while next < chunk_end {
                    let now = Instant::now();
                    if now >= deadline {
                        break;
                    }
                    let Some((len, from)) = self.receive(deadline - now)? else {
                        continue;
                    };
                    let accepted = from == self.server
                        && take_answer(
                            &self.buf[..len],
                            &session,
                            &mut next,
                            range.end,
                            &mut out.messages,
                        );
                    if !accepted {
                        out.ignored += 1;
                        continue;
                    }
                    out.answers += 1;
                    if next < chunk_end {
                        self.request(session, next, chunk_end)?;
                        out.requests += 1;
                    }
                }
            }
        }
        Ok(out)
    }

    /// Sends one request for `next..chunk_end` (at most `max_per_request` messages).
    fn request(&self, session: [u8; 10], next: u64, chunk_end: u64) -> Result<(), RecoveryError> {
        let count = u16::try_from(chunk_end - next).unwrap_or(u16::MAX);
        let packet = RequestPacket {
            session,
            sequence: next,
            count,
        }
        .encode();
        self.socket
            .send_to(&packet, self.server)
            .map(drop)
            .map_err(|source| RecoveryError::Send {
                server: self.server,
                source,
            })
    }

    /// Waits up to `wait` (non-zero) for one datagram; `None` if none came (or an ICMP error
    /// from an earlier send was reported instead, which some systems do on unconnected sockets).
    fn receive(&mut self, wait: Duration) -> Result<Option<(usize, SocketAddr)>, RecoveryError> {
        let server = self.server;
        self.socket
            .set_read_timeout(Some(wait))
            .map_err(|source| RecoveryError::Socket {
                server,
                what: "set the receive timeout",
                source,
            })?;
        match self.socket.recv_from(&mut self.buf) {
            Ok(got) => Ok(Some(got)),
            Err(e) => match e.kind() {
                io::ErrorKind::WouldBlock
                | io::ErrorKind::TimedOut
                | io::ErrorKind::Interrupted
                | io::ErrorKind::ConnectionRefused
                | io::ErrorKind::ConnectionReset => Ok(None),
                _ => Err(RecoveryError::Receive { server, source: e }),
            },
        }
    }
}

/// Takes the messages from `*next` on (below `end`) out of an answer, if it is an acceptable one
/// (module doc); returns whether it was.
fn take_answer(
    payload: &[u8],
    session: &[u8; 10],
    next: &mut u64,
    end: u64,
    out: &mut Vec<(u64, Vec<u8>)>,
) -> bool {
    let Ok(header) = MoldHeader::parse(payload) else {
        return false;
    };
    if header.session != *session
        || header.message_count == mold::HEARTBEAT_COUNT
        || header.message_count == END_OF_SESSION_COUNT
    {
        return false;
    }
    let Ok((packet, None)) = mold::decode_partial(payload) else {
        return false;
    };
    let count = packet.messages.len() as u64;
    if count != u64::from(header.message_count) {
        return false;
    }
    let first = packet.sequence_number;
    let Some(after) = first.checked_add(count) else {
        return false;
    };
    if first > *next || after <= *next {
        return false;
    }
    let skip = (*next - first) as usize;
    for (seq, msg) in (first..).zip(packet.messages).skip(skip) {
        if seq >= end {
            break;
        }
        out.push((seq, msg));
        *next = seq + 1;
    }
    true
}

/// Turns recovered messages into the tick records the host delivers for them: each decoded in
/// software by [`TickRecord::from_itch`] (as the card decodes), with `seq`, `feed` and `rx_ts_ns`
/// set, flag [`FLAG_RECOVERED`] set and [`FLAG_LINE_B`] clear. With a `filter` (the ring's ITCH
/// filters), only the records it passes are kept, as the card would have filtered the live copies.
///
/// Every other field is as `from_itch` makes it: in particular `valid` is 0 (the validity word is
/// a ring slot's producer index, and a recovered record never sat in a card ring slot), and no
/// frame flag (FRAME_END, GAP, LATE) is set: recovered records belong to no frame and must not be
/// fed to a [`crate::verdict::VerdictGate`]. Unknown types come out RAW; a ring whose card drops
/// unknown types (CTRL.drop_unknown) should drop RAW records itself.
pub fn to_records(
    feed: u8,
    recovered: &[(u64, Vec<u8>)],
    rx_ts_ns: u64,
    filter: Option<&ItchFilter>,
) -> Vec<TickRecord> {
    recovered
        .iter()
        .filter_map(|(seq, msg)| {
            let mut rec = TickRecord::from_itch(msg);
            if filter.is_some_and(|f| !f.passes(&rec)) {
                return None;
            }
            rec.seq = *seq;
            rec.feed = feed;
            rec.rx_ts_ns = rx_ts_ns;
            rec.flags = (rec.flags | FLAG_RECOVERED) & !FLAG_LINE_B;
            Some(rec)
        })
        .collect()
}

/// How a [`Server`] answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerOptions {
    /// Largest answer (MoldUDP64 packet, UDP payload) in bytes: at least the header plus the
    /// longest message block, at most one UDP datagram (65507).
    pub max_payload: usize,
    /// Most messages in one answer (at least 1; answers never hold more than 0xFFFE, since
    /// 0xFFFF is the end-of-session count).
    pub max_messages_per_answer: u16,
    /// Leave the first this many requests unanswered (to test retries).
    pub drop_first_requests: u32,
}

impl Default for ServerOptions {
    /// 1400-byte answers, no message cap beyond that, nothing dropped.
    fn default() -> Self {
        ServerOptions {
            max_payload: 1400,
            max_messages_per_answer: END_OF_SESSION_COUNT - 1,
            drop_first_requests: 0,
        }
    }
}

/// A small MoldUDP64 re-request server for tests and demos: one session's messages in memory,
/// served by a thread. Stopped (and its thread joined) on drop.
///
/// It answers a request of its session for sequence numbers it has (message `i` of its list has
/// sequence number `i + 1`) with one downstream packet starting at the requested sequence number,
/// holding as many messages as fit in `max_payload`, at most the requested count and
/// `max_messages_per_answer`. Like the protocol (module doc), it has no negative answer: a
/// request of another session, of a sequence number it does not have or for 0 messages, or a
/// datagram that is no request, gets nothing.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    counters: Arc<ServerCounters>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Debug, Default)]
struct ServerCounters {
    requests: AtomicU64,
    answers: AtomicU64,
}

impl Server {
    /// Binds `bind` (port 0: an ephemeral port, see [`Server::local_addr`]) and starts the
    /// serving thread. Invalid options (see [`ServerOptions`]) or messages longer than 65535
    /// bytes are an `InvalidInput` error.
    pub fn start(
        bind: SocketAddr,
        session: [u8; 10],
        messages: Vec<Vec<u8>>,
        opts: ServerOptions,
    ) -> io::Result<Server> {
        let invalid = |msg: String| Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
        let longest = messages.iter().map(Vec::len).max().unwrap_or(0);
        if longest > usize::from(u16::MAX) {
            return invalid(format!(
                "re-request server: a message of {longest} bytes does not fit a MoldUDP64 block"
            ));
        }
        let need = HEADER_LEN + 2 + longest;
        if opts.max_payload < need || opts.max_payload > MAX_UDP_PAYLOAD {
            return invalid(format!(
                "re-request server: max_payload = {} must be {need}..={MAX_UDP_PAYLOAD} (header and longest message)",
                opts.max_payload
            ));
        }
        if opts.max_messages_per_answer == 0 {
            return invalid(
                "re-request server: max_messages_per_answer must be at least 1".to_owned(),
            );
        }
        let socket = UdpSocket::bind(bind)?;
        socket.set_read_timeout(Some(SERVER_POLL))?;
        let addr = socket.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let counters = Arc::new(ServerCounters::default());
        let state = ServeState {
            socket,
            session,
            messages,
            opts,
            stop: stop.clone(),
            counters: counters.clone(),
        };
        let thread = std::thread::Builder::new()
            .name(format!("moldudp64-rerequest-{}", addr.port()))
            .spawn(move || state.run())?;
        Ok(Server {
            addr,
            stop,
            counters,
            thread: Some(thread),
        })
    }

    /// The address requests go to.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Request packets received so far (well-formed 20-byte requests, whether answered or not).
    pub fn requests(&self) -> u64 {
        self.counters.requests.load(Ordering::Acquire)
    }

    /// Answers sent so far (an answer is counted just before it is sent).
    pub fn answers(&self) -> u64 {
        self.counters.answers.load(Ordering::Acquire)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            // The thread never panics on input; a panic would be a bug, not worth a second one.
            let _ = t.join();
        }
    }
}

/// What the serving thread owns.
struct ServeState {
    socket: UdpSocket,
    session: [u8; 10],
    messages: Vec<Vec<u8>>,
    opts: ServerOptions,
    stop: Arc<AtomicBool>,
    counters: Arc<ServerCounters>,
}

impl ServeState {
    fn run(self) {
        let mut buf = vec![0u8; RECV_BUF];
        let mut dropped = 0u32;
        while !self.stop.load(Ordering::Acquire) {
            let (len, from) = match self.socket.recv_from(&mut buf) {
                Ok(got) => got,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                    ) =>
                {
                    continue
                }
                Err(_) => {
                    // e.g. an ICMP error for an earlier answer: nothing to do but not spin
                    std::thread::sleep(Duration::from_millis(1));
                    continue;
                }
            };
            let Ok(req) = RequestPacket::decode(&buf[..len]) else {
                continue;
            };
            self.counters.requests.fetch_add(1, Ordering::AcqRel);
            if dropped < self.opts.drop_first_requests {
                dropped += 1;
                continue;
            }
            if let Some(answer) = self.answer(&req) {
                // Counted before the send, so that a client holding the answer sees it counted;
                // taken back if the send fails (the client retries: that is its problem).
                self.counters.answers.fetch_add(1, Ordering::AcqRel);
                if self.socket.send_to(&answer, from).is_err() {
                    self.counters.answers.fetch_sub(1, Ordering::AcqRel);
                }
            }
        }
    }

    /// The answer to `req`, if it gets one (see [`Server`]).
    fn answer(&self, req: &RequestPacket) -> Option<Vec<u8>> {
        if req.session != self.session || req.count == 0 || req.sequence == 0 {
            return None;
        }
        let first = usize::try_from(req.sequence - 1).ok()?;
        let available = self.messages.get(first..)?;
        let cap = req
            .count
            .min(self.opts.max_messages_per_answer)
            .min(END_OF_SESSION_COUNT - 1);
        let mut size = HEADER_LEN;
        let mut n = 0usize;
        for m in available.iter().take(usize::from(cap)) {
            if size + 2 + m.len() > self.opts.max_payload {
                break;
            }
            size += 2 + m.len();
            n += 1;
        }
        if n == 0 {
            return None;
        }
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(&self.session);
        out.extend_from_slice(&req.sequence.to_be_bytes());
        out.extend_from_slice(&(n as u16).to_be_bytes());
        for m in &available[..n] {
            out.extend_from_slice(&(m.len() as u16).to_be_bytes());
            out.extend_from_slice(m);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(next: &mut u64, end: u64, payload: &[u8]) -> (bool, Vec<(u64, Vec<u8>)>) {
        let mut out = Vec::new();
        (
            take_answer(payload, b"SESSION001", next, end, &mut out),
            out,
        )
    }

    #[test]
    fn take_answer_rules() {
        let msgs: Vec<Vec<u8>> = (0..5u8)
            .map(|i| vec![b'S'; 12 + usize::from(i % 2)])
            .collect();
        let p = mold::MoldPacket::new(*b"SESSION001", 10, msgs.clone()).encode();
        // overlapping: takes from next, stops at end
        let mut next = 12;
        let (ok, got) = push(&mut next, 14, &p);
        assert!(ok);
        assert_eq!(got.iter().map(|m| m.0).collect::<Vec<_>>(), vec![12, 13]);
        assert_eq!(next, 14);
        // stale (all before next) and ahead (starts after next)
        let mut next = 15;
        assert!(!push(&mut next, 20, &p).0);
        let mut next = 9;
        assert!(!push(&mut next, 20, &p).0);
        // count mismatch
        let mut bad = p.clone();
        bad[19] = 4;
        let mut next = 10;
        assert!(!push(&mut next, 20, &bad).0);
        // sequence overflow
        let mut wrap = mold::MoldPacket::new(*b"SESSION001", u64::MAX - 1, msgs).encode();
        let mut next = u64::MAX - 1;
        assert!(!push(&mut next, u64::MAX, &wrap).0);
        wrap.truncate(25);
        assert!(!push(&mut next, u64::MAX, &wrap).0);
        assert_eq!(next, u64::MAX - 1, "nothing taken from rejected packets");
    }
}
