//! Ticks as the host sees them: the generated [`TickRecord`] plus accessors.

pub use crate::tick_layout::*;

/// Offset in `data` of a gap event record's first missing sequence number (u64 little-endian).
pub const GAP_FIRST_OFF: usize = TICK_GAP_FIRST_OFF - TICK_DATA_OFF;

impl TickRecord {
    /// True for a feed sequencer event record (not a message): see [`FLAG_EVENT`].
    pub fn is_event(&self) -> bool {
        self.flags & FLAG_EVENT != 0
    }

    /// True for an event record that reports a new session ([`EVENT_NEW_SESSION`]).
    pub fn is_session(&self) -> bool {
        self.is_event() && self.event & EVENT_NEW_SESSION != 0
    }

    /// True for an event record that reports an end of session ([`EVENT_END_OF_SESSION`]).
    pub fn is_end_of_session(&self) -> bool {
        self.is_event() && self.event & EVENT_END_OF_SESSION != 0
    }

    /// True when messages of this feed were lost on every line just before this record
    /// ([`FLAG_GAP`]: the gap event record and the first message after it).
    pub fn gap_before(&self) -> bool {
        self.flags & FLAG_GAP != 0
    }

    /// True for a late fill ([`FLAG_LATE`]): the other line's copy of a message its feed had
    /// reported missing in a gap event, delivered after later messages.
    pub fn is_late(&self) -> bool {
        self.flags & FLAG_LATE != 0
    }

    /// For a gap event record: the missing sequence numbers, `first..seq`.
    pub fn gap(&self) -> Option<std::ops::Range<u64>> {
        (self.is_event() && self.event & EVENT_GAP != 0).then(|| {
            let first = u64::from_le_bytes(self.data[GAP_FIRST_OFF..GAP_FIRST_OFF + 8].try_into().expect("8 bytes"));
            first..self.seq
        })
    }

    /// True for a verdict record (not a message): see [`FLAG_VERDICT`].
    pub fn is_verdict(&self) -> bool {
        self.flags & FLAG_VERDICT != 0
    }

    /// True for a message record (neither an event nor a verdict record).
    pub fn is_message(&self) -> bool {
        self.flags & (FLAG_EVENT | FLAG_VERDICT) == 0
    }

    /// True when the message was longer than [`TICK_DATA_CAP`] and `data` holds its start only.
    pub fn is_truncated(&self) -> bool {
        self.flags & FLAG_TRUNCATED != 0
    }

    /// True when ticks for this ring were dropped just before this one.
    pub fn loss_before(&self) -> bool {
        self.flags & FLAG_LOSS != 0
    }

    /// The message bytes the record carries (all of them unless truncated).
    pub fn message(&self) -> &[u8] {
        &self.data[..usize::from(self.msg_len).min(TICK_DATA_CAP)]
    }

    /// The feed's MoldUDP64 session, carried by every event record.
    pub fn session(&self) -> Option<[u8; 10]> {
        self.is_event()
            .then(|| self.data[..10].try_into().expect("10 bytes"))
    }

    /// The validity word's producer index (validity word - 1).
    pub fn producer_index(&self) -> u32 {
        self.valid.wrapping_sub(1)
    }
}
