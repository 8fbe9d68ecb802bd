//! `tickwire replay`: run a capture through the simulated card and print the ticks it delivers.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::json;
use tickwire::card::{latency_bin_ns, LATENCY_BINS};
use tickwire::flow::{FlowAction, FlowRule, FlowTable};
use tickwire::replay::{replay, ReplayOptions};
use tickwire::SimConfig;

use crate::config::Config;
use crate::output;

/// Run a capture through the simulated card and print the ticks it delivers.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// pcap or pcapng file (Ethernet); with --merge, the line A capture and the line B capture.
    #[arg(required = true, num_args = 1..=2)]
    pub files: Vec<PathBuf>,
    /// Interleave two captures by timestamp as lines A and B of the same feeds (without --config:
    /// the i-th destination of each capture is feed i; the two must use different destinations).
    #[arg(long)]
    pub merge: bool,
    /// Feeds, lines and filter settings (TOML; see docs/replay-jsonl.md). Without it every UDP
    /// destination (address and port) becomes a feed and anything else is dropped.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Hold mode: deliver a frame's ticks only once it is known good (overrides the config).
    #[arg(long)]
    pub hold: bool,
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
    if a.merge != (a.files.len() == 2) {
        bail!("give one capture, or --merge with two (line A, then line B)");
    }
    if let Some(r) = a.line_rate_gbps {
        if !(r > 0.0 && r <= 400.0) {
            bail!("--line-rate-gbps {r}: give a rate in Gb/s between 0 and 400 (e.g. 10)");
        }
    }
    let mut captures = Vec::new();
    for f in &a.files {
        captures.push(tickwire::pcap::read_capture(f).with_context(|| format!("reading {}", f.display()))?);
    }
    let config = a.config.as_deref().map(Config::load).transpose()?;
    let (flow, hold, max_frame) = match &config {
        Some(c) => {
            // the simulated card: 64 rules, 4 rings
            let path = a.config.as_deref().unwrap_or_else(|| std::path::Path::new("-"));
            let table = c.flow_table(64, 4).with_context(|| format!("config {}", path.display()))?;
            (table, c.filter.hold, c.filter.max_frame)
        }
        None => (auto_flow(&captures)?, false, 1522),
    };
    // one stream, ordered by capture timestamp (line A first on ties)
    let mut frames: Vec<(u64, usize, Vec<u8>)> = Vec::new();
    for (line, cap) in captures.into_iter().enumerate() {
        frames.extend(cap.into_iter().map(|f| (f.ts_ns, line, f.data)));
    }
    frames.sort_by_key(|&(ts, line, _)| (ts, line));
    let nframes = frames.len();
    let opts = ReplayOptions {
        sim: SimConfig { seed: a.seed, line_rate_bps: a.line_rate_gbps.map(|r| (r * 1e9) as u64), ..SimConfig::default() },
        flow,
        hold: hold || a.hold,
        max_frame,
        ring_slots: a.ring_slots,
        timeout: Duration::from_secs(3600),
        consumer_delay: a.consumer_delay,
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if !a.jsonl {
        writeln!(out, "{}", output::table_header())?;
    }
    let mut werr = None;
    let mut dir = tickwire::tick::StockDirectory::default();
    let summary = replay(frames.into_iter().map(|(_, _, f)| (f, false)).collect(), &opts, |t| {
        if werr.is_some() {
            return;
        }
        let ev = t.record.is_event();
        dir.observe(&t.record);
        let r = if a.jsonl {
            let v = if ev { output::event_json(t) } else { output::tick_json(t, &dir) };
            serde_json::to_writer(&mut out, &v).map_err(std::io::Error::from).and_then(|_| writeln!(out))
        } else if ev {
            writeln!(out, "{}", output::event_row(t))
        } else {
            writeln!(out, "{}", output::tick_row(t, &dir))
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
    let rings: Vec<serde_json::Value> = summary
        .rings
        .iter()
        .map(|(i, r)| json!({"index": i, "prod": r.prod, "cons": r.cons, "drops": r.drops, "cfg_error": r.cfg_error, "dma_error": r.dma_error}))
        .collect();
    if a.jsonl {
        let stats = json!({
            "kind": "stats",
            "frames": nframes,
            "ticks": summary.ticks,
            "event_records": summary.event_records,
            "gap_events": summary.gap_events,
            "gap_messages": summary.gap_messages,
            "late_messages": summary.late_messages,
            "ring_drops": summary.ring_drops(),
            "loss_flags": summary.loss_flags,
            "frames_bad": summary.gate.frames_bad,
            "ticks_discarded_bad": summary.gate.ticks_bad,
            "ticks_discarded_unverified": summary.gate.ticks_unverified,
            "counters": counters,
            "rule_hits": &summary.rule_hits[..opts.flow.rules.len()],
            "latency": latency_json(&summary.latency),
            "rings": rings,
            "iommu_violations": summary.iommu_violations,
        });
        writeln!(out, "{stats}")?;
    } else {
        writeln!(out, "\n{} frames in, {} ticks out ({} event records: {} gaps of {} messages, {} of them filled late); {} bad frames discarded ({} ticks); ring drops {} ({} ticks flagged LOSS)",
            nframes, summary.ticks, summary.event_records, summary.gap_events, summary.gap_messages, summary.late_messages,
            summary.gate.frames_bad, summary.gate.ticks_bad, summary.ring_drops(), summary.loss_flags)?;
        for (k, v) in &summary.counters {
            writeln!(out, "  {k:<16} {v}")?;
        }
        for (i, h) in summary.rule_hits.iter().take(opts.flow.rules.len()).enumerate() {
            writeln!(out, "  rule {i:<11} {h} hits")?;
        }
        for (ring, hist) in &summary.latency {
            let bins: Vec<String> = hist
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(b, n)| match latency_bin_ns(b) {
                    (lo, Some(hi)) => format!("{lo}-{hi} ns: {n}"),
                    (lo, None) => format!(">= {lo} ns: {n}"),
                })
                .collect();
            writeln!(out, "  ring {ring} in-card latency (DMA issue - receive): {}", bins.join(", "))?;
        }
    }
    out.flush()?;
    if summary.iommu_violations > 0 {
        bail!("{} DMA writes hit no mapped window", summary.iommu_violations);
    }
    Ok(())
}

/// The histograms as JSON: per ring, the non-empty bins with their edges.
pub fn latency_json(latency: &[(usize, [u32; LATENCY_BINS])]) -> serde_json::Value {
    latency
        .iter()
        .map(|(ring, hist)| {
            let bins: Vec<serde_json::Value> = hist
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(b, n)| {
                    let (lo, hi) = latency_bin_ns(b);
                    json!({"bin": b, "from_ns": lo, "to_ns": hi, "count": n})
                })
                .collect();
            json!({"ring": ring, "bins": bins})
        })
        .collect()
}

/// Without a config: the i-th UDP destination (address, port) of each capture is feed i, on
/// line A for the first capture and line B for the second, into ring 0; anything else dropped.
fn auto_flow(captures: &[Vec<tickwire::pcap::CapturedFrame>]) -> Result<FlowTable> {
    let mut rules: Vec<FlowRule> = Vec::new();
    for (line, cap) in captures.iter().enumerate() {
        let t = FlowTable::one_feed_per_flow(cap.iter().map(|f| f.data.as_slice()), 64).map_err(anyhow::Error::msg)?;
        for mut r in t.rules {
            if rules.iter().any(|o| o.dst_ip == r.dst_ip && o.dst_port == r.dst_port) {
                bail!(
                    "{}:{} is a destination in both captures: the card tells lines apart by destination; give a --config that names each line's group",
                    r.dst_ip,
                    r.dst_port.unwrap_or(0)
                );
            }
            if let FlowAction::Deliver { line: l, .. } = &mut r.action {
                *l = line as u8;
            }
            rules.push(r);
        }
    }
    Ok(FlowTable { rules, default: FlowAction::Drop })
}
