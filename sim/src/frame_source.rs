// SPDX-License-Identifier: Apache-2.0
//! MAC-side frame source: AXI-Stream, 64-bit beats, no tready (a MAC cannot be stalled).
//!
//! Frames (without FCS) queue up and are sent as beats of 8 bytes, lane 0 = first byte,
//! `tkeep` marking the valid bytes of the last beat, `tlast` on the last beat and `tuser` =
//! MAC error on the last beat. Idle cycles are inserted at random (probability `idle_prob`)
//! between two beats of a frame and between frames. Optional line-rate pacing: a frame starts no
//! earlier than the wire time of the frames before it allows (counting 8 preamble + 12 IFG + 4 FCS
//! bytes, and the 64-byte minimum frame). Bytes without `tkeep` and `tdata` in idle cycles carry
//! random garbage, so a parser that looks at them is caught.

use std::collections::VecDeque;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One cycle of the MAC stream.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AxisBeat {
    pub tdata: u64,
    pub tkeep: u8,
    pub tvalid: bool,
    pub tlast: bool,
    pub tuser: bool,
}

/// Knobs of the frame source.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameSourceConfig {
    /// Probability of an idle cycle before each beat (inside a frame and between frames).
    pub idle_prob: f64,
    /// Pace frames to this line rate (bits/s), or back to back when None.
    pub line_rate_bps: Option<u64>,
    /// Period of rx_clk, for the pacing arithmetic.
    pub rx_period_ps: u64,
}

#[derive(Debug)]
struct Current {
    frame: Vec<u8>,
    mac_error: bool,
    off: usize,
}

/// A beat the core took: which frame (counted from 0 in the order they were pushed), which beat
/// of it (bytes `8 * beat ..`), and the rx_clk rising edge that took it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BeatTaken {
    pub frame: u64,
    pub beat: u32,
    pub time_ps: u64,
}

/// The frame source.
#[derive(Debug)]
pub struct FrameSource {
    cfg: FrameSourceConfig,
    rng: ChaCha8Rng,
    queue: VecDeque<(Vec<u8>, bool)>,
    cur: Option<Current>,
    out: AxisBeat,
    /// Earliest time the next frame may start (pacing).
    next_start_ps: u64,
    frames_sent: u64,
    beats_sent: u64,
    /// Beat index (in its frame) of the beat driven now.
    out_beat: u32,
    /// Some: every beat taken is logged (latency measurements).
    log: Option<Vec<BeatTaken>>,
}

/// Bytes a frame of `len` bytes (without FCS) occupies on the wire.
pub fn wire_bytes(len: usize) -> u64 {
    (len as u64 + 4).max(64) + 8 + 12
}

impl FrameSource {
    pub fn new(cfg: FrameSourceConfig, seed: u64) -> FrameSource {
        assert!(
            (0.0..1.0).contains(&cfg.idle_prob),
            "idle_prob must be in [0, 1)"
        );
        assert!(cfg.line_rate_bps != Some(0), "line_rate_bps must not be 0");
        FrameSource {
            cfg,
            rng: ChaCha8Rng::seed_from_u64(seed),
            queue: VecDeque::new(),
            cur: None,
            out: AxisBeat::default(),
            next_start_ps: 0,
            frames_sent: 0,
            beats_sent: 0,
            out_beat: 0,
            log: None,
        }
    }

    /// Start (or stop) logging every beat taken, with the time of the edge that took it.
    pub fn log_beats(&mut self, on: bool) {
        self.log = on.then(Vec::new);
    }

