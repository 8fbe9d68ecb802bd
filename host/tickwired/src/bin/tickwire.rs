//! `tickwire`: the command-line tool.
//!
//! - `tickwire gen --out FILE`: write a realistic MoldUDP64/ITCH 5.0 capture (pcap).
//! - `tickwire replay FILE [--jsonl]`: run a pcap/pcapng capture through the simulated card and
//!   print the ticks the driver polls from the host ring, then the card's counters.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use serde_json::json;
use tickwire::replay::{replay, ReplayOptions};
use tickwire::SimConfig;
use tickwired::output;

#[derive(Parser)]
#[command(name = "tickwire", version, about = "tickwire FPGA market-data card: tools")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Generate a MoldUDP64 / ITCH 5.0 capture (pcap, nanosecond timestamps).
    Gen {
        /// Output file.
        #[arg(long)]
        out: PathBuf,
        /// ITCH messages in total.
        #[arg(long, default_value_t = 2000)]
        messages: usize,
        /// Securities (stock locates 1..=N).
        #[arg(long, default_value_t = 8)]
        symbols: usize,
        /// Random seed: the same seed writes the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Tag frames with this 802.1Q VLAN id.
        #[arg(long)]
        vlan: Option<u16>,
    },
    /// Run a capture through the simulated card and print the ticks it delivers.
    Replay {
        /// pcap or pcapng file (Ethernet).
        file: PathBuf,
        /// One JSON object per line (schema: docs/replay-jsonl.md).
        #[arg(long)]
        jsonl: bool,
        /// Slots in the host ring (power of two).
        #[arg(long, default_value_t = 4096)]
        ring_slots: u32,
        /// Simulation seed (backpressure, idle insertion, X initialisation).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Pace frames at this line rate in Gb/s (default: back to back).
        #[arg(long)]
        line_rate_gbps: Option<f64>,
    },
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().cmd {
        Cmd::Gen { out, messages, symbols, seed, vlan } => gen(out, messages, symbols, seed, vlan),
        Cmd::Replay { file, jsonl, ring_slots, seed, line_rate_gbps } => {
            run_replay(file, jsonl, ring_slots, seed, line_rate_gbps)
        }
    }
}

fn gen(out: PathBuf, messages: usize, symbols: usize, seed: u64, vlan: Option<u16>) -> Result<()> {
    let cfg = tickwire::gen::GenConfig { seed, messages, symbols, vlan, ..Default::default() };
    let packets = tickwire::gen::generate(&cfg).context("generating the feed")?;
    let frames = tickwire::gen::to_frames(&cfg, &packets).context("building frames")?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    tickwire::pcap::write_pcap(&out, &frames).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("tickwire gen: {} messages in {} packets -> {}", messages, frames.len(), out.display());
    Ok(())
}

fn run_replay(file: PathBuf, jsonl: bool, ring_slots: u32, seed: u64, rate: Option<f64>) -> Result<()> {
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
            "counters": counters,
            "ring": {"index": 0, "prod": summary.ring.prod, "cons": summary.ring.cons, "drops": summary.ring.drops,
                     "cfg_error": summary.ring.cfg_error, "dma_error": summary.ring.dma_error},
            "iommu_violations": summary.iommu_violations,
        });
        writeln!(out, "{stats}")?;
    } else {
        writeln!(out, "\n{} frames in, {} ticks out ({} session records); ring 0: prod {} drops {}",
            nframes, summary.ticks, summary.session_records, summary.ring.prod, summary.ring.drops)?;
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
