//! The daemon's state as JSON: `/stats` on the metrics address (read by `tickwire stats` and
//! `tickwire top`) and the summary line at the stop share these functions, so the two can never
//! disagree on a field's name or meaning. docs/daemon.md lists the fields.

use std::sync::atomic::Ordering::*;

use serde_json::{json, Map, Value};
use tickwire::{Card, Device};

use super::poll::RingShared;
use super::State;

/// One ring's counters, books and host latency (no card register: the caller adds those).
pub fn ring_json(st: &State, sh: &RingShared) -> Value {
    let h = sh.latency.lock().unwrap_or_else(|e| e.into_inner());
    let q = |q: f64| if h.is_empty() { Value::Null } else { json!(h.value_at_quantile(q)) };
    // log-2 buckets from 64 ns: [upper bound ns, count], empty ones left out
    let buckets: Vec<Value> = if h.is_empty() {
        Vec::new()
    } else {
        h.iter_log(64, 2.0).filter(|v| v.count_since_last_iteration() > 0).map(|v| json!([v.value_iterated_to(), v.count_since_last_iteration()])).collect()
    };
    let mapped: Map<String, Value> = sh.mapped.lock().unwrap_or_else(|e| e.into_inner()).iter().map(|(t, l)| (t.clone(), json!(l))).collect();
    let subscribed = &st.settings.rings.iter().find(|x| x.index == sh.index).map(|r| r.symbols.clone()).unwrap_or_default();
    let mut missing: Vec<String> = subscribed.iter().map(|t| String::from_utf8_lossy(t).trim_end().to_string()).filter(|t| !mapped.contains_key(t)).collect();
    missing.sort();
    missing.dedup();
    json!({
        "index": sh.index,
        "slots": sh.slots,
        "ticks": sh.ticks.load(Relaxed),
        "events": sh.events.load(Relaxed),
        "gaps": sh.gap_events.load(Relaxed),
        "gap_messages": sh.gap_messages.load(Relaxed),
        "late": sh.late.load(Relaxed),
        "loss_flags": sh.loss_flags.load(Relaxed),
        "frames_bad": sh.frames_bad.load(Relaxed),
        "ticks_discarded_bad": sh.ticks_bad.load(Relaxed),
        "symbols_subscribed": sh.symbols_subscribed,
        "symbols_mapped": mapped,
        "symbols_missing": missing,
        "book_ticks": sh.book_ticks.load(Relaxed),
        "book_ticks_unsubscribed": sh.book_ticks_unsubscribed.load(Relaxed),
        "books": books_json(sh),
        "book_anomalies": sh.book_anomalies.load(Relaxed),
        "recovered": sh.recovered.load(Relaxed),
        "recovered_filtered": sh.recovered_filtered.load(Relaxed),
        "recovery": {
            "started": sh.recovery.started.load(Relaxed),
            "complete": sh.recovery.complete.load(Relaxed),
            "incomplete": sh.recovery.incomplete.load(Relaxed),
            "messages": sh.recovery.messages.load(Relaxed),
            "missing": sh.recovery.missing.load(Relaxed),
            "requests": sh.recovery.requests.load(Relaxed),
            "late_answers": sh.recovery.late_answers.load(Relaxed),
            "duplicate_late": sh.recovery.duplicate_late.load(Relaxed),
        },
        "capture": {
            "records": sh.capture.records.load(Relaxed),
            "losses": sh.capture.losses.load(Relaxed),
        },
        "latency_ns": {
            "count": h.len(), "p50": q(0.5), "p90": q(0.9), "p99": q(0.99), "p999": q(0.999), "max": q(1.0),
            "negative": sh.latency_negative.load(Relaxed), "buckets": buckets,
        },
    })
}

/// The mapped symbols' top of book: `{"AMD": {"feed": 0, "locate": 1, "stale": false, "bids":
/// [[price, shares, orders], ...], "asks": [...]}}`, best levels first, prices as raw integers.
pub fn books_json(sh: &RingShared) -> Value {
    let tops = sh.tops.lock().unwrap_or_else(|e| e.into_inner());
    let side = |v: &[tickwire::book::Level]| v.iter().map(|l| json!([l.price, l.shares, l.orders])).collect::<Vec<_>>();
    let m: Map<String, Value> = tops
        .iter()
        .map(|(name, feed, locate, t)| (name.clone(), json!({"feed": feed, "locate": locate, "stale": t.stale, "bids": side(&t.bids), "asks": side(&t.asks)})))
        .collect();
    Value::Object(m)
}

/// Fields of the whole daemon that the live view and the summary share.
pub fn common_json<D: Device>(card: &Card<D>, st: &State) -> Map<String, Value> {
    let sum = |f: fn(&RingShared) -> u64| st.rings.iter().map(f).sum::<u64>();
    let counters: Map<String, Value> = card.counters().into_iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    let mut m = Map::new();
    m.insert("device".into(), json!(card.device().name()));
    m.insert("uptime_s".into(), json!((st.started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0));
    m.insert("ticks".into(), json!(sum(|r| r.ticks.load(Relaxed))));
    m.insert("events".into(), json!(sum(|r| r.events.load(Relaxed))));
    m.insert("gaps".into(), json!(sum(|r| r.gap_events.load(Relaxed))));
    m.insert("gap_messages".into(), json!(sum(|r| r.gap_messages.load(Relaxed))));
    m.insert("loss_flags".into(), json!(sum(|r| r.loss_flags.load(Relaxed))));
    m.insert("counters".into(), Value::Object(counters));
    m.insert(
        "clock_servo".into(),
        st.servo.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map_or(Value::Null, |r| {
            json!({"state": format!("{:?}", r.state), "offset_ns": r.offset_ns, "freq_ppb": r.freq_ppb, "bracket_ns": r.bracket_ns, "samples": st.servo_samples.load(Relaxed)})
        }),
    );
    m.insert("clock_offset_ns".into(), st.clock.get().map_or(Value::Null, |c| json!(c.offset_ns())));
    if st.sim {
        m.insert("frames_total".into(), json!(st.frames_total));
        m.insert("frames_sent".into(), json!(st.frames_sent.load(Relaxed)));
    }
    m
}

/// `/stats`: the daemon now, as one JSON object (`"kind": "stats"`).
pub fn stats_json<D: Device>(card: &Card<D>, st: &State) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), json!("stats"));
    m.extend(common_json(card, st));
    let rings: Vec<Value> = st
        .rings
        .iter()
        .map(|sh| {
            let mut r = ring_json(st, sh);
            let s = card.ring_status(sh.index);
            r["drops"] = json!(s.drops);
            r["prod"] = json!(s.prod);
            r["cons"] = json!(sh.consumed.load(Relaxed));
            r["fill"] = json!(super::poll::fill(s.prod, sh.consumed.load(Relaxed), sh.slots));
            r
        })
        .collect();
    m.insert("rings".into(), json!(rings));
    Value::Object(m)
}
