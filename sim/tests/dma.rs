// SPDX-License-Identifier: Apache-2.0
//! Frames in, ticks out: the frame source, the DMA slave and host memory against the real core.

mod common;
use common::*;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use tickwire_sim::{DmaBuf, DmaWriteEvent, Sim, SimConfig};

const IOVA: u64 = 0x1_2340_0000;
const SESSION: &[u8; 10] = b"SESSION001";

fn setup_ring(s: &mut Sim, base: u64, slots: u32) {
    s.csr_write(RING_BASE_LO, base as u32).unwrap();
    s.csr_write(RING_BASE_HI, (base >> 32) as u32).unwrap();
    s.csr_write(RING_SLOTS, slots).unwrap();
    s.csr_write(RING_CONS, 0).unwrap();
    s.csr_write(RING_CTRL, 1).unwrap();
    deliver_all(s);
    s.csr_write(CTRL, 1).unwrap();
}

fn run_until_idle(s: &mut Sim) {
    let start = s.clk_cycles();
    while !s.is_idle(2000) {
        s.run_clk_cycles(100);
        assert!(
            s.clk_cycles() - start < 2_000_000,
            "no idle after 2M clk cycles"
        );
    }
}

fn slot_u64(buf: &DmaBuf, slot: usize, off: usize) -> u64 {
    buf.word(slot * 8 + off / 8).load(Ordering::Acquire)
}

fn stressed(seed: u64) -> SimConfig {
    SimConfig {
        seed,
        awready_prob: 0.4,
        wready_prob: 0.5,
        bresp_delay_max: 12,
        idle_prob: 0.2,
        ..SimConfig::default()
    }
}

#[test]
fn ticks_land_in_the_ring_under_backpressure() {
    for seed in [1u64, 2, 3] {
        let mut s = Sim::new(stressed(seed)).unwrap();
        let buf = DmaBuf::new(64 * 64);
        s.memory().map(IOVA, buf.clone()).unwrap();
        let events: Arc<Mutex<Vec<DmaWriteEvent>>> = Arc::default();
        let ev = events.clone();
        s.on_dma_write(Box::new(move |e| ev.lock().unwrap().push(e)));
        setup_ring(&mut s, IOVA, 64);

        let msgs: Vec<Vec<u8>> = vec![msg(b'A', 36, 1), msg(b'E', 31, 2), msg(b'P', 44, 3)];
        s.push_frame(&udp_frame(26477, &mold(SESSION, 100, &msgs)), false);
        let msgs2: Vec<Vec<u8>> = vec![msg(b'D', 19, 4)];
        s.push_frame(&udp_frame(26477, &mold(SESSION, 103, &msgs2)), false);
        run_until_idle(&mut s);

        assert!(
            s.memory().violations().is_empty(),
            "{:?}",
            s.memory().violations()
        );
        let all: Vec<&Vec<u8>> = msgs.iter().chain(&msgs2).collect();
        let writes = s.dma_writes();
        assert_eq!(
            writes as usize,
            all.len() + 1,
            "one new-session event record + one tick per message"
        );
        assert_eq!(s.csr_read(RING_PROD).unwrap() as u64, writes);
        assert_eq!(s.csr_read(DMA_WRITES).unwrap() as u64, writes);
        assert_eq!(s.csr_read(DMA_BRESP_ERR).unwrap(), 0);
        for slot in 0..writes as usize {
            let valid = (slot_u64(&buf, slot, 56) >> 32) as u32;
            assert_eq!(valid, slot as u32 + 1, "valid word of slot {slot}");
        }
        let flags0 = slot_u64(&buf, 0, 24) as u16;
        assert_ne!(
            flags0 & TICK_FLAG_EVENT,
            0,
            "slot 0 is the new-session event record"
        );
        for (i, m) in all.iter().enumerate() {
            let slot = i + 1;
            assert_eq!(
                slot_u64(&buf, slot, 8),
                100 + i as u64,
                "seq of slot {slot}"
            );
            // every message here has its type's length: decoded, not raw; the type at tick
            // byte 26, and (for A, E, P, D alike) order_reference_number (wire 11..19) at 32
            let w3 = slot_u64(&buf, slot, 24);
            assert_eq!(w3 as u16 & TICK_FLAG_RAW, 0, "slot {slot} decoded");
            assert_eq!((w3 >> 16) as u8, m[0], "msg_type of slot {slot}");
            assert_eq!(
                slot_u64(&buf, slot, 32),
                u64::from_be_bytes(m[11..19].try_into().unwrap()),
                "order_reference_number of slot {slot}"
            );
        }
        assert_eq!(slot_u64(&buf, writes as usize, 56), 0, "nothing past PROD");

        let events = events.lock().unwrap();
        assert_eq!(events.len() as u64, writes);
        for (i, e) in events.iter().enumerate() {
            assert_eq!(e.addr, IOVA + 64 * i as u64);
            assert_eq!(e.len, 64);
            assert!(e.strobe.iter().all(|&b| b));
            assert!(e.aw_cycle <= e.done_cycle);
        }
    }
}

