#!/usr/bin/env python3
"""Writes mptcp.pcap: TCP segments carrying every MPTCP option (RFC 8684; v0 RFC 6824) in each of
its forms, and malformed ones (lengths tcpdump refuses, unknown subtypes, options cut by the
snaplen), then MPTCP carrying SSH banners (tcpdump prints those on port 22), so that tcpdump's own output for them pins down synack's MPTCP printer. Deterministic:
the same bytes on every run.

Usage: scripts/mptcp-frames.py OUT.pcap
"""
import struct
import sys

from frame_kit import IP_A, IP_B, MAC_A, MAC_B, Capture, checksum

FIN, SYN, RST, PSH, ACK = 0x1, 0x2, 0x4, 0x8, 0x10
# Ports with no payload printer in tcpdump, so a line ends at `length N`.
PORT_A, PORT_B = 45000, 9999


def segment(seq, ack, flags, options=b'', payload=b'', forward=True, win=502, ports=(PORT_A, PORT_B)):
    src, dst = (IP_A, IP_B) if forward else (IP_B, IP_A)
    sport, dport = ports if forward else ports[::-1]
    options += b'\x01' * (-len(options) % 4)
    header = struct.pack('!HHIIHHHH', sport, dport, seq & 0xffffffff, ack & 0xffffffff, ((20 + len(options)) // 4) << 12 | flags, win, 0, 0) + options
    pseudo = src + dst + struct.pack('!BBH', 0, 6, len(header) + len(payload))
    tcp = header[:16] + struct.pack('!H', checksum(pseudo + header + payload)) + header[18:] + payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack('!H', checksum(ip)) + ip[12:]
    macs = MAC_B + MAC_A if forward else MAC_A + MAC_B
    return macs + b'\x08\x00' + ip + tcp


def mptcp(subtype, nibble, rest=b''):
    """Kind 30, its length, the subtype in the high nibble of the third octet, then the rest."""
    return struct.pack('!BBB', 30, 3 + len(rest), subtype << 4 | nibble) + rest


def capable(version, flags, *keys, tail=b''):
    return mptcp(0, version, bytes([flags]) + b''.join(struct.pack('!Q', key) for key in keys) + tail)


def dss(flags, *parts):
    return mptcp(2, 0, bytes([flags]) + b''.join(parts))


def u16(value):
    return struct.pack('!H', value)


def u32(value):
    return struct.pack('!I', value)


def u64(value):
    return struct.pack('!Q', value)


TS = struct.pack('!BBBBII', 1, 1, 8, 10, 4242, 1717)
KEY_A, KEY_B = 0x1fdb5df328bc3def, 0x00a6c86981ad933c
ISS, IRS = 3000000000, 700
HMAC20 = bytes(range(0xa0, 0xb4))
V6 = bytes.fromhex('20010db8000000000000000000000042')

capture = Capture()
add = capture.add


def out(flags, options, payload=b'', seq=1, ack=1):
    add(segment(ISS + seq, IRS + ack, flags, options, payload))


def back(flags, options, payload=b'', seq=1, ack=1):
    add(segment(IRS + seq, ISS + ack, flags, options, payload, forward=False))


# MP_CAPABLE v1 (RFC 8684 §3.1): the handshake, the first data, then forms tcpdump refuses.
add(segment(ISS, 0, SYN, struct.pack('!BBH', 2, 4, 1460) + capable(1, 0x01)))
add(segment(IRS, ISS + 1, SYN | ACK, struct.pack('!BBH', 2, 4, 1460) + capable(1, 0x01, KEY_B), forward=False))
out(ACK, TS + capable(1, 0x01, KEY_A, KEY_B))
out(PSH | ACK, TS + capable(1, 0x01, KEY_A, KEY_B, tail=u16(5)), b'hello')
out(PSH | ACK, capable(1, 0x81, KEY_A, KEY_B, tail=u16(5) + u16(0xbeef)), b'hello', seq=6)
add(segment(ISS, 0, SYN, capable(1, 0x81)))
add(segment(ISS, 0, SYN, capable(2, 0x01)))
out(ACK, capable(1, 0x01, KEY_A))
add(segment(IRS, ISS + 1, SYN | ACK, capable(1, 0x01, KEY_A, KEY_B), forward=False))
# MP_CAPABLE v0 (RFC 6824 §3.1): a key in the SYN and in the SYN/ACK, both in the ACK.
add(segment(ISS, 0, SYN, capable(0, 0x81, KEY_A)))
add(segment(IRS, ISS + 1, SYN | ACK, capable(0, 0x81, KEY_B), forward=False))
out(ACK, capable(0, 0x81, KEY_A, KEY_B))
# MP_JOIN (RFC 8684 §3.2): SYN, SYN/ACK and third ACK, then each length under the wrong flags.
add(segment(ISS, 0, SYN, mptcp(1, 1, bytes([3]) + u32(0xc0ffee01) + u32(0x12345678))))
add(segment(IRS, ISS + 1, SYN | ACK, mptcp(1, 0, bytes([7]) + u64(0x0123456789abcdef) + u32(0x9abc)), forward=False))
out(ACK, mptcp(1, 0, bytes([0]) + HMAC20))
out(ACK, mptcp(1, 0, bytes([3]) + u32(1) + u32(2)))
add(segment(ISS, 0, SYN, mptcp(1, 0, bytes([7]) + u64(1) + u32(2))))
add(segment(ISS, 0, SYN, mptcp(1, 0, bytes([0]) + HMAC20)))
add(segment(ISS, 0, SYN, mptcp(1, 0, bytes([3]) + u32(1))))
# DSS (RFC 8684 §3.3): data ACK of 4 and 8 octets, mappings of 4 and 8 with and without checksum.
out(ACK, dss(0x01, u32(3502078703)))
out(ACK, dss(0x03, u64(17984156407873109865)))
out(PSH | ACK, dss(0x04, u32(3518592144), u32(1), u16(5)), b'world')
out(PSH | ACK, dss(0x04, u32(3518592144), u32(1), u16(5), u16(0x82f)), b'world')
out(PSH | ACK, TS + dss(0x05, u32(3576348362), u32(3518592144), u32(1), u16(5), u16(0x45c9)), b'world')
out(PSH | ACK, dss(0x0f, u64(2 ** 64 - 1), u64(2 ** 40 + 7), u32(6), u16(5), u16(0)), b'again', seq=6)
out(FIN | ACK, dss(0x15, u32(1), u32(2), u32(0), u16(1), u16(0xffff)), seq=11)
out(ACK, dss(0x10))
out(ACK, dss(0x00))
out(ACK, dss(0x0e, u32(9)))
# DSS that tcpdump refuses: on a SYN, too short for its flags, octets left over.
add(segment(ISS, 0, SYN, dss(0x01, u32(1))))
out(ACK, mptcp(2, 0))
out(ACK, dss(0x01, u16(1)))
out(ACK, dss(0x03, u32(1)))
out(ACK, dss(0x01, u32(1), u16(2)))
out(ACK, dss(0x04, u32(1), u16(2)))
out(ACK, dss(0x0c, u64(1), u32(2)))
out(ACK, dss(0x04, u32(1), u32(2), b'\x00'))
out(ACK, dss(0x04, u32(1), u32(2), u16(3), b'\x00'))
# ADD_ADDR (RFC 8684 §3.4.1; v0 RFC 6824 §3.4.1): IPv4 and IPv6, with and without port and HMAC.
back(ACK, mptcp(3, 0, bytes([1, 10, 0, 2, 1]) + u64(0xf8295862f645df19)))
out(ACK, mptcp(3, 1, bytes([1, 10, 0, 2, 1])))
back(ACK, mptcp(3, 0, bytes([2, 10, 0, 2, 2]) + u16(8443) + u64(0x0102030405060708)))
out(ACK, mptcp(3, 1, bytes([2, 10, 0, 2, 2]) + u16(8443)))
back(ACK, mptcp(3, 0, bytes([3]) + V6 + u64(0xabcdef)))
back(ACK, mptcp(3, 0, bytes([4]) + V6 + u16(443) + u64(0x1122334455667788)))
out(ACK, mptcp(3, 1, bytes([3]) + V6))
out(ACK, mptcp(3, 1, bytes([4]) + V6 + u16(443)))
back(ACK, mptcp(3, 4, bytes([1, 10, 1, 2, 2])))
back(ACK, mptcp(3, 4, bytes([1, 10, 1, 2, 2]) + u16(22)))
back(ACK, mptcp(3, 6, bytes([5]) + bytes(15) + b'\x01'))
back(ACK, mptcp(3, 6, bytes([5]) + bytes(16) + u16(80)))
back(ACK, mptcp(3, 2, bytes([1, 10, 0, 2, 1])))
back(ACK, mptcp(3, 0xf, bytes([1, 10, 0, 2, 1])))
back(ACK, mptcp(3, 0, bytes([1, 10, 0, 2, 1]) + u32(0)))
back(ACK, mptcp(3, 0, bytes([1])))
# REMOVE_ADDR (§3.4.2), MP_PRIO (§3.3.8), MP_FAIL (§3.7), MP_FASTCLOSE (§3.5), MP_TCPRST (§3.6).
out(ACK, mptcp(4, 0, bytes([1])))
out(ACK, mptcp(4, 0, bytes([1, 2, 250])))
out(ACK, mptcp(4, 0))
out(ACK, mptcp(5, 1))
out(ACK, mptcp(5, 0))
out(ACK, mptcp(5, 1, bytes([4])))
out(ACK, mptcp(5, 0, bytes([4, 0])))
out(ACK, mptcp(6, 0, bytes([0]) + u64(18446744073709551615)))
out(ACK, mptcp(6, 0, bytes([0]) + u32(5)))
out(RST | ACK, mptcp(7, 0, bytes([0]) + u64(0x9b59be3d695e66a7)))
out(ACK, mptcp(7, 0, bytes([0])))
out(RST | ACK, mptcp(8, 1, bytes([2])))
# Subtypes nobody defined, and options too short to hold a subtype.
out(ACK, mptcp(9, 0, bytes([1, 2, 3])))
out(ACK, mptcp(15, 15))
out(ACK, struct.pack('!BB', 30, 2))
out(ACK, TS + struct.pack('!BB', 30, 2))
out(ACK, TS + dss(0x01, u32(1)) + mptcp(5, 1))
out(ACK, struct.pack('!BB', 30, 40))
# MPTCP carrying SSH, as in tcpdump's own MPTCP captures: on port 22 the payload's first line is
# printed when it is an identification string (RFC 4253 §4.2) ending in CR LF or LF.
SSH = (45001, 22)
DSS_ACK = TS + dss(0x01, u32(77))
add(segment(ISS, 0, SYN, capable(1, 0x01), ports=SSH))
add(segment(IRS + 1, ISS + 1, PSH | ACK, DSS_ACK, b'SSH-2.0-OpenSSH_9.6p1 Debian-4\r\n', forward=False, ports=SSH))
add(segment(ISS + 1, IRS + 33, PSH | ACK, DSS_ACK, b'SSH-2.0-synack\n', ports=SSH))
add(segment(ISS + 1, IRS + 33, PSH | ACK, DSS_ACK, b'SSH-2.0-synack\rX\n', ports=SSH))
add(segment(ISS + 1, IRS + 33, PSH | ACK, DSS_ACK, b'SSH-2.0-synack\r', ports=SSH))
add(segment(ISS + 1, IRS + 33, PSH | ACK, DSS_ACK, b'SSH-2.0-synack', ports=SSH))
add(segment(ISS + 1, IRS + 33, PSH | ACK, DSS_ACK, b'SSH-\x012.0\r\n', ports=SSH))
add(segment(ISS + 1, IRS + 33, PSH | ACK, DSS_ACK, b'HELLO\r\n', ports=SSH))
add(segment(ISS + 1, IRS + 33, PSH | ACK, DSS_ACK, b'SSH', ports=SSH))
whole = segment(IRS + 1, ISS + 1, PSH | ACK, DSS_ACK, b'SSH-2.0-OpenSSH_9.6p1 Debian-4\r\n', forward=False, ports=SSH)
add(whole, len(whole) - 10)
# The capture ends inside an MPTCP option (a snaplen): tcpdump stops at the option.
whole = segment(ISS + 1, IRS + 1, ACK, TS + dss(0x05, u32(1), u32(2), u32(3), u16(4), u16(5)))
add(whole, 14 + 20 + 20 + 12 + 6)
add(whole, 14 + 20 + 20 + 3)

capture.write(sys.argv[1])
