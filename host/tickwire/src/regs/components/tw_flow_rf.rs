//! Regfile: Flow-filter rules

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

// Instances of named component types
pub use _root::components::tw_rule_rf as rule;

/// Flow-filter rules
///
/// The shadow rule table: 64 rules of 32 bytes.
#[derive(Eq, PartialEq)]
pub struct TwFlowRf<'io, IO = peakrdl_rust::io::PtrIO> {
    ptr: *mut u8,
    io: &'io IO,
}

unsafe impl<IO: Sync> Send for TwFlowRf<'_, IO> {}
unsafe impl<IO: Sync> Sync for TwFlowRf<'_, IO> {}

// manually implement Copy to ease generic bounds
// (IO does not need to be Copy)
impl<IO> Copy for TwFlowRf<'_, IO> {}

// manually implement Clone to ease generic bounds
// (IO does not need to be Clone)
impl<IO> Clone for TwFlowRf<'_, IO> {
    fn clone(&self) -> Self {
        *self
    }
}

impl TwFlowRf<'static> {
    /// # Safety
    ///
    /// The caller must guarantee that the provided address points to a
    /// hardware register block implementing this interface.
    #[inline(always)]
    #[must_use]
    pub const unsafe fn from_ptr(ptr: *mut ()) -> Self {
        Self {
            ptr: ptr.cast::<u8>(),
            io: &peakrdl_rust::io::PtrIO,
        }
    }
}

impl<'io, IO> TwFlowRf<'io, IO> {
    /// Size in bytes of the underlying memory
    pub const SIZE: usize = 0x800;

    /// # Safety
    ///
    /// The caller must guarantee that the provided address points to a
    /// hardware register block implementing this interface.
    #[inline(always)]
    #[must_use]
    pub const unsafe fn from_ptr_with(ptr: *mut (), io: &'io IO) -> Self {
        Self {
            ptr: ptr.cast::<u8>(),
            io,
        }
    }

    #[inline(always)]
    #[must_use]
    pub const fn as_ptr(&self) -> *mut () {
        self.ptr.cast::<()>()
    }
}

impl<'io, IO: peakrdl_rust::io::RegisterIO> TwFlowRf<'io, IO> {
    /// Flow-filter rule
    ///
    /// One rule of the shadow table (reads return the shadow). A frame matches when the rule is valid, its destination IPv4 equals dst_ip, its UDP destination port equals dst_port (or port_any), its VLAN id equals vid (or vlan_any: tagged or not; an exact vid never matches an untagged frame; with two tags the inner one counts), and its source address agrees with src_ip in the top src_prefix_len bits (0: any source). The lowest-numbered matching rule wins. Changes take effect at FLOW_CMD.commit.
    #[inline(always)]
    #[must_use]
    pub const fn rule(&self) -> [rule::TwRuleRf<'io, IO>; 64] {
        // SAFETY: We will initialize every element before using the array
        let mut array = [core::mem::MaybeUninit::uninit(); 64];

        let mut i0 = 0;
        while i0 < 64 {
            array[i0].write(unsafe {
                rule::TwRuleRf::<IO>::from_ptr_with(
                    self.ptr.wrapping_byte_add(0x0 + i0 * 0x20).cast(),
                    self.io,
                )
            });
            i0 += 1;
        }

        // SAFETY: All elements have been initialized above
        unsafe { core::mem::transmute(array) }
    }
}
