//! The card checks a VFIO-opened device goes through (wrong card, register-map version, build id),
//! on a fake BAR0, and the card identity generated from hdl/regs/card.toml.

use std::sync::Mutex;

use tickwire::card::CardError;
use tickwire::card_id;
use tickwire::device::{Device, DeviceError};
use tickwire::vfio::{check_build_id, check_build_id_in, OpenCardError};
use tickwire::{Card, CardInfo, DmaRegion};

/// A BAR0 full of chosen register values; no DMA.
struct FakeBar {
    regs: Mutex<Vec<u32>>,
    len: usize,
}

impl FakeBar {
    fn new(len: usize, id: u32, version: u32, build: u32) -> Self {
        let mut regs = vec![0u32; len / 4];
        regs[0] = id;
        regs[1] = version;
        regs[2] = build;
        regs[3] = 1; // CAPS: one ring
        let bar = Self { regs: Mutex::new(regs), len };
        // ring 0 reads idle (Card::open stops and waits for every ring)
        let status = {
            let io = tickwire::mmio::DeviceIo(&bar);
            tickwire::mmio::regs(&io).ring()[0].status().as_ptr() as usize
        };
        if status < len {
            bar.regs.lock().unwrap()[status / 4] = 1;
        }
        bar
    }
}

impl Device for FakeBar {
    fn name(&self) -> &str {
        "fake"
    }
    fn bar0_len(&self) -> usize {
        self.len
    }
    fn read32(&self, offset: usize) -> u32 {
        self.regs.lock().unwrap()[offset / 4]
    }
    fn write32(&self, offset: usize, value: u32) {
        self.regs.lock().unwrap()[offset / 4] = value;
    }
    fn alloc_dma(&self, len: usize) -> Result<DmaRegion, DeviceError> {
        Err(DeviceError::DmaAlloc { device: "fake".into(), len, reason: "no DMA".into() })
    }
}

const MAGIC: u32 = 0x544B_5752;

/// The register-map version this driver speaks (the generated reset value of VERSION).
fn current_version() -> u32 {
    let v = tickwire::regs::components::tw_regs::version::Version::default();
    (u32::from(v.major()) << 16) | u32::from(v.minor())
}

#[test]
fn wrong_card_is_refused_with_both_ids() {
    // edu's ID register, as the real-kernel test sees it.
    let e = Card::open(FakeBar::new(0x10_0000, 0x0100_00ed, 0, 0)).err().unwrap();
    assert!(matches!(e, CardError::WrongCard { found: 0x0100_00ed, expected: MAGIC, .. }), "{e:?}");
    let m = e.to_string();
    assert!(m.contains("0x010000ed") && m.contains("0x544b5752") && m.contains("bitstream"), "{m}");
}

#[test]
fn unsupported_register_map_version_is_refused() {
    let next_major = (current_version() & 0xffff_0000) + (1 << 16);
    let e = Card::open(FakeBar::new(card_id::BAR0_BYTES, MAGIC, next_major, 0)).err().unwrap();
    assert!(matches!(e, CardError::UnsupportedVersion { minor: 0, .. }), "{e:?}");
    assert!(e.to_string().contains("update the driver or the bitstream"), "{e}");
}

#[test]
fn too_small_bar_is_refused() {
    let e = Card::open(FakeBar::new(0x100, MAGIC, current_version(), 0)).err().unwrap();
    assert!(matches!(e, CardError::BarTooSmall { .. }), "{e:?}");
}

#[test]
fn build_ids_from_card_toml() {
    let ok = Card::open(FakeBar::new(card_id::BAR0_BYTES, MAGIC, current_version(), 0)).unwrap();
    assert!(card_id::SUPPORTED_BUILD_IDS.contains(&0), "simulation/dev builds (0) are supported");
    check_build_id("fake", ok.info()).unwrap();

    let info = CardInfo { build_id: 0xdead_beef, ..ok.info().clone() };
    let e = check_build_id("fake", &info).unwrap_err();
    assert!(matches!(e, OpenCardError::UnsupportedBuild { build_id: 0xdead_beef, .. }), "{e:?}");
    let m = e.to_string();
    assert!(m.contains("0xdeadbeef") && m.contains("0x00000000") && m.contains("card.toml"), "{m}");
    check_build_id_in("fake", &info, &[1, 0xdead_beef]).unwrap();
}

#[test]
fn card_identity_is_consistent() {
    assert_ne!(card_id::PCI_DEVICE_ID, 0x903f, "not the XDMA IP's default device id");
    let regs = tickwire::regs::TwRegs::<'static, peakrdl_rust::io::PtrIO>::SIZE;
    assert!(card_id::BAR0_BYTES >= regs, "BAR0 ({:#x}) must cover the register map ({regs:#x})", card_id::BAR0_BYTES);
}
