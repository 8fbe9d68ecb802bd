//! Shared by `benches/card_path.rs` and the examples `card_consume` and `kernel_path`: the feed
//! both paths carry, the work a minimal feed handler does per message, and the card path's
//! pre-filled ring (see docs/benchmarks.md).
#![allow(dead_code)] // each target uses part of it

use std::hint::black_box;

use tickwire::gen::{self, GenConfig};
use tickwire::mem_device::{MemDevice, MemDma};
use tickwire::model::Model;
use tickwire::mold::MoldPacket;
use tickwire::{Card, Ring, TickRecord};

/// Messages in the feed (both paths carry the same ones).
pub const MESSAGES: usize = 500_000;
/// Ring size of the card path: 16 Ki slots, 1 MiB.
pub const RING_SLOTS: u32 = 1 << 14;

/// The generator configuration of the feed: the defaults (8 symbols, seed 1) with `messages`.
pub fn gen_config(messages: usize) -> GenConfig {
    GenConfig {
        messages,
        ..GenConfig::default()
    }
}

/// The feed as MoldUDP64 packets (heartbeats included, as they would be sent).
pub fn packets(messages: usize) -> Vec<MoldPacket> {
    gen::generate(&gen_config(messages)).expect("valid generator config")
}

/// The tick records the card writes for the feed: the reference model run over the same packets
/// framed as UDP/IPv4 (one new-session event record first, then one tick per message). `valid` is left 0:
/// the ring filler sets it.
pub fn ticks(messages: usize) -> Vec<TickRecord> {
    let cfg = gen_config(messages);
    let pkts = gen::generate(&cfg).expect("valid generator config");
    let frames = gen::to_frames(&cfg, &pkts).expect("packets fit UDP");
    let mut model = Model::new();
    let mut out = Vec::with_capacity(messages + 1);
    for f in &frames {
        let mut t = Vec::new();
        model.frame(&f.data, false, f.ts_ns, &mut t);
        out.extend(t.into_iter().map(|m| m.record));
    }
    out
}

/// What a minimal feed handler reads of one message, folded so it cannot be optimised away:
/// sequence number, message type, stock locate and timestamp (ITCH header bytes 0..11).
#[inline(always)]
pub fn fold_message(acc: u64, seq: u64, msg: &[u8]) -> u64 {
    let ty = msg[0];
    let locate = u16::from_be_bytes([msg[1], msg[2]]);
    let ts = u64::from_be_bytes([0, 0, msg[5], msg[6], msg[7], msg[8], msg[9], msg[10]]);
    fold_fields(acc, seq, ty, locate, ts)
}

/// [`fold_message`] on fields already decoded.
#[inline(always)]
pub fn fold_fields(acc: u64, seq: u64, ty: u8, locate: u16, ts: u64) -> u64 {
    acc.rotate_left(5) ^ seq ^ (u64::from(ty) << 56) ^ (u64::from(locate) << 40) ^ ts
}

/// The card path: a [`MemDevice`] card, one ring opened by the driver, and the feed's ticks that
/// the bench writes into it as the card would (cycling through the feed).
pub struct CardPath {
    pub card: Card<MemDevice>,
    pub ring: Ring<MemDevice>,
    dma: MemDma,
    ticks: Vec<TickRecord>,
    /// Producer index: ticks written so far.
    prod: u32,
    /// Next tick of the feed to write.
    cursor: usize,
}

impl CardPath {
    /// Open the in-memory card and ring 0 with `slots` slots, through the real driver.
    pub fn new(slots: u32, ticks: Vec<TickRecord>) -> Self {
        let card = Card::open(MemDevice::new(1)).expect("MemDevice passes Card::open");
        let ring = card.open_ring(0, slots).expect("ring 0");
        let dma = card.device().dma(ring.iova()).expect("ring memory");
        Self {
            card,
            ring,
            dma,
            ticks,
            prod: 0,
            cursor: 0,
        }
    }

    /// Write the next `n` ticks (at most the ring's free slots) as the card would: validity word
    /// = producer index + 1, last word stored last with Release. Not timed.
    pub fn refill(&mut self, n: u32) {
        let slots = self.ring.slots();
        assert!(
            self.prod.wrapping_sub(self.ring.consumed()) + n <= slots,
            "refill would overwrite unconsumed slots"
        );
        for _ in 0..n {
            let mut t = self.ticks[self.cursor];
            self.cursor = (self.cursor + 1) % self.ticks.len();
            t.valid = self.prod.wrapping_add(1);
            self.dma.write_tick((self.prod & (slots - 1)) as usize, &t);
            self.prod = self.prod.wrapping_add(1);
        }
    }

    /// Consume exactly `n` ticks the way a latency-sensitive user does: the zero-copy batch API,
    /// reading seq, type, stock locate and timestamp in place. Timed.
    /// Returns the folded fields (pass it to `black_box`).
    ///
    /// # Panics
    /// If fewer than `n` ticks are in the ring.
    #[inline(never)]
    pub fn consume(&mut self, n: u32) -> u64 {
        let mut acc = 0u64;
        let mut left = n as usize;
        while left > 0 {
            let batch = self.ring.poll_batch(left.min(64));
            assert!(!batch.is_empty(), "ring ran dry: the bench wrote fewer ticks than it consumes");
            for t in batch.iter() {
                acc = fold_fields(acc, t.seq(), t.message_type(), t.stock_locate(), t.itch_timestamp());
            }
            left -= batch.len();
        }
        black_box(acc)
    }

    /// Consume exactly `n` ticks with the copying API (`Ring::poll_with`: the 64 bytes are copied
    /// out of the slot), reading the same fields. Timed.
    #[inline(never)]
    pub fn consume_copy(&mut self, n: u32) -> u64 {
        let mut acc = 0u64;
        for _ in 0..n {
            let got = self.ring.poll_with(|t| acc = fold_fields(acc, t.seq, t.msg_type, t.stock_locate, t.timestamp_ns()));
            assert!(got, "ring ran dry: the bench wrote fewer ticks than it consumes");
        }
        black_box(acc)
    }

    /// The CONS register as the card sees it (the driver's write-back).
    pub fn cons_register(&self) -> u32 {
        self.card.ring_status(self.ring.index()).cons
    }
}
