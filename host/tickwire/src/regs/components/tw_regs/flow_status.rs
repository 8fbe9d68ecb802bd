//! Register: Flow filter status

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

/// Flow filter status
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct FlowStatus(u32);

unsafe impl Send for FlowStatus {}
unsafe impl Sync for FlowStatus {}

impl core::default::Default for FlowStatus {
    fn default() -> Self {
        Self(0x0)
    }
}

impl peakrdl_rust::reg::Register for FlowStatus {
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

impl FlowStatus {
    pub const COMMIT_PENDING_OFFSET: usize = 0;
    pub const COMMIT_PENDING_WIDTH: usize = 1;
    pub const COMMIT_PENDING_MASK: u32 = 0x1;

    /// commit_pending
    #[inline(always)]
    #[allow(clippy::missing_panics_doc)]
    #[must_use]
    pub fn commit_pending(&self) -> bool {
        let val = (self.0 >> Self::COMMIT_PENDING_OFFSET) & Self::COMMIT_PENDING_MASK;
        val != 0
    }
}

impl core::fmt::Debug for FlowStatus {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FlowStatus")
            .field("commit_pending", &self.commit_pending())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default() {
        let reg = FlowStatus::default();
        assert_eq!(reg.commit_pending(), false);
    }
}
