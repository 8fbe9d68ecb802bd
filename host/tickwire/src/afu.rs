//! The CSR window of a card, and AFU boards (PAC D5005) whose CSRs sit behind an AFU header.
//!
//! On the Alveo boards tw_core's CSRs are BAR0 of our own PCIe function, from offset 0. On the PAC
//! D5005 tickwire is an AFU behind Intel's FIM: the driver opens the FIM's port VF (its ids are
//! the FIM's, [`AFU_VF_IDS`]), whose BAR0 starts with the AFU header OPAE defines —
//!
//! | offset | 64-bit register |
//! |---|---|
//! | 0x00 | DFH: feature type in bits 63:60 (1 = AFU) |
//! | 0x08 | AFU_ID_L: low 64 bits of the AFU id |
//! | 0x10 | AFU_ID_H: high 64 bits of the AFU id |
//!
//! — and tw_core's CSRs at [`AFU_CSR_OFFSET`] (`hdl/regs/card.toml` `[afu]`, the shell's
//! `tw_mmio64_to_axil`). [`open_afu`] reads the header with 32-bit reads (the low half of each
//! 64-bit register at its offset, the high half at offset + 4), refuses anything that is not a
//! tickwire AFU before a single CSR is touched, and hands [`crate::Card`] a [`CsrWindow`] that
//! starts at the CSRs.

use crate::card_id::{AFU_CSR_OFFSET, AFU_UUID, AFU_VF_IDS, BAR0_BYTES};
use crate::device::{Device, DeviceError};
use crate::dma::DmaRegion;

/// OPAE's DFH feature type of an AFU (DFH bits 63:60).
pub const DFH_TYPE_AFU: u8 = 1;

/// An AFU board's function is not a tickwire AFU.
#[derive(Debug, thiserror::Error)]
pub enum AfuError {
    /// BAR0 is too small to hold the AFU header and the CSR window behind it.
    #[error("{device}: BAR0 is {len:#x} bytes, a tickwire AFU needs {need:#x} (AFU header, CSRs at {AFU_CSR_OFFSET:#x}): is this the FIM's port VF?")]
    BarTooSmall {
        /// Device name.
        device: String,
        /// BAR0 length.
        len: usize,
        /// What the AFU layout needs.
        need: usize,
    },
    /// The first feature header is not an AFU's.
    #[error("{device}: the device feature header at BAR0 0x0 reads {dfh:#018x} (type {kind}), not an AFU (type 1): open the FIM's port VF with an AFU loaded (fpgaconf), not the PF")]
    NotAnAfu {
        /// Device name.
        device: String,
        /// The DFH as read.
        dfh: u64,
        /// Its feature type (bits 63:60).
        kind: u8,
    },
    /// An AFU, but another one than tickwire's.
    #[error("{device}: the loaded AFU is {found}, not tickwire ({expected}): load tickwire's .gbs (make flash BOARD=d5005)")]
    OtherAfu {
        /// Device name.
        device: String,
        /// The AFU id read from the header.
        found: String,
        /// tickwire's AFU id.
        expected: String,
    },
}

