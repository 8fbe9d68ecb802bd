//! Writer in this process, readers in child processes (this test binary re-executed in
//! `child_reader` mode). One child is killed mid-stream: the writer and the other reader go on.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tickwire_client::{Next, Reader, Writer};

fn tick(seq: u64) -> [u8; 64] {
    let mut t = [0u8; 64];
    for i in 0..8 {
        t[i * 8..i * 8 + 8].copy_from_slice(&((seq << 3) | i as u64).to_ne_bytes());
    }
    t
}

/// Child mode (only when TW_CHILD_RING is set): attach, say "ready", then either read
/// TW_CHILD_N ticks checking each one ("read") or read a few and hang ("stall").
#[test]
fn child_reader() {
    let Ok(path) = std::env::var("TW_CHILD_RING") else { return };
    let n: u64 = std::env::var("TW_CHILD_N").unwrap().parse().unwrap();
    let stall = std::env::var("TW_CHILD_MODE").as_deref() == Ok("stall");
    let mut r = Reader::open(&path).unwrap();
    // libtest may have printed "test child_reader ... " without a newline: the parent looks
    // for a line ending in "ready".
    println!("ready");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut got = 0;
    while got < n {
        match r.next() {
            Next::Tick(t) => {
                assert_eq!(t, tick(got), "tick {got}");
                got += 1;
                if stall && got == 10 {
                    std::thread::sleep(Duration::from_secs(600));
                }
            }
            Next::Empty => {
                assert!(Instant::now() < deadline, "timed out at {got}");
                std::thread::yield_now();
            }
            Next::Lapped { missed } => panic!("lapped at {got}, missed {missed}"),
        }
    }
    println!("ok {got}");
}

fn spawn(path: &std::path::Path, n: u64, mode: &str) -> (Child, BufReader<std::process::ChildStdout>) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["child_reader", "--exact", "--nocapture", "--test-threads=1"])
        .env("TW_CHILD_RING", path)
        .env("TW_CHILD_N", n.to_string())
        .env("TW_CHILD_MODE", mode)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "child exited before attaching");
        if line.trim_end().ends_with("ready") {
            break;
        }
    }
    (child, out)
}

#[test]
fn child_processes_read_and_a_killed_reader_harms_nobody() {
    if std::env::var("TW_CHILD_RING").is_ok() {
        return;
    }
    let path = std::env::temp_dir().join(format!("twfanout-{}-two-process", std::process::id()));
    let total = 20_000u64;
    // Bigger than `total`, so a reader that attached before the first tick cannot be lapped.
    let mut w = Writer::create(&path, 1 << 15, 0o600, None).unwrap();
    let (mut stalled, _stalled_out) = spawn(&path, total, "stall");
    let (mut good, mut good_out) = spawn(&path, total, "read");
    for s in 0..total / 2 {
        w.push(&tick(s));
    }
    stalled.kill().unwrap();
    let status = stalled.wait().unwrap();
    assert!(!status.success(), "the stalled reader was killed");
    for s in total / 2..total {
        w.push(&tick(s));
    }
    // A reader attaching after the crash works too.
    let mut late = Reader::open(&path).unwrap();
    late.rewind();
    assert!(matches!(late.next(), Next::Tick(_)));
    let mut rest = String::new();
    good_out.read_to_string(&mut rest).unwrap();
    let status = good.wait().unwrap();
    assert!(status.success(), "reader child failed:\n{rest}");
    assert!(rest.contains(&format!("ok {total}")), "{rest}");
    assert_eq!(w.head(), total);
}
