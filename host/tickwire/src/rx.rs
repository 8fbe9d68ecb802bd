//! The card's header parser (`tw_eth_udp_rx`) in software: which class a frame is counted in,
//! whether it is accepted, the payload it forwards and its verdict. The rules, in the order the
//! card checks them, are the table at the top of hdl/rtl/tw_eth_udp_rx.sv; this is their
//! reference, and the model ([`crate::model`]) builds on it.

use std::net::Ipv4Addr;

/// Smallest Ethernet frame without FCS; shorter ones are runts.
pub const MIN_FRAME: usize = 60;

/// The class a frame is counted in (besides `RX_MAC_ERR`, which counts every frame whose MAC flagged
/// an error). Names are the card's counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RxClass {
    /// Header checks, in wire order: the frame is dropped whole.
    NotIpv4,
    IpHdr,
    IpLen,
    Fragment,
    NotUdp,
    IpCsum,
    UdpLong,
    UdpShort,
    /// Found at the frame's end (or the too-long point): the frame was accepted if its header was
    /// complete by then (its ticks carry a bad verdict), else dropped.
    TooLong,
    Runt,
    Trunc,
    UdpCsum,
}

impl RxClass {
    /// The card counter (register name, lower case).
    pub fn counter(self) -> &'static str {
        match self {
            RxClass::NotIpv4 => "rx_not_ipv4",
            RxClass::IpHdr => "rx_ip_hdr",
            RxClass::IpLen => "rx_ip_len",
            RxClass::Fragment => "rx_fragment",
            RxClass::NotUdp => "rx_not_udp",
            RxClass::IpCsum => "rx_ip_csum",
            RxClass::UdpLong => "rx_udp_long",
            RxClass::UdpShort => "rx_udp_short",
            RxClass::TooLong => "rx_too_long",
            RxClass::Runt => "rx_runt",
            RxClass::Trunc => "rx_trunc",
            RxClass::UdpCsum => "rx_udp_csum",
        }
    }
}

/// Header fields of an accepted frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RxHeader {
    pub src_ip: Ipv4Addr,
    pub dst_ip: Ipv4Addr,
    pub src_port: u16,
    pub dst_port: u16,
    /// VLAN id of the innermost tag (None: untagged).
    pub vlan: Option<u16>,
    /// VLAN tags (0..=2).
    pub tags: u8,
}

/// What the header parser does with one frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RxResult<'a> {
    /// The class the frame counts in (None: a good frame).
    pub class: Option<RxClass>,
    /// Header and forwarded payload, when the frame was accepted.
    pub accepted: Option<(RxHeader, &'a [u8])>,
    /// The verdict on the last payload beat: MAC error, too long, runt, truncated, UDP checksum.
    pub bad: bool,
}

fn be16(b: &[u8], i: usize) -> u16 {
    u16::from_be_bytes([b[i], b[i + 1]])
}

/// Ones'-complement sum (unfolded words added, then folded) of `b`, an odd last byte padded.
fn csum_add(mut acc: u32, b: &[u8]) -> u32 {
    let mut i = 0;
    while i + 1 < b.len() {
        acc += u32::from(be16(b, i));
        i += 2;
    }
    if i < b.len() {
        acc += u32::from(b[i]) << 8;
    }
    acc
}

fn fold(mut acc: u32) -> u16 {
    while acc > 0xFFFF {
        acc = (acc & 0xFFFF) + (acc >> 16);
    }
    acc as u16
}

