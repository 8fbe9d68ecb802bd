// SPDX-License-Identifier: Apache-2.0
//! [`SimHandle`]: the simulated card as a free-running device in its own thread.
//!
//! The thread builds and owns the [`Sim`] (the Verilator model never leaves it). It runs the clocks
//! while there is work (frames pending, frame beats or AXI write activity in the last
//! [`QUIET_CYCLES`] clk cycles, a CSR access in progress) and blocks on its command channel
//! otherwise, so an idle simulation does not burn a core; any command wakes it. Host memory is
//! shared ([`HostMemory`] is `Sync`), so mapping needs no command.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::axi_slave::DmaWriteEvent;
use crate::memory::HostMemory;
use crate::sim::{Sim, SimConfig, SimStats};
use crate::thread::{lock, spawn_model_thread, thread_gone};
use crate::SimError;

/// clk cycles without frame beats or AXI write activity after which the card counts as idle.
pub const QUIET_CYCLES: u64 = 2000;
/// clk cycles the thread runs between two looks at its command channel.
const CHUNK_CYCLES: u64 = 64;

type Reply<T> = Sender<Result<T, SimError>>;
/// What the thread hands back once the model is built: host memory and the simulated clock.
type Init = Result<(Arc<HostMemory>, Arc<AtomicU64>), SimError>;

enum Cmd {
    CsrRead {
        addr: u32,
        reply: Reply<u32>,
    },
    CsrWrite {
        addr: u32,
        value: u32,
        reply: Reply<()>,
    },
    PushFrames(Vec<(Vec<u8>, bool)>),
    WaitIdle {
        deadline: Instant,
        timeout: Duration,
        reply: Reply<()>,
    },
    RunClkCycles {
        n: u64,
        reply: Reply<()>,
    },
    OnDmaWrite(Box<dyn FnMut(DmaWriteEvent) + Send>),
    Shutdown,
}

/// The simulated card running in its own thread (what the driver's `SimDevice` wraps).
#[derive(Debug)]
pub struct SimHandle {
    tx: Sender<Cmd>,
    thread: Option<JoinHandle<()>>,
    memory: Arc<HostMemory>,
    clock: Arc<AtomicU64>,
    clk_period_ps: u64,
    stats: Arc<Mutex<SimStats>>,
    panic_msg: Arc<Mutex<Option<String>>>,
}

impl std::fmt::Debug for Cmd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Cmd::CsrRead { .. } => "CsrRead",
            Cmd::CsrWrite { .. } => "CsrWrite",
            Cmd::PushFrames(_) => "PushFrames",
            Cmd::WaitIdle { .. } => "WaitIdle",
            Cmd::RunClkCycles { .. } => "RunClkCycles",
            Cmd::OnDmaWrite(_) => "OnDmaWrite",
            Cmd::Shutdown => "Shutdown",
        })
    }
}

impl SimHandle {
    /// Start the simulation thread; it builds the model and resets it before this returns.
    pub fn spawn(cfg: SimConfig) -> Result<SimHandle, SimError> {
        let (tx, rx) = mpsc::channel::<Cmd>();
        let (init_tx, init_rx) = mpsc::channel::<Init>();
        let stats = Arc::new(Mutex::new(SimStats::default()));
        let st = stats.clone();
        let clk_period_ps = cfg.clk_period_ps;
        let (thread, panic_msg) = spawn_model_thread("tickwire-sim", move || run(cfg, rx, init_tx, &st))?;
        let mut h = SimHandle {
            tx,
            thread: Some(thread),
            memory: HostMemory::new(),
            clock: Arc::new(AtomicU64::new(0)),
            clk_period_ps,
            stats,
            panic_msg,
        };
        match init_rx.recv() {
            Ok(Ok((memory, clock))) => {
                h.memory = memory;
                h.clock = clock;
                Ok(h)
            }
            Ok(Err(e)) => Err(e),
            Err(_) => Err(h.gone()),
        }
    }

    /// The error for "the thread is gone", with its panic message once it has one.
    fn gone(&self) -> SimError {
        thread_gone(self.thread.as_ref(), &self.panic_msg)
    }

    fn call<T>(&self, make: impl FnOnce(Reply<T>) -> Cmd) -> Result<T, SimError> {
        let (reply, rx) = mpsc::channel();
        self.tx.send(make(reply)).map_err(|_| self.gone())?;
        rx.recv().map_err(|_| self.gone())?
    }

    pub fn csr_read(&self, addr: u32) -> Result<u32, SimError> {
        self.call(|reply| Cmd::CsrRead { addr, reply })
    }

    pub fn csr_write(&self, addr: u32, value: u32) -> Result<(), SimError> {
        self.call(|reply| Cmd::CsrWrite { addr, value, reply })
    }

    /// Queue frames (without FCS, with their MAC error flag) on the MAC stream.
    pub fn push_frames(&self, frames: Vec<(Vec<u8>, bool)>) {
        // A dead thread shows up at the next call that returns a Result.
        let _ = self.tx.send(Cmd::PushFrames(frames));
    }

