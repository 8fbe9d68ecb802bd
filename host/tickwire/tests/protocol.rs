//! Integration tests of the software protocol layer: ITCH 5.0, MoldUDP64, frames, capture files
//! and the feed generator.

use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;
use std::path::PathBuf;

use serde_json::json;
use tickwire::frame::{self, FrameError, FrameErrorClass, UdpFrameSpec};
use tickwire::gen::{self, GenConfig};
use tickwire::itch::{
    self, pad_alpha, Body, FieldValue, Header, ItchError, Message, MESSAGE_TYPES,
};
use tickwire::mold::{self, MoldError, MoldPacket};
use tickwire::pcap::{self, CapturedFrame, PcapError};

// ---------------------------------------------------------------------------------------------
// ITCH

/// One message of every type, with distinct, recognisable values.
fn samples() -> Vec<Message> {
    let stock = pad_alpha::<8>("AAPL");
    let bodies = vec![
        Body::SystemEvent { event_code: b'O' },
        Body::StockDirectory {
            stock,
            market_category: b'Q',
            financial_status_indicator: b'N',
            round_lot_size: 100,
            round_lots_only: b'N',
            issue_classification: b'C',
            issue_sub_type: pad_alpha("Z"),
            authenticity: b'P',
            short_sale_threshold_indicator: b'N',
            ipo_flag: b'N',
            luld_reference_price_tier: b'1',
            etp_flag: b'N',
            etp_leverage_factor: 3,
            inverse_indicator: b'Y',
        },
        Body::StockTradingAction {
            stock,
            trading_state: b'H',
            reserved: b' ',
            reason: pad_alpha("T1"),
        },
        Body::RegShoRestriction {
            stock,
            reg_sho_action: b'1',
        },
        Body::MarketParticipantPosition {
            mpid: pad_alpha("GSCO"),
            stock,
            primary_market_maker: b'Y',
            market_maker_mode: b'N',
            market_participant_state: b'A',
        },
        Body::MwcbDeclineLevel {
            level1: 465_000_000_000,
            level2: 435_000_000_000,
            level3: 400_000_000_000,
        },
        Body::MwcbStatus {
            breached_level: b'2',
        },
        Body::IpoQuotingPeriodUpdate {
            stock,
            ipo_quotation_release_time: 43_200,
            ipo_quotation_release_qualifier: b'A',
            ipo_price: 210_000,
        },
        Body::LuldAuctionCollar {
            stock,
            auction_collar_reference_price: 1_000_000,
            upper_auction_collar_price: 1_050_000,
            lower_auction_collar_price: 950_000,
            auction_collar_extension: 2,
        },
        Body::OperationalHalt {
            stock,
            market_code: b'Q',
            operational_halt_action: b'H',
        },
        Body::AddOrder {
            order_reference_number: 0x0102_0304_0506_0708,
            buy_sell_indicator: b'B',
            shares: 300,
            stock,
            price: 1_892_500,
        },
        Body::AddOrderMpid {
            order_reference_number: 77,
            buy_sell_indicator: b'S',
            shares: 1,
            stock,
            price: u32::MAX,
            attribution: pad_alpha("VIRT"),
        },
        Body::OrderExecuted {
            order_reference_number: 77,
            executed_shares: 1,
            match_number: u64::MAX,
        },
        Body::OrderExecutedWithPrice {
            order_reference_number: 78,
            executed_shares: 50,
            match_number: 9_000,
            printable: b'N',
            execution_price: 1_892_600,
        },
        Body::OrderCancel {
            order_reference_number: 79,
            cancelled_shares: 25,
        },
        Body::OrderDelete {
            order_reference_number: 80,
        },
        Body::OrderReplace {
            original_order_reference_number: 81,
            new_order_reference_number: 82,
            shares: 200,
            price: 1_892_400,
        },
        Body::Trade {
            order_reference_number: 0,
            buy_sell_indicator: b'B',
            shares: 400,
            stock,
            price: 1_892_500,
            match_number: 9_001,
        },
        Body::CrossTrade {
            shares: 1_234_567,
            stock,
            cross_price: 1_892_000,
            match_number: 9_002,
            cross_type: b'O',
        },
        Body::BrokenTrade {
            match_number: 9_001,
        },
        Body::Noii {
            paired_shares: 500_000,
            imbalance_shares: 12_000,
            imbalance_direction: b'B',
            stock,
            far_price: 1_900_000,
            near_price: 1_895_000,
            current_reference_price: 1_892_500,
            cross_type: b'O',
            price_variation_indicator: b'L',
        },
        Body::RetailPriceImprovement {
            stock,
            interest_flag: b'A',
        },
        Body::DirectListingCapitalRaise {
            stock,
            open_eligibility_status: b'Y',
            minimum_allowable_price: 80_000,
            maximum_allowable_price: 120_000,
            near_execution_price: 100_000,
            near_execution_time: 34_200_000_000_123,
            lower_price_range_collar: 90_000,
            upper_price_range_collar: 110_000,
        },
    ];
    bodies
        .into_iter()
        .enumerate()
        .map(|(i, body)| Message {
            header: Header {
                stock_locate: 0x1200 + i as u16,
                tracking_number: 0x3400 + i as u16,
                timestamp: itch::MAX_TIMESTAMP - i as u64,
            },
            body,
        })
        .collect()
}

#[test]
fn samples_cover_every_type_in_spec_order() {
    let types: Vec<u8> = samples().iter().map(Message::message_type).collect();
    assert_eq!(types, MESSAGE_TYPES);
}

