//! Ethernet II / optional 802.1Q / IPv4 / UDP frames: a builder, and the software reference of
//! the card's header parser (`tw_eth_udp_rx`).
//!
//! Frames here never carry the FCS. Header layout the parser reads (offsets without a VLAN tag;
//! a tag shifts everything after the MAC addresses by 4):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 6 | destination MAC |
//! | 6 | 6 | source MAC |
//! | 12 | 2 | EtherType (0x8100: a 4-byte 802.1Q tag, TCI then the inner EtherType, follows) |
//! | 14 | 1 | IPv4 version (4) and IHL (>= 5 words; options are skipped) |
//! | 16 | 2 | IPv4 total length |
//! | 18 | 2 | IPv4 identification |
//! | 20 | 2 | flags and fragment offset (MF set or offset != 0: a fragment, rejected) |
//! | 22 | 1 | TTL |
//! | 23 | 1 | protocol (17 = UDP) |
//! | 24 | 2 | header checksum |
//! | 26 | 4 | source address |
//! | 30 | 4 | destination address |
//! | 14 + 4·IHL | 8 | UDP: source port, destination port, length, checksum |
//!
//! # Parser rules, in the order they are checked (as `tw_eth_udp_rx` checks them)
//!
//! 1. At least 14 bytes; EtherType 0x8100 means one 802.1Q tag (the frame must hold it). The
//!    (inner) EtherType must be 0x0800, else [`FrameError::NotIpv4`] — a second tag included.
//! 2. With bytes up to the protocol field (E+9) present: IPv4 version 4
//!    ([`FrameError::BadIpVersion`]) and IHL >= 5 ([`FrameError::BadIhl`]); protocol 17
//!    ([`FrameError::NotUdp`]) and not a fragment ([`FrameError::Fragment`]); total length at least
//!    the IPv4 header plus the 8-byte UDP header ([`FrameError::BadIpTotalLength`]).
//! 3. The IPv4 header (options skipped) and the UDP header within the frame
//!    ([`FrameError::Truncated`]); UDP length >= 9 (at least one payload byte) and <= the total
//!    length minus the IPv4 header ([`FrameError::BadUdpLength`]).
//! 4. The frame holds the whole UDP datagram ([`FrameError::Truncated`]; the card has started to
//!    forward such a payload when it sees the frame end, flags it and counts a bad header).
//!    The payload is the UDP length minus 8 bytes; bytes after it (Ethernet padding, or a total
//!    length longer than the datagram) are ignored. Like the card, the parser never compares the
//!    IPv4 total length with the frame length.
//!
//! Checksums are not verified by [`parse`] (the card does not check them either);
//! [`UdpFrame::ip_checksum_ok`] and [`UdpFrame::udp_checksum_ok`] do on request. Errors fall in
//! two classes, matching the card's counters: not IPv4/UDP (`RX_NOT_UDP`) and malformed
//! (`RX_BAD_HDR`); see [`FrameError::class`].

use std::net::Ipv4Addr;

use thiserror::Error;

/// EtherType of IPv4.
pub const ETHERTYPE_IPV4: u16 = 0x0800;
/// EtherType (TPID) of an 802.1Q VLAN tag.
pub const ETHERTYPE_VLAN: u16 = 0x8100;
/// IP protocol number of UDP.
pub const IPPROTO_UDP: u8 = 17;
/// Minimum Ethernet frame length without the FCS; [`UdpFrameSpec::build`] pads to it.
pub const MIN_FRAME_LEN: usize = 60;
/// Largest UDP payload one IPv4 datagram can carry (65535 − 20 − 8).
pub const MAX_UDP_PAYLOAD: usize = 65507;

const ETH_HEADER_LEN: usize = 14;
const VLAN_TAG_LEN: usize = 4;
const IPV4_MIN_HEADER_LEN: usize = 20;
const UDP_HEADER_LEN: usize = 8;

/// Which of the card's drop counters a parse error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameErrorClass {
    /// Not IPv4/UDP (ARP, IPv6, other protocols, IPv4 fragments): `RX_NOT_UDP`.
    NotIpv4Udp,
    /// A malformed header, or the frame ended inside the headers: `RX_BAD_HDR`.
    Malformed,
}

