//! The card: identify it, configure rings, start and stop receiving, read counters.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::device::{Device, DeviceError};
use crate::mmio::{regs, DeviceIo};
use crate::regs::components::tw_regs::{id::Id, version::Version};
use crate::regs::TwRegs;
use crate::ring::Ring;
use crate::tick::TICK_BYTES;

/// Errors of the card layer.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// BAR0 does not cover the register map.
    #[error("{device}: BAR0 is {len:#x} bytes, the register map needs {need:#x}: not a tickwire card, or the wrong BAR")]
    BarTooSmall {
        device: String,
        len: usize,
        need: usize,
    },
    /// The ID register does not hold the tickwire magic.
    #[error("{device}: ID register reads {found:#010x}, a tickwire card reads {expected:#010x}: wrong device, or the bitstream is not loaded")]
    WrongCard {
        device: String,
        found: u32,
        expected: u32,
    },
    /// The register map version is one this driver does not speak.
    #[error("{device}: register map version {major}.{minor}; this driver supports {want_major}.{want_minor} or a later minor: update the driver or the bitstream")]
    UnsupportedVersion {
        device: String,
        major: u16,
        minor: u16,
        want_major: u16,
        want_minor: u16,
    },
    /// No such ring on this card.
    #[error("{device}: ring {index} requested, the card implements {rings}")]
    NoSuchRing {
        device: String,
        index: usize,
        rings: usize,
    },
    /// Slot count not a power of two in range.
    #[error("{device}: ring {index}: {slots} slots; use a power of two from 2 to 2^26")]
    BadSlots {
        device: String,
        index: usize,
        slots: u32,
    },
    /// The card rejected the ring configuration.
    #[error("{device}: ring {index}: the card flagged its configuration as invalid (base {base:#x}, {slots} slots)")]
    RingConfig {
        device: String,
        index: usize,
        base: u64,
        slots: u32,
    },
    /// The ring is already open (one consumer per ring: two would both write CONS).
    #[error("{device}: ring {index} is already open; close it (Card::close_ring) before opening it again")]
    RingBusy { device: String, index: usize },
    /// A card found running (left by a process that died) did not stop.
    #[error("{device}: ring {index} still writing {waited:?} after it was disabled at open: reset the card (tickwire unbind/bind, or a PCI reset) before using it")]
    NotQuiescent { device: String, index: usize, waited: Duration },
    /// The ring did not report idle after being disabled.
    #[error("{device}: ring {index} not idle {waited:?} after disable; its memory stays mapped (leaked) to keep the host safe. Check the ring's STATUS.dma_error and DMA_BRESP_ERR (the host memory path may be refusing writes), then reset the card (tickwire unbind/bind, or a PCI reset)")]
    QuiesceTimeout {
        device: String,
        index: usize,
        waited: Duration,
    },
    /// The device backend failed.
    #[error(transparent)]
    Device(#[from] DeviceError),
}

/// What the card says about itself.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CardInfo {
    pub id: u32,
    pub version_major: u16,
    pub version_minor: u16,
    pub build_id: u32,
    pub rings: usize,
    pub rules: usize,
    pub data_bytes: usize,
}

/// One ring's registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RingStatus {
    pub prod: u32,
    pub cons: u32,
    pub drops: u32,
    pub idle: bool,
    pub cfg_error: bool,
    pub dma_error: bool,
    /// Interrupt pulses raised for this ring.
    pub irqs: u32,
}

/// Optional signalling for a ring whose consumer does not poll its slots: the card writes the
/// ring's producer index (and drop count) to host memory after every `every` ticks and whenever it
/// runs out of ticks, and can pulse the ring's interrupt line after each such write-back lands.
/// The write-back is a wake-up hint: the slot's validity word stays the authority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signalling {
    /// Write back after this many ticks at most (0 counts as 1).
    pub every: u16,
    /// Raise the ring's interrupt after each write-back.
    pub irq: bool,
}

/// A tickwire card, over any [`Device`].
pub struct Card<D: Device> {
    dev: Arc<D>,
    info: CardInfo,
    // Rings open on this card (bit n: ring n); a Ring clears its bit when it is closed or dropped
    // after going idle.
    open: Arc<std::sync::atomic::AtomicU32>,
}

