//! The card clock on the simulated card: set, step, frequency adjust, atomic reads, and the
//! servo disciplining a deliberately wrong oscillator to the (simulated) host clock.
#![cfg(feature = "sim")]

use tickwire::servo::{ServoConfig, ServoState};
use tickwire::{Card, Device, SimConfig, SimDevice};

fn card(rx_offset_ppb: i64) -> Card<SimDevice> {
    Card::open(SimDevice::new(SimConfig { rx_offset_ppb, ..Default::default() }).unwrap()).unwrap()
}

#[test]
fn set_step_and_increment() {
    let card = card(0);
    let c = card.clock();
    let nom = c.nominal_increment();
    // 322.265625 MHz: 512/165 ns per cycle in 8.32 fixed point
    assert_eq!(nom, ((512u128 << 32) as f64 / 165.0).round() as u64);
    assert_eq!(c.increment(), nom);
    // The simulation runs in its own thread, so simulated time passes between CSR accesses by an
    // amount that depends on scheduling: each check allows the host (simulated) time that passed
    // around it, plus the snapshot's age.
    let dev = card.device();
    let slack = 2 * tickwire::clock::SNAPSHOT_LAG_NS + 10;
    let h0 = dev.host_time_ns();
    c.set(1_000_000_000_000).unwrap();
    let t0 = c.now();
    let h1 = dev.host_time_ns();
    assert!(t0 + slack >= 1_000_000_000_000 && t0 <= 1_000_000_000_000 + (h1 - h0) + slack, "{t0}");
    c.step(-400_000_000_000).unwrap();
    let t1 = c.now();
    let h2 = dev.host_time_ns();
    let moved = (t1 + 400_000_000_000) as i64 - t0 as i64;
    assert!(moved + slack as i64 >= 0 && moved <= (h2 - h0) as i64 + slack as i64, "{t0} {t1}");
    c.step(5_000).unwrap();
    let t2 = c.now();
    let h3 = dev.host_time_ns();
    assert!(t2 + slack >= t1 + 5_000 && t2 <= t1 + 5_000 + (h3 - h1) + slack, "{t1} {t2}");
    // +1000 ppm: the increment moves by nom/1000, and time runs that much faster
    c.set_freq_ppb(1_000_000.0).unwrap();
    assert_eq!(c.increment(), (nom as f64 * 1.001).round() as u64);
    // Each card read is bracketed by two host reads (a CSR read takes simulated time), and the card
    // time read is a snapshot up to SNAPSHOT_LAG_NS old: over 1 ms the card must run 1 000 ns
    // ahead of the host, give or take the brackets and two snapshot ages.
    let dev = card.device();
    let read = || {
        let a = dev.host_time_ns();
        let k = c.now();
        (a, k, dev.host_time_ns())
    };
    let (a0, k0, b0) = read();
    dev.host_sleep(std::time::Duration::from_millis(1));
    let (a1, k1, b1) = read();
    let (lo, hi) = ((a1 - b0) as f64, (b1 - a0) as f64);
    let slack = 2.0 * tickwire::clock::SNAPSHOT_LAG_NS as f64 + 10.0;
    let card_ns = (k1 - k0) as f64;
    assert!(
        card_ns >= lo * 1.001 - slack && card_ns <= hi * 1.001 + slack,
        "card/host rate {} (host interval {lo}..{hi} ns, card {card_ns} ns)",
        card_ns / lo
    );
    assert!(c.set_freq_ppb(1e12).is_err());
}

#[test]
fn reads_are_atomic_across_the_low_word_carry() {
    let card = card(0);
    let c = card.clock();
    // just below a 2^32 boundary: LO wraps while we read; every LO/HI pair must be consistent
    c.set((7u64 << 32) - 2_000).unwrap();
    let mut last = 0;
    for _ in 0..400 {
        let t = c.now();
        assert!(t > last, "time went back or tore: {last} then {t}");
        assert!(t < (8u64 << 32), "torn read: {t:#x}");
        last = t;
    }
    assert!(last > (7u64 << 32), "the read crossed the boundary");
}

#[test]
fn servo_disciplines_an_80_ppm_fast_oscillator() {
    // The rx_clk oscillator runs 80 ppm fast. (The simulation's 3103 ps against the card's
    // nominal 512/165 ns makes it 9.77 ppm fast already: 89.78 ppm in all.) Uncorrected, the card
    // gains about 180 ns in 2 ms; a read's age varies by about 22 ns.
    let card = card(80_000);
    let c = card.clock();
    let rate = (512.0 / 165.0) / (3.103 / 1.00008); // card ns per host ns
    let ideal_ppb = (1.0 / rate - 1.0) * 1e9;
    let before = c.sample();
    card.device().host_sleep(std::time::Duration::from_millis(2));
    let after = c.sample();
    let gain = after.offset_ns() - before.offset_ns();
    assert!((150..=210).contains(&gain), "89.8 ppm over 2 ms is 180 ns, measured {gain} ns");

    let cfg = ServoConfig { interval_ns: 50_000, kp: 0.3, ki: 0.05, step_threshold_ns: 1_000_000, max_ppb: 500_000.0 };
    let mut reports = Vec::new();
    let servo = c.run_servo(cfg, 120, |r| reports.push(*r)).unwrap();
    assert_eq!(servo.state(), ServoState::Locked);
    // the first sample sees the card at its reset time against a 2026 host clock: a huge offset
    assert!(reports[0].offset_ns.unsigned_abs() > 1_000_000_000_000_000);
    let tail = &reports[60..];
    let worst = tail.iter().map(|r| r.offset_ns.unsigned_abs()).max().unwrap();
    let mean = tail.iter().map(|r| r.offset_ns as f64).sum::<f64>() / tail.len() as f64;
    // The correction applied, averaged over the tail, is what held the offset still: its error is
    // at most the offset's wander over the tail's duration (about 26 ns in 3 ms, 9 ppm). The
    // servo's own integral term is noisier at such short intervals (a read's age varies by 22 ns
    // against a 50 us interval), so it is reported, not bounded tightly.
    let applied = tail.iter().map(|r| r.applied_ppb).sum::<f64>() / tail.len() as f64;
    let freq = servo.freq_ppb();
    println!(
        "servo steady state over {} samples: offset max |{worst}| ns, mean {mean:.1} ns; mean applied correction {applied:.0} ppb, integral term {freq:.0} ppb (ideal {ideal_ppb:.0}); bracket {} ns",
        tail.len(),
        tail[tail.len() - 1].bracket_ns
    );
    assert!(worst <= 25, "steady-state offset up to {worst} ns");
    assert!((applied - ideal_ppb).abs() < 15_000.0, "mean applied correction {applied} ppb, ideal {ideal_ppb:.0}");
    assert!((freq - ideal_ppb).abs() < 50_000.0, "integral term {freq} ppb, ideal {ideal_ppb:.0}");
}
