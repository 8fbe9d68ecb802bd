use super::*;
use std::sync::atomic::AtomicU64 as Counter;
use std::sync::Arc;

static SEQ: Counter = Counter::new(0);

/// A fresh path in the temp directory.
pub(crate) fn tmp(name: &str) -> PathBuf {
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("twfanout-{}-{n}-{name}", std::process::id()))
}

/// Tick number `seq`: every word encodes `seq`, so a torn copy is visible.
fn tick(seq: u64) -> [u8; SLOT_BYTES] {
    let mut t = [0u8; SLOT_BYTES];
    for i in 0..SLOT_WORDS {
        t[i * 8..i * 8 + 8].copy_from_slice(&((seq << 3) | i as u64).to_ne_bytes());
    }
    t
}

/// The seq of a tick if it is consistent (all words from the same tick), else None.
fn seq_of(t: &[u8; SLOT_BYTES]) -> Option<u64> {
    let w = |i: usize| u64::from_ne_bytes(t[i * 8..i * 8 + 8].try_into().unwrap());
    let seq = w(0) >> 3;
    (0..SLOT_WORDS).all(|i| w(i) == (seq << 3) | i as u64).then_some(seq)
}

#[test]
fn reads_in_order_then_empty() {
    let p = tmp("order");
    let mut w = Writer::create(&p, 16, 0o600, None).unwrap();
    let mut r = Reader::open(&p).unwrap();
    assert_eq!(r.next(), Next::Empty);
    for s in 0..10 {
        w.push(&tick(s));
    }
    for s in 0..10 {
        assert_eq!(r.next(), Next::Tick(tick(s)));
    }
    assert_eq!(r.next(), Next::Empty);
    // A reader attaching now starts at the head; rewind goes back to what the ring holds.
    let mut late = Reader::open(&p).unwrap();
    assert_eq!(late.next(), Next::Empty);
    late.rewind();
    assert_eq!(late.next(), Next::Tick(tick(0)));
}

#[test]
fn lap_reports_exact_missed_and_resyncs() {
    let p = tmp("lap");
    let n = 64u64;
    let margin = n / 8;
    let mut w = Writer::create(&p, n, 0o600, None).unwrap();
    let mut r = Reader::open(&p).unwrap();
    // Exactly N behind: the writer may be overwriting slot 0 now, so that is a lap.
    for s in 0..n {
        w.push(&tick(s));
    }
    assert_eq!(r.next(), Next::Lapped { missed: margin });
    assert_eq!(r.next(), Next::Tick(tick(margin)));
    // Far behind: 3N + 5 more.
    let h0 = w.head();
    for s in h0..h0 + 3 * n + 5 {
        w.push(&tick(s));
    }
    let head = w.head();
    let expect_to = head - n + margin;
    assert_eq!(r.next(), Next::Lapped { missed: expect_to - (margin + 1) });
    for s in expect_to..head {
        assert_eq!(r.next(), Next::Tick(tick(s)));
    }
    assert_eq!(r.next(), Next::Empty);
    // N - 1 behind is still fine.
    for s in head..head + n - 1 {
        w.push(&tick(s));
    }
    for s in head..head + n - 1 {
        assert_eq!(r.next(), Next::Tick(tick(s)));
    }
}

#[test]
fn batch_reads_and_laps() {
    let p = tmp("batch");
    let mut w = Writer::create(&p, 32, 0o600, None).unwrap();
    let mut r = Reader::open(&p).unwrap();
    let mut buf = [[0u8; SLOT_BYTES]; 8];
    assert_eq!(r.next_batch(&mut buf), Batch::Empty);
    for s in 0..20 {
        w.push(&tick(s));
    }
    let mut got = vec![];
    while let Batch::Ticks(k) = r.next_batch(&mut buf) {
        got.extend(buf[..k].iter().map(|t| seq_of(t).unwrap()));
    }
    assert_eq!(got, (0..20).collect::<Vec<_>>());
    for s in 20..100 {
        w.push(&tick(s));
    }
    assert_eq!(r.next_batch(&mut buf), Batch::Lapped { missed: 100 - 32 + 4 - 20 });
    assert_eq!(r.next_batch(&mut buf), Batch::Ticks(8));
    assert_eq!(seq_of(&buf[0]), Some(72));
}