#[test]
fn every_type_round_trips() {
    for m in samples() {
        let t = m.message_type() as char;
        let bytes = m.encode();
        assert_eq!(
            Some(bytes.len()),
            itch::message_len(m.message_type()),
            "{t}"
        );
        assert_eq!(bytes[0], m.message_type());
        assert_eq!(Message::decode(&bytes).unwrap(), m, "{t}");

        let d = itch::decode(&bytes).unwrap();
        assert_eq!(d.message_type, t);
        assert_eq!(d.stock_locate, m.header.stock_locate);
        assert_eq!(d.tracking_number, Some(m.header.tracking_number));
        assert_eq!(d.timestamp, m.header.timestamp);
        assert!(d.is_complete());
        let names: Vec<&str> = d.fields.iter().map(|f| f.name).collect();
        let spec_names: Vec<&str> = itch::spec(m.message_type())
            .unwrap()
            .fields
            .iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, spec_names, "{t}");

        // Through JSON and back to bytes by the field table: every value survives.
        let map = d.to_json_map();
        assert_eq!(map.len(), 4 + d.fields.len());
        let text = d.to_json_string();
        let reparsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(reparsed, serde_json::Value::Object(map), "{t}");
        assert!(text.starts_with(r#"{"message_type":""#), "{text}");

        // Wrong lengths are refused with context.
        let err = itch::decode(&bytes[..bytes.len() - 1]).unwrap_err();
        assert_eq!(
            err,
            ItchError::LengthMismatch {
                message_type: t,
                expected: bytes.len(),
                got: bytes.len() - 1
            }
        );
        let mut long = bytes.clone();
        long.push(0);
        assert!(matches!(
            itch::decode(&long),
            Err(ItchError::LengthMismatch { .. })
        ));
    }
}

#[test]
fn json_field_order_follows_the_spec() {
    let m = &samples()[10]; // AddOrder
    let text = m.to_decoded().to_json_string();
    let keys: Vec<&str> = [
        "message_type",
        "stock_locate",
        "tracking_number",
        "timestamp",
        "order_reference_number",
        "buy_sell_indicator",
        "shares",
        "stock",
        "price",
    ]
    .to_vec();
    let mut last = 0;
    for k in keys {
        let at = text
            .find(&format!("\"{k}\":"))
            .unwrap_or_else(|| panic!("{k} in {text}"));
        assert!(at >= last, "{k} out of order in {text}");
        last = at;
    }
}

/// Big-endian bytes of `v`, the last `n` of them.
fn be(v: u64, n: usize) -> Vec<u8> {
    v.to_be_bytes()[8 - n..].to_vec()
}

/// A header written by hand: type, locate, tracking, 6-byte timestamp.
fn hand_header(t: u8, locate: u16, tracking: u16, ts: u64) -> Vec<u8> {
    let mut v = vec![t];
    v.extend(be(locate.into(), 2));
    v.extend(be(tracking.into(), 2));
    v.extend(be(ts, 6));
    v
}

#[test]
fn hand_made_add_order_decodes_by_itch50_offsets() {
    let mut msg = hand_header(b'A', 7, 2, 34_200_123_456_789);
    msg.extend(be(987_654_321, 8)); // 11: order_reference_number
    msg.push(b'S'); // 19: buy_sell_indicator
    msg.extend(be(250, 4)); // 20: shares
    msg.extend_from_slice(b"MSFT    "); // 24: stock
    msg.extend(be(4_123_400, 4)); // 32: price ($412.34)
    assert_eq!(msg.len(), 36);

    let d = itch::decode(&msg).unwrap();
    assert_eq!(
        serde_json::Value::Object(d.to_json_map()),
        json!({
            "message_type": "A",
            "stock_locate": 7,
            "tracking_number": 2,
            "timestamp": 34_200_123_456_789u64,
            "order_reference_number": 987_654_321,
            "buy_sell_indicator": "S",
            "shares": 250,
            "stock": "MSFT",
            "price": 4_123_400,
        })
    );
    match Message::decode(&msg).unwrap().body {
        Body::AddOrder { stock, price, .. } => {
            assert_eq!(&stock, b"MSFT    ");
            assert_eq!(price, 4_123_400);
        }
        other => panic!("decoded as {other:?}"),
    }
}

#[test]
fn hand_made_system_event_cross_and_mwcb() {
    let mut s = hand_header(b'S', 0, 0, 10_800_000_000_000);
    s.push(b'Q');
    let d = itch::decode(&s).unwrap();
    assert_eq!(d.field("event_code"), Some(&FieldValue::Alpha("Q".into())));
    assert_eq!(d.timestamp, 10_800_000_000_000);

    let mut q = hand_header(b'Q', 3, 1, 1);
    q.extend(be(5_000_000_000, 8)); // 11: shares (8 bytes in Q)
    q.extend_from_slice(b"QQQ     "); // 19: stock
    q.extend(be(4_400_000, 4)); // 27: cross_price
    q.extend(be(42, 8)); // 31: match_number
    q.push(b'C'); // 39: cross_type
    let d = itch::decode(&q).unwrap();
    let m = d.to_json_map();
    assert_eq!(m["shares"], json!(5_000_000_000u64));
    assert_eq!(m["stock"], json!("QQQ"));
    assert_eq!(m["cross_price"], json!(4_400_000));
    assert_eq!(m["match_number"], json!(42));
    assert_eq!(m["cross_type"], json!("C"));

    let mut v = hand_header(b'V', 0, 0, 2);
    v.extend(be(465_012_345_678, 8)); // level1, 8 implied decimals, not scaled
    v.extend(be(435_000_000_000, 8));
    v.extend(be(400_000_000_000, 8));
    let d = itch::decode(&v).unwrap();
    assert_eq!(
        d.field("level1").and_then(FieldValue::as_u64),
        Some(465_012_345_678)
    );
    assert_eq!(
        d.field("level3").and_then(FieldValue::as_u64),
        Some(400_000_000_000)
    );
}

#[test]
fn alpha_trimming_rules() {
    // Multi-character alpha fields lose trailing spaces; one-character fields stay one character.
    let mut h = hand_header(b'H', 1, 1, 1);
    h.extend_from_slice(b"AB      "); // stock
    h.push(b'T'); // trading_state
    h.push(b' '); // reserved
    h.extend_from_slice(b"    "); // reason
    let d = itch::decode(&h).unwrap();
    assert_eq!(d.field("stock").and_then(FieldValue::as_str), Some("AB"));
    assert_eq!(d.field("reserved").and_then(FieldValue::as_str), Some(" "));
    assert_eq!(d.field("reason").and_then(FieldValue::as_str), Some(""));
}

#[test]
fn truncated_noii_prefix_as_the_card_delivers_it() {
    let mut msg = hand_header(b'I', 9, 4, 57_000_000_000_000);
    msg.extend(be(1_000, 8)); // 11: paired_shares
    msg.extend(be(200, 8)); // 19: imbalance_shares
    msg.push(b'S'); // 27: imbalance_direction
    msg.extend_from_slice(b"NVDA    "); // 28: stock
    msg.extend(be(9_000_000, 4)); // 36: far_price
    msg.extend(be(8_990_000, 4)); // 40: near_price
    msg.extend(be(8_995_000, 4)); // 44: current_reference_price
    msg.push(b'C'); // 48: cross_type
    msg.push(b'1'); // 49: price_variation_indicator
    assert_eq!(msg.len(), 50);

    let d = itch::decode_prefix(&msg[..40], 50).unwrap();
    let names: Vec<&str> = d.fields.iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        [
            "paired_shares",
            "imbalance_shares",
            "imbalance_direction",
            "stock",
            "far_price"
        ]
    );
    assert_eq!(
        d.omitted,
        [
            "near_price",
            "current_reference_price",
            "cross_type",
            "price_variation_indicator"
        ]
    );
    assert!(!d.is_complete());
    assert_eq!(
        d.field("far_price").and_then(FieldValue::as_u64),
        Some(9_000_000)
    );
    let map = d.to_json_map();
    assert!(!map.contains_key("near_price"));
    assert_eq!(map["stock"], json!("NVDA"));

    // The whole message through decode_prefix equals decode.
    assert_eq!(
        itch::decode_prefix(&msg, 50).unwrap(),
        itch::decode(&msg).unwrap()
    );
    // A field ending exactly at the cut is kept: P's price ends at 36, match_number (36..44) not.
    let p = samples()
        .into_iter()
        .find(|m| m.message_type() == b'P')
        .unwrap()
        .encode();
    let d = itch::decode_prefix(&p[..40], 44).unwrap();
    assert_eq!(d.fields.last().unwrap().name, "price");
    assert_eq!(d.omitted, ["match_number"]);
    // The full length must be the type's.
    assert_eq!(
        itch::decode_prefix(&p[..40], 40),
        Err(ItchError::LengthMismatch {
            message_type: 'P',
            expected: 44,
            got: 40
        })
    );
}