    /// Wait until the frame source is empty and there were neither frame beats nor AXI write
    /// activity for [`QUIET_CYCLES`] clk cycles.
    pub fn wait_idle(&self, timeout: Duration) -> Result<(), SimError> {
        let (reply, rx) = mpsc::channel();
        let deadline = Instant::now() + timeout;
        self.tx
            .send(Cmd::WaitIdle {
                deadline,
                timeout,
                reply,
            })
            .map_err(|_| self.gone())?;
        match rx.recv_timeout(timeout + Duration::from_secs(5)) {
            Ok(r) => r,
            Err(RecvTimeoutError::Timeout) => Err(SimError::IdleTimeout {
                timeout,
                frames_pending: self.stats().frames_pending,
            }),
            Err(RecvTimeoutError::Disconnected) => Err(self.gone()),
        }
    }

    /// Run the clocks for `n` clk cycles (e.g. to let the card's clock advance).
    pub fn run_clk_cycles(&self, n: u64) -> Result<(), SimError> {
        self.call(|reply| Cmd::RunClkCycles { n, reply })
    }

    /// Call `f` (in the simulation thread) for every complete DMA write.
    pub fn on_dma_write(&self, f: Box<dyn FnMut(DmaWriteEvent) + Send>) {
        let _ = self.tx.send(Cmd::OnDmaWrite(f));
    }

    /// The host memory behind the card's DMA writes.
    pub fn memory(&self) -> Arc<HostMemory> {
        self.memory.clone()
    }

    /// Simulated time in picoseconds, now (the thread updates it at every clock edge): the clock
    /// of the simulated host, against which a servo disciplines the card's clock.
    pub fn time_ps(&self) -> u64 {
        self.clock.load(Ordering::Relaxed)
    }

    /// The clk period the simulation was configured with, in ps.
    pub fn config_clk_period_ps(&self) -> u64 {
        self.clk_period_ps
    }

    /// Counters as of the last chunk of cycles the thread ran (exact after `wait_idle` and after
    /// every call that returns).
    pub fn stats(&self) -> SimStats {
        *lock(&self.stats)
    }
}

impl Drop for SimHandle {
    /// Stop and join the thread. If it died of a panic (protocol violation, RTL assertion) and
    /// nothing reported it yet, panic here so that a test cannot pass over it.
    fn drop(&mut self) {
        let _ = self.tx.send(Cmd::Shutdown);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Some(msg) = lock(&self.panic_msg).take() {
            if !std::thread::panicking() {
                panic!("the simulation thread panicked: {msg}");
            }
        }
    }
}

fn run(
    cfg: SimConfig,
    rx: Receiver<Cmd>,
    init: Sender<Init>,
    stats: &Mutex<SimStats>,
) {
    let mut sim = match Sim::new(cfg) {
        Ok(s) => s,
        Err(e) => {
            let _ = init.send(Err(e));
            return;
        }
    };
    *lock(stats) = sim.stats();
    let _ = init.send(Ok((sim.memory().clone(), sim.clock())));
    let mut waiters: Vec<(Instant, Duration, Reply<()>)> = Vec::new();
    loop {
        let idle = sim.is_idle(QUIET_CYCLES);
        if idle {
            *lock(stats) = sim.stats();
            for (_, _, w) in waiters.drain(..) {
                let _ = w.send(Ok(()));
            }
        }
        let cmd = if idle {
            match rx.recv() {
                Ok(c) => Some(c),
                Err(_) => return,
            }
        } else {
            match rx.try_recv() {
                Ok(c) => Some(c),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => return,
            }
        };
        if let Some(cmd) = cmd {
            match cmd {
                Cmd::Shutdown => return,
                Cmd::CsrRead { addr, reply } => {
                    let r = sim.csr_read(addr);
                    *lock(stats) = sim.stats();
                    let _ = reply.send(r);
                }
                Cmd::CsrWrite { addr, value, reply } => {
                    let r = sim.csr_write(addr, value);
                    *lock(stats) = sim.stats();
                    let _ = reply.send(r);
                }
                Cmd::PushFrames(frames) => {
                    for (f, e) in frames {
                        sim.push_frame(&f, e);
                    }
                    *lock(stats) = sim.stats();
                }
                Cmd::WaitIdle {
                    deadline,
                    timeout,
                    reply,
                } => waiters.push((deadline, timeout, reply)),
                Cmd::RunClkCycles { n, reply } => {
                    sim.run_clk_cycles(n);
                    *lock(stats) = sim.stats();
                    let _ = reply.send(Ok(()));
                }
                Cmd::OnDmaWrite(f) => sim.on_dma_write(f),
            }
            continue;
        }
        sim.run_clk_cycles(CHUNK_CYCLES);
        *lock(stats) = sim.stats();
        if !waiters.is_empty() {
            let now = Instant::now();
            let pending = sim.frames_pending();
            waiters.retain(|(deadline, timeout, w)| {
                if now >= *deadline {
                    let _ = w.send(Err(SimError::IdleTimeout {
                        timeout: *timeout,
                        frames_pending: pending,
                    }));
                    false
                } else {
                    true
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shareable_across_threads() {
        fn is<T: Send + Sync>() {}
        is::<super::SimHandle>();
        is::<super::HostMemory>();
        is::<crate::DmaBuf>();
    }
}
