// SPDX-License-Identifier: Apache-2.0
//! The simulated card in its own thread, with the host polling its ring from another.

mod common;
use common::*;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tickwire_sim::{DmaBuf, DmaWriteEvent, SimConfig, SimError, SimHandle};

const IOVA: u64 = 0x2_0000_0000;
const SESSION: &[u8; 10] = b"HANDLE0001";

#[test]
fn csr_and_idle_wait() {
    let h = SimHandle::spawn(SimConfig {
        seed: 5,
        ..SimConfig::default()
    })
    .unwrap();
    assert_eq!(h.csr_read(ID).unwrap(), 0x544B_5752);
    h.csr_write(SCRATCH, 0xdead_beef).unwrap();
    assert_eq!(h.csr_read(SCRATCH).unwrap(), 0xdead_beef);
    h.wait_idle(Duration::from_secs(30)).unwrap();
    let c = h.stats().clk_cycles;
    // Idle: the thread sleeps, the clocks stand still.
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(h.stats().clk_cycles, c);
    h.run_clk_cycles(100).unwrap();
    assert_eq!(h.stats().clk_cycles, c + 100);
    assert!(matches!(
        h.csr_read(0x4000),
        Err(SimError::CsrAddress { .. })
    ));
}

#[test]
fn failing_spawn_reports_the_config_error() {
    let e = SimHandle::spawn(SimConfig {
        idle_prob: 2.0,
        ..SimConfig::default()
    })
    .unwrap_err();
    assert!(matches!(e, SimError::Config(_)), "{e}");
}

#[test]
fn host_polls_ticks_while_the_card_writes() {
    let cfg = SimConfig {
        seed: 21,
        awready_prob: 0.6,
        wready_prob: 0.6,
        bresp_delay_max: 8,
        idle_prob: 0.1,
        ..SimConfig::default()
    };
    let h = SimHandle::spawn(cfg).unwrap();
    let slots = 128usize;
    let buf = DmaBuf::new(slots * 64);
    h.memory().map(IOVA, buf.clone()).unwrap();
    h.csr_write(RING_BASE_LO, IOVA as u32).unwrap();
    h.csr_write(RING_BASE_HI, (IOVA >> 32) as u32).unwrap();
    h.csr_write(RING_SLOTS, slots as u32).unwrap();
    h.csr_write(RING_CONS, 0).unwrap();
    h.csr_write(RING_CTRL, 1).unwrap();
    h.csr_write(FLOW_DEFAULT, 1).unwrap(); // deliver everything to ring 0
    h.csr_write(FLOW_CMD, 1).unwrap();
    h.csr_write(CTRL, 1).unwrap();

    // 20 packets of 5 messages: 1 new-session event record + 100 ticks. The card does not wait for the host
    // (a full ring drops), so the ring holds them all; the host polls while the card writes.
    let mut frames = Vec::new();
    for p in 0..20u64 {
        let msgs: Vec<Vec<u8>> = (0..5).map(|k| msg(b'A', 36, (p * 5 + k) as u8)).collect();
        frames.push((udp_frame(26477, &mold(SESSION, 1 + 5 * p, &msgs)), false));
    }
    let evs: Arc<Mutex<Vec<DmaWriteEvent>>> = Arc::default();
    let e2 = evs.clone();
    h.on_dma_write(Box::new(move |e| e2.lock().unwrap().push(e)));
    h.push_frames(frames);

    // The host: poll word 7 of slot (c mod slots) with Acquire for valid == c+1, then read the
    // rest, check it, and return the slot.
    let total = 101u64;
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut c = 0u64;
    while c < total {
        let slot = (c % slots as u64) as usize;
        let w7 = buf.word(slot * 8 + 7).load(Ordering::Acquire);
        if (w7 >> 32) as u32 != c as u32 + 1 {
            assert!(
                Instant::now() < deadline,
                "tick {c} never arrived (stats {:?})",
                h.stats()
            );
            std::thread::yield_now();
            continue;
        }
        let seq = buf.word(slot * 8 + 1).load(Ordering::Relaxed);
        let ty = (buf.word(slot * 8 + 3).load(Ordering::Relaxed) >> 16) as u8;
        if c == 0 {
            assert_eq!(ty, 0, "the new-session event record first (no message)");
        } else {
            assert_eq!(seq, c, "seq of tick {c}");
            let salt = (c - 1) as u8;
            let mut data = [0u8; 44];
            buf.read_bytes(slot * 64 + 16, &mut data);
            data[8..10].fill(0); // flags (FRAME_END on a frame's last tick): not the point here
            if data != add_order_tick_bytes(&msg(b'A', 36, salt)) {
                // Tell a card bug (wrong bytes on the bus) from a memory-model bug.
                let bus: Vec<Vec<u8>> = evs
                    .lock()
                    .unwrap()
                    .iter()
                    .filter(|e| e.addr == IOVA + 64 * slot as u64)
                    .map(|e| e.data.clone())
                    .collect();
                panic!("tick {c} bytes 16..60: read {data:?}; bus write(s) to the slot: {bus:?}");
            }
        }
        c += 1;
        if c.is_multiple_of(8) || c == total {
            h.csr_write(RING_CONS, c as u32).unwrap();
        }
    }
    h.wait_idle(Duration::from_secs(60)).unwrap();
    let st = h.stats();
    assert_eq!(st.dma_writes, total);
    assert_eq!(st.frames_sent, 20);
    assert_eq!(st.violations, 0);
    assert_eq!(h.csr_read(RING_PROD).unwrap() as u64, total);

    // Quiesce, then unmap.
    h.csr_write(RING_CTRL, 0).unwrap();
    while h.csr_read(RING_STATUS).unwrap() & 1 == 0 {}
    h.memory().unmap(IOVA).unwrap();
    assert!(h.memory().violations().is_empty());
}
