# SPDX-License-Identifier: Apache-2.0
"""Issue [B] scenarios: the flow filter reconfigured under traffic, and A/B arbitration.

Filter reconfiguration under traffic (below): a driver task keeps frames to two destinations
flowing while another task rewrites the flow table several times (swap the rings and feeds the two
destinations go to, drop one by its rule, leave one to the default action, ...) and a monitor task
collects the ticks of all four rings. Every frame is judged whole by one table version: the one in
force when its header was looked up. Checked: each frame's ticks agree with exactly one version,
one in force around the time the frame arrived; versions never go back (each destination's frames
move from one version's treatment to the next exactly once per commit); the per-rule hit counters,
FLOW_MISSES and FLOW_DROPS add up exactly to the frames sent under each version.

A/B arbitration with loss on both lines (at the end): the same feed on line A and line B, each
losing different packets (a stretch lost on both), sent by two concurrent tasks: every message
reaches the ring once, from the line that brought it first, duplicates dropped and counted; what
both lines lost shows as a gap event with its exact range.
"""
import random
from dataclasses import dataclass

import pytest

from tw_scenario import (
    FLAG_FRAME_END, FLAG_GAP, FLAG_LATE, drive_and_monitor, event_tick, itch_add, verdict_tick, itch_delete, mold, msg_tick, packet_ticks, tick_fields, udp_frame,
)

X, Y = ("233.54.12.1", 26400), ("233.54.12.2", 26400)
DEST = {"X": X, "Y": Y}


def to(ring, feed, line=0):
    return {"ring": ring, "feed": feed, "line": line}


def rule(dest, action, any_port=False):
    ip, port = DEST[dest]
    return {"dst_ip": ip, "dst_port": None if any_port else port, "action": action}


# The table versions, in commit order: (rules, default). Each destination gets a different
# treatment in every version (its ticks tell the version apart), and every version that drops a
# destination sits between two that deliver it (so its dropped frames are attributed exactly).
#        X                          Y
TABLES = [
    ([rule("X", to(0, 1)), rule("Y", to(1, 2))], "drop"),
    # swap the rings (and the rule order: rule 0 now matches Y); Y on line B
    ([rule("Y", to(0, 3, line=1)), rule("X", to(1, 4))], "drop"),
    # X dropped by its rule (a hit and a drop); Y by a port-any rule to ring 2
    ([rule("X", "drop"), rule("Y", to(2, 5), any_port=True)], "drop"),
    # X matches no rule (a miss): the default delivers it to ring 3 on line B; Y dropped by rule 1
    ([{"dst_ip": "198.51.100.1", "action": to(3, 6)}, rule("Y", "drop")], to(3, 7, line=1)),
    ([rule("X", to(2, 8)), rule("Y", to(0, 9, line=1))], "drop"),
    # X matches no rule, the default drops it (a miss and a drop)
    ([rule("Y", to(3, 10))], "drop"),
    ([rule("X", to(1, 11)), rule("Y", to(2, 12))], to(0, 13)),
]


def judge(table, dest):
    """(index of the rule that matches, action): the lowest-numbered match, else the default."""
    rules, default = table
    ip, port = DEST[dest]
    for i, r in enumerate(rules):
        if r["dst_ip"] == ip and r["dst_port"] in (None, port):
            return i, r["action"]
    return None, default


@dataclass
class Frame:
    index: int
    dest: str
    sent: int     # clk cycle it was queued at
    msgs: list

    @property
    def seq(self):
        return 1 + 4 * self.index


AXES = {
    "plain": {},
    "backpressure": {"awready_prob": 0.5, "wready_prob": 0.6, "bresp_delay_max": 20, "idle_prob": 0.2},
}
QUEUE = 5          # frames the driver keeps queued at the MAC: the traffic outlasts a commit
SLACK = 64         # clk cycles: header parse, lookup, card-clock offset
LATE = (QUEUE + 2) * 150  # clk cycles a queued frame may wait for the MAC (a frame takes < 150)


