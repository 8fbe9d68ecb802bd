//! `tickwired`: the daemon. It owns the card (the simulated one by default, or a PCI card through
//! VFIO), programs the flow filter from the feeds and each ring's ITCH filters from its
//! subscribed symbols, polls every ring on its own (optionally pinned) thread, serves Prometheus
//! metrics, and shuts down cleanly on SIGTERM/SIGINT: stop receiving, stop polling, close every
//! ring (disable, wait idle, unmap), print a summary line, exit 0. docs/daemon.md has the rest.

pub mod capture;
pub mod config;
pub mod metrics;
pub mod poll;
pub mod recovery;
pub mod source;
pub mod status;

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::*};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use serde_json::json;
use tickwire::filter::{ItchFilter, LocateBitmap};
use tickwire::{Card, Device};
use tracing::{info, warn};

use config::{DeviceChoice, Settings};
use poll::{ClockMap, ClockRef, RingShared};

/// What the threads share.
pub struct State {
    pub settings: Settings,
    pub rings: Vec<RingShared>,
    pub clock: ClockMap,
    pub frames_sent: AtomicU64,
    pub frames_total: u64,
    pub started: Instant,
    pub sim: bool,
    /// The card-clock servo's last report (with `daemon.clock.servo`).
    pub servo: Mutex<Option<tickwire::clock::ServoReport>>,
    /// Servo samples taken.
    pub servo_samples: AtomicU64,
}

/// The simulated card's extras: push frames, wait for idle, IOMMU violations.
pub struct SimHooks<'a> {
    pub push: &'a (dyn Fn(Vec<(Vec<u8>, bool)>) + Sync),
    pub wait_idle: &'a (dyn Fn(Duration) -> bool + Sync),
    pub violations: &'a (dyn Fn() -> usize + Sync),
}

/// Why the daemon stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    Signal,
    Duration,
    EndOfCapture,
}

impl StopReason {
    fn as_str(self) -> &'static str {
        match self {
            StopReason::Signal => "signal",
            StopReason::Duration => "duration",
            StopReason::EndOfCapture => "end_of_capture",
        }
    }
}

/// Run the daemon until a signal, `run.duration` or the end of the source; returns the summary
/// (one JSON object) to print.
pub fn run(settings: Settings) -> Result<serde_json::Value> {
    let term = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(sig, term.clone()).context("installing the SIGTERM/SIGINT handler")?;
    }
    // bind first: a taken port is a config error, before the card is touched
    let listener = match settings.metrics {
        Some(addr) => Some(TcpListener::bind(addr).map_err(|e| {
            anyhow!("metrics.addr = \"{addr}\": cannot listen there ({e}): choose a free port (another tickwired running?), or set metrics.enabled = false")
        })?),
        None => None,
    };
    if let Some(l) = &listener {
        info!("metrics: http://{}/metrics", l.local_addr().map_or_else(|_| "?".into(), |a| a.to_string()));
    }
    match settings.device.clone() {
        DeviceChoice::Sim => {
            let seed = settings.source.as_ref().map_or(1, |s| s.seed);
            let frames = settings.source.as_ref().map(source::load).transpose()?;
            let dev = tickwire::SimDevice::new(tickwire::SimConfig { seed, ..Default::default() }).context("starting the simulated card")?;
            let card = Card::open(dev).context("opening the simulated card")?;
            let push = |f: Vec<(Vec<u8>, bool)>| card.device().push_frames(f);
            let wait_idle = |t: Duration| card.device().wait_idle(t).is_ok();
            let violations = || card.device().sim().memory().violation_count();
            let hooks = SimHooks { push: &push, wait_idle: &wait_idle, violations: &violations };
            run_card(&card, settings, listener, &term, Some((hooks, frames)))
        }
        DeviceChoice::Pci(bdf) => {
            let card = tickwire::vfio::open_card(&bdf, tickwire::VfioOptions::default()).with_context(|| format!("daemon.device = \"{bdf}\": opening the card"))?;
            run_card(&card, settings, listener, &term, None)
        }
    }
}

