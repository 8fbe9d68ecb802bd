// SPDX-License-Identifier: Apache-2.0
//! `tickwire_sim._native`: the simulated tickwire card and the real driver, for Python.
//!
//! The card is a [`StepDevice`] (the Verilator model of the shipping RTL, advanced only when the
//! caller runs it) opened by the driver's [`Card`]; ticks are read by the driver's [`Ring`]. Every
//! call that runs the simulation releases the GIL. The pure-Python package `tickwire_sim` builds the
//! user-facing API (registers by name, `run_until`, the cocotb-style async layer) on this.

use std::time::Duration;

use pyo3::exceptions::{PyRuntimeError, PyTimeoutError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use serde_json::Value;

use tickwire::card::{Card as DriverCard, RingStatus};
use tickwire::gen::{self, GenConfig};
use tickwire::itch;
use tickwire::replay::{self, ReplayOptions};
use tickwire::scenario::StepDevice;
use tickwire::flow::{parse_src_prefix, FlowAction, FlowRule};
use tickwire::tick::{
    TickRecord, FLAG_FRAME_BAD, FLAG_FRAME_END, FLAG_LOSS, FLAG_EVENT, FLAG_GAP, FLAG_LATE, FLAG_LINE_B, FLAG_RAW,
    FLAG_TRUNCATED, FLAG_VERDICT, EVENT_NEW_SESSION, EVENT_GAP, EVENT_END_OF_SESSION, TICK_BYTES, TICK_RAW_MAX,
};
use tickwire::Ring;
use tickwire_sim::{RtlParams, RtlVariant, Sim, SimConfig, SimStats, QUIET_CYCLES, RTL_VARIANTS};

type SimCard = DriverCard<StepDevice>;

fn runtime(e: impl std::fmt::Display) -> PyErr {
    PyRuntimeError::new_err(e.to_string())
}

#[allow(clippy::too_many_arguments)]
fn sim_config(
    seed: u64,
    rx_period_ps: u64,
    clk_period_ps: u64,
    awready_prob: f64,
    wready_prob: f64,
    bresp_delay_max: u32,
    idle_prob: f64,
    line_rate_bps: Option<u64>,
    visibility_delay_max: u32,
    rtl: RtlParams,
) -> SimConfig {
    SimConfig {
        seed,
        rx_period_ps,
        clk_period_ps,
        awready_prob,
        wready_prob,
        bresp_delay_max,
        idle_prob,
        line_rate_bps,
        visibility_delay_max,
        rtl,
        // Knobs added to SimConfig later keep their defaults until they are exposed here.
        ..SimConfig::default()
    }
}

/// `rtl=`: None (tw_core's defaults), a variant name ("small") or a dict of parameter values
/// ({"RINGS": 2, "RULES": 8, "FIFO_DEPTH": 16}; parameters left out keep the default's values).
/// Whether such a variant is built is checked when the card is created.
fn py_rtl(rtl: Option<&Bound<'_, PyAny>>) -> PyResult<RtlParams> {
    let Some(rtl) = rtl.filter(|r| !r.is_none()) else {
        return Ok(RtlParams::default());
    };
    if let Ok(name) = rtl.extract::<String>() {
        return Ok(RtlParams::Variant(name));
    }
    let d = rtl.cast::<PyDict>().map_err(|_| {
        PyValueError::new_err("rtl: a variant name (\"small\") or a dict of tw_core parameters ({\"RINGS\": 2, ...})")
    })?;
    let mut values = Vec::new();
    for (k, v) in d.iter() {
        let k: String = k.extract().map_err(|_| PyValueError::new_err("rtl: parameter names are strings"))?;
        let v: i64 = v.extract().map_err(|_| PyValueError::new_err(format!("rtl: {k} must be an integer")))?;
        values.push((k, v));
    }
    Ok(RtlParams::Values(values))
}

/// An RTL variant's parameters as a dict {"RINGS": 2, ...}.
fn rtl_dict<'py>(py: Python<'py>, v: &RtlVariant) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (p, x) in v.params {
        d.set_item(*p, *x)?;
    }
    Ok(d)
}

/// Frame bytes from anything `bytes()` accepts: bytes, bytearray, memoryview, a scapy packet.
fn frame_bytes(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    let b = obj.py().import("builtins")?.getattr("bytes")?.call1((obj,))?;
    let b = b.cast_into::<PyBytes>().map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(b.as_bytes().to_vec())
}

fn check_line(line: u8) -> PyResult<()> {
    if line != 0 {
        return Err(PyValueError::new_err(format!(
            "line={line}: the card has one MAC input (line=0); lines A and B are told apart by the flow filter (set_flow_table rules with line 0 or 1)"
        )));
    }
    Ok(())
}

fn py_action(a: &Bound<'_, PyAny>) -> PyResult<FlowAction> {
    if let Ok(s) = a.extract::<String>() {
        if s == "drop" {
            return Ok(FlowAction::Drop);
        }
        return Err(PyValueError::new_err(format!("action {s:?}: \"drop\" or a dict {{feed, line, ring}}")));
    }
    let d = a.cast::<PyDict>().map_err(|_| PyValueError::new_err("action: \"drop\" or a dict {feed, line, ring}"))?;
    let get = |k: &str| -> PyResult<u8> {
        Ok(match d.get_item(k)? {
            Some(v) => v.extract()?,
            None => 0,
        })
    };
    Ok(FlowAction::Deliver { feed: get("feed")?, line: get("line")?, ring: get("ring")? })
}

