//! Tick capture files ("twcap"): the ticks of one ring, to disk, as the host received them, with
//! a header that says what they are. Written by tickwired's capture (a reader of the daemon's
//! fan-out ring), read back by `tickwire replay FILE`. docs/capture-format.md is the full spec.
//!
//! # Layout (format version 1, every integer little-endian)
//!
//! A 64-byte header, then the records: record `i` (from 0) is the 64 bytes at
//! `64 + 64·i`, exactly as the card wrote the tick ([`TickRecord::to_bytes`]), in the order the
//! ring delivered them. There is no trailer and no index: the record count is
//! `(file size − 64) / 64`, so a file whose writer died is still readable up to its last whole
//! record.
//!
//! | offset | size | field | |
//! |-------:|-----:|-------|---|
//! | 0  | 8  | `magic`           | `b"TWCAPTUR"` ([`MAGIC`]) |
//! | 8  | 2  | `format_version`  | 1 ([`FORMAT_VERSION`]): the layout of this file |
//! | 10 | 2  | `tick_version`    | [`TICK_VERSION`] of the writer: the layout of each record |
//! | 12 | 2  | `record_bytes`    | 64 ([`TICK_BYTES`]) |
//! | 14 | 2  | `header_bytes`    | 64 ([`HEADER_BYTES`]): where record 0 starts |
//! | 16 | 2  | `ring`            | the card ring the ticks came from |
//! | 18 | 2  | `flags`           | 0; bits are reserved for features a reader must understand |
//! | 20 | 4  | reserved          | 0 |
//! | 24 | 8  | `created_unix_ns` | when the file was created, ns since the Unix epoch (UTC) |
//! | 32 | 24 | `device`          | the card: printable ASCII, zero-padded (`sim`, a PCI address) |
//! | 56 | 8  | reserved          | 0 |
//!
//! Readers refuse (with an error naming both numbers): a newer `format_version` (the file may
//! not be laid out as above), a `tick_version` other than their own (the records would be
//! misread), a `record_bytes` or `header_bytes` other than 64, and any `flags` bit they do not
//! know. Reserved bytes are written as zero and ignored on reading.
//!
//! Fixed-size records keep the file seekable ([`CaptureReader::seek`]) and mmap-able as an array
//! of [`TickRecord`]s. The file is not compressed: compression would cost both, and a record is
//! already the decoded message with no Ethernet, IP, UDP or MoldUDP64 header. It is not always
//! smaller than a pcap of the same feed, though: measured on the generator's feed
//! (`tests::size_against_a_pcap_of_the_same_feed`), 64 bytes a message against about 108 in a
//! pcap when each packet carries one message (0.59×), but about 46 when packets carry ~6
//! messages (1.35–1.38×). A block-compressed layout with an index can come later as format
//! version 2.
//!
//! A lap of the reader that feeds the writer (ticks missed) is never silent: the writer is told
//! ([`CaptureWriter::note_loss`]) and sets [`FLAG_LOSS`] on the next record it writes.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::tick::{TickRecord, FLAG_LOSS, TICK_BYTES, TICK_FLAGS_OFF, TICK_VERSION};

/// The first 8 bytes of every capture file.
pub const MAGIC: [u8; 8] = *b"TWCAPTUR";
/// The format version this build writes and the newest it reads.
pub const FORMAT_VERSION: u16 = 1;
/// Size of the header; record 0 starts here.
pub const HEADER_BYTES: usize = 64;
/// Bytes of the `device` field.
pub const DEVICE_BYTES: usize = 24;
/// Mode of a new capture file (before the umask): the owner writes, its group may read.
pub const FILE_MODE: u32 = 0o640;
/// Header flag bits this build knows (none yet).
const KNOWN_FLAGS: u16 = 0;

const _: () = assert!(TICK_VERSION <= u16::MAX as u32, "the header stores the tick layout version as a u16");

const OFF_FORMAT: usize = 8;
const OFF_TICK_VERSION: usize = 10;
const OFF_RECORD_BYTES: usize = 12;
const OFF_HEADER_BYTES: usize = 14;
const OFF_RING: usize = 16;
const OFF_FLAGS: usize = 18;
const OFF_CREATED: usize = 24;
const OFF_DEVICE: usize = 32;

