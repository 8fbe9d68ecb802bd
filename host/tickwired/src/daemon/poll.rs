//! The poll threads: one per ring, pinned if asked, consuming ticks in place; and what they
//! share with the rest of the daemon (counters, latency histogram, the card→host clock map).
//!
//! Hot path (per batch of ticks): atomic loads of the slots, one host-clock read, a seqlock
//! read of the clock map, counter updates in locals then one relaxed `fetch_add` each, a
//! latency record into a thread-local histogram. No allocation (the verdict gate's buffer and
//! the histogram are sized before the loop; the gate's buffer only grows past a frame's tick
//! count once), no lock, no syscall. Off the hot path: a stock-directory (`R`) record naming a
//! subscribed ticker programs one word of the ring's locate bitmap (two MMIO writes under the
//! card-wide locate lock); every 100 ms the local histogram is merged into the shared one if its
//! lock is free (`try_lock`, never waiting).

use std::collections::HashSet;
use std::sync::atomic::{fence, AtomicBool, AtomicU32, AtomicU64, Ordering::*};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tickwire::book::{Books, Top};
use tickwire::filter::{type_bit, ItchFilter, LocateBitmap};
use tickwire::tick::{ItchTick, TickRecord};
use tickwire::tick_layout::FLAG_RECOVERED;
use tickwire::verdict::{GateStats, VerdictGate};
use tickwire::{Card, Device, Ring};
use tracing::{info, warn};

use super::config::{Idle, RingSettings};
use super::recovery::Recoverer;

/// Highest latency the histograms hold (ns); larger values are clamped to it.
pub const MAX_LATENCY_NS: u64 = 60_000_000_000;

/// A fresh latency histogram (1 ns .. 60 s, 3 significant digits).
pub fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_LATENCY_NS, 3).expect("valid histogram bounds")
}

/// One ring's counters, published by its poll thread.
pub struct RingShared {
    pub index: usize,
    pub slots: u32,
    /// Message ticks delivered (of good frames).
    pub ticks: AtomicU64,
    /// Event records (new session, gap, end of session).
    pub events: AtomicU64,
    pub gap_events: AtomicU64,
    pub gap_messages: AtomicU64,
    pub late: AtomicU64,
    /// Ticks flagged LOSS (one per run of ring drops).
    pub loss_flags: AtomicU64,
    pub frames_bad: AtomicU64,
    pub ticks_bad: AtomicU64,
    pub ticks_unverified: AtomicU64,
    /// Message ticks whose receive time mapped to after their observe time (clock map error).
    pub latency_negative: AtomicU64,
    /// The consumer's index (ticks consumed since the ring was enabled, wrapping).
    pub consumed: AtomicU32,
    /// Delivered message ticks of a locate-checked type (only on rings with symbols).
    pub book_ticks: AtomicU64,
    /// Of those, ticks whose locate no subscribed ticker has: the card's filter let through what
    /// it should not have (the daemon counts, it does not re-filter; always 0 on a good card).
    pub book_ticks_unsubscribed: AtomicU64,
    /// Subscribed tickers whose locate is programmed.
    pub symbols_mapped: AtomicU64,
    pub symbols_subscribed: u64,
    /// (ticker, locate) as learnt.
    pub mapped: Mutex<Vec<(String, u16)>>,
    /// Receive → host observe latency, ns (merged from the poll thread every 100 ms).
    pub latency: Mutex<Histogram<u64>>,
    /// Top of book of each mapped symbol, (ticker, feed, locate, best levels), republished by the
    /// poll thread every 100 ms (rings with subscribed symbols only).
    pub tops: Mutex<Vec<SymbolTop>>,
    /// Book anomalies (unknown order references, duplicates, overdrawn, bad side), all books.
    pub book_anomalies: AtomicU64,
    /// Recovered messages delivered (flag RECOVERED; not in `ticks`).
    pub recovered: AtomicU64,
    /// Recovered messages the ring's ITCH filters dropped (the card would have).
    pub recovered_filtered: AtomicU64,
    /// The ring's gap recovery counters (all zero without `[daemon.recovery]`).
    pub recovery: super::recovery::RecoveryShared,
    /// The ring's capture counters (all zero without `[daemon.capture]`).
    pub capture: super::capture::CaptureShared,
}

