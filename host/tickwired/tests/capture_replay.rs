//! `tickwire replay FILE` on a tick capture file (twcap): the built binary prints the recorded
//! ticks without the card, through the same output code as the card path (docs/replay-jsonl.md),
//! refuses the card's options, and reports a partial last record after printing the rest.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tickwire::capture::CaptureWriter;
use tickwire::itch::{pad_alpha, Body, Header, Message};
use tickwire::replay::ReplayTick;
use tickwire::tick::{StockDirectory, TickRecord, EVENT_NEW_SESSION, FLAG_EVENT, FLAG_LINE_B, TICK_EV_BITS_OFF, TICK_SESSION_OFF, TICK_BODY_OFF};

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tickwire-capreplay-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn tickwire(args: &[&str], file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tickwire")).arg("replay").arg(file).args(args).env("RUST_LOG", "warn").output().unwrap()
}

const SESSION: &[u8; 10] = b"CAPSESS001";
const FEED: u8 = 1;

fn msg(locate: u16, ts: u64, body: Body) -> Vec<u8> {
    Message { header: Header { stock_locate: locate, tracking_number: 0, timestamp: ts }, body }.encode()
}

/// What a daemon would have delivered on one ring: a new-session event record, then ITCH
/// messages decoded by `TickRecord::from_itch` (the card's decoding) with the card's fields
/// (seq, rx_ts_ns, feed, line) set; one unknown type (raw).
fn records() -> Vec<TickRecord> {
    let mut ev = TickRecord { flags: FLAG_EVENT, seq: 100, rx_ts_ns: 5_000, feed: FEED, ..Default::default() };
    ev.body[TICK_SESSION_OFF - TICK_BODY_OFF..][..10].copy_from_slice(SESSION);
    ev.body[TICK_EV_BITS_OFF - TICK_BODY_OFF] = EVENT_NEW_SESSION;
    let t0 = 34_200_000_000_000;
    let messages = [
        msg(0, t0, Body::SystemEvent { event_code: b'Q' }),
        msg(
            7,
            t0 + 1,
            Body::StockDirectory {
                stock: pad_alpha("AAPL"),
                market_category: b'Q',
                financial_status_indicator: b'N',
                round_lot_size: 100,
                round_lots_only: b'N',
                issue_classification: b'C',
                issue_sub_type: pad_alpha("Z"),
                authenticity: b'P',
                short_sale_threshold_indicator: b'N',
                ipo_flag: b'N',
                luld_reference_price_tier: b'1',
                etp_flag: b'N',
                etp_leverage_factor: 0,
                inverse_indicator: b'N',
            },
        ),
        msg(
            7,
            t0 + 2,
            Body::AddOrder { order_reference_number: 42, buy_sell_indicator: b'B', shares: 300, stock: pad_alpha("AAPL"), price: 1_872_500 },
        ),
        msg(7, t0 + 3, Body::OrderExecuted { order_reference_number: 42, executed_shares: 100, match_number: 9001 }),
        msg(
            7,
            t0 + 4,
            Body::Trade { order_reference_number: 43, buy_sell_indicator: b'S', shares: 50, stock: pad_alpha("AAPL"), price: 1_873_000, match_number: 9002 },
        ),
        vec![b'z', 0, 7, 0, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3],
    ];
    let mut out = vec![ev];
    for (i, m) in messages.iter().enumerate() {
        let mut r = TickRecord::from_itch(m);
        r.seq = 100 + i as u64;
        r.rx_ts_ns = 6_000 + 10 * i as u64;
        r.feed = FEED;
        if i == 2 {
            r.flags |= FLAG_LINE_B;
        }
        out.push(r);
    }
    out
}

/// Writes the records as ring 2's capture; the writer is told 3 ticks were missed before the
/// Order Executed (record 4), so the file carries LOSS there.
fn write_capture(path: &Path, recs: &[TickRecord]) {
    let mut w = CaptureWriter::create(path, 2, "sim").unwrap();
    for (i, r) in recs.iter().enumerate() {
        if i == 4 {
            w.note_loss(3);
        }
        w.write(&r.to_bytes()).unwrap();
    }
    w.finish().unwrap();
}

