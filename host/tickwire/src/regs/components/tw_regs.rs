//! Addrmap: tickwire card registers

#[allow(unused_imports)]
use super::_root; // alias to root module of generated code

// Anonymous component instances
pub mod build_id;
pub mod caps;
pub mod clock_cmd;
pub mod clock_cmd_dropped;
pub mod clock_inc_cur_frac;
pub mod clock_inc_cur_ns;
pub mod clock_inc_frac;
pub mod clock_inc_nom_frac;
pub mod clock_inc_nom_ns;
pub mod clock_inc_ns;
pub mod clock_set_hi;
pub mod clock_set_lo;
pub mod clock_status;
pub mod clock_step_hi;
pub mod clock_step_lo;
pub mod clock_time_hi;
pub mod clock_time_lo;
pub mod ctrl;
pub mod dma_bad_ring;
pub mod dma_bresp_err;
pub mod dma_writes;
pub mod flow_cmd;
pub mod flow_default;
pub mod flow_drops;
pub mod flow_events_lost;
pub mod flow_misses;
pub mod flow_status;
pub mod flow_version;
pub mod flow_wr_rejected;
pub mod id;
pub mod itch_filtered;
pub mod itch_len_err;
pub mod itch_unknown;
pub mod locate_addr;
pub mod locate_data;
pub mod max_frame;
pub mod mold_count_err;
pub mod mold_err;
pub mod mold_msgs;
pub mod mold_pkts;
pub mod mold_sessions;
pub mod rx_accepted;
pub mod rx_bad_verdict;
pub mod rx_disabled;
pub mod rx_fragment;
pub mod rx_frames;
pub mod rx_ip_csum;
pub mod rx_ip_hdr;
pub mod rx_ip_len;
pub mod rx_mac_err;
pub mod rx_not_ipv4;
pub mod rx_not_udp;
pub mod rx_runt;
pub mod rx_too_long;
pub mod rx_trunc;
pub mod rx_udp_csum;
pub mod rx_udp_long;
pub mod rx_udp_short;
pub mod scratch;
pub mod seq_dups;
pub mod seq_gaps;
pub mod seq_late;
pub mod status;
pub mod tick_overflow;
pub mod version;