impl<D: Device> Card<D> {
    /// Check that `dev` is a tickwire card this driver supports and read its capabilities.
    pub fn open(dev: D) -> Result<Self, CardError> {
        let dev = Arc::new(dev);
        let name = dev.name().to_string();
        let need = TwRegs::<'static, peakrdl_rust::io::PtrIO>::SIZE;
        if dev.bar0_len() < need {
            return Err(CardError::BarTooSmall {
                device: name,
                len: dev.bar0_len(),
                need,
            });
        }
        let io = DeviceIo(&*dev);
        let r = regs(&io);
        let expected = Id::default().magic();
        let found = r.id().read().magic();
        if found != expected {
            return Err(CardError::WrongCard {
                device: name,
                found,
                expected,
            });
        }
        let want = Version::default();
        let v = r.version().read();
        if v.major() != want.major() || v.minor() < want.minor() {
            return Err(CardError::UnsupportedVersion {
                device: name,
                major: v.major(),
                minor: v.minor(),
                want_major: want.major(),
                want_minor: want.minor(),
            });
        }
        let caps = r.caps().read();
        let info = CardInfo {
            id: found,
            version_major: v.major(),
            version_minor: v.minor(),
            build_id: r.build_id().read().value(),
            rings: usize::from(caps.rings()),
            rules: usize::from(caps.rules()),
            data_bytes: usize::from(caps.data_bytes()),
        };
        // A card left running (a crashed process) must not DMA into memory we are about to hand
        // out: stop receiving, disable every ring, wait for idle.
        let r = regs(&io);
        r.ctrl().write(|c| c.set_rx_enable(false));
        for index in 0..info.rings {
            r.ring()[index].ctrl().write(|c| c.set_enable(false));
        }
        let start = Instant::now();
        for index in 0..info.rings {
            while !r.ring()[index].status().read().idle() {
                if start.elapsed() > Duration::from_secs(1) {
                    return Err(CardError::NotQuiescent { device: name, index, waited: start.elapsed() });
                }
                std::thread::sleep(Duration::from_micros(50));
            }
        }
        Ok(Self { dev, info, open: Arc::new(std::sync::atomic::AtomicU32::new(0)) })
    }

    /// Identification and capabilities.
    pub fn info(&self) -> &CardInfo {
        &self.info
    }

    /// The device underneath.
    pub fn device(&self) -> &D {
        &self.dev
    }

    fn name(&self) -> String {
        self.dev.name().to_string()
    }

    /// Allocate a ring of `slots` 64-byte slots, program it and enable it.
    pub fn open_ring(&self, index: usize, slots: u32) -> Result<Ring<D>, CardError> {
        self.open_ring_with(index, slots, None)
    }

    /// As [`open_ring`](Self::open_ring), with optional write-back and interrupt signalling
    /// (the write-back lands in one extra 64-byte line after the slots).
    pub fn open_ring_with(&self, index: usize, slots: u32, signalling: Option<Signalling>) -> Result<Ring<D>, CardError> {
        if index >= self.info.rings {
            return Err(CardError::NoSuchRing {
                device: self.name(),
                index,
                rings: self.info.rings,
            });
        }
        if !slots.is_power_of_two() || !(2..=1 << 26).contains(&slots) {
            return Err(CardError::BadSlots {
                device: self.name(),
                index,
                slots,
            });
        }
        let bit = 1u32 << index;
        if self.open.fetch_or(bit, std::sync::atomic::Ordering::AcqRel) & bit != 0 {
            return Err(CardError::RingBusy { device: self.name(), index });
        }
        // From here on an error must give the ring back.
        let r = self.program_ring(index, slots, signalling);
        if r.is_err() {
            self.open.fetch_and(!bit, std::sync::atomic::Ordering::AcqRel);
        }
        r
    }