/// Errors from parsing a frame.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FrameError {
    /// The (inner) EtherType is not IPv4.
    #[error("not IPv4: EtherType 0x{ethertype:04x}")]
    NotIpv4 {
        /// The EtherType found.
        ethertype: u16,
    },
    /// The IPv4 protocol is not UDP.
    #[error("not UDP: IPv4 protocol {protocol}")]
    NotUdp {
        /// The protocol number found.
        protocol: u8,
    },
    /// An IPv4 fragment (more-fragments set or a non-zero offset).
    #[error("IPv4 fragment (offset {offset} bytes, more fragments: {more_fragments})")]
    Fragment {
        /// Fragment offset in bytes.
        offset: u32,
        /// The MF flag.
        more_fragments: bool,
    },
    /// The frame ended inside the headers or the UDP payload.
    #[error("frame of {len} bytes ends inside the {part} (needs {needed} bytes)")]
    Truncated {
        /// Where: "Ethernet header", "802.1Q tag", "IPv4 header", "UDP header" or "UDP payload".
        part: &'static str,
        /// Bytes the frame would need to hold that header.
        needed: usize,
        /// Frame length.
        len: usize,
    },
    /// The IPv4 version nibble is not 4.
    #[error("malformed IPv4 header: version {version}")]
    BadIpVersion {
        /// The version found.
        version: u8,
    },
    /// The IPv4 header length is below 5 words.
    #[error("malformed IPv4 header: IHL {ihl} (minimum 5)")]
    BadIhl {
        /// The IHL found (32-bit words).
        ihl: u8,
    },
    /// The IPv4 total length cannot hold the IPv4 header and a UDP header.
    #[error("malformed IPv4 header: total length {total_length} is less than the {header_len}-byte header plus 8")]
    BadIpTotalLength {
        /// Total length field.
        total_length: usize,
        /// IPv4 header length in bytes.
        header_len: usize,
    },
    /// The UDP length is below 9 or beyond the IP payload.
    #[error(
        "malformed UDP header: length {udp_length} (must be 9..={ip_payload}, the IP payload)"
    )]
    BadUdpLength {
        /// UDP length field.
        udp_length: usize,
        /// IPv4 payload length.
        ip_payload: usize,
    },
}

impl FrameError {
    /// The card counter class of this error.
    pub fn class(&self) -> FrameErrorClass {
        match self {
            FrameError::NotIpv4 { .. }
            | FrameError::NotUdp { .. }
            | FrameError::Fragment { .. } => FrameErrorClass::NotIpv4Udp,
            FrameError::Truncated { .. }
            | FrameError::BadIpVersion { .. }
            | FrameError::BadIhl { .. }
            | FrameError::BadIpTotalLength { .. }
            | FrameError::BadUdpLength { .. } => FrameErrorClass::Malformed,
        }
    }

    /// True for a malformed header (as opposed to a well-formed frame that is not IPv4/UDP).
    pub fn is_malformed(&self) -> bool {
        self.class() == FrameErrorClass::Malformed
    }
}

/// The Ethernet multicast MAC address of an IPv4 group: 01:00:5e and the group's low 23 bits.
pub fn multicast_mac(group: Ipv4Addr) -> [u8; 6] {
    let o = group.octets();
    [0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]]
}

/// Adds `data` as big-endian 16-bit words (odd length: zero-padded) to a one's-complement sum.
fn sum_words(data: &[u8], mut sum: u32) -> u32 {
    let mut words = data.chunks_exact(2);
    for w in &mut words {
        sum += u32::from(u16::from_be_bytes([w[0], w[1]]));
    }
    if let [last] = words.remainder() {
        sum += u32::from(*last) << 8;
    }
    sum
}