// ---------------------------------------------------------------------------------------------
// MoldUDP64

const SESSION: [u8; 10] = *b"TESTSESS01";

fn mold_header(seq: u64, count: u16) -> Vec<u8> {
    let mut v = SESSION.to_vec();
    v.extend(seq.to_be_bytes());
    v.extend(count.to_be_bytes());
    v
}

fn block(msg: &[u8]) -> Vec<u8> {
    let mut v = (msg.len() as u16).to_be_bytes().to_vec();
    v.extend_from_slice(msg);
    v
}

#[test]
fn mold_round_trip_and_hand_made_packet() {
    let msgs: Vec<Vec<u8>> = samples().iter().map(Message::encode).collect();
    let p = MoldPacket::new(SESSION, 1_000, msgs.clone());
    let bytes = p.encode();
    assert_eq!(mold::decode(&bytes).unwrap(), p);

    let mut hand = mold_header(1_000, msgs.len() as u16);
    for m in &msgs {
        hand.extend(block(m));
    }
    assert_eq!(bytes, hand);
    let h = mold::MoldHeader::parse(&bytes).unwrap();
    assert_eq!(
        (h.session, h.sequence_number, h.message_count),
        (SESSION, 1_000, 23)
    );
}

#[test]
fn mold_payload_shorter_than_header() {
    assert_eq!(
        mold::decode(&[0u8; 19]),
        Err(MoldError::TooShort { len: 19 })
    );
    assert_eq!(
        mold::decode_partial(&[]),
        Err(MoldError::TooShort { len: 0 })
    );
    assert!(mold::decode(&mold_header(5, 0)).unwrap().is_heartbeat());
}

#[test]
fn mold_block_running_past_the_end() {
    let good = samples()[0].encode();
    let mut p = mold_header(10, 3);
    p.extend(block(&good));
    p.extend(block(&good));
    let mut cut = p.clone();
    cut.extend(block(&good));
    cut.truncate(cut.len() - 1); // last message one byte short
    let err = mold::decode(&cut).unwrap_err();
    assert_eq!(
        err,
        MoldError::TruncatedBlock {
            good: 2,
            offset: 48,
            needed: 14,
            available: 13
        }
    );
    assert_eq!(err.good_messages(), Some(2));
    let (partial, fault) = mold::decode_partial(&cut).unwrap();
    assert_eq!(partial.messages, vec![good.clone(), good.clone()]);
    assert_eq!(partial.sequence_number, 10);
    assert_eq!(fault, Some(err));

    // Only one byte of a length field left.
    let mut one = p.clone();
    one.push(0);
    assert_eq!(
        mold::decode(&one),
        Err(MoldError::TruncatedBlock {
            good: 2,
            offset: 48,
            needed: 2,
            available: 1
        })
    );
}

