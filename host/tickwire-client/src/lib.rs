//! Client side of tickwired's fan-out ring: a broadcast ring of 64-byte ticks in a shared-memory
//! file that any number of reader processes attach to. One writer (the daemon's poll thread)
//! never waits for readers; a reader that falls more than a ring behind is told how many ticks it
//! missed ([`Next::Lapped`]) and resynchronised. A slow or crashed reader affects nobody: readers
//! map the file read-only and publish nothing.
//!
//! # Layout (version 1, native byte order, every field an 8-byte word)
//!
//! | offset | field | |
//! |-------:|-------|---|
//! | 0   | `magic`      | `b"TWFANOUT"` as a little-endian u64; stored last (Release) when the header is complete |
//! | 8   | `version`    | [`VERSION`] |
//! | 16  | `slot_bytes` | 64 ([`SLOT_BYTES`]) |
//! | 24  | `slots`      | slot count N, a power of two, ≥ 2 |
//! | 32  | `writer_pid` | pid of the writer (stale-file detection) |
//! | 40  | `generation` | writer start time in ns since the epoch, distinguishes restarts |
//! | 48  | `state`      | 1 open, 2 closed (the writer shut down cleanly) |
//! | 64  | `head`       | ticks published so far; alone on its cache line |
//! | 128 | slots        | N × 64 bytes; tick number `p` lives in slot `p mod N` |
//!
//! File size = 128 + 64·N. Each slot holds the tick's 64 bytes as eight u64 words exactly as
//! the card wrote them (the `tickwire::TickRecord` layout), no extra per-slot word.
//!
//! # Protocol and memory ordering
//!
//! Every access to the mapping, by every process, is an `AtomicU64` load or store.
//!
//! Writer, publishing tick `p` (`head == p`): `fence(Release)`; store the eight words of slot
//! `p mod N` (Relaxed); `head.store(p + 1, Release)`.
//!
//! Reader at position `r`: `h1 = head.load(Acquire)`. `h1 == r`: empty. `h1 - r >= N`: lapped.
//! Otherwise load the eight words (Relaxed), `fence(Acquire)`, `h2 = head.load(Relaxed)`; the
//! copy is good iff `h2 - r < N`.
//!
//! Why this is enough: the copy is not stale, because `h1 > r` was read from (or after) the
//! Release store of `r + 1`, which follows tick `r`'s stores, so those happen-before the copy.
//! The copy is not torn or overwritten: slot `r mod N` is next written for tick `q = r + N`
//! (or later), after the writer's `fence(Release)` that follows its store `head = q`. If any
//! word the reader loaded came from such a store, that fence synchronizes with the reader's
//! `fence(Acquire)` (fence–fence synchronization through the Relaxed load), so `head = q`
//! happens-before the load of `h2`, and `h2 >= r + N`: the copy is rejected. This is the
//! seqlock of Boehm, "Can seqlocks get along with programming language memory models?" (2012),
//! with `head` doubling as the sequence: the "write begins" mark for slot `r mod N` is the
//! publication of tick `r + N - 1`. On x86 both fences compile to nothing.
//!
//! After a lap the reader jumps to `head - N + N/8` (at least one slot of slack) and
//! [`Next::Lapped`] says exactly how many ticks it skipped.
//!
//! # Files
//!
//! [`Writer::create`] creates the file with `O_EXCL` and then sets its mode (0600 by default;
//! 0660 with a group for readers in that group) and group explicitly, so the umask does not
//! matter. If the path exists: a ring whose writer pid is still alive is refused
//! ([`Error::InUse`]); a ring whose writer is gone, or an empty/uninitialised file (a writer that
//! died while creating it), is unlinked and created afresh (readers still attached to the old
//! file keep their mapping and see [`Reader::replaced`]); anything else is refused
//! ([`Error::NotARing`]). On drop the writer marks the ring closed and unlinks the path if it is
//! still its file.

mod sys;

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{fence, AtomicU64, Ordering};

use sys::Mapping;

