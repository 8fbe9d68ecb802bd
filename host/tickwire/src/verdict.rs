//! Honouring frame verdicts on the host (cut-through mode).
//!
//! In cut-through mode the card sends a message's tick as soon as the message is complete, before
//! it knows whether the frame that carried it is good: a MAC error or a wrong UDP checksum shows
//! only at the frame's end. Every frame's ticks are contiguous in their ring and end with a tick
//! flagged FRAME_END (its last message, or a VERDICT record), which carries FRAME_BAD when the
//! frame turned out bad. [`VerdictGate`] holds a frame's ticks until that tick arrives, then
//! releases them (good) or discards them (bad). A LOSS flag while a frame is open means its
//! verdict may have been dropped with the lost ticks: the open frame's ticks are discarded as
//! unverified. In hold mode (`Card::set_hold`) frames arrive whole and good, and the gate only
//! strips VERDICT records.

use crate::tick::{TickRecord, FLAG_FRAME_BAD, FLAG_FRAME_END, FLAG_VERDICT};

/// What the gate did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct GateStats {
    /// Frames released whole.
    pub frames_good: u64,
    /// Frames flagged FRAME_BAD, discarded.
    pub frames_bad: u64,
    /// Ticks (not VERDICT records) discarded with bad frames.
    pub ticks_bad: u64,
    /// Ticks discarded because a LOSS flag cut their frame before its verdict.
    pub ticks_unverified: u64,
    /// VERDICT records seen (they carry no message and are never delivered).
    pub verdict_records: u64,
}

/// Holds each frame's ticks until its verdict (one gate per ring).
#[derive(Debug, Default)]
pub struct VerdictGate {
    pending: Vec<TickRecord>,
    stats: GateStats,
}

impl VerdictGate {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed the next tick of the ring; `deliver` gets every tick of a good frame, in order, when
    /// its verdict arrives (VERDICT records themselves are not delivered).
    pub fn push(&mut self, t: &TickRecord, mut deliver: impl FnMut(&TickRecord)) {
        if t.loss_before() && !self.pending.is_empty() {
            self.stats.ticks_unverified += self.pending.len() as u64;
            self.pending.clear();
        }
        if t.flags & FLAG_FRAME_END == 0 {
            self.pending.push(*t);
            return;
        }
        let is_record = t.flags & FLAG_VERDICT == 0;
        self.stats.verdict_records += u64::from(!is_record);
        if t.flags & FLAG_FRAME_BAD != 0 {
            self.stats.frames_bad += 1;
            self.stats.ticks_bad += self.pending.len() as u64 + u64::from(is_record);
            self.pending.clear();
            return;
        }
        self.stats.frames_good += 1;
        for p in self.pending.drain(..) {
            deliver(&p);
        }
        if is_record {
            deliver(t);
        }
    }

    /// Ticks waiting for their frame's verdict.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    pub fn stats(&self) -> GateStats {
        self.stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tick::FLAG_LOSS;

    fn t(seq: u64, flags: u16) -> TickRecord {
        TickRecord { seq, flags, ..TickRecord::default() }
    }

    #[test]
    fn good_bad_verdict_and_loss() {
        let mut g = VerdictGate::new();
        let mut out = Vec::new();
        let mut push = |g: &mut VerdictGate, x: TickRecord| g.push(&x, |r| out.push(r.seq));
        push(&mut g, t(1, 0));
        push(&mut g, t(2, FLAG_FRAME_END));                       // good: 1, 2
        push(&mut g, t(3, 0));
        push(&mut g, t(4, FLAG_FRAME_END | FLAG_FRAME_BAD));      // bad: dropped
        push(&mut g, t(5, 0));
        push(&mut g, t(0, FLAG_FRAME_END | FLAG_VERDICT));        // good, verdict record: 5
        push(&mut g, t(6, 0));
        push(&mut g, t(0, FLAG_FRAME_END | FLAG_VERDICT | FLAG_FRAME_BAD));
        push(&mut g, t(7, 0));
        push(&mut g, t(8, FLAG_LOSS));                            // 7 unverified
        push(&mut g, t(9, FLAG_FRAME_END));                       // 8, 9
        assert_eq!(out, vec![1, 2, 5, 8, 9]);
        assert_eq!(g.stats(), GateStats { frames_good: 3, frames_bad: 2, ticks_bad: 3, ticks_unverified: 1, verdict_records: 2 });
    }
}
