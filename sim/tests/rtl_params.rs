// SPDX-License-Identifier: Apache-2.0
//! Cards built with other RTL parameters (`SimConfig::rtl`, the variants of sim/src/rtl_variants.rs):
//! what RINGS, RULES and FIFO_DEPTH change, seen through the CSRs and the counters.

mod common;
use common::*;

use tickwire_sim::{DmaBuf, RtlParams, Sim, SimConfig, SimError, RTL_VARIANTS};

const CAPS: u32 = 0x00C;
const RX_ACCEPTED: u32 = 0x13C;
const FLOW_DROPS: u32 = 0x140;
const MOLD_MSGS: u32 = 0x150;
const TICK_OVERFLOW: u32 = 0x15C;
const DMA_BAD_RING: u32 = 0x168;
const FLOW: u32 = 0x2000;
/// Register `off` of ring `r` (RING[r] at 0x1000 + 0x40 * r).
const fn ring(r: u32, off: u32) -> u32 {
    RING0 + 0x40 * r + off
}
const SLOTS: u32 = 0x08;
const DROPS: u32 = 0x1C;
/// Word `off` of flow rule `n` (0x20 bytes per rule in the FLOW window).
const fn rule(n: u32, off: u32) -> u32 {
    FLOW + 0x20 * n + off
}
const DST_IP: u32 = 0x00;

const IOVA: u64 = 0x1_2340_0000;
const SESSION: &[u8; 10] = b"SESSION001";

fn card(rtl: &str, seed: u64) -> Sim {
    Sim::new(SimConfig {
        seed,
        rtl: RtlParams::variant(rtl),
        ..SimConfig::default()
    })
    .expect("model builds")
}

#[test]
fn offsets_match_the_register_map() {
    for (name, off) in [
        ("CAPS", CAPS),
        ("RX_ACCEPTED", RX_ACCEPTED),
        ("FLOW_DROPS", FLOW_DROPS),
        ("MOLD_MSGS", MOLD_MSGS),
        ("TICK_OVERFLOW", TICK_OVERFLOW),
        ("DMA_BAD_RING", DMA_BAD_RING),
        ("FLOW", FLOW),
        ("RING[2]", ring(2, 0)),
    ] {
        assert_eq!(doc_offset(name), Some(off), "{name}");
    }
}

#[test]
fn caps_report_the_parameters_of_each_variant() {
    let mut seen = Vec::new();
    for v in RTL_VARIANTS {
        let mut s = card(v.name, 1);
        assert_eq!(s.rtl(), v);
        let caps = s.csr_read(CAPS).unwrap();
        let (rings, rules, data_bytes) = (caps & 0xff, caps >> 8 & 0xff, caps >> 16 & 0xff);
        assert_eq!(i64::from(rings), v.get("RINGS").unwrap(), "{v}: CAPS.rings");
        assert_eq!(i64::from(rules), v.get("RULES").unwrap(), "{v}: CAPS.rules");
        assert_eq!(data_bytes, 8, "{v}: DATA_W is 64 in every variant");
        seen.push((v.name, rings, rules));
    }
    // The table's values, spelled out: a change to the table is a change to this test.
    assert_eq!(seen, [("default", 4, 64), ("small", 2, 8)]);
    // By values: the same model as by name.
    let mut s = Sim::new(SimConfig {
        rtl: RtlParams::values([("RINGS", 2), ("RULES", 8), ("FIFO_DEPTH", 16)]),
        ..SimConfig::default()
    })
    .unwrap();
    assert_eq!(s.rtl().name, "small");
    assert_eq!(s.csr_read(CAPS).unwrap() & 0xffff, 8 << 8 | 2);
}