/// Slots written and not yet consumed, from the card's producer index read before the poll
/// thread's consumer index: the consumer may have passed that older producer value meanwhile,
/// which reads as an empty ring, not as a wrapped huge fill.
pub fn fill(prod: u32, consumed: u32, slots: u32) -> u32 {
    (prod.wrapping_sub(consumed) as i32).max(0).unsigned_abs().min(slots)
}

/// A mapped symbol's published top of book: ticker, feed, locate, best levels.
pub type SymbolTop = (String, u8, u16, Top);

/// Price levels per side published for each mapped symbol.
pub const TOP_LEVELS: usize = 5;

impl RingShared {
    pub fn new(rs: &RingSettings) -> Self {
        RingShared {
            index: rs.index,
            slots: rs.slots,
            ticks: AtomicU64::new(0),
            events: AtomicU64::new(0),
            gap_events: AtomicU64::new(0),
            gap_messages: AtomicU64::new(0),
            late: AtomicU64::new(0),
            loss_flags: AtomicU64::new(0),
            frames_bad: AtomicU64::new(0),
            ticks_bad: AtomicU64::new(0),
            ticks_unverified: AtomicU64::new(0),
            latency_negative: AtomicU64::new(0),
            consumed: AtomicU32::new(0),
            book_ticks: AtomicU64::new(0),
            book_ticks_unsubscribed: AtomicU64::new(0),
            symbols_mapped: AtomicU64::new(0),
            symbols_subscribed: rs.symbols.iter().collect::<HashSet<_>>().len() as u64,
            mapped: Mutex::new(Vec::new()),
            latency: Mutex::new(new_histogram()),
            tops: Mutex::new(Vec::new()),
            book_anomalies: AtomicU64::new(0),
            recovered: AtomicU64::new(0),
            recovered_filtered: AtomicU64::new(0),
            recovery: Default::default(),
            capture: Default::default(),
        }
    }
}

/// The map from card time to host time: `host = host_ref + (card − card_ref) × rate`, from the
/// clock module's bracketed reads ([`tickwire::clock::CardClock::sample`]), refreshed by the
/// main thread about once a second. A seqlock: one writer, readers never wait for it.
pub struct ClockMap {
    seq: AtomicU64,
    card_ref: AtomicU64,
    host_ref: AtomicU64,
    rate: AtomicU64,
    valid: AtomicBool,
}

impl Default for ClockMap {
    fn default() -> Self {
        ClockMap { seq: AtomicU64::new(0), card_ref: AtomicU64::new(0), host_ref: AtomicU64::new(0), rate: AtomicU64::new(1f64.to_bits()), valid: AtomicBool::new(false) }
    }
}

/// One consistent reading of the [`ClockMap`].
#[derive(Clone, Copy, Debug)]
pub struct ClockRef {
    pub card_ref: u64,
    pub host_ref: u64,
    pub rate: f64,
}

impl ClockRef {
    /// Host time of card time `card_ns`.
    #[inline]
    pub fn to_host(&self, card_ns: u64) -> i128 {
        let d = card_ns as i128 - self.card_ref as i128;
        self.host_ref as i128 + (d as f64 * self.rate) as i128
    }

    /// Card − host offset at the reference, ns.
    pub fn offset_ns(&self) -> i64 {
        (self.card_ref as i128 - self.host_ref as i128) as i64
    }
}

impl ClockMap {
    /// Publish a new reference (single writer: the main thread).
    pub fn set(&self, r: ClockRef) {
        let s = self.seq.load(Relaxed);
        self.seq.store(s.wrapping_add(1), Relaxed);
        fence(Release);
        self.card_ref.store(r.card_ref, Relaxed);
        self.host_ref.store(r.host_ref, Relaxed);
        self.rate.store(r.rate.to_bits(), Relaxed);
        self.seq.store(s.wrapping_add(2), Release);
        self.valid.store(true, Release);
    }

