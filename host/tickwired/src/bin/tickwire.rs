//! `tickwire`: the command-line tool. Each subcommand lives in `tickwired::cli::<name>`.
//!
//! - `tickwire gen --out FILE`: write a realistic MoldUDP64/ITCH 5.0 capture (pcap).
//! - `tickwire replay FILE [--jsonl]`: run a pcap/pcapng capture through the simulated card and
//!   print the ticks the driver polls from the host ring, then the card's counters.
//! - `tickwire list|bind|unbind|info`: cards on the PCI bus and VFIO (`cli::pci`, docs/vfio.md).
//! - `tickwire stats sim|BDF`: counters, rings, rule hits, latency histograms, clock, as JSON.

use anyhow::Result;
use clap::{Parser, Subcommand};
use tickwired::cli;

#[derive(Parser)]
#[command(name = "tickwire", version, about = "tickwire FPGA market-data card: tools")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    Gen(cli::gen::Args),
    Book(cli::book::Args),
    Replay(cli::replay::Args),
    /// List tickwire cards (or the PCI devices given): IOMMU group, driver, NUMA node, link.
    List(cli::pci::ListArgs),
    /// Bind a card to vfio-pci.
    Bind(cli::pci::BindArgs),
    /// Give a card back to the host (unbind from vfio-pci).
    Unbind(cli::pci::BindArgs),
    /// Identify a card (`sim` or a PCI address): ID, version, build id, capabilities.
    Info(cli::pci::InfoArgs),
    /// A card's counters, rings, flow-rule hits, in-card latency histograms and clock, as JSON.
    Stats(cli::pci::InfoArgs),
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().cmd {
        Cmd::Gen(a) => cli::gen::run(a),
        Cmd::Book(a) => cli::book::run(a),
        Cmd::Replay(a) => cli::replay::run(a),
        Cmd::List(a) => cli::pci::list(a),
        Cmd::Bind(a) => cli::pci::bind(a),
        Cmd::Unbind(a) => cli::pci::unbind(a),
        Cmd::Info(a) => cli::pci::info(a),
        Cmd::Stats(a) => cli::pci::stats(a),
    }
}
