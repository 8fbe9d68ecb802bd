// SPDX-License-Identifier: Apache-2.0
//! Host memory as the simulated card sees it: DMA buffers mapped into IOMMU-like windows.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rand::seq::SliceRandom;
use rand::Rng;

use crate::SimError;

/// One 64-byte cache line of a [`DmaBuf`], as eight atomically accessed little-endian u64 words.
#[repr(C, align(64))]
#[derive(Debug, Default)]
pub struct Line(pub [AtomicU64; 8]);

/// DMA-able buffer: 64-byte aligned lines of `AtomicU64`, shared by the simulated card (writer) and
/// the host (reader). The card's writes become visible in the order described in the crate docs
/// (the last word of a write is stored last, with `Release`); the host reads with atomic loads
/// only, `Acquire` on the word it polls. Contents start zeroed.
#[derive(Debug)]
pub struct DmaBuf {
    lines: Box<[Line]>,
}

impl DmaBuf {
    /// A zeroed buffer of `len_bytes` rounded up to a whole number of 64-byte lines (at least one).
    pub fn new(len_bytes: usize) -> Arc<DmaBuf> {
        let n = len_bytes.div_ceil(64).max(1);
        Arc::new(DmaBuf {
            lines: (0..n).map(|_| Line::default()).collect(),
        })
    }

    /// Length in bytes (a multiple of 64).
    pub fn len(&self) -> usize {
        self.lines.len() * 64
    }

    /// Always false: a buffer has at least one line.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The `index`-th u64 word (bytes `8*index .. 8*index+8`). Panics when out of range.
    pub fn word(&self, index: usize) -> &AtomicU64 {
        &self.lines[index / 8].0[index % 8]
    }

    /// The `index`-th 64-byte line.
    pub fn line(&self, index: usize) -> &Line {
        &self.lines[index]
    }

    /// Pointer to word 0; the buffer is `len() / 8` contiguous `AtomicU64`s, 64-byte aligned.
    pub fn as_ptr(&self) -> *const AtomicU64 {
        self.lines.as_ptr().cast()
    }

    /// Copy bytes `offset .. offset + out.len()` out with relaxed loads (a snapshot, for tests and
    /// debugging; not ordered against concurrent writes). Panics when out of range.
    pub fn read_bytes(&self, offset: usize, out: &mut [u8]) {
        assert!(
            offset
                .checked_add(out.len())
                .is_some_and(|e| e <= self.len()),
            "read_bytes out of range"
        );
        for (i, b) in out.iter_mut().enumerate() {
            let a = offset + i;
            *b = self.word(a / 8).load(Ordering::Relaxed).to_le_bytes()[a % 8];
        }
    }

    /// Store bytes with relaxed stores (host-side initialisation, e.g. poisoning a ring).
    pub fn write_bytes(&self, offset: usize, data: &[u8]) {
        assert!(
            offset
                .checked_add(data.len())
                .is_some_and(|e| e <= self.len()),
            "write_bytes out of range"
        );
        for (i, b) in data.iter().enumerate() {
            let a = offset + i;
            let w = self.word(a / 8);
            let mut bytes = w.load(Ordering::Relaxed).to_le_bytes();
            bytes[a % 8] = *b;
            w.store(u64::from_le_bytes(bytes), Ordering::Relaxed);
        }
    }
}

/// A DMA write that hit no mapped window (answered with DECERR on B).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Violation {
    /// AXI start address (`awaddr`).
    pub addr: u64,
    /// Bytes the burst spans.
    pub len: u64,
    /// `clk` cycle at which the write was complete (AW and all W beats accepted).
    pub clk_cycle: u64,
}

#[derive(Debug)]
struct Window {
    iova: u64,
    buf: Arc<DmaBuf>,
}

impl Window {
    fn end(&self) -> u64 {
        self.iova + self.buf.len() as u64
    }
}

/// One u64 word of a write: index in the buffer, data, byte mask (0xff per written byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WordWrite {
    /// Byte address, 8-byte aligned.
    pub addr: u64,
    pub data: u64,
    pub mask: u64,
}

