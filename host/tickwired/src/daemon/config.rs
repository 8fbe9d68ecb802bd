//! The daemon's sections of the config file (`[daemon]`, `[metrics]`, `[run]`) and their check:
//! [`Config::daemon_settings`] turns the whole file into [`Settings`], or an error that names the
//! key and the fix. The feed and filter sections are `crate::config`'s, shared with
//! `tickwire replay`. Reference: docs/daemon.md.

use std::net::{SocketAddr, SocketAddrV4};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;
use tickwire::filter::{is_itch_type, type_mask, ALL_TYPES};
use tickwire::flow::FlowTable;
use tickwire::gen::GenConfig;

use crate::config::Config;

/// Default ring size.
pub const DEFAULT_SLOTS: u32 = 4096;
/// Default metrics address.
pub const DEFAULT_METRICS_ADDR: &str = "127.0.0.1:9464";
/// Types locate-checked by default when a ring subscribes to symbols: the order-book types
/// (A F E C X D U), trades (P Q B), NOII (I) and RPII (N). Everything else (S, R, H, Y, L, V, W, K,
/// J, h, O) passes whatever its locate.
pub const DEFAULT_LOCATE_TYPES: &str = "AFECXDUPQBIN";
/// The simulated card's rings and flow rules (tw_core's defaults, the `default` RTL variant).
pub const SIM_RINGS: usize = 4;
pub const SIM_RULES: usize = 64;
/// The most rings a tw_core can be built with (a real card says how many it has at open).
pub const MAX_RINGS: usize = 32;

/// `[daemon]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DaemonConfig {
    /// `"sim"` (the simulated card) or a PCI address bound to vfio-pci (`0000:3b:00.0`).
    #[serde(default = "default_device")]
    pub device: String,
    /// `[[daemon.rings]]`: the i-th table is card ring i.
    #[serde(default)]
    pub rings: Vec<RingConfig>,
    /// `[daemon.sim]`: what the simulated card receives.
    #[serde(default)]
    pub sim: Option<SimSourceConfig>,
    /// `[daemon.fanout]`: a shared-memory broadcast ring per card ring for reader processes.
    #[serde(default)]
    pub fanout: Option<FanoutConfig>,
    /// `[daemon.clock]`: the card-clock servo.
    #[serde(default)]
    pub clock: ClockConfig,
    /// `[daemon.recovery]`: gap recovery from the feeds' MoldUDP64 re-request servers.
    #[serde(default)]
    pub recovery: Option<RecoveryConfig>,
    /// `[daemon.capture]`: ticks to capture files (`tickwire replay` reads them).
    #[serde(default)]
    pub capture: Option<CaptureConfig>,
}

/// `[daemon.recovery]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryConfig {
    /// Feed name → its re-request server, `IP:port` (UDP).
    #[serde(default)]
    pub servers: std::collections::BTreeMap<String, String>,
    /// How long one request waits for its answer.
    #[serde(default = "default_recovery_timeout")]
    pub timeout: String,
    /// Requests per chunk before giving up on it.
    #[serde(default = "default_recovery_tries")]
    pub tries: u32,
    /// Messages asked for per request (the server may send fewer; the rest is asked again).
    #[serde(default = "default_recovery_chunk")]
    pub max_per_request: u16,
    /// How long the feed's later records are held back waiting for the answer.
    #[serde(default = "default_recovery_hold")]
    pub hold: String,
    /// The most records held back per feed; past it the answer is given up.
    #[serde(default = "default_recovery_max_held")]
    pub max_held: usize,
}

fn default_recovery_timeout() -> String {
    "50ms".into()
}
fn default_recovery_tries() -> u32 {
    3
}
fn default_recovery_chunk() -> u16 {
    1000
}
fn default_recovery_hold() -> String {
    "1s".into()
}
fn default_recovery_max_held() -> usize {
    1 << 20
}

/// Gap recovery, checked.
#[derive(Clone, Debug)]
pub struct RecoverySettings {
    /// By feed id: its re-request server, if it has one.
    pub servers: Vec<Option<SocketAddr>>,
    pub timeout: Duration,
    pub tries: u32,
    pub max_per_request: u16,
    pub hold: Duration,
    pub max_held: usize,
}

/// `[daemon.capture]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaptureConfig {
    /// Directory of the capture files (`tickwire-ring<N>-<UTC start>.twcap`, one per ring).
    pub dir: String,
}

