# SPDX-License-Identifier: Apache-2.0
"""Reference model and frame generators for the tw_eth_udp_rx bench.

`model()` states what the parser must do with one frame, byte by byte, from the module's rules (not
from its implementation). The generators build frames with scapy and tag each with the outcome they
were built to provoke; the bench checks that the model agrees with that tag before using it.
"""
import struct
from dataclasses import dataclass

from scapy.all import ARP, ICMP, IP, TCP, UDP, Dot1AD, Dot1Q, Ether, IPOption, IPv6, Raw

MIN_FRAME = 60  # Ethernet minimum without FCS: what a MAC delivers after stripping it
DEFAULT_MAX_LEN = 1518

# Drop / error classes in precedence order (the module's err_<class> outputs).
CLASSES = ("not_ipv4", "ip_hdr", "ip_len", "fragment", "not_udp", "ip_csum", "udp_len_long",
           "udp_len_short", "too_long", "runt", "trunc", "udp_csum")
END_CLASSES = ("too_long", "runt", "trunc", "udp_csum")   # may follow an accepted header


@dataclass
class Expect:
    """What one input frame must produce."""
    cls: str | None                # the one err_<class> pulse, None for a good frame
    mac: int                       # err_mac pulse
    accepted: bool = False         # header emitted (ev_accepted)
    hdr: dict | None = None        # header fields (ts is added by the bench: s_ts at the first beat)
    payload: bytes | None = None
    tuser: int = 0                 # verdict on the last payload beat
    latency: int | None = None     # cycles from the beat ending the frame to the last payload beat

    @property
    def kind(self):
        """"ok" for a good frame, else its class."""
        return self.cls or "ok"