fn py_rule(r: &Bound<'_, PyAny>) -> PyResult<FlowRule> {
    let d = r.cast::<PyDict>().map_err(|_| PyValueError::new_err("a rule is a dict (see Card.set_flow_table)"))?;
    let ip = |s: String, key: &str| -> PyResult<std::net::Ipv4Addr> {
        s.parse().map_err(|_| PyValueError::new_err(format!("{key}={s:?}: an IPv4 address a.b.c.d")))
    };
    let dst_ip = ip(
        d.get_item("dst_ip")?.ok_or_else(|| PyValueError::new_err("rule without dst_ip"))?.extract()?,
        "dst_ip",
    )?;
    let opt = |k: &str| -> PyResult<Option<u16>> {
        match d.get_item(k)? {
            Some(v) if !v.is_none() => Ok(Some(v.extract()?)),
            _ => Ok(None),
        }
    };
    let src = match d.get_item("src")? {
        Some(v) if !v.is_none() => {
            let s: String = v.extract()?;
            parse_src_prefix(&s).map_err(|e| PyValueError::new_err(format!("src={e}")))?
        }
        _ => (std::net::Ipv4Addr::UNSPECIFIED, 0),
    };
    let action = match d.get_item("action")? {
        Some(a) => py_action(&a)?,
        None => return Err(PyValueError::new_err("rule without action")),
    };
    Ok(FlowRule { dst_ip, dst_port: opt("dst_port")?, vlan: opt("vlan")?, src, action })
}

fn check_frame(f: &[u8]) -> PyResult<()> {
    if f.is_empty() {
        return Err(PyValueError::new_err("empty frame: the MAC never delivers a frame of 0 bytes"));
    }
    Ok(())
}

fn json_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(a) => {
            let l = PyList::empty(py);
            for x in a {
                l.append(json_to_py(py, x)?)?;
            }
            l.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, json_to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

fn decode_to_py<'py>(py: Python<'py>, msg: &[u8], full_len: usize) -> PyResult<Bound<'py, PyAny>> {
    let d = itch::decode_prefix(msg, full_len).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let map = json_to_py(py, &Value::Object(d.to_json_map()))?;
    Ok(map)
}

fn stats_dict<'py>(py: Python<'py>, s: &SimStats) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("time_ps", s.time_ps)?;
    d.set_item("clk_cycles", s.clk_cycles)?;
    d.set_item("rx_cycles", s.rx_cycles)?;
    d.set_item("frames_sent", s.frames_sent)?;
    d.set_item("frames_pending", s.frames_pending)?;
    d.set_item("dma_writes", s.dma_writes)?;
    d.set_item("violations", s.violations)?;
    Ok(d)
}

fn ring_status_dict<'py>(py: Python<'py>, s: &RingStatus) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("prod", s.prod)?;
    d.set_item("cons", s.cons)?;
    d.set_item("drops", s.drops)?;
    d.set_item("idle", s.idle)?;
    d.set_item("cfg_error", s.cfg_error)?;
    d.set_item("dma_error", s.dma_error)?;
    Ok(d)
}

fn counters_dict<'py>(py: Python<'py>, c: &[(&'static str, u32)]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in c {
        d.set_item(*k, *v)?;
    }
    Ok(d)
}

/// One tick record as the driver's `Ring::poll` returned it (a copy of the 64-byte slot).
#[pyclass(module = "tickwire_sim", frozen, eq)]
#[derive(Clone, PartialEq)]
struct Tick {
    rec: TickRecord,
}

