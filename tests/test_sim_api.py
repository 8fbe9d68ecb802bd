# SPDX-License-Identifier: Apache-2.0
"""The tickwire_sim module itself: registers by name from the one register map, frames in,
typed ticks out, determinism, and the cocotb-style async layer."""
import pytest
from scapy.all import Ether

from tw_scenario import (
    END, FLAG_EVENT, FLAG_FRAME_BAD, FLAG_FRAME_END, FLAG_GAP, FLAG_LATE, FLAG_LINE_B, FLAG_LOSS, FLAG_RAW,
    FLAG_TRUNCATED, FLAG_VERDICT, RAW_MAX, assert_ticks, itch_add, itch_delete, itch_message, itch_system, mold,
    msg_tick, packet_ticks, session_tick, udp_frame,
)


def test_register_map_comes_from_the_rdl(tw, card):
    rm = tw.regmap()
    # ID reads the reset value the RDL declares, through the offset the RDL declares
    assert card.csr_read("ID") == rm["ID"].reset == 0x544B5752
    assert card.csr_read("VERSION") == rm["VERSION"].reset
    assert card.csr_read("VERSION.major") == card.info["version_major"]
    assert card.csr_read("CAPS.rings") == card.info["rings"] >= 1
    # every ring the card reports has its registers in the map, at increasing offsets
    for i in range(card.info["rings"]):
        assert f"RING[{i}].DROPS" in rm and f"ring[{i}].slots" in rm
    # the driver's counters are exactly the map's counter registers
    assert set(card.counters()) <= {r.name.lower() for r in rm}
    with pytest.raises(KeyError, match="NO_SUCH"):
        card.csr_read("NO_SUCH")


def test_csr_read_write_by_name(card):
    card.csr_write("SCRATCH", 0xDEADBEEF)
    assert card.csr_read("SCRATCH") == 0xDEADBEEF
    assert card.csr_read("CTRL.rx_enable") == 0
    card.csr_write("CTRL.rx_enable", 1)
    assert card.csr_read("CTRL") & 1 == 1
    card.stop_rx()
    assert card.csr_read("CTRL.rx_enable") == 0
    with pytest.raises(ValueError):
        card.csr_write("CTRL.rx_enable", 2)
    dump = card.csr_dump()
    assert dump["SCRATCH"] == 0xDEADBEEF and dump["RING[0].SLOTS"] == 0


def test_line_and_feed_come_from_the_flow_filter(tw, card):
    """One MAC input: line A or B (and the feed, and the ring) is what the flow-filter rule that
    delivered the frame says (line B: flag LINE_B); the tick layout is v4 (feed at byte 27, flags
    a u16 at 24, raw records hold RAW_MAX message bytes). Each feed has its own sequencer state:
    feed 9's first packet is a new session for feed 9."""
    with pytest.raises(ValueError, match="flow filter"):
        card.send(udp_frame(mold(1, [itch_system()])), line=1)
    with pytest.raises(ValueError, match="empty"):
        card.send(b"")
    assert card.stats()["frames_pending"] == 0
    assert (tw.TICK_BYTES, tw.TICK_RAW_MAX) == (64, RAW_MAX) == (64, 41)
    assert [tw.FLAG_TRUNCATED, tw.FLAG_EVENT, tw.FLAG_LOSS, tw.FLAG_FRAME_END, tw.FLAG_FRAME_BAD, tw.FLAG_VERDICT,
            tw.FLAG_GAP, tw.FLAG_LATE, tw.FLAG_RAW, tw.FLAG_LINE_B] == [
        FLAG_TRUNCATED, FLAG_EVENT, FLAG_LOSS, FLAG_FRAME_END, FLAG_FRAME_BAD, FLAG_VERDICT, FLAG_GAP, FLAG_LATE,
        FLAG_RAW, FLAG_LINE_B]

    rings = [card.open_ring(i, slots=16) for i in range(3)]
    v0 = card.csr_read("FLOW_VERSION")
    v = card.set_flow_table([
        {"dst_ip": "233.54.12.1", "dst_port": 26400, "action": {"feed": 5, "line": 1, "ring": 2}},
        {"dst_ip": "233.54.12.2", "action": {"feed": 9, "line": 0, "ring": 1}},
    ], default="drop")
    assert v == v0 + 1 == card.csr_read("FLOW_VERSION")
    card.start()
    a, d = itch_add(ref=5), itch_delete(ref=5)
    card.send(udp_frame(mold(1, [a]), dst="233.54.12.1", dport=26400))
    card.send(udp_frame(mold(2, [d]), dst="233.54.12.2", dport=1))
    card.send(udp_frame(mold(3, [a]), dst="233.54.12.1", dport=26401))  # no rule: default drop
    card.run_until_idle()
    assert rings[0].poll_all() == []
    ev_b, b = rings[2].poll_all()
    assert_ticks([ev_b, b], packet_ticks(1, [a], new_session=True, feed=5, line=1))
    ev, t = rings[1].poll_all()
    assert_ticks([ev, t], packet_ticks(2, [d], new_session=True, feed=9, line=0))
    assert (t.feed, t.line, t.raw[27], t.flags & FLAG_LINE_B) == (9, 0, 9, 0)
    assert (b.feed, b.line, b.raw[27], b.flags & FLAG_LINE_B) == (5, 1, 5, FLAG_LINE_B)
    assert int.from_bytes(b.raw[24:26], "little") == b.flags == FLAG_LINE_B | END
    assert card.flow_hits()[:3] == [1, 1, 0]
    c = card.counters()
    assert (c["rx_accepted"], c["flow_misses"], c["flow_drops"]) == (3, 1, 1)


