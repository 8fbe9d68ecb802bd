//! NASDAQ TotalView-ITCH 5.0 messages: lengths, a field-table decoder, and a typed encoder.
//!
//! The authority for field names, offsets and sizes is `shared/ITCH50.md`; the table in this
//! module ([`MESSAGE_SPECS`]) repeats it line for line, with the byte offset of every field, so the
//! two can be compared by eye. Everything here is pure software: it is the host's reference for
//! what the card carries, and the generator's way of building messages.
//!
//! Wire conventions (all of ITCH 5.0):
//! - integers are big-endian; the timestamp is 6 bytes (nanoseconds since midnight, 48 bits);
//! - prices are unsigned integers with implied decimals (4, or 8 for the MWCB levels of `V`).
//!   This module never scales them: a decoded price is the raw wire integer;
//! - alpha fields are ASCII, left-justified and space-padded.
//!
//! Two views of a message:
//! - [`decode`] / [`decode_prefix`] give a [`Decoded`]: the common header plus the type's fields as
//!   `(name, value)` pairs in the spec's order, with the spec's snake_case names. It is what the
//!   driver and the CLI print and compare (see [`Decoded::to_json_map`]). [`decode_prefix`] handles
//!   the card's truncated messages (the card keeps only the first 40 bytes of a message, so `P`
//!   (44), `I` (50) and `O` (48) arrive cut short).
//! - [`Message`] (a [`Header`] and a typed [`Body`]) is built by the generator and tests and turned
//!   into wire bytes with [`Message::encode`]; [`Message::decode`] is its typed inverse.

use std::fmt;

use serde_json::{Map, Value};
use thiserror::Error;

/// Length of the header every ITCH 5.0 message starts with: type (1), stock_locate (2),
/// tracking_number (2), timestamp (6).
pub const HEADER_LEN: usize = 11;

/// Largest valid timestamp: the wire field is 48 bits wide.
pub const MAX_TIMESTAMP: u64 = (1 << 48) - 1;

/// Errors from decoding ITCH 5.0 message bytes.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ItchError {
    /// The message has no bytes at all (not even a type byte).
    #[error("empty ITCH message")]
    Empty,
    /// The first byte is not one of the 23 ITCH 5.0 message types.
    #[error("unknown ITCH message type 0x{code:02x} ({})", printable(*.code))]
    UnknownType {
        /// The offending type byte.
        code: u8,
    },
    /// The message length does not match the fixed length of its type.
    #[error(
        "ITCH '{message_type}' message has the wrong length: expected {expected} bytes, got {got}"
    )]
    LengthMismatch {
        /// The message type.
        message_type: char,
        /// The type's fixed length from ITCH50.md.
        expected: usize,
        /// The length that was given.
        got: usize,
    },
    /// A prefix holds more bytes than the full message it is a prefix of.
    #[error(
        "ITCH '{message_type}' prefix has {available} bytes, more than the full length {full_len}"
    )]
    PrefixTooLong {
        /// The message type.
        message_type: char,
        /// Bytes available.
        available: usize,
        /// The full message length.
        full_len: usize,
    },
    /// A prefix too short to hold the common 11-byte header.
    #[error("ITCH '{message_type}' prefix has {available} bytes, fewer than the {HEADER_LEN}-byte header")]
    TruncatedHeader {
        /// The message type.
        message_type: char,
        /// Bytes available.
        available: usize,
    },
}

fn printable(code: u8) -> String {
    if code.is_ascii_graphic() {
        format!("'{}'", code as char)
    } else {
        "not printable".to_owned()
    }
}

/// How a field's bytes are interpreted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Unsigned big-endian integer.
    Int,
    /// Unsigned big-endian integer price with this many implied decimals (4, or 8 for `V`).
    Price(u8),
    /// ASCII, left-justified, space-padded.
    Alpha,
}

/// One field of a message type, after the common header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// snake_case name from ITCH50.md.
    pub name: &'static str,
    /// Byte offset from the start of the message (the type byte is offset 0).
    pub offset: usize,
    /// Size in bytes.
    pub size: usize,
    /// Interpretation.
    pub kind: FieldKind,
}

