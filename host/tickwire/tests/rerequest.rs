//! MoldUDP64 re-request: the request packet, the client against the test server (and against a
//! misbehaving one) on loopback, and the recovered tick records.
//!
//! Timing: tests assert counts and contents only, never durations. Where an answer is expected
//! the per-try timeout is generous, so a loaded machine does not turn a late answer into a retry.

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use tickwire::filter::{type_mask, ItchFilter};
use tickwire::gen::{self, GenConfig};
use tickwire::mold::MoldPacket;
use tickwire::rerequest::{
    to_records, Client, ClientOptions, RecoveryError, RequestDecodeError, RequestPacket, Server,
    ServerOptions, REQUEST_LEN,
};
use tickwire::tick::{TickRecord, FLAG_LINE_B, FLAG_RECOVERED};

const SESSION: [u8; 10] = *b"TICKWIRE01";
const OTHER: [u8; 10] = *b"OTHERSESS1";

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// `n` real ITCH messages from the generator, as wire bytes (message i has sequence i + 1).
fn messages(n: usize) -> Vec<Vec<u8>> {
    let cfg = GenConfig {
        messages: n,
        ..GenConfig::default()
    };
    gen::generate_messages(&cfg)
        .unwrap()
        .iter()
        .map(|m| m.encode())
        .collect()
}

fn server(msgs: &[Vec<u8>], opts: ServerOptions) -> Server {
    Server::start(loopback(), SESSION, msgs.to_vec(), opts).unwrap()
}

/// Options for tests that expect answers: a try's window far longer than a loopback round trip.
fn patient(max_per_request: u16) -> ClientOptions {
    ClientOptions {
        timeout_per_try: Duration::from_secs(2),
        tries: 3,
        max_per_request,
    }
}

/// Options for tests where no answer comes: short windows.
fn impatient(tries: u32, max_per_request: u16) -> ClientOptions {
    ClientOptions {
        timeout_per_try: Duration::from_millis(30),
        tries,
        max_per_request,
    }
}

/// Waits (bounded) until `f` holds: the server counts requests on its own thread.
fn eventually(f: impl Fn() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    f()
}

fn expect_range(got: &[(u64, Vec<u8>)], msgs: &[Vec<u8>], range: std::ops::Range<u64>) {
    assert_eq!(got.len() as u64, range.end - range.start);
    for ((seq, m), want) in got.iter().zip(range) {
        assert_eq!(*seq, want);
        assert_eq!(m, &msgs[(want - 1) as usize], "message {want}");
    }
}

// ---------------------------------------------------------------------------------------------
// Request packet

#[test]
fn request_packet_round_trip() {
    let req = RequestPacket {
        session: SESSION,
        sequence: 0x0102_0304_0506_0708,
        count: 0x0A0B,
    };
    let bytes = req.encode();
    assert_eq!(bytes.len(), REQUEST_LEN);
    assert_eq!(&bytes[0..10], b"TICKWIRE01");
    assert_eq!(
        &bytes[10..18],
        &[1, 2, 3, 4, 5, 6, 7, 8],
        "sequence number, big-endian"
    );
    assert_eq!(&bytes[18..20], &[0x0A, 0x0B], "requested count, big-endian");
    assert_eq!(RequestPacket::decode(&bytes), Ok(req));
    let max = RequestPacket {
        session: [b' '; 10],
        sequence: u64::MAX,
        count: u16::MAX,
    };
    assert_eq!(RequestPacket::decode(&max.encode()), Ok(max));
}

#[test]
fn request_packet_bad_lengths() {
    let good = RequestPacket {
        session: SESSION,
        sequence: 7,
        count: 3,
    }
    .encode();
    for len in [0, 1, 19, 21, 40] {
        let mut bytes = good.to_vec();
        bytes.resize(len, 0);
        let err = RequestPacket::decode(&bytes).unwrap_err();
        assert_eq!(err, RequestDecodeError::Length { len });
        assert!(err.to_string().contains(&format!("{len} bytes")), "{err}");
    }
}

// ---------------------------------------------------------------------------------------------
// Server, driven by hand