#[test]
fn parameters_that_are_not_built_are_refused_naming_the_built_ones() {
    for rtl in [
        RtlParams::variant("tiny"),
        RtlParams::values([("RINGS", 3)]),
        RtlParams::values([("MAX_OUTSTANDING", 4)]),
    ] {
        let asked = rtl.to_string();
        let e = Sim::new(SimConfig {
            rtl,
            ..SimConfig::default()
        })
        .unwrap_err();
        assert!(matches!(e, SimError::RtlParams { .. }), "{e:?}");
        let msg = e.to_string();
        assert!(msg.contains(&asked), "{msg}");
        for v in RTL_VARIANTS {
            assert!(msg.contains(&v.to_string()), "{msg} does not name {v}");
        }
        assert!(
            msg.contains("RTL_VARIANTS in sim/src/rtl_variants.rs"),
            "{msg} does not say how to add one"
        );
    }
}

#[test]
fn absent_rings_read_zero_and_ignore_writes() {
    for (v, rings) in [("default", 4), ("small", 2)] {
        let mut s = card(v, 2);
        for r in 0..4 {
            s.csr_write(ring(r, SLOTS), 64 + r).unwrap();
            let want = if r < rings { 64 + r } else { 0 };
            assert_eq!(
                s.csr_read(ring(r, SLOTS)).unwrap(),
                want,
                "{v}: RING[{r}].SLOTS"
            );
        }
    }
}

#[test]
fn rules_beyond_caps_rules_read_zero_and_ignore_writes() {
    for (v, rules) in [("default", 64), ("small", 8)] {
        let mut s = card(v, 3);
        for n in [0, 7, 8, 9, 63] {
            s.csr_write(rule(n, DST_IP), 0xE936_0C00 | n).unwrap();
            let want = if n < rules { 0xE936_0C00 | n } else { 0 };
            assert_eq!(
                s.csr_read(rule(n, DST_IP)).unwrap(),
                want,
                "{v}: rule {n} DST_IP"
            );
        }
    }
}

/// A frame delivered to ring 3: a card with 4 rings drops its ticks at the (disabled) ring and
/// counts them there; on a card with 2 rings the flow-filter action names an absent ring, so it
/// acts as drop (tw_flow_filter: "an action whose ring >= RINGS never delivers") and the frame is
/// counted in FLOW_DROPS; nothing reaches the deframer or the DMA writer.
#[test]
fn ticks_for_an_absent_ring_are_dropped_by_the_flow_filter() {
    for v in ["default", "small"] {
        let mut s = card(v, 4);
        let to_ring3 = 1 | 3 << 24;
        s.csr_write(FLOW_DEFAULT, to_ring3).unwrap();
        s.csr_write(FLOW_CMD, 1).unwrap();
        s.csr_write(CTRL, 1).unwrap();
        assert_eq!(
            s.csr_read(FLOW_DEFAULT).unwrap(),
            to_ring3,
            "{v}: reads back as written"
        );
        let msgs: Vec<Vec<u8>> = (0..3).map(|i| msg(b'A', 36, i)).collect();
        s.push_frame(&udp_frame(26477, &mold(SESSION, 1, &msgs)), false);
        s.run_clk_cycles(3000);
        let mut r = |a| s.csr_read(a).unwrap();
        let got = [
            r(RX_ACCEPTED),
            r(FLOW_DROPS),
            r(MOLD_MSGS),
            r(ring(3, DROPS)),
            r(DMA_WRITES),
            r(DMA_BAD_RING),
        ];
        let want = match v {
            // accepted, deframed (3 messages), 4 ticks (session event + 3) dropped at ring 3
            "default" => [1, 0, 3, 4, 0, 0],
            // accepted, dropped by the filter; RING[3] is absent (reads 0); DMA_BAD_RING stays 0:
            // the filter never hands the DMA writer a tick for an absent ring
            _ => [1, 1, 0, 0, 0, 0],
        };
        assert_eq!(
            got, want,
            "{v}: [RX_ACCEPTED, FLOW_DROPS, MOLD_MSGS, RING[3].DROPS, DMA_WRITES, DMA_BAD_RING]"
        );
    }
}