fn fold(mut sum: u32) -> u16 {
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// The Internet checksum (RFC 1071) of an IPv4 header whose checksum field is zero.
/// Over a header holding its checksum, the result is 0 when the checksum is right.
pub fn ipv4_header_checksum(header: &[u8]) -> u16 {
    !fold(sum_words(header, 0))
}

/// The UDP checksum of `segment` (UDP header with checksum field zero, then the payload) over the
/// IPv4 pseudo-header. A computed 0 is sent as 0xFFFF (0 means "no checksum").
pub fn udp_checksum(src: Ipv4Addr, dst: Ipv4Addr, segment: &[u8]) -> u16 {
    let mut sum = sum_words(&src.octets(), 0);
    sum = sum_words(&dst.octets(), sum);
    sum += u32::from(IPPROTO_UDP);
    sum += segment.len() as u32;
    match !fold(sum_words(segment, sum)) {
        0 => 0xffff,
        c => c,
    }
}

/// Addresses and header fields of a UDP/IPv4 frame to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UdpFrameSpec {
    /// Destination MAC (see [`multicast_mac`] for a multicast group).
    pub dst_mac: [u8; 6],
    /// Source MAC.
    pub src_mac: [u8; 6],
    /// 802.1Q tag: the 16-bit TCI written as is (PCP 3 bits, DEI 1 bit, VID 12 bits), so a plain
    /// VLAN ID works too. `None`: untagged.
    pub vlan: Option<u16>,
    /// IPv4 source address.
    pub src_ip: Ipv4Addr,
    /// IPv4 destination address.
    pub dst_ip: Ipv4Addr,
    /// UDP source port.
    pub src_port: u16,
    /// UDP destination port.
    pub dst_port: u16,
    /// IPv4 time to live.
    pub ttl: u8,
    /// IPv4 identification.
    pub ip_id: u16,
}

impl UdpFrameSpec {
    /// Builds the frame (no FCS): Ethernet II, the optional 802.1Q tag, a 20-byte IPv4 header
    /// (DF set, correct header checksum), UDP with a correct checksum, `payload`, and zero padding
    /// up to [`MIN_FRAME_LEN`].
    ///
    /// # Panics
    /// If `payload` is longer than [`MAX_UDP_PAYLOAD`].
    pub fn build(&self, payload: &[u8]) -> Vec<u8> {
        assert!(
            payload.len() <= MAX_UDP_PAYLOAD,
            "UDP payload of {} bytes exceeds {MAX_UDP_PAYLOAD}",
            payload.len()
        );
        let udp_len = UDP_HEADER_LEN + payload.len();
        let ip_len = IPV4_MIN_HEADER_LEN + udp_len;
        let mut f = Vec::with_capacity((ETH_HEADER_LEN + VLAN_TAG_LEN + ip_len).max(MIN_FRAME_LEN));
        f.extend_from_slice(&self.dst_mac);
        f.extend_from_slice(&self.src_mac);
        if let Some(tci) = self.vlan {
            f.extend_from_slice(&ETHERTYPE_VLAN.to_be_bytes());
            f.extend_from_slice(&tci.to_be_bytes());
        }
        f.extend_from_slice(&ETHERTYPE_IPV4.to_be_bytes());

        let ip_start = f.len();
        f.push(0x45); // version 4, IHL 5
        f.push(0); // DSCP/ECN
        f.extend_from_slice(&(ip_len as u16).to_be_bytes());
        f.extend_from_slice(&self.ip_id.to_be_bytes());
        f.extend_from_slice(&0x4000u16.to_be_bytes()); // DF, offset 0
        f.push(self.ttl);
        f.push(IPPROTO_UDP);
        f.extend_from_slice(&[0, 0]); // checksum, below
        f.extend_from_slice(&self.src_ip.octets());
        f.extend_from_slice(&self.dst_ip.octets());
        let csum = ipv4_header_checksum(&f[ip_start..]);
        f[ip_start + 10..ip_start + 12].copy_from_slice(&csum.to_be_bytes());

        let udp_start = f.len();
        f.extend_from_slice(&self.src_port.to_be_bytes());
        f.extend_from_slice(&self.dst_port.to_be_bytes());
        f.extend_from_slice(&(udp_len as u16).to_be_bytes());
        f.extend_from_slice(&[0, 0]); // checksum, below
        f.extend_from_slice(payload);
        let csum = udp_checksum(self.src_ip, self.dst_ip, &f[udp_start..]);
        f[udp_start + 6..udp_start + 8].copy_from_slice(&csum.to_be_bytes());

        if f.len() < MIN_FRAME_LEN {
            f.resize(MIN_FRAME_LEN, 0);
        }
        f
    }
}