impl FieldSpec {
    /// Offset one past the field's last byte.
    pub fn end(&self) -> usize {
        self.offset + self.size
    }
}

/// The layout of one message type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageSpec {
    /// Type byte, e.g. `b'A'`.
    pub message_type: u8,
    /// Name from the specification, e.g. "Add Order (no MPID)".
    pub name: &'static str,
    /// Fixed message length in bytes (header included).
    pub len: usize,
    /// Fields after the common header, in wire order.
    pub fields: &'static [FieldSpec],
}

/// A value stored in a message field (private plumbing for the typed encoder/decoder).
trait Wire: Sized {
    const SIZE: usize;
    fn put(&self, buf: &mut [u8]);
    fn get(buf: &[u8]) -> Self;
}

impl Wire for u8 {
    const SIZE: usize = 1;
    fn put(&self, buf: &mut [u8]) {
        buf[0] = *self;
    }
    fn get(buf: &[u8]) -> Self {
        buf[0]
    }
}

impl Wire for u32 {
    const SIZE: usize = 4;
    fn put(&self, buf: &mut [u8]) {
        buf[..4].copy_from_slice(&self.to_be_bytes());
    }
    fn get(buf: &[u8]) -> Self {
        u32::from_be_bytes(buf[..4].try_into().expect("4 bytes"))
    }
}

impl Wire for u64 {
    const SIZE: usize = 8;
    fn put(&self, buf: &mut [u8]) {
        buf[..8].copy_from_slice(&self.to_be_bytes());
    }
    fn get(buf: &[u8]) -> Self {
        u64::from_be_bytes(buf[..8].try_into().expect("8 bytes"))
    }
}

impl<const N: usize> Wire for [u8; N] {
    const SIZE: usize = N;
    fn put(&self, buf: &mut [u8]) {
        buf[..N].copy_from_slice(self);
    }
    fn get(buf: &[u8]) -> Self {
        buf[..N].try_into().expect("N bytes")
    }
}

/// Declares all message types once: the typed [`Body`], the field table [`MESSAGE_SPECS`], and the
/// typed encoder/decoder are all generated from the same lines, so they cannot disagree.
/// Each field is `name @ offset: RustType => Kind`; the size comes from the Rust type
/// (u8: 1-char alpha, [u8; N]: N-char alpha, u32: 4 bytes, u64: 8 bytes).
macro_rules! itch_messages {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $code:literal, $name:literal, $len:literal {
            $( $field:ident @ $off:literal : $ty:ty => $kind:expr ),+ $(,)?
        }
    )+) => {
        /// The body of an ITCH 5.0 message: everything after the common [`Header`], typed.
        ///
        /// Alpha fields are raw bytes (`u8` for one character, `[u8; N]` otherwise), left-justified
        /// and space-padded as on the wire (see [`pad_alpha`]); prices are raw integers with implied
        /// decimals.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum Body {
            $(
                $(#[$doc])*
                $variant {
                    $(
                        #[allow(missing_docs)]
                        $field: $ty,
                    )+
                },
            )+
        }

        /// Layout of every ITCH 5.0 message type, in the order of ITCH50.md.
        pub static MESSAGE_SPECS: &[MessageSpec] = &[
            $(
                MessageSpec {
                    message_type: $code,
                    name: $name,
                    len: $len,
                    fields: &[
                        $(
                            FieldSpec {
                                name: stringify!($field),
                                offset: $off,
                                size: <$ty as Wire>::SIZE,
                                kind: $kind,
                            },
                        )+
                    ],
                },
            )+
        ];

        impl Body {
            /// The message type byte of this body, e.g. `b'A'` for [`Body::AddOrder`].
            pub fn message_type(&self) -> u8 {
                match self {
                    $( Body::$variant { .. } => $code, )+
                }
            }

            /// Writes the fields into `buf` (a whole message buffer, type byte at offset 0).
            fn write_fields(&self, buf: &mut [u8]) {
                match self {
                    $(
                        Body::$variant { $( $field ),+ } => {
                            $( Wire::put($field, &mut buf[$off..]); )+
                        }
                    )+
                }
            }

            /// Reads the fields of type `code` from a whole message buffer of the right length.
            fn read_fields(code: u8, buf: &[u8]) -> Option<Body> {
                match code {
                    $(
                        $code => Some(Body::$variant {
                            $( $field: <$ty as Wire>::get(&buf[$off..]), )+
                        }),
                    )+
                    _ => None,
                }
            }
        }
    };
}

