//! Capture files: read pcap and pcapng (Ethernet only), write nanosecond pcap.
//!
//! [`read_capture`] tells the format by the file's magic number: pcap in either byte order with
//! micro- or nanosecond timestamps, or pcapng. Every frame comes back as a [`CapturedFrame`] with
//! its timestamp in nanoseconds since the Unix epoch.
//!
//! pcapng details: each Enhanced Packet Block's timestamp is scaled by its interface's
//! `if_tsresol` (default microseconds, as the pcapng spec says) and shifted by `if_tsoffset`;
//! Simple Packet Blocks (interface 0, no timestamp) get timestamp 0 and are cut to their original
//! length; the obsolete Packet Block is read like an Enhanced Packet Block. Other blocks are
//! skipped. A packet on an interface whose link type is not Ethernet is an error naming the link
//! type and the file.
//!
//! [`write_pcap`] writes little-endian pcap with nanosecond timestamps (magic 0xA1B23C4D), link
//! type Ethernet.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use pcap_file::pcap::{PcapHeader, PcapPacket, PcapReader, PcapWriter};
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};
use pcap_file::pcapng::{Block, PcapNgReader};
use pcap_file::{DataLink, Endianness, TsResolution};
use thiserror::Error;

/// One captured Ethernet frame (no FCS unless the capture kept it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CapturedFrame {
    /// Capture timestamp, nanoseconds since the Unix epoch.
    pub ts_ns: u64,
    /// The frame bytes, from the destination MAC on.
    pub data: Vec<u8>,
}

/// Errors reading or writing capture files; every variant names the file.
#[derive(Debug, Error)]
pub enum PcapError {
    /// The file could not be opened or read.
    #[error("cannot read capture file {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file could not be created or written.
    #[error("cannot write capture file {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file starts with neither a pcap nor a pcapng magic number.
    #[error("{} is neither pcap nor pcapng (starts with {magic:02x?})", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
        /// Its first bytes (up to 4).
        magic: Vec<u8>,
    },
    /// The pcap/pcapng parser or writer failed.
    #[error("bad {format} data in {} (record {record})", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// "pcap" or "pcapng".
        format: &'static str,
        /// Index of the packet (pcap) or block (pcapng) being read or written; 0 for the header.
        record: usize,
        /// The parser's error.
        #[source]
        source: pcap_file::PcapError,
    },
    /// The capture's link type is not Ethernet.
    #[error("{} has link type {link_type} (interface {interface}); only Ethernet is supported", path.display())]
    LinkType {
        /// The file.
        path: PathBuf,
        /// The link type, as pcap-file names it (e.g. `RAW`, `LINUX_SLL`).
        link_type: String,
        /// Interface index (always 0 for pcap).
        interface: usize,
    },
    /// A pcapng packet refers to an interface the file never described.
    #[error("{} block {record} refers to interface {interface}, which is not described", path.display())]
    UnknownInterface {
        /// The file.
        path: PathBuf,
        /// Block index.
        record: usize,
        /// Interface index.
        interface: u32,
    },
    /// A timestamp that does not fit in u64 nanoseconds (or, writing, pcap's u32 seconds).
    #[error("{}: timestamp of record {record} is out of range", path.display())]
    Timestamp {
        /// The file.
        path: PathBuf,
        /// Record index.
        record: usize,
    },
}

const PCAP_MAGICS: [[u8; 4]; 4] = [
    [0xa1, 0xb2, 0xc3, 0xd4],
    [0xd4, 0xc3, 0xb2, 0xa1],
    [0xa1, 0xb2, 0x3c, 0x4d],
    [0x4d, 0x3c, 0xb2, 0xa1],
];
const PCAPNG_MAGIC: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];

/// Reads every frame of a pcap or pcapng file (format detected by magic number).
pub fn read_capture(path: impl AsRef<Path>) -> Result<Vec<CapturedFrame>, PcapError> {
    let path = path.as_ref();
    let read_err = |source| PcapError::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = BufReader::new(File::open(path).map_err(read_err)?);
    let mut magic = Vec::with_capacity(4);
    (&mut file)
        .take(4)
        .read_to_end(&mut magic)
        .map_err(read_err)?;
    let reader = magic.as_slice().chain(file);
    if PCAP_MAGICS.iter().any(|m| m[..] == magic[..]) {
        read_pcap(path, reader)
    } else if magic[..] == PCAPNG_MAGIC {
        read_pcapng(path, reader)
    } else {
        Err(PcapError::UnknownFormat {
            path: path.to_owned(),
            magic,
        })
    }
}