/// A UUID as text (8-4-4-4-12 lower-case hex).
pub fn uuid_string(id: u128) -> String {
    let h = format!("{id:032x}");
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// Whether `(vendor, device)` is one of the FIM port VFs an AFU board's tickwire is reached by.
pub fn is_afu_function(vendor: u16, device: u16) -> bool {
    AFU_VF_IDS.contains(&(vendor, device))
}

/// A [`Device`] whose BAR0, as the driver sees it, is a window of another device's BAR0: the
/// whole BAR on the Alveo boards, the CSRs behind the AFU header on an AFU board.
pub struct CsrWindow<D> {
    dev: D,
    base: usize,
    len: usize,
}

impl<D: Device> CsrWindow<D> {
    /// The whole of `dev`'s BAR0 (the Alveo boards: the CSRs start at 0).
    pub fn whole(dev: D) -> Self {
        let len = dev.bar0_len();
        Self { dev, base: 0, len }
    }

    /// The device the window looks into.
    pub fn inner(&self) -> &D {
        &self.dev
    }

    /// Where the window starts in the device's BAR0.
    pub fn base(&self) -> usize {
        self.base
    }
}

impl<D: Device> Device for CsrWindow<D> {
    fn name(&self) -> &str {
        self.dev.name()
    }

    fn bar0_len(&self) -> usize {
        self.len
    }

    fn read32(&self, offset: usize) -> u32 {
        self.dev.read32(self.base + offset)
    }

    fn write32(&self, offset: usize, value: u32) {
        self.dev.write32(self.base + offset, value)
    }

    fn alloc_dma(&self, len: usize) -> Result<DmaRegion, DeviceError> {
        self.dev.alloc_dma(len)
    }

    fn host_time_ns(&self) -> u64 {
        self.dev.host_time_ns()
    }

    fn host_sleep(&self, d: std::time::Duration) {
        self.dev.host_sleep(d)
    }
}

fn read64(dev: &impl Device, offset: usize) -> u64 {
    u64::from(dev.read32(offset)) | u64::from(dev.read32(offset + 4)) << 32
}

/// The AFU id in `dev`'s AFU header, after checking that BAR0 holds an AFU header and the CSR
/// window behind it.
pub fn read_afu_id(dev: &impl Device) -> Result<u128, AfuError> {
    let device = dev.name().to_string();
    let need = AFU_CSR_OFFSET + BAR0_BYTES;
    if dev.bar0_len() < need {
        return Err(AfuError::BarTooSmall { device, len: dev.bar0_len(), need });
    }
    let dfh = read64(dev, 0x00);
    let kind = (dfh >> 60) as u8;
    if kind != DFH_TYPE_AFU {
        return Err(AfuError::NotAnAfu { device, dfh, kind });
    }
    Ok(u128::from(read64(dev, 0x10)) << 64 | u128::from(read64(dev, 0x08)))
}

/// Check that `dev` (BAR0 of an AFU board's port VF) carries tickwire's AFU, and return the
/// window onto its CSRs. Reads the AFU header only; nothing is written.
pub fn open_afu<D: Device>(dev: D) -> Result<CsrWindow<D>, AfuError> {
    let found = read_afu_id(&dev)?;
    if found != AFU_UUID {
        return Err(AfuError::OtherAfu {
            device: dev.name().to_string(),
            found: uuid_string(found),
            expected: uuid_string(AFU_UUID),
        });
    }
    Ok(CsrWindow { dev, base: AFU_CSR_OFFSET, len: BAR0_BYTES })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mem_device::MemDevice;
    use crate::Card;

    /// An AFU board's port VF as the driver sees it: the AFU header at 0 (64-bit registers,
    /// read as 32-bit halves), zeros up to the CSRs, a tickwire register file at AFU_CSR_OFFSET.
    struct FakeAfu {
        header: [u64; 4],
        csrs: MemDevice,
        bar0: usize,
    }

    impl FakeAfu {
        fn new(dfh: u64, id: u128) -> Self {
            Self { header: [dfh, id as u64, (id >> 64) as u64, 0], csrs: MemDevice::new(4), bar0: 0x40000 }
        }
    }

    impl Device for FakeAfu {
        fn name(&self) -> &str {
            "afu"
        }
        fn bar0_len(&self) -> usize {
            self.bar0
        }
        fn read32(&self, offset: usize) -> u32 {
            if offset >= AFU_CSR_OFFSET {
                return self.csrs.read32(offset - AFU_CSR_OFFSET);
            }
            let w = self.header.get(offset / 8).copied().unwrap_or(0);
            (if offset % 8 == 4 { w >> 32 } else { w }) as u32
        }
        fn write32(&self, offset: usize, value: u32) {
            assert!(offset >= AFU_CSR_OFFSET, "write into the AFU header at {offset:#x}");
            self.csrs.write32(offset - AFU_CSR_OFFSET, value)
        }
        fn alloc_dma(&self, len: usize) -> Result<DmaRegion, DeviceError> {
            self.csrs.alloc_dma(len)
        }
    }

    // OPAE's DFH of an AFU at the end of the feature list (what tw_mmio64_to_axil presents).
    const DFH: u64 = 0x1000_0100_0000_0000;

    #[test]
    fn a_tickwire_afu_opens_as_a_card_through_its_csr_window() {
        let win = open_afu(FakeAfu::new(DFH, AFU_UUID)).expect("tickwire's AFU");
        assert_eq!((win.base(), win.bar0_len()), (AFU_CSR_OFFSET, BAR0_BYTES));
        let card = Card::open(win).expect("the CSRs behind the header are a tickwire card");
        // Card::open read ID/VERSION/CAPS and wrote the ring disables through the window: a write
        // into the header would have panicked in FakeAfu::write32
        assert_eq!(card.info().rings, 4);
        assert_eq!(card.device().inner().name(), "afu");
    }

    #[test]
    fn another_afu_is_refused_naming_both_ids() {
        let other = 0x1234_5678_9abc_def0_0fed_cba9_8765_4321u128;
        let e = open_afu(FakeAfu::new(DFH, other)).err().expect("refused");
        let msg = e.to_string();
        assert!(msg.contains("12345678-9abc-def0-0fed-cba987654321"), "{msg}");
        assert!(msg.contains("ebf7cb80-8278-4c8b-9a8a-634efeeca3e3"), "{msg}");
        assert!(matches!(e, AfuError::OtherAfu { .. }));
    }

    #[test]
    fn a_header_that_is_not_an_afu_is_refused() {
        // an FME's DFH (type 4, the PF's first feature): the PF was opened instead of the VF
        let e = open_afu(FakeAfu::new(0x4000_0000_0000_0000, AFU_UUID)).err().expect("refused");
        assert!(matches!(e, AfuError::NotAnAfu { kind: 4, .. }), "{e}");
        assert!(e.to_string().contains("port VF"), "{e}");
    }

    #[test]
    fn a_bar_without_room_for_the_csr_window_is_refused() {
        let mut f = FakeAfu::new(DFH, AFU_UUID);
        f.bar0 = AFU_CSR_OFFSET;
        let e = open_afu(f).err().expect("refused");
        assert!(matches!(e, AfuError::BarTooSmall { .. }), "{e}");
    }

    #[test]
    fn the_whole_window_is_the_device_itself() {
        let w = CsrWindow::whole(MemDevice::new(2));
        assert_eq!(w.base(), 0);
        let card = Card::open(w).expect("card");
        assert_eq!(card.info().rings, 2);
    }

    #[test]
    fn uuids_print_in_rfc_4122_form_and_vf_ids_come_from_card_toml() {
        assert_eq!(uuid_string(AFU_UUID), "ebf7cb80-8278-4c8b-9a8a-634efeeca3e3");
        assert!(is_afu_function(0x8086, 0x0b2c));
        assert!(is_afu_function(0x8086, 0xbccf));
        assert!(!is_afu_function(0x8086, 0x0b2b), "the PF carries the FME, not the AFU");
        assert!(!is_afu_function(crate::card_id::PCI_VENDOR_ID, crate::card_id::PCI_DEVICE_ID));
    }
}