/// Negative control for the torn-read check, deterministic: the reader copies a slot, the writer
/// then laps it before the reader validates. The copy really is stale (it holds another tick),
/// and the validation is what rejects it.
#[test]
fn overwritten_copy_is_rejected() {
    let p = tmp("torn");
    let n = 8;
    let mut w = Writer::create(&p, n, 0o600, None).unwrap();
    let mut r = Reader::open(&p).unwrap();
    w.push(&tick(0));
    // Copy tick 0 while it is intact: validation passes.
    let mut t = [0u8; SLOT_BYTES];
    r.copy_slot(0, &mut t);
    assert_eq!(seq_of(&t), Some(0));
    assert_eq!(r.validate(), Ok(()));
    // Now the writer gets to N while we "read": slot 0 is rewritten with tick N.
    for s in 1..=n {
        w.push(&tick(s));
    }
    r.copy_slot(0, &mut t);
    assert_eq!(seq_of(&t), Some(n), "the copy is not tick 0: without validation it would be delivered as such");
    assert_eq!(r.validate(), Err(2), "validation must reject it (resync to head - N + 1 = 2)");
    // Boundary: the writer has published tick N-1 (head = N) but not started N: slot 0 may be in
    // the middle of being rewritten, which must also be rejected.
    let p2 = tmp("torn2");
    let mut w2 = Writer::create(&p2, n, 0o600, None).unwrap();
    let mut r2 = Reader::open(&p2).unwrap();
    for s in 0..n {
        w2.push(&tick(s));
    }
    assert!(r2.validate().is_err());
}

/// The reader keeps up (the test holds the writer back; the Writer itself never waits): no loss.
#[test]
fn threads_no_loss_when_keeping_up() {
    let p = tmp("keepup");
    let n = 1024u64;
    let total = 200_000u64;
    let mut w = Writer::create(&p, n, 0o600, None).unwrap();
    let mut readers: Vec<Reader> = (0..2).map(|_| Reader::open(&p).unwrap()).collect();
    let progress: Arc<Vec<Counter>> = Arc::new((0..2).map(|_| Counter::new(0)).collect());
    let handles: Vec<_> = readers
        .drain(..)
        .enumerate()
        .map(|(i, mut r)| {
            let progress = progress.clone();
            std::thread::spawn(move || {
                let mut expect = 0;
                while expect < total {
                    match r.next() {
                        Next::Tick(t) => {
                            assert_eq!(seq_of(&t), Some(expect));
                            expect += 1;
                            progress[i].store(expect, Ordering::Release);
                        }
                        Next::Empty => std::hint::spin_loop(),
                        Next::Lapped { missed } => panic!("lapped ({missed}) though the writer waited"),
                    }
                }
            })
        })
        .collect();
    for s in 0..total {
        while progress.iter().any(|c| s - c.load(Ordering::Acquire) >= n / 2) {
            std::thread::yield_now();
        }
        w.push(&tick(s));
    }
    for h in handles {
        h.join().unwrap();
    }
}

/// A writer running flat out over a small ring: every delivered tick is intact and in order, and
/// ticks delivered + ticks reported missed account for every tick exactly.
#[test]
fn threads_lapped_accounting_is_exact() {
    let p = tmp("stress");
    let n = 8u64;
    let total = 2_000_000u64;
    let mut w = Writer::create(&p, n, 0o600, None).unwrap();
    let mut r = Reader::open(&p).unwrap();
    let done = Arc::new(Counter::new(0));
    let d = done.clone();
    let writer = std::thread::spawn(move || {
        for s in 0..total {
            w.push(&tick(s));
        }
        d.store(1, Ordering::Release);
        w // keep the ring alive until the reader is done
    });
    let (mut got, mut missed, mut laps) = (0u64, 0u64, 0u64);
    loop {
        match r.next() {
            Next::Tick(t) => {
                assert_eq!(seq_of(&t), Some(got + missed), "torn or out of order");
                got += 1;
            }
            Next::Lapped { missed: m } => {
                assert!(m > 0);
                missed += m;
                laps += 1;
            }
            Next::Empty => {
                if done.load(Ordering::Acquire) == 1 && r.backlog() == 0 {
                    break;
                }
            }
        }
    }
    let _w = writer.join().unwrap();
    assert_eq!(got + missed, total);
    assert_eq!(r.position(), total);
    eprintln!("delivered {got}, missed {missed} in {laps} laps");
}

