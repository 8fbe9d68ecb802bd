//! Run frames through the simulated card and hand every tick the host polls to a callback:
//! the real driver path (Card, Ring) on the Verilator model. Used by `tickwire replay`, the
//! end-to-end tests and benchmarks.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::card::{Card, CardError, RingStatus};
use crate::sim_device::SimDevice;
use crate::tick::TickRecord;
use crate::SimConfig;

/// How to replay.
#[derive(Clone, Debug)]
pub struct ReplayOptions {
    /// The simulated card's configuration (seed, backpressure, pacing).
    pub sim: SimConfig,
    /// Slots in ring 0.
    pub ring_slots: u32,
    /// Give up when the card has not gone idle this long after the last frame was queued.
    pub timeout: Duration,
    /// Sleep this long after each tick: a slow consumer, to show drops and LOSS flags.
    pub consumer_delay: Option<Duration>,
}

impl Default for ReplayOptions {
    fn default() -> Self {
        Self { sim: SimConfig::default(), ring_slots: 4096, timeout: Duration::from_secs(600), consumer_delay: None }
    }
}

/// One tick as the host received it.
#[derive(Clone, Debug)]
pub struct ReplayTick {
    /// Ring it arrived on.
    pub ring: usize,
    /// The record, as the card wrote it.
    pub record: TickRecord,
    /// The MoldUDP64 session in force (from the last session record on this ring).
    pub session: Option<[u8; 10]>,
}

/// What the run left behind.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ReplaySummary {
    /// Message ticks delivered (session records excluded).
    pub ticks: u64,
    /// Session records delivered.
    pub session_records: u64,
    /// Ticks that carried the LOSS flag.
    pub loss_flags: u64,
    /// Card counters by register name.
    pub counters: Vec<(&'static str, u32)>,
    /// Ring 0 registers after quiesce.
    pub ring: RingStatus,
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

/// Replay `frames` (`(bytes without FCS, MAC error flag)`) and call `on_tick` for every tick
/// polled from ring 0, in ring order, while the card runs.
pub fn replay(
    frames: Vec<(Vec<u8>, bool)>,
    opts: &ReplayOptions,
    mut on_tick: impl FnMut(&ReplayTick),
) -> Result<ReplaySummary, ReplayError> {
    let card = Card::open(SimDevice::new(opts.sim.clone())?)?;
    let mut ring = card.open_ring(0, opts.ring_slots)?;
    card.start();
    card.device().push_frames(frames);

    let mut session = None;
    let (mut ticks, mut sessions, mut losses) = (0u64, 0u64, 0u64);
    let done = AtomicBool::new(false);
    let idle = std::thread::scope(|s| {
        let waiter = s.spawn(|| {
            let r = card.device().wait_idle(opts.timeout);
            done.store(true, Ordering::Release);
            r
        });
        let mut handle = |t: &TickRecord| {
            if t.loss_before() {
                losses += 1;
            }
            if let Some(s) = t.session() {
                session = Some(s);
                sessions += 1;
            } else {
                ticks += 1;
            }
            on_tick(&ReplayTick { ring: 0, record: *t, session });
            if let Some(d) = opts.consumer_delay {
                std::thread::sleep(d);
            }
        };
        loop {
            let finished = done.load(Ordering::Acquire);
            let mut any = false;
            while ring.poll_with(&mut handle) {
                any = true;
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
    let status = card.close_ring(ring, Duration::from_secs(10))?;
    let counters = card.counters();
    let iommu_violations = card.device().sim().memory().violations().len();
    Ok(ReplaySummary { ticks, session_records: sessions, loss_flags: losses, counters, ring: status, iommu_violations })
}
