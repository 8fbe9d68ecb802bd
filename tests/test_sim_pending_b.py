# SPDX-License-Identifier: Apache-2.0
"""Two scenarios of issue [P] need card features that issue [B] brings, and are not written yet:

- filter reconfiguration under traffic: a driver task sends two feeds (two dst groups) back to back
  while another task rewrites the filter rule of feed 2 from 'drop' to 'ring 1' and back; every
  frame is judged whole by the rule in force at its first beat; ticks and per-rule counters exact.
- A/B arbitration with loss on both lines: the same feed on line A and line B, each losing
  different packets (one lost on both): every message reaches the ring once, in order, duplicates
  dropped and counted; the message lost on both lines shows as a gap with its exact range.

They are listed here rather than stubbed out. The test below checks that the card still lacks the
features; it fails once [B] adds them, which is the signal to write the two scenarios here."""
import pytest


def test_the_card_still_lacks_what_the_b_scenarios_need(card):
    assert card.info["rules"] == 0, "the flow filter exists now: write the filter-reconfiguration scenario"
    with pytest.raises(ValueError, match=r"issue \[B\]"):
        card.send(b"\x00" * 60, line=1)