/// `[daemon.clock]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockConfig {
    /// Discipline the card clock to the host clock (the PI servo of `tickwire::servo`).
    #[serde(default = "default_true")]
    pub servo: bool,
    /// Time between servo samples, in host time (default: 1s on a card; 2ms on the simulated
    /// card, whose host clock is simulated time and runs far slower than real time).
    #[serde(default)]
    pub interval: Option<String>,
}

impl Default for ClockConfig {
    fn default() -> Self {
        ClockConfig { servo: true, interval: None }
    }
}

/// `[daemon.fanout]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FanoutConfig {
    /// Directory of the ring files (`tickwire-ring<N>`, one per card ring).
    #[serde(default = "default_fanout_dir")]
    pub dir: String,
    /// Slots per ring file (a power of two, 2 to 2^24).
    #[serde(default = "default_fanout_slots")]
    pub slots: u64,
    /// Group (name or number) whose members may read the rings: files 0660 in that group;
    /// without it, 0600 (only the daemon's user).
    #[serde(default)]
    pub group: Option<String>,
}

fn default_fanout_dir() -> String {
    "/dev/shm".into()
}

fn default_fanout_slots() -> u64 {
    1 << 16
}

/// The fan-out rings, checked.
#[derive(Clone, Debug)]
pub struct FanoutSettings {
    pub dir: PathBuf,
    pub slots: u64,
    /// Group id and file mode.
    pub group: Option<u32>,
    pub mode: u32,
}

impl FanoutSettings {
    /// The ring file of card ring `index`.
    pub fn path(&self, index: usize) -> PathBuf {
        self.dir.join(format!("tickwire-ring{index}"))
    }
}

/// A group's id from its name (or a number), read from /etc/group.
fn group_id(key: &str, g: &str) -> Result<u32> {
    if let Ok(n) = g.parse::<u32>() {
        return Ok(n);
    }
    let text = std::fs::read_to_string("/etc/group").map_err(|e| anyhow!("{key} = {g:?}: cannot read /etc/group ({e}): give the group's number instead"))?;
    text.lines()
        .filter_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?;
            let gid = f.nth(1)?.parse::<u32>().ok()?;
            (name == g).then_some(gid)
        })
        .next()
        .ok_or_else(|| anyhow!("{key} = {g:?}: no such group in /etc/group: create it (groupadd {g}) or name an existing one"))
}

impl Default for DaemonConfig {
    fn default() -> Self {
        DaemonConfig { device: default_device(), rings: Vec::new(), sim: None, fanout: None, clock: ClockConfig::default(), recovery: None, capture: None }
    }
}

fn default_device() -> String {
    "sim".into()
}

/// `[[daemon.rings]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RingConfig {
    #[serde(default = "default_slots")]
    pub slots: u32,
    /// CPU core to pin the ring's poll thread to.
    pub core: Option<usize>,
    /// What the poll thread does when the ring is empty: "spin", "yield" or a sleep ("50us").
    #[serde(default = "default_idle")]
    pub idle: String,
    /// Tickers; their locates (learnt from the day's stock directory) go into the ring's bitmap.
    #[serde(default)]
    pub symbols: Vec<String>,
    /// Message types the ring receives at all (ITCH type letters, or "all"), raw records included
    /// unless `raw = false`.
    #[serde(default)]
    pub types: Option<String>,
    #[serde(default = "default_true")]
    pub raw: bool,
    /// Types whose locate must be subscribed (only when `symbols` is given).
    #[serde(default)]
    pub locate_types: Option<String>,
}

fn default_slots() -> u32 {
    DEFAULT_SLOTS
}
fn default_idle() -> String {
    "yield".into()
}
fn default_true() -> bool {
    true
}

/// `[daemon.sim]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimSourceConfig {
    /// Captures (pcap/pcapng) to replay, merged by timestamp; paths relative to the config file.
    #[serde(default)]
    pub pcap: Option<OneOrMany>,
    /// Generate the feed instead: `{ messages = N, seed = S, symbols = K }`.
    #[serde(default)]
    pub generate: Option<GenerateConfig>,
    /// Frames per second (else the captures' own timestamps).
    pub rate: Option<f64>,
    /// With capture timestamps: play this many times faster.
    #[serde(default = "default_speed")]
    pub speed: f64,
    /// With capture timestamps: silences longer than this are cut to it.
    #[serde(default = "default_max_gap")]
    pub max_gap: String,
    /// Simulation seed (backpressure, idle insertion, X initialisation).
    #[serde(default = "default_seed")]
    pub seed: u64,
}

