//! `make fuzz FRAMES=n [SEED=s]`: differential fuzzing of the simulated card against the
//! reference model (see `tickwire::fuzz`), in rounds of 2000 frames on every core. Prints
//! `fuzz: <frames> frames, <mismatches> mismatches, <hangs> hangs` last; exits 1 on any.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use tickwire::fuzz::{round, FuzzReport};

const ROUND: usize = 2000;

fn main() {
    let frames: u64 = std::env::var("FRAMES").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let base: u64 = std::env::var("SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_secs())
    });
    let rounds = frames.div_ceil(ROUND as u64);
    let next = AtomicU64::new(0);
    let total = Mutex::new(FuzzReport::default());
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    eprintln!("fuzz: {rounds} rounds of {ROUND} frames from seed {base} on {threads} threads");
    let start = std::time::Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= rounds {
                    break;
                }
                let r = round(base.wrapping_add(i), ROUND);
                let mut t = total.lock().unwrap_or_else(|e| e.into_inner());
                t.merge(r);
                if (i + 1).is_multiple_of(50) {
                    eprintln!(
                        "  {} frames, {} mismatches, {} hangs, {:.0} frames/s",
                        t.frames,
                        t.mismatches,
                        t.hangs,
                        t.frames as f64 / start.elapsed().as_secs_f64()
                    );
                }
            });
        }
    });
    let t = total.into_inner().unwrap_or_else(|e| e.into_inner());
    for d in &t.details {
        eprintln!("  {d}");
    }
    let c = |k: &str| t.coverage.get(k).copied().unwrap_or(0);
    eprintln!(
        "  exercised: {} messages, {} duplicates, {} late fills, {} gaps, {} new sessions, {} bad verdicts, {} count errors; ITCH: {} decoded, {} raw (wrong length), {} unknown types, {} filtered",
        c("mold_msgs"), c("seq_dups"), c("seq_late"), c("seq_gaps"), c("mold_sessions"), c("rx_bad_verdict"), c("mold_count_err"),
        c("itch_decoded"), c("itch_len_err"), c("itch_unknown"), c("itch_filtered")
    );
    println!("fuzz: {} frames, {} mismatches, {} hangs", t.frames, t.mismatches, t.hangs);
    if t.mismatches + t.hangs > 0 {
        std::process::exit(1);
    }
}