#[pymethods]
impl Tick {
    /// Rebuild a tick from its 64 bytes (e.g. a slot dumped by another tool).
    #[staticmethod]
    fn from_bytes(raw: &[u8]) -> PyResult<Tick> {
        let b: &[u8; TICK_BYTES] = raw
            .try_into()
            .map_err(|_| PyValueError::new_err(format!("a tick is {TICK_BYTES} bytes, got {}", raw.len())))?;
        Ok(Tick { rec: TickRecord::from_bytes(b) })
    }
    /// Card receive timestamp (ns of the card clock) of the frame that carried the message.
    #[getter]
    fn rx_ts_ns(&self) -> u64 {
        self.rec.rx_ts_ns
    }
    /// MoldUDP64 sequence number (of the packet, on an event record).
    #[getter]
    fn seq(&self) -> u64 {
        self.rec.seq
    }
    /// Message length: from the MoldUDP64 block on a raw record, the type's fixed length on a
    /// decoded one, 0 on an event or verdict record.
    #[getter]
    fn msg_len(&self) -> u16 {
        self.rec.msg_len()
    }
    /// Flag bits (FLAG_TRUNCATED, FLAG_EVENT, FLAG_LOSS, FLAG_FRAME_END, FLAG_FRAME_BAD,
    /// FLAG_VERDICT, FLAG_GAP, FLAG_LATE, FLAG_RAW, FLAG_LINE_B).
    #[getter]
    fn flags(&self) -> u16 {
        self.rec.flags
    }
    /// Feed line (0 = A, 1 = B: flag LINE_B), from the flow rule that delivered the frame.
    #[getter]
    fn line(&self) -> u8 {
        self.rec.line()
    }
    /// Feed id, from the flow rule that delivered the frame.
    #[getter]
    fn feed(&self) -> u8 {
        self.rec.feed
    }
    /// The last record of its frame: carries the frame's verdict.
    #[getter]
    fn frame_end(&self) -> bool {
        self.rec.flags & FLAG_FRAME_END != 0
    }
    /// With frame_end: the frame turned out bad; discard all of its records.
    #[getter]
    fn frame_bad(&self) -> bool {
        self.rec.flags & FLAG_FRAME_BAD != 0
    }
    /// A verdict record (no message).
    #[getter]
    fn is_verdict(&self) -> bool {
        self.rec.flags & FLAG_VERDICT != 0
    }
    /// Validity word: producer index + 1.
    #[getter]
    fn valid(&self) -> u32 {
        self.rec.valid
    }
    /// Producer index of the slot (valid - 1).
    #[getter]
    fn producer_index(&self) -> u32 {
        self.rec.producer_index()
    }
    /// Event bits of an event record (EVENT_NEW_SESSION, EVENT_GAP, EVENT_END_OF_SESSION), else 0.
    #[getter]
    fn event(&self) -> u8 {
        self.rec.event_bits()
    }
    /// A feed sequencer event record (no message): new session, gap or end of session.
    #[getter]
    fn is_event(&self) -> bool {
        self.rec.is_event()
    }
    /// An event record reporting a new session.
    #[getter]
    fn is_session(&self) -> bool {
        self.rec.is_session()
    }
    /// An event record reporting an end of session.
    #[getter]
    fn is_end_of_session(&self) -> bool {
        self.rec.is_end_of_session()
    }
    /// A message record (neither event nor verdict).
    #[getter]
    fn is_message(&self) -> bool {
        self.rec.is_message()
    }
    /// Messages of this feed were lost on every line just before this record (flag GAP).
    #[getter]
    fn gap_before(&self) -> bool {
        self.rec.gap_before()
    }
    /// A late fill (flag LATE): another line's copy of a message reported missing in a gap.
    #[getter]
    fn is_late(&self) -> bool {
        self.rec.is_late()
    }
    /// On a gap event record: the missing sequence numbers as (first, end) with end exclusive.
    #[getter]
    fn gap(&self) -> Option<(u64, u64)> {
        self.rec.gap().map(|r| (r.start, r.end))
    }
    #[getter]
    fn is_truncated(&self) -> bool {
        self.rec.is_truncated()
    }
    /// Ticks for this ring were dropped just before this one.
    #[getter]
    fn loss_before(&self) -> bool {
        self.rec.loss_before()
    }
    /// A message the card delivered raw (flag RAW: unknown type or wrong length).
    #[getter]
    fn is_raw(&self) -> bool {
        self.rec.is_raw()
    }
    /// On a raw record, the message bytes it holds (at most TICK_RAW_MAX; wire bytes 0..10
    /// rebuilt from the header fields, the tracking number, not carried, as 0); else None.
    #[getter]
    fn raw_message<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.rec.raw_message().map(|m| PyBytes::new(py, &m))
    }
    /// ITCH stock_locate (0 on event and verdict records).
    #[getter]
    fn stock_locate(&self) -> u16 {
        self.rec.stock_locate
    }
    /// ITCH timestamp, ns since midnight (0 on event and verdict records).
    #[getter]
    fn timestamp(&self) -> u64 {
        self.rec.timestamp_ns()
    }
    /// The 32-byte body as in the slot.
    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.rec.body)
    }
    /// The feed's MoldUDP64 session on an event record, else None.
    #[getter]
    fn session<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.rec.session().map(|s| PyBytes::new(py, &s))
    }
    /// The ITCH message type as a one-character string (None on an event or verdict record).
    #[getter]
    fn msg_type(&self) -> Option<String> {
        self.rec.is_message().then(|| char::from(self.rec.msg_type).to_string())
    }
    /// The whole 64-byte slot.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.rec.to_bytes())
    }
    /// The decoded ITCH 5.0 message the record carries, as a dict: stock_locate, timestamp and
    /// every field the tick carries under the specification's names (alpha fields as text,
    /// trailing spaces trimmed; prices as raw integers). ValueError for an event, verdict or raw
    /// record.
    fn decoded<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = self.rec.decoded().ok_or_else(|| PyValueError::new_err("not a decoded ITCH message record (event, verdict or raw)"))?;
        let mut map = d.to_json_map();
        map.remove("message_type");
        json_to_py(py, &Value::Object(map))
    }
    /// The typed view's text (`A order_reference_number=.. price=187.2500`), None if not decoded.
    #[getter]
    fn itch(&self) -> Option<String> {
        self.rec.itch().map(|v| v.to_string())
    }
    /// Every field as a dict: seq, msg_len, flags, line, feed, valid, msg_type, fields (the
    /// decoded dict, or None), raw (raw_message, or None), session, event, gap.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("rx_ts_ns", self.rec.rx_ts_ns)?;
        d.set_item("seq", self.rec.seq)?;
        d.set_item("msg_len", self.rec.msg_len())?;
        d.set_item("flags", self.rec.flags)?;
        d.set_item("line", self.rec.line())?;
        d.set_item("feed", self.rec.feed)?;
        d.set_item("valid", self.rec.valid)?;
        d.set_item("msg_type", self.msg_type())?;
        let fields = if self.rec.decoded().is_some() { Some(self.decoded(py)?) } else { None };
        d.set_item("fields", fields)?;
        d.set_item("raw", self.raw_message(py))?;
        d.set_item("session", self.session(py))?;
        d.set_item("event", self.rec.event_bits())?;
        d.set_item("gap", self.gap())?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        let mut f = Vec::new();
        if self.rec.is_event() {
            f.push("EVENT");
        }
        if self.rec.is_session() {
            f.push("NEW_SESSION");
        }
        if self.rec.is_end_of_session() {
            f.push("END_OF_SESSION");
        }
        if self.rec.gap_before() {
            f.push("GAP");
        }
        if self.rec.is_late() {
            f.push("LATE");
        }
        if self.rec.is_raw() {
            f.push("RAW");
        }
        if self.rec.is_truncated() {
            f.push("TRUNCATED");
        }
        if self.rec.loss_before() {
            f.push("LOSS");
        }
        if self.frame_end() {
            f.push("FRAME_END");
        }
        if self.frame_bad() {
            f.push("FRAME_BAD");
        }
        if self.is_verdict() {
            f.push("VERDICT");
        }
        let what = match self.rec.session() {
            Some(s) => format!("session={:?}", String::from_utf8_lossy(&s)),
            None => match (self.rec.itch(), self.rec.raw_message()) {
                (Some(v), _) => format!("{v} stock_locate={} timestamp={}", self.rec.stock_locate, self.rec.timestamp_ns()),
                (None, Some(m)) => format!("raw={}", m.iter().map(|b| format!("{b:02x}")).collect::<String>()),
                (None, None) => String::new(),
            },
        };
        format!(
            "Tick(seq={}, rx_ts_ns={}, msg_len={}, flags=[{}], feed={}, line={}, valid={}, {what})",
            self.rec.seq,
            self.rec.rx_ts_ns,
            self.rec.msg_len(),
            f.join("|"),
            self.rec.feed,
            self.rec.line(),
            self.rec.valid
        )
    }
}

