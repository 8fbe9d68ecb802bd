//! The simulated card under cycle-level control, for scenario tests (the Python harness
//! `tickwire_sim` is built on this).
//!
//! [`crate::SimDevice`] runs the model like a free-running card: its thread advances the clocks
//! whenever there is work, so how far the card got when the host looks depends on thread timing.
//! [`StepDevice`] is the same Verilator model of the same RTL behind the same [`Device`] seam, but
//! its thread advances the clocks **only** while it executes a command: a CSR access (the cycles
//! the AXI4-Lite transaction takes), `run_clk_cycles(n)`, `run_until_idle`. Between commands the
//! card is frozen, so a test sees exactly the same card state for the same seed and the same calls,
//! and the real driver ([`crate::Card`], [`crate::Ring`]) reads the ticks from host memory as it
//! does on hardware. The model itself is not `Send`, hence the thread: the device is `Send + Sync`
//! like every [`Device`].

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tickwire_sim::thread::lock;
use tickwire_sim::{
    spawn_model_thread, thread_gone, BeatTaken, DmaWriteEvent, HostMemory, Sim, SimConfig, SimError, SimStats, Violation,
};

use crate::device::{Device, DeviceError};
use crate::dma::DmaRegion;
use crate::sim_device::{SimIovaSpace, SIM_BAR0_LEN};

type Reply<T> = Sender<Result<T, SimError>>;

enum Cmd {
    CsrRead { addr: u32, reply: Reply<u32> },
    CsrWrite { addr: u32, value: u32, reply: Reply<()> },
    PushFrames { frames: Vec<(Vec<u8>, bool)>, reply: Reply<()> },
    RunClk { n: u64, reply: Reply<SimStats> },
    RunRx { n: u64, reply: Reply<SimStats> },
    RunUntilIdle { quiet: u64, max: u64, reply: Reply<bool> },
    Stats { reply: Reply<SimStats> },
    IsIdle { quiet: u64, reply: Reply<bool> },
    Trace { path: PathBuf, reply: Reply<()> },
    LogBeats { on: bool, reply: Reply<()> },
    TakeBeatLog { reply: Reply<Vec<BeatTaken>> },
    OnDmaWrite { f: Box<dyn FnMut(DmaWriteEvent) + Send>, reply: Reply<()> },
}

/// The simulated card, advanced only by its caller (see the module docs).
pub struct StepDevice {
    tx: Option<Mutex<Sender<Cmd>>>,
    thread: Option<JoinHandle<()>>,
    memory: Arc<HostMemory>,
    iova: SimIovaSpace,
    panic_msg: Arc<Mutex<Option<String>>>,
    seed: u64,
}

impl StepDevice {
    /// Build the model, reset it (as [`Sim::new`] does) and return with the clocks stopped.
    pub fn new(cfg: SimConfig) -> Result<Self, SimError> {
        let seed = cfg.seed;
        let (tx, rx) = mpsc::channel::<Cmd>();
        let (init_tx, init_rx) = mpsc::channel::<Result<Arc<HostMemory>, SimError>>();
        let (thread, panic_msg) = spawn_model_thread("tickwire-step-sim", move || serve(cfg, rx, init_tx))?;
        let mut dev = StepDevice {
            tx: Some(Mutex::new(tx)),
            thread: Some(thread),
            memory: HostMemory::new(),
            iova: SimIovaSpace::new(),
            panic_msg,
            seed,
        };
        match init_rx.recv() {
            Ok(Ok(memory)) => {
                dev.memory = memory;
                Ok(dev)
            }
            Ok(Err(e)) => Err(e),
            Err(_) => Err(dev.gone()),
        }
    }

