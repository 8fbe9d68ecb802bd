//! `tickwire`: the command-line tool. Each subcommand lives in `tickwired::cli::<name>`.
//!
//! - `tickwire gen --out FILE`: write a realistic MoldUDP64/ITCH 5.0 capture (pcap).
//! - `tickwire replay FILE [--jsonl]`: run a pcap/pcapng capture through the simulated card and
//!   print the ticks the driver polls from the host ring, then the card's counters.
//! - `tickwire list|bind|unbind|info`: cards on the PCI bus and VFIO (`cli::pci`, docs/vfio.md).
//! - `tickwire stats sim|BDF`: counters, rings, rule hits, latency histograms, clock, as JSON.
//! - `tickwire stats [--daemon ADDR]`, `tickwire top`: a running tickwired's state (`cli::status`).
//! - `tickwire rerequest-server`: a MoldUDP64 re-request server for the generator's day.

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
    /// A MoldUDP64 re-request server for the generator's day (demos of tickwired's gap recovery).
    RerequestServer(cli::rerequest::Args),
    /// List tickwire cards (or the PCI devices given): IOMMU group, driver, NUMA node, link.
    List(cli::pci::ListArgs),
    /// Bind a card to vfio-pci.
    Bind(cli::pci::BindArgs),
    /// Give a card back to the host (unbind from vfio-pci).
    Unbind(cli::pci::BindArgs),
    /// Identify a card (`sim` or a PCI address): ID, version, build id, capabilities.
    Info(cli::pci::InfoArgs),
    /// As JSON, once: a running tickwired's state (rings, gaps, recovery, latency, books, clock),
    /// or with `sim|BDF` a card's counters, rings, flow-rule hits, latency histograms and clock.
    Stats(StatsArgs),
    /// A live view of a running tickwired: per-ring rates, drops, gaps, latency, top of book.
    Top(cli::status::TopArgs),
}

#[derive(clap::Args)]
struct StatsArgs {
    /// `sim` or a PCI address: read that card directly instead of asking the daemon.
    target: Option<String>,
    /// The daemon's metrics address (`[metrics] addr` in its config).
    #[arg(long, default_value = cli::status::DEFAULT_DAEMON, conflicts_with = "target")]
    daemon: String,
    /// sysfs root, with a PCI address (default: $TICKWIRE_SYSFS or /sys).
    #[arg(long, requires = "target")]
    sysfs: Option<std::path::PathBuf>,
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
        Cmd::RerequestServer(a) => cli::rerequest::run(a),
        Cmd::List(a) => cli::pci::list(a),
        Cmd::Bind(a) => cli::pci::bind(a),
        Cmd::Unbind(a) => cli::pci::unbind(a),
        Cmd::Info(a) => cli::pci::info(a),
        Cmd::Stats(StatsArgs { target: Some(target), sysfs, .. }) => cli::pci::stats(cli::pci::InfoArgs { target, json: true, sysfs, manifests: None }),
        Cmd::Stats(a) => cli::status::stats(&a.daemon),
        Cmd::Top(a) => cli::status::top(a),
    }
}
