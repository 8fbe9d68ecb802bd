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
use tickwire::filter::{type_bit, LocateBitmap};
use tickwire::tick::{ItchTick, TickRecord};
use tickwire::verdict::{GateStats, VerdictGate};
use tickwire::{Card, Device, Ring};
use tracing::{info, warn};

use super::config::{Idle, RingSettings};

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

/// Poll `ring` until `stop` is set; every record the verdict gate delivers is also published to
/// the ring's fan-out ring, if there is one (dropped with the thread: the file is unlinked).
#[allow(clippy::too_many_arguments)]
pub fn poll_loop<D: Device>(
    card: &Card<D>,
    mut ring: Ring<D>,
    mut fanout: Option<tickwire_client::Writer>,
    rs: &RingSettings,
    sh: &RingShared,
    clock: &ClockMap,
    locate_lock: &Mutex<()>,
    stop: &AtomicBool,
) -> PollResult<D> {
    let what = format!("ring {} poll thread", rs.index);
    if let Some(core) = rs.core {
        pin(&what, core);
    }
    let wanted: HashSet<[u8; 8]> = rs.symbols.iter().copied().collect();
    let mut bitmap = LocateBitmap::default();
    // order books of the subscribed symbols: the card delivers only their order messages, so
    // every book this ring builds is one of them
    let mut books = (!wanted.is_empty()).then(Books::all);
    let mut symbols: Vec<(String, u8, u16)> = Vec::new();
    let mut gate = VerdictGate::new();
    let mut local = new_histogram();
    let mut last_flush = Instant::now();
    let batch_max = (rs.slots as usize).min(256);
    let dev = card.device();
    while !stop.load(Relaxed) {
        let batch = ring.poll_batch(batch_max);
        if batch.is_empty() {
            drop(batch);
            if !local.is_empty() && last_flush.elapsed() >= Duration::from_millis(100) {
                if let Ok(mut h) = sh.latency.try_lock() {
                    let _ = h.add(&local);
                    local.reset();
                    last_flush = Instant::now();
                }
            }
            match rs.idle {
                Idle::Spin => std::hint::spin_loop(),
                Idle::Yield => std::thread::yield_now(),
                Idle::Sleep(d) => std::thread::sleep(d),
            }
            continue;
        }
        let observed = dev.host_time_ns();
        let map = clock.get();
        let (mut ticks, mut events, mut gaps, mut gap_msgs, mut late, mut losses, mut negative) = (0u64, 0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
        let (mut book, mut book_unsub) = (0u64, 0u64);
        for t in batch.iter() {
            let rec = t.to_record();
            losses += u64::from(rec.loss_before());
            gate.push(&rec, |r: &TickRecord| {
                // every record of a good frame goes to the fan-out ring: messages and events
                if let Some(w) = fanout.as_mut() {
                    w.push(&r.to_bytes());
                }
                if let Some(b) = books.as_mut() {
                    b.apply(r);
                }
                if r.is_event() {
                    events += 1;
                    if let Some(g) = r.gap() {
                        gaps += 1;
                        gap_msgs += g.end.saturating_sub(g.start);
                    }
                    return;
                }
                ticks += 1;
                late += u64::from(r.is_late());
                if let Some(m) = map {
                    let lat = observed as i128 - m.to_host(r.rx_ts_ns);
                    if lat < 0 {
                        negative += 1;
                    } else {
                        local.saturating_record((lat as u64).clamp(1, MAX_LATENCY_NS));
                    }
                }
                if rs.locate_types != 0 && !r.is_raw() {
                    if let Some(bit) = type_bit(r.msg_type) {
                        if rs.locate_types >> bit & 1 != 0 {
                            book += 1;
                            book_unsub += u64::from(!bitmap.get(r.stock_locate));
                        }
                    }
                }
                if r.msg_type == b'R' && !wanted.is_empty() {
                    if let Some(sym) = learn(card, rs, sh, &wanted, &mut bitmap, locate_lock, r) {
                        symbols.push(sym);
                    }
                }
            });
        }
        drop(batch);
        sh.consumed.store(ring.consumed(), Relaxed);
        let gs = gate.stats();
        sh.ticks.fetch_add(ticks, Relaxed);
        sh.events.fetch_add(events, Relaxed);
        sh.gap_events.fetch_add(gaps, Relaxed);
        sh.gap_messages.fetch_add(gap_msgs, Relaxed);
        sh.late.fetch_add(late, Relaxed);
        sh.loss_flags.fetch_add(losses, Relaxed);
        sh.latency_negative.fetch_add(negative, Relaxed);
        sh.book_ticks.fetch_add(book, Relaxed);
        sh.book_ticks_unsubscribed.fetch_add(book_unsub, Relaxed);
        sh.frames_bad.store(gs.frames_bad, Relaxed);
        sh.ticks_bad.store(gs.ticks_bad, Relaxed);
        sh.ticks_unverified.store(gs.ticks_unverified, Relaxed);
        if last_flush.elapsed() >= Duration::from_millis(100) {
            if let Ok(mut h) = sh.latency.try_lock() {
                let _ = h.add(&local);
                local.reset();
                last_flush = Instant::now();
            }
            publish_tops(sh, books.as_ref(), &symbols);
        }
    }
    publish_tops(sh, books.as_ref(), &symbols);
    ring.release();
    sh.consumed.store(ring.consumed(), Relaxed);
    if let Ok(mut h) = sh.latency.lock() {
        let _ = h.add(&local);
    }
    drop(fanout);
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
