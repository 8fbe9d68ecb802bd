//! `tickwire book`: a client of `tickwired`'s fan-out ring. It attaches to a ring file, builds the
//! order books of what the ring carries (`tickwire::book`, from the card's decoded ticks) and
//! prints the top of book of the chosen symbols once a second, then a last time when the daemon
//! stops (the ring is closed) or after `--duration`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use tickwire::book::{Books, Level, Top};
use tickwire::itch::{alpha_str, price_str};
use tickwire::tick::{StockDirectory, TickRecord};
use tickwire_client::{Next, Reader};

/// Print the top of book of symbols from a `tickwired` fan-out ring (docs/daemon.md).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The fan-out ring file (`[daemon.fanout] dir` / `tickwire-ring<N>`).
    #[arg(long, default_value = "/dev/shm/tickwire-ring0")]
    pub ring: PathBuf,
    /// Tickers to show (comma-separated); default: every stock the ring has a book for.
    #[arg(long, value_delimiter = ',')]
    pub symbols: Vec<String>,
    /// Price levels per side.
    #[arg(long, default_value_t = 3)]
    pub levels: usize,
    /// Stop after this many seconds (default: when the daemon closes the ring).
    #[arg(long)]
    pub duration: Option<f64>,
    /// Wait this many seconds for the ring file to appear.
    #[arg(long, default_value_t = 30.0)]
    pub wait: f64,
}

fn side(levels: &[Level]) -> String {
    levels.iter().map(|l| format!("{}x{}", l.shares, price_str(u64::from(l.price), 4))).collect::<Vec<_>>().join(" ")
}

fn show(books: &Books, dir: &StockDirectory, want: &[String], n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut keys: Vec<(u8, u16)> = books.books().map(|(k, _)| k).collect();
    keys.sort_unstable();
    for (feed, locate) in keys {
        let name = dir.stock(locate).map_or_else(|| format!("locate {locate}"), |s| alpha_str(&s));
        if !want.is_empty() && !want.contains(&name) {
            continue;
        }
        let Top { bids, asks, stale } = books.top(feed, locate, n);
        out.push(format!(
            "{name:<8} bid {:<40} | ask {}{}",
            side(&bids),
            side(&asks),
            if stale { "  (stale: a gap or loss since the start)" } else { "" }
        ));
    }
    out
}

/// Run the client.
pub fn run(a: Args) -> Result<()> {
    let t0 = Instant::now();
    let mut reader = loop {
        match Reader::open(&a.ring) {
            Ok(r) => break r,
            Err(e) if t0.elapsed().as_secs_f64() < a.wait => {
                tracing::debug!("waiting for the ring: {e}");
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => bail!("{e}"),
        }
    };
    reader.rewind(); // the oldest record still in the ring: the stock directory, if it is there
    let want: Vec<String> = a.symbols.iter().map(|s| s.trim().to_uppercase()).collect();
    let (mut books, mut dir) = (Books::all(), StockDirectory::default());
    let (mut records, mut missed) = (0u64, 0u64);
    let mut last_print = Instant::now();
    let started = Instant::now();
    loop {
        match reader.next() {
            Next::Tick(b) => {
                let t = TickRecord::from_bytes(&b);
                dir.observe(&t);
                books.apply(&t);
                records += 1;
            }
            Next::Lapped { missed: m } => {
                missed += m;
                for feed in 0..=u8::MAX {
                    books.on_gap(feed); // skipped records may be of any feed
                }
            }
            Next::Empty => {
                if reader.writer_closed() {
                    break;
                }
                std::thread::sleep(Duration::from_micros(200));
            }
        }
        if a.duration.is_some_and(|d| started.elapsed().as_secs_f64() >= d) {
            break;
        }
        if last_print.elapsed() >= Duration::from_secs(1) {
            println!("-- {records} records");
            for l in show(&books, &dir, &want, a.levels) {
                println!("{l}");
            }
            last_print = Instant::now();
        }
    }
    println!("-- final: {records} records, {missed} missed (reader lapped)");
    for l in show(&books, &dir, &want, a.levels) {
        println!("{l}");
    }
    let _ = std::io::Write::flush(&mut std::io::stdout()).context("stdout");
    Ok(())
}
