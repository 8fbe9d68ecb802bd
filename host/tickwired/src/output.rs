//! Tick output: JSON lines (schema in docs/replay-jsonl.md) and a readable table.

use serde_json::{Map, Value};
use tickwire::itch;
use tickwire::replay::ReplayTick;
use tickwire::tick::TICK_DATA_CAP;

/// Session bytes as text (ASCII, trailing spaces kept out).
pub fn session_str(s: &[u8; 10]) -> String {
    String::from_utf8_lossy(s).trim_end().to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
    m.insert("line".into(), if r.line == 0 { "A" } else { "B" }.into());
    m
}

/// One `{"kind":"tick", ...}` object for a message tick.
pub fn tick_json(t: &ReplayTick) -> Value {
    let r = &t.record;
    let mut m = record_keys("tick", t, t.session);
    m.insert("msg_len".into(), r.msg_len.into());
    m.insert("truncated".into(), r.is_truncated().into());
    m.insert("loss_before".into(), r.loss_before().into());
    m.insert("gap_before".into(), r.gap_before().into());
    m.insert("late".into(), r.is_late().into());
    let msg = r.message();
    match itch::decode_prefix(msg, usize::from(r.msg_len)) {
        Ok(d) => {
            for (k, v) in d.to_json_map() {
                m.insert(k, v);
            }
            if !d.omitted.is_empty() {
                m.insert("omitted_fields".into(), d.omitted.iter().map(|s| Value::from(*s)).collect());
            }
        }
        Err(e) => {
            // Not a valid ITCH message: still deliver what the card saw, with the reason.
            // The common 11-byte header is the same for every type: give it when it is there.
            if let Some(&b) = msg.first() {
                m.insert("message_type".into(), char::from(b).to_string().into());
            }
            if msg.len() >= 11 {
                m.insert("stock_locate".into(), u16::from_be_bytes([msg[1], msg[2]]).into());
                m.insert("tracking_number".into(), u16::from_be_bytes([msg[3], msg[4]]).into());
                let ts = msg[5..11].iter().fold(0u64, |a, &b| a << 8 | u64::from(b));
                m.insert("timestamp".into(), ts.into());
            }
            m.insert("decode_error".into(), e.to_string().into());
        }
    }
    m.insert("bytes".into(), hex(msg).into());
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
    m.insert("loss_before".into(), r.loss_before().into());
    Value::Object(m)
}

/// One table row for an event record.
pub fn event_row(t: &ReplayTick) -> String {
    let r = &t.record;
    let mut what = Vec::new();
    if r.is_session() {
        what.push(format!("new session {:?} on line {}", r.session().as_ref().map(session_str).unwrap_or_default(), if r.line == 0 { "A" } else { "B" }));
    }
    if let Some(g) = r.gap() {
        what.push(format!("gap: messages {}..{} ({}) missing on every line so far", g.start, g.end, g.end.saturating_sub(g.start)));
    }
    if r.is_end_of_session() {
        what.push("end of session".to_string());
    }
    format!("{:>4} {:>12} {:>16} {:>4} {:>6} {:>15}  -- feed {}: {}", t.ring, r.seq, r.rx_ts_ns, "-", "-", "-", r.feed, what.join("; "))
}

/// A one-line summary of the decoded fields for the table.
fn summary(d: &itch::Decoded) -> String {
    d.fields.iter().map(|f| format!("{}={}", f.name, f.value)).collect::<Vec<_>>().join(" ")
}

/// Table header matching [`tick_row`].
pub fn table_header() -> String {
    format!("{:>4} {:>12} {:>16} {:>4} {:>6} {:>15}  {}", "ring", "seq", "rx_ts_ns", "type", "locate", "itch_ts", "fields")
}

/// One table row.
pub fn tick_row(t: &ReplayTick) -> String {
    let r = &t.record;
    let msg = r.message();
    match itch::decode_prefix(msg, usize::from(r.msg_len)) {
        Ok(d) => {
            let mut s = summary(&d);
            if r.msg_len as usize > TICK_DATA_CAP {
                s.push_str(&format!(" (truncated: {} of {} bytes carried)", TICK_DATA_CAP, r.msg_len));
            }
            if r.is_late() {
                s.push_str(" (late: fills an earlier gap)");
            }
            if r.line != 0 {
                s.push_str(" [line B]");
            }
            format!(
                "{:>4} {:>12} {:>16} {:>4} {:>6} {:>15}  {}",
                t.ring, r.seq, r.rx_ts_ns, d.message_type, d.stock_locate, d.timestamp, s
            )
        }
        Err(e) => format!("{:>4} {:>12} {:>16} {:>4} {:>6} {:>15}  undecodable: {e}", t.ring, r.seq, r.rx_ts_ns, "?", "-", "-"),
    }
}
