// SPDX-License-Identifier: Apache-2.0
//! The only `unsafe` of the crate: the C ABI of `csrc/shim.cpp` around the Verilated `tw_core`,
//! and [`Model`], its safe owner.

use std::ffi::{c_char, c_int, CString};
use std::marker::PhantomData;
use std::ptr::NonNull;

/// Inputs of `tw_core` except the two clocks. Mirrors `struct tw_inputs` in shim.cpp.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Inputs {
    pub s_axis_tdata: u64,
    pub rx_rst: u8,
    pub s_axis_tkeep: u8,
    pub s_axis_tvalid: u8,
    pub s_axis_tlast: u8,
    pub s_axis_tuser: u8,
    pub rst: u8,
    pub s_axil_awvalid: u8,
    pub s_axil_awprot: u8,
    pub s_axil_awaddr: u16,
    pub s_axil_araddr: u16,
    pub s_axil_wdata: u32,
    pub s_axil_wvalid: u8,
    pub s_axil_wstrb: u8,
    pub s_axil_bready: u8,
    pub s_axil_arvalid: u8,
    pub s_axil_arprot: u8,
    pub s_axil_rready: u8,
    pub m_axi_awready: u8,
    pub m_axi_wready: u8,
    pub m_axi_bid: u8,
    pub m_axi_bresp: u8,
    pub m_axi_bvalid: u8,
    pub pad0: u8,
}

/// Every output of `tw_core`. Mirrors `struct tw_outputs` in shim.cpp.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Outputs {
    pub m_axi_awaddr: u64,
    pub m_axi_wdata: [u64; 8],
    pub m_axi_wstrb: u64,
    pub s_axil_rdata: u32,
    /// tw_core's per-ring interrupt pulses (bit n: ring n).
    pub irq: u32,
    pub s_axil_awready: u8,
    pub s_axil_wready: u8,
    pub s_axil_bvalid: u8,
    pub s_axil_bresp: u8,
    pub s_axil_arready: u8,
    pub s_axil_rvalid: u8,
    pub s_axil_rresp: u8,
    pub m_axi_awid: u8,
    pub m_axi_awlen: u8,
    pub m_axi_awsize: u8,
    pub m_axi_awburst: u8,
    pub m_axi_awlock: u8,
    pub m_axi_awcache: u8,
    pub m_axi_awprot: u8,
    pub m_axi_awvalid: u8,
    pub m_axi_wlast: u8,
    pub m_axi_wvalid: u8,
    pub m_axi_bready: u8,
    pub pad0: [u8; 6],
}

#[repr(C)]
struct TwSim {
    _opaque: [u8; 0],
    // Not Send, not Sync, not Unpin: the C++ object stays with its owner.
    _marker: PhantomData<(*mut u8, std::marker::PhantomPinned)>,
}

extern "C" {
    fn tw_sim_abi(inputs_size: *mut usize, outputs_size: *mut usize);
    fn tw_sim_trace_kind() -> c_int;
    fn tw_sim_new(seed: u32) -> *mut TwSim;
    fn tw_sim_free(s: *mut TwSim);
    fn tw_sim_eval(
        s: *mut TwSim,
        inputs: *const Inputs,
        rx_clk: u8,
        clk: u8,
        time_ps: u64,
        outputs: *mut Outputs,
    ) -> c_int;
    fn tw_sim_trace_open(s: *mut TwSim, path: *const c_char) -> c_int;
    fn tw_sim_trace_flush(s: *mut TwSim);
}

/// Why the model could not be created or traced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ModelError {
    /// The Rust and C++ views of the port structs differ (shim.cpp and ffi.rs out of step).
    Abi {
        inputs: (usize, usize),
        outputs: (usize, usize),
    },
    /// The C++ constructor failed.
    Create,
    /// Built without `TICKWIRE_SIM_TRACE`.
    TraceNotBuilt,
    /// A trace is already being written.
    TraceOpen,
    /// The path has a NUL byte.
    BadPath,
}

/// Which waveform format the model was built with.
pub(crate) fn trace_kind() -> Option<&'static str> {
    // SAFETY: takes no arguments and only returns a compile-time constant.
    match unsafe { tw_sim_trace_kind() } {
        1 => Some("fst"),
        2 => Some("vcd"),
        _ => None,
    }
}

/// An owned Verilated `tw_core` (plus its `VerilatedContext`). Single-threaded: not `Send`.
pub(crate) struct Model {
    ptr: NonNull<TwSim>,
}

impl Model {
    /// A model whose flops and memories start at random values derived from `seed`.
    pub(crate) fn new(seed: u64) -> Result<Model, ModelError> {
        let (mut i, mut o) = (0usize, 0usize);
        // SAFETY: both pointers are valid, writable usize locations for the duration of the call.
        unsafe { tw_sim_abi(&mut i, &mut o) };
        let want = (
            std::mem::size_of::<Inputs>(),
            std::mem::size_of::<Outputs>(),
        );
        if (i, o) != want {
            return Err(ModelError::Abi {
                inputs: (want.0, i),
                outputs: (want.1, o),
            });
        }
        // Verilator's seed is a non-zero 31-bit int (0 means "from the clock").
        let folded = (seed ^ (seed >> 31) ^ (seed >> 62)) as u32 & 0x7fff_ffff;
        let seed32 = if folded == 0 { 0x5eed } else { folded };
        // SAFETY: no preconditions; returns an owned object or null.
        let ptr = unsafe { tw_sim_new(seed32) };
        NonNull::new(ptr)
            .map(|ptr| Model { ptr })
            .ok_or(ModelError::Create)
    }

    /// Drive `inputs` and the clocks, evaluate at `time_ps`, fill `outputs`. Returns true when the
    /// RTL called `$finish`, `$stop`, `$error` or `$fatal`.
    pub(crate) fn eval(
        &mut self,
        inputs: &Inputs,
        rx_clk: bool,
        clk: bool,
        time_ps: u64,
        outputs: &mut Outputs,
    ) -> bool {
        // SAFETY: self.ptr is a live model owned by self (&mut: no concurrent use); the input and
        // output pointers come from references valid for the call and match the C layouts
        // (checked in Model::new).
        let r = unsafe {
            tw_sim_eval(
                self.ptr.as_ptr(),
                inputs,
                rx_clk as u8,
                clk as u8,
                time_ps,
                outputs,
            )
        };
        r != 0
    }

    /// Start writing waveforms to `path`.
    pub(crate) fn trace_open(&mut self, path: &std::path::Path) -> Result<(), ModelError> {
        let c =
            CString::new(path.as_os_str().as_encoded_bytes()).map_err(|_| ModelError::BadPath)?;
        // SAFETY: self.ptr is live and exclusively borrowed; c is a NUL-terminated string that
        // outlives the call (the C++ side copies the name).
        match unsafe { tw_sim_trace_open(self.ptr.as_ptr(), c.as_ptr()) } {
            0 => Ok(()),
            -2 => Err(ModelError::TraceOpen),
            _ => Err(ModelError::TraceNotBuilt),
        }
    }

    pub(crate) fn trace_flush(&mut self) {
        // SAFETY: self.ptr is live and exclusively borrowed.
        unsafe { tw_sim_trace_flush(self.ptr.as_ptr()) }
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        // SAFETY: self.ptr came from tw_sim_new and is freed exactly once, here.
        unsafe { tw_sim_free(self.ptr.as_ptr()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_match_the_shim() {
        let m = Model::new(1);
        assert!(m.is_ok(), "{:?}", m.err());
    }
}
