//! MoldUDP64 downstream packets: encoding, and decoding by the same rules as the card.
//!
//! Packet layout (ITCH50.md, all integers big-endian):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 10 | session (ASCII) |
//! | 10 | 8 | sequence_number of the first message |
//! | 18 | 2 | message_count (0 = heartbeat, 0xFFFF = end of session) |
//! | 20 | — | message blocks: 2-byte length, then the message |
//!
//! # Decoding rules (the card's `tw_mold_deframer`, counted in `MOLD_ERR`)
//!
//! 1. A payload shorter than the 20-byte header is an error: nothing is delivered
//!    ([`MoldError::TooShort`]).
//! 2. Message blocks are parsed from offset 20 until the payload ends. `message_count` does not
//!    bound the parse (it only marks heartbeats and end of session); a well-formed packet has
//!    exactly `message_count` blocks, which [`MoldHeader`] lets a caller check.
//! 3. A block whose 2-byte length or whose message runs past the end of the payload
//!    ([`MoldError::TruncatedBlock`]), or whose message is shorter than 8 bytes
//!    ([`MoldError::ShortMessage`]), stops the parse. The messages before the fault are good: the
//!    card delivers them and drops the rest of the packet. Both errors report how many messages
//!    were good, and [`decode_partial`] returns them.
//!
//! Message `i` of a packet has sequence number `sequence_number + i`.

use thiserror::Error;

/// Size of the MoldUDP64 downstream header.
pub const HEADER_LEN: usize = 20;
/// `message_count` of a heartbeat.
pub const HEARTBEAT_COUNT: u16 = 0;
/// `message_count` of an end-of-session packet.
pub const END_OF_SESSION_COUNT: u16 = 0xFFFF;
/// The card's minimum message length: shorter messages are a packet fault.
pub const MIN_MESSAGE_LEN: usize = 8;

/// Errors from decoding (or building) MoldUDP64 packets.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoldError {
    /// The payload cannot hold the 20-byte header; nothing is delivered.
    #[error("MoldUDP64 payload of {len} bytes is shorter than the {HEADER_LEN}-byte header")]
    TooShort {
        /// Payload length.
        len: usize,
    },
    /// A message block (its length field or its message) runs past the end of the payload.
    #[error(
        "MoldUDP64 block {good} at payload offset {offset} needs {needed} bytes but only {available} remain; \
         {good} good messages before it"
    )]
    TruncatedBlock {
        /// Messages parsed successfully before the fault (also the fault's block index).
        good: usize,
        /// Payload offset of the faulty block's length field.
        offset: usize,
        /// Bytes the block needs (2 for the length field, or 2 + message length).
        needed: usize,
        /// Bytes left in the payload from `offset`.
        available: usize,
    },
    /// A message block holds a message shorter than [`MIN_MESSAGE_LEN`].
    #[error(
        "MoldUDP64 block {good} at payload offset {offset} holds a {length}-byte message \
         (minimum {MIN_MESSAGE_LEN}); {good} good messages before it"
    )]
    ShortMessage {
        /// Messages parsed successfully before the fault (also the fault's block index).
        good: usize,
        /// Payload offset of the faulty block's length field.
        offset: usize,
        /// The message length from the block.
        length: usize,
    },
    /// A session name that does not fit the 10-byte ASCII session field.
    #[error("MoldUDP64 session {session:?} is not at most 10 ASCII characters")]
    BadSession {
        /// The rejected session name.
        session: String,
    },
}

impl MoldError {
    /// For a block fault, the number of messages before it (which the card delivers).
    pub fn good_messages(&self) -> Option<usize> {
        match self {
            MoldError::TruncatedBlock { good, .. } | MoldError::ShortMessage { good, .. } => {
                Some(*good)
            }
            MoldError::TooShort { .. } | MoldError::BadSession { .. } => None,
        }
    }
}

