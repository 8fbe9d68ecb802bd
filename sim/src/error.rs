// SPDX-License-Identifier: Apache-2.0
//! Errors of the simulation layer.

use std::path::PathBuf;
use std::time::Duration;

/// Everything that can go wrong driving the simulated card.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// A [`crate::SimConfig`] value is out of range.
    #[error("invalid simulation config: {0}")]
    Config(String),
    /// `SimConfig::rtl` names RTL parameters no model was built with.
    #[error(
        "no simulated tw_core is built with RTL parameters {asked}: {reason}. Built: {built}. \
         To add a variant, add an entry to RTL_VARIANTS in sim/src/rtl_variants.rs \
         (sim/build.rs verilates each entry)"
    )]
    RtlParams {
        asked: String,
        reason: String,
        built: String,
    },
    /// The Verilated model could not be created.
    #[error("cannot create the Verilator model of tw_core: {0}")]
    Model(String),
    /// Waveform tracing was asked for but is not available.
    #[error("cannot trace to {path}: {reason}")]
    Trace { path: PathBuf, reason: String },
    /// An AXI4-Lite transaction got no response in time.
    #[error("CSR {op} at 0x{addr:04x}: no {channel} response after {cycles} clk cycles")]
    CsrTimeout {
        op: &'static str,
        addr: u32,
        channel: &'static str,
        cycles: u64,
    },
    /// An AXI4-Lite transaction was answered with SLVERR/DECERR.
    #[error("CSR {op} at 0x{addr:04x}: response {resp} ({})", resp_name(*.resp))]
    CsrResponse {
        op: &'static str,
        addr: u32,
        resp: u8,
    },
    /// The CSR address does not fit the core's AXI4-Lite address width or is not 4-byte aligned.
    #[error("CSR address 0x{addr:x} is outside the 8 KiB CSR window or not 4-byte aligned")]
    CsrAddress { addr: u32 },
    /// `HostMemory::map` with a window that overlaps a mapped one.
    #[error("IOMMU window 0x{iova:x}+0x{len:x} overlaps the mapped window 0x{other_iova:x}+0x{other_len:x}")]
    WindowOverlap {
        iova: u64,
        len: u64,
        other_iova: u64,
        other_len: u64,
    },
    /// `HostMemory::map` with a window that is empty, misaligned or wraps around.
    #[error("IOMMU window 0x{iova:x}+0x{len:x} is invalid: {reason}")]
    WindowInvalid {
        iova: u64,
        len: u64,
        reason: &'static str,
    },
    /// `HostMemory::unmap` of an address where no window starts.
    #[error("no IOMMU window is mapped at 0x{iova:x}")]
    NotMapped { iova: u64 },
    /// `SimHandle::wait_idle` gave up.
    #[error("the simulated card did not become idle within {timeout:?} (frames pending: {frames_pending})")]
    IdleTimeout {
        timeout: Duration,
        frames_pending: usize,
    },
    /// The simulation thread could not be started.
    #[error("cannot start the simulation thread")]
    Spawn(#[source] std::io::Error),
    /// The simulation thread is gone (it panicked: protocol violation, RTL assertion, ...).
    #[error("the simulation thread stopped: {0}")]
    ThreadStopped(String),
}

fn resp_name(resp: u8) -> &'static str {
    match resp {
        0 => "OKAY",
        1 => "EXOKAY",
        2 => "SLVERR",
        _ => "DECERR",
    }
}
