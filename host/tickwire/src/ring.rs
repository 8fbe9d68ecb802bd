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
    writeback: bool,
    // Rings of the card that are open (bit n: ring n), shared with the Card.
    open: Arc<std::sync::atomic::AtomicU32>,
    closed: bool,
}

impl<D: Device> Ring<D> {
    pub(crate) fn new(
        dev: Arc<D>,
        index: usize,
        mem: DmaRegion,
        slots: u32,
        writeback: bool,
        open: Arc<std::sync::atomic::AtomicU32>,
    ) -> Self {
        let batch = (slots / 4).clamp(1, 256);
        Self { dev, index, mem, slots, mask: slots - 1, next: 0, released: 0, batch, writeback, open, closed: false }
    }

    /// Stop the ring: clear its enable bit and wait until the card reports it idle (no write in
    /// flight, none to come). Returns whether it went idle within `timeout`; if not, the ring's
    /// memory is marked to be leaked, never unmapped under a card that may still write it.
    pub(crate) fn quiesce(&mut self, timeout: std::time::Duration) -> bool {
        let io = DeviceIo(&*self.dev);
        let r = regs(&io).ring()[self.index];
        r.ctrl().write(|c| c.set_enable(false));
        let start = std::time::Instant::now();
        let idle = loop {
            if r.status().read().idle() {
                break true;
            }
            if start.elapsed() > timeout {
                break false;
            }
            std::thread::sleep(std::time::Duration::from_micros(50));
        };
        if !idle {
            self.mem.leak_on_drop();
        }
        self.closed = true;
        idle
    }

    /// With write-back signalling on: the card's last written-back `(PROD, DROPS)`. A consumer
    /// that sleeps (on the interrupt, or a timer) reads this to learn how far it may poll; the
    /// slots' validity words remain the authority.
    pub fn written_back(&self) -> Option<(u32, u32)> {
        self.writeback.then(|| {
            let w = u64::from_le(self.mem.line(self.slots as usize)[0].load(Ordering::Acquire));
            (w as u32, (w >> 32) as u32)
        })
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
        let line = self.mem.line((self.next & self.mask) as usize);
        let last = u64::from_le(line[WORDS - 1].load(Ordering::Acquire));
        if (last >> 32) as u32 != self.next.wrapping_add(1) {
            if self.released != self.next {
                self.release(); // idle: give back what we hold so the card never waits on us
            }
            return false;
        }
        let mut bytes = [0u8; TICK_BYTES];
        for (i, w) in line.iter().enumerate().take(WORDS - 1) {
            bytes[i * 8..i * 8 + 8].copy_from_slice(&u64::from_le(w.load(Ordering::Relaxed)).to_le_bytes());
        }
        bytes[TICK_BYTES - 8..].copy_from_slice(&last.to_le_bytes());
        let tick = TickRecord::from_bytes(&bytes);
        f(&tick);
        self.consume(1);
        true
    }

    /// Every tick the card has written since the last poll, up to `max`, read in place: no copy,
    /// no MMIO read. The slots stay the consumer's until the batch is dropped (the card never
    /// writes a slot the consumer has not returned), then they are consumed and returned to the
    /// card in batches like single polls.
    #[inline]
    pub fn poll_batch(&mut self, max: usize) -> Batch<'_, D> {
        let max = max.min(self.slots as usize) as u32;
        let mut n = 0;
        while n < max {
            let expect = self.next.wrapping_add(n);
            let last = self.mem.line((expect & self.mask) as usize)[WORDS - 1].load(Ordering::Acquire);
            if (u64::from_le(last) >> 32) as u32 != expect.wrapping_add(1) {
                break;
            }
            n += 1;
        }
        if n == 0 && self.released != self.next {
            self.release();
        }
        Batch { ring: self, len: n }
    }

    fn consume(&mut self, n: u32) {
        self.next = self.next.wrapping_add(n);
        if self.next.wrapping_sub(self.released) >= self.batch {
            self.release();
        }
    }

    /// Return every consumed slot to the card now (one MMIO write).
    pub fn release(&mut self) {
        // The slots' contents were read (atomic loads) before the card may reuse them: keep those
        // loads before the MMIO write that hands the slots back.
        std::sync::atomic::fence(Ordering::Release);
        let io = DeviceIo(&*self.dev);
        let next = self.next;
        regs(&io).ring()[self.index]
            .cons()
            .write(|r| r.set_index(next));
        self.released = next;
    }

}