use FieldKind::{Alpha, Int, Price};

itch_messages! {
    /// `S` System Event.
    SystemEvent = b'S', "System Event", 12 {
        event_code @ 11: u8 => Alpha,
    }
    /// `R` Stock Directory.
    StockDirectory = b'R', "Stock Directory", 39 {
        stock @ 11: [u8; 8] => Alpha,
        market_category @ 19: u8 => Alpha,
        financial_status_indicator @ 20: u8 => Alpha,
        round_lot_size @ 21: u32 => Int,
        round_lots_only @ 25: u8 => Alpha,
        issue_classification @ 26: u8 => Alpha,
        issue_sub_type @ 27: [u8; 2] => Alpha,
        authenticity @ 29: u8 => Alpha,
        short_sale_threshold_indicator @ 30: u8 => Alpha,
        ipo_flag @ 31: u8 => Alpha,
        luld_reference_price_tier @ 32: u8 => Alpha,
        etp_flag @ 33: u8 => Alpha,
        etp_leverage_factor @ 34: u32 => Int,
        inverse_indicator @ 38: u8 => Alpha,
    }
    /// `H` Stock Trading Action.
    StockTradingAction = b'H', "Stock Trading Action", 25 {
        stock @ 11: [u8; 8] => Alpha,
        trading_state @ 19: u8 => Alpha,
        reserved @ 20: u8 => Alpha,
        reason @ 21: [u8; 4] => Alpha,
    }
    /// `Y` Reg SHO Restriction.
    RegShoRestriction = b'Y', "Reg SHO Restriction", 20 {
        stock @ 11: [u8; 8] => Alpha,
        reg_sho_action @ 19: u8 => Alpha,
    }
    /// `L` Market Participant Position.
    MarketParticipantPosition = b'L', "Market Participant Position", 26 {
        mpid @ 11: [u8; 4] => Alpha,
        stock @ 15: [u8; 8] => Alpha,
        primary_market_maker @ 23: u8 => Alpha,
        market_maker_mode @ 24: u8 => Alpha,
        market_participant_state @ 25: u8 => Alpha,
    }
    /// `V` MWCB Decline Level (prices with 8 implied decimals).
    MwcbDeclineLevel = b'V', "MWCB Decline Level", 35 {
        level1 @ 11: u64 => Price(8),
        level2 @ 19: u64 => Price(8),
        level3 @ 27: u64 => Price(8),
    }
    /// `W` MWCB Status.
    MwcbStatus = b'W', "MWCB Status", 12 {
        breached_level @ 11: u8 => Alpha,
    }
    /// `K` IPO Quoting Period Update.
    IpoQuotingPeriodUpdate = b'K', "IPO Quoting Period Update", 28 {
        stock @ 11: [u8; 8] => Alpha,
        ipo_quotation_release_time @ 19: u32 => Int,
        ipo_quotation_release_qualifier @ 23: u8 => Alpha,
        ipo_price @ 24: u32 => Price(4),
    }
    /// `J` LULD Auction Collar.
    LuldAuctionCollar = b'J', "LULD Auction Collar", 35 {
        stock @ 11: [u8; 8] => Alpha,
        auction_collar_reference_price @ 19: u32 => Price(4),
        upper_auction_collar_price @ 23: u32 => Price(4),
        lower_auction_collar_price @ 27: u32 => Price(4),
        auction_collar_extension @ 31: u32 => Int,
    }
    /// `h` Operational Halt.
    OperationalHalt = b'h', "Operational Halt", 21 {
        stock @ 11: [u8; 8] => Alpha,
        market_code @ 19: u8 => Alpha,
        operational_halt_action @ 20: u8 => Alpha,
    }
    /// `A` Add Order (no MPID attribution).
    AddOrder = b'A', "Add Order (no MPID)", 36 {
        order_reference_number @ 11: u64 => Int,
        buy_sell_indicator @ 19: u8 => Alpha,
        shares @ 20: u32 => Int,
        stock @ 24: [u8; 8] => Alpha,
        price @ 32: u32 => Price(4),
    }
    /// `F` Add Order with MPID attribution.
    AddOrderMpid = b'F', "Add Order (MPID)", 40 {
        order_reference_number @ 11: u64 => Int,
        buy_sell_indicator @ 19: u8 => Alpha,
        shares @ 20: u32 => Int,
        stock @ 24: [u8; 8] => Alpha,
        price @ 32: u32 => Price(4),
        attribution @ 36: [u8; 4] => Alpha,
    }
    /// `E` Order Executed.
    OrderExecuted = b'E', "Order Executed", 31 {
        order_reference_number @ 11: u64 => Int,
        executed_shares @ 19: u32 => Int,
        match_number @ 23: u64 => Int,
    }
    /// `C` Order Executed With Price.
    OrderExecutedWithPrice = b'C', "Order Executed With Price", 36 {
        order_reference_number @ 11: u64 => Int,
        executed_shares @ 19: u32 => Int,
        match_number @ 23: u64 => Int,
        printable @ 31: u8 => Alpha,
        execution_price @ 32: u32 => Price(4),
    }
    /// `X` Order Cancel (partial).
    OrderCancel = b'X', "Order Cancel", 23 {
        order_reference_number @ 11: u64 => Int,
        cancelled_shares @ 19: u32 => Int,
    }
    /// `D` Order Delete.
    OrderDelete = b'D', "Order Delete", 19 {
        order_reference_number @ 11: u64 => Int,
    }
    /// `U` Order Replace.
    OrderReplace = b'U', "Order Replace", 35 {
        original_order_reference_number @ 11: u64 => Int,
        new_order_reference_number @ 19: u64 => Int,
        shares @ 27: u32 => Int,
        price @ 31: u32 => Price(4),
    }
    /// `P` Trade (non-cross).
    Trade = b'P', "Trade (non-cross)", 44 {
        order_reference_number @ 11: u64 => Int,
        buy_sell_indicator @ 19: u8 => Alpha,
        shares @ 20: u32 => Int,
        stock @ 24: [u8; 8] => Alpha,
        price @ 32: u32 => Price(4),
        match_number @ 36: u64 => Int,
    }
    /// `Q` Cross Trade.
    CrossTrade = b'Q', "Cross Trade", 40 {
        shares @ 11: u64 => Int,
        stock @ 19: [u8; 8] => Alpha,
        cross_price @ 27: u32 => Price(4),
        match_number @ 31: u64 => Int,
        cross_type @ 39: u8 => Alpha,
    }
    /// `B` Broken Trade.
    BrokenTrade = b'B', "Broken Trade", 19 {
        match_number @ 11: u64 => Int,
    }
    /// `I` Net Order Imbalance Indicator (NOII).
    Noii = b'I', "NOII", 50 {
        paired_shares @ 11: u64 => Int,
        imbalance_shares @ 19: u64 => Int,
        imbalance_direction @ 27: u8 => Alpha,
        stock @ 28: [u8; 8] => Alpha,
        far_price @ 36: u32 => Price(4),
        near_price @ 40: u32 => Price(4),
        current_reference_price @ 44: u32 => Price(4),
        cross_type @ 48: u8 => Alpha,
        price_variation_indicator @ 49: u8 => Alpha,
    }
    /// `N` Retail Price Improvement Indicator.
    RetailPriceImprovement = b'N', "Retail Price Improvement Indicator", 20 {
        stock @ 11: [u8; 8] => Alpha,
        interest_flag @ 19: u8 => Alpha,
    }
    /// `O` Direct Listing with Capital Raise price discovery.
    DirectListingCapitalRaise = b'O', "Direct Listing with Capital Raise", 48 {
        stock @ 11: [u8; 8] => Alpha,
        open_eligibility_status @ 19: u8 => Alpha,
        minimum_allowable_price @ 20: u32 => Price(4),
        maximum_allowable_price @ 24: u32 => Price(4),
        near_execution_price @ 28: u32 => Price(4),
        near_execution_time @ 32: u64 => Int,
        lower_price_range_collar @ 40: u32 => Price(4),
        upper_price_range_collar @ 44: u32 => Price(4),
    }
}

