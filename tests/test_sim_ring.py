# SPDX-License-Identifier: Apache-2.0
"""Ring protocol and receive control under traffic, through the real driver's Ring:
a stalled reader overflows a small ring (DROPS == the losses the reader sees, LOSS on the next
tick, no unconsumed slot overwritten), and CTRL.rx_enable goes off and on under traffic
(RX_DISABLED counts whole frames)."""
from tw_scenario import (
    END, FLAG_LOSS, assert_ticks, itch_add, itch_delete, mold, msg_tick, packet_ticks, session_tick, udp_frame,
)


def msgs(first_ref, n):
    return [itch_add(ref=first_ref + i, shares=10 * (i + 1)) for i in range(n)]


def test_stalled_reader_overflows_ring_and_next_tick_carries_loss(card):
    ring = card.open_ring(0, slots=4)  # batch = 1: every consumed slot goes back at once
    card.start()
    p = [msgs(1, 5), msgs(6, 5), msgs(11, 5)]
    card.send_many([udp_frame(mold(1, p[0])), udp_frame(mold(6, p[1])), udp_frame(mold(11, p[2]))])
    card.run_until_idle()  # the reader consumes nothing meanwhile

    # 16 ticks for a ring of 4: the first 4 are kept, the other 12 dropped and counted
    st = card.ring_status(0)
    assert (st["prod"], st["cons"], st["drops"]) == (4, 0, 12)
    assert card.csr_read("RING[0].DROPS") == 12
    c = card.counters()
    assert (c["mold_msgs"], c["dma_writes"], c["tick_overflow"]) == (15, 4, 0)

    # the slots the reader did not consume were not overwritten (the first frame's FRAME_END
    # record, its fifth message, was among the dropped)
    first = ring.poll_all()
    assert_ticks(first, [session_tick(1), msg_tick(1, p[0][0]), msg_tick(2, p[0][1]), msg_tick(3, p[0][2])])
    assert card.csr_read("RING[0].CONS") == 4

    later = [itch_delete(ref=1), itch_delete(ref=2)]
    card.send(udp_frame(mold(16, later)))
    card.run_until_idle()
    second = ring.poll_all()
    assert_ticks(second, [msg_tick(16, later[0], flags=FLAG_LOSS), msg_tick(17, later[1], flags=END)], first_valid=5)

    # the losses the reader observes (sequence gap before the LOSS tick) are what the card counted
    seqs = [t.seq for t in first + second if not t.is_session]
    observed = sum(b - a - 1 for a, b in zip(seqs, seqs[1:]))
    assert observed == card.ring_status(0)["drops"] == 12
    assert [t.loss_before for t in first + second].count(True) == 1
    status = ring.close()
    assert (status["prod"], status["drops"], status["idle"]) == (6, 12, True)


def test_slow_reader_under_traffic_sees_every_loss(make_card):
    """A driver task keeps sending while a monitor task consumes one tick every 150 cycles from a
    ring of 8: ticks are lost; each gap the monitor sees is followed by a LOSS tick, and the gaps add
    up to DROPS exactly."""
    card = make_card(seed=11, awready_prob=0.7, wready_prob=0.8)
    ring = card.open_ring(0, slots=8)
    ring.set_batch(1)
    card.start()
    sim = card.async_sim()
    n_frames, per_frame = 30, 4

    async def driver():
        for f in range(n_frames):
            card.send(udp_frame(mold(1 + f * per_frame, msgs(1 + f * per_frame, per_frame))))
            await sim.cycles(120)

    async def monitor(done):
        got = []
        while True:
            t = ring.poll()
            if t is not None:
                got.append(t)
            elif done.is_set and card.is_idle():
                return got
            await sim.cycles(150)

    async def test():
        done = sim.event()
        d = sim.start_soon(driver())
        m = sim.start_soon(monitor(done))
        await d
        done.set()
        return await m

    got = sim.run(test())
    drops = card.ring_status(0)["drops"]
    assert drops > 0, "this load must overflow the ring"
    seqs = [t.seq for t in got if not t.is_session]
    assert got[0].is_session and seqs[0] == 1
    lost = 0
    for prev, t in zip(got[1:], got[2:]):
        gap = t.seq - prev.seq - (0 if prev.is_session else 1)
        assert t.loss_before == (gap > 0), f"LOSS flag on {t} after a gap of {gap}"
        lost += gap
    lost += n_frames * per_frame - seqs[-1]  # dropped after the last delivered tick
    assert lost == drops
    c = card.counters()
    assert c["mold_msgs"] == n_frames * per_frame
    assert c["dma_writes"] == len(got)
    assert c["tick_overflow"] == 0


