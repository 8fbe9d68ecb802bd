//! `tickwire stats` (without a card argument) and `tickwire top`: clients of a running
//! `tickwired`. Both read its `/stats` JSON on the metrics address (docs/daemon.md); `stats`
//! prints it once, `top` redraws a terminal view every interval: per-ring rates, drops, gaps and
//! recovery, the latency histogram, the top of book of a few symbols, the source's progress.

use std::io::{IsTerminal, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;
use tickwire::itch::price_str;

/// The daemon's default metrics address (`[metrics] addr`).
pub const DEFAULT_DAEMON: &str = "127.0.0.1:9464";

/// `tickwire top`: a live view of a running tickwired.
#[derive(clap::Args, Debug)]
pub struct TopArgs {
    /// The daemon's metrics address (`[metrics] addr` in its config).
    #[arg(long, default_value = DEFAULT_DAEMON)]
    pub daemon: String,
    /// Seconds between redraws.
    #[arg(long, default_value_t = 1.0)]
    pub interval: f64,
    /// Stop after this many redraws (default: until Ctrl-C or the daemon stops).
    #[arg(long)]
    pub count: Option<u64>,
    /// Symbols whose top of book is shown (comma-separated); default: the first few the daemon
    /// has books for.
    #[arg(long, value_delimiter = ',')]
    pub symbols: Vec<String>,
    /// Plain text, one view after another, no screen clearing (the default when standard
    /// output is not a terminal).
    #[arg(long)]
    pub plain: bool,
}

/// GET `path` from the daemon at `addr`; the body.
pub fn get(addr: &str, path: &str) -> Result<String> {
    let sa: SocketAddr = addr
        .to_socket_addrs()
        .with_context(|| format!("--daemon {addr}: not an address (write IP:port, e.g. {DEFAULT_DAEMON})"))?
        .next()
        .ok_or_else(|| anyhow!("--daemon {addr}: resolves to no address"))?;
    let mut s = TcpStream::connect_timeout(&sa, Duration::from_secs(2)).map_err(|e| {
        anyhow!("no tickwired answers at {addr} ({e}): is it running, and is this its [metrics] addr? (`tickwire stats sim|BDF` reads a card directly)")
    })?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).with_context(|| format!("reading {path} from {addr}"))?;
    let text = String::from_utf8_lossy(&buf);
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| anyhow!("{addr}{path}: not an HTTP answer"))?;
    let status = head.lines().next().unwrap_or("");
    if !status.contains(" 200 ") {
        bail!("{addr}{path}: {status} (an older tickwired without /stats?)");
    }
    Ok(body.to_string())
}

/// The daemon's `/stats` object.
pub fn fetch(addr: &str) -> Result<Value> {
    let body = get(addr, "/stats")?;
    serde_json::from_str(&body).with_context(|| format!("{addr}/stats: not JSON"))
}

/// Run `tickwire stats` against a daemon: its `/stats`, once.
pub fn stats(addr: &str) -> Result<()> {
    println!("{}", fetch(addr)?);
    Ok(())
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or(0)
}

fn ns(v: &Value) -> String {
    match v.as_u64() {
        None => "-".into(),
        Some(n) if n < 10_000 => format!("{n} ns"),
        Some(n) if n < 10_000_000 => format!("{:.1} µs", n as f64 / 1e3),
        Some(n) => format!("{:.1} ms", n as f64 / 1e6),
    }
}

fn bar(frac: f64, width: usize) -> String {
    let n = ((frac.clamp(0.0, 1.0)) * width as f64).round() as usize;
    format!("{}{}", "#".repeat(n), ".".repeat(width - n))
}

fn levels(v: &Value) -> String {
    let l: Vec<String> = v.as_array().map_or_else(Vec::new, |a| {
        a.iter().take(1).map(|x| format!("{} x {}", u(&x[1]), price_str(u(&x[0]), 4))).collect()
    });
    if l.is_empty() {
        "-".into()
    } else {
        l.join(" ")
    }
}

