//! What the simulated card receives: a capture (or several, merged by timestamp) or the
//! generator's feed, pushed onto the card's MAC stream at real pace.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::*};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tickwire::gen::LineImpairments;

use super::config::{Input, Pace, SourceSettings};

/// Frames in send order, with their capture timestamps.
pub struct Frames {
    pub frames: Vec<(u64, Vec<u8>)>,
    pub what: String,
}

/// Read or generate the frames.
pub fn load(s: &SourceSettings) -> Result<Frames> {
    let mut frames: Vec<(u64, usize, Vec<u8>)> = Vec::new();
    let what = match &s.input {
        Input::Pcap(paths) => {
            for (line, p) in paths.iter().enumerate() {
                let cap = tickwire::pcap::read_capture(p).with_context(|| format!("daemon.sim.pcap: reading {}", p.display()))?;
                frames.extend(cap.into_iter().map(|f| (f.ts_ns, line, f.data)));
            }
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" + ")
        }
        Input::Generate { cfg, b, loss } => {
            let packets = tickwire::gen::generate(cfg).context("daemon.sim.generate: generating the feed")?;
            let [la, lb] = loss.map(|loss| LineImpairments { loss, ..LineImpairments::default() });
            // line B's destination: the configured one, or a placeholder never sent
            let b_dst = b.unwrap_or(std::net::SocketAddrV4::new(std::net::Ipv4Addr::new(233, 49, 196, 111), cfg.dst.port().wrapping_add(1)));
            let [fa, fb] = tickwire::gen::to_lines(cfg, &packets, b_dst, &la, &lb).context("daemon.sim.generate: building frames")?;
            frames.extend(fa.into_iter().map(|f| (f.ts_ns, 0, f.data)));
            if b.is_some() {
                frames.extend(fb.into_iter().map(|f| (f.ts_ns, 1, f.data)));
            }
            format!(
                "generated feed ({} messages, seed {}, {} symbols{}{})",
                cfg.messages,
                cfg.seed,
                cfg.symbols,
                if b.is_some() { ", lines A and B" } else { "" },
                if loss.iter().any(|&l| l > 0.0) { format!(", packet loss A {} B {}", loss[0], loss[1]) } else { String::new() }
            )
        }
    };
    frames.sort_by_key(|&(ts, line, _)| (ts, line));
    Ok(Frames { frames: frames.into_iter().map(|(ts, _, d)| (ts, d)).collect(), what })
}

/// When frame `i` is due, relative to the start, for every frame.
pub fn schedule(frames: &[(u64, Vec<u8>)], pace: Pace) -> Vec<Duration> {
    match pace {
        Pace::Rate(r) => (0..frames.len()).map(|i| Duration::from_secs_f64(i as f64 / r)).collect(),
        Pace::Capture { speed, max_gap } => {
            let mut t = Duration::ZERO;
            let mut prev = frames.first().map_or(0, |f| f.0);
            frames
                .iter()
                .map(|(ts, _)| {
                    let gap = Duration::from_nanos(ts.saturating_sub(prev)).div_f64(speed).min(max_gap);
                    prev = prev.max(*ts);
                    t += gap;
                    t
                })
                .collect()
        }
    }
}

/// Push `frames` at their due times until done or `stop`; counts into `sent`.
pub fn push_paced(frames: Frames, due: &[Duration], push: &(dyn Fn(Vec<(Vec<u8>, bool)>) + Sync), sent: &AtomicU64, stop: &AtomicBool) {
    let start = Instant::now();
    let mut it = frames.frames.into_iter().zip(due.iter().copied()).peekable();
    while let Some(&(_, next_due)) = it.peek() {
        if stop.load(Relaxed) {
            return;
        }
        let now = start.elapsed();
        if next_due > now {
            std::thread::sleep((next_due - now).min(Duration::from_millis(20)));
            continue;
        }
        let mut out = Vec::new();
        while let Some(((_, data), _)) = it.next_if(|&(_, d)| d <= now) {
            out.push((data, false));
        }
        let n = out.len() as u64;
        push(out);
        sent.fetch_add(n, Relaxed);
    }
}