/// The 23 ITCH 5.0 message type bytes, in the order of ITCH50.md.
pub const MESSAGE_TYPES: [u8; 23] = [
    b'S', b'R', b'H', b'Y', b'L', b'V', b'W', b'K', b'J', b'h', b'A', b'F', b'E', b'C', b'X', b'D',
    b'U', b'P', b'Q', b'B', b'I', b'N', b'O',
];

/// The layout of `message_type`, or `None` for a byte that is not an ITCH 5.0 type.
pub fn spec(message_type: u8) -> Option<&'static MessageSpec> {
    MESSAGE_SPECS
        .iter()
        .find(|s| s.message_type == message_type)
}

/// Fixed length in bytes (header included) of messages of `message_type`, per ITCH50.md;
/// `None` for a byte that is not an ITCH 5.0 type.
pub fn message_len(message_type: u8) -> Option<usize> {
    spec(message_type).map(|s| s.len)
}

/// Left-justifies `s` in an `N`-byte, space-padded alpha field.
///
/// # Panics
/// If `s` is longer than `N` bytes or not ASCII (a programming error in the caller).
pub fn pad_alpha<const N: usize>(s: &str) -> [u8; N] {
    assert!(s.is_ascii(), "alpha field {s:?} is not ASCII");
    assert!(s.len() <= N, "alpha field {s:?} is longer than {N} bytes");
    let mut out = [b' '; N];
    out[..s.len()].copy_from_slice(s.as_bytes());
    out
}