/// The simulated card (Verilator model of tw_core) opened by the real driver (`tickwire::Card`).
/// The clocks run only inside calls that say so (run_*, CSR accesses, ring polls that return
/// slots to the card): same seed, same calls, same result.
#[pyclass(module = "tickwire_sim", subclass)]
struct Card {
    card: std::sync::Arc<SimCard>,
    cfg: SimConfig,
    rtl: &'static RtlVariant,
}

impl Card {
    fn dev(&self) -> &StepDevice {
        self.card.device()
    }
}

#[pymethods]
impl Card {
    /// Build and reset the model, then open it with the driver (ID and version checked).
    /// `rtl`: the RTL parameters, a built variant by name ("small") or by values
    /// ({"RINGS": 2, "RULES": 8, "FIFO_DEPTH": 16}); None: tw_core's defaults. ValueError (naming
    /// the variants that are built) for one that is not.
    #[new]
    #[pyo3(signature = (seed = 1, *, rx_period_ps = 3103, clk_period_ps = 4000, awready_prob = 1.0,
                        wready_prob = 1.0, bresp_delay_max = 0, idle_prob = 0.0, line_rate_bps = None,
                        visibility_delay_max = 0, rtl = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        seed: u64,
        rx_period_ps: u64,
        clk_period_ps: u64,
        awready_prob: f64,
        wready_prob: f64,
        bresp_delay_max: u32,
        idle_prob: f64,
        line_rate_bps: Option<u64>,
        visibility_delay_max: u32,
        rtl: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let cfg = sim_config(
            seed,
            rx_period_ps,
            clk_period_ps,
            awready_prob,
            wready_prob,
            bresp_delay_max,
            idle_prob,
            line_rate_bps,
            visibility_delay_max,
            py_rtl(rtl)?,
        );
        let rtl = cfg.rtl.resolve().map_err(|e| PyValueError::new_err(e.to_string()))?;
        let c = cfg.clone();
        let card = py.detach(move || -> Result<SimCard, String> {
            let dev = StepDevice::new(c).map_err(|e| e.to_string())?;
            let card = DriverCard::open(dev).map_err(|e| e.to_string())?;
            // Like the model's default set-up: everything to ring 0 (feed 0, line A).
            card.deliver_all(0).map_err(|e| e.to_string())?;
            Ok(card)
        });
        let card = card.map_err(PyValueError::new_err)?;
        Ok(Card { card: std::sync::Arc::new(card), cfg, rtl })
    }

    /// The RTL parameters this card's model was built with: {"RINGS": 2, "RULES": 8,
    /// "FIFO_DEPTH": 16} (see rtl_variant for its name).
    #[getter]
    fn rtl<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        rtl_dict(py, self.rtl)
    }

    /// The name of the RTL variant this card's model was built with ("default", "small").
    #[getter]
    fn rtl_variant(&self) -> &'static str {
        self.rtl.name
    }

    /// The simulation knobs this card was built with.
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let c = &self.cfg;
        let d = PyDict::new(py);
        d.set_item("seed", c.seed)?;
        d.set_item("rx_period_ps", c.rx_period_ps)?;
        d.set_item("clk_period_ps", c.clk_period_ps)?;
        d.set_item("awready_prob", c.awready_prob)?;
        d.set_item("wready_prob", c.wready_prob)?;
        d.set_item("bresp_delay_max", c.bresp_delay_max)?;
        d.set_item("idle_prob", c.idle_prob)?;
        d.set_item("line_rate_bps", c.line_rate_bps)?;
        d.set_item("visibility_delay_max", c.visibility_delay_max)?;
        d.set_item("rtl", self.rtl.name)?;
        Ok(d)
    }

    #[getter]
    fn seed(&self) -> u64 {
        self.cfg.seed
    }

    /// What the driver read at open: id, version, build id, rings, rules, data_bytes.
    #[getter]
    fn info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let i = self.card.info();
        let d = PyDict::new(py);
        d.set_item("id", i.id)?;
        d.set_item("version_major", i.version_major)?;
        d.set_item("version_minor", i.version_minor)?;
        d.set_item("build_id", i.build_id)?;
        d.set_item("rings", i.rings)?;
        d.set_item("rules", i.rules)?;
        d.set_item("data_bytes", i.data_bytes)?;
        Ok(d)
    }

    /// Queue one frame (without FCS) on the MAC interface: bytes or anything bytes() accepts
    /// (a scapy packet). `mac_error` goes out as the MAC's error flag on the last beat. Only line 0
    /// (A) exists for now. Nothing moves until the clocks run.
    #[pyo3(signature = (frame, mac_error = false, line = 0))]
    fn send(&self, py: Python<'_>, frame: &Bound<'_, PyAny>, mac_error: bool, line: u8) -> PyResult<()> {
        check_line(line)?;
        let f = frame_bytes(frame)?;
        check_frame(&f)?;
        py.detach(|| self.dev().push_frames(vec![(f, mac_error)])).map_err(runtime)
    }

    /// Queue several frames in order (same `mac_error` and `line` for all).
    #[pyo3(signature = (frames, mac_error = false, line = 0))]
    fn send_many(&self, py: Python<'_>, frames: &Bound<'_, PyAny>, mac_error: bool, line: u8) -> PyResult<usize> {
        check_line(line)?;
        let mut v = Vec::new();
        for f in frames.try_iter()? {
            let f = frame_bytes(&f?)?;
            check_frame(&f)?;
            v.push((f, mac_error));
        }
        let n = v.len();
        py.detach(|| self.dev().push_frames(v)).map_err(runtime)?;
        Ok(n)
    }

    /// Run `n` clk cycles (250 MHz by default; rx_clk runs alongside). Returns the clk cycle count.
    fn run_cycles(&self, py: Python<'_>, n: u64) -> PyResult<u64> {
        let s = py.detach(|| self.dev().run_clk_cycles(n)).map_err(runtime)?;
        Ok(s.clk_cycles)
    }

    /// Run `n` rx_clk cycles. Returns the rx_clk cycle count.
    fn run_rx_cycles(&self, py: Python<'_>, n: u64) -> PyResult<u64> {
        let s = py.detach(|| self.dev().run_rx_cycles(n)).map_err(runtime)?;
        Ok(s.rx_cycles)
    }

    /// Run until every queued frame went in and neither frame beats nor DMA writes happened for
    /// `quiet_cycles` clk cycles. TimeoutError after `max_cycles` clk cycles.
    #[pyo3(signature = (quiet_cycles = QUIET_CYCLES, max_cycles = 50_000_000))]
    fn run_until_idle(&self, py: Python<'_>, quiet_cycles: u64, max_cycles: u64) -> PyResult<u64> {
        let idle = py.detach(|| self.dev().run_until_idle(quiet_cycles, max_cycles)).map_err(runtime)?;
        let s = py.detach(|| self.dev().stats()).map_err(runtime)?;
        if !idle {
            return Err(PyTimeoutError::new_err(format!(
                "the card did not go idle within {max_cycles} clk cycles (frames pending: {})",
                s.frames_pending
            )));
        }
        Ok(s.clk_cycles)
    }

    /// Whether every queued frame went in and neither frame beats nor DMA writes happened for
    /// `quiet_cycles` clk cycles. Runs no cycles.
    #[pyo3(signature = (quiet_cycles = QUIET_CYCLES))]
    fn is_idle(&self, py: Python<'_>, quiet_cycles: u64) -> PyResult<bool> {
        py.detach(|| self.dev().is_idle(quiet_cycles)).map_err(runtime)
    }

    /// One AXI4-Lite read at a BAR0 byte offset (use `csr_read("NAME")` for names).
    fn read32(&self, py: Python<'_>, offset: u32) -> PyResult<u32> {
        py.detach(|| self.dev().csr_read(offset)).map_err(runtime)
    }

    /// One AXI4-Lite write at a BAR0 byte offset.
    fn write32(&self, py: Python<'_>, offset: u32, value: u32) -> PyResult<()> {
        py.detach(|| self.dev().csr_write(offset, value)).map_err(runtime)
    }

    /// Set CTRL.rx_enable (driver: `Card::start`).
    fn start(&self, py: Python<'_>) {
        py.detach(|| self.card.start())
    }

    /// Clear CTRL.rx_enable (driver: `Card::stop_rx`).
    fn stop_rx(&self, py: Python<'_>) {
        py.detach(|| self.card.stop_rx())
    }

    /// STATUS.rx_idle.
    fn rx_idle(&self, py: Python<'_>) -> bool {
        py.detach(|| self.card.rx_idle())
    }

    /// Program the flow filter (driver: `Card::set_flow_table`): `rules` is a list of dicts
    /// {"dst_ip": "233.54.12.1", "dst_port": 26400 or None (any), "vlan": 12 or None (any),
    /// "src": "10.0.0.0/8" or None (any), "action": "drop" or {"feed": f, "line": 0|1, "ring": r}};
    /// `default` is the action for frames matching none. Returns the table version.
    #[pyo3(signature = (rules, default = None))]
    fn set_flow_table(&self, py: Python<'_>, rules: &Bound<'_, PyList>, default: Option<&Bound<'_, PyAny>>) -> PyResult<u32> {
        let mut rs = Vec::new();
        for r in rules.iter() {
            rs.push(py_rule(&r)?);
        }
        let default = match default {
            None => FlowAction::Drop,
            Some(a) => py_action(a)?,
        };
        py.detach(|| self.card.set_flow_table(&rs, default)).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Deliver every frame to `ring` as feed 0, line A (the set-up a new Card starts with).
    #[pyo3(signature = (ring = 0))]
    fn deliver_all(&self, py: Python<'_>, ring: usize) -> PyResult<u32> {
        py.detach(|| self.card.deliver_all(ring)).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Per-rule hit counters of the active flow table.
    fn flow_hits(&self, py: Python<'_>) -> Vec<u32> {
        py.detach(|| self.card.flow_hits())
    }

    /// Ring `ring`'s ITCH filters (driver: `Card::set_itch_filter`): `types` are the ITCH type
    /// letters the ring takes (e.g. "SRAFEXDUP"; None: all 23), `raw` whether it takes raw
    /// records, `locate_types` the letters whose stock_locate must also be in `locates` (an
    /// iterable of locates; other types always pass the bitmap). Writes the whole bitmap.
    #[pyo3(signature = (ring, types = None, raw = true, locate_types = "", locates = Vec::new()))]
    fn set_itch_filter(&self, py: Python<'_>, ring: usize, types: Option<&str>, raw: bool, locate_types: &str, locates: Vec<u16>) -> PyResult<()> {
        let mask = |letters: &str| -> PyResult<u32> {
            letters.bytes().try_fold(0u32, |m, c| {
                tickwire::filter::type_bit(c)
                    .map(|b| m | 1 << b)
                    .ok_or_else(|| PyValueError::new_err(format!("{:?} is not an ITCH 5.0 message type", c as char)))
            })
        };
        let mut f = tickwire::filter::ItchFilter {
            types: match types {
                None => tickwire::filter::ALL_TYPES & !(1 << tickwire::filter::RAW_BIT),
                Some(t) => mask(t)?,
            } | if raw { 1 << tickwire::filter::RAW_BIT } else { 0 },
            locate_types: mask(locate_types)?,
            ..Default::default()
        };
        for l in locates {
            f.locates.set(l, true);
        }
        py.detach(|| self.card.set_itch_filter(ring, &f)).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Write words of ring `ring`'s locate bitmap from word `first` (driver:
    /// `Card::write_locate_words`; word w holds locates 32w..32w+31, locate 32w+b in bit b).
    fn write_locate_words(&self, py: Python<'_>, ring: usize, first: usize, words: Vec<u32>) -> PyResult<()> {
        if first + words.len() > tickwire::filter::LOCATE_WORDS {
            return Err(PyValueError::new_err(format!("words {first}..{} past the bitmap's {}", first + words.len(), tickwire::filter::LOCATE_WORDS)));
        }
        py.detach(|| self.card.write_locate_words(ring, first, &words)).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// CTRL.drop_unknown (driver: `Card::set_drop_unknown`).
    fn set_drop_unknown(&self, py: Python<'_>, drop: bool) {
        py.detach(|| self.card.set_drop_unknown(drop))
    }

    /// Hold mode on/off (driver: `Card::set_hold`; receive must be stopped and idle).
    fn set_hold(&self, py: Python<'_>, hold: bool) {
        py.detach(|| self.card.set_hold(hold))
    }

    /// MAX_FRAME: longest frame accepted in bytes without FCS (0: no limit).
    fn set_max_frame(&self, py: Python<'_>, bytes: u16) {
        py.detach(|| self.card.set_max_frame(bytes))
    }

    /// Allocate, program and enable ring `index` (driver: `Card::open_ring`).
    #[pyo3(signature = (index = 0, slots = 1024))]
    fn open_ring(&self, py: Python<'_>, index: usize, slots: u32) -> PyResult<PyRing> {
        let ring = py.detach(|| self.card.open_ring(index, slots)).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(PyRing { ring: Some(ring), card: self.card.clone(), index })
    }

    /// Ring `index`'s registers as a dict (prod, cons, drops, idle, cfg_error, dma_error).
    fn ring_status<'py>(&self, py: Python<'py>, index: usize) -> PyResult<Bound<'py, PyDict>> {
        let s = py.detach(|| self.card.ring_status(index));
        ring_status_dict(py, &s)
    }

    /// Every card counter by register name, lower case (driver: `Card::counters`).
    fn counters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let c = py.detach(|| self.card.counters());
        counters_dict(py, &c)
    }

    /// Simulation time, cycles, frames sent and pending, DMA writes, IOMMU violations.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = py.detach(|| self.dev().stats()).map_err(runtime)?;
        stats_dict(py, &s)
    }

    /// clk cycles since reset.
    #[getter]
    fn clk_cycles(&self, py: Python<'_>) -> PyResult<u64> {
        Ok(py.detach(|| self.dev().stats()).map_err(runtime)?.clk_cycles)
    }

    /// rx_clk cycles since reset.
    #[getter]
    fn rx_cycles(&self, py: Python<'_>) -> PyResult<u64> {
        Ok(py.detach(|| self.dev().stats()).map_err(runtime)?.rx_cycles)
    }

    /// Simulation time in ps.
    #[getter]
    fn time_ps(&self, py: Python<'_>) -> PyResult<u64> {
        Ok(py.detach(|| self.dev().stats()).map_err(runtime)?.time_ps)
    }

    /// DMA writes that hit no mapped window: list of dicts (addr, len, clk_cycle). Must be empty.
    fn violations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let l = PyList::empty(py);
        for v in self.dev().violations() {
            let d = PyDict::new(py);
            d.set_item("addr", v.addr)?;
            d.set_item("len", v.len)?;
            d.set_item("clk_cycle", v.clk_cycle)?;
            l.append(d)?;
        }
        Ok(l)
    }

    /// Dump waveforms from now on to `path` (the model must be built with TICKWIRE_SIM_TRACE=vcd
    /// or =1; see `trace_format()`).
    fn trace(&self, py: Python<'_>, path: std::path::PathBuf) -> PyResult<()> {
        py.detach(|| self.dev().trace(path)).map_err(runtime)
    }
}