/// Host memory behind the AXI4 write slave, with IOMMU-like windows: a write must fall entirely
/// inside one mapped window, else it is recorded as a [`Violation`] and answered with DECERR.
#[derive(Debug, Default)]
pub struct HostMemory {
    windows: Mutex<Vec<Window>>,
    violations: Mutex<Vec<Violation>>,
    /// Stores accepted from the bus but not yet visible to the host (see `set_visibility_delay`).
    pending: Mutex<BinaryHeap<Reverse<Pending>>>,
    visibility_delay_max: AtomicU32,
    break_ordering: std::sync::atomic::AtomicBool,
    order: AtomicU64,
}

/// One 8-byte store on its way to memory.
#[derive(Debug)]
struct Pending {
    due: u64,
    order: u64,
    buf: Arc<DmaBuf>,
    win_iova: u64,
    addr: u64,
    data: u64,
    mask: u64,
    release: bool,
}

impl PartialEq for Pending {
    fn eq(&self, o: &Self) -> bool {
        (self.due, self.order) == (o.due, o.order)
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Pending {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.due, self.order).cmp(&(o.due, o.order))
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere (e.g. a failed assertion in a host thread) must not hide the memory state.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl HostMemory {
    pub fn new() -> Arc<HostMemory> {
        Arc::new(HostMemory::default())
    }

    /// Map `buf` at I/O virtual address `iova` (64-byte aligned). Overlapping windows are an error.
    pub fn map(&self, iova: u64, buf: Arc<DmaBuf>) -> Result<(), SimError> {
        let len = buf.len() as u64;
        if !iova.is_multiple_of(64) {
            return Err(SimError::WindowInvalid {
                iova,
                len,
                reason: "not 64-byte aligned",
            });
        }
        if iova.checked_add(len).is_none() {
            return Err(SimError::WindowInvalid {
                iova,
                len,
                reason: "wraps around the address space",
            });
        }
        let mut w = lock(&self.windows);
        if let Some(o) = w.iter().find(|o| iova < o.end() && o.iova < iova + len) {
            return Err(SimError::WindowOverlap {
                iova,
                len,
                other_iova: o.iova,
                other_len: o.buf.len() as u64,
            });
        }
        w.push(Window { iova, buf });
        Ok(())
    }

    /// Remove the window that starts at `iova` and hand its buffer back. Later writes there are
    /// violations.
    pub fn unmap(&self, iova: u64) -> Result<Arc<DmaBuf>, SimError> {
        let mut w = lock(&self.windows);
        let i = w
            .iter()
            .position(|o| o.iova == iova)
            .ok_or(SimError::NotMapped { iova })?;
        Ok(w.swap_remove(i).buf)
    }

    /// The mapped windows as `(iova, len)`, in no particular order.
    pub fn windows(&self) -> Vec<(u64, u64)> {
        lock(&self.windows)
            .iter()
            .map(|o| (o.iova, o.buf.len() as u64))
            .collect()
    }

    /// Every write so far that hit no window.
    pub fn violations(&self) -> Vec<Violation> {
        lock(&self.violations).clone()
    }

    /// Number of violations so far.
    pub fn violation_count(&self) -> usize {
        lock(&self.violations).len()
    }

    /// Make writes visible to the host only after random delays of up to `max_cycles` clk cycles
    /// per 8-byte word (0, the default: at once), within the ordering assumption: the last word of
    /// a write becomes visible no earlier than the others. Pending stores land as the clock runs
    /// ([`advance`](Self::advance)) and all of them before a CSR read completes
    /// ([`flush`](Self::flush)), as PCIe completions do not pass posted writes.
    pub fn set_visibility_delay(&self, max_cycles: u32) {
        self.visibility_delay_max.store(max_cycles, Ordering::Relaxed);
    }

    /// Negative control for tests only: with delayed visibility on, make the last word of every
    /// write land *first*, breaking the ordering assumption. A correct host must then be caught
    /// reading torn records; a test that cannot catch this proves nothing.
    pub fn set_break_ordering(&self, on: bool) {
        self.break_ordering.store(on, Ordering::Relaxed);
    }

    fn pending_store(&self, w: &WordWrite, due: u64, win: &Window, release: bool) -> Pending {
        Pending {
            due,
            order: self.order.fetch_add(1, Ordering::Relaxed),
            buf: win.buf.clone(),
            win_iova: win.iova,
            addr: w.addr,
            data: w.data,
            mask: w.mask,
            release,
        }
    }

    /// True while stores are still on their way to memory.
    pub fn has_pending(&self) -> bool {
        !lock(&self.pending).is_empty()
    }

    /// Land every pending store due at or before `clk_cycle`.
    pub fn advance(&self, clk_cycle: u64) {
        self.land(|p| p.due <= clk_cycle, clk_cycle);
    }

    /// Land every pending store now.
    pub fn flush(&self, clk_cycle: u64) {
        self.land(|_| true, clk_cycle);
    }

    fn land(&self, due: impl Fn(&Pending) -> bool, clk_cycle: u64) {
        let mut pending = lock(&self.pending);
        while pending.peek().is_some_and(|Reverse(p)| due(p)) {
            let Reverse(p) = pending.pop().expect("peeked");
            // The window must still be mapped: a store that lands after unmap is a violation.
            let mapped = lock(&self.windows).iter().any(|w| w.iova == p.win_iova && Arc::ptr_eq(&w.buf, &p.buf));
            if !mapped {
                lock(&self.violations).push(Violation { addr: p.addr, len: 8, clk_cycle });
                continue;
            }
            let cell = p.buf.word(((p.addr - p.win_iova) / 8) as usize);
            let v = if p.mask == u64::MAX { p.data } else { (cell.load(Ordering::Relaxed) & !p.mask) | (p.data & p.mask) };
            cell.store(v, if p.release { Ordering::Release } else { Ordering::Relaxed });
        }
    }

    /// Perform one complete AXI write spanning `[start, start+len)` made of `words`: if the span
    /// lies inside one window, store the words (all but the last in random order with Relaxed
    /// stores, then the highest-addressed one with Release) and return true; else record a
    /// violation and return false.
    pub(crate) fn write<R: Rng>(
        &self,
        start: u64,
        len: u64,
        words: &mut [WordWrite],
        clk_cycle: u64,
        rng: &mut R,
    ) -> bool {
        let windows = lock(&self.windows);
        let end = start.checked_add(len);
        let win = end.and_then(|end| windows.iter().find(|o| o.iova <= start && end <= o.end()));
        let Some(win) = win else {
            drop(windows);
            lock(&self.violations).push(Violation {
                addr: start,
                len,
                clk_cycle,
            });
            return false;
        };
        if words.is_empty() {
            return true;
        }
        // Highest address last (Release), the rest shuffled (Relaxed).
        words.sort_by_key(|w| w.addr);
        let (last, rest) = words.split_last_mut().expect("non-empty");
        rest.shuffle(rng);
        let delay_max = self.visibility_delay_max.load(Ordering::Relaxed);
        if delay_max > 0 {
            // Delayed visibility: each of the other words lands after its own random delay; the
            // highest-addressed word lands no earlier than the latest of them (the ordering
            // assumption, and nothing stronger).
            let mut pending = lock(&self.pending);
            let mut latest = clk_cycle;
            for w in rest.iter() {
                let due = clk_cycle + u64::from(rng.random_range(0..=delay_max));
                latest = latest.max(due);
                pending.push(Reverse(self.pending_store(w, due, win, false)));
            }
            let mut due = latest + u64::from(rng.random_range(0..=delay_max / 4));
            if self.break_ordering.load(Ordering::Relaxed) {
                due = clk_cycle; // negative control: the last word lands first
            }
            pending.push(Reverse(self.pending_store(last, due, win, true)));
            return true;
        }
        let store = |w: &WordWrite, order: Ordering| {
            let idx = ((w.addr - win.iova) / 8) as usize;
            let cell = win.buf.word(idx);
            let v = if w.mask == u64::MAX {
                w.data
            } else {
                (cell.load(Ordering::Relaxed) & !w.mask) | (w.data & w.mask)
            };
            cell.store(v, order);
        };
        for w in rest.iter() {
            store(w, Ordering::Relaxed);
        }
        store(last, Ordering::Release);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn line_write(addr: u64, fill: u8) -> Vec<WordWrite> {
        (0..8)
            .map(|i| WordWrite {
                addr: addr + 8 * i,
                data: u64::from_le_bytes([fill; 8]),
                mask: u64::MAX,
            })
            .collect()
    }

    #[test]
    fn windows_reject_overlap_and_misalignment() {
        let m = HostMemory::new();
        m.map(0x1000, DmaBuf::new(4096)).unwrap();
        assert!(matches!(
            m.map(0x1fc0, DmaBuf::new(64)),
            Err(SimError::WindowOverlap { .. })
        ));
        assert!(matches!(
            m.map(0x0fc0, DmaBuf::new(128)),
            Err(SimError::WindowOverlap { .. })
        ));
        assert!(matches!(
            m.map(0x2008, DmaBuf::new(64)),
            Err(SimError::WindowInvalid { .. })
        ));
        assert!(matches!(
            m.map(u64::MAX - 63, DmaBuf::new(128)),
            Err(SimError::WindowInvalid { .. })
        ));
        m.map(0x2000, DmaBuf::new(64)).unwrap();
        m.map(0x0fc0, DmaBuf::new(64)).unwrap();
        assert!(matches!(
            m.unmap(0x1040),
            Err(SimError::NotMapped { iova: 0x1040 })
        ));
        assert_eq!(m.unmap(0x1000).unwrap().len(), 4096);
        m.map(0x1000, DmaBuf::new(64)).unwrap();
    }

    #[test]
    fn write_lands_inside_and_is_refused_outside() {
        let m = HostMemory::new();
        let b = DmaBuf::new(256);
        m.map(0x10000, b.clone()).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert!(m.write(0x10040, 64, &mut line_write(0x10040, 0xab), 5, &mut rng));
        assert_eq!(b.word(8).load(Ordering::Acquire), 0xabab_abab_abab_abab);
        assert_eq!(b.word(15).load(Ordering::Acquire), 0xabab_abab_abab_abab);
        assert_eq!(b.word(7).load(Ordering::Acquire), 0);
        // Straddles the end of the window.
        assert!(!m.write(0x100c0, 128, &mut line_write(0x100c0, 1), 6, &mut rng));
        // Before it.
        assert!(!m.write(0xffc0, 64, &mut line_write(0xffc0, 1), 7, &mut rng));
        assert_eq!(
            m.violations(),
            vec![
                Violation {
                    addr: 0x100c0,
                    len: 128,
                    clk_cycle: 6
                },
                Violation {
                    addr: 0xffc0,
                    len: 64,
                    clk_cycle: 7
                }
            ]
        );
        assert_eq!(
            b.word(24).load(Ordering::Relaxed),
            0,
            "refused write left no trace"
        );
        // Unmapped: the same address is now a violation and the buffer is untouched.
        let back = m.unmap(0x10000).unwrap();
        assert!(Arc::ptr_eq(&back, &b));
        assert!(!m.write(0x10000, 64, &mut line_write(0x10000, 0xcd), 8, &mut rng));
        assert_eq!(b.word(0).load(Ordering::Relaxed), 0);
        assert_eq!(m.violation_count(), 3);
    }

    #[test]
    fn partial_strobes_merge_bytes() {
        let m = HostMemory::new();
        let b = DmaBuf::new(64);
        m.map(0, b.clone()).unwrap();
        b.word(1).store(0x1111_1111_1111_1111, Ordering::Relaxed);
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut w = [WordWrite {
            addr: 8,
            data: 0xaaaa_bbbb_cccc_dddd,
            mask: 0x0000_0000_ffff_00ff,
        }];
        assert!(m.write(8, 8, &mut w, 0, &mut rng));
        assert_eq!(b.word(1).load(Ordering::Relaxed), 0x1111_1111_cccc_11dd);
    }

    #[test]
    fn dmabuf_rounds_up_and_is_aligned() {
        let b = DmaBuf::new(100);
        assert_eq!(b.len(), 128);
        assert_eq!(b.as_ptr() as usize % 64, 0);
        b.write_bytes(60, &[1, 2, 3, 4, 5]);
        let mut out = [0u8; 6];
        b.read_bytes(59, &mut out);
        assert_eq!(out, [0, 1, 2, 3, 4, 5]);
        assert_eq!(DmaBuf::new(0).len(), 64);
    }
}