#[test]
fn mold_message_shorter_than_8_bytes() {
    let good = samples()[15].encode(); // 'D', 19 bytes
    let mut p = mold_header(1, 3);
    p.extend(block(&good));
    p.extend(block(&[b'X'; 7]));
    p.extend(block(&good));
    let err = mold::decode(&p).unwrap_err();
    assert_eq!(
        err,
        MoldError::ShortMessage {
            good: 1,
            offset: 41,
            length: 7
        }
    );
    assert!(err.to_string().contains("1 good messages"), "{err}");
    let (partial, _) = mold::decode_partial(&p).unwrap();
    assert_eq!(partial.messages, vec![good.clone()]);

    // Exactly 8 bytes is fine (the card does not know ITCH lengths).
    let mut ok = mold_header(1, 1);
    ok.extend(block(&[b'Z'; 8]));
    assert_eq!(mold::decode(&ok).unwrap().messages, vec![vec![b'Z'; 8]]);
    // A zero-length block is a short message.
    let mut zero = mold_header(1, 1);
    zero.extend(block(&[]));
    assert_eq!(mold::decode(&zero).unwrap_err().good_messages(), Some(0));
}

#[test]
fn mold_count_does_not_bound_the_parse() {
    let good = samples()[0].encode();
    let mut p = mold_header(1, 1); // says 1, carries 2
    p.extend(block(&good));
    p.extend(block(&good));
    assert_eq!(mold::decode(&p).unwrap().messages.len(), 2);
    let eos = MoldPacket::end_of_session(SESSION, 99).encode();
    assert_eq!(eos, mold_header(99, 0xFFFF));
    assert!(mold::decode(&eos).unwrap().end_of_session);
}

// ---------------------------------------------------------------------------------------------
// Frames

fn spec(vlan: Option<u16>) -> UdpFrameSpec {
    UdpFrameSpec {
        dst_mac: frame::multicast_mac(Ipv4Addr::new(233, 54, 12, 111)),
        src_mac: [0x02, 0x11, 0x22, 0x33, 0x44, 0x55],
        vlan,
        src_ip: Ipv4Addr::new(192, 0, 2, 10),
        dst_ip: Ipv4Addr::new(233, 54, 12, 111),
        src_port: 40_000,
        dst_port: 26_477,
        ttl: 32,
        ip_id: 0xbeef,
    }
}