fn format_err<'p>(
    path: &'p Path,
    format: &'static str,
    record: usize,
) -> impl Fn(pcap_file::PcapError) -> PcapError + 'p {
    move |source| match source {
        pcap_file::PcapError::IoError(source) => PcapError::Read {
            path: path.to_owned(),
            source,
        },
        source => PcapError::Format {
            path: path.to_owned(),
            format,
            record,
            source,
        },
    }
}

fn read_pcap(path: &Path, reader: impl Read) -> Result<Vec<CapturedFrame>, PcapError> {
    let mut pcap = PcapReader::new(reader).map_err(format_err(path, "pcap", 0))?;
    let link = pcap.header().datalink;
    if link != DataLink::ETHERNET {
        return Err(PcapError::LinkType {
            path: path.to_owned(),
            link_type: format!("{link:?}"),
            interface: 0,
        });
    }
    let mut frames = Vec::new();
    while let Some(packet) = pcap.next_packet() {
        let record = frames.len();
        let packet = packet.map_err(format_err(path, "pcap", record))?;
        let ts_ns =
            u64::try_from(packet.timestamp.as_nanos()).map_err(|_| PcapError::Timestamp {
                path: path.to_owned(),
                record,
            })?;
        frames.push(CapturedFrame {
            ts_ns,
            data: packet.data.into_owned(),
        });
    }
    Ok(frames)
}

/// Timestamp units of a pcapng interface: (if_tsresol, if_tsoffset in seconds).
fn interface_clock(idb: &InterfaceDescriptionBlock) -> (u8, i64) {
    let mut tsresol = 6; // pcapng default: microseconds
    let mut tsoffset = 0;
    for opt in &idb.options {
        match opt {
            InterfaceDescriptionOption::IfTsResol(r) => tsresol = *r,
            InterfaceDescriptionOption::IfTsOffset(o) => tsoffset = *o as i64,
            _ => {}
        }
    }
    (tsresol, tsoffset)
}

/// Converts a raw pcapng timestamp (in units of `tsresol`) plus an offset in seconds to
/// nanoseconds since the epoch.
fn pcapng_ts_ns(raw: u64, tsresol: u8, tsoffset: i64) -> Option<u64> {
    let raw = u128::from(raw);
    let ns = if tsresol & 0x80 == 0 {
        let exp = u32::from(tsresol);
        if exp <= 9 {
            raw.checked_mul(10u128.pow(9 - exp))?
        } else {
            raw / 10u128.checked_pow(exp - 9)?
        }
    } else {
        let exp = u32::from(tsresol & 0x7f);
        raw.checked_mul(1_000_000_000)? >> exp.min(127)
    };
    let ns = i128::try_from(ns).ok()? + i128::from(tsoffset) * 1_000_000_000;
    u64::try_from(ns).ok()
}

