// SPDX-License-Identifier: Apache-2.0
//! [`Sim`]: the Verilated `tw_core`, its two clocks on a picosecond timeline, and the bus models.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::axi_slave::{AxiSlaveConfig, AxiWriteReq, AxiWriteSlave, DmaWriteEvent, RESP_OKAY};
use crate::axil_master::{AxilMaster, AxilReq, AxilResult, AxilRsp, AxilWriteOrder};
use crate::ffi::{self, Inputs, Model, ModelError, Outputs};
use crate::frame_source::{AxisBeat, FrameSource, FrameSourceConfig};
use crate::memory::HostMemory;
use crate::rtl_variants::RtlVariant;
use crate::{RtlParams, SimError};

/// Cycles of each clock that both resets are held for by [`Sim::new`].
pub const RESET_CYCLES: u64 = 16;
/// clk cycles a CSR access may take before it fails with [`SimError::CsrTimeout`].
pub const CSR_TIMEOUT_CYCLES: u64 = 10_000;
/// Size of the CSR window (AXIL_ADDR_W = 13).
pub const CSR_SPACE: u32 = 1 << 14;

/// Simulation knobs. Every random choice (initial flop values, backpressure, idles, B delays)
/// derives from `seed`: same seed and same inputs, same run.
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    pub seed: u64,
    /// rx_clk period; default 3103 ps (322.265625 MHz).
    pub rx_period_ps: u64,
    /// clk period; default 4000 ps (250 MHz).
    pub clk_period_ps: u64,
    /// The rx_clk oscillator is off by this many parts per billion (positive: fast, its period
    /// is `rx_period_ps / (1 + ppb * 1e-9)`): a card clock that the host must discipline. The
    /// simulation keeps time in femtoseconds so that offsets down to a few ppb are exact.
    pub rx_offset_ppb: i64,
    /// Probability the host-memory slave asserts awready in a cycle (1.0 = always).
    pub awready_prob: f64,
    pub wready_prob: f64,
    /// Random 0..=max clk cycles between a complete write and its B response.
    pub bresp_delay_max: u32,
    /// Frame source: probability of an idle cycle before a beat (inside and between frames).
    pub idle_prob: f64,
    /// Some(bps): pace frames to this line rate (8 preamble + 12 IFG + 4 FCS bytes counted per
    /// frame); None: back to back.
    pub line_rate_bps: Option<u64>,
    /// Host memory: each 8-byte word of a DMA write becomes visible to the host 0..=max clk
    /// cycles after the write is accepted, the last word no earlier than the others (the ordering
    /// assumption); 0 = at once. See `HostMemory::set_visibility_delay`.
    pub visibility_delay_max: u32,
    /// Negative control for tests only: the last word of each write becomes visible first
    /// (breaks the ordering assumption; needs `visibility_delay_max > 0`).
    pub break_ordering: bool,
    /// The RTL parameters of `tw_core` (one of the variants built, see [`crate::RTL_VARIANTS`]);
    /// default: `tw_core`'s defaults. `RtlParams::variant("small")` or
    /// `RtlParams::values([("RINGS", 2), ("RULES", 8), ("FIFO_DEPTH", 16)])`.
    pub rtl: RtlParams,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 1,
            rx_period_ps: 3103,
            clk_period_ps: 4000,
            rx_offset_ppb: 0,
            awready_prob: 1.0,
            wready_prob: 1.0,
            bresp_delay_max: 0,
            idle_prob: 0.0,
            line_rate_bps: None,
            visibility_delay_max: 0,
            break_ordering: false,
            rtl: RtlParams::default(),
        }
    }
}

