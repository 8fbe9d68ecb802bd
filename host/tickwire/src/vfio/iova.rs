//! The IOVA allocator: hands out device addresses inside a window, first fit, aligned.

use std::collections::BTreeMap;

/// First-fit allocator over `[start, end)` with coalescing frees.
#[derive(Debug)]
pub struct IovaAllocator {
    start: u64,
    end: u64,
    /// Free ranges: start → length; never adjacent (frees coalesce).
    free: BTreeMap<u64, u64>,
}

impl IovaAllocator {
    /// An allocator for the window `[start, end)`.
    pub fn new(start: u64, end: u64) -> Self {
        assert!(start < end, "empty IOVA window {start:#x}..{end:#x}");
        let mut free = BTreeMap::new();
        free.insert(start, end - start);
        Self { start, end, free }
    }

    /// The window.
    pub fn window(&self) -> (u64, u64) {
        (self.start, self.end)
    }

    /// Allocate `len` bytes aligned to `align` (a power of two); `None` when nothing fits.
    pub fn alloc(&mut self, len: u64, align: u64) -> Option<u64> {
        assert!(align.is_power_of_two(), "IOVA alignment {align:#x} is not a power of two");
        if len == 0 {
            return None;
        }
        let (fstart, flen, at) = self.free.iter().find_map(|(&fs, &fl)| {
            let at = fs.checked_next_multiple_of(align)?;
            let end = at.checked_add(len)?;
            (end <= fs + fl).then_some((fs, fl, at))
        })?;
        self.free.remove(&fstart);
        if at > fstart {
            self.free.insert(fstart, at - fstart);
        }
        let tail = fstart + flen - (at + len);
        if tail > 0 {
            self.free.insert(at + len, tail);
        }
        Some(at)
    }

    /// Return `[iova, iova + len)`, which must have come from [`alloc`](Self::alloc).
    pub fn free(&mut self, iova: u64, len: u64) {
        assert!(
            iova >= self.start && iova + len <= self.end,
            "IOVA {iova:#x}+{len:#x} outside the window"
        );
        let (mut s, mut l) = (iova, len);
        if let Some((&ps, &pl)) = self.free.range(..iova).next_back() {
            assert!(ps + pl <= iova, "double free of IOVA {iova:#x}");
            if ps + pl == iova {
                self.free.remove(&ps);
                s = ps;
                l += pl;
            }
        }
        if let Some((&ns, &nl)) = self.free.range(iova..).next() {
            assert!(ns >= iova + len, "double free of IOVA {iova:#x}");
            if ns == iova + len {
                self.free.remove(&ns);
                l += nl;
            }
        }
        self.free.insert(s, l);
    }

    /// Bytes free in total.
    pub fn free_bytes(&self) -> u64 {
        self.free.values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M2: u64 = 2 << 20;

    #[test]
    fn aligned_first_fit_and_coalescing() {
        let mut a = IovaAllocator::new(0x1000, 0x1000 + 8 * M2);
        let x = a.alloc(4096, M2).unwrap();
        assert_eq!(x, M2, "first 2 MiB-aligned address in the window");
        let y = a.alloc(M2, M2).unwrap();
        assert_eq!(y, 2 * M2);
        let z = a.alloc(4096, 4096).unwrap();
        assert_eq!(z, 0x1000, "the gap before the first allocation is reused");
        a.free(y, M2);
        a.free(x, 4096);
        a.free(z, 4096);
        assert_eq!(a.free_bytes(), 8 * M2);
        assert_eq!(a.free.len(), 1, "frees coalesce back into one range");
    }

    #[test]
    fn exhaustion_and_reuse() {
        let mut a = IovaAllocator::new(0, 4 * M2);
        let v: Vec<u64> = (0..4).map(|_| a.alloc(M2, M2).unwrap()).collect();
        assert_eq!(v, vec![0, M2, 2 * M2, 3 * M2]);
        assert_eq!(a.alloc(1, 1), None);
        a.free(M2, M2);
        assert_eq!(a.alloc(M2 + 1, 1), None, "a hole of 2 MiB does not fit 2 MiB + 1");
        assert_eq!(a.alloc(M2, M2), Some(M2));
        assert_eq!(a.alloc(0, 1), None);
    }

    #[test]
    fn no_overflow_at_the_top_of_the_address_space() {
        let mut a = IovaAllocator::new(u64::MAX - M2, u64::MAX);
        assert_eq!(a.alloc(M2, M2), None);
        assert!(a.alloc(4096, 4096).is_some());
    }

    #[test]
    #[should_panic(expected = "double free")]
    fn double_free_is_caught() {
        let mut a = IovaAllocator::new(0, 4 * M2);
        let x = a.alloc(M2, M2).unwrap();
        a.free(x, M2);
        a.free(x, M2);
    }
}