def test_ticks_are_typed_and_decoded_by_the_card(tw, card):
    """The card decodes ITCH 5.0: every field of a message of one of the 23 types, at its type's
    length, lands in the tick (P's 44 bytes too: its stock is not carried, stock_locate names
    it); a message of no known type is delivered raw, its first RAW_MAX bytes and the flags RAW
    and TRUNCATED when it is longer."""
    ring = card.open_ring(0, slots=16)
    card.start()
    add = itch_add(locate=7, ref=0x1122334455, side=b"S", shares=300, stock=b"MSFT", price=4_125_500, tracking=0x0BAD)
    trade = itch_message("P", locate=9, tracking=0xBEEF, ts=0x123456789ABC, order_reference_number=0x0102030405060708,
                         buy_sell_indicator="B", shares=0xA0B0C0D0, stock="ZVZZT", price=0x7735_9400,
                         match_number=0xF1F2F3F4F5F6F7F8)
    unknown = b"z" + bytes(range(1, 60))  # 60 bytes of type 'z', none of the 23
    c0 = card.counters()
    card.send(Ether(bytes(udp_frame(mold(42, [add, itch_delete(ref=9), trade, unknown], session=b"SESSIONXYZ")))))
    card.run_until_idle()
    ticks = ring.poll_all()
    assert_ticks(ticks, [session_tick(42, session=b"SESSIONXYZ"), msg_tick(42, add), msg_tick(43, itch_delete(ref=9)),
                         msg_tick(44, trade), msg_tick(45, unknown, flags=END)])
    s, a, d, p, u = ticks
    assert s.is_session and s.session == b"SESSIONXYZ" and s.msg_type is None and s.raw_message is None
    assert a.msg_type == "A" and a.msg_len == 36 and not a.is_truncated and not a.is_raw and a.raw_message is None
    assert (a.stock_locate, a.timestamp) == (7, 34_200_000_000_000)
    assert a.decoded() == {
        "stock_locate": 7, "timestamp": 34_200_000_000_000, "order_reference_number": 0x1122334455,
        "buy_sell_indicator": "S", "shares": 300, "stock": "MSFT", "price": 4_125_500,
    }
    assert a.itch == "A order_reference_number=73588229205 buy_sell_indicator=S shares=300 stock=MSFT price=412.5500"
    assert d.decoded()["order_reference_number"] == 9
    # P: 44 bytes, decoded whole (no truncation); the tracking number and the stock not carried
    assert p.msg_type == "P" and p.msg_len == 44 and not p.is_truncated and not p.is_raw and p.flags == 0
    assert p.decoded() == {
        "stock_locate": 9, "timestamp": 0x123456789ABC, "order_reference_number": 0x0102030405060708,
        "buy_sell_indicator": "B", "shares": 0xA0B0C0D0, "price": 0x7735_9400, "match_number": 0xF1F2F3F4F5F6F7F8,
    }
    # the unknown type: raw, its first 41 bytes (tracking number, bytes 3..4, as zero), truncated
    assert u.is_raw and u.is_truncated and u.flags == FLAG_RAW | FLAG_TRUNCATED | END
    assert u.msg_type == "z" and u.msg_len == 60 and u.itch is None
    assert u.raw_message == unknown[:3] + b"\0\0" + unknown[5:41] and len(u.raw_message) == RAW_MAX
    assert (u.stock_locate, u.timestamp) == (0x0102, int.from_bytes(unknown[5:11], "big"))
    with pytest.raises(ValueError):
        u.decoded()
    assert u.frame_end and not u.frame_bad and not u.is_verdict and not any(t.frame_end for t in (s, a, d, p))
    assert len({t.rx_ts_ns for t in ticks}) == 1, "one frame, one timestamp"
    assert tw.Tick.from_bytes(a.raw) == a and len(a.raw) == tw.TICK_BYTES
    with pytest.raises(ValueError):
        s.decoded()
    c = card.counters()
    assert (c["itch_unknown"] - c0["itch_unknown"], c["itch_len_err"] - c0["itch_len_err"]) == (1, 0)