/// A ring being consumed by the driver's `Ring` (zero-copy poll, batched CONS writes).
#[pyclass(name = "Ring", module = "tickwire_sim")]
struct PyRing {
    ring: Option<Ring<StepDevice>>,
    card: std::sync::Arc<SimCard>,
    index: usize,
}

impl PyRing {
    fn ring(&mut self) -> PyResult<&mut Ring<StepDevice>> {
        self.ring
            .as_mut()
            .ok_or_else(|| PyRuntimeError::new_err(format!("ring {} is closed", self.index)))
    }
}

#[pymethods]
impl PyRing {
    #[getter]
    fn index(&self) -> usize {
        self.index
    }

    #[getter]
    fn slots(&mut self) -> PyResult<u32> {
        Ok(self.ring()?.slots())
    }

    /// Ticks consumed since the ring was enabled.
    #[getter]
    fn consumed(&mut self) -> PyResult<u32> {
        Ok(self.ring()?.consumed())
    }

    /// Device address of slot 0.
    #[getter]
    fn iova(&mut self) -> PyResult<u64> {
        Ok(self.ring()?.iova())
    }

    /// The next tick if the card has written it, else None. Consuming counts towards the batch
    /// after which CONS is written; an empty poll returns every consumed slot at once (one CSR
    /// write, so the clocks run for it).
    fn poll(&mut self, py: Python<'_>) -> PyResult<Option<Tick>> {
        let ring = self.ring()?;
        Ok(py.detach(|| ring.poll()).map(|rec| Tick { rec }))
    }

