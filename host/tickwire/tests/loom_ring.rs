//! Model check of the ring protocol with loom: every interleaving (and every reordering the
//! memory model allows) of a card writing ticks and a host consuming them, on a 2-slot ring.
//!
//! The card side follows the ordering assumption (the slot's validity word is published with
//! Release after the other words) and never writes a slot the host has not returned (it reads the
//! consumer index with Acquire). The host side is `tickwire::Ring`'s protocol: Acquire load of the
//! validity word, Relaxed loads of the rest, a Release fence, then the consumer-index write.
//! A negative control publishes the validity word first and must be caught.

use loom::sync::atomic::{fence, AtomicU32, AtomicU64, Ordering};
use loom::sync::Arc;
use loom::thread;

const SLOTS: u32 = 2;
const TICKS: u32 = 3;

fn value(tick: u32, word: u64) -> u64 {
    u64::from(tick) * 1000 + word + 1
}

struct Ring {
    // per slot: two payload words and the validity word
    slots: [[AtomicU64; 3]; SLOTS as usize],
    cons: AtomicU32,
}

fn run(validity_first: bool) {
    loom::model(move || {
        let ring = Arc::new(Ring {
            slots: std::array::from_fn(|_| std::array::from_fn(|_| AtomicU64::new(0))),
            cons: AtomicU32::new(0),
        });
        let card = {
            let ring = ring.clone();
            thread::spawn(move || {
                for t in 0..TICKS {
                    // never overwrite a slot the host has not returned
                    while t - ring.cons.load(Ordering::Acquire) >= SLOTS {
                        thread::yield_now();
                    }
                    let s = &ring.slots[(t % SLOTS) as usize];
                    if validity_first {
                        s[2].store(u64::from(t + 1), Ordering::Release);
                    }
                    s[0].store(value(t, 0), Ordering::Relaxed);
                    s[1].store(value(t, 1), Ordering::Relaxed);
                    if !validity_first {
                        s[2].store(u64::from(t + 1), Ordering::Release);
                    }
                }
            })
        };
        for t in 0..TICKS {
            let s = &ring.slots[(t % SLOTS) as usize];
            while s[2].load(Ordering::Acquire) != u64::from(t + 1) {
                thread::yield_now();
            }
            let w0 = s[0].load(Ordering::Relaxed);
            let w1 = s[1].load(Ordering::Relaxed);
            assert_eq!((w0, w1), (value(t, 0), value(t, 1)), "tick {t} read torn");
            fence(Ordering::Release);
            ring.cons.store(t + 1, Ordering::Relaxed);
        }
        card.join().unwrap();
    });
}

#[test]
fn host_never_acts_on_a_torn_or_overwritten_tick() {
    run(false);
}

#[test]
#[should_panic(expected = "read torn")]
fn negative_control_validity_word_first_is_caught() {
    run(true);
}