impl SimConfig {
    /// The configuration is in range; returns the RTL variant it names.
    fn check(&self) -> Result<&'static RtlVariant, SimError> {
        let bad = |what: &str| Err(SimError::Config(what.to_string()));
        if self.rx_period_ps < 2 || self.clk_period_ps < 2 {
            return bad("clock periods must be at least 2 ps");
        }
        if self.rx_offset_ppb.abs() > 10_000_000 {
            return bad("rx_offset_ppb must be within +-1% (+-10_000_000 ppb)");
        }
        let prob_ok = |p: f64| p > 0.0 && p <= 1.0;
        if !prob_ok(self.awready_prob) || !prob_ok(self.wready_prob) {
            return bad("awready_prob and wready_prob must be in (0, 1]");
        }
        if !(0.0..1.0).contains(&self.idle_prob) {
            return bad("idle_prob must be in [0, 1)");
        }
        if self.line_rate_bps == Some(0) {
            return bad("line_rate_bps must not be Some(0)");
        }
        self.rtl.resolve()
    }
}

/// Counters of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SimStats {
    pub time_ps: u64,
    pub clk_cycles: u64,
    pub rx_cycles: u64,
    pub frames_sent: u64,
    pub frames_pending: usize,
    /// Complete DMA writes (OKAY or DECERR).
    pub dma_writes: u64,
    /// Writes that hit no window.
    pub violations: usize,
    /// Interrupt pulses seen on tw_core's irq output, per ring.
    pub irqs: [u64; 32],
}

/// Derive independent seeds for the parts from the one seed (splitmix64).
fn sub_seed(seed: u64, n: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15u64.wrapping_mul(n + 1));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The simulated card: owns the Verilator model (single-threaded, not `Send`).
pub struct Sim {
    model: Model,
    rtl: &'static RtlVariant,
    cfg: SimConfig,
    inputs: Inputs,
    outputs: Outputs,
    /// Inputs or a clock changed since the last eval.
    dirty: bool,
    rx_clk: bool,
    clk: bool,
    /// Simulated time and edge times, in femtoseconds.
    time_fs: u64,
    rx_period_fs: u64,
    clk_period_fs: u64,
    /// `time_fs / 1000`, shared with other threads (the simulated host's clock).
    clock: Arc<AtomicU64>,
    rx_next_rise: u64,
    rx_next_fall: u64,
    clk_next_rise: u64,
    clk_next_fall: u64,
    rx_cycles: u64,
    clk_cycles: u64,
    frames: FrameSource,
    axil: AxilMaster,
    write_order: AxilWriteOrder,
    slave: AxiWriteSlave,
    memory: Arc<HostMemory>,
    irqs: [u64; 32],
    last_axi_activity: u64,
    last_frame_activity: u64,
    observer: Option<Box<dyn FnMut(DmaWriteEvent) + Send>>,
    tracing: bool,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("cfg", &self.cfg)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl Sim {
    /// Build the model (flops at random values from the seed), hold `rst` and `rx_rst` for
    /// [`RESET_CYCLES`] cycles of each clock, release them, and return.
    pub fn new(cfg: SimConfig) -> Result<Sim, SimError> {
        let rtl = cfg.check()?;
        let rx_period_fs = (cfg.rx_period_ps as i128 * 1000 * 1_000_000_000
            / (1_000_000_000 + cfg.rx_offset_ppb as i128)) as u64;
        let clk_period_fs = cfg.clk_period_ps * 1000;
        let model = Model::new(rtl.name, sub_seed(cfg.seed, 0))
            .map_err(|e| SimError::Model(format!("{e:?}")))?;
        let memory = HostMemory::new();
        memory.set_visibility_delay(cfg.visibility_delay_max);
        memory.set_break_ordering(cfg.break_ordering);
        let slave_cfg = AxiSlaveConfig {
            awready_prob: cfg.awready_prob,
            wready_prob: cfg.wready_prob,
            bresp_delay_max: cfg.bresp_delay_max,
            ..AxiSlaveConfig::default()
        };
        let frames = FrameSource::new(
            FrameSourceConfig {
                idle_prob: cfg.idle_prob,
                line_rate_bps: cfg.line_rate_bps,
                rx_period_ps: cfg.rx_period_ps,
            },
            sub_seed(cfg.seed, 1),
        );
        let slave = AxiWriteSlave::new(slave_cfg, memory.clone(), sub_seed(cfg.seed, 2));
        let mut sim = Sim {
            model,
            rtl,
            inputs: Inputs {
                rst: 1,
                rx_rst: 1,
                ..Inputs::default()
            },
            outputs: Outputs::default(),
            dirty: true,
            rx_clk: false,
            clk: false,
            time_fs: 0,
            rx_period_fs,
            clk_period_fs,
            clock: Arc::new(AtomicU64::new(0)),
            rx_next_rise: rx_period_fs,
            rx_next_fall: rx_period_fs + rx_period_fs / 2,
            clk_next_rise: clk_period_fs,
            clk_next_fall: clk_period_fs + clk_period_fs / 2,
            rx_cycles: 0,
            clk_cycles: 0,
            frames,
            axil: AxilMaster::new(),
            write_order: AxilWriteOrder::Together,
            slave,
            memory,
            irqs: [0; 32],
            last_axi_activity: 0,
            last_frame_activity: 0,
            observer: None,
            tracing: false,
            cfg,
        };
        sim.apply_clk_inputs();
        sim.apply_rx_inputs();
        sim.eval();
        while sim.inputs.rst != 0 || sim.inputs.rx_rst != 0 {
            sim.step();
        }
        Ok(sim)
    }

    pub fn config(&self) -> &SimConfig {
        &self.cfg
    }

    /// The RTL variant this card was built with (its name and parameter values).
    pub fn rtl(&self) -> &'static RtlVariant {
        self.rtl
    }