    fn program_ring(&self, index: usize, slots: u32, signalling: Option<Signalling>) -> Result<Ring<D>, CardError> {
        let extra = if signalling.is_some() { TICK_BYTES } else { 0 };
        let mem = self.dev.alloc_dma(slots as usize * TICK_BYTES + extra)?;
        mem.zero();
        let io = DeviceIo(&*self.dev);
        let ring = regs(&io).ring()[index];
        let base = mem.iova();
        ring.ctrl().write(|c| c.set_enable(false));
        ring.base_lo().write(|x| x.set_addr(base as u32));
        ring.base_hi().write(|x| x.set_addr((base >> 32) as u32));
        ring.slots().write(|x| x.set_slots(slots));
        ring.cons().write(|x| x.set_index(0));
        let wb = base + u64::from(slots) * TICK_BYTES as u64;
        ring.wb_lo().write(|x| x.set_addr(wb as u32));
        ring.wb_hi().write(|x| x.set_addr((wb >> 32) as u32));
        ring.signal().write(|x| {
            if let Some(sig) = signalling {
                x.set_writeback(true);
                x.set_irq(sig.irq);
                x.set_every(sig.every);
            }
        });
        ring.ctrl().write(|c| c.set_enable(true));
        if ring.status().read().cfg_error() {
            ring.ctrl().write(|c| c.set_enable(false));
            return Err(CardError::RingConfig {
                device: self.name(),
                index,
                base,
                slots,
            });
        }
        Ok(Ring::new(self.dev.clone(), index, mem, slots, signalling.is_some(), self.open.clone()))
    }

    /// Send every tick to ring `index` (until the flow filter chooses rings per frame).
    pub fn set_rx_ring(&self, index: usize) -> Result<(), CardError> {
        if index >= self.info.rings {
            return Err(CardError::NoSuchRing { device: self.name(), index, rings: self.info.rings });
        }
        let io = DeviceIo(&*self.dev);
        regs(&io).rx_ring().write(|x| x.set_ring(index as u8));
        Ok(())
    }

    /// Registers of ring `index`.
    pub fn ring_status(&self, index: usize) -> RingStatus {
        let io = DeviceIo(&*self.dev);
        let ring = regs(&io).ring()[index];
        let st = ring.status().read();
        RingStatus {
            prod: ring.prod().read().index(),
            cons: ring.cons().read().index(),
            drops: ring.drops().read().count(),
            idle: st.idle(),
            cfg_error: st.cfg_error(),
            dma_error: st.dma_error(),
            irqs: ring.irqs().read().count(),
        }
    }

    /// Accept frames from the MAC.
    pub fn start(&self) {
        let io = DeviceIo(&*self.dev);
        regs(&io).ctrl().write(|c| c.set_rx_enable(true));
    }

    /// Stop accepting frames (frames already inside the card still come out).
    pub fn stop_rx(&self) {
        let io = DeviceIo(&*self.dev);
        regs(&io).ctrl().write(|c| c.set_rx_enable(false));
    }

    /// Quiesce a ring: disable it, wait until the card reports it idle (no write in flight and none
    /// to come), then free its memory. On timeout the memory is deliberately leaked, never unmapped
    /// under a card that may still write it.
    pub fn close_ring(&self, mut ring: Ring<D>, timeout: Duration) -> Result<RingStatus, CardError> {
        let index = ring.index();
        let start = Instant::now();
        if !ring.quiesce(timeout) {
            // dropped with its memory marked to leak, and the ring stays marked open
            drop(ring);
            return Err(CardError::QuiesceTimeout { device: self.name(), index, waited: start.elapsed() });
        }
        let status = self.ring_status(index);
        drop(ring); // frees and unmaps the memory, gives the ring back
        Ok(status)
    }

    /// Whether the receive pipeline holds no frame and no tick.
    pub fn rx_idle(&self) -> bool {
        let io = DeviceIo(&*self.dev);
        regs(&io).status().read().rx_idle()
    }

    /// All counters, by their register names (lower case).
    pub fn counters(&self) -> Vec<(&'static str, u32)> {
        let io = DeviceIo(&*self.dev);
        let r = regs(&io);
        vec![
            ("rx_frames", r.rx_frames().read().value()),
            ("rx_disabled", r.rx_disabled().read().value()),
            ("rx_mac_err", r.rx_mac_err().read().value()),
            ("rx_not_udp", r.rx_not_udp().read().value()),
            ("rx_bad_hdr", r.rx_bad_hdr().read().value()),
            ("mold_pkts", r.mold_pkts().read().value()),
            ("mold_msgs", r.mold_msgs().read().value()),
            ("mold_err", r.mold_err().read().value()),
            ("mold_sessions", r.mold_sessions().read().value()),
            ("tick_overflow", r.tick_overflow().read().value()),
            ("dma_writes", r.dma_writes().read().value()),
            ("dma_bresp_err", r.dma_bresp_err().read().value()),
            ("dma_bad_ring", r.dma_bad_ring().read().value()),
        ]
    }
}