/// An alpha field as text: bytes mapped one to one onto characters (Latin-1); a field of more
/// than one character has its trailing spaces trimmed, a one-character field stays as it is.
pub fn alpha_str(bytes: &[u8]) -> String {
    let text: String = bytes.iter().map(|&b| char::from(b)).collect();
    if bytes.len() == 1 {
        text
    } else {
        text.trim_end_matches(' ').to_owned()
    }
}

/// A raw price integer with its implied decimals shown: `price_str(1_872_500, 4)` is `"187.2500"`.
pub fn price_str(raw: u64, decimals: u8) -> String {
    let scale = 10u64.pow(u32::from(decimals));
    format!("{}.{:0width$}", raw / scale, raw % scale, width = usize::from(decimals))
}

/// The common header of every message (everything but the type byte, which the [`Body`] implies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Header {
    /// Locate code of the security (0 for market-wide messages).
    pub stock_locate: u16,
    /// NASDAQ internal tracking number.
    pub tracking_number: u16,
    /// Nanoseconds since midnight; 48 bits on the wire (at most [`MAX_TIMESTAMP`]).
    pub timestamp: u64,
}

/// A whole ITCH 5.0 message: the common header and a typed body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Message {
    /// Common header fields.
    pub header: Header,
    /// Type and type-specific fields.
    pub body: Body,
}

impl Message {
    /// The message type byte.
    pub fn message_type(&self) -> u8 {
        self.body.message_type()
    }

    /// Wire length of this message.
    pub fn len(&self) -> usize {
        message_len(self.message_type()).expect("every Body variant has a spec")
    }

    /// Always false: every ITCH message has at least the 11-byte header (here for clippy's sake).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The message's big-endian wire bytes.
    ///
    /// # Panics
    /// If the timestamp does not fit in 48 bits (above [`MAX_TIMESTAMP`]).
    pub fn encode(&self) -> Vec<u8> {
        let mut buf = vec![0u8; self.len()];
        self.encode_into(&mut buf);
        buf
    }

