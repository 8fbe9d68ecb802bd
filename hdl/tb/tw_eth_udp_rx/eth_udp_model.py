# SPDX-License-Identifier: Apache-2.0
"""Reference model and frame generators for the tw_eth_udp_rx bench.

`model()` states what the parser must do with one frame, byte by byte, from the module's rules (not
from its implementation). The generators build frames with scapy and tag each with the outcome they
were built to provoke; the bench checks that the model agrees with that tag before using it.
"""
import random
import struct
from dataclasses import dataclass, field

from scapy.all import ARP, ICMP, IP, TCP, UDP, Dot1Q, Ether, IPOption, IPv6, Raw

MIN_FRAME = 60  # Ethernet minimum without FCS: what a MAC delivers after stripping it


@dataclass
class Expect:
    """What one input frame must produce."""
    kind: str                      # "ok", "not_udp", "bad_hdr"
    errs: dict = field(default_factory=lambda: {"not_udp": 0, "bad_hdr": 0, "mac": 0})
    hdr: dict | None = None        # header fields (ts is added by the bench: s_ts at the first beat)
    payload: bytes | None = None
    tuser: int = 0


def model(frame: bytes, mac_err: bool) -> Expect:
    """Expected outcome of one frame (its bytes as delivered by the MAC, and the MAC error flag)."""
    e = Expect("ok")
    e.errs["mac"] = int(mac_err)
    n = len(frame)

    def drop(kind):
        e.kind = kind
        e.errs[kind] += 1
        return e

    be16 = lambda o: struct.unpack_from(">H", frame, o)[0]  # noqa: E731
    if n < 14:
        return drop("bad_hdr")
    et, ip, vlan, vid = be16(12), 14, False, 0
    if et == 0x8100:
        if n < 18:
            return drop("bad_hdr")
        vlan, vid, et, ip = True, be16(14) & 0xFFF, be16(16), 18
    if et != 0x0800:
        return drop("not_udp")
    # The IPv4 checks need the header up to the protocol byte.
    if n < ip + 10:
        return drop("bad_hdr")
    ver, ihl = frame[ip] >> 4, frame[ip] & 0xF
    if ver != 4 or ihl < 5:
        return drop("bad_hdr")
    frag = be16(ip + 6)
    if frame[ip + 9] != 17 or frag & 0x2000 or frag & 0x1FFF:
        return drop("not_udp")
    total = be16(ip + 2)
    if total < 4 * ihl + 8:
        return drop("bad_hdr")
    u = ip + 4 * ihl
    p = u + 8
    if n < p + 1:  # ended inside the headers, or right after them with no payload byte
        return drop("bad_hdr")
    ulen = be16(u + 4)
    if ulen < 9 or ulen > total - 4 * ihl:  # 9: empty datagrams are dropped (module's choice)
        return drop("bad_hdr")
    e.hdr = {
        "eth_dst": int.from_bytes(frame[0:6], "big"),
        "eth_src": int.from_bytes(frame[6:12], "big"),
        "vlan_valid": int(vlan),
        "vlan_vid": vid,
        "ip_src": int.from_bytes(frame[ip + 12:ip + 16], "big"),
        "ip_dst": int.from_bytes(frame[ip + 16:ip + 20], "big"),
        "udp_src_port": be16(u),
        "udp_dst_port": be16(u + 2),
        "udp_length": ulen,
    }
    want = ulen - 8
    e.payload = frame[p:p + want]
    truncated = len(e.payload) < want
    if truncated:
        e.errs["bad_hdr"] += 1
    e.tuser = int(mac_err or truncated)
    return e


# ------------------------------------------------------------------------------------------------
# Generators. Each returns (frame bytes, mac_err, intended kind, description).

def _mac(rng):
    return ":".join(f"{rng.randrange(256):02x}" for _ in range(6))


def _ip(rng):
    return ".".join(str(rng.randrange(256)) for _ in range(4))


def _pad(b, pad):
    return b + bytes(MIN_FRAME - len(b)) if pad and len(b) < MIN_FRAME else b


def _l2(rng, vlan):
    eth = Ether(dst=_mac(rng), src=_mac(rng))
    if vlan:
        eth = eth / Dot1Q(vlan=rng.randrange(4096), prio=rng.randrange(8))
    return eth


def _opts(ihl):
    return [IPOption(bytes([1]) * (4 * (ihl - 5)))] if ihl > 5 else []


def udp_frame(rng, paylen, vlan=False, ihl=5, pad=True, mac_err=False, trailer=0, ip_kw=None, udp_kw=None):
    """A UDP datagram with `paylen` payload bytes, then `trailer` extra bytes, then Ethernet padding."""
    ip_kw = dict(ip_kw or {})
    udp_kw = dict(udp_kw or {})
    pkt = (_l2(rng, vlan)
           / IP(src=_ip(rng), dst=_ip(rng), options=_opts(ihl), **ip_kw)
           / UDP(sport=rng.randrange(65536), dport=rng.randrange(65536), **udp_kw)
           / Raw(rng.randbytes(paylen)))
    b = bytes(pkt) + rng.randbytes(trailer)
    return _pad(b, pad), mac_err


