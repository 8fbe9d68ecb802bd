//! `tickwired` as a process: check-config on good and bad files, a run on the simulated card
//! scraped over TCP and stopped with SIGTERM, and the subscribed symbols reaching the card's
//! locate filter.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tickwired")
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tickwired-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn check(path: &Path) -> Output {
    Command::new(bin()).arg("check-config").arg(path).env("RUST_LOG", "warn").output().unwrap()
}

const FEED: &str = r#"
[[feed]]
name = "tv"
a = { group = "233.54.12.111", port = 26477 }
"#;

#[test]
fn check_config_accepts_the_example_and_a_minimal_file() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sim.toml");
    let out = check(&example);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok: device sim"));
    let card = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/card.toml");
    let out = check(&card);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0000:3b:00.0"), "{}", String::from_utf8_lossy(&out.stdout));
    let d = tmpdir("good");
    let out = check(&write(&d, "min.toml", FEED));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn check_config_names_the_key_and_the_fix() {
    let d = tmpdir("bad");
    let ring = |extra: &str| format!("{FEED}\n[[daemon.rings]]\n{extra}\n");
    let cases: Vec<(String, &str, &str)> = vec![
        (ring("slots = 100"), "daemon.rings[0].slots = 100", "a power of two from 2 to 2^26"),
        (ring("slotz = 4096"), "slotz", "expected one of"),
        (ring("symbols = [\"aapl\"]"), "daemon.rings[0].symbols[0]", "upper case"),
        (ring("idle = \"fast\""), "daemon.rings[0].idle", "\"spin\", \"yield\" or a sleep"),
        (ring("symbols = [\"AMD\"]\nlocate_types = \"AZ\""), "daemon.rings[0].locate_types", "no ITCH 5.0 message type"),
        (ring("symbols = [\"AMD\"]\ntypes = \"AFE\""), "daemon.rings[0].types lacks R", "add R"),
        (ring("locate_types = \"A\""), "daemon.rings[0].locate_types", "add the tickers"),
        (format!("{FEED}\n[metrics]\naddr = \"localhost\"\n"), "metrics.addr", "write IP:port"),
        (format!("{FEED}\n[run]\nduration = \"soon\"\n"), "run.duration", "a number and a unit"),
        (format!("{FEED}\n[run]\nstop_at_end = true\n"), "run.stop_at_end", "[daemon.sim]"),
        (format!("{FEED}\n[daemon]\ndevice = \"card0\"\n"), "daemon.device", "PCI address"),
        (format!("{FEED}\n[daemon.fanout]\nslots = 100\n"), "daemon.fanout.slots = 100", "a power of two"),
        (format!("{FEED}\n[daemon.fanout]\ndir = \"nowhere\"\n"), "daemon.fanout.dir", "create it"),
        (format!("{FEED}\n[daemon.fanout]\ngroup = \"no-such-group-tw\"\n"), "daemon.fanout.group", "groupadd"),
        (format!("{FEED}\n[daemon.sim]\npcap = \"missing.pcap\"\n"), "daemon.sim.pcap", "relative to the config file"),
        (format!("{FEED}\n[daemon.sim]\ngenerate = {{ messages = 0 }}\n"), "daemon.sim.generate.messages", "positive"),
        (format!("{FEED}\n[daemon.sim]\ngenerate = {{ messages = 10 }}\nrate = -1\n"), "daemon.sim.rate", "frames per second"),
        (format!("{FEED}\n[daemon.sim]\ngenerate = {{ messages = 10 }}\nmax_gap = \"1 fortnight\"\n"), "daemon.sim.max_gap", "a number and a unit"),
        (format!("{FEED}\n[[daemon.rings]]\n[[daemon.rings]]\n[[daemon.rings]]\n[[daemon.rings]]\n[[daemon.rings]]\n"), "daemon.rings", "the card has 4 rings"),
        (format!("{FEED}ring = 1\n[[daemon.rings]]\n"), "feed[0].ring = 1", "add [[daemon.rings]]"),
        ("[[feed]]\nname = \"x\"\na = { group = \"233.54.12\" }\n".to_string(), "feed[0].a.group", "write it as a.b.c.d"),
        ("[filter]\n".to_string(), "feed", "add a [[feed]]"),
        (format!("{FEED}\n[daemon.recovery]\nservers = {{ nope = \"127.0.0.1:1\" }}\n"), "daemon.recovery.servers.nope", "no [[feed]] is named"),
        (format!("{FEED}\n[daemon.recovery]\nservers = {{ tv = \"server\" }}\n"), "daemon.recovery.servers.tv", "write IP:port"),
        (format!("{FEED}\n[daemon.recovery]\nservers = {{ tv = \"127.0.0.1:1\" }}\nhold = \"10ms\"\n"), "daemon.recovery.hold", "raise hold"),
        (format!("{FEED}\n[daemon.recovery]\nservers = {{ tv = \"127.0.0.1:1\" }}\ntries = 0\n"), "daemon.recovery.tries", "1 to 100"),
        (format!("{FEED}\n[daemon.capture]\ndir = \".\"\n"), "daemon.capture", "add [daemon.fanout]"),
        (format!("{FEED}\n[daemon.fanout]\ndir = \".\"\n[daemon.capture]\ndir = \"nowhere\"\n"), "daemon.capture.dir", "create it"),
        (format!("{FEED}\n[daemon.sim]\ngenerate = {{ messages = 10, loss_a = 1.5 }}\n"), "daemon.sim.generate.loss_a", "a probability"),
    ];
    for (i, (text, key, fix)) in cases.iter().enumerate() {
        let out = check(&write(&d, &format!("bad{i}.toml"), text));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "case {i} ({key}) should fail: {err}");
        assert!(err.contains(key), "case {i}: the message names {key:?}: {err}");
        assert!(err.contains(fix), "case {i}: the message says the fix {fix:?}: {err}");
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn scrape(port: u16) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    s.write_all(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").ok()?;
    let mut resp = String::new();
    s.read_to_string(&mut resp).ok()?;
    let (head, body) = resp.split_once("\r\n\r\n")?;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("text/plain; version=0.0.4"), "{head}");
    Some(body.to_string())
}