    /// The current reference, once there is one.
    #[inline]
    pub fn get(&self) -> Option<ClockRef> {
        if !self.valid.load(Acquire) {
            return None;
        }
        loop {
            let s1 = self.seq.load(Acquire);
            let r = ClockRef { card_ref: self.card_ref.load(Relaxed), host_ref: self.host_ref.load(Relaxed), rate: f64::from_bits(self.rate.load(Relaxed)) };
            fence(Acquire);
            if s1 & 1 == 0 && self.seq.load(Relaxed) == s1 {
                return Some(r);
            }
            std::hint::spin_loop();
        }
    }
}

/// Pin the calling thread to `core`; a failure is a warning.
pub fn pin(what: &str, core: usize) {
    let ids = core_affinity::get_core_ids().unwrap_or_default();
    match ids.into_iter().find(|c| c.id == core) {
        Some(id) if core_affinity::set_for_current(id) => info!("{what}: pinned to core {core}"),
        Some(_) => warn!("{what}: could not pin to core {core} (sched_setaffinity refused: a cpuset or container limit?); running unpinned"),
        None => warn!("{what}: core {core} is not among the cores this process may use; running unpinned"),
    }
}

/// What a poll thread hands back when it stops.
pub struct PollResult<D: Device> {
    pub ring: Ring<D>,
    pub gate: GateStats,
    pub gate_pending: usize,
}

/// Counts of one batch, added to [`RingShared`] once per batch.
#[derive(Default)]
struct Counts {
    ticks: u64,
    events: u64,
    gaps: u64,
    gap_msgs: u64,
    late: u64,
    negative: u64,
    book: u64,
    book_unsub: u64,
    recovered: u64,
    recovered_filtered: u64,
}

/// Everything a delivered record goes to: the fan-out ring, the books, the counters, the
/// latency histogram, the symbol learning.
struct Sink<'a, D: Device> {
    card: &'a Card<D>,
    rs: &'a RingSettings,
    sh: &'a RingShared,
    locate_lock: &'a Mutex<()>,
    fanout: Option<tickwire_client::Writer>,
    books: Option<Books>,
    wanted: HashSet<[u8; 8]>,
    /// The ring's ITCH filters as programmed on the card (the locate bitmap grows as symbols
    /// are learnt): recovered messages go through it, as the card's would have.
    filter: ItchFilter,
    symbols: Vec<(String, u8, u16)>,
    local: Histogram<u64>,
    observed: u64,
    map: Option<ClockRef>,
    c: Counts,
}

impl<D: Device> Sink<'_, D> {
    #[inline]
    fn deliver(&mut self, r: &TickRecord) {
        let recovered = r.flags & FLAG_RECOVERED != 0 && r.is_message();
        if recovered && !self.filter.passes(r) {
            self.c.recovered_filtered += 1;
            return;
        }
        // every record of a good frame goes to the fan-out ring: messages and events
        if let Some(w) = self.fanout.as_mut() {
            w.push(&r.to_bytes());
        }
        if let Some(b) = self.books.as_mut() {
            b.apply(r);
        }
        if r.is_event() {
            self.c.events += 1;
            if let Some(g) = r.gap() {
                self.c.gaps += 1;
                self.c.gap_msgs += g.end.saturating_sub(g.start);
            }
            return;
        }
        if recovered {
            self.c.recovered += 1;
        } else {
            self.c.ticks += 1;
            self.c.late += u64::from(r.is_late());
            if let Some(m) = self.map {
                let lat = self.observed as i128 - m.to_host(r.rx_ts_ns);
                if lat < 0 {
                    self.c.negative += 1;
                } else {
                    self.local.saturating_record((lat as u64).clamp(1, MAX_LATENCY_NS));
                }
            }
        }
        let lt = self.filter.locate_types;
        if lt != 0 && !r.is_raw() {
            if let Some(bit) = type_bit(r.msg_type) {
                if lt >> bit & 1 != 0 {
                    self.c.book += 1;
                    self.c.book_unsub += u64::from(!self.filter.locates.get(r.stock_locate));
                }
            }
        }
        if r.msg_type == b'R' && !self.wanted.is_empty() {
            if let Some(sym) = learn(self.card, self.rs, self.sh, &self.wanted, &mut self.filter.locates, self.locate_lock, r) {
                self.symbols.push(sym);
            }
        }
    }

    /// Add the batch's counts to the shared ones.
    fn publish(&mut self) {
        let (c, sh) = (std::mem::take(&mut self.c), self.sh);
        sh.ticks.fetch_add(c.ticks, Relaxed);
        sh.events.fetch_add(c.events, Relaxed);
        sh.gap_events.fetch_add(c.gaps, Relaxed);
        sh.gap_messages.fetch_add(c.gap_msgs, Relaxed);
        sh.late.fetch_add(c.late, Relaxed);
        sh.latency_negative.fetch_add(c.negative, Relaxed);
        sh.book_ticks.fetch_add(c.book, Relaxed);
        sh.book_ticks_unsubscribed.fetch_add(c.book_unsub, Relaxed);
        sh.recovered.fetch_add(c.recovered, Relaxed);
        sh.recovered_filtered.fetch_add(c.recovered_filtered, Relaxed);
    }

    /// Every 100 ms: merge the latency histogram (if its lock is free) and republish the books.
    fn flush_periodic(&mut self, last: &mut Instant) {
        if last.elapsed() < Duration::from_millis(100) {
            return;
        }
        if let Ok(mut h) = self.sh.latency.try_lock() {
            let _ = h.add(&self.local);
            self.local.reset();
            *last = Instant::now();
        }
        publish_tops(self.sh, self.books.as_ref(), &self.symbols);
    }
}