fn default_speed() -> f64 {
    1.0
}
fn default_max_gap() -> String {
    "1s".into()
}
fn default_seed() -> u64 {
    1
}

/// A string or a list of strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// `daemon.sim.generate`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateConfig {
    #[serde(default = "default_messages")]
    pub messages: usize,
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default = "default_symbols")]
    pub symbols: usize,
    /// Probability that a packet is lost on line A (gaps when line B loses it too, or is absent).
    #[serde(default)]
    pub loss_a: f64,
    /// Probability that a packet is lost on line B.
    #[serde(default)]
    pub loss_b: f64,
}

fn default_messages() -> usize {
    20_000
}
fn default_symbols() -> usize {
    8
}

/// `[metrics]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    #[serde(default = "default_true")]
    pub enabled: bool,
    #[serde(default = "default_metrics_addr")]
    pub addr: String,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig { enabled: true, addr: default_metrics_addr() }
    }
}

fn default_metrics_addr() -> String {
    DEFAULT_METRICS_ADDR.into()
}

/// `[run]`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// Stop after this long ("30s", "5m").
    pub duration: Option<String>,
    /// On `sim`: stop once the whole source went through the card and was polled.
    #[serde(default)]
    pub stop_at_end: bool,
}

/// Which card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceChoice {
    Sim,
    Pci(String),
}

/// What a poll thread does when its ring is empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idle {
    Spin,
    Yield,
    Sleep(Duration),
}

/// One ring, checked.
#[derive(Clone, Debug)]
pub struct RingSettings {
    pub index: usize,
    pub slots: u32,
    pub core: Option<usize>,
    pub idle: Idle,
    /// Subscribed tickers, space-padded to 8 bytes as on the wire (empty: no locate filter).
    pub symbols: Vec<[u8; 8]>,
    /// ITCH_TYPES.
    pub types: u32,
    /// LOCATE_TYPES (0 without symbols).
    pub locate_types: u32,
}

/// Where the simulated card's frames come from.
#[derive(Clone, Debug)]
pub enum Input {
    Pcap(Vec<PathBuf>),
    /// The generator's feed on line A (`cfg.dst`) and, when the first feed has a line B, on `b`.
    Generate { cfg: GenConfig, b: Option<SocketAddrV4>, loss: [f64; 2] },
}

/// How fast frames go in.
#[derive(Clone, Copy, Debug)]
pub enum Pace {
    /// Frames per second.
    Rate(f64),
    /// The captures' timestamps, `speed` times faster, silences cut to `max_gap`.
    Capture { speed: f64, max_gap: Duration },
}

/// The simulated card's source, checked.
#[derive(Clone, Debug)]
pub struct SourceSettings {
    pub input: Input,
    pub pace: Pace,
    pub seed: u64,
}

/// The whole daemon configuration, checked.
#[derive(Clone, Debug)]
pub struct Settings {
    pub device: DeviceChoice,
    pub flow: FlowTable,
    pub hold: bool,
    pub max_frame: u16,
    pub feed_names: Vec<String>,
    pub rings: Vec<RingSettings>,
    /// `None` on a PCI card, and on `sim` when `[daemon.sim]` is absent (the card then receives
    /// nothing: a daemon to look at, not to feed).
    pub source: Option<SourceSettings>,
    pub metrics: Option<SocketAddr>,
    pub fanout: Option<FanoutSettings>,
    /// The servo's sample interval (host time), if the daemon disciplines the card clock.
    pub servo: Option<Duration>,
    pub duration: Option<Duration>,
    pub stop_at_end: bool,
    pub recovery: Option<RecoverySettings>,
    /// The capture files' directory.
    pub capture: Option<PathBuf>,
}

/// "250ns", "20us", "1.5ms", "2s", "5m", "1h".
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (num, unit) = s.split_at(split);
    let v: f64 = num.parse().ok()?;
    let ns = match unit.trim() {
        "ns" => v,
        "us" | "µs" => v * 1e3,
        "ms" => v * 1e6,
        "s" => v * 1e9,
        "m" | "min" => v * 60e9,
        "h" => v * 3600e9,
        _ => return None,
    };
    (ns.is_finite() && ns >= 0.0).then(|| Duration::from_nanos(ns as u64))
}