fn raw_request(sock: &UdpSocket, to: SocketAddr, session: [u8; 10], sequence: u64, count: u16) {
    sock.send_to(
        &RequestPacket {
            session,
            sequence,
            count,
        }
        .encode(),
        to,
    )
    .unwrap();
}

fn raw_answer(sock: &UdpSocket) -> MoldPacket {
    let mut buf = vec![0u8; 65536];
    let (len, _) = sock.recv_from(&mut buf).expect("an answer");
    tickwire::mold::decode(&buf[..len]).unwrap()
}

#[test]
fn server_answers_from_the_requested_sequence_within_count_and_payload() {
    let msgs = messages(300);
    let srv = server(&msgs, ServerOptions::default());
    let sock = UdpSocket::bind(loopback()).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();

    // few requested: exactly those
    raw_request(&sock, srv.local_addr(), SESSION, 5, 3);
    let p = raw_answer(&sock);
    assert_eq!(
        (p.session, p.sequence_number, p.messages.len()),
        (SESSION, 5, 3)
    );
    assert_eq!(p.messages, msgs[4..7]);

    // many requested: as many as fit in 1400 bytes, no more
    raw_request(&sock, srv.local_addr(), SESSION, 20, 200);
    let p = raw_answer(&sock);
    assert_eq!(p.sequence_number, 20);
    assert!(p.encoded_len() <= 1400, "{} bytes", p.encoded_len());
    let n = p.messages.len();
    assert!(n > 1 && n < 200);
    assert!(
        p.encoded_len() + 2 + msgs[19 + n].len() > 1400,
        "the next message would not have fit"
    );
    assert_eq!(p.messages, msgs[19..19 + n]);

    // the message cap
    let capped = server(
        &msgs,
        ServerOptions {
            max_messages_per_answer: 7,
            ..ServerOptions::default()
        },
    );
    raw_request(&sock, capped.local_addr(), SESSION, 1, 100);
    assert_eq!(raw_answer(&sock).messages, msgs[0..7]);

    // the end of the list
    raw_request(&sock, srv.local_addr(), SESSION, 299, 50);
    assert_eq!(raw_answer(&sock).messages, msgs[298..300]);
    assert_eq!(srv.requests(), 3);
    assert_eq!(srv.answers(), 3);
}

#[test]
fn server_leaves_unservable_requests_unanswered() {
    let msgs = messages(50);
    let srv = server(&msgs, ServerOptions::default());
    let sock = UdpSocket::bind(loopback()).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let to = srv.local_addr();
    raw_request(&sock, to, OTHER, 1, 10); // another session
    raw_request(&sock, to, SESSION, 0, 10); // sequence numbers start at 1
    raw_request(&sock, to, SESSION, 51, 10); // past the end
    raw_request(&sock, to, SESSION, u64::MAX, 10);
    raw_request(&sock, to, SESSION, 3, 0); // nothing requested
    sock.send_to(b"not a request", to).unwrap();
    raw_request(&sock, to, SESSION, 9, 2);
    // The server handles datagrams in order: if the first answer is the one to the last
    // request, none of the others was answered.
    let p = raw_answer(&sock);
    assert_eq!((p.sequence_number, p.messages.len()), (9, 2));
    assert_eq!(srv.requests(), 6, "the non-request is not counted");
    assert_eq!(srv.answers(), 1);
}

#[test]
fn server_rejects_options_that_cannot_work() {
    let msgs = messages(20);
    let tiny = ServerOptions {
        max_payload: 30,
        ..ServerOptions::default()
    };
    let err = Server::start(loopback(), SESSION, msgs.clone(), tiny).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("max_payload = 30"), "{err}");
    let zero = ServerOptions {
        max_messages_per_answer: 0,
        ..ServerOptions::default()
    };
    assert!(Server::start(loopback(), SESSION, msgs, zero).is_err());
}

// ---------------------------------------------------------------------------------------------
// Client against the server