/// A ring's gap recovery, for its poll thread: the recovery thread's channels.
pub struct RecoveryLink<'a> {
    pub settings: &'a super::config::RecoverySettings,
    pub shared: &'a super::recovery::RecoveryShared,
    pub tx: std::sync::mpsc::Sender<super::recovery::Request>,
    pub rx: std::sync::mpsc::Receiver<super::recovery::Answer>,
}

/// Poll `ring` until `stop` is set; every record the verdict gate delivers (and, with gap
/// recovery, every recovered message, in sequence order) is also published to the ring's fan-out
/// ring, if there is one (dropped with the thread: the file is unlinked).
#[allow(clippy::too_many_arguments)]
pub fn poll_loop<D: Device>(
    card: &Card<D>,
    mut ring: Ring<D>,
    fanout: Option<tickwire_client::Writer>,
    rs: &RingSettings,
    sh: &RingShared,
    clock: &ClockMap,
    locate_lock: &Mutex<()>,
    recovery: Option<RecoveryLink<'_>>,
    stop: &AtomicBool,
) -> PollResult<D> {
    let what = format!("ring {} poll thread", rs.index);
    if let Some(core) = rs.core {
        pin(&what, core);
    }
    let wanted: HashSet<[u8; 8]> = rs.symbols.iter().copied().collect();
    let mut sink = Sink {
        card,
        rs,
        sh,
        locate_lock,
        fanout,
        // order books of the subscribed symbols: the card delivers only their order messages,
        // so every book this ring builds is one of them
        books: (!wanted.is_empty()).then(Books::all),
        wanted,
        filter: ItchFilter { types: rs.types, locate_types: rs.locate_types, locates: LocateBitmap::default() },
        symbols: Vec::new(),
        local: new_histogram(),
        observed: 0,
        map: None,
        c: Counts::default(),
    };
    let mut rec = recovery.map(|l| Recoverer::new(l.settings, l.shared, l.tx, l.rx));
    let mut gate = VerdictGate::new();
    let mut last_flush = Instant::now();
    let batch_max = (rs.slots as usize).min(256);
    let dev = card.device();
    while !stop.load(Relaxed) {
        let batch = ring.poll_batch(batch_max);
        if batch.is_empty() {
            drop(batch);
            if let Some(r) = rec.as_mut().filter(|r| r.busy()) {
                sink.observed = dev.host_time_ns();
                r.poll(&mut |t: &TickRecord| sink.deliver(t));
                sink.publish();
            }
            sink.flush_periodic(&mut last_flush);
            match rs.idle {
                Idle::Spin => std::hint::spin_loop(),
                Idle::Yield => std::thread::yield_now(),
                Idle::Sleep(d) => std::thread::sleep(d),
            }
            continue;
        }
        sink.observed = dev.host_time_ns();
        sink.map = clock.get();
        let mut losses = 0u64;
        for t in batch.iter() {
            let r = t.to_record();
            losses += u64::from(r.loss_before());
            match rec.as_mut() {
                None => gate.push(&r, |r: &TickRecord| sink.deliver(r)),
                Some(rc) => gate.push(&r, |r: &TickRecord| rc.on_record(r, &mut |t: &TickRecord| sink.deliver(t))),
            }
        }
        drop(batch);
        if let Some(r) = rec.as_mut().filter(|r| r.busy()) {
            r.poll(&mut |t: &TickRecord| sink.deliver(t));
        }
        sh.consumed.store(ring.consumed(), Relaxed);
        sh.loss_flags.fetch_add(losses, Relaxed);
        sink.publish();
        let gs = gate.stats();
        sh.frames_bad.store(gs.frames_bad, Relaxed);
        sh.ticks_bad.store(gs.ticks_bad, Relaxed);
        sh.ticks_unverified.store(gs.ticks_unverified, Relaxed);
        sink.flush_periodic(&mut last_flush);
    }
    if let Some(r) = rec.as_mut() {
        r.flush(&mut |t: &TickRecord| sink.deliver(t));
        sink.publish();
    }
    publish_tops(sh, sink.books.as_ref(), &sink.symbols);
    ring.release();
    sh.consumed.store(ring.consumed(), Relaxed);
    if let Ok(mut h) = sh.latency.lock() {
        let _ = h.add(&sink.local);
    }
    drop(sink.fanout.take());
    PollResult { gate: gate.stats(), gate_pending: gate.pending(), ring }
}