def ones_sum(data: bytes) -> int:
    """16-bit ones'-complement sum of big-endian words, an odd last byte padded with zero."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f">{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def model(frame: bytes, mac_err: bool, max_len: int = DEFAULT_MAX_LEN) -> Expect:
    """Expected outcome of one frame (its bytes as delivered by the MAC, its MAC error flag, cfg_max_len)."""
    n = len(frame)
    cut = max_len != 0 and n > max_len
    m = max_len if cut else n          # bytes the parser looks at: the frame ends there for it
    e = Expect(None, int(mac_err))

    def end_class():
        return "too_long" if cut else "runt" if n < MIN_FRAME else "trunc"

    def drop(cls):
        e.cls = cls
        return e

    be16 = lambda o: struct.unpack_from(">H", frame, o)[0]  # noqa: E731

    # Tag stack. Each check needs its field's last byte within the first m bytes.
    if m < 14:
        return drop(end_class())
    et, tags, tcis = be16(12), 0, []
    if et in (0x8100, 0x88A8):
        if m < 18:
            return drop(end_class())
        tags, tcis, et = 1, [be16(14)], be16(16)
        if et == 0x8100:
            if m < 22:
                return drop(end_class())
            tags, tcis, et = 2, tcis + [be16(18)], be16(20)
    if et != 0x0800:
        return drop("not_ipv4")
    ip = 14 + 4 * tags
    # IPv4 fixed-header checks: all at byte E+9, in this order.
    if m < ip + 10:
        return drop(end_class())
    ver, ihl = frame[ip] >> 4, frame[ip] & 0xF
    total, frag = be16(ip + 2), be16(ip + 6)
    if ver != 4 or ihl < 5:
        return drop("ip_hdr")
    if total < 4 * ihl + 8:
        return drop("ip_len")
    if frag & 0x2000 or frag & 0x1FFF:
        return drop("fragment")
    if frame[ip + 9] != 17:
        return drop("not_udp")
    u = ip + 4 * ihl
    if m < u:
        return drop(end_class())
    if ones_sum(frame[ip:u]) != 0xFFFF:
        return drop("ip_csum")
    if m < u + 6:
        return drop(end_class())
    ulen, ip_pay = be16(u + 4), total - 4 * ihl
    if ulen > ip_pay:
        return drop("udp_len_long")
    if ulen < ip_pay or ulen <= 8:       # 8: empty datagrams are dropped (module's choice)
        return drop("udp_len_short")
    p = u + 8
    if m < p + 1:                        # the accept point needs the first payload byte
        return drop(end_class())

    e.accepted = True
    e.hdr = {
        "eth_dst": int.from_bytes(frame[0:6], "big"),
        "eth_src": int.from_bytes(frame[6:12], "big"),
        "vlan_valid": int(tags > 0),
        "vlan_tags": tags,
        "vlan_vid": tcis[-1] & 0xFFF if tags else 0,
        "vlan_outer_vid": tcis[0] & 0xFFF if tags else 0,
        "ip_src": int.from_bytes(frame[ip + 12:ip + 16], "big"),
        "ip_dst": int.from_bytes(frame[ip + 16:ip + 20], "big"),
        "udp_src_port": be16(u),
        "udp_dst_port": be16(u + 2),
        "udp_length": ulen,
    }
    d = ip + total                      # end of the datagram
    e.payload = frame[p:min(d, m)]
    csum = be16(u + 6)
    if cut or n < MIN_FRAME or n < d:
        e.cls = end_class()
    elif csum and ones_sum(frame[ip + 12:ip + 20] + struct.pack(">HH", 17, ulen) + frame[u:d]) != 0xFFFF:
        e.cls = "udp_csum"
    e.tuser = int(bool(mac_err or e.cls))

    # Last payload beat latency (documented in the module header): from the input beat that ends the
    # frame for the parser (tlast, or the beat holding byte max_len) to the cycle the last payload beat
    # is valid, with the readies held high.
    r = p % 8
    end_beat = max_len // 8 if cut else (n - 1) // 8
    q = min(m, d) - 1                   # last payload byte seen
    if p // 8 == end_beat:
        e.latency = 2                   # ends in the accept beat: the tail waits for stage 2
    elif q // 8 < end_beat:
        e.latency = 1                   # payload complete before the end: final beat waited in tail_q
    elif q % 8 >= r:
        e.latency = 2                   # two output beats from the last input beat
    elif csum and not cut and n >= d:
        e.latency = 2                   # held one cycle for the UDP checksum of the last beat
    else:
        e.latency = 1
    return e


# ------------------------------------------------------------------------------------------------
# Generators. Each returns (frame bytes, mac_err, intended kind ("ok" or a class), description).

def _mac(rng):
    return ":".join(f"{rng.randrange(256):02x}" for _ in range(6))


def _ip(rng):
    return ".".join(str(rng.randrange(256)) for _ in range(4))


def _pad(b, pad):
    return b + bytes(MIN_FRAME - len(b)) if pad and len(b) < MIN_FRAME else b


def _l2(rng, tags):
    """Ethernet header with `tags` VLAN tags: outer 0x8100 or 0x88A8, inner 0x8100."""
    eth = Ether(dst=_mac(rng), src=_mac(rng))
    for i in range(tags):
        outer = i == 0 and rng.random() < 0.5
        tag = Dot1AD if outer else Dot1Q
        eth = eth / tag(vlan=rng.randrange(4096), prio=rng.randrange(8), id=rng.randrange(2))
    return eth


def _opts(ihl):
    return [IPOption(bytes([1]) * (4 * (ihl - 5)))] if ihl > 5 else []


def _xor16(b, off, rng):
    """Corrupt the 16-bit field at off (never into 0, which means "no checksum" for UDP)."""
    old = struct.unpack_from(">H", b, off)[0]
    while True:
        new = old ^ rng.randrange(1, 65536)
        if new != 0 and not (old in (0, 0xFFFF) and new in (0, 0xFFFF)):
            break
    b = bytearray(b)
    struct.pack_into(">H", b, off, new)
    return bytes(b)


def udp_frame(rng, paylen, tags=0, ihl=5, pad=True, mac_err=False, trailer=0, ip_kw=None, udp_kw=None,
              udp_csum="ok", ip_csum="ok"):
    """A UDP datagram with `paylen` payload bytes, then `trailer` extra bytes, then Ethernet padding.

    udp_csum: "ok" (scapy computes it), "zero" (not checked), "bad" (corrupted); ip_csum: "ok", "bad".
    """
    ip_kw = dict(ip_kw or {})
    udp_kw = dict(udp_kw or {})
    if udp_csum == "zero":
        udp_kw["chksum"] = 0
    pkt = (_l2(rng, tags)
           / IP(src=_ip(rng), dst=_ip(rng), options=_opts(ihl), id=rng.randrange(65536), **ip_kw)
           / UDP(sport=rng.randrange(65536), dport=rng.randrange(65536), **udp_kw)
           / Raw(rng.randbytes(paylen)))
    b = bytes(pkt)
    e, u = 14 + 4 * tags, 14 + 4 * tags + 4 * ihl
    if udp_csum == "bad":
        b = _xor16(b, u + 6, rng)
    if ip_csum == "bad":
        b = _xor16(b, e + 10, rng)
    b += rng.randbytes(trailer)
    return _pad(b, pad), mac_err


def good(rng, paylen=None, **kw):
    """A valid datagram (a runt if it is short and not padded, too long if it is a jumbo)."""
    if paylen is None:
        paylen = rng.randint(1, 1472) if rng.random() < 0.5 else rng.randint(1, 80)
    kw.setdefault("tags", rng.choice([0, 0, 1, 2]))
    kw.setdefault("ihl", 5 if rng.random() < 0.6 else rng.randint(6, 15))
    kw.setdefault("pad", rng.random() < 0.8)
    kw.setdefault("mac_err", rng.random() < 0.05)
    kw.setdefault("udp_csum", rng.choice(["ok", "ok", "zero"]))
    if "trailer" not in kw and rng.random() < 0.1:
        kw["trailer"] = rng.randint(1, 20)     # bytes after the datagram (Ethernet trailer)
    b, mac = udp_frame(rng, paylen, **kw)
    # What it must be, from its length alone (the generator's intent, independent of the model).
    kind = "too_long" if len(b) > DEFAULT_MAX_LEN else "runt" if len(b) < MIN_FRAME else "ok"
    return b, mac, kind, f"udp len={paylen} {kw}"


def runt(rng):
    """A short valid datagram without padding (accepted, bad verdict), or a frame cut below 60 bytes."""
    if rng.random() < 0.5:
        tags, ihl = rng.choice([0, 1, 2]), rng.choice([5, 5, 6, 7])
        room = MIN_FRAME - 1 - (14 + 4 * tags + 4 * ihl + 8)
        b, mac = udp_frame(rng, rng.randint(1, room), tags=tags, ihl=ihl, pad=False,
                           mac_err=rng.random() < 0.1, udp_csum=rng.choice(["ok", "bad", "zero"]))
        return b, mac, "runt", "short datagram"
    b, _ = udp_frame(rng, rng.randint(20, 200), tags=rng.choice([0, 1, 2]), ihl=rng.randint(5, 15))
    return b[:rng.randint(1, MIN_FRAME - 1)], rng.random() < 0.1, "runt", "cut below 60"


def not_ipv4(rng):
    kind = rng.choice(["arp", "ipv6", "other_et", "three_tags", "inner_qinq", "qinq_then_other", "vlan_other"])
    if kind == "arp":
        pkt = _l2(rng, rng.choice([0, 1, 2])) / ARP(psrc=_ip(rng), pdst=_ip(rng))
    elif kind == "ipv6":
        pkt = _l2(rng, rng.choice([0, 1, 2])) / IPv6() / UDP() / Raw(rng.randbytes(rng.randint(1, 100)))
    elif kind == "other_et":
        pkt = Ether(dst=_mac(rng), src=_mac(rng), type=rng.choice([0x88CC, 0x86DD, 0x0806, 0x0801, 0x0000]))
        pkt = pkt / Raw(rng.randbytes(rng.randint(46, 200)))
    elif kind == "three_tags":
        pkt = (Ether(dst=_mac(rng), src=_mac(rng)) / Dot1AD(vlan=5) / Dot1Q(vlan=6) / Dot1Q(vlan=7)
               / IP() / UDP() / Raw(b"t" * 30))
    elif kind == "inner_qinq":      # inner TPID must be 0x8100
        pkt = Ether(dst=_mac(rng), src=_mac(rng)) / Dot1Q(vlan=7) / Dot1AD(vlan=8) / IP() / UDP() / Raw(b"i" * 30)
    elif kind == "qinq_then_other":
        pkt = Ether(dst=_mac(rng), src=_mac(rng)) / Dot1AD(vlan=7) / Dot1Q(vlan=8) / IPv6() / UDP() / Raw(b"6" * 30)
    else:
        pkt = Ether(dst=_mac(rng), src=_mac(rng)) / Dot1Q(vlan=9) / ARP()
    return _pad(bytes(pkt), True), rng.random() < 0.05, "not_ipv4", kind


def header_fault(rng, cls=None):
    """A frame that fails one header check (classes ip_hdr .. udp_len_short)."""
    cls = cls or rng.choice(["ip_hdr", "ip_len", "fragment", "not_udp", "ip_csum", "udp_len_long",
                             "udp_len_short"])
    tags, ihl = rng.choice([0, 1, 2]), 5 if rng.random() < 0.5 else rng.randint(6, 15)
    paylen, mac = rng.randint(1, 100), rng.random() < 0.05
    kw = {}
    sub = cls
    if cls == "ip_hdr":
        if rng.random() < 0.5:
            kw["ip_kw"], sub = {"version": rng.choice([0, 5, 6, 15])}, "version"
        else:
            kw["ip_kw"], sub = {"ihl": rng.randint(0, 4)}, "ihl"
    elif cls == "ip_len":
        kw["ip_kw"] = {"len": rng.randint(0, 4 * ihl + 7)}
    elif cls == "fragment":
        if rng.random() < 0.5:
            kw["ip_kw"], sub = {"flags": "MF"}, "mf"
        else:
            kw["ip_kw"], sub = {"frag": rng.randint(1, 8191), "flags": rng.choice(["", "DF", "MF"])}, "offset"
    elif cls == "not_udp":
        l4 = rng.choice(["tcp", "icmp", "other"])
        pkt = _l2(rng, tags) / IP(options=_opts(ihl)) / (TCP() if l4 == "tcp" else ICMP())
        if l4 == "other":
            pkt = _l2(rng, tags) / IP(options=_opts(ihl), proto=rng.choice([0, 1, 6, 16, 18, 132, 255]))
        b = _pad(bytes(pkt / Raw(rng.randbytes(rng.randint(8, 100)))), rng.random() < 0.8)
        return b, mac, cls, l4
    elif cls == "ip_csum":
        kw["ip_csum"] = "bad"
    elif cls == "udp_len_long":
        kw["udp_kw"] = {"len": paylen + 8 + rng.randint(1, 300)}
    else:
        x = rng.random()
        if x < 0.3:
            kw["udp_kw"], sub = {"len": rng.randint(0, 7)}, "below 8"
        elif x < 0.6:
            kw["udp_kw"], sub = {"len": rng.randint(8, paylen + 7)}, "shorter than ip"
        elif x < 0.8:
            # The IPv4 datagram carries more than the UDP datagram.
            kw["ip_kw"], sub = {"len": 4 * ihl + 8 + paylen + rng.randint(1, 9)}, "ip longer"
            kw["trailer"] = 9
        else:
            paylen, sub = 0, "empty"
    b, _ = udp_frame(rng, paylen, tags=tags, ihl=ihl, pad=rng.random() < 0.8, **kw)
    return b, mac, cls, sub


def truncated(rng):
    """A frame of >= 60 bytes cut before its datagram ends: in the payload or in long headers."""
    tags, ihl = rng.choice([0, 1, 2]), rng.randint(5, 15)
    paylen = rng.randint(60, 1472) if rng.random() < 0.5 else rng.randint(60, 120)
    b, _ = udp_frame(rng, paylen, tags=tags, ihl=ihl, pad=False, udp_csum=rng.choice(["ok", "zero", "bad"]))
    return b[:rng.randint(MIN_FRAME, min(len(b) - 1, DEFAULT_MAX_LEN))], rng.random() < 0.1, "trunc", "cut"


def too_long(rng, max_len=DEFAULT_MAX_LEN):
    """A frame longer than max_len: a big datagram, or a datagram followed by a long trailer."""
    tags, ihl = rng.choice([0, 1, 2]), rng.choice([5, 5, rng.randint(6, 15)])
    hdr = 14 + 4 * tags + 4 * ihl + 8
    if rng.random() < 0.7 or max_len - hdr < 2:
        paylen, trailer = rng.randint(max(1, max_len - hdr - 16), max_len - hdr + 40), 0
        trailer = max(0, max_len + 1 - (hdr + paylen)) + rng.randint(0, 20)
    else:
        paylen = rng.randint(1, max_len - hdr - 1)
        trailer = max_len - hdr - paylen + rng.randint(1, 30)
    b, mac = udp_frame(rng, paylen, tags=tags, ihl=ihl, pad=True, trailer=trailer,
                       mac_err=rng.random() < 0.05, udp_csum=rng.choice(["ok", "zero", "bad"]))
    return b, mac, "too_long", f"len {len(b)} max {max_len}"


def udp_csum_bad(rng):
    kw = {"tags": rng.choice([0, 1, 2]), "ihl": rng.choice([5, 5, rng.randint(6, 15)]),
          "pad": True, "trailer": rng.choice([0, 0, rng.randint(1, 20)])}
    room = DEFAULT_MAX_LEN - (14 + 4 * kw["tags"] + 4 * kw["ihl"] + 8) - kw["trailer"]
    paylen = rng.randint(18, room) if rng.random() < 0.3 else rng.randint(18, 100)
    b, mac = udp_frame(rng, paylen, udp_csum="bad", mac_err=rng.random() < 0.05, **kw)
    return b, mac, "udp_csum", f"bad udp csum {kw}"


def mixed(rng, max_len=DEFAULT_MAX_LEN):
    """One frame from the whole mix, weighted towards good datagrams."""
    x = rng.random()
    if x < 0.50:
        return good(rng)
    if x < 0.58:
        return not_ipv4(rng)
    if x < 0.75:
        return header_fault(rng)
    if x < 0.81:
        return runt(rng)
    if x < 0.87:
        return truncated(rng)
    if x < 0.93:
        return udp_csum_bad(rng)
    return too_long(rng, max_len)