/// Independent one's-complement sum: 64-bit accumulator over 16-bit words, folded at the end.
fn ones_sum(parts: &[&[u8]]) -> u16 {
    let bytes: Vec<u8> = parts.concat();
    let mut acc: u64 = 0;
    for (i, b) in bytes.iter().enumerate() {
        acc += if i % 2 == 0 {
            u64::from(*b) << 8
        } else {
            u64::from(*b)
        };
    }
    while acc >> 16 != 0 {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    acc as u16
}

/// Checks both checksums of a built frame independently of the library.
fn assert_checksums(f: &[u8], ip_at: usize) {
    let ihl = usize::from(f[ip_at] & 0x0f) * 4;
    assert_eq!(
        ones_sum(&[&f[ip_at..ip_at + ihl]]),
        0xffff,
        "IPv4 header checksum"
    );
    let udp = &f[ip_at + ihl..];
    let udp_len = usize::from(u16::from_be_bytes([udp[4], udp[5]]));
    let pseudo = [
        &f[ip_at + 12..ip_at + 20],
        &[0, 17],
        &(udp_len as u16).to_be_bytes()[..],
    ]
    .concat();
    assert_ne!(&udp[6..8], &[0, 0], "UDP checksum present");
    assert_eq!(
        ones_sum(&[&pseudo, &udp[..udp_len]]),
        0xffff,
        "UDP checksum"
    );
}

#[test]
fn frame_build_parse_untagged() {
    let payload: Vec<u8> = (0..=200u8).collect(); // odd length exercises the checksum padding
    let f = spec(None).build(&payload);
    assert_eq!(f.len(), 14 + 20 + 8 + payload.len());
    assert_eq!(&f[12..14], &[0x08, 0x00]);
    assert_eq!(f[14], 0x45);
    assert_eq!(&f[16..18], &((20 + 8 + payload.len()) as u16).to_be_bytes());
    assert_eq!(&f[18..20], &[0xbe, 0xef]);
    assert_eq!(f[22], 32);
    assert_eq!(f[23], 17);
    assert_eq!(&f[26..30], &[192, 0, 2, 10]);
    assert_eq!(&f[30..34], &[233, 54, 12, 111]);
    assert_eq!(&f[34..36], &40_000u16.to_be_bytes());
    assert_eq!(&f[36..38], &26_477u16.to_be_bytes());
    assert_checksums(&f, 14);

    let p = frame::parse(&f).unwrap();
    assert_eq!(p.payload, &payload[..]);
    assert_eq!(p.spec(), spec(None));
    assert_eq!(p.vlan, None);
    assert_eq!(p.ip_header_len, 20);
    assert!(p.ip_checksum_ok() && p.udp_checksum_ok());
}

#[test]
fn frame_build_parse_vlan() {
    let tci = (5 << 13) | 0x123; // PCP 5, VID 0x123
    let f = spec(Some(tci)).build(b"0123456789");
    assert_eq!(f.len(), 60, "padded to the minimum");
    assert_eq!(&f[12..18], &[0x81, 0x00, 0xa1, 0x23, 0x08, 0x00]);
    assert_checksums(&f, 18);
    let p = frame::parse(&f).unwrap();
    assert_eq!(p.vlan, Some(tci));
    assert_eq!(p.vlan_id(), Some(0x123));
    assert_eq!(
        p.payload, b"0123456789",
        "Ethernet padding trimmed by the UDP length"
    );
    assert_eq!(p.spec(), spec(Some(tci)));

    // A second tag is not IPv4.
    let mut qinq = f[..12].to_vec();
    qinq.extend([0x81, 0x00, 0x00, 0x01]);
    qinq.extend(&f[12..]);
    assert_eq!(
        frame::parse(&qinq),
        Err(FrameError::NotIpv4 { ethertype: 0x8100 })
    );
}

/// A frame with IHL = 6 (one 4-byte option word), built by hand.
fn frame_with_ip_option(payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::new();
    f.extend([0x01, 0x00, 0x5e, 0x36, 0x0c, 0x6f]);
    f.extend([0x02, 0, 0, 0, 0, 9]);
    f.extend([0x08, 0x00]);
    let total = (24 + 8 + payload.len()) as u16;
    let mut ip = vec![0x46, 0x00];
    ip.extend(total.to_be_bytes());
    ip.extend([0x12, 0x34, 0x00, 0x00, 64, 17, 0, 0]);
    ip.extend([10, 9, 8, 7]);
    ip.extend([233, 54, 12, 111]);
    ip.extend([0x94, 0x04, 0x00, 0x00]); // Router Alert option
    let c = !ones_sum(&[&ip]);
    ip[10..12].copy_from_slice(&c.to_be_bytes());
    f.extend(&ip);
    let udp_len = (8 + payload.len()) as u16;
    let mut udp = vec![0x9c, 0x40, 0x67, 0x6d];
    udp.extend(udp_len.to_be_bytes());
    udp.extend([0, 0]);
    udp.extend(payload);
    let pseudo = [
        &[10, 9, 8, 7, 233, 54, 12, 111, 0, 17][..],
        &udp_len.to_be_bytes(),
    ]
    .concat();
    let c = !ones_sum(&[&pseudo, &udp]);
    udp[6..8].copy_from_slice(&c.to_be_bytes());
    f.extend(&udp);
    f
}

#[test]
fn frame_with_ip_options_is_parsed() {
    let payload = mold::MoldPacket::heartbeat(SESSION, 1).encode();
    let f = frame_with_ip_option(&payload);
    let p = frame::parse(&f).unwrap();
    assert_eq!(p.ip_header_len, 24);
    assert_eq!(p.payload, &payload[..]);
    assert_eq!(p.src_ip, Ipv4Addr::new(10, 9, 8, 7));
    assert_eq!((p.src_port, p.dst_port), (40_000, 26_477));
    assert_eq!((p.ttl, p.ip_id), (64, 0x1234));
    assert!(p.ip_checksum_ok() && p.udp_checksum_ok());
    let mut bad = f.clone();
    bad[18] ^= 0xff; // corrupt the identification
    assert!(!frame::parse(&bad).unwrap().ip_checksum_ok());
    let mut bad = f.clone();
    *bad.last_mut().unwrap() ^= 1;
    assert!(!frame::parse(&bad).unwrap().udp_checksum_ok());
}

#[test]
fn frame_rejections_by_class() {
    let good = spec(None).build(b"market data!");
    let with = |at: usize, v: &[u8]| {
        let mut f = good.clone();
        f[at..at + v.len()].copy_from_slice(v);
        f
    };
    let cases: Vec<(Vec<u8>, FrameError)> = vec![
        (
            with(12, &[0x08, 0x06]),
            FrameError::NotIpv4 { ethertype: 0x0806 },
        ),
        (with(23, &[6]), FrameError::NotUdp { protocol: 6 }),
        (
            with(20, &[0x20, 0x00]),
            FrameError::Fragment {
                offset: 0,
                more_fragments: true,
            },
        ),
        (
            with(20, &[0x00, 0x02]),
            FrameError::Fragment {
                offset: 16,
                more_fragments: false,
            },
        ),
        (with(14, &[0x65]), FrameError::BadIpVersion { version: 6 }),
        (with(14, &[0x44]), FrameError::BadIhl { ihl: 4 }),
        (
            with(16, &[0x00, 0x1b]),
            FrameError::BadIpTotalLength {
                total_length: 27,
                header_len: 20,
            },
        ),
        (
            with(38, &[0x00, 0x08]),
            FrameError::BadUdpLength {
                udp_length: 8,
                ip_payload: 20,
            },
        ),
        (
            with(38, &[0x00, 0x15]),
            FrameError::BadUdpLength {
                udp_length: 21,
                ip_payload: 20,
            },
        ),
        (
            good[..13].to_vec(),
            FrameError::Truncated {
                part: "Ethernet header",
                needed: 14,
                len: 13,
            },
        ),
        (
            good[..20].to_vec(),
            FrameError::Truncated {
                part: "IPv4 header",
                needed: 24,
                len: 20,
            },
        ),
        (
            good[..30].to_vec(),
            FrameError::Truncated {
                part: "UDP header",
                needed: 42,
                len: 30,
            },
        ),
        (
            good[..50].to_vec(),
            FrameError::Truncated {
                part: "UDP payload",
                needed: 54,
                len: 50,
            },
        ),
        // The protocol decides before the rest of the header is in: a short TCP frame is not UDP.
        (
            with(23, &[6])[..26].to_vec(),
            FrameError::NotUdp { protocol: 6 },
        ),
    ];
    for (f, expected) in cases {
        let err = frame::parse(&f).unwrap_err();
        assert_eq!(err, expected);
        let class = match expected {
            FrameError::NotIpv4 { .. }
            | FrameError::NotUdp { .. }
            | FrameError::Fragment { .. } => FrameErrorClass::NotIpv4Udp,
            _ => FrameErrorClass::Malformed,
        };
        assert_eq!(err.class(), class, "{err}");
    }
    // Like the card, the total length is never compared with the frame: a total length longer than
    // the frame is fine as long as the frame holds the UDP datagram.
    let long_total = with(16, &[0x00, 0x40]);
    assert_eq!(frame::parse(&long_total).unwrap().payload, b"market data!");
    // UDP length 9 (one payload byte) is the smallest accepted; DF alone is not a fragment.
    let one = spec(None).build(b"x");
    assert_eq!(frame::parse(&one).unwrap().payload, b"x");
    assert_eq!(&one[20..22], &[0x40, 0x00]);
}

// ---------------------------------------------------------------------------------------------
// Capture files

struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str) -> TempFile {
        TempFile(std::env::temp_dir().join(format!("tickwire-{}-{name}", std::process::id())))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn some_frames() -> Vec<CapturedFrame> {
    (0..5u64)
        .map(|i| CapturedFrame {
            ts_ns: 1_709_269_200_000_000_000 + i * 1_234_567_891,
            data: spec(None).build(&MoldPacket::heartbeat(SESSION, i + 1).encode()),
        })
        .collect()
}

#[test]
fn pcap_write_then_read_keeps_nanoseconds() {
    let file = TempFile::new("rt.pcap");
    let frames = some_frames();
    pcap::write_pcap(&file.0, &frames).unwrap();
    let bytes = std::fs::read(&file.0).unwrap();
    assert_eq!(
        &bytes[..4],
        &[0x4d, 0x3c, 0xb2, 0xa1],
        "little-endian nanosecond magic"
    );
    assert_eq!(pcap::read_capture(&file.0).unwrap(), frames);
    let in_memory = pcap::write_pcap_to(Vec::new(), &frames).unwrap();
    assert_eq!(in_memory, bytes);
}

#[test]
fn pcap_microsecond_file_is_read() {
    use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
    let file = TempFile::new("us.pcap");
    let header = PcapHeader {
        endianness: pcap_file::Endianness::Big,
        ..PcapHeader::default()
    };
    let mut w = PcapWriter::with_header(std::fs::File::create(&file.0).unwrap(), header).unwrap();
    let data = spec(None).build(b"abc");
    let ts = std::time::Duration::new(1_700_000_000, 123_456_000);
    w.write_packet(&PcapPacket::new(ts, data.len() as u32, &data))
        .unwrap();
    drop(w);
    let frames = pcap::read_capture(&file.0).unwrap();
    assert_eq!(
        frames,
        vec![CapturedFrame {
            ts_ns: 1_700_000_000_123_456_000,
            data
        }]
    );
}

#[test]
fn pcapng_is_read_with_interface_resolution() {
    use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
    use pcap_file::pcapng::blocks::interface_description::{
        InterfaceDescriptionBlock, InterfaceDescriptionOption,
    };
    use pcap_file::pcapng::blocks::simple_packet::SimplePacketBlock;
    use pcap_file::pcapng::PcapNgWriter;
    use pcap_file::DataLink;
    use std::borrow::Cow;
    use std::time::Duration;

    let file = TempFile::new("ng.pcapng");
    let frames = some_frames();
    let mut w = PcapNgWriter::new(std::fs::File::create(&file.0).unwrap()).unwrap();
    // Interface 0: default resolution (microseconds). Interface 1: nanoseconds.
    w.write_pcapng_block(InterfaceDescriptionBlock::new(DataLink::ETHERNET, 0))
        .unwrap();
    let mut ns = InterfaceDescriptionBlock::new(DataLink::ETHERNET, 0);
    ns.options.push(InterfaceDescriptionOption::IfTsResol(9));
    w.write_pcapng_block(ns).unwrap();
    // pcap-file writes the raw timestamp (in interface units) from the Duration's nanoseconds.
    let epb = |interface_id: u32, raw: u64, data: &[u8]| EnhancedPacketBlock {
        interface_id,
        timestamp: Duration::from_nanos(raw),
        original_len: data.len() as u32,
        data: Cow::Owned(data.to_vec()),
        options: vec![],
    };
    w.write_pcapng_block(epb(1, frames[0].ts_ns, &frames[0].data))
        .unwrap();
    w.write_pcapng_block(epb(0, frames[1].ts_ns / 1_000, &frames[1].data))
        .unwrap();
    let odd = spec(None).build(&[7u8; 61]); // 103 bytes: the block pads it
    w.write_pcapng_block(SimplePacketBlock {
        original_len: odd.len() as u32,
        data: Cow::Owned(odd.clone()),
    })
    .unwrap();
    drop(w);

    let got = pcap::read_capture(&file.0).unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0], frames[0]);
    assert_eq!(got[1].ts_ns, frames[1].ts_ns / 1_000 * 1_000);
    assert_eq!(got[1].data, frames[1].data);
    assert_eq!(
        got[2],
        CapturedFrame {
            ts_ns: 0,
            data: odd
        }
    );
}

