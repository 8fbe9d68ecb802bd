//! Card path outside Criterion (see docs/benchmarks.md):
//!
//! - `card_consume callgrind <slots> <n>`: open a ring of `slots` slots on the in-memory device,
//!   pre-fill every slot, consume the first `n` ticks. Run under callgrind with `n = slots` and
//!   `n = 0`; the difference in instructions, divided by `slots`, is the consumer's instructions per
//!   tick (set-up, feed generation and the fill cancel out).
//! - `card_consume rusage <ticks>`: consume `ticks` ticks from a ring of `common::RING_SLOTS`,
//!   refilled between stretches; the consuming thread's CPU time (getrusage RUSAGE_THREAD, user +
//!   system) is taken around each stretch only, so the refill is not counted.
//!
//! Prints one `key=value` line. Not a test: it asserts no timing.

#[path = "../benches/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: card_consume callgrind <slots> <n> | card_consume rusage <ticks>");
    ExitCode::from(2)
}

#[path = "../benches/common/rusage.rs"]
mod rusage;
use rusage::thread_cpu_ns;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize| args.get(i).and_then(|s| s.parse::<u64>().ok());
    match args.first().map(String::as_str) {
        Some("callgrind") => {
            let (Some(slots), Some(n)) = (num(1), num(2)) else {
                return usage();
            };
            let (slots, n) = (slots as u32, n as u32);
            assert!(n <= slots, "n must be at most slots");
            let mut path = common::CardPath::new(slots, common::ticks(slots as usize));
            path.refill(slots);
            let acc = path.consume(n);
            black_box(acc);
            println!("card_consume callgrind slots={slots} ticks={n} cons={}", path.cons_register());
        }
        Some("rusage") => {
            let Some(ticks) = num(1) else {
                return usage();
            };
            let mut path =
                common::CardPath::new(common::RING_SLOTS, common::ticks(common::MESSAGES));
            let slots = u64::from(path.ring.slots());
            // Warm up: one pass over the ring.
            path.refill(slots as u32);
            black_box(path.consume(slots as u32));
            let (mut user, mut sys) = (0u64, 0u64);
            let mut left = ticks;
            while left > 0 {
                let n = left.min(slots) as u32;
                path.refill(n);
                let (u0, s0) = thread_cpu_ns();
                black_box(path.consume(n));
                let (u1, s1) = thread_cpu_ns();
                user += u1 - u0;
                sys += s1 - s0;
                left -= u64::from(n);
            }
            let per = |x: u64| x as f64 / ticks as f64;
            println!(
                "card_path_rusage ticks={ticks} cpu_ns_per_tick={:.3} user_ns_per_tick={:.3} sys_ns_per_tick={:.3}",
                per(user + sys),
                per(user),
                per(sys)
            );
        }
        _ => return usage(),
    }
    ExitCode::SUCCESS
}
