//! Capture: record one ring's ticks to a capture file (`tickwire::capture`, docs/capture-format.md)
//! while the daemon runs.
//!
//! The capture is just another reader of the ring's fan-out ring (`tickwire_client::Reader`): it
//! maps the ring read-only and publishes nothing, so however slow the disk, the poll thread never
//! waits for it. If the capture falls more than a fan-out ring behind, the ring laps it: the
//! ticks it missed are counted ([`CaptureShared::losses`]) and the next record it writes carries
//! `FLAG_LOSS`, so no loss is silent in the file.
//!
//! It writes what the daemon delivers to readers: the records of good frames after the verdict
//! gate (events included, verdict records and bad frames' records not), in ring order.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::*};
use std::time::Duration;

use anyhow::{Context, Result};
use tickwire::capture::{CaptureStats, CaptureWriter};
use tickwire_client::{Batch, Reader, SLOT_BYTES};
use tracing::{info, warn};

/// How long the capture sleeps when the fan-out ring is empty. The ring must hold this long of
/// the feed at its peak rate (a 65 536-slot ring holds 1 ms of 65 M ticks/s).
pub const IDLE_SLEEP: Duration = Duration::from_millis(1);
/// Ticks copied out of the fan-out ring per batch.
const BATCH: usize = 256;

/// The capture's counters, for metrics (updated after every batch).
#[derive(Debug, Default)]
pub struct CaptureShared {
    /// Records written to the file.
    pub records: AtomicU64,
    /// Ticks the capture missed because the fan-out ring lapped it.
    pub losses: AtomicU64,
    /// Records written with `FLAG_LOSS` because ticks were missed just before them.
    pub loss_marks: AtomicU64,
}

impl CaptureShared {
    fn publish(&self, s: CaptureStats) {
        self.records.store(s.records, Relaxed);
        self.losses.store(s.losses, Relaxed);
        self.loss_marks.store(s.loss_marks, Relaxed);
    }
}

/// Record the ticks of the fan-out ring `fanout_ring` (the daemon's ring `ring`, on the card
/// `device`: `sim` or a PCI address) to a new capture file `out`, until `stop` is set or the
/// ring's writer closes; then drain what the ring still holds, finish the file and return what
/// was written.
///
/// The capture starts at the oldest tick still in the fan-out ring: everything since the daemon
/// created it, if it has not wrapped yet. Ticks it has already overwritten are counted as lost
/// and mark the first record.
pub fn run(
    fanout_ring: &Path,
    out: &Path,
    ring: usize,
    device: &str,
    stop: &AtomicBool,
    shared: &CaptureShared,
) -> Result<CaptureStats> {
    let ring16 = u16::try_from(ring).with_context(|| format!("capture of ring {ring}: ring index too large for a capture file"))?;
    let mut reader = Reader::open(fanout_ring).with_context(|| format!("capture of ring {ring}: attaching to its fan-out ring"))?;
    let mut writer =
        CaptureWriter::create(out, ring16, device).with_context(|| format!("capture of ring {ring}: creating the capture file"))?;
    reader.rewind();
    if reader.position() > 0 {
        warn!(ring, missed = reader.position(), "capture: the fan-out ring had wrapped before the capture attached; the first record is marked LOSS");
        writer.note_loss(reader.position());
    }
    info!(ring, path = %out.display(), fanout = %fanout_ring.display(), "capture started");
    pump(&mut reader, &mut writer, stop, shared).with_context(|| format!("capture of ring {ring} to {}", out.display()))?;
    let stats = writer.finish().with_context(|| format!("capture of ring {ring}: finishing {}", out.display()))?;
    shared.publish(stats);
    info!(ring, path = %out.display(), records = stats.records, losses = stats.losses, "capture finished");
    Ok(stats)
}

/// The capture loop: copy every tick `reader` gets to `writer` (a lap → `note_loss`), flush and
/// sleep [`IDLE_SLEEP`] when the ring is empty, until `stop` is set or the ring's writer has
/// closed; then drain: read on up to the ring's head as it was then (or until the ring is empty)
/// and return. The file is not finished: the caller does that.
pub fn pump(reader: &mut Reader, writer: &mut CaptureWriter, stop: &AtomicBool, shared: &CaptureShared) -> Result<()> {
    let mut buf = vec![[0u8; SLOT_BYTES]; BATCH];
    let mut unflushed = false;
    // Set when stopping: the position to drain up to.
    let mut until: Option<u64> = None;
    loop {
        if until.is_none() && (stop.load(Acquire) || reader.writer_closed()) {
            // Everything published before this point is read before returning; a writer that
            // keeps publishing does not keep the capture alive.
            until = Some(reader.position() + reader.backlog());
        }
        if until.is_some_and(|u| reader.position() >= u) {
            break;
        }
        match reader.next_batch(&mut buf) {
            Batch::Ticks(n) => {
                for t in &buf[..n] {
                    writer.write(t)?;
                }
                unflushed = true;
                shared.publish(writer.stats());
            }
            Batch::Lapped { missed } => {
                warn!(missed, "capture: lapped by the fan-out ring (the disk is too slow for the feed?); the next record is marked LOSS");
                writer.note_loss(missed);
                shared.publish(writer.stats());
            }
            Batch::Empty => {
                if until.is_some() {
                    break;
                }
                if unflushed {
                    // A daemon that dies now leaves every record read so far in the file.
                    writer.flush()?;
                    unflushed = false;
                }
                std::thread::sleep(IDLE_SLEEP);
            }
        }
    }
    Ok(())
}
