# SPDX-License-Identifier: Apache-2.0
"""Cards built with other RTL parameters (Card(rtl=...), the variants in sim/src/rtl_variants.rs):
the driver reads what the card implements from CAPS and keeps to it; rules and rings beyond it do
not exist; the shallower clock-crossing FIFO of the small variant drops (and counts, and flags) a
burst the default one absorbs; parameters that are not built are refused, naming those that are."""
import pytest

from tw_scenario import END, FLAG_LOSS, assert_ticks, itch_add, itch_system, mold, packet_ticks, udp_frame

SMALL = {"RINGS": 2, "RULES": 8, "FIFO_DEPTH": 16}
DEFAULT = {"RINGS": 4, "RULES": 64, "FIFO_DEPTH": 64}


def test_the_built_variants_and_what_caps_says(tw, make_card):
    assert tw.rtl_variants() == {"default": DEFAULT, "small": SMALL}
    for name, params in tw.rtl_variants().items():
        for rtl in (name, params):
            card = make_card(rtl=rtl)
            assert (card.rtl_variant, card.rtl, card.config["rtl"]) == (name, params, name)
            assert (card.info["rings"], card.info["rules"]) == (params["RINGS"], params["RULES"])
            assert (card.csr_read("CAPS.rings"), card.csr_read("CAPS.rules")) == (params["RINGS"], params["RULES"])
    # parameters left out keep the default's values; no rtl at all is the default
    assert make_card(rtl={"RULES": 64}).rtl_variant == "default"
    assert make_card().rtl == DEFAULT


@pytest.mark.parametrize("rtl, why", [
    ("huge", 'no variant is named "huge"'),
    ({"RINGS": 2}, "no variant has these values"),
    ({"RINGS": 2, "RULES": 8, "FIFO_DEPTH": 32}, "no variant has these values"),
    ({"DATA_W": 128}, "DATA_W is not a parameter the variants choose"),
])
def test_parameters_that_are_not_built_are_refused(tw, rtl, why):
    with pytest.raises(ValueError) as e:
        tw.Card(rtl=rtl)
    msg = str(e.value)
    assert why in msg
    assert "Built: default (RINGS=4, RULES=64, FIFO_DEPTH=64), small (RINGS=2, RULES=8, FIFO_DEPTH=16)" in msg
    assert "add an entry to RTL_VARIANTS in sim/src/rtl_variants.rs" in msg


def test_rtl_must_be_a_name_or_a_dict_of_integers(tw):
    with pytest.raises(ValueError, match="variant name"):
        tw.Card(rtl=2)
    with pytest.raises(ValueError, match="RINGS must be an integer"):
        tw.Card(rtl={"RINGS": "two"})


def test_the_driver_keeps_to_two_rings_and_eight_rules(make_card):
    card = make_card(rtl="small")
    with pytest.raises(ValueError, match="ring 2 requested, the card implements 2"):
        card.open_ring(2)
    with pytest.raises(ValueError, match="9 rules given, the card implements 8"):
        card.set_flow_table([{"dst_ip": f"233.54.12.{i}", "action": "drop"} for i in range(9)])
    with pytest.raises(ValueError, match="ring 3"):
        card.set_flow_table([{"dst_ip": "233.54.12.1", "action": {"ring": 3}}])
    assert len(card.flow_hits()) == 8
    # the registers of what is not built read 0 and ignore writes
    card.csr_write("RING[2].SLOTS", 64)
    card.csr_write("RING[1].SLOTS", 64)
    assert (card.csr_read("RING[1].SLOTS"), card.csr_read("RING[2].SLOTS")) == (64, 0)

    # eight rules, the last one delivering to ring 1, the last ring
    rules = [{"dst_ip": f"233.54.12.{i}", "action": "drop"} for i in range(7)]
    rules.append({"dst_ip": "233.54.12.111", "action": {"feed": 2, "line": 1, "ring": 1}})
    card.set_flow_table(rules, default="drop")
    r0, r1 = card.open_ring(0, slots=16), card.open_ring(1, slots=16)
    card.start()
    a = itch_add(ref=7)
    card.send(udp_frame(mold(1, [a])))
    card.run_until_idle()
    assert r0.poll_all() == []
    assert_ticks(r1.poll_all(), packet_ticks(1, [a], new_session=True, feed=2, line=1))
    assert card.flow_hits() == [0] * 7 + [1]