    /// Queue a frame (without FCS) on the MAC stream; `mac_error` goes out as `tuser` on its last
    /// beat. Panics on an empty frame.
    pub fn push_frame(&mut self, frame: &[u8], mac_error: bool) {
        self.frames.push(frame.to_vec(), mac_error);
    }

    /// Frames queued or being sent.
    pub fn frames_pending(&self) -> usize {
        self.frames.pending()
    }

    /// Frames whose last beat has been sent.
    /// Start (or stop) logging every MAC beat the core takes ([`BeatTaken`]), for latency
    /// measurements; [`Sim::take_beat_log`] collects them.
    pub fn log_beats(&mut self, on: bool) {
        self.frames.log_beats(on);
    }

    /// The beats taken since the last call.
    pub fn take_beat_log(&mut self) -> Vec<crate::BeatTaken> {
        self.frames.take_beat_log()
    }

    /// Time of the `n`-th rising edge of clk (the edge `clk_cycles` counts as `n`), in ps; a
    /// [`DmaWriteEvent`]'s `aw_cycle` is the edge that first saw AWVALID high, so the edge that
    /// raised it is `aw_cycle - 1`.
    pub fn clk_edge_time_ps(&self, n: u64) -> u64 {
        n * self.clk_period_fs / 1000
    }

    pub fn frames_sent(&self) -> u64 {
        self.frames.frames_sent()
    }

    /// Advance to the next rising edge of either clock (both, when they coincide), run the bus
    /// models of the clock(s) that ticked, and drive their next inputs.
    pub fn step(&mut self) {
        loop {
            let t = self
                .rx_next_rise
                .min(self.rx_next_fall)
                .min(self.clk_next_rise)
                .min(self.clk_next_fall);
            self.time_fs = t;
            self.clock.store(t / 1000, Ordering::Relaxed);
            if self.rx_next_fall == t {
                self.rx_clk = false;
                self.rx_next_fall += self.rx_period_fs;
                self.dirty = true;
            }
            if self.clk_next_fall == t {
                self.clk = false;
                self.clk_next_fall += self.clk_period_fs;
                self.dirty = true;
            }
            let rx_rise = self.rx_next_rise == t;
            let clk_rise = self.clk_next_rise == t;
            if !rx_rise && !clk_rise {
                if self.tracing {
                    self.eval();
                }
                continue;
            }
            // Settle (clocks low, latest inputs), then sample what the bus models see at the edge.
            // (A waveform gets one dump per time stamp: the settle state goes 1 ps before the edge.)
            if self.dirty {
                self.eval_at(if self.tracing { t / 1000 - 1 } else { t / 1000 });
            }
            let sampled = self.outputs;
            let rx_in_reset = self.inputs.rx_rst != 0;
            let clk_in_reset = self.inputs.rst != 0;
            if rx_rise {
                self.rx_clk = true;
                self.rx_next_rise += self.rx_period_fs;
            }
            if clk_rise {
                self.clk = true;
                self.clk_next_rise += self.clk_period_fs;
            }
            self.eval();
            if rx_rise {
                self.rx_cycles += 1;
                self.on_rx_edge(rx_in_reset);
            }
            if clk_rise {
                self.clk_cycles += 1;
                self.on_clk_edge(&sampled, clk_in_reset);
            }
            self.dirty = true;
            if self.tracing {
                // New inputs show 1 ps after the edge.
                self.eval_at(t / 1000 + 1);
            }
            return;
        }
    }