/// Errors writing or reading a capture file. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// An I/O operation failed.
    #[error("capture file {}: cannot {what}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done ("create it", "read record 12", ...).
        what: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The file does not start with [`MAGIC`].
    #[error("{} is not a tickwire capture (twcap) file: {looks_like}", path.display())]
    NotACapture {
        /// The file.
        path: PathBuf,
        /// What the first bytes look like, and what to do with the file instead.
        looks_like: String,
    },
    /// The file starts like a capture but is shorter than the header.
    #[error("capture file {} is {len} bytes, shorter than its {HEADER_BYTES}-byte header (its writer died while creating it?)", path.display())]
    ShortHeader {
        /// The file.
        path: PathBuf,
        /// Its size.
        len: u64,
    },
    /// Written in a newer capture format than this build reads.
    #[error("capture file {} was written by a newer tickwire (format {found}); this build reads format {FORMAT_VERSION}: use a newer tickwire", path.display())]
    NewerFormat {
        /// The file.
        path: PathBuf,
        /// The file's `format_version`.
        found: u16,
    },
    /// The records use another tick layout than this build's.
    #[error("capture file {} holds ticks of layout version {found}; this build reads tick layout version {expected}: read it with a tickwire of tick layout {found} (docs/tick-format.md)", path.display())]
    TickLayout {
        /// The file.
        path: PathBuf,
        /// The file's `tick_version`.
        found: u16,
        /// This build's [`TICK_VERSION`].
        expected: u16,
    },
    /// The header's record size is not 64.
    #[error("capture file {} has {found}-byte records; this build reads {TICK_BYTES}-byte records", path.display())]
    RecordSize {
        /// The file.
        path: PathBuf,
        /// The file's `record_bytes`.
        found: u16,
    },
    /// Another header field is invalid.
    #[error("capture file {}: bad header: {what}", path.display())]
    BadHeader {
        /// The file.
        path: PathBuf,
        /// Which field, and what is wrong with it.
        what: String,
    },
    /// The device description given to the writer does not fit the header.
    #[error("capture file {}: device description {desc:?} must be 1 to {DEVICE_BYTES} printable ASCII characters", path.display())]
    DeviceDesc {
        /// The file.
        path: PathBuf,
        /// The description.
        desc: String,
    },
    /// The file ends in part of a record (its writer stopped mid-record). Every whole record
    /// before it has been read.
    #[error("capture file {} ends with a partial record: {bytes} bytes at offset {offset} (after record {records}) are not a whole {TICK_BYTES}-byte record; the {records} records before it are complete", path.display())]
    TruncatedTail {
        /// The file.
        path: PathBuf,
        /// Byte offset of the partial record: the end of the last whole record.
        offset: u64,
        /// Bytes of it present (1..=63).
        bytes: u64,
        /// Whole records before it.
        records: u64,
    },
}

/// Result of this module.
pub type Result<T> = std::result::Result<T, CaptureError>;

fn io_err(path: &Path, what: impl Into<String>) -> impl FnOnce(std::io::Error) -> CaptureError + '_ {
    let what = what.into();
    move |source| CaptureError::Io { path: path.to_owned(), what, source }
}

/// The header of a capture file, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureHeader {
    /// Layout of the file ([`FORMAT_VERSION`]).
    pub format_version: u16,
    /// Layout of each record ([`TICK_VERSION`] of the writer).
    pub tick_version: u16,
    /// Bytes per record (64).
    pub record_bytes: u16,
    /// Bytes of the header (64).
    pub header_bytes: u16,
    /// The card ring the ticks came from.
    pub ring: u16,
    /// Feature flags (none defined: 0).
    pub flags: u16,
    /// Creation time, ns since the Unix epoch.
    pub created_unix_ns: u64,
    /// The card (`sim`, a PCI address): printable ASCII, at most [`DEVICE_BYTES`].
    pub device: String,
}

impl CaptureHeader {
    /// A version-1 header for this build's tick layout.
    pub fn new(ring: u16, device: &str, created_unix_ns: u64) -> CaptureHeader {
        CaptureHeader {
            format_version: FORMAT_VERSION,
            tick_version: TICK_VERSION as u16,
            record_bytes: TICK_BYTES as u16,
            header_bytes: HEADER_BYTES as u16,
            ring,
            flags: 0,
            created_unix_ns,
            device: device.to_owned(),
        }
    }

    /// The 64 header bytes (the device description cut to [`DEVICE_BYTES`]).
    pub fn to_bytes(&self) -> [u8; HEADER_BYTES] {
        let mut b = [0u8; HEADER_BYTES];
        b[..8].copy_from_slice(&MAGIC);
        let mut put16 = |off: usize, v: u16| b[off..off + 2].copy_from_slice(&v.to_le_bytes());
        put16(OFF_FORMAT, self.format_version);
        put16(OFF_TICK_VERSION, self.tick_version);
        put16(OFF_RECORD_BYTES, self.record_bytes);
        put16(OFF_HEADER_BYTES, self.header_bytes);
        put16(OFF_RING, self.ring);
        put16(OFF_FLAGS, self.flags);
        b[OFF_CREATED..OFF_CREATED + 8].copy_from_slice(&self.created_unix_ns.to_le_bytes());
        let d = self.device.as_bytes();
        let n = d.len().min(DEVICE_BYTES);
        b[OFF_DEVICE..OFF_DEVICE + n].copy_from_slice(&d[..n]);
        b
    }

