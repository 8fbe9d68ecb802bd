// SPDX-License-Identifier: Apache-2.0
//! The RTL parameter sets of `tw_core` that the simulated card is built with: the one table.
//!
//! `build.rs` reads this file (`#[path]` module) and verilates `tw_core` once per entry, with
//! `-G<PARAM>=<value>` for each parameter and its own `--prefix` (the first entry as `Vtw_core`,
//! the others as `Vtw_core_<name>`); the C++ shim is compiled once per entry with its `extern "C"`
//! names suffixed `_<name>`, so every variant links into one binary. The crate reads the same
//! table to resolve `SimConfig::rtl` ([`crate::RtlParams`]).
//!
//! To add a variant: add an entry below (a new name; every parameter of [`RTL_PARAMS`], in that
//! order; values legal for `tw_core`: see its `$fatal` guards: RINGS 1..32, RULES 1..64,
//! FIFO_DEPTH a power of two >= 4). Each variant adds one Verilator C++ build (about 1½ min of
//! one core) to a clean build, and to `make test`.

/// One parameter set of `tw_core` the simulation is built with.
#[derive(Debug, PartialEq, Eq)]
pub struct RtlVariant {
    /// What a test asks for (`SimConfig::rtl`, Python `Card(rtl="small")`).
    pub name: &'static str,
    /// Parameter name (as in `tw_core`) and value, one per [`RTL_PARAMS`] entry, in that order.
    pub params: &'static [(&'static str, i64)],
}

/// The `tw_core` parameters a variant sets. The others keep `tw_core`'s defaults in every variant
/// (DATA_W 64, AXI_DATA_W 512, MAX_OUTSTANDING 8, ...).
pub const RTL_PARAMS: &[&str] = &["RINGS", "RULES", "FIFO_DEPTH"];

/// Every variant that is built. The first is the default and must equal `tw_core`'s own defaults
/// (build.rs checks it against tw_core.sv).
pub const RTL_VARIANTS: &[RtlVariant] = &[
    RtlVariant {
        name: "default",
        params: &[("RINGS", 4), ("RULES", 64), ("FIFO_DEPTH", 64)],
    },
    // Fewer rings (RING[2..] absent), fewer flow rules, a shallower clock-crossing FIFO.
    RtlVariant {
        name: "small",
        params: &[("RINGS", 2), ("RULES", 8), ("FIFO_DEPTH", 16)],
    },
];

impl RtlVariant {
    /// The value of parameter `name` in this variant (None: not one of [`RTL_PARAMS`]).
    pub fn get(&self, name: &str) -> Option<i64> {
        self.params
            .iter()
            .find(|(p, _)| *p == name)
            .map(|&(_, v)| v)
    }
}

impl std::fmt::Display for RtlVariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (", self.name)?;
        for (i, (p, v)) in self.params.iter().enumerate() {
            write!(f, "{}{p}={v}", if i == 0 { "" } else { ", " })?;
        }
        f.write_str(")")
    }
}
