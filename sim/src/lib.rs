// SPDX-License-Identifier: Apache-2.0
//! `tickwire-sim`: the Verilator model of the RTL top `tw_core`, driven from Rust.
//!
//! - [`Sim`] owns the model (single-threaded) and runs its two clocks, `rx_clk` (default
//!   322.265625 MHz) and `clk` (250 MHz), at their real periods on a picosecond timeline; rising
//!   edges that coincide are handled in one evaluation. [`Sim::new`] holds `rst`/`rx_rst` for
//!   [`RESET_CYCLES`] cycles of each clock. Every flop starts at a random value derived from the
//!   seed (`--x-initial unique`, `--x-assign unique`), so missing resets show up.
//! - Bus models, each a pure Rust state machine (unit-tested without Verilator) that drives its
//!   signals for the current cycle and is clocked with what the other side drove before the edge:
//!   [`FrameSource`] on the MAC stream (`s_axis_*`), [`AxilMaster`] for the CSRs (`s_axil_*`),
//!   [`AxiWriteSlave`] as the host memory behind `m_axi_*`, with protocol monitors that panic
//!   with the signal name and the clk cycle.
//! - [`HostMemory`] / [`DmaBuf`]: host memory with IOMMU-like windows. A DMA write must fall
//!   entirely inside one mapped window; otherwise it is answered with DECERR and recorded as a
//!   [`Violation`] (tests assert there are none).
//! - [`SimHandle`]: the card as a free-running device in its own thread, for the driver's
//!   `SimDevice`.
//! - RTL parameters: `tw_core` is built once per entry of [`RTL_VARIANTS`] (sim/src/rtl_variants.rs:
//!   `default` = tw_core's defaults, `small` = 2 rings, 8 rules, a 16-tick FIFO); a test picks one
//!   with [`SimConfig::rtl`] ([`RtlParams`], by name or by values).
//!
//! # DMA visibility order (the assumption the host relies on)
//!
//! The card writes one 64-byte tick per AXI write. The host may act on a tick only after it has
//! seen the tick's validity word, which lives in the **last 8-byte word** of the 64-byte write
//! (bytes 56..63; the `valid` u32 is at offset 60). The ordering assumption is:
//!
//! > the last 8-byte word of a 64-byte DMA write becomes visible to the CPU no earlier than any
//! > other byte of that write.
//!
//! Nothing else is assumed (no order between different writes beyond what the ring protocol's
//! per-slot polling needs). The simulated host memory delivers writes in the weakest order this
//! assumption allows: when a write lands, words 0..6 are stored in a random order with `Relaxed`
//! stores, then word 7 with a `Release` store, while the host polls from another thread; with
//! `SimConfig::visibility_delay_max` each word lands after its own random delay, word 7 no earlier
//! than the others (and every pending store lands before a CSR read completes, as PCIe
//! completions do not pass posted writes). The host
//! must load word 7 with `Acquire`, check `valid`, and only then read the other words (with atomic
//! loads: the buffer is shared memory that the card may still write). For writes with other
//! shapes (bursts, partial strobes) the same rule holds for the highest-addressed word written.
//!
//! # Building
//!
//! `build.rs` runs Verilator from the project's `.venv` (`make setup`) on `hdl/rtl/*.sv` and the
//! generated register block, once per RTL variant ([`RTL_VARIANTS`]), and compiles the models with
//! the `cc` crate (Verilator's runtime once, the shim once per variant), caching objects so only
//! what changed is rebuilt. `TICKWIRE_SIM_TRACE=1` (FST, needs liblz4-dev) or `=vcd` builds
//! with waveform tracing; then [`Sim::trace`] writes a dump.

mod axi_slave;
pub mod thread;
mod axil_master;
mod error;
mod ffi;
mod frame_source;
mod handle;
mod memory;
mod rtl;
mod rtl_variants;
mod sim;

pub use axi_slave::{
    AxiSlaveConfig, AxiWriteReq, AxiWriteRsp, AxiWriteSlave, DmaWriteEvent, AXI_BUS_BYTES,
    RESP_DECERR, RESP_OKAY, RESP_SLVERR,
};
pub use axil_master::{AxilMaster, AxilReq, AxilResult, AxilRsp, AxilWriteOrder};
pub use error::SimError;
pub use frame_source::{wire_bytes, AxisBeat, BeatTaken, FrameSource, FrameSourceConfig};
pub use handle::{SimHandle, QUIET_CYCLES};
pub use thread::{spawn_model_thread, thread_gone, PanicSlot};
pub use memory::{DmaBuf, HostMemory, Line, Violation};
pub use rtl::RtlParams;
pub use rtl_variants::{RtlVariant, RTL_PARAMS, RTL_VARIANTS};
pub use sim::{Sim, SimConfig, SimStats, CSR_SPACE, CSR_TIMEOUT_CYCLES, RESET_CYCLES};