    /// Every tick written so far (at most `max`), in order.
    #[pyo3(signature = (max = None))]
    fn poll_all(&mut self, py: Python<'_>, max: Option<usize>) -> PyResult<Vec<Tick>> {
        let ring = self.ring()?;
        let limit = max.unwrap_or(usize::MAX);
        Ok(py.detach(|| {
            let mut v = Vec::new();
            while v.len() < limit {
                match ring.poll() {
                    Some(rec) => v.push(Tick { rec }),
                    None => break,
                }
            }
            v
        }))
    }

    /// Return every consumed slot to the card now (one CONS write).
    fn release(&mut self, py: Python<'_>) -> PyResult<()> {
        let ring = self.ring()?;
        py.detach(|| ring.release());
        Ok(())
    }

    /// How many consumed slots go back per CONS write (1..=slots; default slots/4, at most 256).
    fn set_batch(&mut self, batch: u32) -> PyResult<()> {
        self.ring()?.set_batch(batch);
        Ok(())
    }

    /// Quiesce (disable, wait for idle) and free the ring (driver: `Card::close_ring`); returns
    /// its registers after quiesce.
    #[pyo3(signature = (timeout_s = 10.0))]
    fn close<'py>(&mut self, py: Python<'py>, timeout_s: f64) -> PyResult<Bound<'py, PyDict>> {
        let ring = self
            .ring
            .take()
            .ok_or_else(|| PyRuntimeError::new_err(format!("ring {} is closed", self.index)))?;
        let card = self.card.clone();
        let s = py
            .detach(move || card.close_ring(ring, Duration::from_secs_f64(timeout_s)))
            .map_err(runtime)?;
        ring_status_dict(py, &s)
    }

    #[getter]
    fn closed(&self) -> bool {
        self.ring.is_none()
    }
}

