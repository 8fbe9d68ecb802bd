//! `tickwire replay`: run a pcap through the simulated card and print the ticks it delivers, or
//! print the ticks of a tick capture file (twcap, docs/capture-format.md) the same way, without
//! the card.

use std::io::{BufWriter, IsTerminal, StdoutLock, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use tickwire::capture::{CaptureError, CaptureReader};
use tickwire::card::{latency_bin_ns, LATENCY_BINS};
use tickwire::flow::{FlowAction, FlowRule, FlowTable};
use tickwire::replay::{replay, ReplayOptions, ReplayTick};
use tickwire::tick::{StockDirectory, FLAG_FRAME_END};
use tickwire::SimConfig;

use crate::config::Config;
use crate::output;

/// Run a capture through the simulated card and print the ticks it delivers (or print a tick
/// capture file's ticks).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// pcap or pcapng file (Ethernet); with --merge, the line A capture and the line B capture.
    /// Or a tick capture file (twcap, written by tickwired's capture): its ticks are printed as
    /// recorded, without the card, so the card's options do not apply.
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
    /// Slots in the host ring (power of two) [default: 4096].
    #[arg(long, value_name = "N")]
    pub ring_slots: Option<u32>,
    /// Simulation seed (backpressure, idle insertion, X initialisation) [default: 1].
    #[arg(long, value_name = "SEED")]
    pub seed: Option<u64>,
    /// Pace frames at this line rate in Gb/s (default: back to back).
    #[arg(long)]
    pub line_rate_gbps: Option<f64>,
    /// Make the consumer slow: wait this long after each tick (e.g. 20us, 1ms). With a small
    /// --ring-slots the ring fills: the card drops and counts ticks, and flags the next one.
    #[arg(long, value_parser = parse_duration)]
    pub consumer_delay: Option<Duration>,
    /// Show a progress bar on standard error even for a short input, or with the ticks going to
    /// the terminal too (by default: only when standard error is a terminal, standard output is
    /// not, and the input has more than 10 000 frames or records).
    #[arg(long, conflicts_with = "no_progress")]
    pub progress: bool,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

/// Inputs longer than this (frames, or capture records) get a progress bar by default.
pub const PROGRESS_MIN_ITEMS: u64 = 10_000;

/// Whether to show a progress bar: `force` is --progress (`Some(true)`) or --no-progress
/// (`Some(false)`). Never when standard error is not a terminal (pipes, tests, logs). By default
/// not when standard output is the same terminal either: the bar would be drawn over the tick
/// lines.
pub fn want_progress(force: Option<bool>, items: u64, stderr_tty: bool, stdout_tty: bool) -> bool {
    match force {
        Some(false) => false,
        _ if !stderr_tty => false,
        Some(true) => true,
        None => items > PROGRESS_MIN_ITEMS && !stdout_tty,
    }
}

/// A progress bar over `items` frames or records on standard error, if [`want_progress`].
fn progress_bar(a: &Args, items: u64, unit: &str) -> Option<ProgressBar> {
    let force = if a.progress { Some(true) } else if a.no_progress { Some(false) } else { None };
    if !want_progress(force, items, std::io::stderr().is_terminal(), std::io::stdout().is_terminal()) {
        return None;
    }
    let style = ProgressStyle::with_template(&format!("{{elapsed_precise}} [{{wide_bar}}] {{human_pos}}/{{human_len}} {unit}, {{eta}} left"))
    .expect("valid template")
    .progress_chars("=> ");
    Some(ProgressBar::with_draw_target(Some(items), ProgressDrawTarget::stderr()).with_style(style))
}

/// Prints ticks as a table or as JSON lines (docs/replay-jsonl.md): one code path for the ticks
/// the card delivers and for those of a capture file. Stops printing at the first write error
/// (kept for [`TickPrinter::finish`]: a closed pipe ends the output quietly).
struct TickPrinter {
    out: BufWriter<StdoutLock<'static>>,
    jsonl: bool,
    dir: StockDirectory,
    err: Option<std::io::Error>,
}

impl TickPrinter {
    fn new(jsonl: bool) -> Result<Self> {
        let mut out = BufWriter::new(std::io::stdout().lock());
        if !jsonl {
            writeln!(out, "{}", output::table_header())?;
        }
        Ok(TickPrinter { out, jsonl, dir: StockDirectory::default(), err: None })
    }

    fn print(&mut self, t: &ReplayTick) {
        if self.err.is_some() {
            return;
        }
        let out = &mut self.out;
        let ev = t.record.is_event();
        self.dir.observe(&t.record);
        let r = if self.jsonl {
            let v = if ev { output::event_json(t) } else { output::tick_json(t, &self.dir) };
            serde_json::to_writer(&mut *out, &v).map_err(std::io::Error::from).and_then(|_| writeln!(out))
        } else if ev {
            writeln!(out, "{}", output::event_row(t))
        } else {
            writeln!(out, "{}", output::tick_row(t, &self.dir))
        };
        if let Err(e) = r {
            self.err = Some(e);
        }
    }

    /// After the ticks: `Ok(false)` if the reader went away (broken pipe: print nothing more),
    /// the write error if another one stopped the output, else `Ok(true)`.
    fn ticks_written(&mut self) -> Result<bool> {
        match self.err.take() {
            None => Ok(true),
            Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
            Some(e) => Err(e).context("writing ticks"),
        }
    }
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
    if let Some(cap) = a.files.iter().find(|f| tickwire::capture::file_is_capture(f)) {
        return run_capture(&a, cap);
    }
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
        sim: SimConfig { seed: a.seed.unwrap_or(1), line_rate_bps: a.line_rate_gbps.map(|r| (r * 1e9) as u64), ..SimConfig::default() },
        flow,
        hold: hold || a.hold,
        max_frame,
        ring_slots: a.ring_slots.unwrap_or(4096),
        timeout: Duration::from_secs(3600),
        consumer_delay: a.consumer_delay,
    };
    let mut printer = TickPrinter::new(a.jsonl)?;
    // Progress: frames whose ticks were delivered (each good frame's last record carries
    // FRAME_END); frames that deliver nothing (filtered, heartbeats, bad) do not move it.
    let bar = progress_bar(&a, nframes as u64, "frames");
    let summary = replay(frames.into_iter().map(|(_, _, f)| (f, false)).collect(), &opts, |t| {
        printer.print(t);
        if let Some(b) = &bar {
            if t.record.flags & FLAG_FRAME_END != 0 {
                b.inc(1);
            }
        }
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let summary = summary.context("replaying through the simulated card")?;
    if !printer.ticks_written()? {
        return Ok(());
    }
    let out = &mut printer.out;
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

/// `tickwire replay FILE` for a tick capture file (twcap): its records printed as the card path
/// prints the ticks it polls (the feed's session attached from its last event record the same
/// way), then a summary. There is no card, so its options are refused. Verdict records, which
/// the daemon never delivers, are counted and not printed. A file that ends in a partial record
/// (its writer died mid-record) is printed up to its last whole record, then reported as an error.
fn run_capture(a: &Args, file: &Path) -> Result<()> {
    let card_only = [
        ("--merge", a.merge),
        ("--config", a.config.is_some()),
        ("--hold", a.hold),
        ("--ring-slots", a.ring_slots.is_some()),
        ("--seed", a.seed.is_some()),
        ("--line-rate-gbps", a.line_rate_gbps.is_some()),
        ("--consumer-delay", a.consumer_delay.is_some()),
    ];
    if let Some((opt, _)) = card_only.iter().find(|(_, given)| *given) {
        bail!(
            "{opt} is an option of the simulated card, but {} is a tick capture file, whose ticks are printed as recorded, without the card: drop {opt}",
            file.display()
        );
    }
    if a.files.len() > 1 {
        bail!("{} is a tick capture file: give it alone (capture files are printed, not merged)", file.display());
    }
    let reader = CaptureReader::open(file)?;
    let h = reader.header().clone();
    let records = reader.len();
    let tail = reader.truncated_tail();
    let ring = usize::from(h.ring);
    let mut printer = TickPrinter::new(a.jsonl)?;
    let bar = progress_bar(a, records, "records");
    let mut sessions = [None; tickwire::flow::FEEDS];
    let (mut ticks, mut events, mut gap_events, mut gap_messages) = (0u64, 0u64, 0u64, 0u64);
    let (mut late, mut loss_flags, mut verdicts) = (0u64, 0u64, 0u64);
    let mut failed = None;
    for rec in reader {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                failed = Some(e);
                break;
            }
        };
        if let Some(b) = &bar {
            b.inc(1);
        }
        loss_flags += u64::from(rec.loss_before());
        if rec.is_verdict() {
            verdicts += 1;
            continue;
        }
        let feed = usize::from(rec.feed) % tickwire::flow::FEEDS;
        if let Some(s) = rec.session() {
            sessions[feed] = Some(s);
            events += 1;
            if let Some(g) = rec.gap() {
                gap_events += 1;
                gap_messages += g.end.saturating_sub(g.start);
            }
        } else {
            ticks += 1;
            late += u64::from(rec.is_late());
        }
        printer.print(&ReplayTick { ring, record: rec, session: sessions[feed] });
        if printer.err.is_some() {
            break;
        }
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match failed {
        // the summary first, then the error
        Some(CaptureError::TruncatedTail { .. }) | None => {}
        Some(e) => return Err(e).context("reading the capture file"),
    }
    if !printer.ticks_written()? {
        return Ok(());
    }
    let out = &mut printer.out;
    if a.jsonl {
        let stats = json!({
            "kind": "stats",
            "source": "capture",
            "file": file.display().to_string(),
            "format_version": h.format_version,
            "tick_version": h.tick_version,
            "ring": h.ring,
            "device": h.device,
            "created_unix_ns": h.created_unix_ns,
            "records": records,
            "ticks": ticks,
            "event_records": events,
            "gap_events": gap_events,
            "gap_messages": gap_messages,
            "late_messages": late,
            "loss_flags": loss_flags,
            "verdict_records": verdicts,
            "truncated_tail": tail.map_or(serde_json::Value::Null, |t| json!({"offset": t.offset, "bytes": t.bytes})),
        });
        writeln!(out, "{stats}")?;
    } else {
        writeln!(
            out,
            "\n{records} records from capture {} (ring {}, device {}, created_unix_ns {}): {ticks} ticks, {events} event records ({gap_events} gaps of {gap_messages} messages, {late} of them filled late); {loss_flags} records flagged LOSS",
            file.display(), h.ring, h.device, h.created_unix_ns
        )?;
        if verdicts > 0 {
            writeln!(out, "  {verdicts} verdict records not printed")?;
        }
    }
    out.flush()?;
    if let Some(e) = failed {
        return Err(e.into());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_only_on_a_terminal_and_for_long_inputs() {
        let long = PROGRESS_MIN_ITEMS + 1;
        // default: stderr a terminal, stdout not, a long input
        assert!(want_progress(None, long, true, false));
        assert!(!want_progress(None, PROGRESS_MIN_ITEMS, true, false), "short input");
        assert!(!want_progress(None, long, false, false), "stderr is a pipe or a file");
        assert!(!want_progress(None, long, true, true), "ticks printed to the same terminal");
        // --progress: any length, even with the ticks on the terminal, but never into a pipe
        assert!(want_progress(Some(true), 1, true, true));
        assert!(!want_progress(Some(true), long, false, false));
        // --no-progress
        assert!(!want_progress(Some(false), long, true, false));
    }
}
