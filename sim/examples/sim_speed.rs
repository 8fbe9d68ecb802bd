// SPDX-License-Identifier: Apache-2.0
//! How fast the simulation runs (a benchmark, not a test): idle clocks, then a CSR loop.
//! `cargo run --release -p tickwire-sim --example sim_speed`

use std::time::Instant;

use tickwire_sim::{Sim, SimConfig};

fn main() {
    let mut s = Sim::new(SimConfig::default()).expect("model");
    let n = 1_000_000;
    let t = Instant::now();
    s.run_clk_cycles(n);
    let dt = t.elapsed().as_secs_f64();
    println!(
        "{n} clk cycles (+{} rx_clk) in {dt:.2} s: {:.2} M clk cycles/s, {:.1} us of card time per second",
        s.rx_cycles(),
        n as f64 / dt / 1e6,
        s.time_ps() as f64 / 1e6 / dt
    );
    let t = Instant::now();
    for i in 0..10_000u32 {
        s.csr_write(0x10, i).expect("write");
        assert_eq!(s.csr_read(0x10).expect("read"), i);
    }
    println!(
        "10000 CSR write+read pairs in {:.2} s",
        t.elapsed().as_secs_f64()
    );
}