#[test]
fn file_modes_and_group() {
    let p = tmp("mode");
    let w = Writer::create(&p, 4, 0o600, None).unwrap();
    assert_eq!(std::fs::metadata(&p).unwrap().mode() & 0o777, 0o600);
    drop(w);
    assert!(!p.exists(), "the writer unlinks its file on drop");
    // A group we are in (our own): 0660 and that group.
    let gid = std::fs::metadata(std::env::temp_dir()).map(|_| ()).ok().map(|()| {
        let probe = tmp("probe");
        std::fs::write(&probe, b"").unwrap();
        let g = std::fs::metadata(&probe).unwrap().gid();
        std::fs::remove_file(&probe).unwrap();
        g
    });
    let p = tmp("group");
    let _w = Writer::create(&p, 4, 0o660, gid).unwrap();
    let m = std::fs::metadata(&p).unwrap();
    assert_eq!(m.mode() & 0o777, 0o660);
    assert_eq!(Some(m.gid()), gid);
}

#[test]
fn existing_files() {
    // Live writer: refused.
    let p = tmp("live");
    let w = Writer::create(&p, 4, 0o600, None).unwrap();
    assert!(matches!(Writer::create(&p, 4, 0o600, None), Err(Error::InUse { pid, .. }) if pid == u64::from(std::process::id())));
    drop(w);
    // Stale ring (writer pid cannot exist): replaced, and an old reader sees it was replaced.
    let p = tmp("stale");
    let w = Writer::create(&p, 4, 0o600, None).unwrap();
    w.map.words()[W_PID].store(0x7fff_fff0, Ordering::Relaxed);
    let old = Reader::open(&p).unwrap();
    std::mem::forget(w); // a crashed writer: no cleanup
    assert!(!old.replaced());
    let w2 = Writer::create(&p, 8, 0o600, None).unwrap();
    assert!(old.replaced());
    assert_eq!(Reader::open(&p).unwrap().slots(), 8);
    drop(w2);
    // Empty file (writer died creating it): replaced.
    let p = tmp("empty");
    std::fs::write(&p, b"").unwrap();
    assert!(matches!(Reader::open(&p), Err(Error::NotReady { .. })));
    drop(Writer::create(&p, 4, 0o600, None).unwrap());
    // Someone else's file: refused, and left alone.
    let p = tmp("other");
    std::fs::write(&p, vec![b'x'; 4096]).unwrap();
    assert!(matches!(Writer::create(&p, 4, 0o600, None), Err(Error::NotARing { .. })));
    assert!(matches!(Reader::open(&p), Err(Error::NotARing { .. })));
    std::fs::remove_file(&p).unwrap();
    // Missing file: the error names it and says what to do.
    let e = Reader::open(&p).err().unwrap().to_string();
    assert!(e.contains(&*p.to_string_lossy()) && e.contains("[daemon.fanout]"), "{e}");
    assert!(matches!(Writer::create(&p, 6, 0o600, None), Err(Error::InvalidSlots { .. })));
}

#[test]
fn writer_close_is_visible() {
    let p = tmp("close");
    let w = Writer::create(&p, 4, 0o600, None).unwrap();
    let r = Reader::open(&p).unwrap();
    assert!(!r.writer_closed());
    drop(w);
    assert!(r.writer_closed());
    assert!(r.replaced());
}
