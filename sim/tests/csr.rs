// SPDX-License-Identifier: Apache-2.0
//! CSR access through the AXI4-Lite master against tw_core's register block.

mod common;
use common::*;

use tickwire_sim::{AxilWriteOrder, Sim, SimConfig, SimError};

fn sim(seed: u64) -> Sim {
    Sim::new(SimConfig {
        seed,
        ..SimConfig::default()
    })
    .expect("model builds")
}

#[test]
fn id_and_version_read() {
    let mut s = sim(1);
    assert_eq!(s.csr_read(ID).unwrap(), 0x544B_5752, "ID reads 'TKWR'");
    let v = s.csr_read(VERSION).unwrap();
    assert_ne!(v, 0, "VERSION is set");
    assert!(s.clk_cycles() >= tickwire_sim::RESET_CYCLES);
}

#[test]
fn scratch_write_read_in_every_write_order() {
    let mut s = sim(2);
    let mut x = 0x1234_5678u32;
    for order in [
        AxilWriteOrder::Together,
        AxilWriteOrder::AwFirst,
        AxilWriteOrder::WFirst,
    ] {
        s.set_csr_write_order(order);
        for _ in 0..8 {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            s.csr_write(SCRATCH, x).unwrap();
            assert_eq!(s.csr_read(SCRATCH).unwrap(), x, "{order:?}");
        }
    }
    s.csr_write(SCRATCH, 0).unwrap();
    assert_eq!(s.csr_read(SCRATCH).unwrap(), 0);
    assert_eq!(s.csr_read(ID).unwrap(), 0x544B_5752, "ID unaffected");
}

#[test]
fn bad_csr_addresses_are_refused_before_the_bus() {
    let mut s = sim(3);
    assert!(matches!(
        s.csr_read(0x4000),
        Err(SimError::CsrAddress { addr: 0x4000 })
    ));
    assert!(matches!(
        s.csr_write(0x12, 1),
        Err(SimError::CsrAddress { addr: 0x12 })
    ));
    // The master is still usable.
    assert_eq!(s.csr_read(ID).unwrap(), 0x544B_5752);
}

/// The CSR front end (tw_csr_front) decodes the RING, FLOW and HIST windows itself and hands only
/// 0x000..0x1FF to the generated block: every other address must read 0 and ignore writes, never
/// alias a register of the block (it sees 9 address bits) or of a ring.
#[test]
fn unmapped_addresses_read_zero_and_do_not_alias() {
    let mut s = sim(4);
    s.csr_write(SCRATCH, 0xA5A5_0001).unwrap();
    let ring1_slots = RING_SLOTS + 0x40;
    s.csr_write(ring1_slots, 16).unwrap();
    for addr in [
        0x0190, // past the block's last register
        0x01FC,
        0x0210, // SCRATCH + 0x200
        0x0810,
        0x1810,                    // past RING[31]
        0x1000 + 0x38,             // RING[0] padding
        0x1000 + 0x40 + 0x3C,      // RING[1] padding
        0x1000 + 31 * 0x40 + 0x08, // a ring this build lacks (RINGS = 4)
        0x2810,                    // past FLOW
    ] {
        assert_eq!(s.csr_read(addr).unwrap(), 0, "read {addr:#x}");
        s.csr_write(addr, 0xFFFF_FFFF).unwrap();
        assert_eq!(s.csr_read(addr).unwrap(), 0, "read {addr:#x} after a write");
    }
    assert_eq!(s.csr_read(SCRATCH).unwrap(), 0xA5A5_0001, "SCRATCH kept");
    assert_eq!(s.csr_read(ring1_slots).unwrap(), 16, "RING[1].SLOTS kept");
    assert_eq!(s.csr_read(RING_SLOTS).unwrap(), 0, "RING[0].SLOTS kept");
    assert_eq!(s.csr_read(ID).unwrap(), 0x544B_5752, "ID unaffected");
    assert_eq!(s.csr_read(RX_FRAMES).unwrap(), 0, "no frames yet");
}

#[test]
fn both_clocks_run_at_their_periods() {
    let mut s = sim(4);
    let (t0, c0, r0) = (s.time_ps(), s.clk_cycles(), s.rx_cycles());
    s.run_clk_cycles(10_000);
    let dt = s.time_ps() - t0;
    assert_eq!(s.clk_cycles() - c0, 10_000);
    assert_eq!(dt % 4000, 0, "stops on a clk edge");
    let rx = s.rx_cycles() - r0;
    let expect = dt / 3103;
    assert!(
        rx.abs_diff(expect) <= 1,
        "rx cycles {rx}, expected ~{expect}"
    );
}

#[test]
fn coinciding_edges_are_both_taken() {
    // 3000 and 4000 ps: every 12 ns both clocks rise together.
    let mut s = Sim::new(SimConfig {
        rx_period_ps: 3000,
        clk_period_ps: 4000,
        ..SimConfig::default()
    })
    .unwrap();
    let (c0, r0) = (s.clk_cycles(), s.rx_cycles());
    s.run_clk_cycles(3000);
    assert_eq!(s.clk_cycles() - c0, 3000);
    assert_eq!(s.rx_cycles() - r0, 4000);
    assert_eq!(s.csr_read(ID).unwrap(), 0x544B_5752);
}

#[test]
fn config_is_checked() {
    for bad in [
        SimConfig {
            awready_prob: 0.0,
            ..SimConfig::default()
        },
        SimConfig {
            idle_prob: 1.0,
            ..SimConfig::default()
        },
        SimConfig {
            line_rate_bps: Some(0),
            ..SimConfig::default()
        },
        SimConfig {
            clk_period_ps: 1,
            ..SimConfig::default()
        },
    ] {
        assert!(matches!(Sim::new(bad), Err(SimError::Config(_))));
    }
}

#[test]
fn waveform_trace_when_built_with_it() {
    let mut s = sim(6);
    let path = std::env::temp_dir().join(format!(
        "tickwire-sim-trace-{}.{}",
        std::process::id(),
        Sim::trace_format().unwrap_or("x")
    ));
    match Sim::trace_format() {
        None => assert!(matches!(s.trace(&path), Err(SimError::Trace { .. }))),
        Some(_) => {
            s.trace(&path).unwrap();
            s.csr_write(SCRATCH, 7).unwrap();
            s.run_clk_cycles(10);
            drop(s);
            let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            let _ = std::fs::remove_file(&path);
            assert!(len > 100, "trace written ({len} bytes)");
        }
    }
}

#[test]
fn test_offsets_match_the_generated_register_map() {
    for (name, off) in OFFSETS {
        assert_eq!(doc_offset(name), Some(*off), "{name}: tests/common/mod.rs disagrees with docs/registers.md");
    }
}