def test_a_default_action_to_an_absent_ring_drops_the_frame(make_card):
    """Past the driver (which refuses it): FLOW_DEFAULT naming ring 3 on a 2-ring card acts as drop
    in the flow filter (FLOW_DROPS), on a 4-ring card the ticks reach ring 3 (disabled: its
    DROPS)."""
    for rtl, want in (("default", (0, 3, 4, 0)), ("small", (1, 0, 0, 0))):
        card = make_card(rtl=rtl)
        card.csr_write("FLOW_DEFAULT", 1 | 3 << 24)
        card.csr_write("FLOW_CMD.commit", 1)
        card.start()
        card.send(udp_frame(mold(1, [itch_add(ref=i) for i in range(3)])))
        card.run_until_idle()
        c = card.counters()
        got = (c["flow_drops"], c["mold_msgs"], card.csr_read("RING[3].DROPS"), c["dma_bad_ring"])
        assert got == want, rtl


def burst(make_card, rtl, n=100):
    """One frame of n ITCH System Event messages (12 bytes, the shortest ITCH message: a tick per 14
    payload bytes) into ring 0 of a card whose clk runs at 125 MHz: ticks come in about 1.5 times
    as fast as the DMA side takes them out, for the length of the frame."""
    card = make_card(rtl=rtl, clk_period_ps=8000)
    ring = card.open_ring(0, slots=256)
    card.start()
    msgs = [itch_system(ts=i + 1) for i in range(n)]
    card.send(udp_frame(mold(1, msgs)))
    card.run_until_idle()
    return card, msgs, ring.poll_all()


def test_the_default_fifo_absorbs_the_burst(make_card):
    card, msgs, ticks = burst(make_card, "default")
    expected = packet_ticks(1, msgs, new_session=True)
    assert_ticks(ticks, expected)
    assert card.counters()["tick_overflow"] == 0


def test_the_16_deep_fifo_overflows_and_every_loss_is_counted_and_flagged(make_card):
    card, msgs, ticks = burst(make_card, "small")
    c = card.counters()
    assert ticks[0].is_session and ticks[0].seq == 1
    got = ticks[1:]
    seqs = [t.seq for t in got]
    assert seqs == sorted(set(seqs)) and set(seqs) <= set(range(1, len(msgs) + 1))
    for t in got:
        assert (t.msg_type, t.timestamp, t.decoded()["event_code"]) == ("S", t.seq, "O")
    # every message is delivered or counted at the FIFO, none at the ring
    missing = len(msgs) - len(got)
    assert missing == c["tick_overflow"] == 20
    assert (c["mold_msgs"], c["dma_writes"], card.ring_status(0)["drops"]) == (100, len(ticks), 0)
    # the first tick that gets in after a drop carries LOSS, no other does
    before = [0] + seqs
    assert [t.loss_before for t in got] == [s - p > 1 for p, s in zip(before, seqs)]
    assert all(t.flags & FLAG_LOSS == (FLAG_LOSS if t.loss_before else 0) for t in got)
    # the frame's last record survived here and carries its verdict
    assert got[-1].seq == len(msgs) and got[-1].flags & END == END


def test_the_free_running_rust_path_takes_the_variant_too(tw):
    """rust_replay (SimDevice in its own thread, the driver polling ring 0) on both variants: a
    generated feed at the default clocks fits either FIFO, so the ticks are the same (but for the
    receive timestamps: the free-running card starts when the host thread gets to it)."""
    frames = tw.generate_frames(40, seed=3)
    default, sd = tw.rust_replay(frames, seed=3)
    small, ss = tw.rust_replay(frames, seed=3, rtl="small")

    def fields(ticks):
        return [{k: v for k, v in t.to_dict().items() if k != "rx_ts_ns"} for t in ticks]

    assert fields(small) == fields(default) != []
    assert ss["counters"]["tick_overflow"] == sd["counters"]["tick_overflow"] == 0
    with pytest.raises(ValueError, match="Built: default"):
        tw.rust_replay(frames, rtl="nope")
