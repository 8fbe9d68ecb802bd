//! `tickwire rerequest-server`: a MoldUDP64 re-request server for the generator's feed
//! (`tickwire::rerequest::Server`), for demos and tests of `tickwired`'s gap recovery on the
//! simulated card (`make run` starts one). It holds the generated day's messages (the same
//! `--messages`, `--seed` and `--symbols` as the daemon's `[daemon.sim] generate` give the same
//! day) and answers until SIGTERM/SIGINT or `--duration`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use tickwire::gen::{generate_messages, GenConfig};
use tickwire::rerequest::{Server, ServerOptions};

/// Serve the generator's day to MoldUDP64 re-requests.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// UDP address to answer on.
    #[arg(long, default_value = "127.0.0.1:26400")]
    pub listen: SocketAddr,
    /// ITCH messages in the day (as the daemon's `generate.messages`).
    #[arg(long, default_value_t = 20_000)]
    pub messages: usize,
    /// Random seed (as `generate.seed`).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Securities (as `generate.symbols`).
    #[arg(long, default_value_t = 8)]
    pub symbols: usize,
    /// Stop after this many seconds (default: at SIGTERM/SIGINT).
    #[arg(long)]
    pub duration: Option<f64>,
}

/// Run the server.
pub fn run(a: Args) -> Result<()> {
    let cfg = GenConfig { seed: a.seed, messages: a.messages, symbols: a.symbols, ..GenConfig::default() };
    cfg.validate().context("the generator's settings")?;
    if a.duration.is_some_and(|d| d.is_nan() || d <= 0.0) {
        bail!("--duration: give a positive number of seconds");
    }
    let messages: Vec<Vec<u8>> = generate_messages(&cfg).context("generating the day")?.iter().map(|m| m.encode()).collect();
    let n = messages.len();
    let server = Server::start(a.listen, cfg.session, messages, ServerOptions::default())
        .with_context(|| format!("--listen {}: cannot answer there (port taken?)", a.listen))?;
    let term = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(sig, term.clone()).context("installing the signal handler")?;
    }
    eprintln!(
        "rerequest-server: {n} messages of session {:?} on {} (udp)",
        String::from_utf8_lossy(&cfg.session).trim_end(),
        server.local_addr()
    );
    let t0 = Instant::now();
    while !term.load(Relaxed) && a.duration.is_none_or(|d| t0.elapsed().as_secs_f64() < d) {
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("rerequest-server: {} requests, {} answers", server.requests(), server.answers());
    Ok(())
}
