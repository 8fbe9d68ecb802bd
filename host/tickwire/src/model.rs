//! The reference model: the card's receive pipeline in software, frames in, tick records out.
//!
//! It applies the same rules as the RTL (header parser, MoldUDP64 deframer, tick packer; see
//! `frame`, `mold` and docs/architecture.md) and is what differential tests compare the simulated
//! card against, tick by tick. It knows nothing of timing: `rx_ts_ns` is whatever the caller
//! passes, and the ring fields (`valid`, the LOSS flag) are left zero.

use crate::frame;
use crate::mold;
use crate::tick::{TickRecord, FLAG_SESSION, FLAG_TRUNCATED, TICK_DATA_CAP};

/// Receive-pipeline state that outlives a frame: the last MoldUDP64 session seen.
#[derive(Debug, Default, Clone)]
pub struct Model {
    last_session: Option<[u8; 10]>,
}

/// What one frame did, besides the ticks it produced.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FrameOutcome {
    /// The frame was not IPv4/UDP (counted in RX_NOT_UDP by the card).
    pub not_udp: bool,
    /// The frame's headers were malformed (RX_BAD_HDR).
    pub bad_header: bool,
    /// The MoldUDP64 packet was cut short (MOLD_ERR).
    pub mold_error: bool,
    /// Messages delivered (MOLD_MSGS).
    pub messages: usize,
}

impl Model {
    /// A model in the state of a card just out of reset.
    pub fn new() -> Self {
        Self::default()
    }

    /// The ticks a frame (without FCS) produces, in order, stamped `rx_ts_ns`.
    pub fn frame(&mut self, bytes: &[u8], rx_ts_ns: u64, out: &mut Vec<TickRecord>) -> FrameOutcome {
        let mut outcome = FrameOutcome::default();
        let udp = match frame::parse(bytes) {
            Ok(u) => u,
            Err(e) => {
                match e.class() {
                    frame::FrameErrorClass::NotIpv4Udp => outcome.not_udp = true,
                    frame::FrameErrorClass::Malformed => outcome.bad_header = true,
                }
                return outcome;
            }
        };
        let (packet, fault) = match mold::decode_partial(udp.payload) {
            Ok(x) => x,
            Err(_) => {
                outcome.mold_error = true;
                return outcome;
            }
        };
        outcome.mold_error = fault.is_some();
        if self.last_session != Some(packet.session) {
            let mut data = [0u8; TICK_DATA_CAP];
            data[..10].copy_from_slice(&packet.session);
            out.push(record(rx_ts_ns, packet.sequence_number, 10, FLAG_SESSION, data));
            self.last_session = Some(packet.session);
        }
        for (i, m) in packet.messages.iter().enumerate() {
            let mut data = [0u8; TICK_DATA_CAP];
            let n = m.len().min(TICK_DATA_CAP);
            data[..n].copy_from_slice(&m[..n]);
            let flags = if m.len() > TICK_DATA_CAP { FLAG_TRUNCATED } else { 0 };
            out.push(record(rx_ts_ns, packet.sequence_number + i as u64, m.len() as u16, flags, data));
        }
        outcome.messages = packet.messages.len();
        outcome
    }
}

fn record(rx_ts_ns: u64, seq: u64, msg_len: u16, flags: u8, data: [u8; TICK_DATA_CAP]) -> TickRecord {
    TickRecord { rx_ts_ns, seq, msg_len, flags, line: 0, data, valid: 0 }
}