fn lines(out: &Output) -> Vec<Value> {
    assert!(out.status.success(), "exit {:?}; stderr: {}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn a_capture_replays_as_jsonl_without_the_card() {
    let d = tmpdir("jsonl");
    let file = d.join("ring2.twcap");
    let recs = records();
    write_capture(&file, &recs);
    let out = tickwire(&["--jsonl"], &file);
    let got = lines(&out);
    assert_eq!(got.len(), recs.len() + 1, "{got:#?}");

    // field by field, against what the messages say
    let ev = &got[0];
    assert_eq!(ev["kind"], "event");
    assert_eq!((ev["ring"].as_u64(), ev["seq"].as_u64(), ev["feed"].as_u64()), (Some(2), Some(100), Some(1)));
    assert_eq!((ev["session"].as_str(), ev["new_session"].as_bool()), (Some("CAPSESS001"), Some(true)));
    let by_type = |t: &str| got.iter().find(|v| v["kind"] == "tick" && v["message_type"] == t).unwrap_or_else(|| panic!("no {t}"));
    let a = by_type("A");
    assert_eq!(a["session"], "CAPSESS001", "the feed's session from its event record");
    assert_eq!((a["seq"].as_u64(), a["rx_ts_ns"].as_u64(), a["line"].as_str()), (Some(102), Some(6_020), Some("B")));
    assert_eq!((a["order_reference_number"].as_u64(), a["shares"].as_u64(), a["price"].as_u64()), (Some(42), Some(300), Some(1_872_500)));
    assert_eq!((a["stock"].as_str(), a["buy_sell_indicator"].as_str(), a["stock_locate"].as_u64()), (Some("AAPL"), Some("B"), Some(7)));
    assert_eq!(a["timestamp"].as_u64(), Some(34_200_000_000_002));
    assert_eq!(a["loss_before"], false);
    let e = by_type("E");
    assert_eq!(e["loss_before"], true, "the writer's LOSS mark");
    assert_eq!((e["executed_shares"].as_u64(), e["match_number"].as_u64(), e["line"].as_str()), (Some(100), Some(9001), Some("A")));
    let p = by_type("P");
    assert_eq!(p["stock"], "AAPL", "P's stock from the R record, as on the card path");
    assert_eq!(p["match_number"].as_u64(), Some(9002));
    let z = by_type("z");
    assert_eq!((z["raw"].as_bool(), z["msg_len"].as_u64()), (Some(true), Some(14)));
    assert!(z["decode_error"].as_str().unwrap().contains("unknown"), "{z}");
    assert_eq!(by_type("S")["event_code"], "Q");

    // every object exactly as the card path's formatting gives it for these ticks
    let mut dir = StockDirectory::default();
    let mut session = None;
    for (i, r) in recs.iter().enumerate() {
        let mut r = *r;
        if i == 4 {
            r.flags |= tickwire::tick::FLAG_LOSS;
        }
        session = r.session().or(session);
        dir.observe(&r);
        let t = ReplayTick { ring: 2, record: r, session };
        let want = if r.is_event() { tickwired::output::event_json(&t) } else { tickwired::output::tick_json(&t, &dir) };
        assert_eq!(got[i], want, "record {i}");
    }

    let stats = got.last().unwrap();
    assert_eq!((stats["kind"].as_str(), stats["source"].as_str()), (Some("stats"), Some("capture")));
    assert_eq!((stats["ring"].as_u64(), stats["device"].as_str()), (Some(2), Some("sim")));
    assert_eq!((stats["records"].as_u64(), stats["ticks"].as_u64(), stats["event_records"].as_u64()), (Some(7), Some(6), Some(1)));
    assert_eq!((stats["loss_flags"].as_u64(), stats["verdict_records"].as_u64()), (Some(1), Some(0)));
    assert!(stats["truncated_tail"].is_null());
    assert!(out.stderr.is_empty(), "no progress bar or log on a pipe: {}", String::from_utf8_lossy(&out.stderr));

    // the table view: same rows as the card path prints
    let out = tickwire(&[], &file);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(&tickwired::output::table_header()), "{text}");
    assert!(text.contains("price=187.2500") && text.contains("[line B]"), "{text}");
    assert!(text.contains("new session \"CAPSESS001\""), "{text}");
    assert!(text.contains("7 records from capture") && text.contains("1 records flagged LOSS"), "{text}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn card_options_with_a_capture_are_refused_by_name() {
    let d = tmpdir("options");
    let file = d.join("ring2.twcap");
    write_capture(&file, &records());
    let other = d.join("other.twcap");
    write_capture(&other, &records());
    let cases: [(&[&str], &str); 6] = [
        (&["--hold"], "--hold is an option of the simulated card"),
        (&["--config", "feeds.toml"], "--config is an option of the simulated card"),
        (&["--ring-slots", "64"], "--ring-slots"),
        (&["--seed", "3"], "--seed"),
        (&["--consumer-delay", "1us"], "--consumer-delay"),
        (&["--merge", other.to_str().unwrap()], "--merge is an option of the simulated card"),
    ];
    for (args, want) in cases {
        let out = tickwire(args, &file);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(want) && err.contains("ring2.twcap"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = tickwire(&[other.to_str().unwrap()], &file);
    assert!(String::from_utf8_lossy(&out.stderr).contains("give it alone"), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_dir_all(&d).unwrap();
}

/// A capture whose writer died mid-record: every whole record is printed, the summary says
/// where the partial one starts, and the command fails naming the offset.
#[test]
fn a_truncated_capture_prints_its_whole_records_then_fails() {
    let d = tmpdir("tail");
    let file = d.join("ring2.twcap");
    let recs = records();
    write_capture(&file, &recs);
    let mut b = std::fs::read(&file).unwrap();
    b.extend_from_slice(&[0xab; 10]);
    std::fs::write(&file, b).unwrap();
    let out = tickwire(&["--jsonl"], &file);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let offset = 64 + 64 * recs.len();
    assert!(err.contains(&format!("10 bytes at offset {offset}")), "{err}");
    let got: Vec<Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(got.len(), recs.len() + 1);
    let stats = got.last().unwrap();
    assert_eq!(stats["records"].as_u64(), Some(recs.len() as u64));
    assert_eq!((stats["truncated_tail"]["offset"].as_u64(), stats["truncated_tail"]["bytes"].as_u64()), (Some(offset as u64), Some(10)));
    std::fs::remove_dir_all(&d).unwrap();
}