    /// Decode and check the 64 header bytes of the file `path` (named in errors). Refuses what
    /// a format-1 reader cannot read (see the module doc).
    pub fn parse(path: &Path, b: &[u8; HEADER_BYTES]) -> Result<CaptureHeader> {
        if b[..8] != MAGIC {
            return Err(CaptureError::NotACapture { path: path.to_owned(), looks_like: describe_magic(b) });
        }
        let get16 = |off: usize| u16::from_le_bytes([b[off], b[off + 1]]);
        let bad = |what: String| CaptureError::BadHeader { path: path.to_owned(), what };
        let format_version = get16(OFF_FORMAT);
        if format_version == 0 {
            return Err(bad("format version 0 (no tickwire writes it: the file is corrupt)".into()));
        }
        if format_version > FORMAT_VERSION {
            return Err(CaptureError::NewerFormat { path: path.to_owned(), found: format_version });
        }
        let tick_version = get16(OFF_TICK_VERSION);
        if u32::from(tick_version) != TICK_VERSION {
            return Err(CaptureError::TickLayout { path: path.to_owned(), found: tick_version, expected: TICK_VERSION as u16 });
        }
        let record_bytes = get16(OFF_RECORD_BYTES);
        if usize::from(record_bytes) != TICK_BYTES {
            return Err(CaptureError::RecordSize { path: path.to_owned(), found: record_bytes });
        }
        let header_bytes = get16(OFF_HEADER_BYTES);
        if usize::from(header_bytes) != HEADER_BYTES {
            return Err(bad(format!("header size {header_bytes}, format {FORMAT_VERSION} has {HEADER_BYTES}")));
        }
        let flags = get16(OFF_FLAGS);
        if flags & !KNOWN_FLAGS != 0 {
            return Err(bad(format!(
                "flags 0x{flags:04x} use bits this build does not know (0x{:04x}): use a newer tickwire",
                flags & !KNOWN_FLAGS
            )));
        }
        let dev = &b[OFF_DEVICE..OFF_DEVICE + DEVICE_BYTES];
        let dev = &dev[..dev.iter().position(|&c| c == 0).unwrap_or(DEVICE_BYTES)];
        if !dev.iter().all(|c| c.is_ascii_graphic() || *c == b' ') {
            return Err(bad(format!("device description {:?} is not printable ASCII", String::from_utf8_lossy(dev))));
        }
        Ok(CaptureHeader {
            format_version,
            tick_version,
            record_bytes,
            header_bytes,
            ring: get16(OFF_RING),
            flags,
            created_unix_ns: u64::from_le_bytes(b[OFF_CREATED..OFF_CREATED + 8].try_into().expect("8 bytes")),
            device: String::from_utf8_lossy(dev).into_owned(),
        })
    }
}

/// True if `b` (the first bytes of a file) starts with the capture magic.
pub fn is_capture(b: &[u8]) -> bool {
    b.starts_with(&MAGIC)
}

/// True if the file at `path` starts with the capture magic (false if it cannot be read).
pub fn file_is_capture(path: &Path) -> bool {
    let mut b = [0u8; 8];
    File::open(path).and_then(|mut f| f.read_exact(&mut b)).is_ok() && is_capture(&b)
}

/// What a file that is not a capture looks like, from its first bytes, and what to do with it.
fn describe_magic(b: &[u8]) -> String {
    let m4 = b.get(..4).map(|s| [s[0], s[1], s[2], s[3]]);
    match m4 {
        None if b.is_empty() => return "the file is empty".into(),
        Some([0xd4, 0xc3, 0xb2, 0xa1] | [0xa1, 0xb2, 0xc3, 0xd4] | [0x4d, 0x3c, 0xb2, 0xa1] | [0xa1, 0xb2, 0x3c, 0x4d]) => {
            return "it looks like a pcap file: use `tickwire replay FILE`, which runs it through the (simulated) card".into()
        }
        Some([0x0a, 0x0d, 0x0d, 0x0a]) => {
            return "it looks like a pcapng file: use `tickwire replay FILE`, which runs it through the (simulated) card".into()
        }
        _ => {}
    }
    if b.starts_with(b"TWFANOUT") {
        return "it looks like a tickwired fan-out ring (shared memory, not a file to keep): attach to it with tickwire-client, or let tickwired's capture record it".into();
    }
    let n = b.len().min(8);
    let hex: Vec<String> = b[..n].iter().map(|c| format!("{c:02x}")).collect();
    let text: String = b[..n].iter().map(|&c| if c.is_ascii_graphic() { char::from(c) } else { '.' }).collect();
    format!("it starts with {} ({text:?}), a capture starts with \"TWCAPTUR\"", hex.join(" "))
}

