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
    /// A flow-filter rule or action the card cannot take.
    #[error("{device}: flow rule {rule}: {reason}")]
    BadRule { device: String, rule: String, reason: String },
    /// A flow-table commit did not complete.
    #[error("{device}: flow table commit still pending after {waited:?}: is rx_clk running? Check the MAC's receive clock, then reset the card")]
    CommitStuck { device: String, waited: Duration },
    /// The device backend failed.
    #[error(transparent)]
    Device(#[from] DeviceError),
}

pub use crate::flow::{FlowAction, FlowRule, FEEDS};

/// Bins of the in-card latency histogram.
pub const LATENCY_BINS: usize = 32;

/// The range `[lo, hi)` in ns that bin `b` of the in-card latency histogram counts (`hi` is None
/// for the last, open bin): 16 ns bins up to 256 ns, then octaves (see tw_lat_hist.sv).
pub fn latency_bin_ns(b: usize) -> (u64, Option<u64>) {
    match b {
        0..=15 => (16 * b as u64, Some(16 * b as u64 + 16)),
        16..=30 => (1 << (b - 8), Some(1 << (b - 7))),
        _ => (1 << 23, None),
    }
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

fn action_fields(a: FlowAction) -> (bool, u8, bool, u8) {
    match a {
        FlowAction::Drop => (false, 0, false, 0),
        FlowAction::Deliver { feed, line, ring } => (true, feed, line == 1, ring),
    }
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

    /// Program the flow filter: `rules` (rule 0 first; the lowest-numbered match wins) and the
    /// action for frames matching none, written into the shadow table and committed at once.
    /// Returns the table version now in effect (FLOW_VERSION).
    pub fn set_flow_table(&self, rules: &[FlowRule], default: FlowAction) -> Result<u32, CardError> {
        if rules.len() > self.info.rules {
            return Err(CardError::BadRule {
                device: self.name(),
                rule: format!("{}", rules.len() - 1),
                reason: format!("{} rules given, the card implements {}", rules.len(), self.info.rules),
            });
        }
        for (i, rule) in rules.iter().enumerate() {
            self.check_action(&i.to_string(), rule.action)?;
            if rule.src.1 > 32 || rule.vlan.is_some_and(|v| v > 4095) {
                return Err(CardError::BadRule {
                    device: self.name(),
                    rule: i.to_string(),
                    reason: "source prefix length must be 0..=32 and VLAN id 0..=4095".into(),
                });
            }
        }
        self.check_action("default", default)?;
        let io = DeviceIo(&*self.dev);
        let r = regs(&io);
        self.wait_commit()?;
        for i in 0..self.info.rules {
            let rf = r.flow().rule()[i];
            match rules.get(i) {
                Some(rule) => {
                    rf.dst_ip().write(|x| x.set_addr(u32::from(rule.dst_ip)));
                    rf.src_ip().write(|x| x.set_addr(u32::from(rule.src.0)));
                    rf.port_vlan().write(|x| {
                        x.set_dst_port(rule.dst_port.unwrap_or(0));
                        x.set_vid(rule.vlan.unwrap_or(0));
                    });
                    rf.r#match().write(|x| {
                        x.set_valid(true);
                        x.set_port_any(rule.dst_port.is_none());
                        x.set_vlan_any(rule.vlan.is_none());
                        x.set_src_prefix_len(rule.src.1);
                    });
                    let (deliver, feed, line, ring) = action_fields(rule.action);
                    rf.action().write(|x| {
                        x.set_deliver(deliver);
                        x.set_feed(feed);
                        x.set_line(line);
                        x.set_ring(ring);
                    });
                }
                None => rf.r#match().write(|x| x.set_valid(false)),
            }
        }
        let (deliver, feed, line, ring) = action_fields(default);
        r.flow_default().write(|x| {
            x.set_deliver(deliver);
            x.set_feed(feed);
            x.set_line(line);
            x.set_ring(ring);
        });
        r.flow_cmd().write(|x| x.set_commit(true));
        self.wait_commit()?;
        Ok(r.flow_version().read().count())
    }

    /// Deliver every accepted frame to `ring` as feed 0, line A (no rules; the default action).
    pub fn deliver_all(&self, ring: usize) -> Result<u32, CardError> {
        if ring >= self.info.rings {
            return Err(CardError::NoSuchRing { device: self.name(), index: ring, rings: self.info.rings });
        }
        self.set_flow_table(&[], FlowAction::Deliver { feed: 0, line: 0, ring: ring as u8 })
    }

    /// Per-rule hit counters of the active table (rule 0 first).
    pub fn flow_hits(&self) -> Vec<u32> {
        let io = DeviceIo(&*self.dev);
        let r = regs(&io);
        (0..self.info.rules).map(|i| r.flow().rule()[i].hits().read().count()).collect()
    }

    fn check_action(&self, rule: &str, action: FlowAction) -> Result<(), CardError> {
        if let FlowAction::Deliver { feed, line, ring } = action {
            let reason = if usize::from(feed) >= FEEDS {
                Some(format!("feed {feed}: feeds are 0..{FEEDS}"))
            } else if line > 1 {
                Some(format!("line {line}: 0 (A) or 1 (B)"))
            } else if usize::from(ring) >= self.info.rings {
                Some(format!("ring {ring}: the card implements {} rings", self.info.rings))
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(CardError::BadRule { device: self.name(), rule: rule.into(), reason });
            }
        }
        Ok(())
    }

    fn wait_commit(&self) -> Result<(), CardError> {
        let io = DeviceIo(&*self.dev);
        let r = regs(&io);
        let start = Instant::now();
        while r.flow_status().read().commit_pending() {
            if start.elapsed() > Duration::from_secs(1) {
                return Err(CardError::CommitStuck { device: self.name(), waited: start.elapsed() });
            }
            std::hint::spin_loop();
        }
        Ok(())
    }

    /// Hold mode (true): a frame's ticks leave the card only once its verdict is known, and only
    /// if it is good. Cut-through (false, the default): ticks leave as their messages complete
    /// and the frame's last tick carries the verdict. Receive must be stopped and idle.
    pub fn set_hold(&self, hold: bool) {
        let io = DeviceIo(&*self.dev);
        regs(&io).ctrl().modify(|c| c.set_hold(hold));
    }

    /// Sets ring `index`'s ITCH filters: ITCH_TYPES, LOCATE_TYPES and the whole locate bitmap
    /// (2 048 words through LOCATE_ADDR/LOCATE_DATA). The card applies the new words as they
    /// land, so under traffic a message sees the old or the new setting of its bit.
    pub fn set_itch_filter(&self, index: usize, f: &crate::filter::ItchFilter) -> Result<(), CardError> {
        self.write_locate_words(index, 0, f.locates.words())?;
        let io = DeviceIo(&*self.dev);
        let ring = regs(&io).ring()[index];
        ring.itch_types().write(|r| r.set_types(f.types & crate::filter::ALL_TYPES));
        ring.locate_types().write(|r| r.set_types(f.locate_types & ((1 << crate::filter::RAW_BIT) - 1)));
        Ok(())
    }

    /// Writes `words` of ring `index`'s locate bitmap from word `first` on (a few words when
    /// symbols are added or removed: see [`crate::filter::LocateBitmap::word_of`]).
    pub fn write_locate_words(&self, index: usize, first: usize, words: &[u32]) -> Result<(), CardError> {
        if index >= self.info.rings {
            return Err(CardError::NoSuchRing { device: self.name(), index, rings: self.info.rings });
        }
        assert!(first + words.len() <= crate::filter::LOCATE_WORDS, "locate bitmap words {first}..{} out of range", first + words.len());
        let io = DeviceIo(&*self.dev);
        let r = regs(&io);
        r.locate_addr().write(|a| a.set_addr(((index as u32) << 11 | first as u32) as u16));
        for &w in words {
            r.locate_data().write(|d| d.set_bits(w));
        }
        Ok(())
    }

    /// Messages whose type is none of ITCH 5.0's 23: dropped (true) or delivered raw, flagged RAW
    /// (false, the default). ITCH_UNKNOWN counts them either way.
    pub fn set_drop_unknown(&self, drop: bool) {
        let io = DeviceIo(&*self.dev);
        regs(&io).ctrl().modify(|c| c.set_drop_unknown(drop));
    }

    /// Longest frame accepted, bytes without FCS (0: no limit).
    pub fn set_max_frame(&self, bytes: u16) {
        let io = DeviceIo(&*self.dev);
        regs(&io).max_frame().write(|x| x.set_bytes(bytes));
    }

    /// Ring `index`'s in-card latency histogram (DMA issue time − receive timestamp): 32 bins,
    /// edges in [`latency_bin_ns`].
    pub fn latency_histogram(&self, index: usize) -> [u32; LATENCY_BINS] {
        let io = DeviceIo(&*self.dev);
        let r = regs(&io);
        let ring = r.hist().ring()[index];
        std::array::from_fn(|b| ring.bin()[b].read().count())
    }

    /// The card clock.
    pub fn clock(&self) -> crate::clock::CardClock<'_, D> {
        crate::clock::CardClock::new(&*self.dev)
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
        regs(&io).ctrl().modify(|c| c.set_rx_enable(true));
    }

    /// Stop accepting frames (frames already inside the card still come out).
    pub fn stop_rx(&self) {
        let io = DeviceIo(&*self.dev);
        regs(&io).ctrl().modify(|c| c.set_rx_enable(false));
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
            ("rx_runt", r.rx_runt().read().value()),
            ("rx_not_ipv4", r.rx_not_ipv4().read().value()),
            ("rx_ip_hdr", r.rx_ip_hdr().read().value()),
            ("rx_ip_csum", r.rx_ip_csum().read().value()),
            ("rx_ip_len", r.rx_ip_len().read().value()),
            ("rx_fragment", r.rx_fragment().read().value()),
            ("rx_not_udp", r.rx_not_udp().read().value()),
            ("rx_udp_long", r.rx_udp_long().read().value()),
            ("rx_udp_short", r.rx_udp_short().read().value()),
            ("rx_trunc", r.rx_trunc().read().value()),
            ("rx_too_long", r.rx_too_long().read().value()),
            ("rx_udp_csum", r.rx_udp_csum().read().value()),
            ("rx_accepted", r.rx_accepted().read().value()),
            ("flow_drops", r.flow_drops().read().value()),
            ("flow_misses", r.flow_misses().read().value()),
            ("rx_bad_verdict", r.rx_bad_verdict().read().value()),
            ("mold_pkts", r.mold_pkts().read().value()),
            ("mold_msgs", r.mold_msgs().read().value()),
            ("mold_err", r.mold_err().read().value()),
            ("mold_count_err", r.mold_count_err().read().value()),
            ("mold_sessions", r.mold_sessions().read().value()),
            ("seq_dups", r.seq_dups().read().value()),
            ("seq_gaps", r.seq_gaps().read().value()),
            ("seq_late", r.seq_late().read().value()),
            ("itch_unknown", r.itch_unknown().read().value()),
            ("itch_len_err", r.itch_len_err().read().value()),
            ("itch_filtered", r.itch_filtered().read().value()),
            ("tick_overflow", r.tick_overflow().read().value()),
            ("dma_writes", r.dma_writes().read().value()),
            ("dma_bresp_err", r.dma_bresp_err().read().value()),
            ("dma_bad_ring", r.dma_bad_ring().read().value()),
        ]
    }
}