/// Builds a 10-byte session field from a name of at most 10 ASCII characters, space-padded.
pub fn session_from_str(name: &str) -> Result<[u8; 10], MoldError> {
    if !name.is_ascii() || name.len() > 10 {
        return Err(MoldError::BadSession {
            session: name.to_owned(),
        });
    }
    let mut out = [b' '; 10];
    out[..name.len()].copy_from_slice(name.as_bytes());
    Ok(out)
}

/// The fixed 20-byte header of a MoldUDP64 downstream packet, as on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MoldHeader {
    /// Session, ASCII as on the wire.
    pub session: [u8; 10],
    /// Sequence number of the packet's first message (for a heartbeat: the next expected one).
    pub sequence_number: u64,
    /// Message count field: number of blocks, or [`HEARTBEAT_COUNT`] / [`END_OF_SESSION_COUNT`].
    pub message_count: u16,
}

impl MoldHeader {
    /// Parses the header of a payload (rule 1 of the module doc).
    pub fn parse(payload: &[u8]) -> Result<MoldHeader, MoldError> {
        if payload.len() < HEADER_LEN {
            return Err(MoldError::TooShort { len: payload.len() });
        }
        Ok(MoldHeader {
            session: payload[0..10].try_into().expect("10 bytes"),
            sequence_number: u64::from_be_bytes(payload[10..18].try_into().expect("8 bytes")),
            message_count: u16::from_be_bytes([payload[18], payload[19]]),
        })
    }
}

/// A MoldUDP64 downstream packet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MoldPacket {
    /// Session, ASCII as on the wire (see [`session_from_str`]).
    pub session: [u8; 10],
    /// Sequence number of the first message (for a heartbeat or end of session: the next
    /// sequence number the session would use).
    pub sequence_number: u64,
    /// The messages, each the bytes of one message block without its length prefix.
    pub messages: Vec<Vec<u8>>,
    /// End-of-session marker: encoded with `message_count` 0xFFFF. Such a packet normally has no
    /// messages.
    pub end_of_session: bool,
}

impl MoldPacket {
    /// A data packet carrying `messages` (a packet with none is a heartbeat).
    pub fn new(session: [u8; 10], sequence_number: u64, messages: Vec<Vec<u8>>) -> MoldPacket {
        MoldPacket {
            session,
            sequence_number,
            messages,
            end_of_session: false,
        }
    }

    /// A heartbeat (message_count 0); `next_sequence_number` is the next message's sequence number.
    pub fn heartbeat(session: [u8; 10], next_sequence_number: u64) -> MoldPacket {
        MoldPacket::new(session, next_sequence_number, Vec::new())
    }

    /// An end-of-session packet (message_count 0xFFFF, no messages).
    pub fn end_of_session(session: [u8; 10], next_sequence_number: u64) -> MoldPacket {
        MoldPacket {
            session,
            sequence_number: next_sequence_number,
            messages: Vec::new(),
            end_of_session: true,
        }
    }

    /// True for a heartbeat: no messages and not end of session.
    pub fn is_heartbeat(&self) -> bool {
        self.messages.is_empty() && !self.end_of_session
    }

    /// The `message_count` field this packet encodes with.
    ///
    /// # Panics
    /// If a data packet has 0xFFFF or more messages (that count means end of session).
    pub fn message_count(&self) -> u16 {
        if self.end_of_session {
            return END_OF_SESSION_COUNT;
        }
        match u16::try_from(self.messages.len()) {
            Ok(n) if n != END_OF_SESSION_COUNT => n,
            _ => panic!("MoldUDP64 packet with {} messages", self.messages.len()),
        }
    }

    /// Sequence number after this packet: `sequence_number` plus the number of messages.
    pub fn next_sequence_number(&self) -> u64 {
        self.sequence_number + self.messages.len() as u64
    }

    /// Size of the encoded packet in bytes.
    pub fn encoded_len(&self) -> usize {
        HEADER_LEN + self.messages.iter().map(|m| 2 + m.len()).sum::<usize>()
    }