/// Now, ns since the Unix epoch (0 if the clock is before it).
fn now_unix_ns() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
}

/// What a writer wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaptureStats {
    /// Records written.
    pub records: u64,
    /// Ticks missed before they could be written (the sum of [`CaptureWriter::note_loss`]).
    pub losses: u64,
    /// Records written with [`FLAG_LOSS`] set by the writer (one per run of missed ticks that a
    /// record followed).
    pub loss_marks: u64,
}

/// Writes a capture file: the header at once, then one record per [`CaptureWriter::write`],
/// buffered. Dropping it without [`CaptureWriter::finish`] flushes what it can and ignores
/// errors; the file stays readable.
pub struct CaptureWriter {
    out: BufWriter<File>,
    path: PathBuf,
    header: CaptureHeader,
    loss_pending: bool,
    stats: CaptureStats,
}

impl CaptureWriter {
    /// Create a new capture file at `path` (never replaces one: an existing file is an error)
    /// with mode [`FILE_MODE`] less the umask, for the ticks of `ring` of the card `device`
    /// (1 to 24 printable ASCII characters: `sim`, a PCI address). The header is written before
    /// this returns.
    pub fn create(path: impl AsRef<Path>, ring: u16, device: &str) -> Result<CaptureWriter> {
        let path = path.as_ref();
        if device.is_empty() || device.len() > DEVICE_BYTES || !device.bytes().all(|c| c.is_ascii_graphic() || c == b' ') {
            return Err(CaptureError::DeviceDesc { path: path.to_owned(), desc: device.to_owned() });
        }
        let header = CaptureHeader::new(ring, device, now_unix_ns());
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(path)
            .map_err(io_err(path, "create it (it must not exist yet)"))?;
        // Unbuffered: the header is on disk however the writer ends.
        file.write_all(&header.to_bytes()).map_err(io_err(path, "write its header"))?;
        // 128 records per write(2); the buffer only ever holds whole records.
        let out = BufWriter::with_capacity(128 * TICK_BYTES, file);
        Ok(CaptureWriter { out, path: path.to_owned(), header, loss_pending: false, stats: CaptureStats::default() })
    }

    /// Append one record, with [`FLAG_LOSS`] OR-ed in if ticks were missed just before it.
    pub fn write(&mut self, tick: &[u8; TICK_BYTES]) -> Result<()> {
        let mut rec = *tick;
        if self.loss_pending {
            let f = u16::from_le_bytes([rec[TICK_FLAGS_OFF], rec[TICK_FLAGS_OFF + 1]]) | FLAG_LOSS;
            rec[TICK_FLAGS_OFF..TICK_FLAGS_OFF + 2].copy_from_slice(&f.to_le_bytes());
        }
        self.out
            .write_all(&rec)
            .map_err(io_err(&self.path, format!("write record {}", self.stats.records)))?;
        if self.loss_pending {
            self.loss_pending = false;
            self.stats.loss_marks += 1;
        }
        self.stats.records += 1;
        Ok(())
    }

    /// `n` ticks were missed (the reader feeding this writer was lapped): count them and mark
    /// the next record written with [`FLAG_LOSS`]. If no record follows, the loss is only in
    /// [`CaptureStats::losses`].
    pub fn note_loss(&mut self, n: u64) {
        if n > 0 {
            self.stats.losses += n;
            self.loss_pending = true;
        }
    }

    /// Write the buffered records to the file.
    pub fn flush(&mut self) -> Result<()> {
        self.out.flush().map_err(io_err(&self.path, "flush records"))
    }

    /// Flush, sync to disk and close; what was written.
    pub fn finish(mut self) -> Result<CaptureStats> {
        self.flush()?;
        self.out.get_ref().sync_data().map_err(io_err(&self.path, "sync it to disk"))?;
        Ok(self.stats)
    }

    /// What was written so far.
    pub fn stats(&self) -> CaptureStats {
        self.stats
    }

