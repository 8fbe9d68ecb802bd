//! `tickwire`: the command-line tool. Each subcommand lives in `tickwired::cli::<name>`.
//!
//! - `tickwire gen --out FILE`: write a realistic MoldUDP64/ITCH 5.0 capture (pcap).
//! - `tickwire replay FILE [--jsonl]`: run a pcap/pcapng capture through the simulated card and
//!   print the ticks the driver polls from the host ring, then the card's counters.

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
    Replay(cli::replay::Args),
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().cmd {
        Cmd::Gen(a) => cli::gen::run(a),
        Cmd::Replay(a) => cli::replay::run(a),
    }
}