impl<D: Device> Drop for Ring<D> {
    /// A ring dropped without `Card::close_ring` (an early return, a panic) is quiesced here, so
    /// its memory is never freed or unmapped while the card may still write it.
    fn drop(&mut self) {
        let idle = self.closed || self.quiesce(std::time::Duration::from_secs(1));
        if idle && !self.mem.leaks() {
            self.open.fetch_and(!(1u32 << self.index), Ordering::AcqRel);
        }
    }
}

/// A run of ticks read in place (see [`Ring::poll_batch`]). Dropping it consumes them.
pub struct Batch<'r, D: Device> {
    ring: &'r mut Ring<D>,
    len: u32,
}

impl<D: Device> Batch<'_, D> {
    /// Number of ticks.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// True when the card had written nothing new.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The `i`-th tick of the batch.
    #[inline]
    pub fn get(&self, i: usize) -> TickRef<'_> {
        assert!(i < self.len as usize, "tick {i} of a batch of {}", self.len);
        let slot = self.ring.next.wrapping_add(i as u32) & self.ring.mask;
        TickRef { line: self.ring.mem.line(slot as usize) }
    }

    /// The ticks in ring order.
    pub fn iter(&self) -> impl Iterator<Item = TickRef<'_>> + '_ {
        (0..self.len as usize).map(move |i| self.get(i))
    }
}

impl<D: Device> Drop for Batch<'_, D> {
    fn drop(&mut self) {
        if self.len > 0 {
            self.ring.consume(self.len);
        }
    }
}

/// One tick inside a ring slot, read field by field with atomic loads. Valid while its
/// [`Batch`] lives; the card cannot write the slot meanwhile.
#[derive(Clone, Copy)]
pub struct TickRef<'a> {
    line: &'a [std::sync::atomic::AtomicU64; 8],
}

/// Word index and bit shift of a field, from the generated layout.
macro_rules! at {
    ($field:ident) => {{
        let off = core::mem::offset_of!(TickRecord, $field);
        (off / 8, (off % 8) * 8)
    }};
}

impl TickRef<'_> {
    #[inline(always)]
    fn word(&self, i: usize) -> u64 {
        u64::from_le(self.line[i].load(Ordering::Relaxed))
    }

    /// The little-endian integer of `len` (1..=8) bytes at tick byte offset `at` (the decoded
    /// ITCH fields' places are in [`crate::tick::TICK_MESSAGES`]). Reads one or two words.
    #[inline]
    pub fn field_le(&self, at: usize, len: usize) -> u64 {
        debug_assert!((1..=8).contains(&len) && at + len <= TICK_BYTES);
        let (w, sh) = (at / 8, (at % 8) * 8);
        // little-endian 128-bit window starting at word w
        let lo = u128::from(self.word(w));
        let hi = if sh + 8 * len > 64 { u128::from(self.word(w + 1)) } else { 0 };
        let v = ((hi << 64 | lo) >> sh) as u64;
        if len == 8 { v } else { v & ((1u64 << (8 * len)) - 1) }
    }

    /// ITCH stock locate.
    #[inline]
    pub fn stock_locate(&self) -> u16 {
        let (w, sh) = at!(stock_locate);
        (self.word(w) >> sh) as u16
    }

    /// ITCH timestamp, ns since midnight (48 bits).
    #[inline]
    pub fn itch_timestamp(&self) -> u64 {
        self.field_le(core::mem::offset_of!(TickRecord, timestamp), 6)
    }

    /// Card receive timestamp, ns.
    #[inline]
    pub fn rx_ts_ns(&self) -> u64 {
        self.word(at!(rx_ts_ns).0)
    }

    /// MoldUDP64 sequence number.
    #[inline]
    pub fn seq(&self) -> u64 {
        self.word(at!(seq).0)
    }

    /// Flags (`FLAG_*`).
    #[inline]
    pub fn flags(&self) -> u16 {
        let (w, sh) = at!(flags);
        (self.word(w) >> sh) as u16
    }

    /// The ITCH message type (0 on event and verdict records).
    #[inline]
    pub fn message_type(&self) -> u8 {
        let (w, sh) = at!(msg_type);
        (self.word(w) >> sh) as u8
    }

    /// Copy the whole record out of the slot.
    pub fn to_record(&self) -> TickRecord {
        let mut bytes = [0u8; TICK_BYTES];
        for i in 0..WORDS {
            bytes[i * 8..i * 8 + 8].copy_from_slice(&self.word(i).to_le_bytes());
        }
        TickRecord::from_bytes(&bytes)
    }
}
