//! Card path: the driver's `Ring` consuming ticks from a pre-filled ring over the in-memory
//! device (`tickwire::mem_device`). One Criterion iteration is one tick: poll it, read seq, type,
//! stock locate and timestamp. The ring is refilled between timed stretches (not timed), so the
//! figure is the consumer's cost only, CONS write-backs (every 256 ticks) included.
//! Run by `scripts/bench-host.sh`; see docs/benchmarks.md. Not a test: it asserts no timing.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn card_path(c: &mut Criterion) {
    let mut path = common::CardPath::new(common::RING_SLOTS, common::ticks(common::MESSAGES));
    let slots = u64::from(path.ring.slots());
    let mut group = c.benchmark_group("card_path");
    group.throughput(Throughput::Elements(1));
    group.bench_function("poll_batch", |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            let mut left = iters;
            while left > 0 {
                let n = left.min(slots) as u32;
                path.refill(n); // the card's writes: not timed
                let start = Instant::now();
                black_box(path.consume(n));
                timed += start.elapsed();
                left -= u64::from(n);
            }
            timed
        })
    });
    group.bench_function("poll_with_copy", |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            let mut left = iters;
            while left > 0 {
                let n = left.min(slots) as u32;
                path.refill(n);
                let start = Instant::now();
                black_box(path.consume_copy(n));
                timed += start.elapsed();
                left -= u64::from(n);
            }
            timed
        })
    });
    group.finish();
    // Every tick consumed was returned to the card through CONS (idle release included).
    assert!(path.ring.poll().is_none());
    assert_eq!(path.cons_register(), path.ring.consumed());
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = card_path
}
criterion_main!(benches);