    /// The UDP payload bytes of this packet.
    ///
    /// # Panics
    /// If a message is longer than 65535 bytes, or as [`MoldPacket::message_count`].
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        out.extend_from_slice(&self.session);
        out.extend_from_slice(&self.sequence_number.to_be_bytes());
        out.extend_from_slice(&self.message_count().to_be_bytes());
        for m in &self.messages {
            let len = u16::try_from(m.len()).expect("MoldUDP64 message longer than 65535 bytes");
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(m);
        }
        out
    }
}

/// Decodes a payload by the card's rules; returns the packet with the messages the card delivers,
/// plus the block fault that stopped the parse, if any (see the module doc).
///
/// Only a payload shorter than the header is an `Err`: then nothing is delivered.
pub fn decode_partial(payload: &[u8]) -> Result<(MoldPacket, Option<MoldError>), MoldError> {
    let header = MoldHeader::parse(payload)?;
    let mut packet = MoldPacket {
        session: header.session,
        sequence_number: header.sequence_number,
        messages: Vec::new(),
        end_of_session: header.message_count == END_OF_SESSION_COUNT,
    };
    let mut offset = HEADER_LEN;
    while offset < payload.len() {
        let good = packet.messages.len();
        let available = payload.len() - offset;
        if available < 2 {
            return Ok((
                packet,
                Some(MoldError::TruncatedBlock {
                    good,
                    offset,
                    needed: 2,
                    available,
                }),
            ));
        }
        let length = usize::from(u16::from_be_bytes([payload[offset], payload[offset + 1]]));
        if 2 + length > available {
            let fault = MoldError::TruncatedBlock {
                good,
                offset,
                needed: 2 + length,
                available,
            };
            return Ok((packet, Some(fault)));
        }
        if length < MIN_MESSAGE_LEN {
            return Ok((
                packet,
                Some(MoldError::ShortMessage {
                    good,
                    offset,
                    length,
                }),
            ));
        }
        packet
            .messages
            .push(payload[offset + 2..offset + 2 + length].to_vec());
        offset += 2 + length;
    }
    Ok((packet, None))
}

/// Decodes a payload strictly: any fault is an error (block faults report how many messages
/// were good; [`decode_partial`] returns those messages too).
pub fn decode(payload: &[u8]) -> Result<MoldPacket, MoldError> {
    match decode_partial(payload)? {
        (packet, None) => Ok(packet),
        (_, Some(fault)) => Err(fault),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: [u8; 10] = *b"SESSION001";

    #[test]
    fn heartbeat_and_end_of_session_counts() {
        let hb = MoldPacket::heartbeat(SESSION, 42).encode();
        assert_eq!(hb.len(), 20);
        assert_eq!(&hb[18..20], &[0, 0]);
        let eos = MoldPacket::end_of_session(SESSION, 42).encode();
        assert_eq!(&eos[18..20], &[0xFF, 0xFF]);
        let back = decode(&eos).unwrap();
        assert!(back.end_of_session);
        assert!(!back.is_heartbeat());
        assert!(decode(&hb).unwrap().is_heartbeat());
    }

    #[test]
    fn header_fields_at_spec_offsets() {
        let p = MoldPacket::new(SESSION, 0x0102_0304_0506_0708, vec![vec![b'S'; 12]]);
        let bytes = p.encode();
        assert_eq!(&bytes[0..10], b"SESSION001");
        assert_eq!(&bytes[10..18], &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(&bytes[18..20], &[0, 1]);
        assert_eq!(&bytes[20..22], &[0, 12]);
        assert_eq!(bytes.len(), p.encoded_len());
        assert_eq!(p.next_sequence_number(), 0x0102_0304_0506_0709);
    }

    #[test]
    fn session_padding() {
        assert_eq!(session_from_str("ABC").unwrap(), *b"ABC       ");
        assert!(session_from_str("ELEVENCHARS").is_err());
    }
}
