// SPDX-License-Identifier: Apache-2.0
//! Helpers shared by the integration tests: frame builders and CSR offsets.
#![allow(dead_code)]

pub const ID: u32 = 0x000;
pub const VERSION: u32 = 0x004;
pub const SCRATCH: u32 = 0x010;
pub const CTRL: u32 = 0x014;
pub const RX_FRAMES: u32 = 0x100;
pub const RX_DISABLED: u32 = 0x104;
pub const RX_MAC_ERR: u32 = 0x108;
pub const DMA_WRITES: u32 = 0x160;
pub const DMA_BRESP_ERR: u32 = 0x164;
pub const FLOW_DEFAULT: u32 = 0x080;
pub const FLOW_CMD: u32 = 0x084;
pub const RING0: u32 = 0x1000;
pub const RING_BASE_LO: u32 = RING0;
pub const RING_BASE_HI: u32 = RING0 + 0x04;
pub const RING_SLOTS: u32 = RING0 + 0x08;
pub const RING_CTRL: u32 = RING0 + 0x0C;
pub const RING_STATUS: u32 = RING0 + 0x10;
pub const RING_PROD: u32 = RING0 + 0x14;
pub const RING_CONS: u32 = RING0 + 0x18;

/// Every offset above, by its register name (RING0 is RING[0]): checked against the generated
/// register map (docs/registers.md, regenerated and diffed by `make regs-check`) in csr.rs, so a
/// moved register fails a test instead of reading the wrong one.
pub const OFFSETS: &[(&str, u32)] = &[
    ("ID", ID),
    ("VERSION", VERSION),
    ("SCRATCH", SCRATCH),
    ("CTRL", CTRL),
    ("RX_FRAMES", RX_FRAMES),
    ("RX_DISABLED", RX_DISABLED),
    ("RX_MAC_ERR", RX_MAC_ERR),
    ("DMA_WRITES", DMA_WRITES),
    ("DMA_BRESP_ERR", DMA_BRESP_ERR),
    ("FLOW_DEFAULT", FLOW_DEFAULT),
    ("FLOW_CMD", FLOW_CMD),
    ("RING[0]", RING0),
];

/// The offset of register `name` in docs/registers.md's address map table.
pub fn doc_offset(name: &str) -> Option<u32> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/registers.md");
    let text = std::fs::read_to_string(path).expect("docs/registers.md");
    text.lines().find_map(|l| {
        let cols: Vec<&str> = l.split('|').map(str::trim).collect();
        (cols.len() > 3 && cols[2] == name).then(|| u32::from_str_radix(cols[1].trim_start_matches("0x"), 16).ok()).flatten()
    })
}

/// Make the card deliver every frame to ring 0 (default flow action, committed).
pub fn deliver_all(s: &mut tickwire_sim::Sim) {
    s.csr_write(FLOW_DEFAULT, 1).unwrap();
    s.csr_write(FLOW_CMD, 1).unwrap();
}

/// Flag EVENT (hdl/regs/tick.toml): a feed sequencer event record.
pub const TICK_FLAG_EVENT: u16 = 1 << 1;
/// Flag RAW (docs/tick-format.md): the message was not decoded.
pub const TICK_FLAG_RAW: u16 = 1 << 8;

/// Tick bytes 16..60 of a decoded 'A' Add Order, packed by hand from docs/tick-format.md: ITCH
/// timestamp (48-bit LE) at 16, stock_locate at 22, flags (0 here) at 24, type at 26, feed 0 at 27,
/// shares u32 at 28, order_reference_number u64 at 32, price u32 at 40, side at 44, stock at 48.
pub fn add_order_tick_bytes(m: &[u8]) -> [u8; 44] {
    assert_eq!((m[0], m.len()), (b'A', 36));
    let mut t = [0u8; 64];
    let rev = |t: &mut [u8; 64], at: usize, wire: std::ops::Range<usize>| {
        for (i, w) in wire.rev().enumerate() {
            t[at + i] = m[w];
        }
    };
    rev(&mut t, 16, 5..11);
    rev(&mut t, 22, 1..3);
    t[26] = b'A';
    rev(&mut t, 28, 20..24);
    rev(&mut t, 32, 11..19);
    rev(&mut t, 40, 32..36);
    t[44] = m[19];
    t[48..56].copy_from_slice(&m[24..32]);
    t[16..60].try_into().unwrap()
}

/// Ethernet II / IPv4 / UDP frame (no FCS), padded to 60 bytes, with a correct IP checksum.
pub fn udp_frame(dst_port: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::new();
    f.extend_from_slice(&[0x01, 0x00, 0x5e, 0x01, 0x02, 0x03]);
    f.extend_from_slice(&[0x02, 0x00, 0x00, 0x00, 0x00, 0x01]);
    f.extend_from_slice(&0x0800u16.to_be_bytes());
    let total = (20 + 8 + payload.len()) as u16;
    let mut ip = vec![0x45, 0x00];
    ip.extend_from_slice(&total.to_be_bytes());
    ip.extend_from_slice(&[0x12, 0x34, 0x40, 0x00, 64, 17, 0, 0]);
    ip.extend_from_slice(&[10, 0, 0, 1]);
    ip.extend_from_slice(&[233, 54, 12, 111]);
    let mut sum: u32 = ip
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]) as u32)
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    ip[10..12].copy_from_slice(&(!(sum as u16)).to_be_bytes());
    f.extend_from_slice(&ip);
    f.extend_from_slice(&26400u16.to_be_bytes());
    f.extend_from_slice(&dst_port.to_be_bytes());
    f.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(payload);
    if f.len() < 60 {
        f.resize(60, 0);
    }
    f
}

/// MoldUDP64 packet: 10-byte session, sequence number of the first message, count, then each
/// message as a 2-byte length and its bytes.
pub fn mold(session: &[u8; 10], seq: u64, msgs: &[Vec<u8>]) -> Vec<u8> {
    let mut p = session.to_vec();
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(&(msgs.len() as u16).to_be_bytes());
    for m in msgs {
        p.extend_from_slice(&(m.len() as u16).to_be_bytes());
        p.extend_from_slice(m);
    }
    p
}

/// A message of `len` bytes whose first byte is an ITCH-like type letter.
pub fn msg(kind: u8, len: usize, salt: u8) -> Vec<u8> {
    let mut m: Vec<u8> = (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(salt))
        .collect();
    m[0] = kind;
    m
}

/// A frame that is not IPv4 (ARP EtherType), `len` bytes.
pub fn arp_frame(len: usize) -> Vec<u8> {
    let mut f = vec![0xffu8; 12];
    f.extend_from_slice(&0x0806u16.to_be_bytes());
    f.resize(len, 0xa5);
    f
}