    /// The header written.
    pub fn header(&self) -> &CaptureHeader {
        &self.header
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Where a capture file ends in part of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TruncatedTail {
    /// Byte offset of the partial record (the end of the last whole record).
    pub offset: u64,
    /// Bytes of it present (1..=63).
    pub bytes: u64,
}

/// Reads a capture file: the header is checked on [`CaptureReader::open`]; the reader is an
/// iterator over the records (`Result<TickRecord>`). After the last whole record, a partial
/// one (see [`CaptureReader::truncated_tail`]) is yielded once as
/// [`CaptureError::TruncatedTail`]; after any error the iterator ends.
pub struct CaptureReader {
    input: BufReader<File>,
    path: PathBuf,
    header: CaptureHeader,
    records: u64,
    tail: Option<TruncatedTail>,
    next: u64,
    done: bool,
}

impl CaptureReader {
    /// Open `path` and check its header. The record count is taken from the file's size now
    /// (records appended later by a live writer are not read).
    pub fn open(path: impl AsRef<Path>) -> Result<CaptureReader> {
        let path = path.as_ref();
        let mut file = File::open(path).map_err(io_err(path, "open it"))?;
        let len = file.metadata().map_err(io_err(path, "stat it"))?.len();
        let mut b = [0u8; HEADER_BYTES];
        let n = read_up_to(&mut file, &mut b).map_err(io_err(path, "read its header"))?;
        if n < HEADER_BYTES {
            // Say what it is if it is not a capture at all; else it is one cut short.
            if !MAGIC.starts_with(&b[..n.min(8)]) || n == 0 {
                return Err(CaptureError::NotACapture { path: path.to_owned(), looks_like: describe_magic(&b[..n]) });
            }
            return Err(CaptureError::ShortHeader { path: path.to_owned(), len });
        }
        let header = CaptureHeader::parse(path, &b)?;
        let body = len - HEADER_BYTES as u64;
        let records = body / TICK_BYTES as u64;
        let rem = body % TICK_BYTES as u64;
        let tail = (rem != 0).then(|| TruncatedTail { offset: record_offset(records), bytes: rem });
        Ok(CaptureReader {
            input: BufReader::with_capacity(128 * TICK_BYTES, file),
            path: path.to_owned(),
            header,
            records,
            tail,
            next: 0,
            done: false,
        })
    }

    /// The file's header.
    pub fn header(&self) -> &CaptureHeader {
        &self.header
    }

    /// Whole records in the file.
    pub fn len(&self) -> u64 {
        self.records
    }

    /// No whole record in the file.
    pub fn is_empty(&self) -> bool {
        self.records == 0
    }

    /// The partial record the file ends with, if it does.
    pub fn truncated_tail(&self) -> Option<TruncatedTail> {
        self.tail
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Continue reading at record `index` (from 0; `len()` reads nothing more but the tail).
    pub fn seek(&mut self, index: u64) -> Result<()> {
        let index = index.min(self.records);
        self.input
            .seek(SeekFrom::Start(record_offset(index)))
            .map_err(io_err(&self.path, format!("seek to record {index}")))?;
        self.next = index;
        self.done = false;
        Ok(())
    }

    /// The next record's raw 64 bytes, as [`Iterator::next`] but without decoding.
    pub fn next_bytes(&mut self) -> Option<Result<[u8; TICK_BYTES]>> {
        if self.done {
            return None;
        }
        if self.next == self.records {
            self.done = true;
            return self.tail.map(|t| {
                Err(CaptureError::TruncatedTail { path: self.path.clone(), offset: t.offset, bytes: t.bytes, records: self.records })
            });
        }
        let mut b = [0u8; TICK_BYTES];
        match self.input.read_exact(&mut b) {
            Ok(()) => {
                self.next += 1;
                Some(Ok(b))
            }
            Err(e) => {
                self.done = true;
                Some(Err(io_err(&self.path, format!("read record {} at offset {}", self.next, record_offset(self.next)))(e)))
            }
        }
    }
}

impl Iterator for CaptureReader {
    type Item = Result<TickRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_bytes().map(|r| r.map(|b| TickRecord::from_bytes(&b)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done {
            return (0, Some(0));
        }
        let n = (self.records - self.next) as usize + usize::from(self.tail.is_some());
        (n.min(1), Some(n))
    }
}

/// Byte offset of record `index`.
pub fn record_offset(index: u64) -> u64 {
    HEADER_BYTES as u64 + TICK_BYTES as u64 * index
}

/// Read until `buf` is full or the end of the file; bytes read.
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itch::{pad_alpha, Body, Header, Message};
    use std::os::unix::fs::PermissionsExt;

    /// A fresh path in the temp directory.
    fn tmp(name: &str) -> PathBuf {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("twcap-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_file(&p);
        p
    }

    /// Record `i` of a test stream: an Add Order with distinct fields and the card's fields set.
    fn record(i: u64) -> TickRecord {
        let m = Message {
            header: Header { stock_locate: (i % 7) as u16 + 1, tracking_number: 0, timestamp: 34_200_000_000_000 + i },
            body: Body::AddOrder {
                order_reference_number: 1000 + i,
                buy_sell_indicator: if i.is_multiple_of(2) { b'B' } else { b'S' },
                shares: 100 + i as u32,
                stock: pad_alpha("AAPL"),
                price: 1_872_500 + i as u32,
            },
        };
        let mut r = TickRecord::from_itch(&m.encode());
        r.rx_ts_ns = 5_000 + 3 * i;
        r.seq = 1 + i;
        r.feed = 2;
        r.valid = i as u32 + 1;
        r
    }

    fn write_file(path: &Path, n: u64) {
        let mut w = CaptureWriter::create(path, 3, "0000:41:00.0").unwrap();
        for i in 0..n {
            w.write(&record(i).to_bytes()).unwrap();
        }
        w.finish().unwrap();
    }

    fn patch(path: &Path, off: usize, bytes: &[u8]) {
        let mut b = std::fs::read(path).unwrap();
        b[off..off + bytes.len()].copy_from_slice(bytes);
        std::fs::write(path, b).unwrap();
    }

    fn open_err(path: &Path) -> CaptureError {
        match CaptureReader::open(path) {
            Ok(_) => panic!("{} opened", path.display()),
            Err(e) => e,
        }
    }

    #[test]
    fn round_trip_with_a_loss_mark() {
        let p = tmp("roundtrip");
        let n = 1000u64; // more than the write buffer holds: several write(2)s
        let mut w = CaptureWriter::create(&p, 3, "sim").unwrap();
        for i in 0..n {
            if i == 600 {
                w.note_loss(42);
            }
            if i == 700 {
                w.note_loss(0); // nothing missed: no mark
            }
            w.write(&record(i).to_bytes()).unwrap();
        }
        assert_eq!(w.stats(), CaptureStats { records: n, losses: 42, loss_marks: 1 });
        let stats = w.finish().unwrap();
        assert_eq!(stats, CaptureStats { records: n, losses: 42, loss_marks: 1 });
        assert_eq!(std::fs::metadata(&p).unwrap().len(), record_offset(n));

        let r = CaptureReader::open(&p).unwrap();
        assert_eq!(r.len(), n);
        assert_eq!(r.truncated_tail(), None);
        let got: Vec<TickRecord> = r.map(|x| x.unwrap()).collect();
        assert_eq!(got.len() as u64, n);
        for (i, g) in got.iter().enumerate() {
            let mut want = record(i as u64);
            if i == 600 {
                want.flags |= FLAG_LOSS;
            }
            assert_eq!(*g, want, "record {i}");
            assert_eq!(g.loss_before(), i == 600, "record {i}");
        }
        // seekable: record i at 64 + 64 i
        let mut r = CaptureReader::open(&p).unwrap();
        r.seek(999).unwrap();
        assert_eq!(r.next().unwrap().unwrap(), record(999));
        assert!(r.next().is_none());
        r.seek(600).unwrap();
        assert!(r.next().unwrap().unwrap().loss_before());
        std::fs::remove_file(&p).unwrap();
    }

    #[test]
    fn header_fields() {
        let p = tmp("header");
        let before = now_unix_ns();
        write_file(&p, 2);
        let after = now_unix_ns();
        let b = std::fs::read(&p).unwrap();
        assert_eq!(&b[0..8], b"TWCAPTUR");
        let le16 = |o: usize| u16::from_le_bytes([b[o], b[o + 1]]);
        assert_eq!(le16(8), 1, "format version");
        assert_eq!(u32::from(le16(10)), TICK_VERSION, "tick layout version");
        assert_eq!(le16(12), 64, "record size");
        assert_eq!(le16(14), 64, "header size");
        assert_eq!(le16(16), 3, "ring");
        assert_eq!(le16(18), 0, "flags");
        assert_eq!(&b[20..24], &[0; 4], "reserved");
        let created = u64::from_le_bytes(b[24..32].try_into().unwrap());
        assert!((before..=after).contains(&created), "{before} <= {created} <= {after}");
        assert_eq!(&b[32..56], b"0000:41:00.0\0\0\0\0\0\0\0\0\0\0\0\0");
        assert_eq!(&b[56..64], &[0; 8], "reserved");
        assert_eq!(b[64..128], record(0).to_bytes());

        let r = CaptureReader::open(&p).unwrap();
        let h = r.header();
        assert_eq!(
            *h,
            CaptureHeader {
                format_version: 1,
                tick_version: TICK_VERSION as u16,
                record_bytes: 64,
                header_bytes: 64,
                ring: 3,
                flags: 0,
                created_unix_ns: created,
                device: "0000:41:00.0".into(),
            }
        );
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & !FILE_MODE, 0, "mode {mode:o} is at most {FILE_MODE:o}");
        std::fs::remove_file(&p).unwrap();
    }

    #[test]
    fn the_writer_refuses_an_existing_file_and_a_bad_device() {
        let p = tmp("exists");
        std::fs::write(&p, b"keep me").unwrap();
        let e = CaptureWriter::create(&p, 0, "sim").err().unwrap();
        assert!(matches!(e, CaptureError::Io { .. }) && e.to_string().contains("must not exist"), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"keep me");
        std::fs::remove_file(&p).unwrap();
        for bad in ["", "a very long device name that does not fit", "sim\n", "сим"] {
            let e = CaptureWriter::create(&p, 0, bad).err().unwrap();
            assert!(matches!(e, CaptureError::DeviceDesc { .. }), "{bad:?}: {e}");
            assert!(!p.exists());
        }
    }

    #[test]
    fn an_empty_capture_has_no_records() {
        let p = tmp("empty");
        write_file(&p, 0);
        let mut r = CaptureReader::open(&p).unwrap();
        assert!(r.is_empty());
        assert!(r.next().is_none());
        std::fs::remove_file(&p).unwrap();
    }

    #[test]
    fn a_truncated_tail_comes_after_every_whole_record() {
        let p = tmp("tail");
        write_file(&p, 5);
        // a writer that died 20 bytes into record 5
        let mut b = std::fs::read(&p).unwrap();
        b.extend_from_slice(&record(5).to_bytes()[..20]);
        std::fs::write(&p, b).unwrap();
        let r = CaptureReader::open(&p).unwrap();
        assert_eq!(r.len(), 5);
        assert_eq!(r.truncated_tail(), Some(TruncatedTail { offset: 64 + 5 * 64, bytes: 20 }));
        let items: Vec<Result<TickRecord>> = r.collect();
        assert_eq!(items.len(), 6);
        for (i, it) in items[..5].iter().enumerate() {
            assert_eq!(*it.as_ref().unwrap(), record(i as u64));
        }
        let e = items[5].as_ref().unwrap_err();
        assert!(matches!(e, CaptureError::TruncatedTail { offset: 384, bytes: 20, records: 5, .. }), "{e:?}");
        assert!(e.to_string().contains("offset 384"), "{e}");
        std::fs::remove_file(&p).unwrap();
    }

    #[test]
    fn a_writer_dropped_without_finish_leaves_a_readable_file() {
        let p = tmp("crash");
        let mut w = CaptureWriter::create(&p, 1, "sim").unwrap();
        for i in 0..300 {
            w.write(&record(i).to_bytes()).unwrap();
        }
        // what a crash leaves on disk so far: the header and whole buffers of 128 records
        let on_disk = std::fs::metadata(&p).unwrap().len();
        assert_eq!(on_disk, record_offset(256));
        let read = |p: &Path| CaptureReader::open(p).unwrap().collect::<Result<Vec<TickRecord>>>().unwrap();
        assert_eq!(read(&p), (0..256).map(record).collect::<Vec<_>>());
        drop(w);
        assert_eq!(read(&p), (0..300).map(record).collect::<Vec<_>>());
        std::fs::remove_file(&p).unwrap();
    }

    #[test]
    fn not_a_capture_says_what_it_looks_like() {
        let p = tmp("magic");
        let cases: [(&[u8], &str); 6] = [
            (&[0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0], "looks like a pcap file: use `tickwire replay FILE`"),
            (&[0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0], "looks like a pcap file"),
            (&[0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0], "looks like a pcapng file"),
            (b"TWFANOUT\x01\0\0\0\0\0\0\0", "fan-out ring"),
            (b"hello, world", "starts with 68 65 6c 6c 6f 2c 20 77 (\"hello,.w\")"),
            (b"", "the file is empty"),
        ];
        for (bytes, want) in cases {
            let mut b = bytes.to_vec();
            if !b.is_empty() {
                b.resize(200, 0);
            }
            std::fs::write(&p, &b).unwrap();
            let e = open_err(&p);
            assert!(matches!(e, CaptureError::NotACapture { .. }), "{e:?}");
            let s = e.to_string();
            assert!(s.contains(want) && s.contains(&p.display().to_string()), "{s}");
        }
        // a short file that is not a capture is still named for what it is
        std::fs::write(&p, [0xd4, 0xc3, 0xb2, 0xa1, 2, 0]).unwrap();
        assert!(open_err(&p).to_string().contains("pcap"));
        // a capture cut inside its header
        std::fs::write(&p, &MAGIC[..5]).unwrap();
        assert!(matches!(open_err(&p), CaptureError::ShortHeader { len: 5, .. }));
        std::fs::remove_file(&p).unwrap();
        write_file(&p, 1);
        std::fs::write(&p, &std::fs::read(&p).unwrap()[..40]).unwrap();
        assert!(matches!(open_err(&p), CaptureError::ShortHeader { len: 40, .. }));
        std::fs::remove_file(&p).unwrap();
        let e = CaptureReader::open(&p).err().unwrap();
        assert!(matches!(e, CaptureError::Io { .. }) && e.to_string().contains("open it"), "{e}");
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn header_errors_name_both_versions() {
        let p = tmp("versions");
        write_file(&p, 1);
        patch(&p, 8, &2u16.to_le_bytes());
        let e = open_err(&p);
        assert!(matches!(e, CaptureError::NewerFormat { found: 2, .. }), "{e:?}");
        assert!(e.to_string().contains("written by a newer tickwire (format 2); this build reads format 1"), "{e}");
        patch(&p, 8, &0u16.to_le_bytes());
        assert!(matches!(open_err(&p), CaptureError::BadHeader { .. }));

        patch(&p, 8, &1u16.to_le_bytes());
        let other = TICK_VERSION as u16 - 1;
        patch(&p, 10, &other.to_le_bytes());
        let e = open_err(&p);
        assert!(matches!(e, CaptureError::TickLayout { found, expected, .. } if found == other && u32::from(expected) == TICK_VERSION), "{e:?}");
        let s = e.to_string();
        assert!(s.contains(&format!("layout version {other}")) && s.contains(&format!("tick layout version {TICK_VERSION}")), "{s}");
        patch(&p, 10, &(TICK_VERSION as u16).to_le_bytes());

        patch(&p, 12, &32u16.to_le_bytes());
        let e = open_err(&p);
        assert!(matches!(e, CaptureError::RecordSize { found: 32, .. }), "{e:?}");
        assert!(e.to_string().contains("32-byte records; this build reads 64-byte records"), "{e}");
        patch(&p, 12, &64u16.to_le_bytes());

        patch(&p, 14, &128u16.to_le_bytes());
        assert!(open_err(&p).to_string().contains("header size 128"));
        patch(&p, 14, &64u16.to_le_bytes());

        patch(&p, 18, &1u16.to_le_bytes());
        assert!(open_err(&p).to_string().contains("flags 0x0001"));
        patch(&p, 18, &0u16.to_le_bytes());

        patch(&p, 32, b"\x01bad");
        assert!(open_err(&p).to_string().contains("not printable ASCII"));
        patch(&p, 32, b"sim\0");

        // reserved bytes are ignored
        patch(&p, 20, &[0xff; 4]);
        patch(&p, 56, &[0xff; 8]);
        let r = CaptureReader::open(&p).unwrap();
        assert_eq!(r.header().device, "sim");
        assert_eq!(r.map(|x| x.unwrap()).collect::<Vec<_>>(), vec![record(0)]);
        std::fs::remove_file(&p).unwrap();
    }

    /// The size comparison of docs/capture-format.md, measured: generated feeds as a pcap and as
    /// a capture of one record per message, with the generator's packing and with one message
    /// per packet. Prints
    /// the numbers (`cargo test -p tickwire capture -- --nocapture`); asserts only what the
    /// doc says.
    #[test]
    fn size_against_a_pcap_of_the_same_feed() {
        let one_per_packet = crate::gen::MIN_MAX_PAYLOAD;
        for (symbols, messages, max_payload) in [(8, 20_000, 1472), (500, 20_000, 1472), (8, 20_000, one_per_packet)] {
            let cfg = crate::gen::GenConfig { symbols, messages, max_payload, ..Default::default() };
            let msgs = crate::gen::generate_messages(&cfg).unwrap();
            let packets = crate::gen::packetize(&cfg, &msgs);
            let frames = crate::gen::to_frames(&cfg, &packets).unwrap();
            let pcap = crate::pcap::write_pcap_to(Vec::new(), &frames).unwrap().len() as u64;
            let p = tmp("size");
            let mut w = CaptureWriter::create(&p, 0, "sim").unwrap();
            for m in &msgs {
                w.write(&TickRecord::from_itch(&m.encode()).to_bytes()).unwrap();
            }
            w.finish().unwrap();
            let cap = std::fs::metadata(&p).unwrap().len();
            std::fs::remove_file(&p).unwrap();
            let wire: usize = msgs.iter().map(|m| m.len()).sum();
            println!(
                "{symbols} symbols, {messages} messages, max_payload {max_payload}: {} frames ({:.2} messages/frame): pcap {pcap} bytes ({:.1}/message), capture {cap} bytes ({:.1}/message), capture/pcap {:.2}; ITCH bytes alone {:.1}/message",
                frames.len(),
                messages as f64 / frames.len() as f64,
                pcap as f64 / messages as f64,
                cap as f64 / messages as f64,
                cap as f64 / pcap as f64,
                wire as f64 / messages as f64,
            );
            assert_eq!(cap, record_offset(messages as u64));
            let ratio = cap as f64 / pcap as f64;
            let per_frame = messages as f64 / frames.len() as f64;
            if per_frame < 1.5 {
                // one message per packet: 64 bytes against ~108, "about 0.6 of the pcap"
                assert!((0.5..0.7).contains(&ratio), "{ratio}");
            } else {
                // the generator's bursts (~6 per packet): "about 1.4 times the pcap"
                assert!((1.2..1.6).contains(&ratio), "{ratio}");
            }
        }
    }
}