/// The exposition is well formed: every sample's family has HELP and TYPE lines before it, every
/// sample line is `name{labels} number`; returns (name with labels, value) pairs.
fn parse_exposition(body: &str) -> Vec<(String, f64)> {
    let mut typed = std::collections::HashSet::new();
    let mut helped = std::collections::HashSet::new();
    let mut out = Vec::new();
    for line in body.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            helped.insert(rest.split_whitespace().next().unwrap().to_string());
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut w = rest.split_whitespace();
            let name = w.next().unwrap().to_string();
            let kind = w.next().unwrap();
            assert!(["counter", "gauge", "summary", "histogram"].contains(&kind), "{line}");
            typed.insert(name);
            continue;
        }
        assert!(!line.starts_with('#') && !line.is_empty(), "unexpected line {line:?}");
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value: {line}"));
        let v: f64 = value.parse().unwrap_or_else(|_| panic!("not a number: {line}"));
        let name = series.split('{').next().unwrap();
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{line}");
        if series.contains('{') {
            assert!(series.ends_with('}'), "{line}");
        }
        let family = ["_bucket", "_sum", "_count"].iter().find_map(|s| name.strip_suffix(s).filter(|f| typed.contains(*f))).unwrap_or(name);
        assert!(typed.contains(family) && helped.contains(family), "no HELP/TYPE before {line}");
        out.push((series.to_string(), v));
    }
    out
}

fn value(samples: &[(String, f64)], series: &str) -> f64 {
    samples.iter().find(|(s, _)| s == series).unwrap_or_else(|| panic!("no sample {series}")).1
}

