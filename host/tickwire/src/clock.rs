//! The card clock: read it (atomically, bracketed by host-clock reads), set, step and
//! frequency-adjust it, and discipline it to the host clock with the [`Servo`].
//!
//! The card counts nanoseconds in its rx_clk domain, adding a fixed-point increment (8.32 ns)
//! every cycle. Frequency corrections are made the way Linux PHC drivers make them: the driver
//! turns a correction in ppb into a new increment, `nominal × (1 + ppb·10⁻⁹)`, with a resolution
//! of 2⁻³² ns per cycle (about 0.08 ppb at 322 MHz).

use std::time::{Duration, Instant};

use crate::device::Device;
use crate::mmio::{regs, DeviceIo};
use crate::servo::{Correction, Servo, ServoConfig, ServoState};

/// How old the card time a read returns is, on average, in ns: the clk-domain snapshot trails
/// the rx_clk counter by 3–10 rx_clk cycles at 322 MHz (9–31 ns; 13–38 ns at 156.25 MHz, 10–28 ns
/// at 390.625 MHz; see hdl/rtl/tw_card_clock.sv). [`CardClock::sample`] adds the middle of that
/// range, so the servo's offset is unbiased to within about ±11 ns.
pub const SNAPSHOT_LAG_NS: u64 = 20;

/// Bracketed reads per sample; the narrowest bracket wins.
pub const SAMPLE_READS: usize = 5;

/// How long a clock command may take to cross into the rx_clk domain before we call the card
/// broken (it takes a few cycles).
const CMD_TIMEOUT: Duration = Duration::from_millis(100);

/// Errors of the card clock.
#[derive(Debug, thiserror::Error)]
pub enum ClockError {
    /// A command did not complete (CLOCK_STATUS.busy stayed set).
    #[error("{device}: card clock command did not complete within {waited:?} (CLOCK_STATUS.busy stuck): is rx_clk running? Check the MAC's receive clock, then reset the card")]
    Stuck { device: String, waited: Duration },
    /// A frequency correction beyond what the increment register can express.
    #[error("{device}: frequency correction {ppb} ppb is out of range (the increment must stay within 0..256 ns per cycle)")]
    BadPpb { device: String, ppb: f64 },
}

/// One bracketed read: host time just before and just after the read that latched the card time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockSample {
    pub host_before_ns: u64,
    pub card_ns: u64,
    pub host_after_ns: u64,
}

impl ClockSample {
    /// Card time minus the midpoint of the host bracket, in ns.
    pub fn offset_ns(&self) -> i64 {
        let mid = (u128::from(self.host_before_ns) + u128::from(self.host_after_ns)) / 2;
        (i128::from(self.card_ns) - mid as i128) as i64
    }

    /// Width of the bracket (an upper bound on the read's uncertainty), in ns.
    pub fn bracket_ns(&self) -> u64 {
        self.host_after_ns.saturating_sub(self.host_before_ns)
    }
}

/// What the servo reports after each sample.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct ServoReport {
    pub state: ServoState,
    /// Card − host, ns, as measured by this sample (before its correction).
    pub offset_ns: i64,
    /// The servo's estimate of the frequency correction that holds the card (ppb).
    pub freq_ppb: f64,
    /// The correction applied from this sample on (ppb).
    pub applied_ppb: f64,
    /// Width of the bracketed read, ns.
    pub bracket_ns: u64,
}

/// The card clock of one card.
pub struct CardClock<'a, D: Device> {
    dev: &'a D,
    nominal: u64,
}

impl<'a, D: Device> CardClock<'a, D> {
    pub(crate) fn new(dev: &'a D) -> Self {
        let io = DeviceIo(dev);
        let r = regs(&io);
        let nominal = (u64::from(r.clock_inc_nom_ns().read().ns()) << 32)
            | u64::from(r.clock_inc_nom_frac().read().frac());
        CardClock { dev, nominal }
    }

    /// The increment after reset (ns per rx_clk cycle, 8.32 fixed point).
    pub fn nominal_increment(&self) -> u64 {
        self.nominal
    }

    /// The increment in effect (8.32 fixed point).
    pub fn increment(&self) -> u64 {
        let io = DeviceIo(self.dev);
        let r = regs(&io);
        (u64::from(r.clock_inc_cur_ns().read().ns()) << 32) | u64::from(r.clock_inc_cur_frac().read().frac())
    }

    /// Card time in ns (one atomic 64-bit value: reading the low word latches the high word).
    pub fn now(&self) -> u64 {
        let io = DeviceIo(self.dev);
        let r = regs(&io);
        let lo = r.clock_time_lo().read().ns();
        let hi = r.clock_time_hi().read().ns();
        (u64::from(hi) << 32) | u64::from(lo)
    }