// Instances of named component types
pub use _root::components::tw_flow_rf as flow;
pub use _root::components::tw_hist_rf as hist;
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
    pub const SIZE: usize = 0x4000;

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
    /// rx_enable: accept frames from the MAC (frames arriving while clear are counted in RX_DISABLED and dropped whole). hold: hold mode, deliver a frame's ticks only once its verdict is known and only if it is good (bad frames deliver nothing; costs latency, see docs/architecture.md); clear: cut-through, ticks leave as their messages complete and the frame's last tick carries its verdict (FRAME_END, FRAME_BAD). Change hold only while rx_enable is clear and STATUS.rx_idle is set. drop_unknown: drop messages whose type is none of ITCH 5.0's 23 (they are counted in ITCH_UNKNOWN either way); clear: deliver them raw, flagged RAW.
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

    /// Maximum frame length
    ///
    /// Longest frame accepted, in bytes without the FCS (0: no limit). Longer frames are counted in RX_TOO_LONG: dropped whole when found before the UDP payload, else ended there and delivered with a bad verdict. The default fits two VLAN tags and a 1500-byte IP MTU.
    #[inline(always)]
    #[must_use]
    pub const fn max_frame(&self) -> peakrdl_rust::reg::Reg<'io, max_frame::MaxFrame, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x1C).cast(), self.io)
        }
    }

    /// Card clock, low word
    ///
    /// Card time in ns, bits 31:0, from a snapshot refreshed continuously across the clock crossing (see docs/architecture.md, card clock, for how old it can be). Reading it latches bits 63:32 of the same snapshot into CLOCK_TIME_HI: read LO, then HI.
    #[inline(always)]
    #[must_use]
    pub const fn clock_time_lo(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, clock_time_lo::ClockTimeLo, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x40).cast(), self.io)
        }
    }

    /// Card clock, high word
    ///
    /// Bits 63:32 of the time latched by the last CLOCK_TIME_LO read.
    #[inline(always)]
    #[must_use]
    pub const fn clock_time_hi(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, clock_time_hi::ClockTimeHi, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x44).cast(), self.io)
        }
    }

    /// Clock set value, low word
    ///
    /// Operand of CLOCK_CMD.set: the new time in ns.
    #[inline(always)]
    #[must_use]
    pub const fn clock_set_lo(&self) -> peakrdl_rust::reg::Reg<'io, clock_set_lo::ClockSetLo, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x48).cast(), self.io)
        }
    }

    /// Clock set value, high word
    #[inline(always)]
    #[must_use]
    pub const fn clock_set_hi(&self) -> peakrdl_rust::reg::Reg<'io, clock_set_hi::ClockSetHi, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x4C).cast(), self.io)
        }
    }

    /// Clock step, low word
    ///
    /// Operand of CLOCK_CMD.step: ns to add, two's complement (64 bits with CLOCK_STEP_HI).
    #[inline(always)]
    #[must_use]
    pub const fn clock_step_lo(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, clock_step_lo::ClockStepLo, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x50).cast(), self.io)
        }
    }

    /// Clock step, high word
    #[inline(always)]
    #[must_use]
    pub const fn clock_step_hi(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, clock_step_hi::ClockStepHi, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x54).cast(), self.io)
        }
    }

    /// Clock increment, fraction
    ///
    /// Operand of CLOCK_CMD.inc: ns added per rx_clk cycle, fraction bits (units of 2^-32 ns). The driver computes it from a frequency correction in ppb and CLOCK_INC_NOM.
    #[inline(always)]
    #[must_use]
    pub const fn clock_inc_frac(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, clock_inc_frac::ClockIncFrac, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x58).cast(), self.io)
        }
    }

    /// Clock increment, whole ns
    #[inline(always)]
    #[must_use]
    pub const fn clock_inc_ns(&self) -> peakrdl_rust::reg::Reg<'io, clock_inc_ns::ClockIncNs, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x5C).cast(), self.io)
        }
    }

    /// Clock command
    ///
    /// Write 1 to a bit to issue the command with its operand registers: set (time := CLOCK_SET), step (time += CLOCK_STEP), inc (increment := CLOCK_INC). The command crosses to the rx_clk domain; wait for CLOCK_STATUS.busy to clear before the next one and before changing its operands.
    #[inline(always)]
    #[must_use]
    pub const fn clock_cmd(&self) -> peakrdl_rust::reg::Reg<'io, clock_cmd::ClockCmd, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x60).cast(), self.io)
        }
    }

    /// Clock status
    ///
    /// busy: a command is on its way to the rx_clk domain.
    #[inline(always)]
    #[must_use]
    pub const fn clock_status(&self) -> peakrdl_rust::reg::Reg<'io, clock_status::ClockStatus, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x64).cast(), self.io)
        }
    }

    /// Clock increment in effect, fraction
    #[inline(always)]
    #[must_use]
    pub const fn clock_inc_cur_frac(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, clock_inc_cur_frac::ClockIncCurFrac, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x68).cast(), self.io)
        }
    }

    /// Clock increment in effect, whole ns
    #[inline(always)]
    #[must_use]
    pub const fn clock_inc_cur_ns(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, clock_inc_cur_ns::ClockIncCurNs, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x6C).cast(), self.io)
        }
    }

    /// Nominal clock increment, fraction
    ///
    /// The rx_clk period this build was made for (the increment after reset), fraction bits.
    #[inline(always)]
    #[must_use]
    pub const fn clock_inc_nom_frac(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, clock_inc_nom_frac::ClockIncNomFrac, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x70).cast(), self.io)
        }
    }

    /// Nominal clock increment, whole ns
    #[inline(always)]
    #[must_use]
    pub const fn clock_inc_nom_ns(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, clock_inc_nom_ns::ClockIncNomNs, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x74).cast(), self.io)
        }
    }

    /// Clock commands ignored
    ///
    /// Clock commands written while CLOCK_STATUS.busy was set (ignored), or that lost to another command written in the same cycle (set beats step beats inc).
    #[inline(always)]
    #[must_use]
    pub const fn clock_cmd_dropped(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, clock_cmd_dropped::ClockCmdDropped, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x78).cast(), self.io)
        }
    }

    /// Flow filter: default action
    ///
    /// What a frame matching no rule gets: deliver (1) with feed, line and ring, or drop (0). Part of the shadow table: takes effect at the next FLOW_CMD.commit.
    #[inline(always)]
    #[must_use]
    pub const fn flow_default(&self) -> peakrdl_rust::reg::Reg<'io, flow_default::FlowDefault, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x80).cast(), self.io)
        }
    }

    /// Flow filter command
    ///
    /// commit: copy the shadow table (FLOW.RULE[*] and FLOW_DEFAULT) into the active table, between two frames: every frame sees one whole table version. Wait for FLOW_STATUS.commit_pending to clear before writing the shadow again.
    #[inline(always)]
    #[must_use]
    pub const fn flow_cmd(&self) -> peakrdl_rust::reg::Reg<'io, flow_cmd::FlowCmd, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x84).cast(), self.io)
        }
    }

    /// Flow filter status
    #[inline(always)]
    #[must_use]
    pub const fn flow_status(&self) -> peakrdl_rust::reg::Reg<'io, flow_status::FlowStatus, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x88).cast(), self.io)
        }
    }

    /// Flow filter version
    ///
    /// Commits applied since reset.
    #[inline(always)]
    #[must_use]
    pub const fn flow_version(&self) -> peakrdl_rust::reg::Reg<'io, flow_version::FlowVersion, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x8C).cast(), self.io)
        }
    }

    /// Flow-filter writes rejected
    ///
    /// Writes to the shadow table (FLOW.RULE[*]) made while a commit was pending: not applied.
    #[inline(always)]
    #[must_use]
    pub const fn flow_wr_rejected(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, flow_wr_rejected::FlowWrRejected, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x90).cast(), self.io)
        }
    }

    /// Flow-filter hit events lost
    ///
    /// Rule-hit events lost on their way to the hit counters (the crossing FIFO was full; cannot happen with frames of at least 8 beats).
    #[inline(always)]
    #[must_use]
    pub const fn flow_events_lost(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, flow_events_lost::FlowEventsLost, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x94).cast(), self.io)
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
    /// Frames whose last beat carried the MAC's error flag (whatever else happened to them).
    #[inline(always)]
    #[must_use]
    pub const fn rx_mac_err(&self) -> peakrdl_rust::reg::Reg<'io, rx_mac_err::RxMacErr, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x108).cast(), self.io)
        }
    }

    /// Frames dropped: runt
    ///
    /// Frames shorter than 60 bytes (without FCS).
    #[inline(always)]
    #[must_use]
    pub const fn rx_runt(&self) -> peakrdl_rust::reg::Reg<'io, rx_runt::RxRunt, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x10C).cast(), self.io)
        }
    }

    /// Frames dropped: not IPv4
    ///
    /// EtherType not IPv4 after at most two VLAN tags (ARP, IPv6, a third tag, ...).
    #[inline(always)]
    #[must_use]
    pub const fn rx_not_ipv4(&self) -> peakrdl_rust::reg::Reg<'io, rx_not_ipv4::RxNotIpv4, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x110).cast(), self.io)
        }
    }

    /// Frames dropped: bad IPv4 header
    ///
    /// IPv4 version not 4, or IHL below 5.
    #[inline(always)]
    #[must_use]
    pub const fn rx_ip_hdr(&self) -> peakrdl_rust::reg::Reg<'io, rx_ip_hdr::RxIpHdr, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x114).cast(), self.io)
        }
    }

    /// Frames dropped: IPv4 checksum
    ///
    /// IPv4 header checksum wrong.
    #[inline(always)]
    #[must_use]
    pub const fn rx_ip_csum(&self) -> peakrdl_rust::reg::Reg<'io, rx_ip_csum::RxIpCsum, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x118).cast(), self.io)
        }
    }

    /// Frames dropped: IPv4 length
    ///
    /// IPv4 total length too small for the IPv4 and UDP headers.
    #[inline(always)]
    #[must_use]
    pub const fn rx_ip_len(&self) -> peakrdl_rust::reg::Reg<'io, rx_ip_len::RxIpLen, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x11C).cast(), self.io)
        }
    }

    /// Frames dropped: IPv4 fragment
    ///
    /// IPv4 fragments (MF set or a non-zero offset).
    #[inline(always)]
    #[must_use]
    pub const fn rx_fragment(&self) -> peakrdl_rust::reg::Reg<'io, rx_fragment::RxFragment, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x120).cast(), self.io)
        }
    }

    /// Frames dropped: not UDP
    ///
    /// IPv4 protocol not UDP.
    #[inline(always)]
    #[must_use]
    pub const fn rx_not_udp(&self) -> peakrdl_rust::reg::Reg<'io, rx_not_udp::RxNotUdp, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x124).cast(), self.io)
        }
    }

    /// Frames dropped: UDP length too long
    ///
    /// UDP length greater than the IPv4 payload.
    #[inline(always)]
    #[must_use]
    pub const fn rx_udp_long(&self) -> peakrdl_rust::reg::Reg<'io, rx_udp_long::RxUdpLong, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x128).cast(), self.io)
        }
    }

    /// Frames dropped: UDP length too short
    ///
    /// UDP length less than the IPv4 payload (including below 8), and empty datagrams.
    #[inline(always)]
    #[must_use]
    pub const fn rx_udp_short(&self) -> peakrdl_rust::reg::Reg<'io, rx_udp_short::RxUdpShort, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x12C).cast(), self.io)
        }
    }

    /// Frames truncated
    ///
    /// Frames that ended before their IPv4 datagram did: inside the headers (dropped whole) or inside the UDP payload (cut-through: verdict bad).
    #[inline(always)]
    #[must_use]
    pub const fn rx_trunc(&self) -> peakrdl_rust::reg::Reg<'io, rx_trunc::RxTrunc, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x130).cast(), self.io)
        }
    }

    /// Frames too long
    ///
    /// Frames longer than MAX_FRAME.
    #[inline(always)]
    #[must_use]
    pub const fn rx_too_long(&self) -> peakrdl_rust::reg::Reg<'io, rx_too_long::RxTooLong, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x134).cast(), self.io)
        }
    }

    /// Frames with a bad UDP checksum
    ///
    /// Non-zero UDP checksum wrong (found at the end of the datagram: verdict bad).
    #[inline(always)]
    #[must_use]
    pub const fn rx_udp_csum(&self) -> peakrdl_rust::reg::Reg<'io, rx_udp_csum::RxUdpCsum, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x138).cast(), self.io)
        }
    }

    /// Frames accepted by the header parser
    ///
    /// IPv4/UDP frames whose headers passed every check (before the flow filter).
    #[inline(always)]
    #[must_use]
    pub const fn rx_accepted(&self) -> peakrdl_rust::reg::Reg<'io, rx_accepted::RxAccepted, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x13C).cast(), self.io)
        }
    }

    /// Frames dropped by the flow filter
    ///
    /// Accepted frames that matched a drop rule, or no rule with the default action drop.
    #[inline(always)]
    #[must_use]
    pub const fn flow_drops(&self) -> peakrdl_rust::reg::Reg<'io, flow_drops::FlowDrops, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x140).cast(), self.io)
        }
    }

    /// Frames matching no rule
    ///
    /// Accepted frames that matched no rule (whatever the default action).
    #[inline(always)]
    #[must_use]
    pub const fn flow_misses(&self) -> peakrdl_rust::reg::Reg<'io, flow_misses::FlowMisses, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x144).cast(), self.io)
        }
    }

    /// Frames with a bad verdict
    ///
    /// Frames that reached the MoldUDP64 deframer and turned out bad (MAC error, UDP checksum, truncated, too long, or MoldUDP64 packet cut short): in cut-through their ticks went out flagged FRAME_BAD; in hold mode they were discarded.
    #[inline(always)]
    #[must_use]
    pub const fn rx_bad_verdict(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, rx_bad_verdict::RxBadVerdict, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x148).cast(), self.io)
        }
    }

    /// MoldUDP64 packets
    ///
    /// MoldUDP64 packets parsed.
    #[inline(always)]
    #[must_use]
    pub const fn mold_pkts(&self) -> peakrdl_rust::reg::Reg<'io, mold_pkts::MoldPkts, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x14C).cast(), self.io)
        }
    }

    /// MoldUDP64 messages
    ///
    /// MoldUDP64 messages delivered to the tick packer.
    #[inline(always)]
    #[must_use]
    pub const fn mold_msgs(&self) -> peakrdl_rust::reg::Reg<'io, mold_msgs::MoldMsgs, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x150).cast(), self.io)
        }
    }

    /// MoldUDP64 packets cut short
    ///
    /// MoldUDP64 packets cut short: payload shorter than the header, a message block running past the payload, or a message shorter than 8 bytes. Messages before the fault are delivered; the rest of the packet is dropped.
    #[inline(always)]
    #[must_use]
    pub const fn mold_err(&self) -> peakrdl_rust::reg::Reg<'io, mold_err::MoldErr, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x154).cast(), self.io)
        }
    }

    /// New sessions
    ///
    /// Event records reporting NEW_SESSION: a feed's first packet since receive was enabled, or a change of its MoldUDP64 session (counted when made, also in frames that turn out bad).
    #[inline(always)]
    #[must_use]
    pub const fn mold_sessions(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, mold_sessions::MoldSessions, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x158).cast(), self.io)
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
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x15C).cast(), self.io)
        }
    }

    /// DMA tick writes
    ///
    /// 64-byte tick writes issued on the AXI master.
    #[inline(always)]
    #[must_use]
    pub const fn dma_writes(&self) -> peakrdl_rust::reg::Reg<'io, dma_writes::DmaWrites, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x160).cast(), self.io)
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
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x164).cast(), self.io)
        }
    }

    /// Ticks for absent rings
    ///
    /// Ticks that reached the DMA writer for a ring this build does not implement (see CAPS.rings); a safety net that stays 0: the flow filter already turns an action naming such a ring into a drop (counted in FLOW_DROPS).
    #[inline(always)]
    #[must_use]
    pub const fn dma_bad_ring(&self) -> peakrdl_rust::reg::Reg<'io, dma_bad_ring::DmaBadRing, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x168).cast(), self.io)
        }
    }

    /// Duplicate messages
    ///
    /// MoldUDP64 messages dropped because their sequence number is below the next one their feed expects and outside the feed's open gap: the other line's copy of a message already delivered (counted when seen, also in frames that turn out bad).
    #[inline(always)]
    #[must_use]
    pub const fn seq_dups(&self) -> peakrdl_rust::reg::Reg<'io, seq_dups::SeqDups, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x16C).cast(), self.io)
        }
    }

    /// Sequence gaps
    ///
    /// Event records reporting GAP: a packet's sequence number was past the next one its feed expected (counted when made, also in frames that turn out bad). The missing range is in the record.
    #[inline(always)]
    #[must_use]
    pub const fn seq_gaps(&self) -> peakrdl_rust::reg::Reg<'io, seq_gaps::SeqGaps, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x170).cast(), self.io)
        }
    }

    /// MoldUDP64 count mismatches
    ///
    /// MoldUDP64 packets whose blocks are well formed but do not number message_count (0 for an end of session): the frame's verdict is bad.
    #[inline(always)]
    #[must_use]
    pub const fn mold_count_err(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, mold_count_err::MoldCountErr, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x174).cast(), self.io)
        }
    }

    /// Late fills
    ///
    /// MoldUDP64 messages delivered late, flagged LATE: the other line's copy of a message that its feed had reported missing in a gap event (counted when made, also in frames that turn out bad).
    #[inline(always)]
    #[must_use]
    pub const fn seq_late(&self) -> peakrdl_rust::reg::Reg<'io, seq_late::SeqLate, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x178).cast(), self.io)
        }
    }

    /// Unknown ITCH message types
    ///
    /// Messages (not duplicates) whose type byte is none of ITCH 5.0's 23: delivered raw, flagged RAW, or dropped if CTRL.drop_unknown (counted when made, also in frames that turn out bad).
    #[inline(always)]
    #[must_use]
    pub const fn itch_unknown(&self) -> peakrdl_rust::reg::Reg<'io, itch_unknown::ItchUnknown, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x17C).cast(), self.io)
        }
    }

    /// ITCH length mismatches
    ///
    /// Messages (not duplicates) of a known ITCH 5.0 type whose MoldUDP64 block length is not the type's fixed length: delivered raw, flagged RAW, not decoded (counted when made, also in frames that turn out bad).
    #[inline(always)]
    #[must_use]
    pub const fn itch_len_err(&self) -> peakrdl_rust::reg::Reg<'io, itch_len_err::ItchLenErr, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x180).cast(), self.io)
        }
    }

    /// ITCH messages filtered
    ///
    /// Messages (not duplicates, not unknown types dropped by CTRL.drop_unknown) that their ring's ITCH_TYPES or locate bitmap did not take (counted when made, also in frames that turn out bad).
    #[inline(always)]
    #[must_use]
    pub const fn itch_filtered(
        &self,
    ) -> peakrdl_rust::reg::Reg<'io, itch_filtered::ItchFiltered, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x184).cast(), self.io)
        }
    }

    /// Locate bitmap address
    ///
    /// Where the next LOCATE_DATA write goes: ring (bits 15:11) and 32-bit word (10:0) of that ring's 65 536-bit stock-locate bitmap (word w holds locates 32w..32w+31, locate 32w+b in bit b). Each LOCATE_DATA write advances the word (past word 2047 it wraps to word 0 of the same ring); reading LOCATE_ADDR returns the value last written to it, not the advanced word. Rings beyond CAPS.rings ignore writes.
    #[inline(always)]
    #[must_use]
    pub const fn locate_addr(&self) -> peakrdl_rust::reg::Reg<'io, locate_addr::LocateAddr, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x188).cast(), self.io)
        }
    }

    /// Locate bitmap data
    ///
    /// Write: store 32 bits of the locate bitmap at LOCATE_ADDR, then advance the address by one word. Reads return 0 (the bitmap is written only: keep its image on the host). A word changes at once for the messages that follow; a message looked up while its word is being written sees the old or the new word.
    #[inline(always)]
    #[must_use]
    pub const fn locate_data(&self) -> peakrdl_rust::reg::Reg<'io, locate_data::LocateData, IO> {
        unsafe {
            peakrdl_rust::reg::Reg::from_ptr_with(self.ptr.wrapping_byte_add(0x18C).cast(), self.io)
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

    /// Flow-filter rules
    ///
    /// The shadow rule table: 64 rules of 32 bytes.
    #[inline(always)]
    #[must_use]
    pub const fn flow(&self) -> flow::TwFlowRf<'io, IO> {
        unsafe { flow::TwFlowRf::from_ptr_with(self.ptr.wrapping_byte_add(0x2000).cast(), self.io) }
    }

    /// In-card latency histograms
    ///
    /// One 32-bin histogram per ring; rings beyond CAPS.rings read 0.
    #[inline(always)]
    #[must_use]
    pub const fn hist(&self) -> hist::TwHistRf<'io, IO> {
        unsafe { hist::TwHistRf::from_ptr_with(self.ptr.wrapping_byte_add(0x3000).cast(), self.io) }
    }
}