fn duration_key(key: &str, v: &str) -> Result<Duration> {
    parse_duration(v).ok_or_else(|| anyhow!("{key} = {v:?} is not a duration: write a number and a unit (ns, us, ms, s, m, h), e.g. \"30s\""))
}

/// A ticker as on the wire: 1..=8 characters, upper case, space-padded.
fn ticker(key: &str, t: &str) -> Result<[u8; 8]> {
    let ok = (1..=8).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_graphic() && !b.is_ascii_lowercase());
    if !ok {
        bail!("{key} = {t:?} is not a ticker: 1 to 8 characters, upper case, no spaces (as in the stock directory, e.g. \"AAPL\")");
    }
    let mut s = [b' '; 8];
    s[..t.len()].copy_from_slice(t.as_bytes());
    Ok(s)
}

fn types_key(key: &str, v: &str) -> Result<u32> {
    if v == "all" {
        return Ok(ALL_TYPES & !(1 << tickwire::filter::RAW_BIT));
    }
    if v.is_empty() {
        bail!("{key} = \"\": give ITCH message type letters (e.g. \"AFECXDU\") or \"all\"");
    }
    for c in v.bytes() {
        if !is_itch_type(c) {
            bail!("{key} = {v:?}: {:?} is no ITCH 5.0 message type: use letters of SRHYLVWKJhAFECXDUPQBINO, or \"all\"", c as char);
        }
    }
    Ok(type_mask(v.as_bytes()))
}