fn read_pcapng(path: &Path, reader: impl Read) -> Result<Vec<CapturedFrame>, PcapError> {
    let mut ng = PcapNgReader::new(reader).map_err(format_err(path, "pcapng", 0))?;
    let mut frames = Vec::new();
    let mut record = 0;
    while let Some(block) = ng.next_block() {
        record += 1;
        let block = block.map_err(format_err(path, "pcapng", record))?;
        // (interface, raw timestamp in interface units, captured bytes, original length)
        let (interface, raw_ts, data, orig_len) = match block {
            Block::EnhancedPacket(epb) => {
                // pcap-file stores the raw 64-bit timestamp as if it were nanoseconds.
                let raw = u64::try_from(epb.timestamp.as_nanos()).unwrap_or(u64::MAX);
                (
                    epb.interface_id,
                    Some(raw),
                    epb.data.into_owned(),
                    epb.original_len,
                )
            }
            Block::Packet(pb) => (
                u32::from(pb.interface_id),
                Some(pb.timestamp),
                pb.data.into_owned(),
                pb.original_len,
            ),
            Block::SimplePacket(spb) => (0, None, spb.data.into_owned(), spb.original_len),
            _ => continue,
        };
        // Interfaces are described before use; `ng` has seen every block so far.
        let idb =
            ng.interfaces()
                .get(interface as usize)
                .ok_or_else(|| PcapError::UnknownInterface {
                    path: path.to_owned(),
                    record,
                    interface,
                })?;
        if idb.linktype != DataLink::ETHERNET {
            return Err(PcapError::LinkType {
                path: path.to_owned(),
                link_type: format!("{:?}", idb.linktype),
                interface: interface as usize,
            });
        }
        let ts_ns = match raw_ts {
            Some(raw) => {
                let (tsresol, tsoffset) = interface_clock(idb);
                pcapng_ts_ns(raw, tsresol, tsoffset).ok_or_else(|| PcapError::Timestamp {
                    path: path.to_owned(),
                    record,
                })?
            }
            None => 0,
        };
        let mut data = data;
        if raw_ts.is_none() {
            // A Simple Packet Block's data includes its padding: cut to the packet's length.
            let snap = if idb.snaplen == 0 {
                usize::MAX
            } else {
                idb.snaplen as usize
            };
            data.truncate((orig_len as usize).min(snap));
        }
        frames.push(CapturedFrame { ts_ns, data });
    }
    Ok(frames)
}

/// Writes `frames` as a little-endian, nanosecond-resolution pcap file with link type Ethernet.
pub fn write_pcap(path: impl AsRef<Path>, frames: &[CapturedFrame]) -> Result<(), PcapError> {
    let path = path.as_ref();
    let file = File::create(path).map_err(|source| PcapError::Write {
        path: path.to_owned(),
        source,
    })?;
    let mut out = write_pcap_named(path, BufWriter::new(file), frames)?;
    out.flush().map_err(|source| PcapError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Writes `frames` as pcap (as [`write_pcap`]) to any writer and returns the writer; errors name
/// the file `<writer>`.
pub fn write_pcap_to<W: Write>(writer: W, frames: &[CapturedFrame]) -> Result<W, PcapError> {
    write_pcap_named(Path::new("<writer>"), writer, frames)
}

fn write_pcap_named<W: Write>(
    path: &Path,
    writer: W,
    frames: &[CapturedFrame],
) -> Result<W, PcapError> {
    let snaplen = frames
        .iter()
        .map(|f| f.data.len())
        .max()
        .unwrap_or(0)
        .max(65535);
    let header = PcapHeader {
        snaplen: u32::try_from(snaplen).unwrap_or(u32::MAX),
        datalink: DataLink::ETHERNET,
        ts_resolution: TsResolution::NanoSecond,
        endianness: Endianness::Little,
        ..PcapHeader::default()
    };
    let to_err = |record: usize| {
        move |e: pcap_file::PcapError| match e {
            pcap_file::PcapError::IoError(source) => PcapError::Write {
                path: path.to_owned(),
                source,
            },
            source => PcapError::Format {
                path: path.to_owned(),
                format: "pcap",
                record,
                source,
            },
        }
    };
    let mut pcap = PcapWriter::with_header(writer, header).map_err(to_err(0))?;
    for (record, f) in frames.iter().enumerate() {
        if f.ts_ns / 1_000_000_000 > u64::from(u32::MAX) {
            return Err(PcapError::Timestamp {
                path: path.to_owned(),
                record,
            });
        }
        // Lengths fit: snaplen above is at least the longest frame, and pcap-file checks it.
        let packet = PcapPacket::new(Duration::from_nanos(f.ts_ns), f.data.len() as u32, &f.data);
        pcap.write_packet(&packet).map_err(to_err(record))?;
    }
    Ok(pcap.into_writer())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcapng_timestamp_units() {
        assert_eq!(pcapng_ts_ns(5, 6, 0), Some(5_000));
        assert_eq!(pcapng_ts_ns(5, 9, 0), Some(5));
        assert_eq!(pcapng_ts_ns(5_000, 12, 0), Some(5));
        assert_eq!(pcapng_ts_ns(1 << 20, 0x80 | 20, 0), Some(1_000_000_000));
        assert_eq!(pcapng_ts_ns(1, 9, 2), Some(2_000_000_001));
        assert_eq!(pcapng_ts_ns(u64::MAX, 0, 0), None);
    }
}