/// A parsed UDP/IPv4 frame: header fields and the UDP payload, borrowed from the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UdpFrame<'a> {
    /// Destination MAC.
    pub dst_mac: [u8; 6],
    /// Source MAC.
    pub src_mac: [u8; 6],
    /// 802.1Q TCI, if the frame was tagged.
    pub vlan: Option<u16>,
    /// IPv4 source address.
    pub src_ip: Ipv4Addr,
    /// IPv4 destination address.
    pub dst_ip: Ipv4Addr,
    /// IPv4 time to live.
    pub ttl: u8,
    /// IPv4 identification.
    pub ip_id: u16,
    /// IPv4 header length in bytes (20 plus options).
    pub ip_header_len: usize,
    /// UDP source port.
    pub src_port: u16,
    /// UDP destination port.
    pub dst_port: u16,
    /// UDP payload: the UDP length minus 8 bytes (Ethernet padding excluded).
    pub payload: &'a [u8],
    ip_header: &'a [u8],
    udp_segment: &'a [u8],
}

impl UdpFrame<'_> {
    /// The VLAN ID (low 12 bits of the TCI), if tagged.
    pub fn vlan_id(&self) -> Option<u16> {
        self.vlan.map(|tci| tci & 0x0fff)
    }

    /// The header fields as a [`UdpFrameSpec`] (rebuilding from it gives an equivalent frame,
    /// without IP options).
    pub fn spec(&self) -> UdpFrameSpec {
        UdpFrameSpec {
            dst_mac: self.dst_mac,
            src_mac: self.src_mac,
            vlan: self.vlan,
            src_ip: self.src_ip,
            dst_ip: self.dst_ip,
            src_port: self.src_port,
            dst_port: self.dst_port,
            ttl: self.ttl,
            ip_id: self.ip_id,
        }
    }

    /// True when the IPv4 header checksum (options included) is right.
    pub fn ip_checksum_ok(&self) -> bool {
        fold(sum_words(self.ip_header, 0)) == 0xffff
    }

    /// True when the UDP checksum is right, or absent (0).
    pub fn udp_checksum_ok(&self) -> bool {
        let sent = u16::from_be_bytes([self.udp_segment[6], self.udp_segment[7]]);
        if sent == 0 {
            return true;
        }
        let mut segment = self.udp_segment.to_vec();
        segment[6..8].fill(0);
        udp_checksum(self.src_ip, self.dst_ip, &segment) == sent
    }
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn need(frame: &[u8], part: &'static str, needed: usize) -> Result<(), FrameError> {
    if frame.len() < needed {
        return Err(FrameError::Truncated {
            part,
            needed,
            len: frame.len(),
        });
    }
    Ok(())
}