    /// The seed the card was built with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    fn gone(&self) -> SimError {
        thread_gone(self.thread.as_ref(), &self.panic_msg)
    }

    fn call<T>(&self, make: impl FnOnce(Reply<T>) -> Cmd) -> Result<T, SimError> {
        let (reply, rx) = mpsc::channel();
        let sent = match &self.tx {
            Some(tx) => lock(tx).send(make(reply)).is_ok(),
            None => false,
        };
        if !sent {
            return Err(self.gone());
        }
        rx.recv().map_err(|_| self.gone())?
    }

    /// One AXI4-Lite read of BAR0 offset `addr`; the clocks run until the R response.
    pub fn csr_read(&self, addr: u32) -> Result<u32, SimError> {
        self.call(|reply| Cmd::CsrRead { addr, reply })
    }

    /// One AXI4-Lite write; the clocks run until the B response.
    pub fn csr_write(&self, addr: u32, value: u32) -> Result<(), SimError> {
        self.call(|reply| Cmd::CsrWrite { addr, value, reply })
    }

    /// Queue frames (without FCS, with their MAC error flag) on the MAC stream. Nothing moves
    /// until the clocks run.
    pub fn push_frames(&self, frames: Vec<(Vec<u8>, bool)>) -> Result<(), SimError> {
        self.call(|reply| Cmd::PushFrames { frames, reply })
    }

    /// Run `n` rising edges of `clk` (the rx clock runs alongside at its own period).
    pub fn run_clk_cycles(&self, n: u64) -> Result<SimStats, SimError> {
        self.call(|reply| Cmd::RunClk { n, reply })
    }

    /// Run `n` rising edges of `rx_clk`.
    pub fn run_rx_cycles(&self, n: u64) -> Result<SimStats, SimError> {
        self.call(|reply| Cmd::RunRx { n, reply })
    }

    /// Run until no frame is pending and neither frame beats nor AXI write activity happened for
    /// `quiet` clk cycles ([`Sim::is_idle`]), at most `max` clk cycles. Returns whether it got idle.
    pub fn run_until_idle(&self, quiet: u64, max: u64) -> Result<bool, SimError> {
        self.call(|reply| Cmd::RunUntilIdle { quiet, max, reply })
    }

    /// Time, cycles, frames and DMA writes so far.
    pub fn stats(&self) -> Result<SimStats, SimError> {
        self.call(|reply| Cmd::Stats { reply })
    }

    /// Whether the card is idle now ([`Sim::is_idle`]): no frame pending, and neither frame beats
    /// nor AXI write activity for `quiet` clk cycles. Runs no cycles.
    pub fn is_idle(&self, quiet: u64) -> Result<bool, SimError> {
        self.call(|reply| Cmd::IsIdle { quiet, reply })
    }

    /// Dump waveforms from now on (needs a model built with `TICKWIRE_SIM_TRACE`).
    pub fn trace(&self, path: PathBuf) -> Result<(), SimError> {
        self.call(|reply| Cmd::Trace { path, reply })
    }

    /// The host memory behind the card's DMA writes.
    pub fn memory(&self) -> &Arc<HostMemory> {
        &self.memory
    }

    /// DMA writes that hit no mapped window (a test asserts there are none).
    pub fn violations(&self) -> Vec<Violation> {
        self.memory.violations()
    }

    /// Start (or stop) logging every MAC beat the core takes, with the rx_clk edge that took it
    /// ([`Sim::log_beats`]; latency measurements).
    pub fn log_beats(&self, on: bool) -> Result<(), SimError> {
        self.call(|reply| Cmd::LogBeats { on, reply })
    }

    /// The beats taken since the last call.
    pub fn take_beat_log(&self) -> Result<Vec<BeatTaken>, SimError> {
        self.call(|reply| Cmd::TakeBeatLog { reply })
    }

    /// Call `f` for every completed DMA write, on the simulation's thread ([`Sim::on_dma_write`]).
    pub fn on_dma_write(&self, f: Box<dyn FnMut(DmaWriteEvent) + Send>) -> Result<(), SimError> {
        self.call(|reply| Cmd::OnDmaWrite { f, reply })
    }
}

impl Drop for StepDevice {
    fn drop(&mut self) {
        drop(self.tx.take()); // the thread sees the channel close and returns
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(cfg: SimConfig, rx: Receiver<Cmd>, init: Sender<Result<Arc<HostMemory>, SimError>>) {
    let mut sim = match Sim::new(cfg) {
        Ok(s) => s,
        Err(e) => {
            let _ = init.send(Err(e));
            return;
        }
    };
    let _ = init.send(Ok(sim.memory().clone()));
    while let Ok(cmd) = rx.recv() {
        match cmd {
            Cmd::CsrRead { addr, reply } => {
                let _ = reply.send(sim.csr_read(addr));
            }
            Cmd::CsrWrite { addr, value, reply } => {
                let _ = reply.send(sim.csr_write(addr, value));
            }
            Cmd::PushFrames { frames, reply } => {
                for (f, e) in frames {
                    sim.push_frame(&f, e);
                }
                let _ = reply.send(Ok(()));
            }
            Cmd::RunClk { n, reply } => {
                sim.run_clk_cycles(n);
                let _ = reply.send(Ok(sim.stats()));
            }
            Cmd::RunRx { n, reply } => {
                sim.run_rx_cycles(n);
                let _ = reply.send(Ok(sim.stats()));
            }
            Cmd::RunUntilIdle { quiet, max, reply } => {
                let end = sim.clk_cycles().saturating_add(max);
                while !sim.is_idle(quiet) && sim.clk_cycles() < end {
                    sim.run_clk_cycles(16);
                }
                let _ = reply.send(Ok(sim.is_idle(quiet)));
            }
            Cmd::Stats { reply } => {
                let _ = reply.send(Ok(sim.stats()));
            }
            Cmd::IsIdle { quiet, reply } => {
                let _ = reply.send(Ok(sim.is_idle(quiet)));
            }
            Cmd::Trace { path, reply } => {
                let _ = reply.send(sim.trace(path));
            }
            Cmd::LogBeats { on, reply } => {
                sim.log_beats(on);
                let _ = reply.send(Ok(()));
            }
            Cmd::TakeBeatLog { reply } => {
                let _ = reply.send(Ok(sim.take_beat_log()));
            }
            Cmd::OnDmaWrite { f, reply } => {
                sim.on_dma_write(f);
                let _ = reply.send(Ok(()));
            }
        }
    }
}

impl Device for StepDevice {
    fn name(&self) -> &str {
        "sim-step"
    }

    fn bar0_len(&self) -> usize {
        SIM_BAR0_LEN
    }

    fn read32(&self, offset: usize) -> u32 {
        // A failing simulated bus is a broken test bench, not a condition a caller can handle.
        self.csr_read(offset as u32)
            .unwrap_or_else(|e| panic!("sim-step: CSR read at {offset:#x} failed: {e}"))
    }

    fn write32(&self, offset: usize, value: u32) {
        self.csr_write(offset as u32, value).unwrap_or_else(|e| {
            panic!("sim-step: CSR write of {value:#x} at {offset:#x} failed: {e}")
        })
    }

    fn alloc_dma(&self, len: usize) -> Result<DmaRegion, DeviceError> {
        self.iova.alloc(self.name(), self.memory.clone(), len)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn step_device_is_a_device() {
        fn is<T: crate::Device>() {}
        is::<super::StepDevice>();
    }
}
