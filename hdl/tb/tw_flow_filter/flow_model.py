# SPDX-License-Identifier: Apache-2.0
"""Reference model of tw_flow_filter's rule semantics and CSR window, written from the spec.

A table is (rules, default): rules a list of Rule (index = rule number), default an Action.
lookup() returns the tuple the DUT presents with m_valid:
(deliver, feed, line, ring, hit, rule); on a miss rule = 0 and the action is the default's.
"""
from dataclasses import dataclass, replace
from typing import NamedTuple

# CSR words inside a rule's 0x20 bytes, and the bits each implements.
W_DST, W_SRC, W_PV, W_MATCH, W_ACT, W_HITS = range(6)
WORD_MASK = [0xFFFF_FFFF, 0xFFFF_FFFF, 0x0FFF_FFFF, 0x0000_3F07, 0x1F01_0F01]
STRIDE = 0x20


class Hdr(NamedTuple):
    dst: int
    src: int
    port: int
    vlan_valid: int
    vid: int


@dataclass(frozen=True)
class Action:
    deliver: int = 0
    feed: int = 0
    line: int = 0
    ring: int = 0


@dataclass(frozen=True)
class Rule:
    valid: int = 0
    dst: int = 0
    src: int = 0
    plen: int = 0          # as written (0..63); above 32 acts as 32
    port: int = 0
    port_any: int = 0
    vid: int = 0
    vlan_any: int = 0
    act: Action = Action()

    def words(self):
        a = self.act
        return [self.dst, self.src, (self.vid << 16) | self.port,
                (self.plen << 8) | (self.vlan_any << 2) | (self.port_any << 1) | self.valid,
                (a.ring << 24) | (a.line << 16) | (a.feed << 8) | a.deliver]

    @staticmethod
    def from_words(w):
        return Rule(valid=w[3] & 1, port_any=(w[3] >> 1) & 1, vlan_any=(w[3] >> 2) & 1, plen=(w[3] >> 8) & 0x3F,
                    dst=w[0], src=w[1], port=w[2] & 0xFFFF, vid=(w[2] >> 16) & 0xFFF,
                    act=Action(deliver=w[4] & 1, feed=(w[4] >> 8) & 0xF, line=(w[4] >> 16) & 1,
                               ring=(w[4] >> 24) & 0x1F))


def prefix_mask(plen):
    n = min(plen, 32)
    return ((1 << n) - 1) << (32 - n)


def rule_matches(r, h):
    if not r.valid or h.dst != r.dst:
        return False
    if (h.src ^ r.src) & prefix_mask(r.plen):
        return False
    if not r.port_any and h.port != r.port:
        return False
    # vlan_any matches tagged and untagged frames; an exact VID never matches an untagged frame
    if not r.vlan_any and (not h.vlan_valid or h.vid != r.vid):
        return False
    return True


def effective(a, feeds, rings):
    """An action whose feed/ring is out of range never delivers (the rest is presented as is)."""
    return (int(bool(a.deliver) and a.feed < feeds and a.ring < rings), a.feed, a.line, a.ring)


def lookup(table, h, feeds, rings):
    rules, default = table
    for n, r in enumerate(rules):
        if rule_matches(r, h):
            return effective(r.act, feeds, rings) + (1, n)
    return effective(default, feeds, rings) + (0, 0)


class Shadow:
    """The host-visible shadow table: the words as written (unimplemented bits dropped)."""

    def __init__(self, rules):
        self.n = rules
        self.words = [[0] * 5 for _ in range(rules)]

    def write(self, rule, word, data, biten=0xFFFF_FFFF):
        if rule >= self.n or word > W_ACT:
            return
        old = self.words[rule][word]
        self.words[rule][word] = ((old & ~biten) | (data & biten)) & WORD_MASK[word]

    def read(self, rule, word):
        if rule >= self.n or word > W_ACT:
            return 0
        return self.words[rule][word]

    def rule(self, n):
        return Rule.from_words(self.words[n])

    def rules(self):
        return [self.rule(n) for n in range(self.n)]


__all__ = ["Hdr", "Action", "Rule", "Shadow", "lookup", "rule_matches", "prefix_mask", "effective", "replace",
           "W_DST", "W_SRC", "W_PV", "W_MATCH", "W_ACT", "W_HITS", "WORD_MASK", "STRIDE"]
