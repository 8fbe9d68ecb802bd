//! The host side of a tick ring: zero-copy polling of the slots the card writes.
//!
//! The card writes slot `prod mod slots` with one 64-byte DMA write whose validity word (bytes
//! 60..64) is `prod + 1`. The consumer knows which producer index it expects next, so it polls one
//! word: an Acquire load of the slot's last 8 bytes. Ordering assumption (docs/architecture.md):
//! the last 8 bytes of a tick write become visible no earlier than the rest of that write. When the
//! word matches, the other seven words are complete and are read with Relaxed loads, straight from
//! the slot into registers. Consumed slots go back to the card by writing CONS, in batches.
//! Hot path: no syscalls, no allocation, no locks, no MMIO reads; one MMIO write per batch.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::device::Device;
use crate::dma::DmaRegion;
use crate::mmio::{regs, DeviceIo};
use crate::tick::{TickRecord, TICK_BYTES};

const WORDS: usize = TICK_BYTES / 8;

/// One ring of tick slots in host memory, being consumed.
pub struct Ring<D: Device> {
    dev: Arc<D>,
    index: usize,
    mem: DmaRegion,
    slots: u32,
    mask: u32,
    next: u32,
    released: u32,
    batch: u32,
}

impl<D: Device> Ring<D> {
    pub(crate) fn new(dev: Arc<D>, index: usize, mem: DmaRegion, slots: u32) -> Self {
        let batch = (slots / 4).clamp(1, 256);
        Self {
            dev,
            index,
            mem,
            slots,
            mask: slots - 1,
            next: 0,
            released: 0,
            batch,
        }
    }

    /// Ring number on the card.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Number of slots.
    pub fn slots(&self) -> u32 {
        self.slots
    }

    /// Ticks consumed since the ring was enabled (wraps at 2^32).
    pub fn consumed(&self) -> u32 {
        self.next
    }

    /// Device address of the ring (what BASE holds).
    pub fn iova(&self) -> u64 {
        self.mem.iova()
    }

    /// Set how many consumed slots are returned to the card per CONS write (1..=slots).
    pub fn set_batch(&mut self, batch: u32) {
        self.batch = batch.clamp(1, self.slots);
    }

    /// The next tick, if the card has written it; copies its 64 bytes out of the slot.
    #[inline]
    pub fn poll(&mut self) -> Option<TickRecord> {
        let mut out = None;
        self.poll_with(|t| out = Some(*t));
        out
    }

    /// Hand the next tick, if there is one, to `f`. Returns whether there was one.
    #[inline]
    pub fn poll_with(&mut self, f: impl FnOnce(&TickRecord)) -> bool {
        let base = (self.next & self.mask) as usize * WORDS;
        let last = self.mem.load(base + WORDS - 1, Ordering::Acquire);
        if (last >> 32) as u32 != self.next.wrapping_add(1) {
            if self.released != self.next {
                self.release(); // idle: give back what we hold so the card never waits on us
            }
            return false;
        }
        let mut bytes = [0u8; TICK_BYTES];
        for i in 0..WORDS - 1 {
            bytes[i * 8..i * 8 + 8]
                .copy_from_slice(&self.mem.load(base + i, Ordering::Relaxed).to_le_bytes());
        }
        bytes[TICK_BYTES - 8..].copy_from_slice(&last.to_le_bytes());
        let tick = TickRecord::from_bytes(&bytes);
        f(&tick);
        self.next = self.next.wrapping_add(1);
        if self.next.wrapping_sub(self.released) >= self.batch {
            self.release();
        }
        true
    }

    /// Return every consumed slot to the card now (one MMIO write).
    pub fn release(&mut self) {
        let io = DeviceIo(&*self.dev);
        let next = self.next;
        regs(&io).ring()[self.index]
            .cons()
            .write(|r| r.set_index(next));
        self.released = next;
    }

    pub(crate) fn into_memory(self) -> DmaRegion {
        self.mem
    }
}