fn run_card<D: Device + Send + Sync>(
    card: &Card<D>,
    settings: Settings,
    listener: Option<TcpListener>,
    term: &AtomicBool,
    sim: Option<(SimHooks<'_>, Option<source::Frames>)>,
) -> Result<serde_json::Value> {
    let info = card.info().clone();
    info!(device = card.device().name(), rings = info.rings, rules = info.rules, version = %format!("{}.{}", info.version_major, info.version_minor), "card open");
    for r in &settings.rings {
        if r.index >= info.rings {
            bail!("daemon.rings[{}]: the card has {} rings (0..{}): remove the table", r.index, info.rings, info.rings);
        }
    }
    card.set_hold(settings.hold);
    card.set_max_frame(settings.max_frame);
    card.set_flow_table(&settings.flow.rules, settings.flow.default).context("programming the flow filter from the feeds")?;
    // the fan-out ring files, created before any tick is polled (a reader may attach at once)
    let mut fanout = Vec::new();
    for r in &settings.rings {
        fanout.push(match &settings.fanout {
            None => None,
            Some(f) => {
                let path = f.path(r.index);
                let w = tickwire_client::Writer::create(&path, f.slots, f.mode, f.group)
                    .with_context(|| format!("daemon.fanout: creating the fan-out ring of ring {}", r.index))?;
                info!(ring = r.index, path = %path.display(), slots = f.slots, "fan-out ring created");
                Some(w)
            }
        });
    }
    // capture files: one per ring, named by ring and start time (a restart never overwrites)
    let captures: Vec<Option<std::path::PathBuf>> = settings
        .rings
        .iter()
        .map(|r| settings.capture.as_ref().map(|dir| dir.join(format!("tickwire-ring{}-{}.twcap", r.index, utc_stamp()))))
        .collect();
    let mut rings = Vec::new();
    for r in &settings.rings {
        let f = ItchFilter { types: r.types, locate_types: r.locate_types, locates: LocateBitmap::default() };
        card.set_itch_filter(r.index, &f).with_context(|| format!("daemon.rings[{}]: programming the ITCH filters", r.index))?;
        let ring = card.open_ring(r.index, r.slots).with_context(|| format!("daemon.rings[{}]: opening the ring", r.index))?;
        info!(ring = r.index, slots = r.slots, symbols = r.symbols.len(), core = ?r.core, "ring open");
        rings.push(ring);
    }
    let (hooks, frames) = match sim {
        Some((h, f)) => (Some(h), f),
        None => (None, None),
    };
    let due = frames.as_ref().zip(settings.source.as_ref()).map(|(f, s)| source::schedule(&f.frames, s.pace));
    if let (Some(f), Some(d)) = (&frames, &due) {
        info!(frames = f.frames.len(), seconds = d.last().map_or(0.0, |x| x.as_secs_f64()), "source: {}", f.what);
    }
    if let Some(r) = &settings.recovery {
        info!(servers = ?recovery::describe(r, &settings.feed_names), "gap recovery");
    }
    let st = State {
        rings: settings.rings.iter().map(RingShared::new).collect(),
        clock: ClockMap::default(),
        frames_sent: AtomicU64::new(0),
        frames_total: frames.as_ref().map_or(0, |f| f.frames.len() as u64),
        started: Instant::now(),
        sim: hooks.is_some(),
        servo: Mutex::new(None),
        servo_samples: AtomicU64::new(0),
        settings,
    };
    // The servo's first two samples before receiving: the second steps the card clock to the host
    // clock, so no tick is stamped across that step.
    let mut servo = st.settings.servo.map(|i| {
        tickwire::servo::Servo::new(tickwire::servo::ServoConfig { interval_ns: i.as_nanos() as u64, ..Default::default() })
    });
    let mut last_servo = card.device().host_time_ns();
    if let (Some(sv), Some(i)) = (servo.as_mut(), st.settings.servo) {
        for k in 0..2 {
            if k > 0 {
                card.device().host_sleep(i);
            }
            let r = card.clock().discipline(sv).context("the card-clock servo (daemon.clock.servo = false turns it off)")?;
            info!(offset_ns = r.offset_ns, state = ?r.state, "card clock servo");
            *st.servo.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            st.servo_samples.fetch_add(1, Relaxed);
        }
        last_servo = card.device().host_time_ns();
    }
    update_clock(card, &st.clock, &mut None);
    let stop_poll = AtomicBool::new(false);
    let stop_source = AtomicBool::new(false);
    let stop_metrics = AtomicBool::new(false);
    let stop_recovery = AtomicBool::new(false);
    let stop_capture = AtomicBool::new(false);
    let source_done = AtomicBool::new(frames.is_none());
    let locate_lock = Mutex::new(());
    card.start();
    info!("receiving");

    let (reason, results) = std::thread::scope(|s| -> Result<_> {
        let mut handles = Vec::new();
        for ((ring, fan), (rs, sh)) in rings.into_iter().zip(fanout).zip(st.settings.rings.iter().zip(&st.rings)) {
            let (stop, clock, lock) = (&stop_poll, &st.clock, &locate_lock);
            // a recovery thread for a ring that some feed with a re-request server delivers to
            let link = match &st.settings.recovery {
                Some(rcv) if ring_has_recovery(&st.settings, rcv, rs.index) => {
                    let (req_tx, req_rx) = std::sync::mpsc::channel();
                    let (ans_tx, ans_rx) = std::sync::mpsc::channel();
                    let (shared, stop_r) = (&sh.recovery, &stop_recovery);
                    std::thread::Builder::new()
                        .name(format!("tw-recover-{}", rs.index))
                        .spawn_scoped(s, move || recovery::worker(card, rcv, req_rx, ans_tx, shared, stop_r))
                        .context("starting a recovery thread")?;
                    Some(poll::RecoveryLink { settings: rcv, shared: &sh.recovery, tx: req_tx, rx: ans_rx })
                }
                _ => None,
            };
            let h = std::thread::Builder::new()
                .name(format!("tw-poll-{}", rs.index))
                .spawn_scoped(s, move || poll::poll_loop(card, ring, fan, rs, sh, clock, lock, link, stop))
                .context("starting a poll thread")?;
            handles.push(h);
        }
        let mut capture_handles = Vec::new();
        for ((rs, sh), out) in st.settings.rings.iter().zip(&st.rings).zip(&captures) {
            let (Some(out), Some(f)) = (out, &st.settings.fanout) else { continue };
            let (ring_file, stop, shared, device) = (f.path(rs.index), &stop_capture, &sh.capture, card.device().name());
            info!(ring = rs.index, path = %out.display(), "capture: writing the ring's ticks");
            let h = std::thread::Builder::new()
                .name(format!("tw-capture-{}", rs.index))
                .spawn_scoped(s, move || capture::run(&ring_file, out, rs.index, device, stop, shared))
                .context("starting a capture thread")?;
            capture_handles.push((rs.index, h));
        }
        if let Some(l) = listener {
            let (st, stop) = (&st, &stop_metrics);
            std::thread::Builder::new().name("tw-metrics".into()).spawn_scoped(s, move || metrics::serve(l, card, st, stop)).context("starting the metrics thread")?;
        }
        if let (Some(h), Some(f), Some(d)) = (&hooks, frames, due) {
            let (push, sent, stop, done) = (h.push, &st.frames_sent, &stop_source, &source_done);
            std::thread::Builder::new()
                .name("tw-source".into())
                .spawn_scoped(s, move || {
                    source::push_paced(f, &d, push, sent, stop);
                    done.store(true, Release);
                })
                .context("starting the source thread")?;
        }

        let mut last_clock = Instant::now();
        let mut prev_sample = None;
        let reason = loop {
            std::thread::sleep(Duration::from_millis(10));
            if term.load(Relaxed) {
                break StopReason::Signal;
            }
            if st.settings.duration.is_some_and(|d| st.started.elapsed() >= d) {
                break StopReason::Duration;
            }
            if handles.iter().any(|h| h.is_finished()) {
                stop_source.store(true, Relaxed);
                stop_poll.store(true, Relaxed);
                stop_metrics.store(true, Relaxed);
                stop_recovery.store(true, Relaxed);
                break StopReason::Signal; // a poll thread died: its join below reports it
            }
            if let (Some(sv), Some(i)) = (servo.as_mut(), st.settings.servo) {
                let now = card.device().host_time_ns();
                if now.saturating_sub(last_servo) >= i.as_nanos() as u64 {
                    last_servo = now;
                    match card.clock().discipline(sv) {
                        Ok(r) => {
                            *st.servo.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                            st.servo_samples.fetch_add(1, Relaxed);
                            // the card clock was corrected: map it afresh
                            prev_sample = None;
                            update_clock(card, &st.clock, &mut prev_sample);
                            last_clock = Instant::now();
                        }
                        Err(e) => warn!("card clock servo: {e}"),
                    }
                }
            }
            if last_clock.elapsed() >= Duration::from_secs(1) {
                update_clock(card, &st.clock, &mut prev_sample);
                last_clock = Instant::now();
            }
            if st.settings.stop_at_end && source_done.load(Acquire) {
                if let Some(h) = &hooks {
                    // idle for 200 ms at most per look, so a signal is still seen in time
                    if (h.wait_idle)(Duration::from_millis(200)) && drained(card, &st) {
                        break StopReason::EndOfCapture;
                    }
                }
            }
        };
        info!(reason = reason.as_str(), "stopping: receive off, poll threads stop, rings close");
        stop_source.store(true, Relaxed);
        card.stop_rx();
        // frames already inside the card still come out: let the poll threads take them (200 ms
        // at most, so that the whole shutdown stays well under a second)
        let t = Instant::now();
        while t.elapsed() < Duration::from_millis(200) && !(card.rx_idle() && drained(card, &st)) {
            std::thread::sleep(Duration::from_millis(2));
        }
        stop_poll.store(true, Relaxed);
        let mut results = Vec::new();
        for h in handles {
            results.push(h.join().map_err(|_| anyhow!("a poll thread panicked"))?);
        }
        stop_metrics.store(true, Relaxed);
        stop_recovery.store(true, Relaxed);
        // the poll threads dropped their fan-out writers (closed): each capture drains and ends
        stop_capture.store(true, Relaxed);
        for (ring, h) in capture_handles {
            match h.join() {
                Ok(Ok(c)) => info!(ring, records = c.records, losses = c.losses, "capture file complete"),
                Ok(Err(e)) => warn!(ring, "capture: {e:#}"),
                Err(_) => warn!(ring, "capture thread panicked"),
            }
        }
        Ok((reason, results))
    })?;

    // close: disable, wait idle, unmap
    let mut rings_json = Vec::new();
    for (r, sh) in results.into_iter().zip(&st.rings) {
        let index = r.ring.index();
        let card_latency = card.latency_histogram(index);
        let status = card.close_ring(r.ring, Duration::from_secs(1)).with_context(|| format!("closing ring {index}"))?;
        let mut v = status::ring_json(&st, sh);
        if let Some(m) = v["symbols_missing"].as_array().filter(|m| !m.is_empty()) {
            warn!(ring = index, missing = ?m, "subscribed symbols the stock directory never named: nothing of theirs was delivered");
        }
        v["drops"] = json!(status.drops);
        v["frames_bad"] = json!(r.gate.frames_bad);
        v["ticks_discarded_bad"] = json!(r.gate.ticks_bad);
        v["ticks_discarded_unverified"] = json!(r.gate.ticks_unverified + r.gate_pending as u64);
        v["prod"] = json!(status.prod);
        v["cons"] = json!(status.cons);
        v["card_latency_samples"] = json!(card_latency.iter().map(|&n| u64::from(n)).sum::<u64>());
        if let Some(Some(p)) = captures.get(rings_json.len()) {
            v["capture"]["path"] = json!(p.display().to_string());
        }
        rings_json.push(v);
        info!(ring = index, drops = status.drops, "ring closed (idle, memory unmapped)");
    }
    let mut m = serde_json::Map::new();
    m.insert("kind".into(), json!("summary"));
    m.insert("reason".into(), json!(reason.as_str()));
    m.extend(status::common_json(card, &st));
    m.insert("rings".into(), json!(rings_json));
    let mut summary = serde_json::Value::Object(m);
    if let Some(h) = &hooks {
        let v = (h.violations)();
        summary["iommu_violations"] = json!(v);
        if v > 0 {
            bail!("{v} DMA writes hit no mapped window: the card misbehaved (summary: {summary})");
        }
    }
    Ok(summary)
}

/// Now, UTC, as `20261125T073100Z` (for file names).
fn utc_stamp() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // civil from days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

/// True if a feed with a re-request server delivers to ring `index`.
fn ring_has_recovery(s: &Settings, r: &config::RecoverySettings, index: usize) -> bool {
    s.flow.rules.iter().any(|rule| match rule.action {
        tickwire::FlowAction::Deliver { feed, ring, .. } => usize::from(ring) == index && r.servers.get(usize::from(feed)).copied().flatten().is_some(),
        tickwire::FlowAction::Drop => false,
    })
}

/// Every ring's producer index reached by its consumer.
fn drained<D: Device>(card: &Card<D>, st: &State) -> bool {
    st.rings.iter().all(|r| card.ring_status(r.index).prod == r.consumed.load(Relaxed))
}

/// Take a bracketed clock read and publish the card→host map (rate from the previous read when
/// enough card time passed between them).
fn update_clock<D: Device>(card: &Card<D>, map: &ClockMap, prev: &mut Option<(u64, u64)>) {
    let s = card.clock().sample();
    let host = (s.host_before_ns / 2 + s.host_after_ns / 2) + (s.host_before_ns % 2 + s.host_after_ns % 2) / 2;
    let mut rate = map.get().map_or(1.0, |r| r.rate);
    if let Some((c0, h0)) = *prev {
        let dc = s.card_ns.wrapping_sub(c0) as i64;
        let dh = host.wrapping_sub(h0) as i64;
        if dc > 100_000 && dh > 0 {
            let r = dh as f64 / dc as f64;
            if (r - 1.0).abs() < 0.01 {
                rate = r;
            } else {
                warn!(rate = r, "card clock runs {:.0} ppm off the host clock: not used for the latency map", (r - 1.0) * 1e6);
            }
        }
    }
    *prev = Some((s.card_ns, host));
    map.set(ClockRef { card_ref: s.card_ns, host_ref: host, rate });
}
