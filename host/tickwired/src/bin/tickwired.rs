//! `tickwired`: the tickwire daemon (docs/daemon.md).
//!
//! - `tickwired --config FILE`: run in the foreground until SIGTERM/SIGINT (or `run.duration`,
//!   or the end of the simulated card's source with `run.stop_at_end`); logs go to standard error
//!   (`RUST_LOG`, default `info`), the exit summary (one JSON line) to standard output.
//! - `tickwired check-config FILE`: check a config file; every error names the key and the fix.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tickwired::daemon;

#[derive(Parser)]
#[command(name = "tickwired", version, about = "tickwire daemon: owns the card, polls its rings, serves /metrics")]
struct Cli {
    /// Config file (TOML; docs/daemon.md). Runs the daemon.
    #[arg(long, short = 'c')]
    config: Option<PathBuf>,
    #[command(subcommand)]
    cmd: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Check a config file and exit: 0 if it is good, 1 with the key and the fix if not.
    CheckConfig { file: PathBuf },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match (cli.cmd, cli.config) {
        (Some(Cmd::CheckConfig { file }), _) => daemon::config::load(&file).map(|(_, s)| {
            println!("{}: ok: {}", file.display(), describe(&s));
        }),
        (None, Some(file)) => daemon::config::load(&file).and_then(|(_, s)| daemon::run(s)).map(|summary| {
            println!("{summary}");
        }),
        (None, None) => Err(anyhow::anyhow!("give --config FILE to run, or check-config FILE (tickwired --help)")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tickwired: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn describe(s: &daemon::config::Settings) -> String {
    let dev = match &s.device {
        daemon::config::DeviceChoice::Sim => "sim".to_string(),
        daemon::config::DeviceChoice::Pci(b) => b.clone(),
    };
    let symbols: usize = s.rings.iter().map(|r| r.symbols.len()).sum();
    format!(
        "device {dev}; {} feed(s), {} flow rule(s); ring(s) {:?}; {symbols} subscribed symbol(s); metrics {}",
        s.feed_names.len(),
        s.flow.rules.len(),
        s.rings.iter().map(|r| r.index).collect::<Vec<_>>(),
        s.metrics.map_or("off".to_string(), |a| a.to_string())
    ) + &match &s.recovery {
        Some(r) => format!("; gap recovery for {} feed(s)", r.servers.iter().flatten().count()),
        None => String::new(),
    } + &s.capture.as_ref().map_or(String::new(), |d| format!("; capture to {}", d.display()))
}