impl Config {
    /// Check the daemon's view of the file: every section, the feeds' flow table against the
    /// card's limits (the simulated card's, or the most a card can have), paths relative to
    /// `base` (the config file's directory).
    pub fn daemon_settings(&self, base: &Path) -> Result<Settings> {
        let d = &self.daemon;
        let device = match d.device.as_str() {
            "sim" => DeviceChoice::Sim,
            s if looks_like_bdf(s) => DeviceChoice::Pci(s.to_string()),
            s => bail!("daemon.device = {s:?}: write \"sim\" for the simulated card, or a PCI address such as \"0000:3b:00.0\" (tickwire list shows them)"),
        };
        let (max_rings, max_rules) = match device {
            DeviceChoice::Sim => (SIM_RINGS, SIM_RULES),
            DeviceChoice::Pci(_) => (MAX_RINGS, usize::MAX),
        };
        let flow = self.flow_table(max_rules, max_rings)?;
        if d.rings.len() > max_rings {
            bail!("daemon.rings: {} [[daemon.rings]] tables, the card has {max_rings} rings: remove some", d.rings.len());
        }
        let flow_rings = flow.rings();
        if flow_rings.is_empty() && d.rings.is_empty() {
            bail!("feed: no feed and filter.default = \"drop\": nothing would reach a ring; add a [[feed]] table (or filter.default = \"deliver\")");
        }
        if !d.rings.is_empty() {
            for r in &flow_rings {
                if *r >= d.rings.len() {
                    let who = self
                        .feed
                        .iter()
                        .position(|f| usize::from(f.ring) == *r)
                        .map_or("filter.default_ring".to_string(), |i| format!("feed[{i}].ring"));
                    bail!("{who} = {r}: daemon.rings has {} table(s) (rings 0..{}); add [[daemon.rings]] tables up to ring {r}, or route the feed to a configured ring", d.rings.len(), d.rings.len());
                }
            }
        }
        let mut rings = Vec::new();
        let count = if d.rings.is_empty() { flow_rings.iter().max().map_or(0, |m| m + 1) } else { d.rings.len() };
        for index in 0..count {
            let default;
            let rc = match d.rings.get(index) {
                Some(rc) => rc,
                None => {
                    if !flow_rings.contains(&index) {
                        continue;
                    }
                    default = RingConfig { slots: DEFAULT_SLOTS, core: None, idle: default_idle(), symbols: Vec::new(), types: None, raw: true, locate_types: None };
                    &default
                }
            };
            rings.push(ring_settings(index, rc)?);
        }
        let source = match (&device, &d.sim) {
            (DeviceChoice::Pci(_), Some(_)) => bail!("daemon.sim: only for daemon.device = \"sim\"; a card receives from its network ports: remove [daemon.sim]"),
            (DeviceChoice::Pci(_), None) | (DeviceChoice::Sim, None) => None,
            (DeviceChoice::Sim, Some(s)) => Some(self.source_settings(s, base)?),
        };
        let metrics = if self.metrics.enabled {
            Some(self.metrics.addr.parse::<SocketAddr>().map_err(|_| {
                anyhow!("metrics.addr = {:?} is not an address: write IP:port, e.g. \"{DEFAULT_METRICS_ADDR}\" (or metrics.enabled = false)", self.metrics.addr)
            })?)
        } else {
            None
        };
        let fanout = match &d.fanout {
            None => None,
            Some(f) => {
                if !f.slots.is_power_of_two() || !(2..=1 << 24).contains(&f.slots) {
                    bail!("daemon.fanout.slots = {}: a power of two from 2 to 2^24 (e.g. 65536)", f.slots);
                }
                let dir = base.join(&f.dir);
                if !dir.is_dir() {
                    bail!("daemon.fanout.dir = {:?}: {} is not a directory: create it, or use /dev/shm", f.dir, dir.display());
                }
                let group = f.group.as_deref().map(|g| group_id("daemon.fanout.group", g)).transpose()?;
                Some(FanoutSettings { dir, slots: f.slots, mode: if group.is_some() { 0o660 } else { 0o600 }, group })
            }
        };
        let servo = if d.clock.servo {
            let i = match (&d.clock.interval, &device) {
                (Some(v), _) => duration_key("daemon.clock.interval", v)?,
                (None, DeviceChoice::Sim) => Duration::from_millis(2),
                (None, DeviceChoice::Pci(_)) => Duration::from_secs(1),
            };
            if i < Duration::from_micros(100) || i > Duration::from_secs(60) {
                bail!("daemon.clock.interval = {:?}: give 100us to 60s (1s is usual on a card)", d.clock.interval.as_deref().unwrap_or(""));
            }
            Some(i)
        } else {
            None
        };
        let duration = self.run.duration.as_deref().map(|v| duration_key("run.duration", v)).transpose()?;
        if duration == Some(Duration::ZERO) {
            bail!("run.duration = \"0s\": give a positive duration, or leave the key out to run until stopped");
        }
        if self.run.stop_at_end && source.is_none() {
            bail!("run.stop_at_end = true: only with a source on the simulated card (a [daemon.sim] table with pcap or generate); use run.duration on a card");
        }
        let recovery = d.recovery.as_ref().map(|r| self.recovery_settings(r)).transpose()?;
        let capture = match &d.capture {
            None => None,
            Some(c) => {
                if fanout.is_none() {
                    bail!("daemon.capture: the capture is written by a reader of the fan-out rings: add [daemon.fanout] (the defaults will do)");
                }
                let dir = base.join(&c.dir);
                if !dir.is_dir() {
                    bail!("daemon.capture.dir = {:?}: {} is not a directory: create it", c.dir, dir.display());
                }
                Some(dir)
            }
        };
        Ok(Settings {
            device,
            flow,
            hold: self.filter.hold,
            max_frame: self.filter.max_frame,
            feed_names: self.feed.iter().map(|f| f.name.clone()).collect(),
            rings,
            source,
            metrics,
            fanout,
            servo,
            duration,
            stop_at_end: self.run.stop_at_end,
            recovery,
            capture,
        })
    }

    fn recovery_settings(&self, r: &RecoveryConfig) -> Result<RecoverySettings> {
        let mut servers = vec![None; self.feed.len()];
        if r.servers.is_empty() {
            bail!("daemon.recovery.servers: no server: give each feed's re-request server, e.g. servers = {{ {} = \"10.1.2.3:26400\" }}", self.feed.first().map_or("totalview", |f| f.name.as_str()));
        }
        for (name, addr) in &r.servers {
            let key = format!("daemon.recovery.servers.{name}");
            let Some(i) = self.feed.iter().position(|f| &f.name == name) else {
                let names: Vec<&str> = self.feed.iter().map(|f| f.name.as_str()).collect();
                bail!("{key}: no [[feed]] is named {name:?}: the feeds are {names:?}");
            };
            let a: SocketAddr = addr.parse().map_err(|_| anyhow!("{key} = {addr:?} is not an address: write IP:port of the feed's MoldUDP64 re-request server, e.g. \"10.1.2.3:26400\""))?;
            servers[i] = Some(a);
        }
        let timeout = duration_key("daemon.recovery.timeout", &r.timeout)?;
        if timeout < Duration::from_micros(100) || timeout > Duration::from_secs(10) {
            bail!("daemon.recovery.timeout = {:?}: give 100us to 10s (a few round trips to the server; 50ms is usual)", r.timeout);
        }
        if !(1..=100).contains(&r.tries) {
            bail!("daemon.recovery.tries = {}: give 1 to 100", r.tries);
        }
        if r.max_per_request == 0 {
            bail!("daemon.recovery.max_per_request = 0: give 1 to 65534 (1000 is usual)");
        }
        let hold = duration_key("daemon.recovery.hold", &r.hold)?;
        let least = timeout * r.tries;
        if hold < least {
            bail!("daemon.recovery.hold = {:?} is shorter than one chunk's timeout x tries ({least:?}): raise hold, or lower timeout or tries", r.hold);
        }
        if !(1..=1 << 26).contains(&r.max_held) {
            bail!("daemon.recovery.max_held = {}: give 1 to 2^26 records (64 bytes each)", r.max_held);
        }
        Ok(RecoverySettings { servers, timeout, tries: r.tries, max_per_request: r.max_per_request, hold, max_held: r.max_held })
    }