#[test]
fn writes_outside_every_window_are_violations() {
    let mut s = Sim::new(stressed(7)).unwrap();
    // Ring programmed at an address nothing is mapped at.
    let buf = DmaBuf::new(16 * 64);
    s.memory().map(IOVA, buf.clone()).unwrap();
    let bad = IOVA + 0x10_0000;
    setup_ring(&mut s, bad, 16);
    s.push_frame(
        &udp_frame(
            26477,
            &mold(SESSION, 1, &[msg(b'A', 36, 0), msg(b'A', 36, 1)]),
        ),
        false,
    );
    run_until_idle(&mut s);
    let v = s.memory().violations();
    assert!(!v.is_empty(), "writes to an unmapped IOVA are recorded");
    for x in &v {
        assert!(x.addr >= bad && x.addr + x.len <= bad + 16 * 64, "{x:?}");
        assert_eq!(x.len, 64);
    }
    assert_eq!(
        s.csr_read(DMA_BRESP_ERR).unwrap() as usize,
        v.len(),
        "every DECERR seen by the core"
    );
    assert!(
        (0..buf.len() / 8).all(|i| buf.word(i).load(Ordering::Relaxed) == 0),
        "mapped buffer untouched"
    );
}

#[test]
fn unmapped_ring_becomes_a_violation() {
    let mut s = Sim::new(SimConfig {
        seed: 9,
        ..SimConfig::default()
    })
    .unwrap();
    let buf = DmaBuf::new(16 * 64);
    s.memory().map(IOVA, buf.clone()).unwrap();
    setup_ring(&mut s, IOVA, 16);
    s.push_frame(
        &udp_frame(26477, &mold(SESSION, 1, &[msg(b'A', 36, 0)])),
        false,
    );
    run_until_idle(&mut s);
    assert!(s.memory().violations().is_empty());
    let before = s.dma_writes();
    assert!(before >= 2);
    let back = s.memory().unmap(IOVA).unwrap();
    assert!(Arc::ptr_eq(&back, &buf));
    s.push_frame(
        &udp_frame(26477, &mold(SESSION, 2, &[msg(b'A', 36, 1)])),
        false,
    );
    run_until_idle(&mut s);
    let v = s.memory().violations();
    assert_eq!(v.len() as u64, s.dma_writes() - before);
    assert_eq!(v[0].addr, IOVA + 64 * before);
}

#[test]
fn frames_are_counted_once_each_with_idles_and_pacing() {
    let mut s = Sim::new(SimConfig {
        seed: 11,
        idle_prob: 0.3,
        line_rate_bps: Some(10_000_000_000),
        ..SimConfig::default()
    })
    .unwrap();
    // rx disabled: every frame is counted as dropped-while-disabled.
    for n in 0..20 {
        s.push_frame(&arp_frame(60 + 7 * n), n % 3 == 0);
    }
    assert_eq!(s.frames_pending(), 20);
    let t0 = s.time_ps();
    run_until_idle(&mut s);
    assert_eq!(s.frames_sent(), 20);
    assert_eq!(s.csr_read(RX_DISABLED).unwrap(), 20);
    assert_eq!(s.csr_read(RX_FRAMES).unwrap(), 0);
    // Pacing: 20 frames of >= 84 wire bytes at 10G take at least 19 * 67.2 ns.
    assert!(s.time_ps() - t0 >= 19 * 67_200);
    s.csr_write(CTRL, 1).unwrap();
    for n in 0..10 {
        s.push_frame(&arp_frame(64 + n), n == 4);
    }
    run_until_idle(&mut s);
    assert_eq!(s.csr_read(RX_FRAMES).unwrap(), 10);
    assert_eq!(s.csr_read(RX_MAC_ERR).unwrap(), 1);
    assert_eq!(s.dma_writes(), 0);
}
