//! The card-clock servo: a PI controller that disciplines the card's clock to the host's.
//!
//! Pure arithmetic, no I/O: [`crate::clock::CardClock`] feeds it one offset per sample (card
//! time minus the midpoint of a bracketed host-clock read) and applies what it returns. Modelled
//! on linuxptp's PI servo: the first two samples measure the card's frequency error and step the
//! time; from then on a proportional and an integral term, both in parts per billion, steer the
//! card's increment. 1 ns of offset per second of interval is 1 ppb.

/// Servo tuning.
#[derive(Clone, Debug, PartialEq)]
pub struct ServoConfig {
    /// Time between samples, in host nanoseconds (the caller keeps this pace).
    pub interval_ns: u64,
    /// Proportional gain: fraction of the offset corrected per interval.
    pub kp: f64,
    /// Integral gain: fraction of the offset folded into the frequency estimate per interval.
    pub ki: f64,
    /// Once locked, an offset larger than this (ns) is stepped away instead of slewed.
    pub step_threshold_ns: u64,
    /// Largest frequency correction the servo asks for, in ppb (either sign).
    pub max_ppb: f64,
}

impl Default for ServoConfig {
    fn default() -> Self {
        ServoConfig {
            interval_ns: 1_000_000_000,
            kp: 0.7,
            ki: 0.3,
            step_threshold_ns: 1_000_000,
            max_ppb: 500_000.0,
        }
    }
}

/// What the card clock should do after a sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Correction {
    /// Nothing yet (the first sample only measures).
    None,
    /// Add `ns` (signed) to the card time, and run at `ppb` from now on.
    Step { ns: i64, ppb: f64 },
    /// Run at `ppb` relative to the nominal increment (positive: faster).
    Frequency { ppb: f64 },
}

/// Where the servo is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServoState {
    /// No sample yet.
    Unlocked,
    /// One sample taken: the next measures the frequency error and steps.
    Measuring,
    /// Steering the frequency.
    Locked,
}

/// The PI servo.
#[derive(Clone, Debug)]
pub struct Servo {
    cfg: ServoConfig,
    state: ServoState,
    first: Option<(i128, i64)>,
    /// The integral term: the frequency correction that holds the offset still (ppb).
    drift_ppb: f64,
    last_offset_ns: i64,
    last_ppb: f64,
    samples: u64,
}

impl Servo {
    pub fn new(cfg: ServoConfig) -> Self {
        Servo {
            cfg,
            state: ServoState::Unlocked,
            first: None,
            drift_ppb: 0.0,
            last_offset_ns: 0,
            last_ppb: 0.0,
            samples: 0,
        }
    }

    pub fn config(&self) -> &ServoConfig {
        &self.cfg
    }

    pub fn state(&self) -> ServoState {
        self.state
    }

    /// Offset (card − host, ns) of the last sample.
    pub fn offset_ns(&self) -> i64 {
        self.last_offset_ns
    }

    /// The servo's estimate of the frequency correction that holds the card on the host clock
    /// (the integral term, ppb relative to the nominal increment): minus the card oscillator's
    /// error. Smoother than [`Servo::applied_ppb`], which adds the proportional term.
    pub fn freq_ppb(&self) -> f64 {
        self.drift_ppb
    }

    /// The correction last handed out (ppb relative to the nominal increment).
    pub fn applied_ppb(&self) -> f64 {
        self.last_ppb
    }

    pub fn samples(&self) -> u64 {
        self.samples
    }

