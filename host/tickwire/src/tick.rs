//! Ticks as the host sees them: the generated [`TickRecord`], its typed ITCH view [`ItchTick`],
//! accessors, and the software ITCH decoder ([`TickRecord::from_itch`]) that fills a record the
//! way the card's decoder does (the reference model uses it).

pub use crate::tick_layout::*;

use crate::itch::{self, Decoded, DecodedField, FieldKind, FieldValue};

/// Size of the raw bytes of a raw record (wire bytes `TICK_RAW_WIRE..TICK_RAW_MAX`).
pub const TICK_RAW_BYTES: usize = TICK_RAW_MAX - TICK_RAW_WIRE;

/// The body offset (index into [`TickRecord::body`]) of tick byte `at`.
const fn body_at(at: usize) -> usize {
    at - TICK_BODY_OFF
}

/// The tick layout of ITCH message type `code`, if it is one of the 23.
pub fn message_layout(code: u8) -> Option<&'static TickMessageLayout> {
    TICK_MESSAGES.iter().find(|m| m.message_type == code)
}

impl TickRecord {
    /// A message record for the ITCH message `msg` (its wire bytes, as long as the MoldUDP64
    /// block says), decoded the way the card decodes it: header fields (`timestamp`,
    /// `stock_locate`, `msg_type`) from the wire bytes present; the body decoded by the type's
    /// table if the type is one of the 23 and the length is the type's, else raw (flag RAW, and
    /// TRUNCATED if longer than [`TICK_RAW_MAX`]). Every other field is zero.
    pub fn from_itch(msg: &[u8]) -> TickRecord {
        let mut b = [0u8; TICK_BYTES];
        let wire = |i: usize| msg.get(i).copied().unwrap_or(0);
        for h in TICK_ITCH_HEADER {
            if let Some(at) = h.at {
                for i in 0..h.size {
                    b[at + i] = wire(h.wire + h.size - 1 - i);
                }
            }
        }
        let mut flags = 0;
        match message_layout(wire(0)).filter(|m| !msg.is_empty() && m.len == msg.len()) {
            Some(layout) => {
                for f in layout.fields {
                    let Some(at) = f.at else { continue };
                    for i in 0..f.size {
                        let w = if f.kind == FieldKind::Alpha { f.wire + i } else { f.wire + f.size - 1 - i };
                        b[at + i] = wire(w);
                    }
                }
            }
            None => {
                flags |= FLAG_RAW;
                if msg.len() > TICK_RAW_MAX {
                    flags |= FLAG_TRUNCATED;
                }
                b[TICK_RAW_LEN_OFF..TICK_RAW_LEN_OFF + 2].copy_from_slice(&(msg.len() as u16).to_le_bytes());
                for i in 0..TICK_RAW_BYTES {
                    b[TICK_RAW_OFF + i] = wire(TICK_RAW_WIRE + i);
                }
            }
        }
        let mut rec = TickRecord::from_bytes(&b);
        rec.flags = flags;
        rec
    }

    /// True for a feed sequencer event record (not a message): see [`FLAG_EVENT`].
    pub fn is_event(&self) -> bool {
        self.flags & FLAG_EVENT != 0
    }

    /// An event record's event bits ([`EVENT_NEW_SESSION`], ...); 0 on other records.
    pub fn event_bits(&self) -> u8 {
        if self.is_event() {
            self.body[body_at(TICK_EV_BITS_OFF)]
        } else {
            0
        }
    }

    /// True for an event record that reports a new session ([`EVENT_NEW_SESSION`]).
    pub fn is_session(&self) -> bool {
        self.event_bits() & EVENT_NEW_SESSION != 0
    }

