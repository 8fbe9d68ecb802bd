//! `tickwire replay`: run a capture through the simulated card and print the ticks it delivers.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::json;
use tickwire::replay::{replay, ReplayOptions};
use tickwire::SimConfig;

use crate::output;

/// Run a capture through the simulated card and print the ticks it delivers.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// pcap or pcapng file (Ethernet).
    pub file: PathBuf,
    /// One JSON object per line (schema: docs/replay-jsonl.md).
    #[arg(long)]
    pub jsonl: bool,
    /// Slots in the host ring (power of two).
    #[arg(long, default_value_t = 4096)]
    pub ring_slots: u32,
    /// Simulation seed (backpressure, idle insertion, X initialisation).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Pace frames at this line rate in Gb/s (default: back to back).
    #[arg(long)]
    pub line_rate_gbps: Option<f64>,
    /// Make the consumer slow: wait this long after each tick (e.g. 20us, 1ms). With a small
    /// --ring-slots the ring fills: the card drops and counts ticks, and flags the next one.
    #[arg(long, value_parser = parse_duration)]
    pub consumer_delay: Option<Duration>,
}

/// "250ns", "20us", "1.5ms", "2s".
fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let v: f64 = num.parse().map_err(|_| format!("{s:?}: expected a number and a unit, e.g. 20us"))?;
    let ns = match unit {
        "ns" => v,
        "us" | "µs" => v * 1e3,
        "ms" => v * 1e6,
        "s" => v * 1e9,
        _ => return Err(format!("{s:?}: unit must be ns, us, ms or s")),
    };
    Ok(Duration::from_nanos(ns as u64))
}

/// Run `tickwire replay`.
pub fn run(a: Args) -> Result<()> {
    run_replay(a.file, a.jsonl, a.ring_slots, a.seed, a.line_rate_gbps, a.consumer_delay)
}

fn run_replay(
    file: PathBuf,
    jsonl: bool,
    ring_slots: u32,
    seed: u64,
    rate: Option<f64>,
    consumer_delay: Option<Duration>,
) -> Result<()> {
    let frames = tickwire::pcap::read_capture(&file).with_context(|| format!("reading {}", file.display()))?;
    if let Some(r) = rate {
        if !(r > 0.0 && r <= 400.0) {
            bail!("--line-rate-gbps {r}: give a rate in Gb/s between 0 and 400 (e.g. 10)");
        }
    }
    let nframes = frames.len();
    let opts = ReplayOptions {
        sim: SimConfig { seed, line_rate_bps: rate.map(|r| (r * 1e9) as u64), ..SimConfig::default() },
        ring_slots,
        timeout: Duration::from_secs(3600),
        consumer_delay,
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if !jsonl {
        writeln!(out, "{}", output::table_header())?;
    }
    let mut werr = None;
    let summary = replay(frames.into_iter().map(|f| (f.data, false)).collect(), &opts, |t| {
        if t.record.is_session() || werr.is_some() {
            return;
        }
        let r = if jsonl {
            serde_json::to_writer(&mut out, &output::tick_json(t)).map_err(std::io::Error::from).and_then(|_| writeln!(out))
        } else {
            writeln!(out, "{}", output::tick_row(t))
        };
        if let Err(e) = r {
            werr = Some(e);
        }
    })
    .context("replaying through the simulated card")?;
    if let Some(e) = werr {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(());
        }
        return Err(e).context("writing ticks");
    }
    let counters: serde_json::Map<String, serde_json::Value> =
        summary.counters.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    if jsonl {
        let stats = json!({
            "kind": "stats",
            "frames": nframes,
            "ticks": summary.ticks,
            "session_records": summary.session_records,
            "ring_drops": summary.ring.drops,
            "loss_flags": summary.loss_flags,
            "counters": counters,
            "ring": {"index": 0, "prod": summary.ring.prod, "cons": summary.ring.cons, "drops": summary.ring.drops,
                     "cfg_error": summary.ring.cfg_error, "dma_error": summary.ring.dma_error},
            "iommu_violations": summary.iommu_violations,
        });
        writeln!(out, "{stats}")?;
    } else {
        writeln!(out, "\n{} frames in, {} ticks out ({} session records); ring 0: prod {} drops {} ({} ticks flagged LOSS)",
            nframes, summary.ticks, summary.session_records, summary.ring.prod, summary.ring.drops, summary.loss_flags)?;
        for (k, v) in &summary.counters {
            writeln!(out, "  {k:<14} {v}")?;
        }
    }
    out.flush()?;
    if summary.iommu_violations > 0 {
        bail!("{} DMA writes hit no mapped window", summary.iommu_violations);
    }
    Ok(())
}