    fn on_rx_edge(&mut self, in_reset: bool) {
        if in_reset {
            if self.rx_cycles >= RESET_CYCLES {
                self.inputs.rx_rst = 0;
            }
            return;
        }
        self.frames.clock(self.time_fs / 1000);
        if self.frames.drive().tvalid {
            self.last_frame_activity = self.clk_cycles;
        }
        self.apply_rx_inputs();
    }

    fn on_clk_edge(&mut self, sampled: &Outputs, in_reset: bool) {
        if in_reset {
            // Outputs are not meaningful before the reset has taken effect: models stay idle.
            if self.clk_cycles >= RESET_CYCLES {
                self.inputs.rst = 0;
            }
            return;
        }
        let m = axi_req(sampled);
        let cycle = self.clk_cycles;
        self.slave.clock(&m, cycle);
        for (r, n) in self.irqs.iter_mut().enumerate() {
            *n += u64::from(sampled.irq >> r & 1);
        }
        self.memory.advance(cycle);
        if let Some(obs) = self.observer.as_mut() {
            for ev in self.slave.take_events() {
                obs(ev);
            }
        }
        self.axil.clock(&axil_rsp(sampled), cycle);
        if m.awvalid || m.wvalid || self.slave.busy() || self.memory.has_pending() {
            self.last_axi_activity = cycle;
        }
        self.apply_clk_inputs();
    }

    fn apply_rx_inputs(&mut self) {
        let b: AxisBeat = self.frames.drive();
        self.inputs.s_axis_tdata = b.tdata;
        self.inputs.s_axis_tkeep = b.tkeep;
        self.inputs.s_axis_tvalid = b.tvalid as u8;
        self.inputs.s_axis_tlast = b.tlast as u8;
        self.inputs.s_axis_tuser = b.tuser as u8;
        self.dirty = true;
    }

    fn apply_clk_inputs(&mut self) {
        let a: AxilReq = self.axil.drive();
        let i = &mut self.inputs;
        i.s_axil_awvalid = a.awvalid as u8;
        i.s_axil_awaddr = a.awaddr;
        i.s_axil_awprot = a.awprot;
        i.s_axil_wvalid = a.wvalid as u8;
        i.s_axil_wdata = a.wdata;
        i.s_axil_wstrb = a.wstrb;
        i.s_axil_bready = a.bready as u8;
        i.s_axil_arvalid = a.arvalid as u8;
        i.s_axil_araddr = a.araddr;
        i.s_axil_arprot = a.arprot;
        i.s_axil_rready = a.rready as u8;
        let s = self.slave.drive();
        i.m_axi_awready = s.awready as u8;
        i.m_axi_wready = s.wready as u8;
        i.m_axi_bvalid = s.bvalid as u8;
        i.m_axi_bid = s.bid;
        i.m_axi_bresp = s.bresp;
        self.dirty = true;
    }

    fn eval(&mut self) {
        self.eval_at(self.time_fs / 1000);
    }