    /// True for an event record that reports an end of session ([`EVENT_END_OF_SESSION`]).
    pub fn is_end_of_session(&self) -> bool {
        self.event_bits() & EVENT_END_OF_SESSION != 0
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
        (self.event_bits() & EVENT_GAP != 0).then(|| {
            let o = body_at(TICK_GAP_FIRST_OFF);
            let first = u64::from_le_bytes(self.body[o..o + 8].try_into().expect("8 bytes"));
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

    /// True for a message the card delivered raw ([`FLAG_RAW`]): unknown type or wrong length.
    pub fn is_raw(&self) -> bool {
        self.is_message() && self.flags & FLAG_RAW != 0
    }

    /// True for a raw record whose message was longer than [`TICK_RAW_MAX`] bytes.
    pub fn is_truncated(&self) -> bool {
        self.flags & FLAG_TRUNCATED != 0
    }

    /// True when ticks for this ring were dropped just before this one.
    pub fn loss_before(&self) -> bool {
        self.flags & FLAG_LOSS != 0
    }

    /// The feed line the frame arrived on: 0 = A, 1 = B ([`FLAG_LINE_B`]).
    pub fn line(&self) -> u8 {
        u8::from(self.flags & FLAG_LINE_B != 0)
    }

    /// The ITCH timestamp (nanoseconds since midnight, 48 bits).
    pub fn timestamp_ns(&self) -> u64 {
        let mut b = [0u8; 8];
        b[..6].copy_from_slice(&self.timestamp);
        u64::from_le_bytes(b)
    }

    /// The message's length: from the MoldUDP64 block for a raw record, the type's fixed length
    /// for a decoded one (the card decodes only messages of exactly that length); 0 for event
    /// and verdict records.
    pub fn msg_len(&self) -> u16 {
        if !self.is_message() {
            0
        } else if self.is_raw() {
            let o = body_at(TICK_RAW_LEN_OFF);
            u16::from_le_bytes([self.body[o], self.body[o + 1]])
        } else {
            message_layout(self.msg_type).map_or(0, |m| m.len as u16)
        }
    }

    /// A raw record's message bytes as far as the record holds them: wire bytes 0..10 rebuilt
    /// from the header fields (the tracking number, not carried, reads 0), then the raw bytes, up
    /// to the message's length or [`TICK_RAW_MAX`]. `None` for other records.
    pub fn raw_message(&self) -> Option<Vec<u8>> {
        if !self.is_raw() {
            return None;
        }
        let n = usize::from(self.msg_len()).min(TICK_RAW_MAX);
        let mut m = vec![0u8; TICK_RAW_MAX];
        m[0] = self.msg_type;
        m[1..3].copy_from_slice(&self.stock_locate.to_be_bytes());
        m[5..11].copy_from_slice(&self.timestamp_ns().to_be_bytes()[2..]);
        let o = body_at(TICK_RAW_OFF);
        m[TICK_RAW_WIRE..].copy_from_slice(&self.body[o..o + TICK_RAW_BYTES]);
        m.truncate(n);
        Some(m)
    }

    /// The session of the feed, carried by every event record.
    pub fn session(&self) -> Option<[u8; 10]> {
        let o = body_at(TICK_SESSION_OFF);
        self.is_event().then(|| self.body[o..o + 10].try_into().expect("10 bytes"))
    }

    /// The field view of a decoded message record, the same shape [`itch::decode`] gives for
    /// wire bytes: `message_type`, `stock_locate`, `timestamp`, then every field the tick
    /// carries in wire order. What the tick does not carry (the tracking number; `stock` of `P`,
    /// `I`, `O`) is absent and listed in `omitted`. `None` for raw, event and verdict records.
    pub fn decoded(&self) -> Option<Decoded> {
        if !self.is_message() || self.is_raw() {
            return None;
        }
        let layout = message_layout(self.msg_type)?;
        let mut fields = Vec::with_capacity(layout.fields.len());
        let mut omitted = Vec::new();
        for f in layout.fields {
            let Some(at) = f.at else {
                omitted.push(f.name);
                continue;
            };
            let bytes = &self.body[body_at(at)..body_at(at) + f.size];
            let value = match f.kind {
                FieldKind::Alpha => FieldValue::Alpha(itch::alpha_str(bytes)),
                FieldKind::Int | FieldKind::Price(_) => {
                    FieldValue::Int(bytes.iter().rev().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
                }
            };
            fields.push(DecodedField { name: f.name, value });
        }
        Some(Decoded {
            message_type: char::from(self.msg_type),
            stock_locate: self.stock_locate,
            tracking_number: None,
            timestamp: self.timestamp_ns(),
            fields,
            omitted,
        })
    }

    /// The validity word's producer index (validity word - 1).
    pub fn producer_index(&self) -> u32 {
        self.valid.wrapping_sub(1)
    }
}

/// The day's stock directory as the ticks tell it: stock_locate → stock, learnt from decoded
/// `R` (Stock Directory) records. It gives back the `stock` field that `P`, `I` and `O` records
/// do not carry (see docs/tick-format.md).
#[derive(Debug, Clone, Default)]
pub struct StockDirectory {
    stocks: std::collections::HashMap<u16, [u8; 8]>,
}

impl StockDirectory {
    /// Learns from `rec` if it is a decoded `R` record.
    pub fn observe(&mut self, rec: &TickRecord) {
        if let Some(ItchTick::StockDirectory { stock, .. }) = rec.itch() {
            self.stocks.insert(rec.stock_locate, stock);
        }
    }

    /// The stock (space-padded, as on the wire) for a locate, if an `R` record named it.
    pub fn stock(&self, locate: u16) -> Option<[u8; 8]> {
        self.stocks.get(&locate).copied()
    }

    /// Puts `stock` back into a tick's field view where the tick did not carry it and the
    /// directory knows the locate: at its place in wire order, and out of `omitted`.
    pub fn fill(&self, d: &mut Decoded) {
        let Some(pos) = d.omitted.iter().position(|n| *n == "stock") else { return };
        let Some(stock) = self.stock(d.stock_locate) else { return };
        let Some(layout) = message_layout(d.message_type as u8) else { return };
        let wire_of = |name: &str| layout.fields.iter().find(|f| f.name == name).map_or(usize::MAX, |f| f.wire);
        let at = wire_of("stock");
        let i = d.fields.iter().position(|f| wire_of(f.name) > at).unwrap_or(d.fields.len());
        d.fields.insert(i, DecodedField { name: "stock", value: FieldValue::Alpha(itch::alpha_str(&stock)) });
        d.omitted.remove(pos);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itch::{MESSAGE_SPECS, MESSAGE_TYPES};

    /// The tick layout's ITCH tables and the ITCH module's own table (ITCH50.md) agree: same
    /// types in the same order, lengths, field names, wire offsets, sizes and kinds.
    #[test]
    fn tick_tables_match_the_itch_spec_table() {
        assert_eq!(TICK_MESSAGES.len(), 23);
        for (t, s) in TICK_MESSAGES.iter().zip(MESSAGE_SPECS) {
            assert_eq!((t.message_type, t.name, t.len), (s.message_type, s.name, s.len));
            assert_eq!(t.fields.len(), s.fields.len(), "{}", t.name);
            for (tf, sf) in t.fields.iter().zip(s.fields) {
                assert_eq!((tf.name, tf.wire, tf.size, tf.kind), (sf.name, sf.offset, sf.size, sf.kind), "{}", t.name);
            }
            // only the stock of P, I and O is left out
            let missing: Vec<&str> = t.fields.iter().filter(|f| f.at.is_none()).map(|f| f.name).collect();
            let expect: &[&str] = if matches!(t.message_type, b'P' | b'I' | b'O') { &["stock"] } else { &[] };
            assert_eq!(missing, expect, "{}", t.name);
        }
        assert_eq!(MESSAGE_TYPES.len(), 23);
    }

    /// Every field of every type, decoded from a message with distinct bytes, reads back as the
    /// ITCH decoder reads the wire bytes.
    #[test]
    fn from_itch_then_decoded_matches_the_wire_decoder() {
        for spec in MESSAGE_SPECS {
            let mut msg: Vec<u8> = (0..spec.len).map(|i| (i as u8).wrapping_mul(37).wrapping_add(11)).collect();
            msg[0] = spec.message_type;
            let rec = TickRecord::from_itch(&msg);
            assert!(!rec.is_raw());
            assert_eq!(rec.msg_len() as usize, spec.len);
            let want = itch::decode(&msg).unwrap();
            let got = rec.decoded().unwrap();
            assert_eq!((got.message_type, got.stock_locate, got.timestamp), (want.message_type, want.stock_locate, want.timestamp));
            for f in &want.fields {
                match got.field(f.name) {
                    Some(v) => assert_eq!(v, &f.value, "{} {}", spec.message_type as char, f.name),
                    None => assert!(got.omitted.contains(&f.name)),
                }
            }
            assert_eq!(rec.itch().unwrap().message_type(), spec.message_type);
        }
    }

    #[test]
    fn wrong_length_and_unknown_types_are_raw() {
        let mut msg = vec![b'A'; 37];
        msg[1] = 0x12;
        msg[2] = 0x34;
        let rec = TickRecord::from_itch(&msg);
        assert!(rec.is_raw() && !rec.is_truncated());
        assert_eq!(rec.stock_locate, 0x1234);
        assert_eq!(rec.msg_len(), 37);
        assert_eq!(rec.raw_message().unwrap()[11..], msg[11..]);
        assert!(rec.itch().is_none() && rec.decoded().is_none());
        let long = vec![b'z'; 60];
        let rec = TickRecord::from_itch(&long);
        assert!(rec.is_raw() && rec.is_truncated());
        assert_eq!(rec.raw_message().unwrap().len(), TICK_RAW_MAX);
        assert_eq!(rec.msg_len(), 60);
    }

    #[test]
    fn display_shows_prices_with_their_decimals() {
        let m = itch::Message {
            header: itch::Header { stock_locate: 7, tracking_number: 1, timestamp: 5 },
            body: itch::Body::AddOrder {
                order_reference_number: 42,
                buy_sell_indicator: b'B',
                shares: 100,
                stock: itch::pad_alpha("AAPL"),
                price: 1_872_500,
            },
        };
        let rec = TickRecord::from_itch(&m.encode());
        assert_eq!(
            rec.itch().unwrap().to_string(),
            "A order_reference_number=42 buy_sell_indicator=B shares=100 stock=AAPL price=187.2500"
        );
    }
}