    /// Appends the message's wire bytes to `out`.
    ///
    /// # Panics
    /// As [`Message::encode`].
    pub fn encode_to(&self, out: &mut Vec<u8>) {
        let start = out.len();
        out.resize(start + self.len(), 0);
        self.encode_into(&mut out[start..]);
    }

    fn encode_into(&self, buf: &mut [u8]) {
        let Header {
            stock_locate,
            tracking_number,
            timestamp,
        } = self.header;
        assert!(
            timestamp <= MAX_TIMESTAMP,
            "ITCH timestamp {timestamp} does not fit in 48 bits"
        );
        buf[0] = self.message_type();
        buf[1..3].copy_from_slice(&stock_locate.to_be_bytes());
        buf[3..5].copy_from_slice(&tracking_number.to_be_bytes());
        buf[5..11].copy_from_slice(&timestamp.to_be_bytes()[2..]);
        self.body.write_fields(buf);
    }

    /// Parses a whole message (exactly its type's length) into typed form.
    pub fn decode(msg: &[u8]) -> Result<Message, ItchError> {
        let spec = check_whole(msg)?;
        let (stock_locate, tracking_number, timestamp) = read_header(msg);
        let body = Body::read_fields(spec.message_type, msg).expect("spec and Body agree");
        Ok(Message {
            header: Header {
                stock_locate,
                tracking_number,
                timestamp,
            },
            body,
        })
    }

    /// The field view of this message (the same as decoding its encoding).
    pub fn to_decoded(&self) -> Decoded {
        decode(&self.encode()).expect("an encoded message decodes")
    }
}

/// A decoded field value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldValue {
    /// Integer or price field: the raw wire integer (prices are never scaled).
    Int(u64),
    /// Alpha field. Multi-character fields have their trailing spaces trimmed; a one-character
    /// field is always a one-character string (a space stays a space). Bytes are mapped one to one
    /// onto characters (Latin-1), so nothing is lost even for non-ASCII bytes.
    Alpha(String),
}

impl FieldValue {
    /// The integer, if this is an integer or price field.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            FieldValue::Int(v) => Some(*v),
            FieldValue::Alpha(_) => None,
        }
    }

    /// The string, if this is an alpha field.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            FieldValue::Int(_) => None,
            FieldValue::Alpha(s) => Some(s),
        }
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Int(v) => write!(f, "{v}"),
            FieldValue::Alpha(s) => write!(f, "{s:?}"),
        }
    }
}

impl From<&FieldValue> for Value {
    fn from(v: &FieldValue) -> Value {
        match v {
            FieldValue::Int(n) => Value::from(*n),
            FieldValue::Alpha(s) => Value::from(s.as_str()),
        }
    }
}

/// One decoded field: its ITCH50.md name and value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DecodedField {
    /// snake_case name from ITCH50.md.
    pub name: &'static str,
    /// The value.
    pub value: FieldValue,
}

/// A message decoded by the field table: header plus fields in the spec's order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decoded {
    /// The type byte as a character, e.g. `'A'`.
    pub message_type: char,
    /// Locate code of the security.
    pub stock_locate: u16,
    /// NASDAQ internal tracking number (`None` where it is not known: a tick does not carry it).
    pub tracking_number: Option<u16>,
    /// Nanoseconds since midnight (48 bits).
    pub timestamp: u64,
    /// The type's fields that were available, in wire order.
    pub fields: Vec<DecodedField>,
    /// Names of the fields that were not (entirely) within a truncated prefix, in wire order;
    /// empty for a whole message.
    pub omitted: Vec<&'static str>,
}

