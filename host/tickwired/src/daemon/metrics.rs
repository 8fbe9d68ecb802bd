//! `/metrics`: the Prometheus text exposition format (version 0.0.4), and `/stats`: the same state
//! as JSON (`status::stats_json`), served by one thread on a plain `TcpListener`. Every scrape reads the card's registers (counters, ring registers, rule
//! hits, in-card latency bins) and the poll threads' published counters and histograms.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering::*};
use std::time::Duration;

use tickwire::card::latency_bin_ns;
use tickwire::{Card, Device, FlowAction};
use tracing::{debug, warn};

use super::State;

/// Latency quantiles reported.
const QUANTILES: [f64; 6] = [0.5, 0.9, 0.99, 0.999, 0.9999, 1.0];

struct Out {
    s: String,
}

impl Out {
    fn head(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.s, "# HELP {name} {help}");
        let _ = writeln!(self.s, "# TYPE {name} {kind}");
    }
    fn line(&mut self, name: &str, labels: &str, v: impl std::fmt::Display) {
        if labels.is_empty() {
            let _ = writeln!(self.s, "{name} {v}");
        } else {
            let _ = writeln!(self.s, "{name}{{{labels}}} {v}");
        }
    }
}

/// The exposition text, now.
pub fn render<D: Device>(card: &Card<D>, st: &State) -> String {
    let mut o = Out { s: String::with_capacity(16 * 1024) };
    let dev = card.device().name().to_string();
    o.head("tickwire_up", "gauge", "1 while tickwired runs; the label names the card.");
    o.line("tickwire_up", &format!("device=\"{dev}\""), 1);
    o.head("tickwire_uptime_seconds", "gauge", "Seconds since tickwired started receiving.");
    o.line("tickwire_uptime_seconds", "", format!("{:.3}", st.started.elapsed().as_secs_f64()));

    o.head("tickwire_card_counter", "counter", "The card's counter registers by register name (32-bit, they wrap; see docs/registers.md).");
    for (name, v) in card.counters() {
        o.line("tickwire_card_counter", &format!("name=\"{name}\""), v);
    }

    let hits = card.flow_hits();
    o.head("tickwire_flow_rule_hits_total", "counter", "Frames each flow rule matched (32-bit card counter), with the feed and line it delivers to.");
    for (i, rule) in st.settings.flow.rules.iter().enumerate() {
        let (feed, line) = match rule.action {
            FlowAction::Deliver { feed, line, .. } => {
                (st.settings.feed_names.get(usize::from(feed)).cloned().unwrap_or_else(|| feed.to_string()), if line == 0 { "A" } else { "B" })
            }
            FlowAction::Drop => ("drop".to_string(), "-"),
        };
        o.line("tickwire_flow_rule_hits_total", &format!("rule=\"{i}\",feed=\"{}\",line=\"{line}\"", escape(&feed)), hits.get(i).copied().unwrap_or(0));
    }

    type Get = fn(&super::poll::RingShared) -> u64;
    let per_ring: [(&str, &str, Get); 24] = [
        ("tickwire_capture_records_total", "Records written to the ring's capture file ([daemon.capture]).", |r| r.capture.records.load(Relaxed)),
        ("tickwire_capture_losses_total", "Records the capture missed because the fan-out ring lapped it (the next record in the file carries LOSS).", |r| r.capture.losses.load(Relaxed)),
        ("tickwire_ring_recovered_total", "Messages gap recovery fetched from a re-request server and delivered (flag RECOVERED; not in tickwire_ring_ticks_total).", |r| r.recovered.load(Relaxed)),
        ("tickwire_ring_recovered_filtered_total", "Recovered messages the ring's ITCH filters dropped, as the card would have.", |r| r.recovered_filtered.load(Relaxed)),
        ("tickwire_recovery_started_total", "Gap events a recovery was started for (feeds with a re-request server).", |r| r.recovery.started.load(Relaxed)),
        ("tickwire_recovery_complete_total", "Recoveries that brought back the whole missing range (the gap event then carries RECOVERED).", |r| r.recovery.complete.load(Relaxed)),
        ("tickwire_recovery_incomplete_total", "Recoveries that brought back part of the range or nothing before the server gave up or daemon.recovery.hold ran out.", |r| r.recovery.incomplete.load(Relaxed)),
        ("tickwire_recovery_messages_total", "Messages the re-request servers answered with (before the ring's filters).", |r| r.recovery.messages.load(Relaxed)),
        ("tickwire_recovery_missing_messages_total", "Messages of gap ranges that recovery did not bring back.", |r| r.recovery.missing.load(Relaxed)),
        ("tickwire_recovery_requests_total", "Re-request packets sent.", |r| r.recovery.requests.load(Relaxed)),
        ("tickwire_recovery_late_answers_total", "Answers that came after daemon.recovery.hold had run out (dropped).", |r| r.recovery.late_answers.load(Relaxed)),
        ("tickwire_recovery_duplicate_late_total", "Late fills from the other line of messages already recovered (dropped as duplicates).", |r| r.recovery.duplicate_late.load(Relaxed)),
        ("tickwire_ring_book_ticks_total", "Delivered ticks of the types checked against the ring's subscribed symbols.", |r| r.book_ticks.load(Relaxed)),
        ("tickwire_ring_book_ticks_unsubscribed_total", "Of those, ticks whose locate is not subscribed: the card's filter let them through (0 on a good card).", |r| r.book_ticks_unsubscribed.load(Relaxed)),
        ("tickwire_ring_ticks_total", "Message ticks delivered to the daemon (of good frames).", |r| r.ticks.load(Relaxed)),
        ("tickwire_ring_events_total", "Feed sequencer event records (new session, gap, end of session).", |r| r.events.load(Relaxed)),
        ("tickwire_ring_gaps_total", "Gap events: ranges of messages lost on every line of a feed.", |r| r.gap_events.load(Relaxed)),
        ("tickwire_ring_gap_messages_total", "Messages in the gap events' ranges.", |r| r.gap_messages.load(Relaxed)),
        ("tickwire_ring_late_total", "Late fills (flag LATE): gap messages delivered later from another line.", |r| r.late.load(Relaxed)),
        ("tickwire_ring_loss_flags_total", "Ticks flagged LOSS: each follows a run of ticks the ring dropped because it was full.", |r| r.loss_flags.load(Relaxed)),
        ("tickwire_ring_frames_bad_total", "Frames found bad after their ticks left the card (cut-through); their ticks were discarded.", |r| r.frames_bad.load(Relaxed)),
        ("tickwire_ring_ticks_discarded_bad_total", "Ticks discarded with bad frames.", |r| r.ticks_bad.load(Relaxed)),
        ("tickwire_ring_ticks_discarded_unverified_total", "Ticks discarded because a LOSS cut their frame before its verdict.", |r| r.ticks_unverified.load(Relaxed)),
        ("tickwire_latency_negative_total", "Ticks whose receive time mapped to after their observe time (clock map error): not in the latency summary.", |r| r.latency_negative.load(Relaxed)),
    ];
    for (name, help, get) in per_ring {
        o.head(name, "counter", help);
        for r in &st.rings {
            o.line(name, &format!("ring=\"{}\"", r.index), get(r));
        }
    }

    let status: Vec<_> = st.rings.iter().map(|r| (r, card.ring_status(r.index))).collect();
    o.head("tickwire_ring_drops_total", "counter", "Ticks the card dropped because the ring was full or disabled (the ring's DROPS register, 32-bit).");
    for (r, s) in &status {
        o.line("tickwire_ring_drops_total", &format!("ring=\"{}\"", r.index), s.drops);
    }
    o.head("tickwire_ring_fill_slots", "gauge", "Slots written by the card and not yet consumed (PROD - consumer index).");
    for (r, s) in &status {
        o.line("tickwire_ring_fill_slots", &format!("ring=\"{}\"", r.index), super::poll::fill(s.prod, r.consumed.load(Relaxed), r.slots));
    }
    o.head("tickwire_ring_fill_ratio", "gauge", "tickwire_ring_fill_slots / tickwire_ring_slots.");
    for (r, s) in &status {
        let fill = super::poll::fill(s.prod, r.consumed.load(Relaxed), r.slots);
        o.line("tickwire_ring_fill_ratio", &format!("ring=\"{}\"", r.index), format!("{:.6}", f64::from(fill) / f64::from(r.slots)));
    }
    o.head("tickwire_ring_slots", "gauge", "Slots in the ring.");
    for r in &st.rings {
        o.line("tickwire_ring_slots", &format!("ring=\"{}\"", r.index), r.slots);
    }
    o.head("tickwire_ring_error", "gauge", "1 if the card flagged the ring's configuration (kind=\"cfg\") or a DMA write error (kind=\"dma\").");
    for (r, s) in &status {
        o.line("tickwire_ring_error", &format!("ring=\"{}\",kind=\"cfg\"", r.index), u8::from(s.cfg_error));
        o.line("tickwire_ring_error", &format!("ring=\"{}\",kind=\"dma\"", r.index), u8::from(s.dma_error));
    }
    o.head("tickwire_ring_symbols_subscribed", "gauge", "Tickers the ring subscribes to (0: no locate filter).");
    for r in &st.rings {
        o.line("tickwire_ring_symbols_subscribed", &format!("ring=\"{}\"", r.index), r.symbols_subscribed);
    }
    o.head("tickwire_ring_symbols_mapped", "gauge", "Subscribed tickers whose stock locate the stock directory named, programmed into the card's locate filter.");
    for r in &st.rings {
        o.line("tickwire_ring_symbols_mapped", &format!("ring=\"{}\"", r.index), r.symbols_mapped.load(Relaxed));
    }

    // top of book of the mapped symbols (republished by the poll threads every 100 ms)
    let tops: Vec<(usize, Vec<super::poll::SymbolTop>)> =
        st.rings.iter().map(|r| (r.index, r.tops.lock().map(|t| t.clone()).unwrap_or_default())).collect();
    type LevelValue = fn(&tickwire::book::Level) -> u64;
    let best: [(&str, &str, LevelValue); 2] = [
        ("tickwire_book_best_price", "Best bid or ask price of a subscribed symbol's book, raw ITCH integer (4 implied decimals); absent while that side is empty.", |l| u64::from(l.price)),
        ("tickwire_book_best_shares", "Shares at the best bid or ask of a subscribed symbol's book.", |l| l.shares),
    ];
    for (name, help, value) in best {
        o.head(name, "gauge", help);
        for (ring, t) in &tops {
            for (stock, _, _, top) in t {
                for (side, levels) in [("bid", &top.bids), ("ask", &top.asks)] {
                    if let Some(l) = levels.first() {
                        o.line(name, &format!("ring=\"{ring}\",stock=\"{stock}\",side=\"{side}\""), value(l));
                    }
                }
            }
        }
    }
    o.head("tickwire_book_stale", "gauge", "1 while a subscribed symbol's book may be wrong (a gap or a loss on its feed since it started).");
    for (ring, t) in &tops {
        for (name, _, _, top) in t {
            o.line("tickwire_book_stale", &format!("ring=\"{ring}\",stock=\"{name}\""), u8::from(top.stale));
        }
    }
    o.head("tickwire_book_anomalies_total", "counter", "Order messages the books could not apply: unknown order references, duplicate adds, executions past the shares left, bad sides.");
    for r in &st.rings {
        o.line("tickwire_book_anomalies_total", &format!("ring=\"{}\"", r.index), r.book_anomalies.load(Relaxed));
    }

    let name = "tickwire_latency_rx_to_observe_ns";
    let clock = if st.sim { "on the simulated card, both ends are simulated time: the card clock mapped to the simulated host clock" } else { "the card clock mapped to CLOCK_REALTIME" };
    o.head(name, "summary", &format!("Card receive timestamp to the poll thread observing the tick, ns ({clock}, by bracketed clock reads; hdrhistogram, 3 significant digits; _sum is count x mean)."));
    for r in &st.rings {
        let h = r.latency.lock().unwrap_or_else(|e| e.into_inner());
        for q in QUANTILES {
            o.line(name, &format!("ring=\"{}\",quantile=\"{q}\"", r.index), if h.is_empty() { 0 } else { h.value_at_quantile(q) });
        }
        o.line(&format!("{name}_sum"), &format!("ring=\"{}\"", r.index), format!("{:.0}", h.mean() * h.len() as f64));
        o.line(&format!("{name}_count"), &format!("ring=\"{}\"", r.index), h.len());
    }

    let name = "tickwire_card_latency_ns";
    o.head(name, "histogram", "In-card latency: DMA issue time - receive timestamp, from the card's own histogram (32-bit bins; no _sum: the card keeps none).");
    for r in &st.rings {
        let bins = card.latency_histogram(r.index);
        let mut cum = 0u64;
        for (b, n) in bins.iter().enumerate() {
            cum += u64::from(*n);
            if let (_, Some(hi)) = latency_bin_ns(b) {
                o.line(&format!("{name}_bucket"), &format!("ring=\"{}\",le=\"{hi}\"", r.index), cum);
            }
        }
        o.line(&format!("{name}_bucket"), &format!("ring=\"{}\",le=\"+Inf\"", r.index), cum);
        o.line(&format!("{name}_count"), &format!("ring=\"{}\"", r.index), cum);
    }

    o.head("tickwire_clock_offset_ns", "gauge", "Card clock - host clock at the last bracketed read (the daemon maps card time to host time with it).");
    if let Some(c) = st.clock.get() {
        o.line("tickwire_clock_offset_ns", "", c.offset_ns());
    }
    if let Some(r) = st.servo.lock().ok().and_then(|g| *g) {
        o.head("tickwire_clock_servo_offset_ns", "gauge", "Card clock - host clock measured by the servo's last sample, before its correction.");
        o.line("tickwire_clock_servo_offset_ns", "", r.offset_ns);
        o.head("tickwire_clock_servo_freq_ppb", "gauge", "The servo's frequency correction of the card clock, ppb.");
        o.line("tickwire_clock_servo_freq_ppb", "", r.freq_ppb);
        o.head("tickwire_clock_servo_locked", "gauge", "1 once the servo steers the card clock's frequency (after its first step).");
        o.line("tickwire_clock_servo_locked", "", u8::from(matches!(r.state, tickwire::servo::ServoState::Locked)));
        o.head("tickwire_clock_servo_samples_total", "counter", "Servo samples taken (the first two, before receiving, measure and step).");
        o.line("tickwire_clock_servo_samples_total", "", st.servo_samples.load(Relaxed));
    }
    if st.sim {
        o.head("tickwire_source_frames_sent_total", "counter", "Frames the daemon pushed onto the simulated card's MAC stream.");
        o.line("tickwire_source_frames_sent_total", "", st.frames_sent.load(Relaxed));
        o.head("tickwire_source_frames", "gauge", "Frames in the simulated card's source (capture or generated feed).");
        o.line("tickwire_source_frames", "", st.frames_total);
    }
    o.s
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Serve `/metrics` on `listener` until `stop`.
pub fn serve<D: Device>(listener: TcpListener, card: &Card<D>, st: &State, stop: &AtomicBool) {
    if let Err(e) = listener.set_nonblocking(true) {
        warn!("metrics: cannot make the listener non-blocking ({e}); /metrics is off");
        return;
    }
    while !stop.load(Relaxed) {
        match listener.accept() {
            Ok((s, peer)) => {
                debug!(%peer, "metrics: connection");
                if let Err(e) = handle(s, card, st) {
                    debug!(%peer, "metrics: {e}");
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                warn!("metrics: accept failed: {e}");
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

fn handle<D: Device>(mut s: TcpStream, card: &Card<D>, st: &State) -> std::io::Result<()> {
    s.set_nonblocking(false)?;
    s.set_read_timeout(Some(Duration::from_secs(2)))?;
    s.set_write_timeout(Some(Duration::from_secs(2)))?;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && !buf.windows(2).any(|w| w == b"\n\n") && buf.len() < 8192 {
        let n = s.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let req = String::from_utf8_lossy(&buf);
    let mut first = req.lines().next().unwrap_or("").split_whitespace();
    let (method, path) = (first.next().unwrap_or(""), first.next().unwrap_or(""));
    let path = path.split('?').next().unwrap_or("");
    let (status, ctype, body) = match (method, path) {
        ("GET" | "HEAD", "/metrics") => ("200 OK", "text/plain; version=0.0.4; charset=utf-8", render(card, st)),
        ("GET" | "HEAD", "/stats") => ("200 OK", "application/json", super::status::stats_json(card, st).to_string()),
        ("GET" | "HEAD", "/") => ("200 OK", "text/plain; charset=utf-8", "tickwired: Prometheus metrics at /metrics, the daemon's state as JSON at /stats\n".to_string()),
        ("GET" | "HEAD", _) => ("404 Not Found", "text/plain; charset=utf-8", "not found: try /metrics or /stats\n".to_string()),
        _ => ("405 Method Not Allowed", "text/plain; charset=utf-8", "GET /metrics or /stats\n".to_string()),
    };
    let head = format!("HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    s.write_all(head.as_bytes())?;
    if method != "HEAD" {
        s.write_all(body.as_bytes())?;
    }
    s.flush()
}
