# SPDX-License-Identifier: Apache-2.0
"""Scenarios of issue [P] that need card features issue [B] brings: the flow filter and the A/B
feed lines. They are skipped, not faked: each skip names what is missing. When [B] lands, replace
the skip with the scenario described in the docstring (the harness already takes `line=`)."""
import pytest

B_FILTER = ("needs the flow filter (dst IP, dst port, VLAN -> drop | feed, line, ring) of issue [B]: "
            "the card has no filter registers yet (CAPS.rules == 0)")
B_LINES = ("needs A/B feed lines and the per-feed sequencer (arbitration, duplicate drop, gap events) "
           "of issue [B]: the card has one input line, tickwire_sim.Card.send accepts line=0 only")


@pytest.mark.skip(reason=B_FILTER)
def test_filter_reconfiguration_under_traffic():
    """A driver task sends two feeds (two dst groups) back to back while another task rewrites the
    filter rule of feed 2 from 'drop' to 'ring 1' and back; every frame is judged whole by the rule
    in force at its first beat; ticks and per-rule counters are exact."""


@pytest.mark.skip(reason=B_LINES)
def test_ab_arbitration_with_loss_on_both_lines():
    """The same feed on line A and line B, each losing different packets (including one lost on
    both): the ring gets every message once, in order, duplicates dropped and counted; the message
    lost on both lines shows as a gap event / GAP flag with the exact sequence range."""


def test_the_card_still_lacks_what_the_skips_wait_for(card):
    """Fails once [B] lands (filter rules or a second line appear), so the skips above get
    replaced by the real scenarios instead of being forgotten."""
    assert card.info["rules"] == 0, "the flow filter exists now: write test_filter_reconfiguration_under_traffic"
    with pytest.raises(ValueError, match=r"issue \[B\]"):
        card.send(b"\x00" * 60, line=1)