#[test]
fn full_recovery_across_partial_answers() {
    let msgs = messages(700);
    // at most 40 messages per answer (and 1400 bytes): a 200-message chunk takes several answers
    let srv = server(
        &msgs,
        ServerOptions {
            max_messages_per_answer: 40,
            ..ServerOptions::default()
        },
    );
    let mut client = Client::new(srv.local_addr(), patient(200)).unwrap();
    let rec = client.fetch(SESSION, 101..601).unwrap();
    assert!(rec.is_complete(), "missing {:?}", rec.missing);
    assert!(rec.missing.is_empty());
    expect_range(&rec.messages, &msgs, 101..601);
    assert!(
        rec.answers >= 500 / 40,
        "{} answers: every one partial",
        rec.answers
    );
    assert!(rec.requests >= rec.answers);
    assert_eq!(rec.ignored, 0);
    assert!(eventually(|| srv.requests() == u64::from(rec.requests)));
}

#[test]
fn empty_range_sends_nothing() {
    let srv = server(&messages(10), ServerOptions::default());
    let mut client = Client::new(srv.local_addr(), patient(10)).unwrap();
    let rec = client.fetch(SESSION, 5..5).unwrap();
    assert!(rec.is_complete() && rec.messages.is_empty());
    assert_eq!((rec.requests, rec.answers, rec.ignored), (0, 0, 0));
}

#[test]
fn retries_when_the_server_drops_the_first_requests() {
    let msgs = messages(40);
    let srv = server(
        &msgs,
        ServerOptions {
            drop_first_requests: 2,
            ..ServerOptions::default()
        },
    );
    let opts = ClientOptions {
        timeout_per_try: Duration::from_millis(500),
        tries: 3,
        max_per_request: 100,
    };
    let mut client = Client::new(srv.local_addr(), opts).unwrap();
    let rec = client.fetch(SESSION, 3..13).unwrap();
    assert!(rec.is_complete(), "missing {:?}", rec.missing);
    expect_range(&rec.messages, &msgs, 3..13);
    assert_eq!(
        (rec.requests, rec.answers),
        (3, 1),
        "two tries unanswered, the third answered whole"
    );
    assert_eq!(srv.requests(), 3);
    assert_eq!(srv.answers(), 1);
}

#[test]
fn tries_run_out_when_every_request_is_dropped() {
    let msgs = messages(40);
    let srv = server(
        &msgs,
        ServerOptions {
            drop_first_requests: 3,
            ..ServerOptions::default()
        },
    );
    let mut client = Client::new(srv.local_addr(), impatient(3, 100)).unwrap();
    let rec = client.fetch(SESSION, 3..13).unwrap();
    assert!(rec.messages.is_empty());
    assert_eq!(rec.missing, 3..13);
    assert_eq!((rec.requests, rec.answers, rec.ignored), (3, 0, 0));
    assert!(eventually(|| srv.requests() == 3));
}

#[test]
fn range_beyond_the_server_leaves_exactly_the_tail_missing() {
    let msgs = messages(100);
    let srv = server(&msgs, ServerOptions::default());
    let opts = ClientOptions {
        timeout_per_try: Duration::from_millis(200),
        tries: 2,
        max_per_request: 50,
    };
    let mut client = Client::new(srv.local_addr(), opts).unwrap();
    let rec = client.fetch(SESSION, 90..130).unwrap();
    expect_range(&rec.messages, &msgs, 90..101);
    assert_eq!(rec.missing, 101..130);
    assert!(!rec.is_complete());
    assert_eq!(rec.answers, 1);
    // try 1: the request, then at once one for the rest; try 2: one more
    assert_eq!(rec.requests, 3);
    assert!(eventually(|| srv.requests() == 3));
}

#[test]
fn chunks_after_a_failed_chunk_are_not_requested() {
    let msgs = messages(100);
    let srv = server(&msgs, ServerOptions::default());
    let mut client = Client::new(srv.local_addr(), impatient(2, 10)).unwrap();
    // 101.. does not exist: the first chunk fails, the next 9 chunks are never asked for
    let rec = client.fetch(SESSION, 101..201).unwrap();
    assert_eq!(rec.missing, 101..201);
    assert_eq!((rec.requests, rec.answers), (2, 0));
}

