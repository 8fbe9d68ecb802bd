//! Kernel path (see docs/benchmarks.md): the feed's MoldUDP64 packets sent over loopback UDP by a
//! sender thread, received with `recvmmsg` (batches of 64) by this process's main thread, decoded
//! in software; the figure is the receiving thread's CPU time per message (getrusage
//! RUSAGE_THREAD, user + system), taken around the receive-and-decode stretches only.
//!
//! `kernel_path <messages> <lean|reference> [drain|stream]`:
//! - `lean`: what a minimal feed handler does, the same fields the card path reads: MoldUDP64
//!   header (`mold::MoldHeader::parse`), then per message block the sequence number, type, stock
//!   locate and timestamp;
//! - `reference`: the reference decoder, `mold::decode_partial` then `itch::decode` of every
//!   message (allocates: a `Vec` per message and a `Decoded` with its fields).
//!
//! No packet may be lost: the sender sends the feed in rounds of at most `ROUND` packets (far less
//! than the socket buffer holds) and waits until the receiver has drained each round; the
//! receiver checks packet, message and sequence counts, and reports drops (UDP RcvbufErrors and
//! missing packets) instead of waiting forever. The receiver's CPU time is summed over the drain
//! stretches, while the socket already holds the round: full batches, the kernel path at its
//! cheapest.
//!
//! Pacing `stream` instead: the sender sends continuously (at most `WINDOW` packets ahead) and
//! the receiver's CPU time is taken around the whole receive loop, blocking and wake-ups
//! included: an ordinary receiver fed as fast as one sender thread on loopback can go.
//!
//! Prints one `key=value` line. Not a test: it asserts no timing.

#[path = "../benches/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::net::UdpSocket;
use std::os::fd::AsRawFd;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use tickwire::{itch, mold};

/// Datagrams per recvmmsg call.
const BATCH: usize = 64;
/// Packets per round (the socket buffer is sized for many times this).
const ROUND: usize = 2048;
/// Receive buffer per datagram (a MoldUDP64 packet fits one 1500-byte MTU datagram).
const DGRAM: usize = 2048;
/// Stream pacing: most packets the sender may be ahead of the receiver.
const WINDOW: usize = 8192;
/// Socket receive buffer asked for.
const RCVBUF: libc::c_int = 64 << 20;

fn usage() -> ExitCode {
    eprintln!("usage: kernel_path <messages> <lean|reference> [drain|stream]");
    ExitCode::from(2)
}

#[path = "../benches/common/rusage.rs"]
mod rusage;
use rusage::thread_cpu_ns;

