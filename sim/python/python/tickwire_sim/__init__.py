# SPDX-License-Identifier: Apache-2.0
"""tickwire_sim: the simulated tickwire card with the real Rust driver, for Python tests.

The card is the Verilator model of the shipping RTL (crate ``tickwire-sim``) behind the driver's
``Device`` seam (``tickwire::scenario::StepDevice``), opened by the driver's ``Card``; ticks are read
by the driver's ``Ring``. The clocks run only inside calls that run them, so a test is
deterministic: same seed, same calls, same result, cycle for cycle. Calls that run the simulation
release the GIL.

    from tickwire_sim import Card
    card = Card(seed=1)                      # SimConfig knobs as keyword arguments
    small = Card(rtl="small")                # RTL parameters: a built variant, by name or by
                                             # values: rtl={"RINGS": 2, "RULES": 8, "FIFO_DEPTH": 16}
    ring = card.open_ring(0, slots=64)
    card.start()                             # CTRL.rx_enable
    card.send(Ether()/IP()/UDP()/payload)    # bytes or a scapy packet; mac_error=, line=0
    card.run_until_idle()
    ticks = ring.poll_all()                  # [Tick(seq=..., rx_ts_ns=..., ...)]
    card.counters()["mold_msgs"]
    card.csr_read("RING[0].DROPS"); card.csr_write("SCRATCH", 0x1234)

See docs/testing.md, and ``tickwire_sim.asyncsim`` for the cocotb-style async layer.
"""
from __future__ import annotations

from typing import Any, Callable

from . import _native
from ._native import (
    FLAG_FRAME_BAD,
    FLAG_FRAME_END,
    FLAG_LOSS,
    FLAG_EVENT,
    FLAG_GAP,
    FLAG_LATE,
    FLAG_LINE_B,
    FLAG_RAW,
    FLAG_TRUNCATED,
    EVENT_END_OF_SESSION,
    EVENT_GAP,
    EVENT_NEW_SESSION,
    FLAG_VERDICT,
    QUIET_CYCLES,
    REGMAP_RDL,
    TICK_BYTES,
    TICK_RAW_MAX,
    Ring,
    Tick,
    decode_itch,
    generate_frames,
    rtl_variants,
    rust_replay,
    trace_format,
)
from .asyncsim import AsyncSim, Event, Queue, Task
from .regmap import Field, Register, RegisterMap, regmap

__all__ = [
    "AsyncSim", "Card", "Event", "Field", "FLAG_FRAME_BAD", "FLAG_FRAME_END", "FLAG_LOSS", "FLAG_EVENT",
    "FLAG_GAP", "FLAG_LATE", "FLAG_LINE_B", "FLAG_RAW", "FLAG_TRUNCATED", "FLAG_VERDICT", "EVENT_NEW_SESSION", "EVENT_GAP", "EVENT_END_OF_SESSION",
    "QUIET_CYCLES", "Queue", "REGMAP_RDL", "Register", "RegisterMap", "Ring", "Task", "Tick",
    "TICK_BYTES", "TICK_RAW_MAX", "decode_itch", "generate_frames", "regmap", "rtl_variants",
    "rust_replay", "trace_format",
]


class Card(_native.Card):
    """The simulated card. Keyword arguments are the simulation's ``SimConfig`` fields: seed,
    rx_period_ps, clk_period_ps, awready_prob, wready_prob, bresp_delay_max (host-memory
    backpressure), idle_prob, line_rate_bps (frame source), visibility_delay_max, and rtl: the RTL
    parameters of tw_core, a built variant by name (``"small"``) or by values
    (``{"RINGS": 2, "RULES": 8, "FIFO_DEPTH": 16}``); ``rtl_variants()`` lists them, ``card.rtl``
    and ``card.rtl_variant`` say which one a card has."""

    @property
    def regs(self) -> RegisterMap:
        """The register map (from hdl/regs/tw_regs.rdl)."""
        return regmap()

    def csr_read(self, name: str) -> int:
        """Read a register (``"RX_FRAMES"``, ``"RING[0].PROD"``) or a field (``"CTRL.rx_enable"``)
        by its name in the register map. One AXI4-Lite read: the clocks run for it."""
        reg, fld = regmap().resolve(name)
        v = self.read32(reg.offset)
        if fld is None:
            return v
        return (v & fld.mask) >> fld.lsb

    def csr_write(self, name: str, value: int) -> None:
        """Write a register by name; for a field (``"CTRL.rx_enable"``), read-modify-write."""
        reg, fld = regmap().resolve(name)
        if fld is None:
            self.write32(reg.offset, value & 0xFFFF_FFFF)
            return
        if value >> (fld.msb - fld.lsb + 1):
            raise ValueError(f"{name}: {value:#x} does not fit {fld.msb - fld.lsb + 1} bits")
        old = self.read32(reg.offset)
        self.write32(reg.offset, (old & ~fld.mask & 0xFFFF_FFFF) | (value << fld.lsb))

    def csr_dump(self) -> dict[str, int]:
        """Every register by name (reads them all)."""
        return {r.name: self.read32(r.offset) for r in regmap()}

    def run_until(self, predicate: Callable[[], Any], *, max_cycles: int = 10_000_000, every: int = 1):
        """Run clk cycles until ``predicate()`` is truthy (checked now, then every ``every``
        cycles); return its value. TimeoutError after ``max_cycles``."""
        spent = 0
        while True:
            v = predicate()
            if v:
                return v
            if spent >= max_cycles:
                raise TimeoutError(f"condition still false after {max_cycles} clk cycles")
            self.run_cycles(every)
            spent += every

    def async_sim(self, default_timeout: int = 10_000_000) -> AsyncSim:
        """The cocotb-style event loop over this card."""
        return AsyncSim(self, default_timeout)