/// One frame of `n` 12-byte messages (ITCH's shortest, System Event: one tick per 14 payload
/// bytes, 0.57 per rx_clk cycle) into ring 0 of a card whose clk runs at 125 MHz (a PCIe shell's
/// user clock), so ticks come in about 1.5 times as fast as the DMA side takes them out, for the
/// length of the frame. Returns (TICK_OVERFLOW, DMA_WRITES, RING[0].PROD).
fn burst(rtl: &str, seed: u64, n: usize) -> (u32, u32, u32) {
    let mut s = Sim::new(SimConfig {
        seed,
        clk_period_ps: 8000,
        rtl: RtlParams::variant(rtl),
        ..SimConfig::default()
    })
    .unwrap();
    let buf = DmaBuf::new(256 * 64);
    s.memory().map(IOVA, buf).unwrap();
    s.csr_write(RING_BASE_LO, IOVA as u32).unwrap();
    s.csr_write(RING_BASE_HI, (IOVA >> 32) as u32).unwrap();
    s.csr_write(RING_SLOTS, 256).unwrap();
    s.csr_write(RING_CONS, 0).unwrap();
    s.csr_write(RING_CTRL, 1).unwrap();
    deliver_all(&mut s);
    s.csr_write(CTRL, 1).unwrap();
    let msgs: Vec<Vec<u8>> = (0..n).map(|i| msg(b'S', 12, i as u8)).collect();
    s.push_frame(&udp_frame(26477, &mold(SESSION, 1, &msgs)), false);
    let start = s.clk_cycles();
    while !s.is_idle(2000) {
        s.run_clk_cycles(100);
        assert!(s.clk_cycles() - start < 1_000_000, "no idle");
    }
    assert!(s.memory().violations().is_empty());
    (
        s.csr_read(TICK_OVERFLOW).unwrap(),
        s.csr_read(DMA_WRITES).unwrap(),
        s.csr_read(RING_PROD).unwrap(),
    )
}

#[test]
fn a_burst_the_64_deep_fifo_absorbs_overflows_the_16_deep_one() {
    const N: usize = 100;
    let ticks = N as u32 + 1; // the session's event record, then one tick per message
    for seed in [1, 2, 3] {
        let (ovf, writes, prod) = burst("default", seed, N);
        assert_eq!(
            (ovf, writes, prod),
            (0, ticks, ticks),
            "default, seed {seed}"
        );
        let (ovf, writes, prod) = burst("small", seed, N);
        // Every tick is written or counted, none twice; where the FIFO fills is set by the
        // clocks alone (resets, not the random initial flop values): the same for every seed.
        assert_eq!(
            ovf + writes,
            ticks,
            "small, seed {seed}: {ovf} dropped + {writes} written"
        );
        assert_eq!(prod, writes);
        // (tests/test_sim_rtl_params.py sees the same 20 through the driver, tick by tick)
        assert_eq!(
            ovf, 20,
            "small, seed {seed}: ticks dropped at the full FIFO"
        );
    }
}

#[test]
fn every_variant_traces_when_built_with_it() {
    for v in RTL_VARIANTS {
        let mut s = card(v.name, 5);
        let path = std::env::temp_dir().join(format!(
            "tickwire-sim-trace-{}-{}.{}",
            std::process::id(),
            v.name,
            Sim::trace_format().unwrap_or("x")
        ));
        match Sim::trace_format() {
            None => assert!(matches!(s.trace(&path), Err(SimError::Trace { .. }))),
            Some(_) => {
                s.trace(&path).unwrap();
                s.csr_write(ring(1, SLOTS), 16).unwrap();
                s.run_clk_cycles(10);
                drop(s);
                let text = std::fs::read(&path).unwrap_or_default();
                let _ = std::fs::remove_file(&path);
                assert!(text.len() > 100, "{v}: trace written ({} bytes)", text.len());
            }
        }
    }
}