/// Ring format version.
pub const VERSION: u64 = 1;
/// Size of one slot (one tick), in bytes.
pub const SLOT_BYTES: usize = 64;
/// Size of the header, in bytes; the slots follow it.
pub const HEADER_BYTES: usize = 128;
/// The `magic` word: `b"TWFANOUT"` read as a little-endian u64.
pub const MAGIC: u64 = u64::from_le_bytes(*b"TWFANOUT");
/// Default directory for ring files.
pub const DEFAULT_DIR: &str = "/dev/shm";

const W_MAGIC: usize = 0;
const W_VERSION: usize = 1;
const W_SLOT_BYTES: usize = 2;
const W_SLOTS: usize = 3;
const W_PID: usize = 4;
const W_GENERATION: usize = 5;
const W_STATE: usize = 6;
const W_HEAD: usize = 8;
const SLOT_WORDS: usize = SLOT_BYTES / 8;
const STATE_OPEN: u64 = 1;
const STATE_CLOSED: u64 = 2;
/// Largest ring accepted: 2^24 slots (1 GiB).
pub const MAX_SLOTS: u64 = 1 << 24;

/// Errors creating or attaching to a ring. Each names the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("fan-out ring {path}: slot count {slots} must be a power of two between 2 and {MAX_SLOTS}")]
    InvalidSlots { path: PathBuf, slots: u64 },
    #[error("fan-out ring {path}: in use by a live writer (pid {pid}); stop it or choose another path")]
    InUse { path: PathBuf, pid: u64 },
    #[error("{path} exists and is not a tickwire fan-out ring; remove it or choose another path")]
    NotARing { path: PathBuf },
    #[error("fan-out ring {path}: cannot {what}: {source}")]
    Io {
        path: PathBuf,
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open fan-out ring {path}: {source} (is tickwired running with [daemon.fanout] enabled? is this user in the ring's group?)")]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("fan-out ring {path} is not initialised yet (the writer is starting, or died while creating it); retry")]
    NotReady { path: PathBuf },
    #[error("fan-out ring {path}: version {found}, this client reads version {VERSION}; use a tickwire-client matching the daemon")]
    Version { path: PathBuf, found: u64 },
    #[error("fan-out ring {path}: bad header ({what}); the file is corrupt or not a ring")]
    BadHeader { path: PathBuf, what: String },
}

/// Result of this crate.
pub type Result<T> = std::result::Result<T, Error>;

fn io_err<'a>(path: &'a Path, what: &'static str) -> impl FnOnce(std::io::Error) -> Error + 'a {
    move |source| Error::Io { path: path.to_owned(), what, source }
}

fn file_len(slots: u64) -> usize {
    HEADER_BYTES + SLOT_BYTES * slots as usize
}

/// The one writer of a ring. Never waits for readers.
pub struct Writer {
    map: Mapping,
    path: PathBuf,
    head: u64,
    mask: u64,
    dev_ino: (u64, u64),
}

impl Writer {
    /// Create the ring file at `path` with `slots` slots (a power of two), file mode `mode`
    /// (e.g. 0o600, or 0o660 with `group`) and, if given, group `group`. See the crate docs for
    /// what happens when `path` exists.
    pub fn create(path: impl AsRef<Path>, slots: u64, mode: u32, group: Option<u32>) -> Result<Writer> {
        let path = path.as_ref();
        if !slots.is_power_of_two() || !(2..=MAX_SLOTS).contains(&slots) {
            return Err(Error::InvalidSlots { path: path.to_owned(), slots });
        }
        let file = match Self::create_file(path, mode) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Self::remove_stale(path)?;
                Self::create_file(path, mode).map_err(io_err(path, "create"))?
            }
            r => r.map_err(io_err(path, "create"))?,
        };
        let len = file_len(slots);
        let setup = || -> Result<Writer> {
            if let Some(gid) = group {
                std::os::unix::fs::fchown(&file, None, Some(gid)).map_err(io_err(path, "set its group"))?;
            }
            // Explicit, so the umask does not decide who may read the ring.
            file.set_permissions(std::fs::Permissions::from_mode(mode & 0o7777))
                .map_err(io_err(path, "set its mode"))?;
            file.set_len(len as u64).map_err(io_err(path, "size it"))?;
            let meta = file.metadata().map_err(io_err(path, "stat it"))?;
            let map = Mapping::new(&file, len, true).map_err(io_err(path, "map it"))?;
            let w = map.words();
            let generation = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            w[W_VERSION].store(VERSION, Ordering::Relaxed);
            w[W_SLOT_BYTES].store(SLOT_BYTES as u64, Ordering::Relaxed);
            w[W_SLOTS].store(slots, Ordering::Relaxed);
            w[W_PID].store(u64::from(std::process::id()), Ordering::Relaxed);
            w[W_GENERATION].store(generation, Ordering::Relaxed);
            w[W_STATE].store(STATE_OPEN, Ordering::Relaxed);
            w[W_HEAD].store(0, Ordering::Relaxed);
            w[W_MAGIC].store(MAGIC, Ordering::Release);
            Ok(Writer { map, path: path.to_owned(), head: 0, mask: slots - 1, dev_ino: (meta.dev(), meta.ino()) })
        };
        setup().inspect_err(|_| {
            let _ = std::fs::remove_file(path);
        })
    }

    fn create_file(path: &Path, mode: u32) -> std::io::Result<File> {
        OpenOptions::new().read(true).write(true).create_new(true).mode(mode & 0o777).open(path)
    }

    /// `path` exists: unlink it if it is a ring whose writer is gone or a file a writer died
    /// creating; otherwise refuse.
    fn remove_stale(path: &Path) -> Result<()> {
        let mut head = [0u8; 48];
        let n = File::open(path)
            .and_then(|mut f| {
                let mut n = 0;
                while n < head.len() {
                    match f.read(&mut head[n..])? {
                        0 => break,
                        k => n += k,
                    }
                }
                Ok(n)
            })
            .map_err(io_err(path, "inspect the existing file"))?;
        let word = |i: usize| u64::from_ne_bytes(head[i * 8..i * 8 + 8].try_into().unwrap());
        let uninitialised = head[..n].iter().all(|&b| b == 0);
        if !uninitialised {
            if n < head.len() || word(W_MAGIC) != MAGIC {
                return Err(Error::NotARing { path: path.to_owned() });
            }
            let pid = word(W_PID);
            if sys::pid_alive(pid) {
                return Err(Error::InUse { path: path.to_owned(), pid });
            }
        }
        std::fs::remove_file(path).map_err(io_err(path, "remove the stale file"))
    }

    /// Publish one tick. Overwrites the oldest slot; never blocks, no syscall.
    #[inline]
    pub fn push(&mut self, tick: &[u8; SLOT_BYTES]) {
        let w = self.map.words();
        let base = HEADER_BYTES / 8 + (self.head & self.mask) as usize * SLOT_WORDS;
        let slot = &w[base..base + SLOT_WORDS];
        // Orders the publication of the previous tick (`head == self.head`, which tells readers
        // this slot's old contents may be overwritten) before the stores below. See crate docs.
        fence(Ordering::Release);
        for (i, word) in slot.iter().enumerate() {
            word.store(u64::from_ne_bytes(tick[i * 8..i * 8 + 8].try_into().unwrap()), Ordering::Relaxed);
        }
        self.head += 1;
        w[W_HEAD].store(self.head, Ordering::Release);
    }

    /// Ticks published so far.
    pub fn head(&self) -> u64 {
        self.head
    }

    /// Number of slots.
    pub fn slots(&self) -> u64 {
        self.mask + 1
    }

    /// Path of the ring file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.map.words()[W_STATE].store(STATE_CLOSED, Ordering::Release);
        // Unlink only our own file: a newer writer may have replaced it.
        if let Ok(m) = std::fs::metadata(&self.path) {
            if (m.dev(), m.ino()) == self.dev_ino {
                let _ = std::fs::remove_file(&self.path);
            }
        }
    }
}

