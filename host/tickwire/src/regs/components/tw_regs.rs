//! Addrmap: tickwire card registers

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

// Anonymous component instances
pub mod build_id;
pub mod caps;
pub mod ctrl;
pub mod dma_bad_ring;
pub mod dma_bresp_err;
pub mod dma_writes;
pub mod id;
pub mod mold_err;
pub mod mold_msgs;
pub mod mold_pkts;
pub mod mold_sessions;
pub mod rx_bad_hdr;
pub mod rx_disabled;
pub mod rx_frames;
pub mod rx_mac_err;
pub mod rx_not_udp;
pub mod rx_ring;
pub mod scratch;
pub mod status;
pub mod tick_overflow;
pub mod version;

// Instances of named component types
pub use _root::components::tw_ring_rf as ring;

/// tickwire card registers
///
/// BAR0 of a tickwire card. All registers are 32 bits wide, accessed with aligned 32-bit reads and writes.
#[derive(Eq, PartialEq)]
pub struct TwRegs<'io, IO = peakrdl_rust::io::PtrIO> {
    ptr: *mut u8,
    io: &'io IO,
}

unsafe impl<IO: Sync> Send for TwRegs<'_, IO> {}
unsafe impl<IO: Sync> Sync for TwRegs<'_, IO> {}

// manually implement Copy to ease generic bounds
// (IO does not need to be Copy)
impl<IO> Copy for TwRegs<'_, IO> {}

// manually implement Clone to ease generic bounds
// (IO does not need to be Clone)
impl<IO> Clone for TwRegs<'_, IO> {
    fn clone(&self) -> Self {
        *self
    }
}

impl TwRegs<'static> {
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