/// Republish the mapped symbols' top of book (off the hot path: every 100 ms, never waiting).
#[cold]
fn publish_tops(sh: &RingShared, books: Option<&Books>, symbols: &[(String, u8, u16)]) {
    let Some(b) = books else { return };
    if let Ok(mut t) = sh.tops.try_lock() {
        t.clear();
        t.extend(symbols.iter().map(|(name, feed, locate)| (name.clone(), *feed, *locate, b.top(*feed, *locate, TOP_LEVELS))));
        let a = b.anomalies();
        sh.book_anomalies.store(a.unknown_refs.total() + a.duplicate_refs + a.overdrawn + a.bad_side, Relaxed);
    }
}

/// A stock-directory record: if it names a subscribed ticker, put its locate into the ring's
/// bitmap on the card (the card filters from then on; ticks of that locate that arrived between
/// the `R` record and this write were filtered and counted in ITCH_FILTERED).
#[cold]
fn learn<D: Device>(
    card: &Card<D>,
    rs: &RingSettings,
    sh: &RingShared,
    wanted: &HashSet<[u8; 8]>,
    bitmap: &mut LocateBitmap,
    locate_lock: &Mutex<()>,
    r: &TickRecord,
) -> Option<(String, u8, u16)> {
    let Some(ItchTick::StockDirectory { stock, .. }) = r.itch() else { return None };
    if !wanted.contains(&stock) || bitmap.get(r.stock_locate) {
        return None;
    }
    bitmap.set(r.stock_locate, true);
    let w = LocateBitmap::word_of(r.stock_locate);
    let res = {
        let _g = locate_lock.lock().unwrap_or_else(|e| e.into_inner());
        card.write_locate_words(rs.index, w, &bitmap.words()[w..w + 1])
    };
    let name = String::from_utf8_lossy(&stock).trim_end().to_string();
    match res {
        Ok(()) => {
            info!(ring = rs.index, stock = %name, locate = r.stock_locate, "subscribed symbol mapped to its locate; programmed into the ring's locate filter");
            sh.symbols_mapped.fetch_add(1, Relaxed);
            sh.mapped.lock().unwrap_or_else(|e| e.into_inner()).push((name.clone(), r.stock_locate));
            Some((name, r.feed, r.stock_locate))
        }
        Err(e) => {
            warn!(ring = rs.index, stock = %name, "programming the locate filter failed: {e}");
            None
        }
    }
}
