# SPDX-License-Identifier: Apache-2.0
"""The card's register map by name, derived from its one source.

The SystemRDL text comes from the extension module (``_native.REGMAP_RDL``, embedded when the
module was built, so it is exactly the map the simulated RTL was generated from) and is compiled
here with systemrdl-compiler (already in the project venv for ``make gen``). No offset is typed
twice: names, offsets, fields and reset values all come out of the compiler.

Names are the RDL instance paths below the top addrmap, e.g. ``SCRATCH``, ``CTRL``, ``RX_FRAMES``,
``RING[0].SLOTS``; a field is ``REG.field``, e.g. ``CTRL.rx_enable``, ``RING[0].STATUS.idle``.
Lookup is case-insensitive.
"""
from __future__ import annotations

import functools
import os
import tempfile
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    name: str
    lsb: int
    msb: int
    sw: str  # "r", "rw", "w", ...
    reset: int | None

    @property
    def mask(self) -> int:
        return ((1 << (self.msb - self.lsb + 1)) - 1) << self.lsb


@dataclass(frozen=True)
class Register:
    name: str
    offset: int
    fields: dict[str, Field] = field(default_factory=dict)
    desc: str = ""

    @property
    def reset(self) -> int:
        """Reset value from the fields that have one (0 for the others)."""
        v = 0
        for f in self.fields.values():
            if f.reset is not None:
                v |= (f.reset << f.lsb) & f.mask
        return v


class RegisterMap:
    """Name -> Register, in address order."""

    def __init__(self, regs: list[Register]):
        self._regs = sorted(regs, key=lambda r: r.offset)
        self._by_name = {r.name.upper(): r for r in self._regs}

    def __iter__(self):
        return iter(self._regs)

    def __len__(self):
        return len(self._regs)

    def __contains__(self, name: str) -> bool:
        try:
            self.resolve(name)
            return True
        except KeyError:
            return False

    def names(self) -> list[str]:
        return [r.name for r in self._regs]

    def __getitem__(self, name: str) -> Register:
        reg, fld = self.resolve(name)
        if fld is not None:
            raise KeyError(f"{name!r} is a field; use resolve() or read_field()")
        return reg

    def offset(self, name: str) -> int:
        return self[name].offset

    def resolve(self, name: str) -> tuple[Register, Field | None]:
        """``REG`` or ``REG.field`` -> (register, field or None)."""
        key = name.upper()
        reg = self._by_name.get(key)
        if reg is not None:
            return reg, None
        head, _, tail = name.rpartition(".")
        reg = self._by_name.get(head.upper()) if head else None
        if reg is not None:
            for fname, f in reg.fields.items():
                if fname.lower() == tail.lower():
                    return reg, f
        raise KeyError(
            f"no register or field {name!r} in the register map (hdl/regs/tw_regs.rdl); "
            f"registers: {', '.join(self.names())}"
        )


def _compile(rdl_text: str) -> RegisterMap:
    from systemrdl import RDLCompiler
    from systemrdl.node import RegNode

    with tempfile.TemporaryDirectory(prefix="tickwire-rdl-") as d:
        path = os.path.join(d, "tw_regs.rdl")
        with open(path, "w") as f:
            f.write(rdl_text)
        rdlc = RDLCompiler()
        rdlc.compile_file(path)
        root = rdlc.elaborate()
    top = root.top
    prefix = top.inst_name + "."
    regs = []
    for node in top.descendants(unroll=True):
        if not isinstance(node, RegNode):
            continue
        name = node.get_path()
        if name.startswith(prefix):
            name = name[len(prefix):]
        fields = {}
        for fl in node.fields():
            reset = fl.get_property("reset")
            fields[fl.inst_name] = Field(
                name=fl.inst_name,
                lsb=fl.lsb,
                msb=fl.msb,
                sw=fl.get_property("sw").name,
                reset=reset if isinstance(reset, int) else None,
            )
        regs.append(Register(name=name, offset=node.absolute_address, fields=fields,
                             desc=node.get_property("desc") or ""))
    return RegisterMap(regs)


@functools.lru_cache(maxsize=None)
def regmap() -> RegisterMap:
    """The card's register map (compiled once per process)."""
    from ._native import REGMAP_RDL

    return _compile(REGMAP_RDL)