    /// The beats taken since the last call (logging stays on).
    pub fn take_beat_log(&mut self) -> Vec<BeatTaken> {
        self.log.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Queue a frame (without FCS). Panics on an empty frame (AXI-Stream cannot carry one).
    pub fn push(&mut self, frame: Vec<u8>, mac_error: bool) {
        assert!(
            !frame.is_empty(),
            "push_frame: an empty frame cannot be sent"
        );
        self.queue.push_back((frame, mac_error));
    }

    /// Frames queued or being sent (until their last beat has been taken).
    pub fn pending(&self) -> usize {
        self.queue.len()
            + self.cur.is_some() as usize
            + (self.out.tvalid && self.out.tlast) as usize
    }

    pub fn frames_sent(&self) -> u64 {
        self.frames_sent
    }

    pub fn beats_sent(&self) -> u64 {
        self.beats_sent
    }

    /// Signals driven during the current rx_clk cycle.
    pub fn drive(&self) -> AxisBeat {
        self.out
    }

    /// Rising edge of rx_clk at `now_ps`: the beat driven so far is taken (no tready); choose the
    /// next one.
    pub fn clock(&mut self, now_ps: u64) {
        if self.out.tvalid {
            if let Some(log) = self.log.as_mut() {
                log.push(BeatTaken { frame: self.frames_sent, beat: self.out_beat, time_ps: now_ps });
            }
            self.beats_sent += 1;
            if self.out.tlast {
                self.frames_sent += 1;
            }
        }
        let idle = self.cfg.idle_prob > 0.0 && self.rng.random_bool(self.cfg.idle_prob);
        if self.cur.is_none() && !idle && now_ps >= self.next_start_ps {
            if let Some((frame, mac_error)) = self.queue.pop_front() {
                if let Some(rate) = self.cfg.line_rate_bps {
                    let wire_ps = (wire_bytes(frame.len()) as u128 * 8 * 1_000_000_000_000)
                        .div_ceil(rate as u128) as u64;
                    // Started at the first edge it was allowed: keep the long-run rate exact.
                    let base = if now_ps < self.next_start_ps + self.cfg.rx_period_ps {
                        self.next_start_ps
                    } else {
                        now_ps
                    };
                    self.next_start_ps = base + wire_ps;
                }
                self.cur = Some(Current {
                    frame,
                    mac_error,
                    off: 0,
                });
            }
        }
        let garbage: u64 = self.rng.random();
        match (&mut self.cur, idle) {
            (Some(c), false) => {
                let n = (c.frame.len() - c.off).min(8);
                self.out_beat = (c.off / 8) as u32;
                let mut bytes = garbage.to_le_bytes();
                bytes[..n].copy_from_slice(&c.frame[c.off..c.off + n]);
                c.off += n;
                let last = c.off == c.frame.len();
                self.out = AxisBeat {
                    tdata: u64::from_le_bytes(bytes),
                    tkeep: ((1u16 << n) - 1) as u8,
                    tvalid: true,
                    tlast: last,
                    tuser: last && c.mac_error,
                };
                if last {
                    self.cur = None;
                }
            }
            _ => {
                self.out = AxisBeat {
                    tdata: garbage,
                    ..Default::default()
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monitor: reassemble frames from beats, checking the stream rules.
    fn collect(src: &mut FrameSource, cycles: u64, period: u64) -> Vec<(Vec<u8>, bool, u64)> {
        let mut out = vec![];
        let mut cur: Vec<u8> = vec![];
        let mut start = 0;
        for c in 1..=cycles {
            let b = src.drive();
            if b.tvalid {
                if cur.is_empty() {
                    start = c * period;
                }
                let n = b.tkeep.count_ones() as usize;
                assert_eq!(
                    b.tkeep,
                    ((1u16 << n) - 1) as u8,
                    "tkeep contiguous from lane 0"
                );
                assert!(n == 8 || b.tlast, "only the last beat is partial");
                assert!(!b.tuser || b.tlast, "tuser only on the last beat");
                cur.extend_from_slice(&b.tdata.to_le_bytes()[..n]);
                if b.tlast {
                    out.push((std::mem::take(&mut cur), b.tuser, start));
                }
            }
            src.clock(c * period);
        }
        out
    }

    #[test]
    fn frames_come_out_intact_with_idles() {
        let mut src = FrameSource::new(
            FrameSourceConfig {
                idle_prob: 0.3,
                line_rate_bps: None,
                rx_period_ps: 3103,
            },
            9,
        );
        let frames: Vec<Vec<u8>> = (1..40usize)
            .map(|n| (0..n * 3).map(|i| (i * 7 + n) as u8).collect())
            .collect();
        for (i, f) in frames.iter().enumerate() {
            src.push(f.clone(), i % 5 == 0);
        }
        assert_eq!(src.pending(), frames.len());
        let got = collect(&mut src, 5000, 3103);
        assert_eq!(got.len(), frames.len());
        for (i, (g, f)) in got.iter().zip(&frames).enumerate() {
            assert_eq!(&g.0, f);
            assert_eq!(g.1, i % 5 == 0);
        }
        assert_eq!(src.pending(), 0);
        assert_eq!(src.frames_sent(), frames.len() as u64);
    }

    #[test]
    fn back_to_back_without_idles() {
        let mut src = FrameSource::new(
            FrameSourceConfig {
                idle_prob: 0.0,
                line_rate_bps: None,
                rx_period_ps: 3103,
            },
            1,
        );
        src.push(vec![1; 16], false);
        src.push(vec![2; 9], true);
        let mut valid = vec![];
        for c in 1..=6 {
            valid.push(src.drive().tvalid);
            src.clock(c * 3103);
        }
        assert_eq!(valid, [false, true, true, true, true, false]);
    }

    #[test]
    fn line_rate_pacing() {
        let rate = 10_000_000_000u64;
        let mut src = FrameSource::new(
            FrameSourceConfig {
                idle_prob: 0.0,
                line_rate_bps: Some(rate),
                rx_period_ps: 3103,
            },
            1,
        );
        for _ in 0..200 {
            src.push(vec![0x55; 100], false);
        }
        let got = collect(&mut src, 100_000, 3103);
        assert_eq!(got.len(), 200);
        // 124 bytes on the wire = 99.2 ns at 10 Gb/s.
        let span = got[199].2 - got[0].2;
        let ideal = 199 * 99_200;
        assert!(
            span >= ideal && span < ideal + 3103,
            "span {span} ps, ideal {ideal} ps"
        );
        for w in got.windows(2) {
            assert!(w[1].2 - w[0].2 >= 99_200 - 3103);
        }
    }
}