@pytest.mark.parametrize("seed", [13, 14, 15])
@pytest.mark.parametrize("axis", list(AXES))
def test_filter_reconfiguration_under_traffic(make_card, axis, seed):
    # 2.5 Gb/s: a ~100-byte frame every ~100 clk cycles; a commit (set_flow_table) takes ~300
    card = make_card(seed=seed, line_rate_bps=2_500_000_000, **AXES[axis])
    clk_ns = card.config["clk_period_ps"] / 1000
    rings = [card.open_ring(i, slots=1024) for i in range(4)]
    c0 = card.counters()
    start = card.clk_cycles
    commits = [(card.set_flow_table(*TABLES[0]), start, card.clk_cycles)]  # (version, call start, call end)
    card.start()
    sim = card.async_sim()
    traffic, pace = random.Random(seed), random.Random(seed + 1000)
    sent: list[Frame] = []
    entered = []  # frames the MAC started while each commit was being made

    async def driver(stop):
        while not stop.is_set:
            if card.stats()["frames_pending"] >= QUEUE:
                await sim.cycles(16)
                continue
            f = Frame(len(sent), traffic.choice("XY"), card.clk_cycles, [])
            f.msgs = [itch_add(ref=f.seq), itch_delete(ref=f.seq)][:traffic.randint(1, 2)]
            ip, port = DEST[f.dest]
            card.send(udp_frame(mold(f.seq, f.msgs), dst=ip, dport=port))
            sent.append(f)

    async def reconfigure(stop):
        for table in TABLES[1:]:
            await sim.cycles(pace.randrange(1500, 2500))
            t0, n0 = card.clk_cycles, card.stats()["frames_sent"]
            v = card.set_flow_table(*table)
            commits.append((v, t0, card.clk_cycles))
            entered.append(card.stats()["frames_sent"] - n0)
        await sim.cycles(2000)
        stop.set()

    got = drive_and_monitor(sim, card, rings, driver, reconfigure)

    versions = [v for v, _, _ in commits]
    assert versions == list(range(versions[0], versions[0] + len(TABLES))), "one version per commit"
    for i in range(4):  # every ring's slots in order, none lost or repeated
        assert [t.valid for r, t in got if r == i] == list(range(1, 1 + sum(r == i for r, _ in got)))

    def in_force(k):
        """clk cycles version k may have been in force: from the start of its commit call to the
        end of the next one's."""
        return commits[k][1], (commits[k + 1][2] if k + 1 < len(commits) else float("inf"))

    # ---- which version each delivered frame's ticks agree with (an event record carries its
    # packet's sequence number, so it groups with its frame's messages)
    by_frame: dict[int, list] = {}
    for ring, t in got:
        by_frame.setdefault((t.seq - 1) // 4, []).append((ring, t))
    # the sequencer, per feed: every version sends a destination to a feed of its own, so a
    # feed's first frame starts its session (NEW_SESSION), and the frames of the other
    # destination (and dropped ones) leave gaps between a feed's frames
    feed_next: dict[int, int] = {}
    gaps = 0
    version_of: dict[int, int] = {}
    for i, ticks in sorted(by_frame.items()):
        f = sent[i]
        ring, t0 = ticks[0]
        where = {(ring, t.feed, t.line) for ring, t in ticks}
        assert len(where) == 1, f"frame {i} split across rings/feeds/lines: {where}"
        candidates = [k for k, table in enumerate(TABLES)
                      if judge(table, f.dest)[1] == to(ring, t0.feed, t0.line)]
        assert len(candidates) == 1, f"frame {i} to {f.dest} delivered as ring {ring} feed {t0.feed} line {t0.line}: " \
                                     f"no version (or several) says so: {candidates}"
        k = candidates[0]
        version_of[i] = k
        # exact ticks: the event record (new session, or gap), its messages, the last with FRAME_END
        expected = feed_next.get(t0.feed)
        gap_from = expected if expected is not None and f.seq > expected else None
        gaps += gap_from is not None
        feed_next[t0.feed] = f.seq + len(f.msgs)
        want = packet_ticks(f.seq, f.msgs, new_session=expected is None, gap_from=gap_from, feed=t0.feed,
                            line=t0.line)
        assert [tick_fields(t) for _, t in ticks] == want, f"frame {i}"
        # ... and that version was in force when the frame arrived (rx_ts_ns: the card clock at
        # its first beat, which counts the same ns as the simulation, from just after reset)
        arrival = t0.rx_ts_ns / clk_ns
        lo, hi = in_force(k)
        assert lo - SLACK <= arrival <= hi + SLACK, \
            f"frame {i} arrived at clk {arrival:.0f}, judged by version {k} (in force {lo}..{hi})"

    # ---- every destination's frames, in order: versions only move forward, one step per commit;
    # the frames not delivered fall between the two neighbours of one version that drops them
    for dest in DEST:
        frames = [f for f in sent if f.dest == dest]
        run: list[Frame] = []
        prev = -1
        for f in frames + [None]:
            if f is not None and f.index not in version_of:
                run.append(f)
                continue
            nxt = version_of[f.index] if f is not None else len(TABLES)
            assert nxt >= prev, f"{dest}: frame {f.index} judged by version {nxt} after a frame judged by {prev}"
            if run:
                drops = [k for k in range(prev + 1, nxt) if judge(TABLES[k], dest)[1] == "drop"]
                assert len(drops) == 1, f"{dest}: frames {[g.index for g in run]} not delivered between versions " \
                                        f"{prev} and {nxt}; versions that drop {dest} in between: {drops}"
                for g in run:
                    version_of[g.index] = drops[0]
                run = []
            prev = nxt
        for f in frames:  # dropped ones too: sent before the version ended, not long before it began
            lo, hi = in_force(version_of[f.index])
            assert f.sent <= hi and lo <= f.sent + LATE, \
                f"{dest}: frame {f.index} sent at clk {f.sent}, judged by version {version_of[f.index]} ({lo}..{hi})"
        seen = [version_of[f.index] for f in frames]
        assert seen == sorted(seen)
        steps = [k for n, k in enumerate(seen) if n == 0 or k != seen[n - 1]]
        assert steps == list(range(len(TABLES))), f"{dest} must see every version, once, in order: {steps}"
    # traffic really crossed the commits: frames went in while every commit was being made
    assert min(entered) >= 2, entered

    # ---- counters add up exactly to the frames sent under each version
    hits = [0] * card.info["rules"]
    misses = drops = msgs = 0
    for f in sent:
        i, action = judge(TABLES[version_of[f.index]], f.dest)
        if i is None:
            misses += 1
        else:
            hits[i] += 1
        if action == "drop":
            drops += 1
        else:
            msgs += len(f.msgs)
    assert card.flow_hits() == hits
    c = card.counters()
    d = {k: c[k] - c0[k] for k in c}
    assert (d["rx_frames"], d["rx_accepted"], d["flow_misses"], d["flow_drops"]) == (len(sent), len(sent), misses, drops)
    assert (d["mold_pkts"], d["mold_msgs"], d["mold_sessions"]) == (len(by_frame), msgs, len(feed_next))
    assert (d["seq_gaps"], d["seq_dups"]) == (gaps, 0)
    assert d["dma_writes"] == len(got) == msgs + len(feed_next) + gaps
    assert (card.csr_read("FLOW_EVENTS_LOST"), card.csr_read("FLOW_WR_REJECTED")) == (0, 0)
    assert all(card.ring_status(i)["drops"] == 0 for i in range(4))
    assert drops and misses and len(sent) > 100  # the scenario exercised what it claims


# ---------------------------------------------------------------- A/B arbitration

GROUP_A, GROUP_B, PORT = "233.54.12.111", "233.49.196.111", 26477
AB_FEED, AB_RING = 3, 2


def _messages(rng, n):
    return [itch_add(ref=k, shares=rng.randrange(1, 1000)) if rng.random() < 0.6 else itch_delete(ref=k)
            for k in range(1, n + 1)]


def _packetize(msgs, rng, first=1):
    """The message stream cut into MoldUDP64 packets of 1 to 4 messages: [(seq, [msgs])]."""
    out, i = [], 0
    while i < len(msgs):
        n = rng.randint(1, 4)
        out.append((first + i, msgs[i:i + n]))
        i += n
    return out


def _sequencer(arrivals):
    """The expected ticks (tick_fields dicts) of frames arriving in this order, each
    (line, seq, msgs), for one feed, written here from the documented rules (docs/architecture.md),
    independently of the Rust model: first arrival wins per message; a jump forward is a gap
    event, and the range becomes the hole; a later copy of a message in the hole is delivered
    flagged LATE (the hole then starts after it); any other copy below the next expected number
    is a duplicate."""
    out, expected, hole = [], None, (0, 0)
    for line, seq, msgs in arrivals:
        ticks = []
        if expected is None:
            ticks.append(event_tick(seq, new_session=True, feed=AB_FEED, line=line))
            expected = seq
        elif seq > expected:
            ticks.append(event_tick(seq, gap_from=expected, feed=AB_FEED, line=line))
        last_fill, last_made = None, not msgs
        for j, m in enumerate(msgs):
            s = seq + j
            last_made = True
            if s >= expected:
                flags = FLAG_GAP if (seq > expected and j == 0) else 0
                ticks.append(msg_tick(s, m, flags=flags, feed=AB_FEED, line=line))
            elif hole[0] <= s < hole[1]:
                ticks.append(msg_tick(s, m, flags=FLAG_LATE, feed=AB_FEED, line=line))
                last_fill = s
            else:
                last_made = False  # a duplicate: no record
        # the record made on the payload's last beat (the last message's, which ends it) carries
        # FRAME_END; when the last message was a duplicate, a VERDICT record does
        if ticks and last_made:
            ticks[-1]["flags"] |= FLAG_FRAME_END
        elif ticks:
            ticks.append(verdict_tick(False, feed=AB_FEED, line=line))
        if seq > expected:
            merge = hole[0] < hole[1] and hole[1] == expected
            hole = (hole[0] if merge else expected, seq)
        elif last_fill is not None:
            hole = (last_fill + 1, hole[1])
        expected = max(expected, seq + len(msgs))
        out += ticks
    return out


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_ab_arbitration_with_loss_on_both_lines(make_card, seed):
    """One feed on two lines: line A and line B carry the same 240 messages, packetized
    differently (so B's packets overlap A's partially), each line loses its own 15% of packets,
    and a stretch is lost on both; two driver tasks send the lines concurrently, line B trailing
    line A by a random lag (sometimes leading), while a monitor task polls the ring.

    Checked: the ticks equal, field by field, those of a first-arrival-wins reference written
    here; every message either line brought reaches the ring exactly once, from the line whose
    copy arrived first, at most once; copies that lost the race are dropped and counted
    (SEQ_DUPS), at message granularity; what both lines lost is in a gap event with its exact
    range, the next message flagged GAP. The card does not wait for the trailing line: when the
    leading line's next message comes before the trailing line's copy of one it lost, the gap is
    reported at once and the late copy is delivered when it comes, flagged LATE (counted in
    SEQ_LATE) -- if it fills the feed's latest gap: a late copy for an older gap (the leading
    line lost again meanwhile) is dropped as a duplicate; its message stays in the gap reported."""
    rng = random.Random(seed)
    card = make_card(seed=seed, idle_prob=0.2, awready_prob=0.7)
    ring = card.open_ring(AB_RING, slots=1024)
    act = {"ring": AB_RING, "feed": AB_FEED}
    card.set_flow_table([
        {"dst_ip": GROUP_A, "dst_port": PORT, "action": {**act, "line": 0}},
        {"dst_ip": GROUP_B, "dst_port": PORT, "action": {**act, "line": 1}},
    ], "drop")
    card.start()
    msgs = _messages(rng, 240)
    lines = {0: _packetize(msgs, rng), 1: _packetize(msgs, rng)}
    both = set(range(100, 112))  # messages lost on both lines: their packets are lost on each
    for line, pkts in lines.items():
        keep = [(seq, m) for seq, m in pkts
                if rng.random() >= 0.15 and not any(seq + j in both for j in range(len(m)))]
        lines[line] = keep
    assert lines[0] and lines[1]

    sim = card.async_sim()
    arrivals = []  # (line, seq, msgs) in the order they entered the MAC: the card's arrival order

    async def line_driver(line, lag):
        await sim.cycles(lag)
        for seq, m in lines[line]:
            await sim.cycles(rng.randrange(20, 400))
            card.send(udp_frame(mold(seq, m), dst=GROUP_B if line else GROUP_A, dport=PORT))
            arrivals.append((line, seq, m))

    async def monitor(done):
        got = []
        while not (done.is_set and card.is_idle()):
            got += ring.poll_all()
            await sim.cycles(300)
        return got + ring.poll_all()

    async def main():
        done = sim.event()
        a = sim.start_soon(line_driver(0, 0))
        b = sim.start_soon(line_driver(1, rng.randrange(0, 3000)))
        mon = sim.start_soon(monitor(done))
        await a
        await b
        done.set()
        return await mon

    got = sim.run(main())
    card.run_until_idle()
    got += ring.poll_all()

    want = _sequencer(arrivals)
    assert [tick_fields(t) for t in got] == want
    # at most once, only what a line brought; in sequence order but for the late fills
    brought = {seq + j for _, seq, m in arrivals for j in range(len(m))}
    delivered = [t.seq for t in got if t.is_message]
    assert len(set(delivered)) == len(delivered) and set(delivered) <= brought and not both & set(delivered)
    in_order = [t.seq for t in got if t.is_message and not t.flags & FLAG_LATE]
    assert in_order == sorted(in_order)
    # every late fill lies in a gap reported before it; the stretch lost on both is in a gap
    gaps, late = [], 0
    for t in got:
        if t.is_event and t.gap:
            gaps.append(t.gap)
        elif t.is_message and t.flags & FLAG_LATE:
            late += 1
            assert any(lo <= t.seq < hi for lo, hi in gaps), (t.seq, gaps)
    assert any(lo <= 100 and hi >= 112 for lo, hi in gaps), gaps
    # what was not delivered (lost on both lines, or late for an older gap) is in a gap reported
    missing = set(range(1, 241)) - set(delivered)
    assert all(any(lo <= s < hi for lo, hi in gaps) for s in missing), (sorted(missing), gaps)
    assert late > 0, "the trailing line filled a gap late (the scenario exercised what it claims)"
    # both lines won some messages (the race is real)
    assert {t.line for t in got if t.is_message} == {0, 1}
    c = card.counters()
    copies = sum(len(m) for _, _, m in arrivals)
    assert c["mold_msgs"] == copies and c["seq_dups"] == copies - len(delivered) and c["seq_late"] == late
    assert c["seq_gaps"] == len(gaps) and c["mold_sessions"] == 1
    assert c["dma_writes"] == len(got) and ring.close()["drops"] == 0


def test_disabling_receive_forgets_every_feeds_sequence(card):
    """CTRL.rx_enable cleared and set again: the sequencer forgets every feed, so a replay of the
    same packets starts the feed afresh instead of being dropped as duplicates."""
    ring = card.open_ring(0, slots=64)
    a, d = itch_add(ref=1), itch_delete(ref=1)
    card.start()
    card.send(udp_frame(mold(1, [a, d])))
    card.send(udp_frame(mold(1, [a, d])))       # the other line's copy: duplicates
    card.run_until_idle()
    card.stop_rx()
    card.start()
    card.send(udp_frame(mold(1, [a, d])))       # the same packet again, after the restart
    card.run_until_idle()
    assert [tick_fields(t) for t in ring.poll_all()] == 2 * packet_ticks(1, [a, d], new_session=True)
    c = card.counters()
    assert (c["seq_dups"], c["mold_sessions"]) == (2, 2)