/// What [`Reader::next`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The next tick.
    Tick([u8; SLOT_BYTES]),
    /// Nothing new yet.
    Empty,
    /// The writer lapped this reader: `missed` ticks were overwritten before they were read and
    /// are skipped; reading continues with the oldest tick still safely in the ring.
    Lapped { missed: u64 },
}

/// What [`Reader::next_batch`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batch {
    /// This many ticks (≥ 1) were copied to the front of the buffer.
    Ticks(usize),
    /// Nothing new yet.
    Empty,
    /// As [`Next::Lapped`]; nothing was copied.
    Lapped { missed: u64 },
}

/// One reader of a ring. Maps the file read-only; any number may attach, in any process.
pub struct Reader {
    map: Mapping,
    path: PathBuf,
    pos: u64,
    slots: u64,
    mask: u64,
    generation: u64,
    dev_ino: (u64, u64),
}

impl Reader {
    /// Attach to the ring at `path`. Reading starts at the writer's current head (new ticks
    /// only); [`Reader::rewind`] goes back to the oldest tick in the ring.
    pub fn open(path: impl AsRef<Path>) -> Result<Reader> {
        let path = path.as_ref();
        let open_err = |source| Error::Open { path: path.to_owned(), source };
        let file = File::open(path).map_err(open_err)?;
        let meta = file.metadata().map_err(open_err)?;
        let len = meta.len();
        if len < HEADER_BYTES as u64 {
            return Err(if len == 0 {
                Error::NotReady { path: path.to_owned() }
            } else {
                Error::NotARing { path: path.to_owned() }
            });
        }
        let hdr = Mapping::new(&file, HEADER_BYTES, false).map_err(io_err(path, "map it"))?;
        let w = hdr.words();
        let bad = |what: String| Error::BadHeader { path: path.to_owned(), what };
        match w[W_MAGIC].load(Ordering::Acquire) {
            MAGIC => {}
            0 => return Err(Error::NotReady { path: path.to_owned() }),
            _ => return Err(Error::NotARing { path: path.to_owned() }),
        }
        let version = w[W_VERSION].load(Ordering::Relaxed);
        if version != VERSION {
            return Err(Error::Version { path: path.to_owned(), found: version });
        }
        let slot_bytes = w[W_SLOT_BYTES].load(Ordering::Relaxed);
        if slot_bytes != SLOT_BYTES as u64 {
            return Err(bad(format!("slot size {slot_bytes}, expected {SLOT_BYTES}")));
        }
        let slots = w[W_SLOTS].load(Ordering::Relaxed);
        if !slots.is_power_of_two() || !(2..=MAX_SLOTS).contains(&slots) {
            return Err(bad(format!("slot count {slots} is not a power of two in 2..={MAX_SLOTS}")));
        }
        if len != file_len(slots) as u64 {
            return Err(bad(format!("file is {len} bytes, {slots} slots need {}", file_len(slots))));
        }
        let generation = w[W_GENERATION].load(Ordering::Relaxed);
        drop(hdr);
        let map = Mapping::new(&file, file_len(slots), false).map_err(io_err(path, "map it"))?;
        let pos = map.words()[W_HEAD].load(Ordering::Acquire);
        Ok(Reader {
            map,
            path: path.to_owned(),
            pos,
            slots,
            mask: slots - 1,
            generation,
            dev_ino: (meta.dev(), meta.ino()),
        })
    }