#[test]
fn capture_errors_name_the_file_and_link_type() {
    use pcap_file::pcap::{PcapHeader, PcapWriter};
    use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
    use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionBlock;
    use pcap_file::pcapng::PcapNgWriter;
    use pcap_file::DataLink;

    let raw = TempFile::new("raw.pcap");
    let header = PcapHeader {
        datalink: DataLink::RAW,
        ..PcapHeader::default()
    };
    drop(PcapWriter::with_header(std::fs::File::create(&raw.0).unwrap(), header).unwrap());
    let err = pcap::read_capture(&raw.0).unwrap_err();
    assert!(
        matches!(&err, PcapError::LinkType { link_type, .. } if link_type == "RAW"),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("raw.pcap") && text.contains("RAW"), "{text}");

    let ng = TempFile::new("sll.pcapng");
    let mut w = PcapNgWriter::new(std::fs::File::create(&ng.0).unwrap()).unwrap();
    w.write_pcapng_block(InterfaceDescriptionBlock::new(DataLink::LINUX_SLL, 0))
        .unwrap();
    w.write_pcapng_block(EnhancedPacketBlock {
        interface_id: 0,
        timestamp: std::time::Duration::ZERO,
        original_len: 4,
        data: vec![1, 2, 3, 4].into(),
        options: vec![],
    })
    .unwrap();
    drop(w);
    let text = pcap::read_capture(&ng.0).unwrap_err().to_string();
    assert!(
        text.contains("sll.pcapng") && text.contains("LINUX_SLL"),
        "{text}"
    );

    let junk = TempFile::new("junk.bin");
    std::fs::write(&junk.0, b"hello world").unwrap();
    let err = pcap::read_capture(&junk.0).unwrap_err();
    assert!(matches!(err, PcapError::UnknownFormat { .. }), "{err:?}");
    assert!(err.to_string().contains("junk.bin"));

    let missing = TempFile::new("does-not-exist.pcap");
    let err = pcap::read_capture(&missing.0).unwrap_err();
    assert!(
        matches!(err, PcapError::Read { .. }) && err.to_string().contains("does-not-exist.pcap")
    );
}

