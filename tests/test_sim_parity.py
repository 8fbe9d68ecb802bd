# SPDX-License-Identifier: Apache-2.0
"""A scenario written in Python reaches the same counters and ticks as the Rust end-to-end path.

The same input (a capture from the Rust feed generator, with malformed frames mixed in) goes
through both:
- Python: the cycle-controlled card (tickwire_sim.Card), the driver's Ring polled from Python;
- Rust: `tickwire::replay::replay`, the function host/tickwire/tests/sim_e2e.rs and
  `tickwire replay` use (free-running SimDevice in its own thread, ring polled while it runs).

`replay` hands over only the ticks of good frames (its verdict gate discards bad frames' ticks and
VERDICT records); the Python side gets the raw ring, so it applies the same rules with its own
gate (tw_scenario.verdict_gate) before comparing, and checks the raw ring too.
"""
import pytest
from scapy.all import ARP, Ether

from tw_scenario import BAD, SRC_MAC, itch_add, mold, msg_tick, pad60, session_tick, tick_fields, udp_frame, verdict_gate


def _frames(tw, vlan):
    frames = list(tw.generate_frames(400, seed=21, vlan=vlan))
    frames.insert(3, pad60(Ether(src=SRC_MAC) / ARP()))  # RX_NOT_IPV4
    # MOLD_ERR: the first message leaves, then the frame's verdict says bad
    frames.insert(9, bytes(udp_frame(mold(10**9, [itch_add(), b"runt"]))))
    frames.insert(15, bytes(frames[20])[:30])  # cut inside the IPv4 header, 30 bytes: RX_RUNT
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
    assert (counters["rx_not_ipv4"], counters["rx_runt"], counters["mold_err"], counters["rx_bad_verdict"]) == (1, 1, 1, 1)
    assert counters["rx_accepted"] == len(frames) - 2
    # the bad frame's records on the raw ring: a new-session event record (its session is not the
    # generator's), then its first message, flagged FRAME_END|FRAME_BAD: the message ends at payload
    # byte 57, in the payload's last beat (bytes 56..63; 58..63 are the runt block)
    bad = [i for i, t in enumerate(py_ticks) if t.frame_bad]
    assert len(bad) == 1 and [tick_fields(t) for t in py_ticks[bad[0] - 1:bad[0] + 1]] == [
        session_tick(10**9), msg_tick(10**9, itch_add(), flags=BAD)]
    assert counters["dma_writes"] == len(py_ticks)
    kept, frames_bad = verdict_gate(py_ticks)
    assert frames_bad == summary["frames_bad"] == 1
    assert len(kept) == len(rust_ticks) == len(py_ticks) - 2  # the bad frame's two records
    assert status["drops"] == summary["ring"]["drops"] == 0
    assert summary["iommu_violations"] == 0

    def strip(t):
        d = t.to_dict()
        del d["rx_ts_ns"]  # when the first frame starts depends on the free-running thread
        return d

    assert [strip(t) for t in kept] == [strip(t) for t in rust_ticks]
    # Frames go back to back in both runs, so the gaps between frame timestamps agree (to the
    # nanosecond the fractional timestamp increment can round either way).
    def gaps(ticks):
        stamps = sorted({t.rx_ts_ns for t in ticks})
        return [b - a for a, b in zip(stamps, stamps[1:])]

    assert all(abs(a - b) <= 1 for a, b in zip(gaps(kept), gaps(rust_ticks), strict=True))