    fn eval_at(&mut self, time_ps: u64) {
        let stopped = self.model.eval(
            &self.inputs,
            self.rx_clk,
            self.clk,
            time_ps,
            &mut self.outputs,
        );
        self.dirty = false;
        if stopped {
            if self.tracing {
                self.model.trace_flush();
            }
            panic!(
                "tw_core stopped the simulation ($finish/$stop/$error/$fatal: see its message on stdout) at {} ps, clk cycle {}, rx_clk cycle {} (seed {})",
                self.time_fs / 1000, self.clk_cycles, self.rx_cycles, self.cfg.seed
            );
        }
    }

    /// Run until `n` more rising edges of clk have happened.
    pub fn run_clk_cycles(&mut self, n: u64) {
        let target = self.clk_cycles + n;
        while self.clk_cycles < target {
            self.step();
        }
    }

    /// Run until `n` more rising edges of rx_clk have happened.
    pub fn run_rx_cycles(&mut self, n: u64) {
        let target = self.rx_cycles + n;
        while self.rx_cycles < target {
            self.step();
        }
    }

    /// How the CSR master orders AW and W of a write (default: together).
    pub fn set_csr_write_order(&mut self, order: AxilWriteOrder) {
        self.write_order = order;
    }

    fn check_csr_addr(addr: u32) -> Result<u16, SimError> {
        if addr >= CSR_SPACE || !addr.is_multiple_of(4) {
            return Err(SimError::CsrAddress { addr });
        }
        Ok(addr as u16)
    }

    fn csr_wait(&mut self, op: &'static str, addr: u32) -> Result<AxilResult, SimError> {
        self.apply_clk_inputs();
        let start = self.clk_cycles;
        loop {
            self.step();
            if let Some(r) = self.axil.take_result() {
                return Ok(r);
            }
            if self.clk_cycles - start >= CSR_TIMEOUT_CYCLES {
                let channel = self.axil.waiting_for();
                // Not AXI-legal (valid dropped before ready) but the transaction is lost anyway.
                self.axil.abort();
                self.apply_clk_inputs();
                return Err(SimError::CsrTimeout {
                    op,
                    addr,
                    channel,
                    cycles: CSR_TIMEOUT_CYCLES,
                });
            }
        }
    }

    /// One AXI4-Lite write (all strobes); runs the clocks until B. Non-OKAY is an error.
    pub fn csr_write(&mut self, addr: u32, value: u32) -> Result<(), SimError> {
        let a = Self::check_csr_addr(addr)?;
        self.axil.start_write(a, value, 0xf, self.write_order);
        match self.csr_wait("write", addr)? {
            AxilResult::Write { resp: RESP_OKAY } => Ok(()),
            AxilResult::Write { resp } | AxilResult::Read { resp, .. } => {
                Err(SimError::CsrResponse {
                    op: "write",
                    addr,
                    resp,
                })
            }
        }
    }

    /// One AXI4-Lite read; runs the clocks until R. Non-OKAY is an error.
    pub fn csr_read(&mut self, addr: u32) -> Result<u32, SimError> {
        let a = Self::check_csr_addr(addr)?;
        self.axil.start_read(a);
        let r = self.csr_wait("read", addr)?;
        // PCIe: a read completion does not pass the card's earlier posted writes.
        self.memory.flush(self.clk_cycles);
        match r {
            AxilResult::Read {
                data,
                resp: RESP_OKAY,
            } => Ok(data),
            AxilResult::Read { resp, .. } | AxilResult::Write { resp } => {
                Err(SimError::CsrResponse {
                    op: "read",
                    addr,
                    resp,
                })
            }
        }
    }

    /// The host memory behind the DMA slave (map DMA buffers here).
    pub fn memory(&self) -> &Arc<HostMemory> {
        &self.memory
    }

    /// Simulated time in picoseconds.
    pub fn time_ps(&self) -> u64 {
        self.time_fs / 1000
    }

    /// Simulated time in picoseconds, readable from any thread while the simulation runs (the
    /// simulated host's clock: the sim's `SimDevice` reads it as the host's time).
    pub fn clock(&self) -> Arc<AtomicU64> {
        self.clock.clone()
    }