// ---------------------------------------------------------------------------------------------
// Generator

fn small_config(seed: u64) -> GenConfig {
    GenConfig {
        seed,
        messages: 2_000,
        ..GenConfig::default()
    }
}

#[test]
fn generator_covers_all_23_types() {
    for seed in 0..20 {
        let cfg = small_config(seed);
        let msgs = gen::generate_messages(&cfg).unwrap();
        assert_eq!(msgs.len(), 2_000);
        let seen: HashSet<u8> = msgs.iter().map(Message::message_type).collect();
        let missing: Vec<char> = MESSAGE_TYPES
            .iter()
            .filter(|t| !seen.contains(t))
            .map(|&t| t as char)
            .collect();
        assert!(missing.is_empty(), "seed {seed}: missing {missing:?}");
    }
    // The documented bound holds for other symbol counts too.
    for symbols in [1, 50, 300] {
        let cfg = GenConfig {
            symbols,
            messages: gen::min_messages_for_all_types(symbols),
            ..GenConfig::default()
        };
        let seen: HashSet<u8> = gen::generate_messages(&cfg)
            .unwrap()
            .iter()
            .map(Message::message_type)
            .collect();
        assert_eq!(seen.len(), 23, "symbols {symbols}");
    }
}

#[test]
fn generator_is_deterministic() {
    let a = gen::generate(&small_config(7)).unwrap();
    let b = gen::generate(&small_config(7)).unwrap();
    assert_eq!(a, b);
    let c = gen::generate(&small_config(8)).unwrap();
    assert_ne!(a, c);
    let cfg = small_config(7);
    assert_eq!(
        gen::to_frames(&cfg, &a).unwrap(),
        gen::to_frames(&cfg, &b).unwrap()
    );
}

#[test]
fn generator_session_structure() {
    let cfg = small_config(3);
    let msgs = gen::generate_messages(&cfg).unwrap();
    let events: Vec<u8> = msgs
        .iter()
        .filter_map(|m| match m.body {
            Body::SystemEvent { event_code } => Some(event_code),
            _ => None,
        })
        .collect();
    assert_eq!(events, b"OSQMEC");
    assert!(matches!(
        msgs[0].body,
        Body::SystemEvent { event_code: b'O' }
    ));
    // Directory: one R per symbol, locates 1..=n in ticker order, right after 'O'.
    let dir: Vec<(u16, [u8; 8])> = msgs[1..=cfg.symbols]
        .iter()
        .map(|m| match m.body {
            Body::StockDirectory { stock, .. } => (m.header.stock_locate, stock),
            ref other => panic!("expected R, got {other:?}"),
        })
        .collect();
    assert_eq!(
        dir.iter().map(|d| d.0).collect::<Vec<_>>(),
        (1..=cfg.symbols as u16).collect::<Vec<_>>()
    );
    assert!(dir.windows(2).all(|w| w[0].1 < w[1].1), "tickers sorted");
    // Timestamps strictly increase and fit the day.
    assert!(msgs
        .windows(2)
        .all(|w| w[0].header.timestamp < w[1].header.timestamp));
    assert!(msgs.last().unwrap().header.timestamp < 24 * 3600 * 1_000_000_000);
    // Every stock field names the security of the message's locate.
    let tickers: HashMap<u16, [u8; 8]> = dir.into_iter().collect();
    for m in &msgs {
        let decoded = m.to_decoded();
        if let Some(FieldValue::Alpha(stock)) = decoded.field("stock") {
            let want = tickers[&m.header.stock_locate];
            assert_eq!(
                stock.as_bytes(),
                String::from_utf8_lossy(&want).trim_end().as_bytes(),
                "{m:?}"
            );
        }
    }
}

