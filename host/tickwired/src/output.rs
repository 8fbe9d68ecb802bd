//! Tick output: JSON lines (schema in docs/replay-jsonl.md) and a readable table.

use serde_json::{Map, Value};
use tickwire::itch;
use tickwire::replay::ReplayTick;
use tickwire::tick::{StockDirectory, TickRecord};

/// Session bytes as text (ASCII, trailing spaces kept out).
pub fn session_str(s: &[u8; 10]) -> String {
    String::from_utf8_lossy(s).trim_end().to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn line_str(r: &TickRecord) -> &'static str {
    if r.line() == 0 {
        "A"
    } else {
        "B"
    }
}

/// The keys every object for a record starts with: kind, ring, seq, session, rx_ts_ns, feed, line.
fn record_keys(kind: &str, t: &ReplayTick, session: Option<[u8; 10]>) -> Map<String, Value> {
    let r = &t.record;
    let mut m = Map::new();
    m.insert("kind".into(), kind.into());
    m.insert("ring".into(), t.ring.into());
    m.insert("seq".into(), r.seq.into());
    m.insert("session".into(), session.as_ref().map(session_str).map_or(Value::Null, Value::from));
    m.insert("rx_ts_ns".into(), r.rx_ts_ns.into());
    m.insert("feed".into(), r.feed.into());
    m.insert("line".into(), line_str(r).into());
    m
}

/// One `{"kind":"tick", ...}` object for a message tick: the record's keys, then every decoded
/// field under the ITCH 5.0 names (`stock` of `P`, `I`, `O` from `dir`), or, for a raw record,
/// the header fields, the bytes it carries and why the card did not decode it.
pub fn tick_json(t: &ReplayTick, dir: &StockDirectory) -> Value {
    let r = &t.record;
    let mut m = record_keys("tick", t, t.session);
    m.insert("msg_len".into(), r.msg_len().into());
    m.insert("raw".into(), r.is_raw().into());
    m.insert("truncated".into(), r.is_truncated().into());
    m.insert("loss_before".into(), r.loss_before().into());
    m.insert("gap_before".into(), r.gap_before().into());
    m.insert("late".into(), r.is_late().into());
    m.insert("recovered".into(), (r.flags & tickwire::tick_layout::FLAG_RECOVERED != 0).into());
    if let Some(mut d) = r.decoded() {
        dir.fill(&mut d);
        for (k, v) in d.to_json_map() {
            m.insert(k, v);
        }
        if !d.omitted.is_empty() {
            m.insert("omitted_fields".into(), d.omitted.iter().map(|s| Value::from(*s)).collect());
        }
    } else if let Some(msg) = r.raw_message() {
        // Not decoded: deliver what the card saw, with the reason.
        m.insert("message_type".into(), char::from(r.msg_type).to_string().into());
        m.insert("stock_locate".into(), r.stock_locate.into());
        m.insert("timestamp".into(), r.timestamp_ns().into());
        let why = match itch::decode_prefix(&msg, usize::from(r.msg_len())) {
            Err(e) => e.to_string(),
            Ok(_) => "not decoded by the card".to_string(),
        };
        m.insert("decode_error".into(), why.into());
        m.insert("bytes".into(), hex(&msg).into());
    }
    Value::Object(m)
}

/// One `{"kind":"event", ...}` object for a feed sequencer event record (new session, gap, end
/// of session).
pub fn event_json(t: &ReplayTick) -> Value {
    let r = &t.record;
    let mut m = record_keys("event", t, r.session());
    m.insert("new_session".into(), r.is_session().into());
    m.insert("end_of_session".into(), r.is_end_of_session().into());
    m.insert("gap".into(), r.gap().map_or(Value::Null, |g| serde_json::json!([g.start, g.end])));
    m.insert("recovered".into(), (r.flags & tickwire::tick_layout::FLAG_RECOVERED != 0).into());
    m.insert("loss_before".into(), r.loss_before().into());
    Value::Object(m)
}

/// One table row for an event record.
pub fn event_row(t: &ReplayTick) -> String {
    let r = &t.record;
    let mut what = Vec::new();
    if r.is_session() {
        what.push(format!("new session {:?} on line {}", r.session().as_ref().map(session_str).unwrap_or_default(), line_str(r)));
    }
    if let Some(g) = r.gap() {
        what.push(format!("gap: messages {}..{} ({}) missing on every line so far", g.start, g.end, g.end.saturating_sub(g.start)));
    }
    if r.is_end_of_session() {
        what.push("end of session".to_string());
    }
    format!("{:>4} {:>12} {:>16} {:>4} {:>6} {:>15}  -- feed {}: {}", t.ring, r.seq, r.rx_ts_ns, "-", "-", "-", r.feed, what.join("; "))
}

/// Table header matching [`tick_row`].
pub fn table_header() -> String {
    format!("{:>4} {:>12} {:>16} {:>4} {:>6} {:>15}  {}", "ring", "seq", "rx_ts_ns", "type", "locate", "itch_ts", "fields")
}

/// One table row: the typed view's Display (prices with their implied decimals), `stock` of
/// `P`, `I`, `O` from `dir`.
pub fn tick_row(t: &ReplayTick, dir: &StockDirectory) -> String {
    let r = &t.record;
    let mut s = match r.itch() {
        Some(v) => {
            let text = v.to_string();
            let fields = text.split_once(' ').map_or("", |(_, f)| f).to_string();
            let missing = r.decoded().is_some_and(|d| d.omitted.contains(&"stock"));
            match dir.stock(r.stock_locate).filter(|_| missing) {
                Some(stock) => format!("{fields} stock={}", itch::alpha_str(&stock)),
                None => fields,
            }
        }
        None => {
            let msg = r.raw_message().unwrap_or_default();
            let why = itch::decode_prefix(&msg, usize::from(r.msg_len())).err().map_or(String::new(), |e| e.to_string());
            format!("raw, {} bytes{}: {why}", r.msg_len(), if r.is_truncated() { " (truncated)" } else { "" })
        }
    };
    if r.is_late() {
        s.push_str(" (late: fills an earlier gap)");
    }
    if r.line() != 0 {
        s.push_str(" [line B]");
    }
    format!(
        "{:>4} {:>12} {:>16} {:>4} {:>6} {:>15}  {}",
        t.ring, r.seq, r.rx_ts_ns, char::from(r.msg_type), r.stock_locate, r.timestamp_ns(), s
    )
}