#[test]
fn wrong_session_gets_nothing() {
    let msgs = messages(30);
    let srv = server(&msgs, ServerOptions::default());
    let mut client = Client::new(srv.local_addr(), impatient(4, 100)).unwrap();
    let rec = client.fetch(OTHER, 1..11).unwrap();
    assert_eq!(rec.missing, 1..11);
    assert!(rec.messages.is_empty());
    assert_eq!((rec.requests, rec.answers, rec.ignored), (4, 0, 0));
    assert!(eventually(|| srv.requests() == 4));
    assert_eq!(srv.answers(), 0);
}

#[test]
fn timeouts_are_bounded_by_tries_not_by_waiting() {
    // A socket that receives requests and never answers.
    let silent = UdpSocket::bind(loopback()).unwrap();
    let mut client = Client::new(silent.local_addr().unwrap(), impatient(5, 100)).unwrap();
    let rec = client.fetch(SESSION, 1..1001).unwrap();
    assert_eq!(rec.missing, 1..1001);
    assert_eq!((rec.requests, rec.answers, rec.ignored), (5, 0, 0));
    silent
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = [0u8; 64];
    for _ in 0..5 {
        let (len, _) = silent.recv_from(&mut buf).unwrap();
        let req = RequestPacket::decode(&buf[..len]).unwrap();
        assert_eq!(
            (req.session, req.sequence, req.count),
            (SESSION, 1, 100),
            "the first chunk, every try"
        );
    }
}

/// A misbehaving server: answers the first request with junk of every kind, then the real answer.
#[test]
fn client_ignores_other_sessions_heartbeats_stale_and_malformed_answers() {
    let msgs = messages(40);
    let rogue = UdpSocket::bind(loopback()).unwrap();
    let stranger = UdpSocket::bind(loopback()).unwrap();
    let addr = rogue.local_addr().unwrap();
    let m = msgs.clone();
    let t = std::thread::spawn(move || {
        rogue
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut buf = [0u8; 64];
        let (len, client) = rogue.recv_from(&mut buf).unwrap();
        let req = RequestPacket::decode(&buf[..len]).unwrap();
        assert_eq!((req.sequence, req.count), (11, 10));
        let answer = |session, seq: u64| {
            MoldPacket::new(
                session,
                seq,
                m[(seq - 1) as usize..(seq + 9) as usize].to_vec(),
            )
            .encode()
        };
        let mut junk = vec![
            answer(OTHER, 11),                                // another session
            MoldPacket::heartbeat(SESSION, 41).encode(),      // heartbeat
            MoldPacket::end_of_session(SESSION, 41).encode(), // end of session
            answer(SESSION, 1),                               // stale: all before 11
            answer(SESSION, 12),                              // ahead: does not start at 11
            b"short".to_vec(),                                // no header
        ];
        let mut cut = answer(SESSION, 11);
        cut.truncate(cut.len() - 3); // last block truncated
        junk.push(cut);
        let mut miscount = answer(SESSION, 11);
        miscount[19] = 9; // header says 9, 10 blocks follow
        junk.push(miscount);
        for j in &junk {
            rogue.send_to(j, client).unwrap();
        }
        stranger.send_to(&answer(SESSION, 11), client).unwrap(); // right content, wrong source
                                                                 // the stranger's datagram must reach the client before the real answer
        std::thread::sleep(Duration::from_millis(50));
        rogue.send_to(&answer(SESSION, 11), client).unwrap();
        junk.len() as u32 + 1
    });
    let mut client = Client::new(addr, patient(100)).unwrap();
    let rec = client.fetch(SESSION, 11..21).unwrap();
    let junk = t.join().unwrap();
    assert!(rec.is_complete(), "missing {:?}", rec.missing);
    expect_range(&rec.messages, &msgs, 11..21);
    assert_eq!((rec.requests, rec.answers, rec.ignored), (1, 1, junk));
}