    fn source_settings(&self, s: &SimSourceConfig, base: &Path) -> Result<SourceSettings> {
        let input = match (&s.pcap, &s.generate) {
            (Some(_), Some(_)) => bail!("daemon.sim: both pcap and generate given: keep one"),
            (None, None) => bail!("daemon.sim: give pcap = \"feed.pcap\" or generate = {{ messages = 20000, seed = 1 }}"),
            (Some(p), None) => {
                let list = match p {
                    OneOrMany::One(p) => vec![p.clone()],
                    OneOrMany::Many(v) => v.clone(),
                };
                if list.is_empty() {
                    bail!("daemon.sim.pcap = []: name at least one capture");
                }
                let mut paths = Vec::new();
                for (i, p) in list.iter().enumerate() {
                    let key = if matches!(s.pcap, Some(OneOrMany::One(_))) { "daemon.sim.pcap".to_string() } else { format!("daemon.sim.pcap[{i}]") };
                    let path = base.join(p);
                    std::fs::File::open(&path).map_err(|e| {
                        anyhow!("{key} = {p:?}: cannot open {} ({e}): give the path of a pcap or pcapng capture, relative to the config file (tickwire gen writes one)", path.display())
                    })?;
                    paths.push(path);
                }
                Input::Pcap(paths)
            }
            (None, Some(g)) => {
                if g.messages == 0 {
                    bail!("daemon.sim.generate.messages = 0: give a positive number of ITCH messages");
                }
                if g.symbols == 0 || g.symbols > 65_535 {
                    bail!("daemon.sim.generate.symbols = {}: give 1 to 65535", g.symbols);
                }
                // the generator sends to the first feed's line A (and B), so the flow table delivers it
                let Some(f) = self.feed.first() else {
                    bail!("daemon.sim.generate: the generated feed goes to the first [[feed]]'s lines; add a [[feed]] with a = {{ group = \"233.54.12.111\", port = 26477 }}");
                };
                let line = |lc: &crate::config::LineConfig, k: &str| -> Result<SocketAddrV4> {
                    let ip = lc.group.parse().map_err(|_| anyhow!("feed[0].{k}.group = {:?} is not an IPv4 address: write it as a.b.c.d", lc.group))?;
                    let port = lc.port.ok_or_else(|| anyhow!("feed[0].{k}.port: daemon.sim.generate sends to the first feed's lines and needs their port: add port = 26477"))?;
                    Ok(SocketAddrV4::new(ip, port))
                };
                let a = match &f.a {
                    Some(a) => a,
                    None => bail!("feed[0].a: daemon.sim.generate sends line A to the first feed's line a: add a = {{ group = \"233.54.12.111\", port = 26477 }}"),
                };
                let dst = line(a, "a")?;
                let b = f.b.as_ref().map(|b| line(b, "b")).transpose()?;
                if f.b.as_ref().is_some_and(|b| b.vlan != a.vlan) {
                    bail!("feed[0].b.vlan: daemon.sim.generate tags both lines alike; give line b the same vlan as line a");
                }
                for (k, v) in [("loss_a", g.loss_a), ("loss_b", g.loss_b)] {
                    if !(0.0..1.0).contains(&v) {
                        bail!("daemon.sim.generate.{k} = {v}: a probability, from 0 up to (not including) 1, e.g. 0.01");
                    }
                }
                if g.loss_b > 0.0 && b.is_none() {
                    bail!("daemon.sim.generate.loss_b: the first feed has no line b: add b = {{ group = ..., port = ... }} or remove loss_b");
                }
                let cfg = GenConfig { seed: g.seed, messages: g.messages, symbols: g.symbols, vlan: a.vlan, dst, ..GenConfig::default() };
                cfg.validate().map_err(|e| anyhow!("daemon.sim.generate: {e}"))?;
                Input::Generate { cfg, b, loss: [g.loss_a, g.loss_b] }
            }
        };
        let pace = match s.rate {
            Some(r) if !(r.is_finite() && r > 0.0 && r <= 1e8) => bail!("daemon.sim.rate = {r}: give frames per second, more than 0 and at most 1e8"),
            Some(r) => Pace::Rate(r),
            None => {
                if !(s.speed.is_finite() && s.speed > 0.0) {
                    bail!("daemon.sim.speed = {}: give a positive factor (1.0 = the capture's own pace)", s.speed);
                }
                Pace::Capture { speed: s.speed, max_gap: duration_key("daemon.sim.max_gap", &s.max_gap)? }
            }
        };
        Ok(SourceSettings { input, pace, seed: s.seed })
    }
}