/// Parses a frame (no FCS) by the card's rules (see the module doc).
pub fn parse(frame: &[u8]) -> Result<UdpFrame<'_>, FrameError> {
    need(frame, "Ethernet header", ETH_HEADER_LEN)?;
    let dst_mac: [u8; 6] = frame[0..6].try_into().expect("6 bytes");
    let src_mac: [u8; 6] = frame[6..12].try_into().expect("6 bytes");
    let mut ethertype = be16(frame, 12);
    let mut ip_start = ETH_HEADER_LEN;
    let mut vlan = None;
    if ethertype == ETHERTYPE_VLAN {
        need(frame, "802.1Q tag", ETH_HEADER_LEN + VLAN_TAG_LEN)?;
        vlan = Some(be16(frame, 14));
        ethertype = be16(frame, 16);
        ip_start += VLAN_TAG_LEN;
    }
    if ethertype != ETHERTYPE_IPV4 {
        return Err(FrameError::NotIpv4 { ethertype });
    }

    // The card decides on the IPv4 header once the protocol byte (E+9) is in.
    need(frame, "IPv4 header", ip_start + 10)?;
    let ip = &frame[ip_start..];
    let version = ip[0] >> 4;
    if version != 4 {
        return Err(FrameError::BadIpVersion { version });
    }
    let ihl = ip[0] & 0x0f;
    if ihl < 5 {
        return Err(FrameError::BadIhl { ihl });
    }
    let protocol = ip[9];
    if protocol != IPPROTO_UDP {
        return Err(FrameError::NotUdp { protocol });
    }
    let flags_frag = be16(ip, 6);
    let more_fragments = flags_frag & 0x2000 != 0;
    let offset = u32::from(flags_frag & 0x1fff) * 8;
    if more_fragments || offset != 0 {
        return Err(FrameError::Fragment {
            offset,
            more_fragments,
        });
    }
    let header_len = usize::from(ihl) * 4;
    let total_length = usize::from(be16(ip, 2));
    if total_length < header_len + UDP_HEADER_LEN {
        return Err(FrameError::BadIpTotalLength {
            total_length,
            header_len,
        });
    }

    let udp_start = ip_start + header_len;
    need(frame, "UDP header", udp_start + UDP_HEADER_LEN)?;
    let ip_payload = total_length - header_len;
    let udp_length = usize::from(be16(frame, udp_start + 4));
    if udp_length <= UDP_HEADER_LEN || udp_length > ip_payload {
        return Err(FrameError::BadUdpLength {
            udp_length,
            ip_payload,
        });
    }
    need(frame, "UDP payload", udp_start + udp_length)?;
    let udp_segment = &frame[udp_start..udp_start + udp_length];
    Ok(UdpFrame {
        dst_mac,
        src_mac,
        vlan,
        src_ip: Ipv4Addr::new(ip[12], ip[13], ip[14], ip[15]),
        dst_ip: Ipv4Addr::new(ip[16], ip[17], ip[18], ip[19]),
        ttl: ip[8],
        ip_id: be16(ip, 4),
        ip_header_len: header_len,
        src_port: be16(udp_segment, 0),
        dst_port: be16(udp_segment, 2),
        payload: &udp_segment[UDP_HEADER_LEN..],
        ip_header: &ip[..header_len],
        udp_segment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> UdpFrameSpec {
        UdpFrameSpec {
            dst_mac: multicast_mac(Ipv4Addr::new(233, 54, 12, 111)),
            src_mac: [0x02, 0, 0, 0, 0, 1],
            vlan: None,
            src_ip: Ipv4Addr::new(192, 0, 2, 10),
            dst_ip: Ipv4Addr::new(233, 54, 12, 111),
            src_port: 40000,
            dst_port: 26477,
            ttl: 32,
            ip_id: 7,
        }
    }

    #[test]
    fn multicast_mac_maps_low_23_bits() {
        assert_eq!(
            multicast_mac(Ipv4Addr::new(233, 54, 12, 111)),
            [1, 0, 0x5e, 0x36, 12, 111]
        );
        assert_eq!(
            multicast_mac(Ipv4Addr::new(239, 255, 1, 2)),
            [1, 0, 0x5e, 0x7f, 1, 2]
        );
    }

    #[test]
    fn rfc1071_example() {
        // The worked example of RFC 1071 section 3: sum 0xddf2, checksum 0x220d.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(ipv4_header_checksum(&data), !0xddf2);
    }

    #[test]
    fn small_frame_is_padded_and_payload_trimmed() {
        let f = spec().build(b"hi");
        assert_eq!(f.len(), MIN_FRAME_LEN);
        let p = parse(&f).unwrap();
        assert_eq!(p.payload, b"hi");
        assert!(p.ip_checksum_ok() && p.udp_checksum_ok());
    }

    #[test]
    fn error_classes() {
        let mut f = spec().build(b"payload");
        f[12] = 0x86;
        f[13] = 0xdd;
        let e = parse(&f).unwrap_err();
        assert_eq!(e, FrameError::NotIpv4 { ethertype: 0x86dd });
        assert_eq!(e.class(), FrameErrorClass::NotIpv4Udp);
        let e = parse(&f[..10]).unwrap_err();
        assert!(e.is_malformed(), "{e}");
    }
}