fn start(config: &Path) -> Child {
    Command::new(bin())
        .arg("--config")
        .arg(config)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(mut child: Child, limit: Duration) -> (std::process::ExitStatus, Duration, serde_json::Value, String) {
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t0.elapsed() > limit + Duration::from_secs(30) {
            let _ = child.kill();
            panic!("tickwired did not exit");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let took = t0.elapsed();
    let mut out = String::new();
    let mut err = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    let last = out.lines().last().unwrap_or_else(|| panic!("no summary; stderr: {err}"));
    (status, took, serde_json::from_str(last).unwrap_or_else(|e| panic!("summary {last:?}: {e}")), err)
}

/// An independent book rebuild from the wire messages: every order of the feed, then the best
/// `n` levels of `locate`'s `side` as `[price, shares, orders]`, best first.
fn rebuild_levels(messages: &[tickwire::itch::Message], locate: u16, side: u8, n: usize) -> Vec<serde_json::Value> {
    let mut orders: std::collections::HashMap<u64, (u16, u8, u32, u64)> = Default::default(); // ref -> (locate, side, price, shares)
    for m in messages {
        let w = m.encode();
        let loc = u16::from_be_bytes([w[1], w[2]]);
        let be = |a: usize, n: usize| w[a..a + n].iter().fold(0u64, |x, &b| x << 8 | u64::from(b));
        match w[0] {
            b'A' | b'F' => {
                orders.insert(be(11, 8), (loc, w[19], be(32, 4) as u32, be(20, 4)));
            }
            b'E' | b'C' | b'X' => {
                let r = be(11, 8);
                let k = be(19, 4);
                if let Some(o) = orders.get_mut(&r) {
                    o.3 = o.3.saturating_sub(k);
                    if o.3 == 0 {
                        orders.remove(&r);
                    }
                }
            }
            b'D' => {
                orders.remove(&be(11, 8));
            }
            b'U' => {
                if let Some(o) = orders.remove(&be(11, 8)) {
                    orders.insert(be(19, 8), (o.0, o.1, be(31, 4) as u32, be(27, 4)));
                }
            }
            _ => {}
        }
    }
    let mut by: std::collections::BTreeMap<u32, (u64, u64)> = Default::default();
    for o in orders.values().filter(|o| o.0 == locate && o.1 == side) {
        let e = by.entry(o.2).or_default();
        e.0 += o.3;
        e.1 += 1;
    }
    let mut v: Vec<serde_json::Value> = by.iter().map(|(p, (sh, k))| serde_json::json!([p, sh, k])).collect();
    if side == b'B' {
        v.reverse();
    }
    v.truncate(n);
    v
}

fn locate_of(messages: &[tickwire::itch::Message], t: &str) -> u16 {
    messages
        .iter()
        .map(|m| m.encode())
        .find(|w| w[0] == b'R' && w[11..19].trim_ascii_end() == t.as_bytes())
        .map(|w| u16::from_be_bytes([w[1], w[2]]))
        .unwrap_or_else(|| panic!("{t} not in the directory"))
}

#[test]
fn runs_on_the_sim_serves_metrics_and_stops_on_sigterm() {
    let d = tmpdir("e2e");
    let port = free_port();
    // 2000 messages in 390 frames at 200 frames/s: about 2 s of feed, still running when scraped
    let cfg = write(
        &d,
        "e2e.toml",
        &format!(
            "{FEED}\n[daemon.sim]\ngenerate = {{ messages = 2000, seed = 7 }}\nrate = 200\n[[daemon.rings]]\nslots = 1024\nidle = \"50us\"\n[metrics]\naddr = \"127.0.0.1:{port}\"\n"
        ),
    );
    let child = start(&cfg);
    let t0 = Instant::now();
    let samples = loop {
        assert!(t0.elapsed() < Duration::from_secs(60), "no ticks on /metrics within 60 s");
        if let Some(body) = scrape(port) {
            let s = parse_exposition(&body);
            // one scrape reads the card's counters before the rings': wait for a scrape with both
            // ... and for the card-clock servo to have taken a sample after its step
            if value(&s, "tickwire_ring_ticks_total{ring=\"0\"}") > 0.0
                && value(&s, "tickwire_card_counter{name=\"rx_frames\"}") > 0.0
                && value(&s, "tickwire_clock_servo_locked") == 1.0
                && value(&s, "tickwire_clock_servo_samples_total") >= 3.0
            {
                break s;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(value(&samples, "tickwire_up{device=\"sim\"}"), 1.0);
    assert!(value(&samples, "tickwire_card_counter{name=\"rx_frames\"}") > 0.0);
    assert!(value(&samples, "tickwire_card_counter{name=\"mold_msgs\"}") > 0.0);
    assert!(value(&samples, "tickwire_card_counter{name=\"dma_writes\"}") > 0.0);
    assert!(value(&samples, "tickwire_source_frames_sent_total") > 0.0);
    assert!(value(&samples, "tickwire_flow_rule_hits_total{rule=\"0\",feed=\"tv\",line=\"A\"}") > 0.0);
    assert!(value(&samples, "tickwire_latency_rx_to_observe_ns_count{ring=\"0\"}") >= 0.0);
    assert_eq!(value(&samples, "tickwire_ring_slots{ring=\"0\"}"), 1024.0);
    let fill = value(&samples, "tickwire_ring_fill_slots{ring=\"0\"}");
    assert!((0.0..=1024.0).contains(&fill));
    assert!(value(&samples, "tickwire_card_latency_ns_count{ring=\"0\"}") > 0.0);
    assert_eq!(value(&samples, "tickwire_ring_gaps_total{ring=\"0\"}"), 0.0);
    // the servo stepped the card clock to the host clock (both simulated time here) and holds it
    let off = value(&samples, "tickwire_clock_servo_offset_ns");
    assert!(off.abs() < 1_000.0, "card clock {off} ns off the host clock after the servo's step");

    let sent = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    assert!(sent.success());
    let (status, took, summary, err) = finish(child, Duration::from_secs(2));
    assert!(status.success(), "exit {status:?}; stderr: {err}");
    assert!(took < Duration::from_secs(2), "took {took:?} to stop after SIGTERM");
    assert_eq!(summary["kind"], "summary");
    assert_eq!(summary["reason"], "signal", "{summary}");
    assert!(summary["ticks"].as_u64().unwrap() > 0, "{summary}");
    assert_eq!(summary["iommu_violations"], 0);
    let r0 = &summary["rings"][0];
    assert_eq!(r0["prod"], r0["cons"], "every tick the card wrote before the stop was consumed: {r0}");
    assert!(err.contains("ring closed"), "{err}");
    // the port is free again: the daemon is gone
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
}

#[test]
fn subscribed_symbols_reach_the_locate_filter() {
    use tickwire::gen::{generate_messages, GenConfig};
    let d = tmpdir("locate");
    // seed 7, 8 symbols: AMD (locate 1) AVGO COST FTNT NFLX (5) NXPI QCOM SQQQ
    let gen = GenConfig { seed: 7, messages: 3000, symbols: 8, ..GenConfig::default() };
    let messages = generate_messages(&gen).unwrap();
    let locate_of = |t: &str| locate_of(&messages, t);
    let subscribed = [locate_of("AMD"), locate_of("NFLX")];
    let book_types = b"AFECXDUPQBIN";
    let (mut want_sub, mut want_other) = (0u64, 0u64);
    for m in &messages {
        let w = m.encode();
        if book_types.contains(&w[0]) {
            if subscribed.contains(&u16::from_be_bytes([w[1], w[2]])) {
                want_sub += 1;
            } else {
                want_other += 1;
            }
        }
    }
    assert!(want_sub > 0 && want_other > 0);
    let port = free_port();
    let cfg = write(
        &d,
        "locate.toml",
        &format!(
            "{FEED}\n[daemon.sim]\ngenerate = {{ messages = 3000, seed = 7, symbols = 8 }}\nspeed = 100000\nmax_gap = \"200ms\"\n[[daemon.rings]]\nsymbols = [\"AMD\", \"NFLX\", \"ZZZZ\"]\nidle = \"50us\"\n[metrics]\naddr = \"127.0.0.1:{port}\"\n[run]\nstop_at_end = true\nduration = \"120s\"\n"
        ),
    );
    let (status, _, summary, err) = finish(start(&cfg), Duration::from_secs(120));
    assert!(status.success(), "{err}");
    assert_eq!(summary["reason"], "end_of_capture", "{summary}");
    let r0 = &summary["rings"][0];
    assert_eq!(r0["symbols_mapped"]["AMD"], subscribed[0]);
    assert_eq!(r0["symbols_mapped"]["NFLX"], subscribed[1]);
    assert_eq!(r0["symbols_missing"], serde_json::json!(["ZZZZ"]));
    assert!(err.contains("ZZZZ"), "an unmapped symbol is warned about: {err}");
    let book = r0["book_ticks"].as_u64().unwrap();
    assert!(book > 0 && book <= want_sub, "delivered {book} order-book ticks, the feed has {want_sub} for AMD and NFLX");
    assert_eq!(r0["book_ticks_unsubscribed"], 0, "every delivered order-book tick is of a subscribed locate: {r0}");
    let filtered = summary["counters"]["itch_filtered"].as_u64().unwrap();
    assert!(filtered >= want_other, "the card filtered {filtered}, the feed has {want_other} order-book messages of other stocks");
    assert_eq!(summary["counters"]["mold_msgs"].as_u64().unwrap(), 3000);
    assert_eq!(r0["drops"], 0);

    // The books the daemon built from the card's ticks, against a rebuild here from the wire
    // messages: every order of the feed, then the best 5 levels of each subscribed stock.
    // The day's timestamps pace the feed (100 000 times faster, silences cut to 200 ms), so there
    // is time between the stock directory and the open, as in a real feed, for the daemon to
    // program the locates it learns: then nothing of a subscribed stock is filtered. (At a fixed
    // frame rate the open follows the directory within milliseconds, and the first orders can be
    // filtered before the bitmap word is written: docs/daemon.md.)
    assert_eq!(book, want_sub, "every order-book message of AMD and NFLX delivered");
    let levels = |locate: u16, side: u8| rebuild_levels(&messages, locate, side, 5);
    for (name, locate) in [("AMD", subscribed[0]), ("NFLX", subscribed[1])] {
        let b = &r0["books"][name];
        assert_eq!(b["locate"], locate, "{b}");
        assert_eq!(b["stale"], false);
        assert_eq!(b["bids"].as_array().unwrap(), &levels(locate, b'B'), "{name} bids");
        assert_eq!(b["asks"].as_array().unwrap(), &levels(locate, b'S'), "{name} asks");
        assert!(!b["bids"].as_array().unwrap().is_empty() || !b["asks"].as_array().unwrap().is_empty(), "{name}: an empty book proves nothing");
    }
    assert_eq!(r0["book_anomalies"], 0, "{r0}");
}

#[test]
fn a_taken_metrics_port_is_an_error_naming_the_key() {
    let d = tmpdir("taken");
    let held = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port();
    let cfg = write(&d, "taken.toml", &format!("{FEED}\n[metrics]\naddr = \"127.0.0.1:{port}\"\n[run]\nduration = \"5s\"\n"));
    let out = Command::new(bin()).arg("--config").arg(&cfg).env("RUST_LOG", "warn").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("metrics.addr = \"127.0.0.1:{port}\"")) && err.contains("choose a free port"), "{err}");
}

/// The fan-out ring: a reader process-side attaches to `tickwire-ring0` while the daemon runs and
/// reads the records the daemon delivers (messages and events of good frames), in order; the
/// file is 0600 without a group and is gone after the daemon exits.
#[test]
fn a_reader_attaches_to_the_fanout_ring() {
    use std::os::unix::fs::PermissionsExt;
    use tickwire::tick::TickRecord;
    use tickwire_client::{Next, Reader};

    let d = tmpdir("fanout");
    let shm = d.join("shm");
    std::fs::create_dir_all(&shm).unwrap();
    let cfg = write(
        &d,
        "fanout.toml",
        &format!(
            "{FEED}\n[daemon.sim]\ngenerate = {{ messages = 2000, seed = 7 }}\nrate = 200\n[[daemon.rings]]\nslots = 1024\nidle = \"50us\"\n[daemon.fanout]\ndir = \"shm\"\nslots = 4096\n[metrics]\nenabled = false\n"
        ),
    );
    let child = start(&cfg);
    let path = shm.join("tickwire-ring0");
    let t0 = Instant::now();
    let mut reader = loop {
        assert!(t0.elapsed() < Duration::from_secs(60), "no fan-out ring within 60 s");
        if let Ok(r) = Reader::open(&path) {
            break r;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    reader.rewind(); // from the oldest record still in the ring
    let mut got = Vec::new();
    while got.len() < 300 {
        assert!(t0.elapsed() < Duration::from_secs(60), "{} records read within 60 s", got.len());
        match reader.next() {
            Next::Tick(b) => got.push(TickRecord::from_bytes(&b)),
            Next::Empty => std::thread::sleep(Duration::from_millis(1)),
            Next::Lapped { missed } => panic!("a 4096-slot ring lapped by {missed} at 200 frames/s"),
        }
    }
    let sent = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    assert!(sent.success());
    let (status, _, summary, err) = finish(child, Duration::from_secs(2));
    assert!(status.success(), "exit {status:?}; stderr: {err}");
    // what the daemon delivers: the session's event record first, then messages in sequence
    assert!(got[0].is_session(), "{:?}", got[0]);
    let msgs: Vec<&TickRecord> = got.iter().filter(|t| t.is_message()).collect();
    assert!(msgs.windows(2).all(|w| w[1].seq == w[0].seq + 1), "sequence numbers in order, none missing");
    assert!(msgs.iter().all(|t| t.itch().is_some()), "every generated message decoded by the card");
    assert!(summary["ticks"].as_u64().unwrap() >= msgs.len() as u64, "{summary}");
    assert!(!path.exists(), "the daemon removes its fan-out ring file on exit");
}

/// `tickwire book`, a second process reading the daemon's fan-out ring, ends when the daemon
/// closes the ring and prints the same top of book the daemon's own books give (summary).
#[test]
fn the_book_client_prints_the_daemons_top_of_book() {
    let d = tmpdir("bookclient");
    let shm = d.join("shm");
    std::fs::create_dir_all(&shm).unwrap();
    let cfg = write(
        &d,
        "book.toml",
        &format!(
            "{FEED}\n[daemon.sim]\ngenerate = {{ messages = 3000, seed = 7, symbols = 8 }}\nrate = 1000\n[[daemon.rings]]\nsymbols = [\"AMD\", \"NFLX\"]\nidle = \"50us\"\n[daemon.fanout]\ndir = \"shm\"\n[metrics]\nenabled = false\n[run]\nstop_at_end = true\nduration = \"120s\"\n"
        ),
    );
    let daemon = start(&cfg);
    let client = Command::new(env!("CARGO_BIN_EXE_tickwire"))
        .args(["book", "--levels", "5", "--symbols", "AMD,NFLX", "--ring"])
        .arg(shm.join("tickwire-ring0"))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let (status, _, summary, err) = finish(daemon, Duration::from_secs(120));
    assert!(status.success(), "{err}");
    assert!(client.status.success(), "{}", String::from_utf8_lossy(&client.stderr));
    let out = String::from_utf8_lossy(&client.stdout);
    let tail: Vec<&str> = out.lines().skip_while(|l| !l.starts_with("-- final:")).collect();
    assert!(tail.first().is_some_and(|l| l.ends_with(" 0 missed (reader lapped)")), "{out}");
    let px = |v: &serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let p = l[0].as_u64().unwrap();
                format!("{}x{}.{:04}", l[1], p / 10_000, p % 10_000)
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    for name in ["AMD", "NFLX"] {
        let b = &summary["rings"][0]["books"][name];
        let want = format!("{name:<8} bid {:<40} | ask {}", px(&b["bids"]), px(&b["asks"]));
        assert!(tail.contains(&want.as_str()), "the client's last top of book for {name}:\n{want}\nnot in:\n{out}");
    }
}

/// GET `path` from the daemon's metrics address; the body, if it answered 200.
fn http_get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").ok()?;
    let mut resp = String::new();
    s.read_to_string(&mut resp).ok()?;
    let (head, body) = resp.split_once("\r\n\r\n")?;
    head.starts_with("HTTP/1.1 200").then(|| body.to_string())
}

/// The issue's end-to-end run: the daemon on the simulated card receives a generated day on line
/// A only, with 3 % of its packets lost, so the card reports real gaps; a MoldUDP64 re-request
/// server started here on loopback (which ignores the first request, so the client's retry is
/// exercised) has the day's messages. Two reader processes (`tickwire book`) read the fan-out
/// ring while `/metrics` and `/stats` are scraped and `tickwire stats` and `tickwire top` run.
/// Every gap must be recovered, the books (daemon's and both readers') must equal an independent
/// rebuild from every message of the day, and SIGTERM must end it cleanly within a second.
#[test]
fn end_to_end_recovery_two_readers_books_and_scrape() {
    use tickwire::gen::{generate_messages, GenConfig};
    use tickwire::rerequest::{Server, ServerOptions};
    let d = tmpdir("full");
    let shm = d.join("shm");
    std::fs::create_dir_all(&shm).unwrap();
    std::fs::create_dir_all(d.join("cap")).unwrap();
    let gen = GenConfig { seed: 7, messages: 3000, symbols: 8, ..GenConfig::default() };
    let messages = generate_messages(&gen).unwrap();
    let server = Server::start(
        "127.0.0.1:0".parse().unwrap(),
        gen.session,
        messages.iter().map(|m| m.encode()).collect(),
        ServerOptions { drop_first_requests: 1, ..ServerOptions::default() },
    )
    .unwrap();
    let port = free_port();
    let cfg = write(
        &d,
        "full.toml",
        &format!(
            "{FEED}\n[daemon.sim]\ngenerate = {{ messages = 3000, seed = 7, symbols = 8, loss_a = 0.03 }}\nspeed = 100000\nmax_gap = \"200ms\"\n\
             [[daemon.rings]]\nsymbols = [\"AMD\", \"NFLX\"]\nidle = \"50us\"\n[daemon.fanout]\ndir = \"shm\"\n\
             [daemon.recovery]\nservers = {{ tv = \"{}\" }}\ntimeout = \"50ms\"\n[daemon.capture]\ndir = \"cap\"\n\
             [metrics]\naddr = \"127.0.0.1:{port}\"\n[run]\nduration = \"120s\"\n",
            server.local_addr()
        ),
    );
    let daemon = start(&cfg);
    let reader = || {
        Command::new(env!("CARGO_BIN_EXE_tickwire"))
            .args(["book", "--levels", "5", "--symbols", "AMD,NFLX", "--ring"])
            .arg(shm.join("tickwire-ring0"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let readers = [reader(), reader()];

    // the whole day in, every recovery settled, every tick consumed
    let t0 = Instant::now();
    let stats = loop {
        assert!(t0.elapsed() < Duration::from_secs(100), "the day did not go through within 100 s");
        std::thread::sleep(Duration::from_millis(200));
        let Some(body) = http_get(port, "/stats") else { continue };
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let r0 = &v["rings"][0];
        let rc = &r0["recovery"];
        let settled = rc["started"].as_u64() == Some(rc["complete"].as_u64().unwrap() + rc["incomplete"].as_u64().unwrap());
        if v["frames_total"].as_u64().unwrap() > 0 && v["frames_sent"] == v["frames_total"] && settled && r0["fill"] == 0 && v["counters"]["rx_frames"] == v["frames_sent"] {
            break v;
        }
    };
    let samples = parse_exposition(&scrape(port).expect("/metrics"));
    let started = value(&samples, "tickwire_recovery_started_total{ring=\"0\"}");
    assert!(started > 0.0, "the lossy line made no gap");
    assert_eq!(value(&samples, "tickwire_recovery_complete_total{ring=\"0\"}"), started, "every gap recovered");
    assert!(value(&samples, "tickwire_recovery_requests_total{ring=\"0\"}") > started, "the server ignored the first request: a retry was needed");
    assert_eq!(value(&samples, "tickwire_recovery_missing_messages_total{ring=\"0\"}"), 0.0);
    assert!(value(&samples, "tickwire_ring_recovered_total{ring=\"0\"}") > 0.0);
    assert_eq!(value(&samples, "tickwire_ring_gaps_total{ring=\"0\"}"), started);

    let cli = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_tickwire")).args(args).env("RUST_LOG", "warn").output().unwrap();
        assert!(o.status.success(), "tickwire {args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let addr = format!("127.0.0.1:{port}");
    let s: serde_json::Value = serde_json::from_str(cli(&["stats", "--daemon", &addr]).trim()).unwrap();
    assert_eq!(s["kind"], "stats");
    assert_eq!(s["rings"][0]["ticks"], stats["rings"][0]["ticks"], "nothing moves once the day is through");
    let top = cli(&["top", "--daemon", &addr, "--count", "2", "--interval", "0.2", "--plain"]);
    assert!(top.contains("top of book") && top.contains("AMD") && top.contains("NFLX"), "{top}");
    assert!(top.contains("recovered") && top.contains("latency"), "{top}");

    let sent = Command::new("kill").arg("-TERM").arg(daemon.id().to_string()).status().unwrap();
    assert!(sent.success());
    let (status, took, summary, err) = finish(daemon, Duration::from_secs(1));
    assert!(status.success(), "exit {status:?}; stderr: {err}");
    assert!(took < Duration::from_secs(1), "took {took:?} to stop after SIGTERM");
    assert_eq!(summary["reason"], "signal");
    assert_eq!(summary["iommu_violations"], 0);
    let r0 = &summary["rings"][0];
    let gap_messages = r0["gap_messages"].as_u64().unwrap();
    eprintln!("e2e: gaps {} ({gap_messages} messages), recovery {}, recovered {} + filtered {}, ticks {}, stop {took:?}", r0["gaps"], r0["recovery"], r0["recovered"], r0["recovered_filtered"], r0["ticks"]);
    assert!(gap_messages > 0);
    assert_eq!(r0["recovery"]["messages"].as_u64().unwrap(), gap_messages, "{r0}");
    assert_eq!(r0["recovered"].as_u64().unwrap() + r0["recovered_filtered"].as_u64().unwrap(), gap_messages, "{r0}");
    assert!(r0["recovered_filtered"].as_u64().unwrap() > 0, "recovered messages of other stocks go through the ring's filters");
    assert_eq!(r0["book_ticks_unsubscribed"], 0, "{r0}");
    assert_eq!(r0["book_anomalies"], 0, "{r0}");
    assert_eq!(r0["prod"], r0["cons"]);

    // books: the daemon's and both readers' against the rebuild from every message of the day
    let px = |v: &[serde_json::Value]| {
        v.iter()
            .map(|l| {
                let p = l[0].as_u64().unwrap();
                format!("{}x{}.{:04}", l[1], p / 10_000, p % 10_000)
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut want_lines = Vec::new();
    for name in ["AMD", "NFLX"] {
        let locate = locate_of(&messages, name);
        let b = &r0["books"][name];
        let (bids, asks) = (rebuild_levels(&messages, locate, b'B', 5), rebuild_levels(&messages, locate, b'S', 5));
        assert!(!bids.is_empty() && !asks.is_empty(), "{name}: an empty book proves nothing");
        assert_eq!(b["stale"], false, "{name}: every gap was recovered, the book is whole: {b}");
        assert_eq!(b["bids"].as_array().unwrap(), &bids, "{name} bids");
        assert_eq!(b["asks"].as_array().unwrap(), &asks, "{name} asks");
        want_lines.push(format!("{name:<8} bid {:<40} | ask {}", px(&bids), px(&asks)));
    }
    for (i, r) in readers.into_iter().enumerate() {
        let o = r.wait_with_output().unwrap();
        assert!(o.status.success(), "reader {i}: {}", String::from_utf8_lossy(&o.stderr));
        let out = String::from_utf8_lossy(&o.stdout);
        let tail: Vec<&str> = out.lines().skip_while(|l| !l.starts_with("-- final:")).collect();
        assert!(tail.first().is_some_and(|l| l.ends_with(" 0 missed (reader lapped)")), "reader {i}: {out}");
        for w in &want_lines {
            assert!(tail.contains(&w.as_str()), "reader {i}'s last top of book:\n{w}\nnot in:\n{out}");
        }
    }
    assert!(server.requests() > 0);

    // the capture file holds what the readers got: replayed without the card, the same records
    let path = r0["capture"]["path"].as_str().expect("the summary names the capture file");
    assert!(path.contains("/cap/tickwire-ring0-") && path.ends_with(".twcap"), "{path}");
    let jsonl = cli(&["replay", path, "--jsonl"]);
    let objs: Vec<serde_json::Value> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let count = |kind: &str, pred: &dyn Fn(&serde_json::Value) -> bool| objs.iter().filter(|o| o["kind"] == kind && pred(o)).count() as u64;
    let ticks = r0["ticks"].as_u64().unwrap();
    let recovered = r0["recovered"].as_u64().unwrap();
    assert_eq!(count("tick", &|o| o["recovered"] == false), ticks, "live ticks in the capture");
    assert_eq!(count("tick", &|o| o["recovered"] == true), recovered, "recovered ticks in the capture");
    assert_eq!(count("event", &|o| !o["gap"].is_null() && o["recovered"] == true), r0["gaps"].as_u64().unwrap(), "every gap event recovered");
    assert_eq!(count("event", &|_| true), r0["events"].as_u64().unwrap());
    assert_eq!(r0["capture"]["records"].as_u64().unwrap(), ticks + recovered + r0["events"].as_u64().unwrap());
    assert_eq!(r0["capture"]["losses"], 0);
    // in sequence order per feed, as delivered (the recovered messages fill the gaps in place)
    let seqs: Vec<u64> = objs.iter().filter(|o| o["kind"] == "tick").map(|o| o["seq"].as_u64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "ticks in the capture are in sequence order");
}

#[test]
fn the_rerequest_server_command_serves_the_generated_day() {
    use std::io::BufRead;
    use tickwire::gen::{generate_messages, GenConfig};
    use tickwire::rerequest::{Client, ClientOptions};
    let mut child = Command::new(env!("CARGO_BIN_EXE_tickwire"))
        .args(["rerequest-server", "--listen", "127.0.0.1:0", "--messages", "300", "--seed", "3", "--duration", "20"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stderr.as_mut().unwrap()).read_line(&mut first).unwrap();
    // "rerequest-server: 300 messages of session "..." on 127.0.0.1:PORT (udp)"
    let addr: std::net::SocketAddr = first.split(" on ").nth(1).and_then(|r| r.split_whitespace().next()).unwrap_or_else(|| panic!("{first}")).parse().unwrap();
    let gen = GenConfig { seed: 3, messages: 300, ..GenConfig::default() };
    let want: Vec<Vec<u8>> = generate_messages(&gen).unwrap().iter().map(|m| m.encode()).collect();
    let mut c = Client::new(addr, ClientOptions { timeout_per_try: Duration::from_millis(500), tries: 5, max_per_request: 100 }).unwrap();
    let r = c.fetch(gen.session, 101..151).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(r.missing.is_empty(), "{:?}", r.missing);
    assert_eq!(r.messages.len(), 50);
    for (seq, m) in &r.messages {
        assert_eq!(m, &want[(*seq - 1) as usize], "message {seq}");
    }
}