impl Decoded {
    /// The value of the field called `name`, if it was decoded.
    pub fn field(&self, name: &str) -> Option<&FieldValue> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| &f.value)
    }

    /// True when no field was omitted (the whole message was available).
    pub fn is_complete(&self) -> bool {
        self.omitted.is_empty()
    }

    /// The message as a JSON object: `message_type` (a one-character string), `stock_locate`,
    /// `tracking_number` (if known), `timestamp`, then the decoded fields under their ITCH50.md names
    /// (integers and raw prices as numbers, alpha fields as strings). Omitted fields are absent.
    /// Keys keep this order (serde_json's `preserve_order` permitting).
    pub fn to_json_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert(
            "message_type".into(),
            Value::from(self.message_type.to_string()),
        );
        map.insert("stock_locate".into(), Value::from(self.stock_locate));
        if let Some(t) = self.tracking_number {
            map.insert("tracking_number".into(), Value::from(t));
        }
        map.insert("timestamp".into(), Value::from(self.timestamp));
        for f in &self.fields {
            map.insert(f.name.to_owned(), Value::from(&f.value));
        }
        map
    }

    /// The same object as [`Decoded::to_json_map`] as one line of JSON text, with the keys always
    /// in header-then-spec order (whether or not serde_json's `preserve_order` feature is on).
    pub fn to_json_string(&self) -> String {
        let header = [
            Some(("message_type", Value::from(self.message_type.to_string()))),
            Some(("stock_locate", Value::from(self.stock_locate))),
            self.tracking_number.map(|t| ("tracking_number", Value::from(t))),
            Some(("timestamp", Value::from(self.timestamp))),
        ];
        let header = header.into_iter().flatten();
        let fields = self.fields.iter().map(|f| (f.name, Value::from(&f.value)));
        let parts: Vec<String> = header
            .into_iter()
            .chain(fields)
            .map(|(k, v)| format!("{}:{v}", Value::from(k)))
            .collect();
        format!("{{{}}}", parts.join(","))
    }
}

fn lookup(msg: &[u8]) -> Result<&'static MessageSpec, ItchError> {
    let &code = msg.first().ok_or(ItchError::Empty)?;
    spec(code).ok_or(ItchError::UnknownType { code })
}

fn check_whole(msg: &[u8]) -> Result<&'static MessageSpec, ItchError> {
    let spec = lookup(msg)?;
    if msg.len() != spec.len {
        return Err(ItchError::LengthMismatch {
            message_type: spec.message_type as char,
            expected: spec.len,
            got: msg.len(),
        });
    }
    Ok(spec)
}

fn read_header(msg: &[u8]) -> (u16, u16, u64) {
    let stock_locate = u16::from_be_bytes([msg[1], msg[2]]);
    let tracking_number = u16::from_be_bytes([msg[3], msg[4]]);
    let mut ts = [0u8; 8];
    ts[2..].copy_from_slice(&msg[5..11]);
    (stock_locate, tracking_number, u64::from_be_bytes(ts))
}