    fn head(&self) -> &AtomicU64 {
        &self.map.words()[W_HEAD]
    }

    fn slot(&self, pos: u64) -> &[AtomicU64] {
        let base = HEADER_BYTES / 8 + (pos & self.mask) as usize * SLOT_WORDS;
        &self.map.words()[base..base + SLOT_WORDS]
    }

    fn copy_slot(&self, pos: u64, out: &mut [u8; SLOT_BYTES]) {
        for (i, w) in self.slot(pos).iter().enumerate() {
            out[i * 8..i * 8 + 8].copy_from_slice(&w.load(Ordering::Relaxed).to_ne_bytes());
        }
    }

    /// After a lap seen with head `h`: resume at `h - N + N/8` and report what was skipped.
    fn resync(&mut self, h: u64) -> u64 {
        let margin = (self.slots / 8).max(1);
        let to = h - self.slots + margin;
        let missed = to - self.pos;
        self.pos = to;
        missed
    }

    /// The next tick, or that there is none yet, or that ticks were lost to a lap.
    // Not `Iterator::next`: an empty ring is not the end of the stream, and a lap is not a tick.
    #[allow(clippy::should_implement_trait)]
    #[inline]
    pub fn next(&mut self) -> Next {
        let h1 = self.head().load(Ordering::Acquire);
        if h1 == self.pos {
            return Next::Empty;
        }
        if h1 - self.pos >= self.slots {
            return Next::Lapped { missed: self.resync(h1) };
        }
        let mut tick = [0u8; SLOT_BYTES];
        self.copy_slot(self.pos, &mut tick);
        match self.validate() {
            Ok(()) => {
                self.pos += 1;
                Next::Tick(tick)
            }
            Err(missed) => Next::Lapped { missed },
        }
    }