/// One view of `cur`, with rates from `prev` taken `dt` earlier.
pub fn render(cur: &Value, prev: Option<(&Value, Duration)>, symbols: &[String]) -> String {
    let mut o = String::new();
    let servo = &cur["clock_servo"];
    let clock = if servo.is_null() {
        format!("clock offset {}", cur["clock_offset_ns"].as_i64().map_or("-".into(), |n| format!("{n} ns")))
    } else {
        format!("servo {} offset {} ns, {:.1} ppb", servo["state"].as_str().unwrap_or("?"), servo["offset_ns"], servo["freq_ppb"].as_f64().unwrap_or(0.0))
    };
    o += &format!("tickwired  {}  up {:.1} s  ticks {}  gaps {}  {}\n", cur["device"].as_str().unwrap_or("?"), cur["uptime_s"].as_f64().unwrap_or(0.0), u(&cur["ticks"]), u(&cur["gaps"]), clock);
    if let (Some(total), Some(sent)) = (cur["frames_total"].as_u64(), cur["frames_sent"].as_u64()) {
        let f = if total == 0 { 1.0 } else { sent as f64 / total as f64 };
        o += &format!("source     [{}] {sent}/{total} frames {:.0}%\n", bar(f, 40), f * 100.0);
    }
    o += "\nring  ticks/s      ticks  events  gaps  gap msgs  recovered   late  loss  drops        fill\n";
    let rings = cur["rings"].as_array().cloned().unwrap_or_default();
    for r in &rings {
        let idx = u(&r["index"]);
        let rate = prev
            .and_then(|(p, dt)| p["rings"].as_array()?.iter().find(|x| u(&x["index"]) == idx).map(|x| (u(&r["ticks"]).saturating_sub(u(&x["ticks"]))) as f64 / dt.as_secs_f64().max(1e-3)))
            .map_or("-".to_string(), |x| format!("{x:.0}"));
        o += &format!(
            "{idx:>4}  {rate:>7}  {:>9}  {:>6}  {:>4}  {:>8}  {:>9}  {:>5}  {:>4}  {:>5}  {:>10}\n",
            u(&r["ticks"]),
            u(&r["events"]),
            u(&r["gaps"]),
            u(&r["gap_messages"]),
            u(&r["recovered"]),
            u(&r["late"]),
            u(&r["loss_flags"]),
            u(&r["drops"]),
            format!("{}/{}", u(&r["fill"]), u(&r["slots"])),
        );
    }
    for r in &rings {
        let l = &r["latency_ns"];
        if u(&l["count"]) == 0 {
            continue;
        }
        o += &format!(
            "\nring {} latency, card receive -> host observe: p50 {}  p90 {}  p99 {}  p99.9 {}  max {}  (n {})\n",
            u(&r["index"]),
            ns(&l["p50"]),
            ns(&l["p90"]),
            ns(&l["p99"]),
            ns(&l["p999"]),
            ns(&l["max"]),
            u(&l["count"])
        );
        let buckets = l["buckets"].as_array().cloned().unwrap_or_default();
        let most = buckets.iter().map(|b| u(&b[1])).max().unwrap_or(1).max(1);
        for b in &buckets {
            let n = u(&b[1]);
            o += &format!("  <= {:>9}  {:<40} {n}\n", ns(&b[0]), "#".repeat(((n as f64 / most as f64) * 40.0).ceil() as usize));
        }
    }
    let mut books = Vec::new();
    for r in &rings {
        if let Some(m) = r["books"].as_object() {
            for (name, b) in m {
                if symbols.is_empty() || symbols.contains(name) {
                    books.push((name.clone(), b.clone()));
                }
            }
        }
    }
    if !books.is_empty() {
        o += "\ntop of book          bid                      ask\n";
        for (name, b) in books.iter().take(if symbols.is_empty() { 8 } else { usize::MAX }) {
            o += &format!("  {name:<8}  {:>22}  |  {:<22}{}\n", levels(&b["bids"]), levels(&b["asks"]), if b["stale"].as_bool() == Some(true) { "  stale" } else { "" });
        }
    }
    o
}

/// Run `tickwire top`.
pub fn top(a: TopArgs) -> Result<()> {
    if !(a.interval > 0.0 && a.interval <= 3600.0) {
        bail!("--interval {}: seconds between redraws, more than 0 and at most 3600", a.interval);
    }
    let plain = a.plain || !std::io::stdout().is_terminal();
    let mut prev: Option<(Value, Instant)> = None;
    let mut shown = 0u64;
    loop {
        let cur = match fetch(&a.daemon) {
            Ok(v) => v,
            // the daemon went away after at least one view: it stopped, say so and end
            Err(e) if shown > 0 => {
                eprintln!("tickwire top: {e}");
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let now = Instant::now();
        let view = render(&cur, prev.as_ref().map(|(v, t)| (v, now - *t)), &a.symbols);
        let mut out = std::io::stdout().lock();
        if plain {
            writeln!(out, "{view}")?;
        } else {
            write!(out, "\x1b[H\x1b[2J{view}")?;
        }
        out.flush()?;
        shown += 1;
        if a.count.is_some_and(|c| shown >= c) {
            return Ok(());
        }
        prev = Some((cur, now));
        std::thread::sleep(Duration::from_secs_f64(a.interval));
    }
}
