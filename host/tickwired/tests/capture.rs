//! The daemon's capture (`daemon/capture.rs`) against a real fan-out ring: a
//! `tickwire_client::Writer` in a temp dir stands for the poll thread. Every record reaches the
//! file in order; a lap (the writer publishes more than the ring holds before the capture reads)
//! shows in the file as FLAG_LOSS on the next record and in the loss count, exactly.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering::*};
use std::time::{Duration, Instant};

use tickwired::daemon::capture::{self, CaptureShared};
use tickwire::capture::{CaptureReader, CaptureStats, CaptureWriter};
use tickwire::tick::{TickRecord, FLAG_LOSS};
use tickwire_client::{Reader, Writer};

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tickwired-capture-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Tick number `i` (from 1) as the poll thread would publish it: sequence number `i`.
fn tick(i: u64) -> [u8; 64] {
    let mut r = TickRecord::from_itch(&[b'D', 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 42, 0]);
    r.seq = i;
    r.rx_ts_ns = 1000 + i;
    r.to_bytes()
}

fn read_back(path: &Path) -> (Vec<TickRecord>, tickwire::capture::CaptureHeader) {
    let r = CaptureReader::open(path).unwrap();
    let h = r.header().clone();
    (r.map(|t| t.unwrap()).collect(), h)
}

/// The writer publishes 1000 ticks into 64 slots after the capture attached and before it
/// reads: the capture is lapped, skips exactly what the reader's resync skips (1000 − 64 + 8 =
/// 944 ticks), marks the next record LOSS, and has the 56 newest ticks.
#[test]
fn a_lap_marks_the_next_record_and_counts_the_loss() {
    let d = tmpdir("lap");
    let ring = d.join("ring");
    let out = d.join("ring0.twcap");
    let mut w = Writer::create(&ring, 64, 0o600, None).unwrap();
    let mut reader = Reader::open(&ring).unwrap();
    let mut cw = CaptureWriter::create(&out, 0, "sim").unwrap();
    for i in 1..=1000 {
        w.push(&tick(i));
    }
    let shared = CaptureShared::default();
    let stop = AtomicBool::new(true); // drain what is there, then return
    capture::pump(&mut reader, &mut cw, &stop, &shared).unwrap();
    let stats = cw.finish().unwrap();
    assert_eq!(stats, CaptureStats { records: 56, losses: 944, loss_marks: 1 });
    assert_eq!(
        (shared.records.load(Relaxed), shared.losses.load(Relaxed), shared.loss_marks.load(Relaxed)),
        (56, 944, 1)
    );
    let (recs, _) = read_back(&out);
    let seqs: Vec<u64> = recs.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (945..=1000).collect::<Vec<_>>());
    assert!(recs[0].loss_before() && recs[0].flags & FLAG_LOSS != 0);
    assert!(recs[1..].iter().all(|r| !r.loss_before()));
    // apart from the flag, the records are the ticks as published
    let mut first = recs[0];
    first.flags &= !FLAG_LOSS;
    assert_eq!(first.to_bytes(), tick(945));
    drop(w);
    std::fs::remove_dir_all(&d).unwrap();
}

/// `run` on its own thread, as the daemon runs it: it starts at the oldest tick in the ring,
/// follows the writer, survives being lapped by bursts (each loss marked where the sequence
/// jumps, the marks adding up to the count), and when the writer closes it drains the ring and
/// finishes the file: the last tick published is the last record.
#[test]
fn run_follows_the_ring_until_its_writer_closes() {
    let d = tmpdir("run");
    let ring = d.join("ring");
    let out = d.join("ring2.twcap");
    let mut w = Writer::create(&ring, 64, 0o600, None).unwrap();
    // published before the capture attaches: still in the ring, so captured
    for i in 1..=10 {
        w.push(&tick(i));
    }
    let shared = CaptureShared::default();
    let stop = AtomicBool::new(false);
    let total = 20_010u64;
    let stats = std::thread::scope(|s| {
        let h = s.spawn(|| capture::run(&ring, &out, 2, "0000:41:00.0", &stop, &shared));
        let t0 = Instant::now();
        while shared.records.load(Relaxed) < 10 {
            assert!(t0.elapsed() < Duration::from_secs(30), "capture did not start");
            std::thread::sleep(Duration::from_millis(1));
        }
        // bursts far faster than a reader that sleeps 1 ms when idle: laps
        for i in 11..=total {
            w.push(&tick(i));
        }
        drop(w); // the daemon's poll thread ends: the ring is closed
        h.join().unwrap().unwrap()
    });
    eprintln!("run: {stats:?}");
    let (recs, header) = read_back(&out);
    assert_eq!((header.ring, header.device.as_str()), (2, "0000:41:00.0"));
    assert_eq!(stats.records, recs.len() as u64);
    assert_eq!(stats.records + stats.losses, total, "every tick is either in the file or counted lost");
    assert_eq!(shared.records.load(Relaxed), stats.records);
    assert_eq!(shared.losses.load(Relaxed), stats.losses);
    assert_eq!(recs[..10].iter().map(|r| r.seq).collect::<Vec<_>>(), (1..=10).collect::<Vec<_>>());
    assert_eq!(recs.last().unwrap().seq, total, "drained to the end after the writer closed");
    // each jump in the sequence is a lap: exactly there a LOSS mark, and the jumps add up
    let mut lost = 0;
    let mut marks = 0;
    for pair in recs.windows(2) {
        let jump = pair[1].seq - pair[0].seq - 1;
        assert_eq!(pair[1].loss_before(), jump > 0, "record seq {}: jump {jump}", pair[1].seq);
        lost += jump;
        marks += u64::from(jump > 0);
    }
    assert_eq!((lost, marks), (stats.losses, stats.loss_marks));
    std::fs::remove_dir_all(&d).unwrap();
}

/// Stopped by the daemon (`stop`) while the ring stays open: what was published is drained, the
/// file finished; the capture never touches the ring (the writer goes on publishing).
#[test]
fn run_stops_on_request_and_drains() {
    let d = tmpdir("stop");
    let ring = d.join("ring");
    let out = d.join("ring0.twcap");
    let mut w = Writer::create(&ring, 4096, 0o600, None).unwrap();
    let shared = CaptureShared::default();
    let stop = AtomicBool::new(false);
    let stats = std::thread::scope(|s| {
        let h = s.spawn(|| capture::run(&ring, &out, 0, "sim", &stop, &shared));
        for i in 1..=3000 {
            w.push(&tick(i));
        }
        stop.store(true, Release);
        let stats = h.join().unwrap().unwrap();
        w.push(&tick(3001)); // the writer is unaffected
        stats
    });
    assert_eq!(stats, CaptureStats { records: 3000, losses: 0, loss_marks: 0 });
    let (recs, _) = read_back(&out);
    assert_eq!(recs.iter().map(|r| r.seq).collect::<Vec<_>>(), (1..=3000).collect::<Vec<_>>());
    // an existing file is never overwritten
    let err = capture::run(&ring, &out, 0, "sim", &stop, &shared).unwrap_err();
    assert!(format!("{err:#}").contains("must not exist"), "{err:#}");
    drop(w);
    std::fs::remove_dir_all(&d).unwrap();
}