    pub fn rx_cycles(&self) -> u64 {
        self.rx_cycles
    }

    pub fn clk_cycles(&self) -> u64 {
        self.clk_cycles
    }

    /// clk cycles since the last AXI write activity (AWVALID or WVALID high, or an accepted write
    /// not yet answered on B).
    pub fn axi_idle_cycles(&self) -> u64 {
        self.clk_cycles - self.last_axi_activity
    }

    /// clk cycles since the last AXI write activity or the last frame beat, whichever is later.
    pub fn idle_cycles(&self) -> u64 {
        self.clk_cycles - self.last_axi_activity.max(self.last_frame_activity)
    }

    /// No frame pending and [`Sim::idle_cycles`] at least `quiet_cycles`.
    pub fn is_idle(&self, quiet_cycles: u64) -> bool {
        self.frames_pending() == 0 && self.idle_cycles() >= quiet_cycles
    }

    /// Complete DMA writes so far (OKAY or DECERR).
    pub fn dma_writes(&self) -> u64 {
        self.slave.writes()
    }

    /// Call `f` for every complete DMA write (address, AWVALID cycle, data, ...).
    pub fn on_dma_write(&mut self, f: Box<dyn FnMut(DmaWriteEvent) + Send>) {
        self.observer = Some(f);
        self.slave.set_record(true);
    }

    pub fn stats(&self) -> SimStats {
        SimStats {
            time_ps: self.time_fs / 1000,
            clk_cycles: self.clk_cycles,
            rx_cycles: self.rx_cycles,
            frames_sent: self.frames.frames_sent(),
            frames_pending: self.frames.pending(),
            dma_writes: self.slave.writes(),
            violations: self.memory.violation_count(),
            irqs: self.irqs,
        }
    }

    /// Which waveform format this build can write: Some("fst"/"vcd") when built with
    /// `TICKWIRE_SIM_TRACE=1`/`fst`/`vcd`, else None.
    pub fn trace_format() -> Option<&'static str> {
        ffi::trace_kind()
    }

    /// Dump waveforms of everything from now on to `path` (see [`Sim::trace_format`]).
    pub fn trace(&mut self, path: impl AsRef<Path>) -> Result<(), SimError> {
        let path = path.as_ref();
        self.model.trace_open(path).map_err(|e| SimError::Trace {
            path: path.to_path_buf(),
            reason: match e {
                ModelError::TraceNotBuilt => "the model was built without tracing: rebuild with TICKWIRE_SIM_TRACE=1 (fst) or =vcd".into(),
                other => format!("{other:?}"),
            },
        })?;
        self.tracing = true;
        Ok(())
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if self.tracing {
            self.model.trace_flush();
        }
    }
}

fn axi_req(o: &Outputs) -> AxiWriteReq {
    AxiWriteReq {
        awvalid: o.m_axi_awvalid != 0,
        awid: o.m_axi_awid,
        awaddr: o.m_axi_awaddr,
        awlen: o.m_axi_awlen,
        awsize: o.m_axi_awsize,
        awburst: o.m_axi_awburst,
        awlock: o.m_axi_awlock != 0,
        awcache: o.m_axi_awcache,
        awprot: o.m_axi_awprot,
        wvalid: o.m_axi_wvalid != 0,
        wdata: o.m_axi_wdata,
        wstrb: o.m_axi_wstrb,
        wlast: o.m_axi_wlast != 0,
        bready: o.m_axi_bready != 0,
    }
}

fn axil_rsp(o: &Outputs) -> AxilRsp {
    AxilRsp {
        awready: o.s_axil_awready != 0,
        wready: o.s_axil_wready != 0,
        bvalid: o.s_axil_bvalid != 0,
        bresp: o.s_axil_bresp,
        arready: o.s_axil_arready != 0,
        rvalid: o.s_axil_rvalid != 0,
        rdata: o.s_axil_rdata,
        rresp: o.s_axil_rresp,
    }
}
