//! The in-memory device for tests and benchmarks: a [`Device`] with no card behind it.
//!
//! BAR0 is a plain register file in memory ([`TwRegs::SIZE`] bytes of 32-bit words): writes are
//! stored, reads return what was stored. At construction it holds the reset values a real card
//! reads, taken from the generated accessors (`ID`, `VERSION`), plus `CAPS.rings` as asked and every
//! ring's `STATUS.idle` set, so [`crate::Card::open`], [`crate::Card::open_ring`] and
//! [`crate::Card::close_ring`] work on it unchanged. DMA memory is ordinary heap memory (64-byte
//! aligned lines of `AtomicU64`); nothing writes it unless the caller plays the card through
//! [`MemDevice::dma`] and [`MemDma::write_tick`]. The driver's ring code then runs exactly as on a
//! card: the same polling, the same CONS write-back (into the register file).
//!
//! Used by `benches/card_path.rs` and the `callgrind_consume` example: they pre-fill a ring and
//! time the real [`crate::Ring`] consuming it.

use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use peakrdl_rust::reg::Register;

use crate::device::{Device, DeviceError};
use crate::dma::DmaRegion;
use crate::mmio::{regs, DeviceIo};
use crate::regs::components::tw_regs::{caps::Caps, id::Id, version::Version};
use crate::regs::components::tw_ring_rf::status::Status as RingStatusReg;
use crate::regs::TwRegs;
use crate::tick::{TickRecord, TICK_BYTES};

/// The first IOVA handed out (above 4 GiB, like the simulated card, so BASE_HI is non-zero).
const IOVA_BASE: u64 = 0x1_0000_0000;
const IOVA_ALIGN: u64 = 2 << 20;

/// One 64-byte line of DMA memory.
#[repr(C, align(64))]
#[derive(Default)]
struct Line([AtomicU64; TICK_BYTES / 8]);

/// Heap memory standing in for DMA memory.
struct HeapDma {
    iova: u64,
    lines: Box<[Line]>,
}

/// An in-memory tickwire "card": a register file and heap DMA memory (see the module doc).
pub struct MemDevice {
    regs: Box<[AtomicU32]>,
    next_iova: AtomicU64,
    dma: Mutex<Vec<Arc<HeapDma>>>,
}

impl MemDevice {
    /// A device whose `CAPS.rings` reads `rings` (at least 1 for [`crate::Card::open_ring`]).
    pub fn new(rings: u8) -> Self {
        let words = TwRegs::<'static, peakrdl_rust::io::PtrIO>::SIZE / 4;
        let dev = Self {
            regs: (0..words).map(|_| AtomicU32::new(0)).collect(),
            next_iova: AtomicU64::new(IOVA_BASE),
            dma: Mutex::new(Vec::new()),
        };
        let caps = (u32::from(rings) & Caps::RINGS_MASK) << Caps::RINGS_OFFSET;
        let idle = RingStatusReg::IDLE_MASK << RingStatusReg::IDLE_OFFSET;
        let io = DeviceIo(&dev);
        let r = regs(&io);
        // Offsets from the generated accessors (base 0, so the "pointer" is the BAR0 offset).
        let mut reset = vec![
            (r.id().as_ptr() as usize, Id::default().to_raw()),
            (r.version().as_ptr() as usize, Version::default().to_raw()),
            (r.caps().as_ptr() as usize, caps),
        ];
        for ring in r.ring().iter().take(usize::from(rings)) {
            reset.push((ring.status().as_ptr() as usize, idle));
        }
        for (offset, value) in reset {
            dev.write32(offset, value);
        }
        dev
    }

    /// The DMA allocation that starts at device address `iova` (e.g. [`crate::Ring::iova`]), to
    /// write into as the card would.
    pub fn dma(&self, iova: u64) -> Option<MemDma> {
        let allocs = self.dma.lock().expect("MemDevice DMA list poisoned");
        allocs
            .iter()
            .find(|a| a.iova == iova)
            .map(|a| MemDma { mem: a.clone() })
    }
}

