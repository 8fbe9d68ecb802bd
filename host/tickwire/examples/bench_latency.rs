//! `make bench-latency`: L_msg, cycle-exact in simulation.
//!
//! L_msg (issue [C]) is the time from the rx_clk edge that accepts the last byte of a MoldUDP64
//! message to the clk edge that raises its tick's AWVALID. The Verilator model of the shipping
//! RTL runs at rx_clk 322.27 MHz (3103 ps) and clk 250 MHz (4000 ps) on a generated trading day
//! (`tickwire::gen`, the default mix of ITCH 5.0 messages) paced at 10 Gb/s, one feed, no
//! backpressure from host memory. The simulation logs the rx_clk edge that took every MAC beat and
//! the clk edge at which the slave first saw each write's AWVALID (raised by the edge before);
//! each message's tick is found by its sequence number. Both clocks are exact multiples of 1 ps,
//! so the figures are exact for this simulation (which places the clocks' phases as it does:
//! the crossing's share of L_msg depends on that phase, so the spread is real).
//!
//! Prints the distribution, by message position and type, then, last:
//! `L_msg: median <x> ns, max <y> ns`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tickwire::gen::{generate, to_frames, GenConfig};
use tickwire::mold::HEADER_LEN;
use tickwire::scenario::StepDevice;
use tickwire::tick::{TickRecord, FLAG_EVENT, FLAG_VERDICT, TICK_BYTES};
use tickwire::{Card, SimConfig};

fn main() {
    let messages: usize = std::env::var("MESSAGES").ok().and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let sim = SimConfig { seed: 1, line_rate_bps: Some(10_000_000_000), ..SimConfig::default() };
    let (rx_ps, clk_ps) = (sim.rx_period_ps, sim.clk_period_ps);
    let gen = GenConfig { seed: 1, messages, heartbeats: false, ..GenConfig::default() };
    let packets = generate(&gen).expect("generate");
    let frames = to_frames(&gen, &packets).expect("frames");
    assert_eq!(frames.len(), packets.len(), "one frame per MoldUDP64 packet");

    let dev = StepDevice::new(sim.clone()).expect("simulated card");
    let card = Card::open(dev).expect("card");
    card.deliver_all(0).expect("flow table");
    let n_msgs: usize = packets.iter().map(|p| p.messages.len()).sum();
    let mut ring = card.open_ring(0, (n_msgs + 16).next_power_of_two() as u32).expect("ring");
    card.start();
    let aw: Arc<Mutex<BTreeMap<u64, u64>>> = Arc::default(); // seq -> clk edge that raised AWVALID
    let aw2 = aw.clone();
    card.device()
        .on_dma_write(Box::new(move |e| {
            let t = TickRecord::from_bytes(e.data[..TICK_BYTES].try_into().expect("64 bytes"));
            if t.flags & (FLAG_EVENT | FLAG_VERDICT) == 0 {
                aw2.lock().expect("lock").insert(t.seq, e.aw_cycle - 1);
            }
        }))
        .expect("observer");
    let before = card.device().stats().expect("stats").frames_sent;
    card.device().log_beats(true).expect("log");
    card.device().push_frames(frames.iter().map(|f| (f.data.clone(), false)).collect()).expect("frames");
    assert!(card.device().run_until_idle(2000, 1 << 34).expect("run"), "the card did not go idle");
    let beats = card.device().take_beat_log().expect("beat log");
    while ring.poll_with(|_| {}) {}
    let taken: BTreeMap<(u64, u32), u64> = beats.iter().map(|b| ((b.frame - before, b.beat), b.time_ps)).collect();
    let aw = aw.lock().expect("lock");

    // L_msg of every message, in ps
    let mut all = Vec::with_capacity(n_msgs);
    let mut by_pos: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    let mut by_type: BTreeMap<char, Vec<u64>> = BTreeMap::new();
    for (i, (p, f)) in packets.iter().zip(&frames).enumerate() {
        let off = f.data.len() - p.encoded_len(); // the UDP payload ends the frame
        let mut pos = off + HEADER_LEN;
        for (k, m) in p.messages.iter().enumerate() {
            let last = pos + 2 + m.len() - 1;
            pos += 2 + m.len();
            let t_in = taken[&(i as u64, (last / 8) as u32)];
            let seq = p.sequence_number + k as u64;
            let edge = *aw.get(&seq).unwrap_or_else(|| panic!("no tick for seq {seq}"));
            let l = edge * clk_ps - t_in;
            all.push(l);
            let where_ = if k + 1 == p.messages.len() { "last in its frame" } else { "not last in its frame" };
            by_pos.entry(where_).or_default().push(l);
            by_type.entry(char::from(m[0])).or_default().push(l);
        }
    }
    let ns = |ps: u64| ps as f64 / 1000.0;
    let stats = |v: &mut Vec<u64>| {
        v.sort_unstable();
        let q = |f: f64| v[((v.len() - 1) as f64 * f).round() as usize];
        (q(0.0), q(0.5), q(0.99), *v.last().expect("non-empty"))
    };
    println!(
        "bench-latency: {} messages in {} frames, rx_clk {:.3} MHz, clk {:.0} MHz, 10 Gb/s pacing",
        all.len(),
        frames.len(),
        1e6 / rx_ps as f64,
        1e6 / clk_ps as f64
    );
    println!("  {:<24} {:>8} {:>8} {:>8} {:>8} {:>8}", "", "count", "min ns", "median", "p99", "max");
    for (k, v) in by_pos.iter_mut() {
        let n = v.len();
        let (a, b, c, d) = stats(v);
        println!("  {k:<24} {n:>8} {:>8.1} {:>8.1} {:>8.1} {:>8.1}", ns(a), ns(b), ns(c), ns(d));
    }
    for (k, v) in by_type.iter_mut() {
        let n = v.len();
        let (a, b, c, d) = stats(v);
        println!("  type {k:<19} {n:>8} {:>8.1} {:>8.1} {:>8.1} {:>8.1}", ns(a), ns(b), ns(c), ns(d));
    }
    let mut hist: BTreeMap<u64, usize> = BTreeMap::new();
    for &l in &all {
        *hist.entry(l / 1000).or_default() += 1;
    }
    println!("  distribution (1 ns bins):");
    for (b, n) in &hist {
        println!("    {b:>3}-{:<3} ns {n:>8}", b + 1);
    }
    let (_, med, _, max) = stats(&mut all);
    println!("L_msg: median {:.1} ns, max {:.1} ns", ns(med), ns(max));
}
