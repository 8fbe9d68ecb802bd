//! Differential test (issue [B] item 7): random and mutated traffic through the simulated card
//! and the reference model, compared tick by tick and counter by counter, under random idle and
//! backpressure. 10^5 frames here; `make fuzz FRAMES=n` runs more.
#![cfg(feature = "sim")]

use tickwire::fuzz::{round, FuzzReport};

#[test]
fn card_and_model_agree_on_random_and_mutated_traffic() {
    let rounds: u64 = std::env::var("TICKWIRE_DIFF_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(50);
    let mut total = FuzzReport::default();
    for seed in 1..=rounds {
        total.merge(round(seed, 2000));
    }
    println!("diff: {} frames, {} ticks, {} mismatches, {} hangs", total.frames, total.ticks, total.mismatches, total.hangs);
    assert!(total.ticks > total.frames, "the traffic should mostly deliver");
    println!("diff: exercised {:?}", total.coverage);
    // the traffic reaches every sequencer decision, many times
    // ... and the ITCH decoder's three outcomes
    for k in ["seq_dups", "seq_late", "seq_gaps", "mold_sessions", "mold_count_err", "rx_bad_verdict", "itch_decoded", "itch_unknown", "itch_len_err", "itch_filtered"] {
        assert!(total.coverage[k] > 100, "{k}: {}", total.coverage[k]);
    }
    assert_eq!((total.mismatches, total.hangs), (0, 0), "{:#?}", total.details);
}