#[test]
fn generator_book_is_consistent() {
    for seed in [1, 2, 3] {
        let cfg = GenConfig {
            seed,
            messages: 20_000,
            symbols: 12,
            ..GenConfig::default()
        };
        let packets = gen::generate(&cfg).unwrap();
        let mut live: HashMap<u64, u32> = HashMap::new();
        let mut retired: HashSet<u64> = HashSet::new();
        let mut matches: HashSet<u64> = HashSet::new();
        let reduce = |live: &mut HashMap<u64, u32>, r: u64, n: u32, what: &str| {
            let left = live
                .get_mut(&r)
                .unwrap_or_else(|| panic!("{what} of unknown order {r}"));
            assert!(
                n >= 1 && n <= *left,
                "{what} of {n} from order {r} with {left} left"
            );
            *left -= n;
            if *left == 0 {
                live.remove(&r);
            }
        };
        for p in &packets {
            for bytes in &p.messages {
                let m = Message::decode(bytes).unwrap();
                match m.body {
                    Body::AddOrder {
                        order_reference_number: r,
                        shares,
                        ..
                    }
                    | Body::AddOrderMpid {
                        order_reference_number: r,
                        shares,
                        ..
                    } => {
                        assert!(shares > 0);
                        assert!(
                            live.insert(r, shares).is_none() && !retired.contains(&r),
                            "reused {r}"
                        );
                    }
                    Body::OrderExecuted {
                        order_reference_number: r,
                        executed_shares: n,
                        match_number,
                    }
                    | Body::OrderExecutedWithPrice {
                        order_reference_number: r,
                        executed_shares: n,
                        match_number,
                        ..
                    } => {
                        reduce(&mut live, r, n, "execution");
                        assert!(matches.insert(match_number), "match {match_number} reused");
                    }
                    Body::OrderCancel {
                        order_reference_number: r,
                        cancelled_shares: n,
                    } => {
                        reduce(&mut live, r, n, "cancel");
                    }
                    Body::OrderDelete {
                        order_reference_number: r,
                    } => {
                        assert!(live.remove(&r).is_some(), "delete of unknown order {r}");
                        retired.insert(r);
                    }
                    Body::OrderReplace {
                        original_order_reference_number: old,
                        new_order_reference_number: new,
                        shares,
                        ..
                    } => {
                        assert!(
                            live.remove(&old).is_some(),
                            "replace of unknown order {old}"
                        );
                        retired.insert(old);
                        assert!(live.insert(new, shares).is_none() && !retired.contains(&new));
                    }
                    Body::Trade { match_number, .. } | Body::CrossTrade { match_number, .. } => {
                        assert!(matches.insert(match_number), "match {match_number} reused");
                    }
                    Body::BrokenTrade { match_number } => {
                        assert!(
                            matches.contains(&match_number),
                            "broken trade of unknown match"
                        );
                    }
                    _ => {}
                }
            }
        }
        assert!(!live.is_empty(), "the book holds orders at the end");
    }
}

#[test]
fn generator_packets_and_frames() {
    let cfg = GenConfig {
        seed: 11,
        messages: 5_000,
        vlan: Some(0x0064),
        end_of_session: true,
        ..GenConfig::default()
    };
    let packets = gen::generate(&cfg).unwrap();
    let mut expected = cfg.first_seq;
    let mut counts = Vec::new();
    for p in &packets {
        assert_eq!(p.session, cfg.session);
        assert_eq!(p.sequence_number, expected, "contiguous sequence numbers");
        assert!(p.encode().len() <= cfg.max_payload);
        expected = p.next_sequence_number();
        if !p.messages.is_empty() {
            counts.push(p.messages.len());
        }
    }
    assert_eq!(expected, cfg.first_seq + 5_000);
    assert!(packets.last().unwrap().end_of_session);
    assert!(
        packets.iter().any(MoldPacket::is_heartbeat),
        "heartbeats in the pre-market silences"
    );
    assert!(*counts.iter().max().unwrap() <= 40);
    assert!(
        counts.iter().filter(|&&c| c == 1).count() > counts.len() / 5,
        "many single-message packets"
    );
    assert!(counts.iter().any(|&c| c >= 20), "some large packets");

    let frames = gen::to_frames(&cfg, &packets).unwrap();
    assert_eq!(frames.len(), packets.len());
    assert!(frames.windows(2).all(|w| w[0].ts_ns <= w[1].ts_ns));
    for (f, p) in frames.iter().zip(&packets) {
        let parsed = frame::parse(&f.data).unwrap();
        assert_eq!(parsed.vlan, Some(0x0064));
        assert_eq!(parsed.dst_ip, Ipv4Addr::new(233, 54, 12, 111));
        assert_eq!(parsed.dst_port, 26_477);
        assert_eq!(parsed.dst_mac, [0x01, 0x00, 0x5e, 0x36, 0x0c, 0x6f]);
        assert!(parsed.ip_checksum_ok() && parsed.udp_checksum_ok());
        assert_eq!(&mold::decode(parsed.payload).unwrap(), p);
    }

    // Frames survive a pcap round trip.
    let file = TempFile::new("gen.pcap");
    pcap::write_pcap(&file.0, &frames).unwrap();
    assert_eq!(pcap::read_capture(&file.0).unwrap(), frames);
}

#[test]
fn generator_respects_small_payloads_and_rejects_bad_configs() {
    let cfg = GenConfig {
        messages: 500,
        max_payload: gen::MIN_MAX_PAYLOAD,
        heartbeats: false,
        ..GenConfig::default()
    };
    let packets = gen::generate(&cfg).unwrap();
    assert!(packets
        .iter()
        .all(|p| p.encode().len() <= gen::MIN_MAX_PAYLOAD && !p.messages.is_empty()));
    assert_eq!(packets.iter().map(|p| p.messages.len()).sum::<usize>(), 500);

    let tiny = GenConfig {
        messages: 3,
        ..GenConfig::default()
    };
    assert_eq!(gen::generate_messages(&tiny).unwrap().len(), 3);

    for bad in [
        GenConfig {
            symbols: 0,
            ..GenConfig::default()
        },
        GenConfig {
            max_payload: 71,
            ..GenConfig::default()
        },
        GenConfig {
            max_payload: 70_000,
            ..GenConfig::default()
        },
        GenConfig {
            first_seq: u64::MAX,
            ..GenConfig::default()
        },
    ] {
        assert!(gen::generate(&bad).is_err(), "{bad:?}");
    }
}

#[test]
fn gen_config_serde() {
    let cfg = GenConfig {
        seed: 5,
        vlan: Some(7),
        ..GenConfig::default()
    };
    let text = serde_json::to_string(&cfg).unwrap();
    assert!(text.contains(r#""session":"TICKWIRE01""#), "{text}");
    assert!(text.contains(r#""dst":"233.54.12.111:26477""#), "{text}");
    let back: GenConfig = serde_json::from_str(&text).unwrap();
    assert_eq!(back, cfg);
    let partial: GenConfig = serde_json::from_str(r#"{"seed": 9, "session": "ABC"}"#).unwrap();
    assert_eq!(partial.session, *b"ABC       ");
    assert_eq!(partial.messages, GenConfig::default().messages);
}