    /// Card time bracketed by two host-clock reads around the read that latches it, corrected
    /// for the snapshot's average age ([`SNAPSHOT_LAG_NS`]): the narrowest bracket of
    /// [`SAMPLE_READS`] tries (like phc2sys -N), since an interrupt, a preemption or a busy bus
    /// can widen any one read.
    pub fn sample(&self) -> ClockSample {
        (0..SAMPLE_READS)
            .map(|_| self.sample_once())
            .min_by_key(ClockSample::bracket_ns)
            .expect("at least one read")
    }

    fn sample_once(&self) -> ClockSample {
        let io = DeviceIo(self.dev);
        let r = regs(&io);
        let host_before_ns = self.dev.host_time_ns();
        let lo = r.clock_time_lo().read().ns();
        let host_after_ns = self.dev.host_time_ns();
        let hi = r.clock_time_hi().read().ns();
        let card_ns = ((u64::from(hi) << 32) | u64::from(lo)).wrapping_add(SNAPSHOT_LAG_NS);
        ClockSample { host_before_ns, card_ns, host_after_ns }
    }

    /// Set the card time.
    pub fn set(&self, ns: u64) -> Result<(), ClockError> {
        let io = DeviceIo(self.dev);
        let r = regs(&io);
        self.wait_idle()?;
        r.clock_set_lo().write(|x| x.set_ns(ns as u32));
        r.clock_set_hi().write(|x| x.set_ns((ns >> 32) as u32));
        r.clock_cmd().write(|c| c.set_set(true));
        self.wait_idle()
    }

    /// Add `delta_ns` (either sign) to the card time.
    pub fn step(&self, delta_ns: i64) -> Result<(), ClockError> {
        let io = DeviceIo(self.dev);
        let r = regs(&io);
        let v = delta_ns as u64;
        self.wait_idle()?;
        r.clock_step_lo().write(|x| x.set_ns(v as u32));
        r.clock_step_hi().write(|x| x.set_ns((v >> 32) as u32));
        r.clock_cmd().write(|c| c.set_step(true));
        self.wait_idle()
    }

    /// Run `ppb` parts per billion faster (negative: slower) than nominal.
    pub fn set_freq_ppb(&self, ppb: f64) -> Result<(), ClockError> {
        let inc = self.nominal as f64 * (1.0 + ppb * 1e-9);
        if !inc.is_finite() || inc < 1.0 || inc >= (1u64 << 40) as f64 {
            return Err(ClockError::BadPpb { device: self.dev.name().into(), ppb });
        }
        let inc = inc.round() as u64;
        let io = DeviceIo(self.dev);
        let r = regs(&io);
        self.wait_idle()?;
        r.clock_inc_frac().write(|x| x.set_frac(inc as u32));
        r.clock_inc_ns().write(|x| x.set_ns((inc >> 32) as u8));
        r.clock_cmd().write(|c| c.set_inc(true));
        self.wait_idle()
    }

    fn wait_idle(&self) -> Result<(), ClockError> {
        let io = DeviceIo(self.dev);
        let r = regs(&io);
        let start = Instant::now();
        while r.clock_status().read().busy() {
            if start.elapsed() > CMD_TIMEOUT {
                return Err(ClockError::Stuck { device: self.dev.name().into(), waited: start.elapsed() });
            }
            std::hint::spin_loop();
        }
        Ok(())
    }

    /// Take one sample, feed it to `servo` and apply its correction.
    pub fn discipline(&self, servo: &mut Servo) -> Result<ServoReport, ClockError> {
        let s = self.sample();
        let offset = s.offset_ns();
        let mid = (i128::from(s.host_before_ns) + i128::from(s.host_after_ns)) / 2;
        match servo.sample(mid, offset) {
            Correction::None => {}
            Correction::Step { ns, ppb } => {
                self.set_freq_ppb(ppb)?;
                self.step(ns)?;
            }
            Correction::Frequency { ppb } => self.set_freq_ppb(ppb)?,
        }
        Ok(ServoReport {
            state: servo.state(),
            offset_ns: offset,
            freq_ppb: servo.freq_ppb(),
            applied_ppb: servo.applied_ppb(),
            bracket_ns: s.bracket_ns(),
        })
    }

    /// Run the servo for `samples` samples at its configured interval (sleeping on the device's
    /// host clock between samples), calling `report` after each.
    pub fn run_servo(
        &self,
        cfg: ServoConfig,
        samples: usize,
        mut report: impl FnMut(&ServoReport),
    ) -> Result<Servo, ClockError> {
        let interval = Duration::from_nanos(cfg.interval_ns);
        let mut servo = Servo::new(cfg);
        for _ in 0..samples {
            let rep = self.discipline(&mut servo)?;
            report(&rep);
            self.dev.host_sleep(interval);
        }
        Ok(servo)
    }
}
