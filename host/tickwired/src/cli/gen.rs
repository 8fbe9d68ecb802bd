//! `tickwire gen`: write a realistic MoldUDP64 / ITCH 5.0 capture.

use std::path::PathBuf;

use anyhow::{Context, Result};

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
}

/// Run `tickwire gen`.
pub fn run(a: Args) -> Result<()> {
    gen(a.out, a.messages, a.symbols, a.seed, a.vlan)
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

