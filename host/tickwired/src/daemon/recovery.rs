//! Gap recovery: when the card reports a gap on a feed that has a MoldUDP64 re-request server
//! (`[daemon.recovery]`), the ring's poll thread holds the gap event record and every later
//! record of that feed, and asks the ring's recovery thread for the missing range. The recovery
//! thread requests it from the server (`tickwire::rerequest::Client`: chunked, partial answers
//! re-requested, bounded tries), decodes the answer with the software path
//! (`TickRecord::from_itch`), and hands the records back. The poll thread then delivers, in
//! sequence order: the gap event (flag RECOVERED when the whole range came back), the recovered
//! messages (flag RECOVERED; passed through the ring's ITCH filters as the card would have), then
//! the held records. If the answer does not come within `hold`, or more than `max_held` records
//! pile up, the poll thread gives up on it: the gap event goes out without RECOVERED, the held
//! records follow, and a late answer is dropped and counted.
//!
//! Off the hot path: with nothing pending, the poll thread's cost is one test of a bit mask per
//! record; the channel is only looked at while a recovery is pending. Other feeds of the ring are
//! never held.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::*};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use tickwire::rerequest::{Client, ClientOptions};
use tickwire::tick::TickRecord;
use tickwire::tick_layout::FLAG_RECOVERED;
use tickwire::{Card, Device};
use tracing::{info, warn};

use super::config::RecoverySettings;

/// A range to fetch.
pub struct Request {
    pub id: u64,
    pub feed: u8,
    pub session: [u8; 10],
    pub range: Range<u64>,
}

/// What came back: the records of `range.start..missing.start`, decoded, unfiltered.
pub struct Answer {
    pub id: u64,
    pub records: Vec<TickRecord>,
    pub missing: Range<u64>,
}

/// Recovery counters of one ring (published for metrics and the summary).
#[derive(Default)]
pub struct RecoveryShared {
    /// Gap events a recovery was started for.
    pub started: AtomicU64,
    /// ... whose whole range came back.
    pub complete: AtomicU64,
    /// ... of which only part (or nothing) came back before the answer or `hold` ran out.
    pub incomplete: AtomicU64,
    /// Messages recovered (before the ring's filters).
    pub messages: AtomicU64,
    /// Messages in gap ranges that recovery did not bring back.
    pub missing: AtomicU64,
    /// Re-request packets sent.
    pub requests: AtomicU64,
    /// Answers that came after the poll thread gave up on them (dropped).
    pub late_answers: AtomicU64,
    /// LATE fills from the other line of messages already recovered (dropped as duplicates).
    pub duplicate_late: AtomicU64,
}

/// The recovery thread of one ring: answers requests until `stop` or the channel closes.
pub fn worker<D: Device>(card: &Card<D>, settings: &RecoverySettings, rx: Receiver<Request>, tx: Sender<Answer>, shared: &RecoveryShared, stop: &AtomicBool) {
    let mut clients: Vec<Option<Client>> = Vec::new();
    while !stop.load(Relaxed) {
        let req = match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(r) => r,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let feed = usize::from(req.feed);
        let Some(server) = settings.servers.get(feed).copied().flatten() else { continue };
        if clients.len() <= feed {
            clients.resize_with(feed + 1, || None);
        }
        if clients[feed].is_none() {
            match Client::new(server, client_options(settings)) {
                Ok(c) => clients[feed] = Some(c),
                Err(e) => {
                    warn!(feed, %server, "gap recovery: {e}");
                    let _ = tx.send(Answer { id: req.id, records: Vec::new(), missing: req.range });
                    continue;
                }
            }
        }
        let client = clients[feed].as_mut().expect("created above");
        let r = match client.fetch(req.session, req.range.clone()) {
            Ok(r) => r,
            Err(e) => {
                warn!(feed, %server, "gap recovery: {e}");
                let _ = tx.send(Answer { id: req.id, records: Vec::new(), missing: req.range });
                continue;
            }
        };
        shared.requests.fetch_add(u64::from(r.requests), Relaxed);
        let rx_ts = card.clock().now();
        let records = tickwire::rerequest::to_records(req.feed, &r.messages, rx_ts, None);
        info!(feed, first = req.range.start, end = req.range.end, recovered = records.len(), missing = r.missing.end - r.missing.start, requests = r.requests, "gap recovery answer");
        if tx.send(Answer { id: req.id, records, missing: r.missing }).is_err() {
            return;
        }
    }
}

fn client_options(s: &RecoverySettings) -> ClientOptions {
    ClientOptions { timeout_per_try: s.timeout, tries: s.tries, max_per_request: s.max_per_request }
}

/// A gap being recovered: its event record and what arrived since.
struct Pending {
    id: u64,
    event: TickRecord,
    range: Range<u64>,
    held: VecDeque<TickRecord>,
    deadline: Instant,
}

/// The poll thread's side.
pub struct Recoverer<'a> {
    settings: &'a RecoverySettings,
    shared: &'a RecoveryShared,
    tx: Sender<Request>,
    rx: Receiver<Answer>,
    /// Bit f: feed f has a pending recovery.
    pending_mask: u16,
    pending: [Option<Pending>; 16],
    /// The last range recovered per feed (LATE fills inside it are duplicates).
    recovered: [Range<u64>; 16],
    next_id: u64,
}

