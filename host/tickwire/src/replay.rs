//! Run frames through the simulated card and hand every tick the host polls to a callback:
//! the real driver path (Card, Ring) on the Verilator model. Used by `tickwire replay`, the
//! end-to-end tests and benchmarks.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::card::{Card, CardError, RingStatus};
use crate::flow::FlowTable;
use crate::sim_device::SimDevice;
use crate::tick::TickRecord;
use crate::verdict::{GateStats, VerdictGate};
use crate::SimConfig;

/// How to replay.
#[derive(Clone, Debug)]
pub struct ReplayOptions {
    /// The simulated card's configuration (seed, backpressure, pacing).
    pub sim: SimConfig,
    /// The flow table: which frames become ticks of which feed, line and ring. Every ring it
    /// delivers to is opened and polled.
    pub flow: FlowTable,
    /// Hold mode: frames deliver their ticks only once known good (else cut-through, and the
    /// host's verdict gate discards bad frames' ticks).
    pub hold: bool,
    /// MAX_FRAME: longest frame accepted, bytes without FCS (0: no limit).
    pub max_frame: u16,
    /// Slots in each ring.
    pub ring_slots: u32,
    /// Give up when the card has not gone idle this long after the last frame was queued.
    pub timeout: Duration,
    /// Sleep this long after each tick: a slow consumer, to show drops and LOSS flags.
    pub consumer_delay: Option<Duration>,
}

impl Default for ReplayOptions {
    fn default() -> Self {
        Self {
            sim: SimConfig::default(),
            flow: FlowTable::deliver_all(),
            hold: false,
            max_frame: 1522,
            ring_slots: 4096,
            timeout: Duration::from_secs(600),
            consumer_delay: None,
        }
    }
}

/// One tick as the host received it (after its frame's verdict: only ticks of good frames).
#[derive(Clone, Debug)]
pub struct ReplayTick {
    /// Ring it arrived on.
    pub ring: usize,
    /// The record, as the card wrote it.
    pub record: TickRecord,
    /// The feed's MoldUDP64 session in force (from its last event record).
    pub session: Option<[u8; 10]>,
}

/// What the run left behind.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ReplaySummary {
    /// Message ticks delivered (event records excluded).
    pub ticks: u64,
    /// Event records delivered (new session, gap, end of session; see `tickwire::tick`).
    pub event_records: u64,
    /// Gap events delivered: ranges of messages lost on every line.
    pub gap_events: u64,
    /// Messages in those ranges.
    pub gap_messages: u64,
    /// Late fills delivered (flag LATE): messages of those ranges that came later on another line.
    pub late_messages: u64,
    /// Ticks that carried the LOSS flag.
    pub loss_flags: u64,
    /// What the host's verdict gates did (all rings together).
    pub gate: GateStats,
    /// Card counters by register name.
    pub counters: Vec<(&'static str, u32)>,
    /// Per-rule hit counters of the flow table.
    pub rule_hits: Vec<u32>,
    /// The rings polled and their registers after quiesce.
    pub rings: Vec<(usize, RingStatus)>,
    /// Each polled ring's in-card latency histogram (see `card::latency_bin_ns`).
    pub latency: Vec<(usize, [u32; crate::card::LATENCY_BINS])>,
    /// DMA writes that hit no mapped window (must be 0).
    pub iommu_violations: usize,
}

/// Errors of a replay.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The card layer failed.
    #[error(transparent)]
    Card(#[from] CardError),
    /// The simulated device failed.
    #[error(transparent)]
    Device(#[from] crate::device::DeviceError),
}

impl ReplaySummary {
    /// Drops of every ring together.
    pub fn ring_drops(&self) -> u64 {
        self.rings.iter().map(|(_, r)| u64::from(r.drops)).sum()
    }

    /// A counter by its register name (lower case).
    pub fn counter(&self, name: &str) -> u32 {
        self.counters.iter().find(|c| c.0 == name).map_or_else(|| panic!("no counter {name}"), |c| c.1)
    }
}

/// Replay `frames` (`(bytes without FCS, MAC error flag)`) and call `on_tick` for every tick of
/// a good frame polled from the rings, in ring order per ring, while the card runs.
pub fn replay(
    frames: Vec<(Vec<u8>, bool)>,
    opts: &ReplayOptions,
    mut on_tick: impl FnMut(&ReplayTick),
) -> Result<ReplaySummary, ReplayError> {
    let card = Card::open(SimDevice::new(opts.sim.clone())?)?;
    card.set_hold(opts.hold);
    card.set_max_frame(opts.max_frame);
    card.set_flow_table(&opts.flow.rules, opts.flow.default)?;
    let mut rings = Vec::new();
    for index in opts.flow.rings() {
        rings.push((card.open_ring(index, opts.ring_slots)?, VerdictGate::new()));
    }
    card.start();
    card.device().push_frames(frames);

    let mut sessions_in_force = [None; crate::flow::FEEDS];
    let (mut ticks, mut events, mut losses) = (0u64, 0u64, 0u64);
    let (mut gap_events, mut gap_messages, mut late_messages) = (0u64, 0u64, 0u64);
    let done = AtomicBool::new(false);
    let idle = std::thread::scope(|s| {
        let waiter = s.spawn(|| {
            let r = card.device().wait_idle(opts.timeout);
            done.store(true, Ordering::Release);
            r
        });
        loop {
            let finished = done.load(Ordering::Acquire);
            let mut any = false;
            for (ring, gate) in rings.iter_mut() {
                let index = ring.index();
                let mut deliver = |t: &TickRecord| {
                    let feed = usize::from(t.feed) % crate::flow::FEEDS;
                    if let Some(s) = t.session() {
                        sessions_in_force[feed] = Some(s);
                        events += 1;
                        if let Some(g) = t.gap() {
                            gap_events += 1;
                            gap_messages += g.end.saturating_sub(g.start);
                        }
                    } else {
                        ticks += 1;
                        late_messages += u64::from(t.is_late());
                    }
                    on_tick(&ReplayTick { ring: index, record: *t, session: sessions_in_force[feed] });
                };
                let mut handle = |t: &TickRecord| {
                    if t.loss_before() {
                        losses += 1;
                    }
                    gate.push(t, &mut deliver);
                    if let Some(d) = opts.consumer_delay {
                        std::thread::sleep(d);
                    }
                };
                while ring.poll_with(&mut handle) {
                    any = true;
                }
            }
            if finished {
                break;
            }
            if !any {
                std::thread::yield_now();
            }
        }
        waiter.join().expect("idle waiter panicked")
    });
    idle?;
    card.stop_rx();
    let latency = rings.iter().map(|(r, _)| (r.index(), card.latency_histogram(r.index()))).collect();
    let mut gate = GateStats::default();
    let mut statuses = Vec::new();
    for (ring, g) in rings {
        let gs = g.stats();
        gate.frames_good += gs.frames_good;
        gate.frames_bad += gs.frames_bad;
        gate.ticks_bad += gs.ticks_bad;
        gate.ticks_unverified += gs.ticks_unverified + g.pending() as u64;
        gate.verdict_records += gs.verdict_records;
        let index = ring.index();
        statuses.push((index, card.close_ring(ring, Duration::from_secs(10))?));
    }
    let counters = card.counters();
    let rule_hits = card.flow_hits();
    let iommu_violations = card.device().sim().memory().violations().len();
    Ok(ReplaySummary {
        ticks,
        event_records: events,
        gap_events,
        gap_messages,
        late_messages,
        loss_flags: losses,
        gate,
        counters,
        rule_hits,
        rings: statuses,
        latency,
        iommu_violations,
    })
}
