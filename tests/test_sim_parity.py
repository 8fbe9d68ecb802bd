# SPDX-License-Identifier: Apache-2.0
"""A scenario written in Python reaches the same counters and ticks as the Rust end-to-end path.

The same input (a capture from the Rust feed generator, with malformed frames mixed in) goes
through both:
- Python: the cycle-controlled card (tickwire_sim.Card), the driver's Ring polled from Python;
- Rust: `tickwire::replay::replay`, the function host/tickwire/tests/sim_e2e.rs and
  `tickwire replay` use (free-running SimDevice in its own thread, ring polled while it runs).
"""
import pytest
from scapy.all import ARP, Ether

from tw_scenario import SRC_MAC, itch_add, mold, pad60, udp_frame


def _frames(tw, vlan):
    frames = list(tw.generate_frames(400, seed=21, vlan=vlan))
    frames.insert(3, pad60(Ether(src=SRC_MAC) / ARP()))
    frames.insert(9, bytes(udp_frame(mold(10**9, [itch_add(), b"runt"]))))  # MOLD_ERR, 1 message delivered
    frames.insert(15, bytes(frames[20])[:30])  # cut inside the IPv4 header: RX_BAD_HDR
    return frames


@pytest.mark.parametrize("vlan", [None, 100])
def test_python_scenario_matches_rust_replay(tw, make_card, vlan):
    frames = _frames(tw, vlan)

    rust_ticks, summary = tw.rust_replay(frames, seed=3, ring_slots=1024)

    card = make_card(seed=3)
    ring = card.open_ring(0, slots=1024)
    card.start()
    card.send_many(frames)
    card.run_until_idle()
    py_ticks = ring.poll_all()
    counters = card.counters()
    status = ring.close()

    assert counters == summary["counters"]
    assert (counters["rx_not_udp"], counters["rx_bad_hdr"], counters["mold_err"]) == (1, 1, 1)
    assert counters["dma_writes"] == len(py_ticks) == len(rust_ticks)
    assert status["drops"] == summary["ring"]["drops"] == 0
    assert summary["iommu_violations"] == 0

    def strip(t):
        d = t.to_dict()
        del d["rx_ts_ns"]  # when the first frame starts depends on the free-running thread
        return d

    assert [strip(t) for t in py_ticks] == [strip(t) for t in rust_ticks]
    # Frames go back to back in both runs, so the gaps between frame timestamps agree (to the
    # nanosecond the fractional timestamp increment can round either way).
    def gaps(ticks):
        stamps = sorted({t.rx_ts_ns for t in ticks})
        return [b - a for a, b in zip(stamps, stamps[1:])]

    assert all(abs(a - b) <= 1 for a, b in zip(gaps(py_ticks), gaps(rust_ticks), strict=True))
