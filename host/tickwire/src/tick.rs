//! Ticks as the host sees them: the generated [`TickRecord`] plus accessors.

pub use crate::tick_layout::*;

impl TickRecord {
    /// True for a session record (not a message): see [`FLAG_SESSION`].
    pub fn is_session(&self) -> bool {
        self.flags & FLAG_SESSION != 0
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

    /// The MoldUDP64 session of a session record.
    pub fn session(&self) -> Option<[u8; 10]> {
        self.is_session()
            .then(|| self.data[..10].try_into().expect("10 bytes"))
    }

    /// The validity word's producer index (validity word - 1).
    pub fn producer_index(&self) -> u32 {
        self.valid.wrapping_sub(1)
    }
}