fn read_value(field: &FieldSpec, msg: &[u8]) -> FieldValue {
    let bytes = &msg[field.offset..field.end()];
    match field.kind {
        FieldKind::Int | FieldKind::Price(_) => {
            FieldValue::Int(bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
        }
        FieldKind::Alpha => FieldValue::Alpha(alpha_str(bytes)),
    }
}

/// Decodes a whole message (exactly its type's length) into header and named fields.
///
/// Alpha fields of more than one character have their trailing spaces trimmed; prices are the raw
/// wire integers (see [`FieldValue`]).
pub fn decode(msg: &[u8]) -> Result<Decoded, ItchError> {
    check_whole(msg)?;
    decode_prefix(msg, msg.len())
}

/// Decodes the first `msg.len()` bytes of a message whose full length is `full_len`.
///
/// Returns the header and every field that lies entirely within the available bytes; the fields
/// that do not are listed in [`Decoded::omitted`]. This is how the card's ticks are read: a tick
/// holds the first 40 bytes of the message and the full length from the MoldUDP64 block, so
/// `P` (44), `I` (50) and `O` (48) arrive truncated.
///
/// Errors: empty input, unknown type, `full_len` not the type's length, more bytes than
/// `full_len`, or fewer bytes than the 11-byte header.
pub fn decode_prefix(msg: &[u8], full_len: usize) -> Result<Decoded, ItchError> {
    let spec = lookup(msg)?;
    let message_type = spec.message_type as char;
    if full_len != spec.len {
        return Err(ItchError::LengthMismatch {
            message_type,
            expected: spec.len,
            got: full_len,
        });
    }
    if msg.len() > full_len {
        return Err(ItchError::PrefixTooLong {
            message_type,
            available: msg.len(),
            full_len,
        });
    }
    if msg.len() < HEADER_LEN {
        return Err(ItchError::TruncatedHeader {
            message_type,
            available: msg.len(),
        });
    }
    let (stock_locate, tracking_number, timestamp) = read_header(msg);
    let (present, missing): (Vec<&FieldSpec>, Vec<&FieldSpec>) =
        spec.fields.iter().partition(|f| f.end() <= msg.len());
    Ok(Decoded {
        message_type,
        stock_locate,
        tracking_number: Some(tracking_number),
        timestamp,
        fields: present
            .into_iter()
            .map(|f| DecodedField {
                name: f.name,
                value: read_value(f, msg),
            })
            .collect(),
        omitted: missing.into_iter().map(|f| f.name).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_contiguous_and_matches_lengths() {
        assert_eq!(MESSAGE_SPECS.len(), 23);
        for (spec, code) in MESSAGE_SPECS.iter().zip(MESSAGE_TYPES) {
            assert_eq!(spec.message_type, code);
            let mut at = HEADER_LEN;
            for f in spec.fields {
                assert_eq!(f.offset, at, "{} field {}", code as char, f.name);
                at = f.end();
            }
            assert_eq!(at, spec.len, "{} length", code as char);
        }
    }

    #[test]
    fn lengths_from_itch50_md() {
        let expected: [(u8, usize); 23] = [
            (b'S', 12),
            (b'R', 39),
            (b'H', 25),
            (b'Y', 20),
            (b'L', 26),
            (b'V', 35),
            (b'W', 12),
            (b'K', 28),
            (b'J', 35),
            (b'h', 21),
            (b'A', 36),
            (b'F', 40),
            (b'E', 31),
            (b'C', 36),
            (b'X', 23),
            (b'D', 19),
            (b'U', 35),
            (b'P', 44),
            (b'Q', 40),
            (b'B', 19),
            (b'I', 50),
            (b'N', 20),
            (b'O', 48),
        ];
        for (t, len) in expected {
            assert_eq!(message_len(t), Some(len), "{}", t as char);
        }
        assert_eq!(message_len(b'Z'), None);
        assert_eq!(message_len(b'a'), None);
    }

    #[test]
    fn errors_carry_context() {
        assert_eq!(decode(&[]), Err(ItchError::Empty));
        assert_eq!(decode(b"Z"), Err(ItchError::UnknownType { code: b'Z' }));
        let e = decode(&[b'D'; 18]).unwrap_err();
        assert_eq!(
            e,
            ItchError::LengthMismatch {
                message_type: 'D',
                expected: 19,
                got: 18
            }
        );
        assert_eq!(
            e.to_string(),
            "ITCH 'D' message has the wrong length: expected 19 bytes, got 18"
        );
        assert_eq!(
            decode_prefix(&[b'I'; 10], 50),
            Err(ItchError::TruncatedHeader {
                message_type: 'I',
                available: 10
            })
        );
        assert_eq!(
            decode_prefix(&[b'I'; 51], 50),
            Err(ItchError::PrefixTooLong {
                message_type: 'I',
                available: 51,
                full_len: 50
            })
        );
        assert!(decode(&[0x00])
            .unwrap_err()
            .to_string()
            .contains("not printable"));
    }

    #[test]
    fn pad_alpha_pads_with_spaces() {
        assert_eq!(pad_alpha::<8>("AAPL"), *b"AAPL    ");
        assert_eq!(pad_alpha::<4>("GSCO"), *b"GSCO");
    }

    #[test]
    #[should_panic(expected = "longer than")]
    fn pad_alpha_rejects_long() {
        let _ = pad_alpha::<2>("ABC");
    }

    #[test]
    #[should_panic(expected = "48 bits")]
    fn encode_rejects_wide_timestamp() {
        let m = Message {
            header: Header {
                timestamp: 1 << 48,
                ..Header::default()
            },
            body: Body::BrokenTrade { match_number: 1 },
        };
        let _ = m.encode();
    }
}
