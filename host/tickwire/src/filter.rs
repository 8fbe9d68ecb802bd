//! A ring's ITCH filters as the card applies them (registers RING[n].ITCH_TYPES,
//! RING[n].LOCATE_TYPES and the ring's stock-locate bitmap, written through LOCATE_ADDR /
//! LOCATE_DATA; see docs/registers.md and docs/architecture.md, ITCH filters).
//!
//! A message record reaches its ring only if its type's bit is set in `types` (bit i: the i-th
//! type of [`crate::tick::TICK_MESSAGES`]; bit [`RAW_BIT`]: raw records) and, when its type's bit
//! is set in `locate_types`, its stock_locate is set in `locates`. Event and verdict records
//! always pass.

use crate::tick::{message_layout, TickRecord, TICK_MESSAGES};

/// Bit of [`ItchFilter::types`] that passes raw records (unknown type or wrong length).
pub const RAW_BIT: u32 = 23;
/// Every type and raw records: the reset value of ITCH_TYPES.
pub const ALL_TYPES: u32 = (1 << 24) - 1;
/// Words (32 locates each) of one ring's bitmap.
pub const LOCATE_WORDS: usize = 65_536 / 32;

/// The bit of `types` / `locate_types` for ITCH message type `code`, if it is one of the 23.
pub fn type_bit(code: u8) -> Option<u32> {
    TICK_MESSAGES.iter().position(|m| m.message_type == code).map(|i| i as u32)
}

/// A mask of `types` bits from type bytes, e.g. `type_mask(b"AFEXDUCP")`.
///
/// # Panics
/// If a byte is not one of the 23 ITCH 5.0 types (a programming error in the caller).
pub fn type_mask(codes: &[u8]) -> u32 {
    codes.iter().fold(0, |m, &c| m | 1 << type_bit(c).unwrap_or_else(|| panic!("{:?} is no ITCH 5.0 type", c as char)))
}

/// One ring's 65 536-bit stock-locate bitmap, as the host keeps its image (the card's copy is
/// written only).
#[derive(Clone, PartialEq, Eq)]
pub struct LocateBitmap {
    words: Box<[u32; LOCATE_WORDS]>,
}

impl Default for LocateBitmap {
    fn default() -> Self {
        LocateBitmap { words: Box::new([0; LOCATE_WORDS]) }
    }
}

impl std::fmt::Debug for LocateBitmap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n: u32 = self.words.iter().map(|w| w.count_ones()).sum();
        write!(f, "LocateBitmap({n} locates)")
    }
}

impl LocateBitmap {
    /// Sets or clears one locate.
    pub fn set(&mut self, locate: u16, on: bool) {
        let (w, b) = (usize::from(locate) / 32, locate % 32);
        if on {
            self.words[w] |= 1 << b;
        } else {
            self.words[w] &= !(1 << b);
        }
    }

    /// Whether a locate is set.
    pub fn get(&self, locate: u16) -> bool {
        self.words[usize::from(locate) / 32] >> (locate % 32) & 1 != 0
    }

    /// The word holding `locate` (its index, as LOCATE_ADDR wants it).
    pub fn word_of(locate: u16) -> usize {
        usize::from(locate) / 32
    }

    /// All words, word w holding locates 32w..32w+31 (locate 32w+b in bit b).
    pub fn words(&self) -> &[u32; LOCATE_WORDS] {
        &self.words
    }
}

/// One ring's ITCH filters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItchFilter {
    /// ITCH_TYPES: bit i passes the i-th type, [`RAW_BIT`] raw records.
    pub types: u32,
    /// LOCATE_TYPES: types (bits 0..22) that must also have their locate in `locates`.
    pub locate_types: u32,
    /// The ring's locate bitmap.
    pub locates: LocateBitmap,
}

impl Default for ItchFilter {
    /// Everything passes (the card's reset state).
    fn default() -> Self {
        ItchFilter { types: ALL_TYPES, locate_types: 0, locates: LocateBitmap::default() }
    }
}

impl ItchFilter {
    /// Whether the card delivers `rec` (as the decoder made it) to this filter's ring.
    pub fn passes(&self, rec: &TickRecord) -> bool {
        if !rec.is_message() {
            return true;
        }
        let bit = if rec.is_raw() { RAW_BIT } else { type_bit(rec.msg_type).expect("a decoded record has a known type") };
        if self.types >> bit & 1 == 0 {
            return false;
        }
        rec.is_raw() || self.locate_types >> bit & 1 == 0 || self.locates.get(rec.stock_locate)
    }
}

/// True if `code` is one of the 23 types (for callers building masks from user input).
pub fn is_itch_type(code: u8) -> bool {
    message_layout(code).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_follow_the_tick_layout_order() {
        assert_eq!(type_bit(b'S'), Some(0));
        assert_eq!(type_bit(b'A'), Some(10));
        assert_eq!(type_bit(b'O'), Some(22));
        assert_eq!(type_bit(b'a'), None);
        assert_eq!(type_mask(b"SA"), 1 | 1 << 10);
    }

    #[test]
    fn bitmap_and_filter() {
        let mut f = ItchFilter { types: type_mask(b"ARS") | 1 << RAW_BIT, locate_types: type_mask(b"A"), ..Default::default() };
        f.locates.set(4242, true);
        assert!(f.locates.get(4242) && !f.locates.get(4243));
        let add = |locate: u16| {
            let mut m = vec![b'A'; 36];
            m[1..3].copy_from_slice(&locate.to_be_bytes());
            TickRecord::from_itch(&m)
        };
        assert!(f.passes(&add(4242)));
        assert!(!f.passes(&add(7)));
        let mut r = vec![b'R'; 39];
        r[1..3].copy_from_slice(&7u16.to_be_bytes());
        assert!(f.passes(&TickRecord::from_itch(&r)), "R is not locate-checked: always passes");
        assert!(!f.passes(&TickRecord::from_itch(&[b'E'; 31])), "E is not in types");
        assert!(f.passes(&TickRecord::from_itch(&[b'A'; 30])), "raw passes by RAW_BIT, never locate-checked");
    }
}