    /// Second half of the seqlock read: were the slots copied since the last `head` load
    /// (positions `pos..`) still intact? If not, resync and return the missed count.
    #[inline]
    fn validate(&mut self) -> std::result::Result<(), u64> {
        fence(Ordering::Acquire);
        let h2 = self.head().load(Ordering::Relaxed);
        if h2 - self.pos >= self.slots {
            return Err(self.resync(h2));
        }
        Ok(())
    }

    /// Copy up to `out.len()` ticks into `out` with one pair of `head` loads for the batch.
    #[inline]
    pub fn next_batch(&mut self, out: &mut [[u8; SLOT_BYTES]]) -> Batch {
        let h1 = self.head().load(Ordering::Acquire);
        if h1 == self.pos || out.is_empty() {
            return Batch::Empty;
        }
        if h1 - self.pos >= self.slots {
            return Batch::Lapped { missed: self.resync(h1) };
        }
        let n = ((h1 - self.pos) as usize).min(out.len());
        for (i, t) in out[..n].iter_mut().enumerate() {
            self.copy_slot(self.pos + i as u64, t);
        }
        // The oldest copied slot (pos) is the first to be overwritten: checking it covers all.
        match self.validate() {
            Ok(()) => {
                self.pos += n as u64;
                Batch::Ticks(n)
            }
            Err(missed) => Batch::Lapped { missed },
        }
    }

    /// Go back to the oldest tick still in the ring (keeping the N/8 slack of a resync).
    pub fn rewind(&mut self) {
        let h = self.head().load(Ordering::Acquire);
        let keep = self.slots - (self.slots / 8).max(1);
        self.pos = h.saturating_sub(keep);
    }

    /// Number of ticks this reader has passed (read or missed) since the ring was created.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// Ticks published and not yet read by this reader (may exceed the ring if lapped).
    pub fn backlog(&self) -> u64 {
        self.head().load(Ordering::Acquire) - self.pos
    }

    /// Number of slots.
    pub fn slots(&self) -> u64 {
        self.slots
    }

    /// The writer's generation (start time); changes when the daemon restarts.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The writer shut down cleanly: no more ticks will come to this file.
    pub fn writer_closed(&self) -> bool {
        self.map.words()[W_STATE].load(Ordering::Acquire) == STATE_CLOSED
    }

    /// The path no longer names this file (the writer restarted and created a new ring, or the
    /// file was removed): reopen to follow the new writer. A syscall; call it when idle.
    pub fn replaced(&self) -> bool {
        std::fs::metadata(&self.path).map_or(true, |m| (m.dev(), m.ino()) != self.dev_ino)
    }

    /// Path of the ring file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests;