def test_rx_disabled_counts_whole_frames(card):
    ring = card.open_ring(0, slots=64)
    card.send_many([udp_frame(mold(1, msgs(1, 3))), udp_frame(mold(4, msgs(4, 2))), udp_frame(mold(6, msgs(6, 1)))])
    card.run_until_idle()  # rx_enable is 0 after reset
    c = card.counters()
    assert (c["rx_disabled"], c["rx_frames"], c["mold_pkts"], c["dma_writes"]) == (3, 0, 0, 0)
    assert ring.poll_all() == []
    card.csr_write("CTRL.rx_enable", 1)
    assert card.csr_read("CTRL") & 1 == 1
    m = msgs(10, 2)
    card.send(udp_frame(mold(10, m)))
    card.run_until_idle()
    assert_ticks(ring.poll_all(), packet_ticks(10, m, new_session=True))
    c = card.counters()
    assert (c["rx_disabled"], c["rx_frames"], c["mold_msgs"]) == (3, 1, 2)


def test_rx_enable_off_and_on_under_traffic(make_card):
    """Long frames back to back while a task clears and sets CTRL.rx_enable: the toggles land in
    the middle of frames, yet every frame is taken or dropped whole."""
    card = make_card(seed=5)
    ring = card.open_ring(0, slots=2048)
    card.start()
    sim = card.async_sim()
    n_frames, per_frame = 24, 36  # 36 blocks of 38 bytes: 1388-byte frames
    frames = [udp_frame(mold(1 + f * per_frame, msgs(1 + f * per_frame, per_frame))) for f in range(n_frames)]
    card.send_many(frames)

    async def toggler():
        for _ in range(3):
            await sim.cycles(700)
            card.csr_write("CTRL.rx_enable", 0)
            await sim.cycles(500)
            card.csr_write("CTRL.rx_enable", 1)

    async def monitor():
        got = []
        while True:
            got += ring.poll_all()
            if card.is_idle():
                return got
            await sim.cycles(64)

    async def test():
        sim.start_soon(toggler())
        return await sim.start_soon(monitor())

    got = sim.run(test())
    c = card.counters()
    assert c["rx_frames"] + c["rx_disabled"] == n_frames
    assert c["rx_disabled"] >= 3, c  # each of the three off-windows outlasts a frame
    # whole frames: every frame delivered all of its messages or none
    by_frame = {}
    for t in got:
        if not t.is_session:
            by_frame.setdefault((t.seq - 1) // per_frame, []).append(t.seq)
    for f, seqs in by_frame.items():
        assert seqs == list(range(1 + f * per_frame, 1 + (f + 1) * per_frame)), f"frame {f} delivered in part"
    # ... and each ends with its verdict on its last message, good
    ends = [t.seq for t in got if t.frame_end]
    assert ends == [(f + 1) * per_frame for f in sorted(by_frame)]
    assert not any(t.frame_bad or t.is_verdict for t in got)
    assert c["rx_accepted"] == c["rx_frames"] and c["rx_bad_verdict"] == 0
    assert len(by_frame) == c["rx_frames"] == c["mold_pkts"]
    assert c["mold_msgs"] == per_frame * c["rx_frames"]
    assert not any(t.loss_before for t in got)
    assert card.ring_status(0)["drops"] == 0
    # each frame's ticks carry its frame's timestamp; timestamps increase frame to frame
    ts = {}
    for t in got:
        if not t.is_session:
            ts.setdefault((t.seq - 1) // per_frame, set()).add(t.rx_ts_ns)
    assert all(len(s) == 1 for s in ts.values())
    stamps = [next(iter(ts[f])) for f in sorted(ts)]
    assert stamps == sorted(set(stamps))