impl<'io, IO> TwRegs<'io, IO> {
    /// Size in bytes of the underlying memory
    pub const SIZE: usize = 0x1800;

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

impl<'io, IO: peakrdl_rust::io::RegisterIO> TwRegs<'io, IO> {
    /// Identification
    ///
    /// Reads the ASCII magic 'TKWR' (0x544B5752) on every tickwire card.
    #[inline(always)]
    #[must_use]
    pub const fn id(&self) -> peakrdl_rust::reg::Reg<'io, id::Id, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x0).cast(), self.io)
        }
    }

    /// Register map version
    ///
    /// Major changes when a register moves or changes meaning; minor when registers are added.
    #[inline(always)]
    #[must_use]
    pub const fn version(&self) -> peakrdl_rust::reg::Reg<'io, version::Version, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x4).cast(), self.io)
        }
    }

    /// Build id
    ///
    /// Identifies the bitstream (set by the board shell from its build manifest; 0 in simulation unless set).
    #[inline(always)]
    #[must_use]
    pub const fn build_id(&self) -> peakrdl_rust::reg::Reg<'io, build_id::BuildId, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x8).cast(), self.io)
        }
    }

    /// Capabilities
    ///
    /// rings: DMA rings implemented. rules: flow-filter rules implemented. data_bytes: width of the MAC stream in bytes.
    #[inline(always)]
    #[must_use]
    pub const fn caps(&self) -> peakrdl_rust::reg::Reg<'io, caps::Caps, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0xC).cast(), self.io)
        }
    }

    /// Scratch
    ///
    /// Read/write, no effect: proves the register path works.
    #[inline(always)]
    #[must_use]
    pub const fn scratch(&self) -> peakrdl_rust::reg::Reg<'io, scratch::Scratch, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x10).cast(), self.io)
        }
    }

    /// Card control
    ///
    /// rx_enable: accept frames from the MAC (frames arriving while clear are counted in RX_DISABLED and dropped whole).
    #[inline(always)]
    #[must_use]
    pub const fn ctrl(&self) -> peakrdl_rust::reg::Reg<'io, ctrl::Ctrl, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x14).cast(), self.io)
        }
    }

    /// Card status
    ///
    /// rx_idle: no frame is inside the receive pipeline.
    #[inline(always)]
    #[must_use]
    pub const fn status(&self) -> peakrdl_rust::reg::Reg<'io, status::Status, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x18).cast(), self.io)
        }
    }

    /// Receive ring
    ///
    /// Ring that receives every tick, until the flow filter chooses rings per frame. Read when a tick leaves the clock-crossing FIFO.
    #[inline(always)]
    #[must_use]
    pub const fn rx_ring(&self) -> peakrdl_rust::reg::Reg<'io, rx_ring::RxRing, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x1C).cast(), self.io)
        }
    }

    /// Frames received
    ///
    /// Frames received from the MAC while rx_enable was set.
    #[inline(always)]
    #[must_use]
    pub const fn rx_frames(&self) -> peakrdl_rust::reg::Reg<'io, rx_frames::RxFrames, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x100).cast(), self.io)
        }
    }

    /// Frames dropped: rx disabled
    ///
    /// Frames dropped because rx_enable was clear.
    #[inline(always)]
    #[must_use]
    pub const fn rx_disabled(&self) -> peakrdl_rust::reg::Reg<'io, rx_disabled::RxDisabled, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x104).cast(), self.io)
        }
    }

    /// Frames with MAC error
    ///
    /// Frames whose last beat carried the MAC's error flag.
    #[inline(always)]
    #[must_use]
    pub const fn rx_mac_err(&self) -> peakrdl_rust::reg::Reg<'io, rx_mac_err::RxMacErr, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x108).cast(), self.io)
        }
    }

    /// Frames dropped: not IPv4/UDP
    ///
    /// Frames dropped because they were not IPv4/UDP (ARP, IPv6, other protocols, IPv4 fragments).
    #[inline(always)]
    #[must_use]
    pub const fn rx_not_udp(&self) -> peakrdl_rust::reg::Reg<'io, rx_not_udp::RxNotUdp, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x10C).cast(), self.io)
        }
    }

    /// Frames with a bad header
    ///
    /// Frames with a malformed header or that ended inside the headers (dropped whole), and frames that ended inside their UDP payload (cut-through: messages completed before the cut were delivered; the packet also counts in MOLD_ERR).
    #[inline(always)]
    #[must_use]
    pub const fn rx_bad_hdr(&self) -> peakrdl_rust::reg::Reg<'io, rx_bad_hdr::RxBadHdr, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x110).cast(), self.io)
        }
    }

    /// MoldUDP64 packets
    ///
    /// MoldUDP64 packets parsed.
    #[inline(always)]
    #[must_use]
    pub const fn mold_pkts(&self) -> peakrdl_rust::reg::Reg<'io, mold_pkts::MoldPkts, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x114).cast(), self.io)
        }
    }

    /// MoldUDP64 messages
    ///
    /// MoldUDP64 messages delivered to the tick packer.
    #[inline(always)]
    #[must_use]
    pub const fn mold_msgs(&self) -> peakrdl_rust::reg::Reg<'io, mold_msgs::MoldMsgs, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x118).cast(), self.io)
        }
    }

    /// MoldUDP64 packets cut short
    ///
    /// MoldUDP64 packets cut short: payload shorter than the header, a message block running past the payload, or a message shorter than 8 bytes. Messages before the fault are delivered; the rest of the packet is dropped.
    #[inline(always)]
    #[must_use]
    pub const fn mold_err(&self) -> peakrdl_rust::reg::Reg<'io, mold_err::MoldErr, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x11C).cast(), self.io)
        }
    }

    /// Session records
    ///
    /// Session records emitted (first packet, then every session change).
    #[inline(always)]
    #[must_use]
    pub const fn mold_sessions(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, mold_sessions::MoldSessions, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x120).cast(), self.io)
        }
    }

    /// Ticks dropped: CDC FIFO full
    ///
    /// Ticks dropped because the clock-crossing FIFO was full.
    #[inline(always)]
    #[must_use]
    pub const fn tick_overflow(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, tick_overflow::TickOverflow, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x124).cast(), self.io)
        }
    }

    /// DMA tick writes
    ///
    /// 64-byte tick writes issued on the AXI master.
    #[inline(always)]
    #[must_use]
    pub const fn dma_writes(&self) -> peakrdl_rust::reg::Reg<'io, dma_writes::DmaWrites, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x128).cast(), self.io)
        }
    }

    /// DMA write errors
    ///
    /// AXI write responses with SLVERR or DECERR.
    #[inline(always)]
    #[must_use]
    pub const fn dma_bresp_err(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, dma_bresp_err::DmaBrespErr, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x12C).cast(), self.io)
        }
    }

    /// Ticks for absent rings
    ///
    /// Ticks dropped because RX_RING names a ring this build does not implement (see CAPS.rings).
    #[inline(always)]
    #[must_use]
    pub const fn dma_bad_ring(&self) -> peakrdl_rust::reg::Reg<'io, dma_bad_ring::DmaBadRing, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x130).cast(), self.io)
        }
    }

    /// DMA ring
    ///
    /// One ring of 64-byte tick slots in host memory. The card writes slot PROD mod SLOTS; the host returns space by writing CONS.
    #[inline(always)]
    #[must_use]
    pub const fn ring(&self) -> [ring::TwRingRf<'io, IO>; 32] {
        // SAFETY: We will initialize every element before using the array
        let mut array = [core::mem::MaybeUninit::uninit(); 32];

        let mut i0 = 0;
        while i0 < 32 {
            array[i0].write(unsafe {
                ring::TwRingRf::<IO>::from_ptr_with(
                    self.ptr.wrapping_byte_add(0x1000 + i0 * 0x40).cast(),
                    self.io,
                )
            });
            i0 += 1;
        }

        // SAFETY: All elements have been initialized above
        unsafe { core::mem::transmute(array) }
    }
}
