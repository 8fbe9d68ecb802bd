// SPDX-License-Identifier: Apache-2.0
//! Frames from capture files (pcap or pcapng, Ethernet link type), ready for `push_frame`.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use pcap_file::pcap::PcapReader;
use pcap_file::pcapng::{Block, PcapNgReader};
use pcap_file::DataLink;

use crate::SimError;

/// Every Ethernet frame of a pcap or pcapng file, in file order, as captured (normally without
/// FCS). Truncated captures (snap length shorter than the frame) and non-Ethernet link types are
/// errors: they cannot be replayed faithfully.
pub fn read_frames(path: impl AsRef<Path>) -> Result<Vec<Vec<u8>>, SimError> {
    let path = path.as_ref();
    let err = |reason: String| SimError::Pcap {
        path: path.to_path_buf(),
        reason,
    };
    let mut file = BufReader::new(File::open(path).map_err(|e| err(e.to_string()))?);
    let mut magic = [0u8; 4];
    file.read_exact(&mut magic)
        .map_err(|e| err(format!("too short: {e}")))?;
    let file = BufReader::new(File::open(path).map_err(|e| err(e.to_string()))?);
    let mut frames = Vec::new();
    if magic == [0x0a, 0x0d, 0x0d, 0x0a] {
        let mut r = PcapNgReader::new(file).map_err(|e| err(e.to_string()))?;
        let mut links: Vec<DataLink> = Vec::new();
        while let Some(block) = r.next_block() {
            match block.map_err(|e| err(e.to_string()))? {
                Block::SectionHeader(_) => links.clear(),
                Block::InterfaceDescription(idb) => links.push(idb.linktype),
                Block::EnhancedPacket(p) => {
                    let link = links.get(p.interface_id as usize).copied();
                    if link != Some(DataLink::ETHERNET) {
                        return Err(err(format!(
                            "packet {} is on a {link:?} interface, not Ethernet",
                            frames.len()
                        )));
                    }
                    if (p.data.len() as u64) < p.original_len as u64 {
                        return Err(err(format!(
                            "packet {} is truncated ({} of {} bytes)",
                            frames.len(),
                            p.data.len(),
                            p.original_len
                        )));
                    }
                    frames.push(p.data.into_owned());
                }
                Block::SimplePacket(p) => {
                    if links.first() != Some(&DataLink::ETHERNET) {
                        return Err(err(format!(
                            "packet {} is not on an Ethernet interface",
                            frames.len()
                        )));
                    }
                    frames.push(p.data.into_owned());
                }
                _ => {}
            }
        }
    } else {
        let mut r = PcapReader::new(file).map_err(|e| err(e.to_string()))?;
        let link = r.header().datalink;
        if link != DataLink::ETHERNET {
            return Err(err(format!("link type {link:?}, not Ethernet")));
        }
        while let Some(p) = r.next_packet() {
            let p = p.map_err(|e| err(e.to_string()))?;
            if (p.data.len() as u64) < p.orig_len as u64 {
                return Err(err(format!(
                    "packet {} is truncated ({} of {} bytes)",
                    frames.len(),
                    p.data.len(),
                    p.orig_len
                )));
            }
            frames.push(p.data.into_owned());
        }
    }
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
    use std::time::Duration;

    #[test]
    fn reads_back_a_pcap() {
        let path =
            std::env::temp_dir().join(format!("tickwire-sim-test-{}.pcap", std::process::id()));
        let frames: Vec<Vec<u8>> = vec![vec![1; 60], vec![2; 1514], vec![3; 64]];
        {
            let f = File::create(&path).unwrap();
            let mut w = PcapWriter::with_header(
                f,
                PcapHeader {
                    datalink: DataLink::ETHERNET,
                    ..Default::default()
                },
            )
            .unwrap();
            for (i, fr) in frames.iter().enumerate() {
                w.write_packet(&PcapPacket::new(
                    Duration::from_micros(i as u64),
                    fr.len() as u32,
                    fr,
                ))
                .unwrap();
            }
        }
        let got = read_frames(&path);
        let _ = std::fs::remove_file(&path);
        assert_eq!(got.unwrap(), frames);
        assert!(matches!(
            read_frames("/nonexistent/x.pcap"),
            Err(SimError::Pcap { .. })
        ));
    }
}