/// Apply the card's header-parser rules to `frame` (without FCS), `mac_error` being the MAC's
/// flag on its last beat and `max_len` the MAX_FRAME register (0: no limit).
pub fn classify(frame: &[u8], mac_error: bool, max_len: u16) -> RxResult<'_> {
    let too_long = max_len != 0 && frame.len() > usize::from(max_len);
    let f = if too_long { &frame[..usize::from(max_len)] } else { frame };
    let n = f.len();
    // The frame's end (or the too-long point) came before a check's bytes: the end classes decide.
    let end = if too_long {
        RxClass::TooLong
    } else if frame.len() < MIN_FRAME {
        RxClass::Runt
    } else {
        RxClass::Trunc
    };
    let dropped = |class| RxResult { class: Some(class), accepted: None, bad: false };
    let early_end = || dropped(end);

    // 1. tag stack and ethertype
    if n < 14 {
        return early_end();
    }
    let mut tags = 0u8;
    let mut vids = [0u16; 2];
    let mut et = be16(f, 12);
    let mut off = 14;
    if et == 0x88A8 || et == 0x8100 {
        if n < 18 {
            return early_end();
        }
        vids[0] = be16(f, 14) & 0xFFF;
        tags = 1;
        et = be16(f, 16);
        off = 18;
        if et == 0x8100 {
            if n < 22 {
                return early_end();
            }
            vids[1] = be16(f, 18) & 0xFFF;
            tags = 2;
            et = be16(f, 20);
            off = 22;
        }
    }
    if et != 0x0800 {
        return dropped(RxClass::NotIpv4);
    }
    let e = off;
    // 2-5. at byte E+9
    if n < e + 10 {
        return early_end();
    }
    let ver = f[e] >> 4;
    let ihl = usize::from(f[e] & 0xF);
    let tot = usize::from(be16(f, e + 2));
    let frag = be16(f, e + 6);
    if ver != 4 || ihl < 5 {
        return dropped(RxClass::IpHdr);
    }
    if tot < 4 * ihl + 8 {
        return dropped(RxClass::IpLen);
    }
    if frag & 0x3FFF != 0 {
        return dropped(RxClass::Fragment);
    }
    if f[e + 9] != 17 {
        return dropped(RxClass::NotUdp);
    }
    // 6. IPv4 checksum at byte U-1
    let u = e + 4 * ihl;
    if n < u {
        return early_end();
    }
    if fold(csum_add(0, &f[e..u])) != 0xFFFF {
        return dropped(RxClass::IpCsum);
    }
    // 7, 8. UDP length at byte U+5
    if n < u + 6 {
        return early_end();
    }
    let udp_len = usize::from(be16(f, u + 4));
    let ip_payload = tot - 4 * ihl;
    if udp_len > ip_payload {
        return dropped(RxClass::UdpLong);
    }
    if udp_len < ip_payload || udp_len <= 8 {
        return dropped(RxClass::UdpShort);
    }
    // accept point: byte P present
    let p = u + 8;
    if n <= p {
        return early_end();
    }
    let d = e + tot;
    let hdr = RxHeader {
        src_ip: Ipv4Addr::new(f[e + 12], f[e + 13], f[e + 14], f[e + 15]),
        dst_ip: Ipv4Addr::new(f[e + 16], f[e + 17], f[e + 18], f[e + 19]),
        src_port: be16(f, u),
        dst_port: be16(f, u + 2),
        vlan: match tags {
            0 => None,
            1 => Some(vids[0]),
            _ => Some(vids[1]),
        },
        tags,
    };
    let payload = &f[p..d.min(n)];
    let end_class = if too_long || frame.len() < MIN_FRAME || n < d {
        Some(end)
    } else if be16(f, u + 6) != 0 {
        let mut acc = csum_add(0, &f[e + 12..e + 20]);
        acc += 17 + udp_len as u32;
        acc = csum_add(acc, &f[u..d]);
        (fold(acc) != 0xFFFF).then_some(RxClass::UdpCsum)
    } else {
        None
    };
    RxResult { class: end_class, accepted: Some((hdr, payload)), bad: end_class.is_some() || mac_error }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::UdpFrameSpec;

    fn good(payload: &[u8]) -> Vec<u8> {
        UdpFrameSpec {
            dst_mac: [1, 0, 0x5e, 0, 0, 1],
            src_mac: [2, 0, 0, 0, 0, 1],
            vlan: None,
            src_ip: Ipv4Addr::new(10, 0, 0, 1),
            dst_ip: Ipv4Addr::new(233, 54, 12, 1),
            src_port: 1234,
            dst_port: 26400,
            ttl: 64,
            ip_id: 7,
        }
        .build(payload)
    }

    #[test]
    fn good_frame_and_each_class() {
        let f = good(&[7u8; 40]);
        let r = classify(&f, false, 1522);
        assert_eq!(r.class, None);
        assert_eq!(r.accepted.unwrap().1, &[7u8; 40][..]);
        assert!(!r.bad);
        assert!(classify(&f, true, 1522).bad);
        let mut x = f.clone();
        x[12] = 0x86;
        x[13] = 0xDD;
        assert_eq!(classify(&x, false, 0).class, Some(RxClass::NotIpv4));
        let mut x = f.clone();
        x[24] ^= 1; // IPv4 checksum
        assert_eq!(classify(&x, false, 0).class, Some(RxClass::IpCsum));
        let mut x = f.clone();
        x[42] ^= 1; // payload: UDP checksum
        let r = classify(&x, false, 0);
        assert_eq!((r.class, r.bad, r.accepted.is_some()), (Some(RxClass::UdpCsum), true, true));
        assert_eq!(classify(&f[..50], false, 0).class, Some(RxClass::Runt));
        let r = classify(&f, false, 70);
        assert_eq!((r.class, r.accepted.unwrap().1.len()), (Some(RxClass::TooLong), 70 - 42));
        assert_eq!(classify(&f[..30], false, 0).class, Some(RxClass::Runt));
    }
}