def test_same_seed_same_run(tw):
    def run(seed):
        card = tw.Card(seed=seed, awready_prob=0.4, wready_prob=0.5, bresp_delay_max=30, idle_prob=0.2)
        ring = card.open_ring(0, slots=8)
        card.start()
        card.send_many(tw.generate_frames(120, seed=3))
        ticks = []
        for _ in range(40):
            card.run_cycles(500)
            ticks += [t.raw for t in ring.poll_all(max=3)]
        return ticks, card.counters(), card.stats()

    a, b, c = run(4), run(4), run(5)
    assert a == b
    assert a[0] != c[0] or a[2] != c[2], "another seed should change the timing"


def test_run_until_and_cycle_counts(card):
    start = card.clk_cycles
    assert card.run_cycles(100) == start + 100
    ring = card.open_ring(0, slots=16)
    card.start()
    card.send(udp_frame(mold(5, [itch_system()])))
    t = card.run_until(ring.poll, max_cycles=20_000)  # the new-session event record comes first
    assert t.is_session and t.seq == 5
    with pytest.raises(TimeoutError):
        card.run_until(lambda: False, max_cycles=50, every=10)


# ---------------------------------------------------------------- async layer

def test_async_cycles_advance_the_clock_exactly(card):
    sim = card.async_sim()
    seen = []

    async def ticker(name, period, n):
        for _ in range(n):
            await sim.cycles(period)
            seen.append((sim.now, name))

    async def main():
        t0 = sim.now
        a = sim.start_soon(ticker("a", 3, 4))
        b = sim.start_soon(ticker("b", 5, 2))
        await a
        await b
        return t0

    t0 = sim.run(main())
    assert [(c - t0, n) for c, n in seen] == [(3, "a"), (5, "b"), (6, "a"), (9, "a"), (10, "b"), (12, "a")]


def test_async_driver_and_monitor_with_scoreboard(card):
    """Driver, monitor and scoreboard as three tasks; the queue carries predictions."""
    ring = card.open_ring(0, slots=32)
    card.start()
    sim = card.async_sim()
    expected = sim.queue()

    async def driver():
        seq = 1
        for n in [1, 3, 2, 5]:
            msgs = [itch_add(ref=seq + i) for i in range(n)]
            card.send(udp_frame(mold(seq, msgs)))
            for i, m in enumerate(msgs):
                expected.put(msg_tick(seq + i, m, flags=END if i == n - 1 else 0))
            seq += n
            await sim.cycles(200)

    async def monitor_and_check(n):
        checked = 0
        t = await sim.tick(ring, timeout=10_000)
        assert t.is_session
        while checked < n:
            t = await sim.tick(ring, timeout=10_000)
            want = await expected.get()
            got = t.to_dict()
            del got["rx_ts_ns"], got["valid"]
            assert got == want
            checked += 1
        return checked

    async def main():
        sim.start_soon(driver())
        return await sim.start_soon(monitor_and_check(11))

    assert sim.run(main()) == 11
    assert card.counters()["mold_msgs"] == 11


def test_async_until_timeout_and_errors_propagate(card):
    sim = card.async_sim()

    async def waits_forever():
        await sim.until(lambda: False, timeout=100, every=7)

    with pytest.raises(TimeoutError):
        sim.run(waits_forever())

    async def fails():
        await sim.cycles(3)
        raise AssertionError("from a task")

    async def main():
        sim.start_soon(fails())
        await sim.cycles(10)

    with pytest.raises(AssertionError, match="from a task"):
        sim.run(main())

    async def deadlock():
        await sim.event().wait()

    with pytest.raises(RuntimeError, match="deadlock"):
        sim.run(deadlock())