fn set_int_opt(sock: &UdpSocket, level: libc::c_int, name: libc::c_int, value: libc::c_int) -> bool {
    // SAFETY: the fd is a live socket; the option value is a c_int of the size passed.
    let rc = unsafe {
        libc::setsockopt(
            sock.as_raw_fd(),
            level,
            name,
            (&value as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    rc == 0
}

/// UDP receive-buffer errors of the whole host (/proc/net/snmp `Udp: RcvbufErrors`).
fn udp_rcvbuf_errors() -> Option<u64> {
    let snmp = std::fs::read_to_string("/proc/net/snmp").ok()?;
    let mut lines = snmp.lines().filter(|l| l.starts_with("Udp:"));
    let (names, values) = (lines.next()?, lines.next()?);
    let i = names.split_whitespace().position(|n| n == "RcvbufErrors")?;
    values.split_whitespace().nth(i)?.parse().ok()
}

/// Receive buffers and the recvmmsg headers pointing into them.
struct Batch {
    bufs: Vec<[u8; DGRAM]>,
    iovs: Vec<libc::iovec>,
    hdrs: Vec<libc::mmsghdr>,
}

impl Batch {
    fn new() -> Box<Self> {
        let mut b = Box::new(Batch {
            bufs: vec![[0u8; DGRAM]; BATCH],
            iovs: Vec::with_capacity(BATCH),
            hdrs: Vec::with_capacity(BATCH),
        });
        for i in 0..BATCH {
            let base = b.bufs[i].as_mut_ptr().cast();
            b.iovs.push(libc::iovec {
                iov_base: base,
                iov_len: DGRAM,
            });
        }
        for i in 0..BATCH {
            // SAFETY: an all-zero mmsghdr is a valid value of this plain C struct.
            let mut h: libc::mmsghdr = unsafe { std::mem::zeroed() };
            h.msg_hdr.msg_iov = &mut b.iovs[i];
            h.msg_hdr.msg_iovlen = 1;
            b.hdrs.push(h);
        }
        b
    }

    /// Blocking recvmmsg of up to `max` datagrams (at least one); `None` on timeout.
    fn recv(&mut self, sock: &UdpSocket, max: usize) -> Option<usize> {
        let n = max.min(BATCH);
        // SAFETY: `hdrs[..n]` point at `iovs`/`bufs` owned by `self`, valid and writable for
        // DGRAM bytes each; they are not moved while the call runs (the Vecs are not resized).
        let got = unsafe {
            libc::recvmmsg(
                sock.as_raw_fd(),
                self.hdrs.as_mut_ptr(),
                n as libc::c_uint,
                libc::MSG_WAITFORONE,
                std::ptr::null_mut(),
            )
        };
        if got < 0 {
            let err = std::io::Error::last_os_error();
            if matches!(err.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) {
                return None;
            }
            panic!("recvmmsg: {err}");
        }
        Some(got as usize)
    }

    fn datagram(&self, i: usize) -> &[u8] {
        &self.bufs[i][..self.hdrs[i].msg_len as usize]
    }
}

#[derive(Default)]
struct Tally {
    packets: usize,
    messages: usize,
    next_seq: Option<u64>,
    seq_gaps: usize,
    acc: u64,
}

impl Tally {
    fn sequence(&mut self, first: u64, count: usize) {
        if count > 0 {
            if self.next_seq.is_some_and(|s| s != first) {
                self.seq_gaps += 1;
            }
            self.next_seq = Some(first + count as u64);
        }
    }

    /// Minimal feed handler: header, then seq/type/locate/timestamp of each block.
    #[inline(always)]
    fn lean(&mut self, payload: &[u8]) {
        let Ok(h) = mold::MoldHeader::parse(payload) else {
            return;
        };
        let mut off = mold::HEADER_LEN;
        let mut seq = h.sequence_number;
        let mut n = 0;
        while off + 2 <= payload.len() {
            let len = usize::from(u16::from_be_bytes([payload[off], payload[off + 1]]));
            let Some(msg) = payload.get(off + 2..off + 2 + len) else {
                break;
            };
            if len < itch::HEADER_LEN {
                break;
            }
            self.acc = common::fold_message(self.acc, seq, msg);
            seq += 1;
            n += 1;
            off += 2 + len;
        }
        self.sequence(h.sequence_number, n);
        self.messages += n;
    }

    /// The reference decoder: `mold::decode_partial` + `itch::decode` of every message.
    fn reference(&mut self, payload: &[u8]) {
        let Ok((packet, _fault)) = mold::decode_partial(payload) else {
            return;
        };
        for (i, m) in packet.messages.iter().enumerate() {
            if let Ok(d) = itch::decode(m) {
                self.acc = common::fold_fields(
                    self.acc,
                    packet.sequence_number + i as u64,
                    d.message_type as u8,
                    d.stock_locate,
                    d.timestamp,
                );
                black_box(&d);
            }
        }
        self.sequence(packet.sequence_number, packet.messages.len());
        self.messages += packet.messages.len();
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(messages), Some(mode)) = (
        args.first().and_then(|s| s.parse::<usize>().ok()),
        args.get(1).cloned(),
    ) else {
        return usage();
    };
    let reference = match mode.as_str() {
        "lean" => false,
        "reference" => true,
        _ => return usage(),
    };
    let pacing = args.get(2).map_or("drain", String::as_str).to_owned();
    let stream = match pacing.as_str() {
        "drain" => false,
        "stream" => true,
        _ => return usage(),
    };
    let packets = common::packets(messages);
    let payloads: Vec<Vec<u8>> = packets.iter().map(|p| p.encode()).collect();
    let want_msgs: usize = packets.iter().map(|p| p.messages.len()).sum();
    let total = payloads.len();

    let rx = UdpSocket::bind("127.0.0.1:0").expect("bind receiver");
    // Root may exceed net.core.rmem_max with SO_RCVBUFFORCE; otherwise take what SO_RCVBUF gives.
    if !set_int_opt(&rx, libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, RCVBUF) {
        set_int_opt(&rx, libc::SOL_SOCKET, libc::SO_RCVBUF, RCVBUF);
    }
    rx.set_read_timeout(Some(Duration::from_secs(2)))
        .expect("receive timeout");
    let addr = rx.local_addr().expect("receiver address");

    // Round protocol: the receiver publishes how many packets it has taken; the sender sends
    // round r once the receiver has drained round r-1.
    let taken = Arc::new(AtomicUsize::new(0));
    let sent = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(2));
    let sender = {
        let (taken, sent, start) = (taken.clone(), sent.clone(), start.clone());
        std::thread::spawn(move || {
            let tx = UdpSocket::bind("127.0.0.1:0").expect("bind sender");
            tx.connect(addr).expect("connect sender");
            start.wait();
            let t0 = thread_cpu_ns();
            if stream {
                for (i, p) in payloads.iter().enumerate() {
                    while i >= taken.load(Ordering::Acquire) + WINDOW {
                        std::thread::yield_now();
                    }
                    tx.send(p).expect("send");
                }
            } else {
                for (r, round) in payloads.chunks(ROUND).enumerate() {
                    while taken.load(Ordering::Acquire) < r * ROUND {
                        // Untimed for the receiver: it sleeps too until the round is sent.
                        std::thread::sleep(Duration::from_micros(50));
                    }
                    for p in round {
                        tx.send(p).expect("send");
                    }
                    sent.fetch_add(round.len(), Ordering::Release);
                }
            }
            let t1 = thread_cpu_ns();
            (t1.0 - t0.0) + (t1.1 - t0.1)
        })
    };

    let errors_before = udp_rcvbuf_errors();
    let mut batch = Batch::new();
    let mut tally = Tally::default();
    let (mut user, mut sys) = (0u64, 0u64);
    let mut timed_out = false;
    start.wait();
    // Stream: one round of everything, no waiting for the sender.
    let round_len = if stream { total.max(1) } else { ROUND };
    'rounds: for r in 0..total.div_ceil(round_len) {
        let in_round = round_len.min(total - r * round_len);
        // Drain: wait (untimed) until the sender has sent the whole round into the socket.
        let mut waited = Duration::ZERO;
        while !stream
            && sent.load(Ordering::Acquire) < r * ROUND + in_round
            && waited < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_micros(50));
            waited += Duration::from_micros(50);
        }
        let (u0, s0) = thread_cpu_ns();
        let mut got = 0;
        while got < in_round {
            let Some(n) = batch.recv(&rx, in_round - got) else {
                timed_out = true;
                break;
            };
            for i in 0..n {
                let d = batch.datagram(i);
                if reference {
                    tally.reference(d);
                } else {
                    tally.lean(d);
                }
            }
            got += n;
            if stream {
                taken.store(tally.packets + got, Ordering::Release);
            }
        }
        let (u1, s1) = thread_cpu_ns();
        user += u1 - u0;
        sys += s1 - s0;
        tally.packets += got;
        taken.store(tally.packets, Ordering::Release);
        if timed_out {
            break 'rounds;
        }
    }
    if timed_out {
        // Let the sender finish its loop: pretend everything was taken.
        taken.store(usize::MAX, Ordering::Release);
    }
    let sender_cpu = sender.join().expect("sender thread");
    let errors_after = udp_rcvbuf_errors();
    black_box(tally.acc);

    let drops = total - tally.packets;
    let rcvbuf_errors = match (errors_before, errors_after) {
        (Some(a), Some(b)) => (b - a).to_string(),
        _ => "unknown".into(),
    };
    let per = |x: u64| x as f64 / tally.messages.max(1) as f64;
    println!(
        "kernel_path mode={mode} pacing={pacing} messages={} packets={} expected_messages={want_msgs} expected_packets={total} \
         dropped_packets={drops} seq_gaps={} rcvbuf_errors={rcvbuf_errors} msgs_per_packet={:.2} \
         cpu_ns_per_msg={:.1} user_ns_per_msg={:.1} sys_ns_per_msg={:.1} sender_cpu_ns_per_msg={:.1}",
        tally.messages,
        tally.packets,
        tally.seq_gaps,
        tally.messages as f64 / tally.packets.max(1) as f64,
        per(user + sys),
        per(user),
        per(sys),
        per(sender_cpu),
    );
    if drops > 0 || tally.messages != want_msgs || tally.seq_gaps > 0 {
        eprintln!("kernel_path: lost data: {drops} packets dropped, {} messages of {want_msgs}", tally.messages);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