/// A NASDAQ-like feed from the Rust generator (`tickwire gen`): list of Ethernet frames (bytes).
#[pyfunction]
#[pyo3(signature = (messages, seed = 1, vlan = None, symbols = 8, heartbeats = false))]
fn generate_frames<'py>(
    py: Python<'py>,
    messages: usize,
    seed: u64,
    vlan: Option<u16>,
    symbols: usize,
    heartbeats: bool,
) -> PyResult<Bound<'py, PyList>> {
    let cfg = GenConfig { seed, messages, vlan, symbols, heartbeats, ..GenConfig::default() };
    let packets = gen::generate(&cfg).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let frames = gen::to_frames(&cfg, &packets).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let l = PyList::empty(py);
    for f in frames {
        l.append(PyBytes::new(py, &f.data))?;
    }
    Ok(l)
}

/// Run frames through `tickwire::replay::replay`: the Rust end-to-end path (free-running
/// `SimDevice` in its own thread, `Card`, ring 0 polled while the card runs), as
/// host/tickwire/tests/sim_e2e.rs and `tickwire replay` use it. Returns (ticks, summary).
#[pyfunction]
#[pyo3(signature = (frames, seed = 1, *, ring_slots = 4096, rx_period_ps = 3103, clk_period_ps = 4000,
                    awready_prob = 1.0, wready_prob = 1.0, bresp_delay_max = 0, idle_prob = 0.0,
                    line_rate_bps = None, visibility_delay_max = 0, rtl = None))]
