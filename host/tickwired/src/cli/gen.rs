//! `tickwire gen`: write a realistic MoldUDP64 / ITCH 5.0 capture.

use std::net::{Ipv4Addr, SocketAddrV4};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use tickwire::gen::LineImpairments;

/// Generate a MoldUDP64 / ITCH 5.0 capture (pcap, nanosecond timestamps).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output file.
    #[arg(long)]
    pub out: PathBuf,
    /// ITCH messages in total.
    #[arg(long, default_value_t = 2000)]
    pub messages: usize,
    /// Securities (stock locates 1..=N).
    #[arg(long, default_value_t = 8)]
    pub symbols: usize,
    /// Random seed: the same seed writes the same file.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Tag frames with this 802.1Q VLAN id.
    #[arg(long)]
    pub vlan: Option<u16>,
    /// Also write the feed's line B (the same packets to `--group-b`) to this file; `--out` is
    /// then line A. `tickwire replay --merge A B` replays the two as one feed.
    #[arg(long)]
    pub out_b: Option<PathBuf>,
    /// Line B's multicast group (line A's is the default feed's, 233.54.12.111).
    #[arg(long, default_value = "233.49.196.111")]
    pub group_b: Ipv4Addr,
    /// Probability that a packet is lost on line A.
    #[arg(long, default_value_t = 0.0)]
    pub loss_a: f64,
    /// Probability that a packet is lost on line B.
    #[arg(long, default_value_t = 0.0)]
    pub loss_b: f64,
    /// Probability that a line sends a packet twice.
    #[arg(long, default_value_t = 0.0)]
    pub dup: f64,
    /// Probability that a line sends a packet after the next one.
    #[arg(long, default_value_t = 0.0)]
    pub reorder: f64,
    /// Line B's copies leave this many microseconds after line A's.
    #[arg(long, default_value_t = 0)]
    pub skew_us: u64,
}

/// Run `tickwire gen`.
pub fn run(a: Args) -> Result<()> {
    for (flag, p) in [("--loss-a", a.loss_a), ("--loss-b", a.loss_b), ("--dup", a.dup), ("--reorder", a.reorder)] {
        if !(0.0..=1.0).contains(&p) {
            bail!("{flag} {p} is not a probability: give a number from 0 to 1");
        }
    }
    let describes_b = a.loss_b != 0.0 || a.skew_us != 0;
    if a.out_b.is_none() && describes_b {
        bail!("--loss-b and --skew-us describe line B: add --out-b FILE to write it");
    }
    let cfg = tickwire::gen::GenConfig { seed: a.seed, messages: a.messages, symbols: a.symbols, vlan: a.vlan, ..Default::default() };
    let packets = tickwire::gen::generate(&cfg).context("generating the feed")?;
    let line = |loss, delay_ns| LineImpairments { loss, dup: a.dup, reorder: a.reorder, delay_ns };
    let b_dst = SocketAddrV4::new(a.group_b, cfg.dst.port());
    if b_dst == cfg.dst {
        bail!("--group-b {} is line A's group too: the card tells lines apart by destination; give another", a.group_b);
    }
    let [fa, fb] = tickwire::gen::to_lines(&cfg, &packets, b_dst, &line(a.loss_a, 0), &line(a.loss_b, a.skew_us * 1000))
        .context("building frames")?;
    write(&a.out, &fa)?;
    eprintln!("tickwire gen: {} messages in {} packets; line A: {} frames -> {}", a.messages, packets.len(), fa.len(), a.out.display());
    if let Some(out_b) = &a.out_b {
        write(out_b, &fb)?;
        eprintln!("tickwire gen: line B ({}): {} frames -> {}", b_dst, fb.len(), out_b.display());
    }
    Ok(())
}

fn write(out: &Path, frames: &[tickwire::pcap::CapturedFrame]) -> Result<()> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    tickwire::pcap::write_pcap(out, frames).with_context(|| format!("writing {}", out.display()))
}