def good(rng, paylen=None, **kw):
    if paylen is None:
        paylen = rng.randint(1, 1472) if rng.random() < 0.5 else rng.randint(1, 80)
    kw.setdefault("vlan", rng.random() < 0.5)
    kw.setdefault("ihl", 5 if rng.random() < 0.5 else rng.randint(6, 15))
    kw.setdefault("pad", rng.random() < 0.8)
    kw.setdefault("mac_err", rng.random() < 0.05)
    if "trailer" not in kw and rng.random() < 0.1:
        # Bytes after the datagram: an Ethernet trailer, or an IPv4 packet longer than its UDP datagram.
        kw["trailer"] = rng.randint(1, 20)
        if rng.random() < 0.5:
            kw["ip_kw"] = {"len": 4 * kw["ihl"] + 8 + paylen + kw["trailer"]}
    b, mac = udp_frame(rng, paylen, **kw)
    return b, mac, "ok", f"udp len={paylen} {kw}"


def not_udp(rng):
    vlan = rng.random() < 0.5
    mac = rng.random() < 0.05
    kind = rng.choice(["arp", "ipv6", "qinq", "other_et", "tcp", "icmp", "mf", "frag_off", "inner_vlan"])
    if kind == "arp":
        pkt = _l2(rng, vlan) / ARP(psrc=_ip(rng), pdst=_ip(rng))
    elif kind == "ipv6":
        pkt = _l2(rng, vlan) / IPv6() / UDP() / Raw(rng.randbytes(rng.randint(1, 100)))
    elif kind == "qinq":
        pkt = Ether(dst=_mac(rng), src=_mac(rng), type=0x88A8) / Dot1Q(vlan=5) / IP() / UDP() / Raw(b"q" * 30)
    elif kind == "other_et":
        pkt = Ether(dst=_mac(rng), src=_mac(rng), type=rng.choice([0x88CC, 0x86DD, 0x0806, 0x0801, 0x0000]))
        pkt = pkt / Raw(rng.randbytes(rng.randint(46, 200)))
    elif kind == "inner_vlan":
        pkt = Ether(dst=_mac(rng), src=_mac(rng)) / Dot1Q(vlan=7) / Dot1Q(vlan=8) / IP() / UDP() / Raw(b"i" * 30)
    elif kind == "tcp":
        pkt = _l2(rng, vlan) / IP(options=_opts(rng.randint(5, 15))) / TCP() / Raw(rng.randbytes(rng.randint(0, 100)))
    elif kind == "icmp":
        pkt = _l2(rng, vlan) / IP() / ICMP() / Raw(rng.randbytes(rng.randint(0, 40)))
    elif kind == "mf":
        pkt = _l2(rng, vlan) / IP(flags="MF") / UDP() / Raw(rng.randbytes(rng.randint(1, 200)))
    else:
        pkt = _l2(rng, vlan) / IP(frag=rng.randint(1, 8191)) / UDP() / Raw(rng.randbytes(rng.randint(1, 200)))
    return _pad(bytes(pkt), rng.random() < 0.8), mac, "not_udp", kind


def bad_hdr(rng):
    vlan = rng.random() < 0.5
    ihl = 5 if rng.random() < 0.5 else rng.randint(6, 15)
    mac = rng.random() < 0.05
    kind = rng.choice(["cut_hdr", "ihl", "version", "ip_len", "udp_short", "udp_empty", "udp_long"])
    paylen = rng.randint(1, 100)
    if kind == "cut_hdr":
        b, _ = udp_frame(rng, paylen, vlan=vlan, ihl=ihl, pad=False)
        p = 14 + 4 * vlan + 4 * ihl + 8
        return b[:rng.randint(1, p)], mac, "bad_hdr", kind
    if kind == "ihl":
        kw = {"ip_kw": {"ihl": rng.randint(0, 4)}}
    elif kind == "version":
        kw = {"ip_kw": {"version": rng.choice([0, 5, 6, 15])}}
    elif kind == "ip_len":
        kw = {"ip_kw": {"len": rng.randint(0, 4 * ihl + 7)}}
    elif kind == "udp_short":
        kw = {"udp_kw": {"len": rng.randint(0, 7)}}
    elif kind == "udp_empty":
        kw = {"udp_kw": {"len": 8}}
    else:
        kw = {"udp_kw": {"len": paylen + 8 + rng.randint(1, 300)}}
    b, _ = udp_frame(rng, paylen, vlan=vlan, ihl=ihl, pad=rng.random() < 0.8, **kw)
    return b, mac, "bad_hdr", kind


def truncated_payload(rng):
    """A good datagram cut inside its payload: header out, payload ends early with tuser."""
    paylen = rng.randint(2, 1472) if rng.random() < 0.3 else rng.randint(2, 60)
    vlan, ihl = rng.random() < 0.5, rng.choice([5, 5, rng.randint(6, 15)])
    b, _ = udp_frame(rng, paylen, vlan=vlan, ihl=ihl, pad=False)
    p = 14 + 4 * vlan + 4 * ihl + 8
    return b[:rng.randint(p + 1, p + paylen - 1)], rng.random() < 0.1, "ok", "cut_payload"


def mixed(rng):
    """One frame from the whole mix, weighted towards good datagrams."""
    x = rng.random()
    if x < 0.6:
        return good(rng)
    if x < 0.75:
        return not_udp(rng)
    if x < 0.9:
        return bad_hdr(rng)
    return truncated_payload(rng)
