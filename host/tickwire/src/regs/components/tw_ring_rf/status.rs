//! Register: Ring status

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Ring status
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct Status(u32);

unsafe impl Send for Status {}
unsafe impl Sync for Status {}

impl core::default::Default for Status {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for Status {
    type Regwidth = u32;
    type Accesswidth = u32;
    type Access = peakrdl_rust::access::R;
    type ByteEndian = peakrdl_rust::endian::LittleEndian;
    type WordEndian = peakrdl_rust::endian::LittleEndian;

    unsafe fn from_raw(val: Self::Regwidth) -> Self {
        Self(val)
    }

    fn to_raw(self) -> Self::Regwidth {
        self.0
    }
}

impl Status {
    pub const IDLE_OFFSET: usize = 0;
    pub const IDLE_WIDTH: usize = 1;
    pub const IDLE_MASK: u32 = 0x1;

    /// idle
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn idle(&self) -> bool {
        let val = (self.0 >> Self::IDLE_OFFSET) & Self::IDLE_MASK;
        val != 0
    }

    pub const CFG_ERROR_OFFSET: usize = 1;
    pub const CFG_ERROR_WIDTH: usize = 1;
    pub const CFG_ERROR_MASK: u32 = 0x1;

    /// cfg_error
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn cfg_error(&self) -> bool {
        let val = (self.0 >> Self::CFG_ERROR_OFFSET) & Self::CFG_ERROR_MASK;
        val != 0
    }

    pub const DMA_ERROR_OFFSET: usize = 2;
    pub const DMA_ERROR_WIDTH: usize = 1;
    pub const DMA_ERROR_MASK: u32 = 0x1;

    /// dma_error
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn dma_error(&self) -> bool {
        let val = (self.0 >> Self::DMA_ERROR_OFFSET) & Self::DMA_ERROR_MASK;
        val != 0
    }
}

impl core::fmt::Debug for Status {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Status")
            .field("idle", &self.idle())
            .field("cfg_error", &self.cfg_error())
            .field("dma_error", &self.dma_error())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = Status::default();
        assert_eq!(reg.idle(), false);
        assert_eq!(reg.cfg_error(), false);
        assert_eq!(reg.dma_error(), false);
    }
}