impl Default for MemDevice {
    /// One ring.
    fn default() -> Self {
        Self::new(1)
    }
}

/// The card's side of a [`MemDevice`] DMA allocation: writes ticks into slots.
#[derive(Clone)]
pub struct MemDma {
    mem: Arc<HeapDma>,
}

impl MemDma {
    /// Number of 64-byte slots (lines).
    pub fn slots(&self) -> usize {
        self.mem.lines.len()
    }

    /// Write `tick` into slot `slot` as the card's DMA writer makes it visible in the weakest order
    /// the ring protocol allows: words 0..7 with Relaxed stores, then the word holding the validity
    /// word with a Release store.
    ///
    /// # Panics
    /// If `slot` is out of range.
    #[inline]
    pub fn write_tick(&self, slot: usize, tick: &TickRecord) {
        let line = &self.mem.lines[slot].0;
        let bytes = tick.to_bytes();
        let word = |i: usize| {
            u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().expect("8 bytes")).to_le()
        };
        for (i, w) in line.iter().enumerate().take(line.len() - 1) {
            w.store(word(i), Ordering::Relaxed);
        }
        line[line.len() - 1].store(word(line.len() - 1), Ordering::Release);
    }
}

impl Device for MemDevice {
    fn name(&self) -> &str {
        "mem"
    }

    fn bar0_len(&self) -> usize {
        self.regs.len() * 4
    }

    fn read32(&self, offset: usize) -> u32 {
        self.regs[offset / 4].load(Ordering::Acquire)
    }

    fn write32(&self, offset: usize, value: u32) {
        self.regs[offset / 4].store(value, Ordering::Release);
    }

    fn alloc_dma(&self, len: usize) -> Result<DmaRegion, DeviceError> {
        let lines = len.div_ceil(TICK_BYTES).max(1);
        let span = ((lines * TICK_BYTES) as u64).div_ceil(IOVA_ALIGN) * IOVA_ALIGN;
        let iova = self.next_iova.fetch_add(span, Ordering::Relaxed);
        let mem = Arc::new(HeapDma {
            iova,
            lines: (0..lines).map(|_| Line::default()).collect(),
        });
        let ptr = NonNull::from(&mem.lines[0].0[0]);
        self.dma
            .lock()
            .expect("MemDevice DMA list poisoned")
            .push(mem.clone());
        // SAFETY: `lines` is a boxed slice of 64-byte aligned `Line`s (arrays of AtomicU64), so
        // `ptr` is 64-byte aligned and valid for `lines * 64` bytes; the heap block never moves
        // and lives as long as any Arc to it, one of which the region owns. It is only accessed
        // through atomics (the region's and MemDma's).
        Ok(unsafe { DmaRegion::from_raw(ptr, lines * TICK_BYTES, iova, Box::new(mem)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Card;

    #[test]
    fn card_opens_and_ring_consumes_written_ticks() {
        let card = Card::open(MemDevice::new(2)).expect("mem device passes Card::open");
        assert_eq!(card.info().rings, 2);
        let mut ring = card.open_ring(1, 8).unwrap();
        let dma = card.device().dma(ring.iova()).expect("ring memory");
        assert_eq!(dma.slots(), 8);
        assert!(ring.poll().is_none());
        for p in 0..3u32 {
            let mut t = TickRecord::from_bytes(&[0; 64]);
            t.seq = u64::from(p) + 100;
            t.valid = p + 1;
            dma.write_tick(p as usize, &t);
        }
        let seqs: Vec<u64> = std::iter::from_fn(|| ring.poll().map(|t| t.seq)).collect();
        assert_eq!(seqs, [100, 101, 102]);
        // Idle after three ticks: the ring gave them back through CONS.
        assert_eq!(card.ring_status(1).cons, 3);
        let st = card.close_ring(ring, std::time::Duration::from_millis(10)).unwrap();
        assert!(st.idle);
    }
}
