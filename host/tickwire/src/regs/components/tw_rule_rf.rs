//! Regfile: Flow-filter rule

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

// Anonymous component instances
pub mod action;
pub mod dst_ip;
pub mod hits;
pub mod r#match;
pub mod port_vlan;
pub mod src_ip;

/// Flow-filter rule
///
/// One rule of the shadow table (reads return the shadow). A frame matches when the rule is valid, its destination IPv4 equals dst_ip, its UDP destination port equals dst_port (or port_any), its VLAN id equals vid (or vlan_any: tagged or not; an exact vid never matches an untagged frame; with two tags the inner one counts), and its source address agrees with src_ip in the top src_prefix_len bits (0: any source). The lowest-numbered matching rule wins. Changes take effect at FLOW_CMD.commit.
#[derive(Eq, PartialEq)]
pub struct TwRuleRf<'io, IO = peakrdl_rust::io::PtrIO> {
    ptr: *mut u8,
    io: &'io IO,
}

unsafe impl<IO: Sync> Send for TwRuleRf<'_, IO> {}
unsafe impl<IO: Sync> Sync for TwRuleRf<'_, IO> {}

// manually implement Copy to ease generic bounds
// (IO does not need to be Copy)
impl<IO> Copy for TwRuleRf<'_, IO> {}

// manually implement Clone to ease generic bounds
// (IO does not need to be Clone)
impl<IO> Clone for TwRuleRf<'_, IO> {
    fn clone(&self) -> Self {
        *self
    }
}

impl TwRuleRf<'static> {
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

impl<'io, IO> TwRuleRf<'io, IO> {
    /// Size in bytes of the underlying memory
    pub const SIZE: usize = 0x18;

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

impl<'io, IO: peakrdl_rust::io::RegisterIO> TwRuleRf<'io, IO> {
    /// Destination IPv4
    #[inline(always)]
    #[must_use]
    pub const fn dst_ip(&self) -> peakrdl_rust::reg::Reg<'io, dst_ip::DstIp, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x0).cast(), self.io)
        }
    }

    /// Source IPv4 prefix
    #[inline(always)]
    #[must_use]
    pub const fn src_ip(&self) -> peakrdl_rust::reg::Reg<'io, src_ip::SrcIp, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x4).cast(), self.io)
        }
    }

    /// Port and VLAN
    #[inline(always)]
    #[must_use]
    pub const fn port_vlan(&self) -> peakrdl_rust::reg::Reg<'io, port_vlan::PortVlan, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x8).cast(), self.io)
        }
    }

    /// Match control
    #[inline(always)]
    #[must_use]
    pub const fn r#match(&self) -> peakrdl_rust::reg::Reg<'io, r#match::Match, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0xC).cast(), self.io)
        }
    }

    /// Action
    ///
    /// deliver (1) with feed, line (0 = A, 1 = B) and ring, or drop (0).
    #[inline(always)]
    #[must_use]
    pub const fn action(&self) -> peakrdl_rust::reg::Reg<'io, action::Action, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x10).cast(), self.io)
        }
    }

    /// Hits
    ///
    /// Frames that matched this rule in the active table (wraps).
    #[inline(always)]
    #[must_use]
    pub const fn hits(&self) -> peakrdl_rust::reg::Reg<'io, hits::Hits, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x14).cast(), self.io)
        }
    }
}