#[allow(clippy::too_many_arguments)]
fn rust_replay<'py>(
    py: Python<'py>,
    frames: &Bound<'py, PyAny>,
    seed: u64,
    ring_slots: u32,
    rx_period_ps: u64,
    clk_period_ps: u64,
    awready_prob: f64,
    wready_prob: f64,
    bresp_delay_max: u32,
    idle_prob: f64,
    line_rate_bps: Option<u64>,
    visibility_delay_max: u32,
    rtl: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Vec<Tick>, Bound<'py, PyDict>)> {
    let mut v = Vec::new();
    for f in frames.try_iter()? {
        let f = frame_bytes(&f?)?;
        check_frame(&f)?;
        v.push((f, false));
    }
    let sim = sim_config(
        seed,
        rx_period_ps,
        clk_period_ps,
        awready_prob,
        wready_prob,
        bresp_delay_max,
        idle_prob,
        line_rate_bps,
        visibility_delay_max,
        py_rtl(rtl)?,
    );
    sim.rtl.resolve().map_err(|e| PyValueError::new_err(e.to_string()))?;
    let opts = ReplayOptions { sim, ring_slots, ..ReplayOptions::default() };
    let (ticks, summary) = py
        .detach(move || {
            let mut ticks = Vec::new();
            replay::replay(v, &opts, |t| ticks.push(Tick { rec: t.record })).map(|s| (ticks, s))
        })
        .map_err(runtime)?;
    let d = PyDict::new(py);
    d.set_item("ticks", summary.ticks)?;
    d.set_item("event_records", summary.event_records)?;
    d.set_item("gap_events", summary.gap_events)?;
    d.set_item("gap_messages", summary.gap_messages)?;
    d.set_item("late_messages", summary.late_messages)?;
    d.set_item("loss_flags", summary.loss_flags)?;
    d.set_item("counters", counters_dict(py, &summary.counters)?)?;
    d.set_item("ring", ring_status_dict(py, &summary.rings[0].1)?)?;
    d.set_item("frames_bad", summary.gate.frames_bad)?;
    d.set_item("iommu_violations", summary.iommu_violations)?;
    Ok((ticks, d))
}

/// Decode an ITCH 5.0 message (or the first bytes of one whose full length is `full_len`) with
/// the Rust decoder; returns a dict of fields.
#[pyfunction]
#[pyo3(signature = (message, full_len = None))]
fn decode_itch<'py>(py: Python<'py>, message: &[u8], full_len: Option<usize>) -> PyResult<Bound<'py, PyAny>> {
    decode_to_py(py, message, full_len.unwrap_or(message.len()))
}

/// The RTL variants the simulated card is built with, by name: {"default": {"RINGS": 4, ...},
/// "small": {...}} (the table is RTL_VARIANTS in sim/src/rtl_variants.rs).
#[pyfunction]
fn rtl_variants<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for v in RTL_VARIANTS {
        d.set_item(v.name, rtl_dict(py, v)?)?;
    }
    Ok(d)
}

/// "vcd" or "fst" when the model was built with TICKWIRE_SIM_TRACE, else None.
#[pyfunction]
fn trace_format() -> Option<&'static str> {
    Sim::trace_format()
}

#[pymodule]
#[pyo3(name = "_native")]
fn tickwire_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Card>()?;
    m.add_class::<PyRing>()?;
    m.add_class::<Tick>()?;
    m.add_function(wrap_pyfunction!(generate_frames, m)?)?;
    m.add_function(wrap_pyfunction!(rust_replay, m)?)?;
    m.add_function(wrap_pyfunction!(decode_itch, m)?)?;
    m.add_function(wrap_pyfunction!(trace_format, m)?)?;
    m.add_function(wrap_pyfunction!(rtl_variants, m)?)?;
    // The register map's one source, exactly as this build's RTL was generated from it.
    m.add("REGMAP_RDL", include_str!("../../../hdl/regs/tw_regs.rdl"))?;
    m.add("QUIET_CYCLES", QUIET_CYCLES)?;
    m.add("TICK_BYTES", TICK_BYTES)?;
    m.add("TICK_RAW_MAX", TICK_RAW_MAX)?;
    m.add("FLAG_LATE", FLAG_LATE)?;
    m.add("FLAG_RAW", FLAG_RAW)?;
    m.add("FLAG_LINE_B", FLAG_LINE_B)?;
    m.add("FLAG_TRUNCATED", FLAG_TRUNCATED)?;
    m.add("FLAG_EVENT", FLAG_EVENT)?;
    m.add("FLAG_GAP", FLAG_GAP)?;
    m.add("EVENT_NEW_SESSION", EVENT_NEW_SESSION)?;
    m.add("EVENT_GAP", EVENT_GAP)?;
    m.add("EVENT_END_OF_SESSION", EVENT_END_OF_SESSION)?;
    m.add("FLAG_LOSS", FLAG_LOSS)?;
    m.add("FLAG_FRAME_END", FLAG_FRAME_END)?;
    m.add("FLAG_FRAME_BAD", FLAG_FRAME_BAD)?;
    m.add("FLAG_VERDICT", FLAG_VERDICT)?;
    Ok(())
}