#[test]
fn client_rejects_options_that_cannot_work() {
    let server: SocketAddr = "127.0.0.1:9".parse().unwrap();
    for (opts, what) in [
        (
            ClientOptions {
                tries: 0,
                ..ClientOptions::default()
            },
            "tries",
        ),
        (
            ClientOptions {
                max_per_request: 0,
                ..ClientOptions::default()
            },
            "max_per_request",
        ),
        (
            ClientOptions {
                timeout_per_try: Duration::ZERO,
                ..ClientOptions::default()
            },
            "timeout_per_try",
        ),
    ] {
        let err = Client::new(server, opts).unwrap_err();
        assert!(matches!(err, RecoveryError::Options { .. }));
        let msg = err.to_string();
        assert!(msg.contains(what) && msg.contains("127.0.0.1:9"), "{msg}");
    }
    let err = Client::new("0.0.0.0:26477".parse().unwrap(), ClientOptions::default()).unwrap_err();
    assert!(err.to_string().contains("0.0.0.0:26477"), "{err}");
}

#[test]
fn client_binds_the_servers_family() {
    let client = Client::new("127.0.0.1:9".parse().unwrap(), ClientOptions::default()).unwrap();
    assert!(client.local_addr().unwrap().ip().is_loopback());
    if UdpSocket::bind("[::1]:0").is_ok() {
        let client = Client::new("[::1]:9".parse().unwrap(), ClientOptions::default()).unwrap();
        assert!(client.local_addr().unwrap().is_ipv6());
    }
}

// ---------------------------------------------------------------------------------------------
// Recovered records

#[test]
fn to_records_sets_seq_feed_timestamp_and_flags() {
    let msgs = messages(300);
    let recovered: Vec<(u64, Vec<u8>)> = msgs
        .iter()
        .enumerate()
        .map(|(i, m)| (1000 + i as u64, m.clone()))
        .collect();
    let recs = to_records(3, &recovered, 123_456_789, None);
    assert_eq!(recs.len(), msgs.len());
    for (rec, (seq, m)) in recs.iter().zip(&recovered) {
        assert_eq!(rec.seq, *seq);
        assert_eq!(rec.feed, 3);
        assert_eq!(rec.rx_ts_ns, 123_456_789);
        assert_ne!(rec.flags & FLAG_RECOVERED, 0);
        assert_eq!(rec.flags & FLAG_LINE_B, 0);
        assert_eq!(rec.line(), 0);
        assert!(
            rec.is_message() && !rec.is_raw(),
            "generated messages all decode"
        );
        assert_eq!(rec.valid, 0, "never sat in a ring slot");
        // everything else exactly as the software decoder makes it
        let mut want = TickRecord::from_itch(m);
        want.seq = *seq;
        want.feed = 3;
        want.rx_ts_ns = 123_456_789;
        want.flags |= FLAG_RECOVERED;
        assert_eq!(*rec, want);
    }
    // a message of no ITCH type stays a (recovered) raw record
    let raw = to_records(0, &[(7, vec![b'z'; 20])], 1, None);
    assert!(raw[0].is_raw() && raw[0].flags & FLAG_RECOVERED != 0 && raw[0].seq == 7);
}

#[test]
fn to_records_applies_the_rings_filter() {
    let msgs = messages(2000);
    let recovered: Vec<(u64, Vec<u8>)> = msgs
        .iter()
        .enumerate()
        .map(|(i, m)| (i as u64 + 1, m.clone()))
        .collect();
    // adds of locate 2 only, plus stock directory records (never locate-checked)
    let mut filter = ItchFilter {
        types: type_mask(b"AFR"),
        locate_types: type_mask(b"AF"),
        ..ItchFilter::default()
    };
    filter.locates.set(2, true);
    let recs = to_records(1, &recovered, 5, Some(&filter));
    // expectation from the wire bytes, independently of the filter code
    let want: Vec<u64> = recovered
        .iter()
        .filter(|(_, m)| match m[0] {
            b'A' | b'F' => u16::from_be_bytes([m[1], m[2]]) == 2,
            b'R' => true,
            _ => false,
        })
        .map(|(s, _)| *s)
        .collect();
    assert!(
        want.iter().any(|&s| msgs[(s - 1) as usize][0] == b'A'),
        "the feed has adds of locate 2"
    );
    assert_eq!(recs.iter().map(|r| r.seq).collect::<Vec<_>>(), want);
    assert!(recs
        .iter()
        .all(|r| r.flags & FLAG_RECOVERED != 0 && r.feed == 1));
    assert!(to_records(1, &recovered, 5, Some(&ItchFilter::default())).len() == msgs.len());
}