fn ring_settings(index: usize, rc: &RingConfig) -> Result<RingSettings> {
    let key = format!("daemon.rings[{index}]");
    if !rc.slots.is_power_of_two() || !(2..=1 << 26).contains(&rc.slots) {
        bail!("{key}.slots = {}: a power of two from 2 to 2^26 (e.g. 4096)", rc.slots);
    }
    if let Some(c) = rc.core {
        if c >= 4096 {
            bail!("{key}.core = {c}: give a CPU number the machine has (0, 1, ...), or leave the key out");
        }
    }
    let idle = match rc.idle.as_str() {
        "spin" => Idle::Spin,
        "yield" => Idle::Yield,
        v => match parse_duration(v) {
            Some(d) if d > Duration::ZERO && d <= Duration::from_millis(100) => Idle::Sleep(d),
            _ => bail!("{key}.idle = {v:?}: write \"spin\", \"yield\" or a sleep from 1ns to 100ms (e.g. \"50us\")"),
        },
    };
    let mut symbols = Vec::new();
    for (i, t) in rc.symbols.iter().enumerate() {
        symbols.push(ticker(&format!("{key}.symbols[{i}]"), t)?);
    }
    let mut types = match &rc.types {
        None => ALL_TYPES & !(1 << tickwire::filter::RAW_BIT),
        Some(v) => types_key(&format!("{key}.types"), v)?,
    };
    if rc.raw {
        types |= 1 << tickwire::filter::RAW_BIT;
    }
    if !symbols.is_empty() && types & type_mask(b"R") == 0 {
        bail!("{key}.types lacks R: the ring learns its symbols' locates from stock directory (R) messages; add R to {key}.types");
    }
    let locate_types = match (&rc.locate_types, symbols.is_empty()) {
        (Some(_), true) => bail!("{key}.locate_types: only with {key}.symbols; add the tickers to subscribe to, or remove locate_types"),
        (_, true) => 0,
        (None, false) => type_mask(DEFAULT_LOCATE_TYPES.as_bytes()),
        (Some(v), false) => types_key(&format!("{key}.locate_types"), v)?,
    };
    Ok(RingSettings { index, slots: rc.slots, core: rc.core, idle, symbols, types, locate_types })
}

/// `dddd:bb:dd.f` or `bb:dd.f`.
fn looks_like_bdf(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    let hex = |p: &str, n: usize| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit());
    let df = |p: &str| p.split_once('.').is_some_and(|(d, f)| hex(d, 2) && f.len() == 1 && f.chars().all(|c| ('0'..='7').contains(&c)));
    match parts.as_slice() {
        [dom, bus, rest] => hex(dom, 4) && hex(bus, 2) && df(rest),
        [bus, rest] => hex(bus, 2) && df(rest),
        _ => false,
    }
}

/// Load and check a daemon config file.
pub fn load(path: &Path) -> Result<(Config, Settings)> {
    let cfg = Config::load(path)?;
    let base = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let settings = cfg.daemon_settings(base).with_context(|| format!("config {}", path.display()))?;
    Ok((cfg, settings))
}