impl<'a> Recoverer<'a> {
    pub fn new(settings: &'a RecoverySettings, shared: &'a RecoveryShared, tx: Sender<Request>, rx: Receiver<Answer>) -> Self {
        Recoverer { settings, shared, tx, rx, pending_mask: 0, pending: Default::default(), recovered: Default::default(), next_id: 0 }
    }

    /// True while some feed waits for an answer (the poll thread then calls [`Self::poll`] even
    /// when its ring is empty).
    #[inline]
    pub fn busy(&self) -> bool {
        self.pending_mask != 0
    }

    /// A record the verdict gate delivered: pass it to `sink`, or hold it.
    #[inline]
    pub fn on_record(&mut self, r: &TickRecord, sink: &mut impl FnMut(&TickRecord)) {
        let feed = usize::from(r.feed & 15);
        if self.pending_mask >> feed & 1 != 0 {
            self.hold(feed, r, sink);
            return;
        }
        if r.is_late() && self.recovered[feed].contains(&r.seq) {
            self.shared.duplicate_late.fetch_add(1, Relaxed);
            return;
        }
        if r.is_event() {
            if let Some(range) = r.gap().filter(|g| !g.is_empty()) {
                if self.settings.servers.get(feed).copied().flatten().is_some() && self.start(feed, r, range) {
                    return;
                }
            }
        }
        sink(r);
    }

    #[cold]
    fn hold(&mut self, feed: usize, r: &TickRecord, sink: &mut impl FnMut(&TickRecord)) {
        let full = {
            let p = self.pending[feed].as_mut().expect("pending bit set");
            p.held.push_back(*r);
            p.held.len() >= self.settings.max_held
        };
        if full {
            warn!(feed, held = self.settings.max_held, "gap recovery: daemon.recovery.max_held records held while waiting; giving up on the answer");
            self.resolve(feed, None, sink);
        }
    }

    #[cold]
    fn start(&mut self, feed: usize, event: &TickRecord, range: Range<u64>) -> bool {
        let Some(session) = event.session() else { return false };
        self.next_id += 1;
        let req = Request { id: self.next_id, feed: feed as u8, session, range: range.clone() };
        if self.tx.send(req).is_err() {
            return false;
        }
        self.shared.started.fetch_add(1, Relaxed);
        self.pending[feed] = Some(Pending { id: self.next_id, event: *event, range, held: VecDeque::new(), deadline: Instant::now() + self.settings.hold });
        self.pending_mask |= 1 << feed;
        true
    }

    /// Take answers that arrived and give up on recoveries past their deadline.
    #[cold]
    pub fn poll(&mut self, sink: &mut impl FnMut(&TickRecord)) {
        while let Ok(a) = self.rx.try_recv() {
            match (0..16).find(|&f| self.pending[f].as_ref().is_some_and(|p| p.id == a.id)) {
                Some(feed) => self.resolve(feed, Some(a), sink),
                None => {
                    self.shared.late_answers.fetch_add(1, Relaxed);
                }
            }
        }
        let now = Instant::now();
        for feed in 0..16 {
            if self.pending[feed].as_ref().is_some_and(|p| now >= p.deadline) {
                warn!(feed, hold = ?self.settings.hold, "gap recovery: no answer within daemon.recovery.hold; delivering the held records without it");
                self.resolve(feed, None, sink);
            }
        }
    }

    /// Give up on every pending recovery (the daemon stops): deliver what is held.
    pub fn flush(&mut self, sink: &mut impl FnMut(&TickRecord)) {
        self.poll(sink);
        for feed in 0..16 {
            if self.pending[feed].is_some() {
                self.resolve(feed, None, sink);
            }
        }
    }

    fn resolve(&mut self, feed: usize, answer: Option<Answer>, sink: &mut impl FnMut(&TickRecord)) {
        let Some(mut p) = self.pending[feed].take() else { return };
        self.pending_mask &= !(1 << feed);
        let (records, missing) = match answer {
            Some(a) => (a.records, a.missing),
            None => (Vec::new(), p.range.clone()),
        };
        // what came back must be the contiguous prefix of the range
        let got = p.range.start..missing.start.clamp(p.range.start, p.range.end);
        let complete = got == p.range;
        self.shared.messages.fetch_add(records.len() as u64, Relaxed);
        self.shared.missing.fetch_add(p.range.end - got.end, Relaxed);
        if complete {
            self.shared.complete.fetch_add(1, Relaxed);
            p.event.flags |= FLAG_RECOVERED;
        } else {
            self.shared.incomplete.fetch_add(1, Relaxed);
        }
        self.recovered[feed] = got;
        sink(&p.event);
        for r in &records {
            sink(r);
        }
        // the held records go through the same path: one may be the next gap
        for r in p.held.drain(..) {
            self.on_record(&r, sink);
        }
    }
}

/// Where each feed's recovery goes, for the log at start.
pub fn describe(settings: &RecoverySettings, names: &[String]) -> Vec<String> {
    settings.servers.iter().enumerate().filter_map(|(i, s)| s.map(|a: SocketAddr| format!("{} -> {a}", names.get(i).map_or("?", String::as_str)))).collect()
}