    /// Feed one sample: `offset_ns` = card time − host time, measured at host time `host_ns`.
    pub fn sample(&mut self, host_ns: i128, offset_ns: i64) -> Correction {
        self.samples += 1;
        self.last_offset_ns = offset_ns;
        let interval_s = self.cfg.interval_ns as f64 * 1e-9;
        let clamp = |p: f64, max: f64| p.clamp(-max, max);
        match self.state {
            ServoState::Unlocked => {
                self.first = Some((host_ns, offset_ns));
                self.state = ServoState::Measuring;
                Correction::None
            }
            ServoState::Measuring => {
                let (t0, o0) = self.first.take().expect("first sample kept while measuring");
                let dt_s = (host_ns - t0) as f64 * 1e-9;
                if dt_s <= 0.0 {
                    // Host clock did not advance: measure again.
                    self.first = Some((host_ns, offset_ns));
                    return Correction::None;
                }
                // The card gains (o1 - o0) ns in dt seconds at the correction it ran at.
                let card_err_ppb = (offset_ns - o0) as f64 / dt_s;
                self.drift_ppb = clamp(self.last_ppb - card_err_ppb, self.cfg.max_ppb);
                self.last_ppb = self.drift_ppb;
                self.state = ServoState::Locked;
                Correction::Step { ns: -offset_ns, ppb: self.last_ppb }
            }
            ServoState::Locked => {
                if offset_ns.unsigned_abs() > self.cfg.step_threshold_ns {
                    return Correction::Step { ns: -offset_ns, ppb: self.last_ppb };
                }
                let rate = offset_ns as f64 / interval_s; // ppb that would cancel it in one interval
                self.drift_ppb = clamp(self.drift_ppb - self.cfg.ki * rate, self.cfg.max_ppb);
                self.last_ppb = clamp(self.drift_ppb - self.cfg.kp * rate, self.cfg.max_ppb);
                Correction::Frequency { ppb: self.last_ppb }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A software card clock running `err_ppb` fast before correction; `off` is card − host in
    /// ns (kept relative: an f64 at 1e18 ns would lose the sub-ns drift per interval).
    struct FakeCard {
        off: f64,
        err_ppb: f64,
        ppb: f64,
    }

    impl FakeCard {
        fn advance(&mut self, dt_ns: f64) {
            let rate = (1.0 + self.err_ppb * 1e-9) * (1.0 + self.ppb * 1e-9);
            self.off += dt_ns * (rate - 1.0);
        }
    }

    /// Short intervals (as the simulation uses) make quantisation noise large in ppb: lower gains.
    const SIM_CFG: &ServoConfig = &ServoConfig {
        interval_ns: 50_000,
        kp: 0.3,
        ki: 0.05,
        step_threshold_ns: 1_000_000,
        max_ppb: 500_000.0,
    };

    /// Run `n` samples; card reads are quantised to `q_ns` (the card clock advances in whole
    /// rx_clk cycles). Returns the servo and the measured offsets.
    fn run(cfg: &ServoConfig, err_ppb: f64, start_offset: f64, q_ns: f64, n: usize) -> (Servo, Vec<i64>) {
        let mut s = Servo::new(cfg.clone());
        let mut card = FakeCard { off: start_offset, err_ppb, ppb: 0.0 };
        let mut host: i128 = 1_000_000_000_000_000_000;
        let mut offsets = Vec::new();
        for _ in 0..n {
            let off = ((card.off / q_ns).floor() * q_ns).round() as i64;
            offsets.push(off);
            match s.sample(host, off) {
                Correction::None => {}
                Correction::Step { ns, ppb } => {
                    card.off += ns as f64;
                    card.ppb = ppb;
                }
                Correction::Frequency { ppb } => card.ppb = ppb,
            }
            card.advance(cfg.interval_ns as f64);
            host += i128::from(cfg.interval_ns);
        }
        (s, offsets)
    }

    #[test]
    fn converges_from_80_ppm_fast() {
        let (s, offs) = run(SIM_CFG, 80_000.0, 123_456_789.0, 3.1, 200);
        assert_eq!(s.state(), ServoState::Locked);
        let tail = &offs[150..];
        let worst = tail.iter().map(|o| o.abs()).max().unwrap();
        assert!(worst <= 8, "steady-state offset up to {worst} ns: {tail:?}");
        assert!((s.freq_ppb() + 80_000.0 / 1.00008).abs() < 2_000.0, "freq {}", s.freq_ppb());
    }

    #[test]
    fn converges_from_slow_oscillator() {
        let (s, offs) = run(SIM_CFG, -35_000.0, -5_000.0, 1.0, 200);
        let worst = offs[150..].iter().map(|o| o.abs()).max().unwrap();
        assert!(worst <= 3, "steady-state offset up to {worst} ns");
        assert!((s.freq_ppb() - 35_000.0 / 0.999965).abs() < 2_000.0, "freq {}", s.freq_ppb());
    }

    #[test]
    fn large_offset_when_locked_is_stepped() {
        let mut s = Servo::new(ServoConfig::default());
        assert_eq!(s.sample(0, 10), Correction::None);
        assert!(matches!(s.sample(1_000_000_000, 10), Correction::Step { ns: -10, .. }));
        assert_eq!(
            s.sample(2_000_000_000, 5_000_000),
            Correction::Step { ns: -5_000_000, ppb: s.freq_ppb() }
        );
    }
}
