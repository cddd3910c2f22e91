#!/usr/bin/env python3
"""Writes edge-cases.pcap: hand-built frames that a kernel would not send (odd flags and options,
malformed headers, truncated captures, VLAN tags, relative sequence numbers across a wrap), so that
tcpdump's own output for them pins down synack's printer. Only frames that tcpdump prints on one line
are here (an unknown EtherType or ARP operation adds a hex dump). Deterministic: same bytes on every run.

Usage: scripts/edge-case-frames.py OUT.pcap
"""
import struct
import sys

from frame_kit import IP_A, IP_B, MAC_A, MAC_B, Capture, checksum

FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE = 0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100


def ether(payload, kind=0x0800, src=MAC_A, dst=MAC_B, vlan=None):
    header = dst + src
    if vlan is not None:
        header += struct.pack('!HH', 0x8100, vlan)
    return header + struct.pack('!H', kind) + payload


def ipv4(payload, proto=6, src=IP_A, dst=IP_B, ident=1, flags_frag=0x4000, options=b'', total=None, ihl=None, version=4):
    header_length = 20 + len(options)
    ihl = header_length // 4 if ihl is None else ihl
    total = header_length + len(payload) if total is None else total
    header = struct.pack('!BBHHHBBH4s4s', (version << 4) | ihl, 0, total, ident, flags_frag, 64, proto, 0, src, dst) + options
    header = header[:10] + struct.pack('!H', checksum(header)) + header[12:]
    return header + payload


def tcp(sport, dport, seq, ack, flags, win=502, options=b'', payload=b'', urg=0, offset=None, src=IP_A, dst=IP_B):
    options += b'\0' * (-len(options) % 4)
    offset = (20 + len(options)) // 4 if offset is None else offset
    header = struct.pack('!HHIIHHHH', sport, dport, seq & 0xffffffff, ack & 0xffffffff, (offset << 12) | flags, win, 0, urg) + options
    pseudo = src + dst + struct.pack('!BBH', 0, 6, len(header) + len(payload))
    sum_ = checksum(pseudo + header + payload)
    return header[:16] + struct.pack('!H', sum_) + header[18:] + payload


def tcp_frame(sport, dport, seq, ack, flags, forward=True, **fields):
    src, dst = (IP_A, IP_B) if forward else (IP_B, IP_A)
    macs = dict(src=MAC_A, dst=MAC_B) if forward else dict(src=MAC_B, dst=MAC_A)
    return ether(ipv4(tcp(sport, dport, seq, ack, flags, src=src, dst=dst, **fields), src=src, dst=dst), **macs)


def arp(op, sha, spa, tha, tpa, hrd=1, pro=0x0800, hln=6, pln=4):
    return struct.pack('!HHBBH', hrd, pro, hln, pln, op) + sha + spa + tha + tpa


def mss(value):
    return struct.pack('!BBH', 2, 4, value)


def ts(value, echo):
    return struct.pack('!BBII', 8, 10, value, echo)


def sack(*blocks):
    return struct.pack('!BB', 5, 2 + 8 * len(blocks)) + b''.join(struct.pack('!II', l & 0xffffffff, r & 0xffffffff) for l, r in blocks)


NOP, EOL = b'\x01', b'\x00'
SYN_OPTIONS = mss(1460) + b'\x04\x02' + ts(1, 0) + NOP + b'\x03\x03\x07'

capture = Capture()
add = capture.add

# A conversation whose sequence numbers wrap, with data, SACK, urgent data and a close.
ISS, IRS = 0xFFFFFF00, 1000
add(tcp_frame(40000, 7, ISS, 0, SYN, options=SYN_OPTIONS, win=64240))
add(tcp_frame(7, 40000, IRS, ISS + 1, SYN | ACK, forward=False, options=SYN_OPTIONS, win=65160))
add(tcp_frame(40000, 7, ISS + 1, IRS + 1, ACK))
add(tcp_frame(40000, 7, ISS + 1, IRS + 1, PSH | ACK, payload=b'x' * 300))
add(tcp_frame(7, 40000, IRS + 1, ISS + 301, ACK, forward=False, options=NOP + NOP + sack((ISS + 601, ISS + 901), (ISS + 1201, ISS + 1301))))
add(tcp_frame(40000, 7, ISS + 301, IRS + 1, URG | PSH | ACK, payload=b'!', urg=1))
add(tcp_frame(40000, 7, ISS + 302, IRS + 1, FIN | ACK))
add(tcp_frame(7, 40000, IRS + 1, ISS + 303, FIN | ACK, forward=False))
add(tcp_frame(40000, 7, ISS + 303, IRS + 2, ACK))
# The same ports again: a new SYN-ACK starts the numbering over.
add(tcp_frame(7, 40000, 5000, 77, SYN | ACK, forward=False))
add(tcp_frame(40000, 7, 77, 5001, ACK, payload=b'again'))
# First seen mid-stream (no SYN): that packet is printed with absolute numbers, the next relative.
add(tcp_frame(40001, 9, 123456789, 987654321, ACK, payload=b'abc'))
add(tcp_frame(9, 40001, 987654321, 123456792, ACK, forward=False))
add(tcp_frame(40001, 9, 123456792, 987654321, ACK, payload=b'defg'))
# Equal ports: the flow key is ordered by address.
add(tcp_frame(5555, 5555, 10, 20, ACK, payload=b'a'))
add(tcp_frame(5555, 5555, 20, 11, ACK, forward=False))
# Flag combinations.
add(tcp_frame(40002, 9, 1, 0, SYN | ECE | CWR))
add(tcp_frame(40002, 9, 1, 0, 0))
add(tcp_frame(40002, 9, 1, 5, 0xFF, urg=7))
add(tcp_frame(40002, 9, 1, 5, AE | ACK))
add(tcp_frame(40002, 9, 1, 5, RST, payload=b'reset reason'))
add(tcp_frame(40002, 9, 1, 0, SYN | RST | FIN))
# Options: unknown kinds, EOL and padding, wrong lengths, lengths that do not fit.
add(tcp_frame(40003, 9, 1, 0, SYN, options=mss(536) + struct.pack('!BB', 99, 6) + b'\xde\xad\xbe\xef' + struct.pack('!BB', 253, 2)))
add(tcp_frame(40003, 9, 1, 0, SYN, options=NOP + EOL + b'\x00\x07\x07'))
add(tcp_frame(40003, 9, 1, 0, SYN, options=struct.pack('!BBHB', 2, 5, 1400, 0) + NOP * 3))
add(tcp_frame(40003, 9, 1, 0, SYN, options=NOP + struct.pack('!BB', 3, 1) + NOP * 2))
add(tcp_frame(40003, 9, 1, 0, SYN, options=NOP + struct.pack('!BB', 8, 40) + NOP * 2))
add(tcp_frame(40003, 9, 1, 0, SYN, options=struct.pack('!BBBBBB', 5, 6, 1, 2, 3, 4) + NOP * 2))
add(tcp_frame(40003, 9, 1, 0, SYN, options=struct.pack('!BBIIH', 8, 12, 5, 6, 0)))
add(tcp_frame(40003, 9, 1, 0, SYN, options=NOP * 3 + b'\x02'))
add(tcp_frame(40003, 9, 1, 0, SYN, options=b'\x04\x02\x04\x03\x00\x00\x00\x00'))
add(tcp_frame(40003, 9, 1, 0, SYN, options=b'\x03\x04\x07\x00'))
add(tcp_frame(40003, 9, 1, 0, SYN, options=b'\x13\x12' + bytes(16)))
add(tcp_frame(40003, 9, 1, 0, SYN, options=b'\x1c\x04\x81\x2c' + b'\x14\x04\x05\x06' + b'\x06\x06\x00\x00\x00\x09'))
add(tcp_frame(40003, 9, 1, 0, SYN, options=b'\x22\x02' + b'\x22\x0a' + bytes(range(8)) + b'\xfe\x04\xf9\x89' + b'\xfe\x06\x12\x34\x00\x00'))
add(tcp_frame(40003, 9, 1, 0, SYN, options=b'\x1d\x08\x01\x02\xaa\xbb\xcc\xdd' + b'\x0d\x06\x00\x00\x00\x01'))
whole = tcp_frame(40003, 9, 1, 0, SYN, options=SYN_OPTIONS)
add(whole[:14 + 20 + 20 + 9])
# Header length below 20, and beyond the segment.
add(tcp_frame(40004, 9, 1, 0, SYN, offset=4))
add(tcp_frame(40004, 9, 1, 0, SYN, offset=15))
add(tcp_frame(40004, 9, 1, 2, ACK, offset=15, payload=bytes(20)))
# Captures cut short: inside the ports, inside the TCP header, inside the options.
whole = tcp_frame(40005, 9, 1, 0, SYN, options=SYN_OPTIONS)
add(whole[:14 + 20 + 2])
add(whole[:14 + 20 + 10])
add(whole[:14 + 20 + 20 + 6])
# IPv4 oddities: total length beyond the frame, header length below 20, total below header,
# version 6 under EtherType IPv4, options, a header cut short.
add(ether(ipv4(tcp(40006, 9, 1, 0, SYN), total=100)))
add(ether(ipv4(tcp(40006, 9, 1, 0, SYN), ihl=4)))
add(ether(ipv4(tcp(40006, 9, 1, 0, SYN), total=12)))
add(ether(ipv4(tcp(40006, 9, 1, 0, SYN), version=6)))
add(ether(ipv4(tcp(40006, 9, 1, 0, SYN), options=b'\x01\x01\x01\x00')))
add(ether(ipv4(tcp(40006, 9, 1, 0, SYN))[:12]))
add(ether(ipv4(tcp(40006, 9, 1, 0, SYN), options=b'\x01\x01\x01\x00')[:22]))
add(ether(ipv4(struct.pack('!HHHH', 40008, 9999, 12, 0) + b'udp!', proto=17, options=b'\x01\x01\x01\x00')[:22]))
# Fragments of a TCP segment: the first carries the header, the second only data.
segment = tcp(40007, 9, 1, 1, PSH | ACK, payload=bytes(64))
add(ether(ipv4(segment[:40], ident=7, flags_frag=0x2000)))
add(ether(ipv4(segment[40:], ident=7, flags_frag=5)))
# ICMP echo, UDP, another IP protocol.
add(ether(ipv4(struct.pack('!BBHHH', 8, 0, 0, 0x1234, 1) + bytes(56), proto=1)))
add(ether(ipv4(struct.pack('!BBHHH', 0, 0, 0, 0x1234, 1) + bytes(56), proto=1, src=IP_B, dst=IP_A), src=MAC_B, dst=MAC_A))
add(ether(ipv4(struct.pack('!HHHH', 40008, 9999, 12, 0) + b'udp!', proto=17)))
add(ether(ipv4(bytes(8), proto=253)))
# HTTP on port 80: a request, a response, a body line, and bytes that are not text.
add(tcp_frame(40009, 80, 1, 1, PSH | ACK, payload=b'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n'))
add(tcp_frame(80, 40009, 1, 38, PSH | ACK, forward=False, payload=b'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'))
add(tcp_frame(80, 40009, 45, 38, PSH | ACK, forward=False, payload=b'hello world\r\n'))
add(tcp_frame(40009, 80, 38, 58, PSH | ACK, payload=b'\x00\x01\x02binary'))
add(tcp_frame(40009, 8080, 1, 1, PSH | ACK, payload=b'POST /x HTTP/1.0\r\n'))
add(tcp_frame(40009, 80, 1, 1, PSH | ACK, payload=b'GET / HTTP/1.1'))
# ARP: probe, announcement, reply, and the kinds tcpdump prints differently.
zero = bytes(6)
add(ether(arp(1, MAC_A, bytes(4), zero, IP_B), kind=0x0806, dst=b'\xff' * 6))
add(ether(arp(1, MAC_A, IP_A, zero, IP_A), kind=0x0806, dst=b'\xff' * 6))
add(ether(arp(2, MAC_B, IP_B, MAC_A, IP_A), kind=0x0806, src=MAC_B, dst=MAC_A))
add(ether(arp(1, MAC_A, IP_A, MAC_B, IP_B) + bytes(18), kind=0x0806, dst=b'\xff' * 6))
add(ether(arp(3, MAC_A, IP_A, MAC_A, IP_A), kind=0x0806))
add(ether(arp(4, MAC_B, IP_B, MAC_A, IP_A), kind=0x0806))
add(ether(arp(1, MAC_A, IP_A, zero, IP_B, hrd=6), kind=0x0806))
add(ether(arp(1, MAC_A, IP_A, zero, IP_B, pro=0x86dd), kind=0x0806))
add(ether(arp(1, MAC_A, IP_A, zero, IP_B)[:20], kind=0x0806))
add(ether(arp(9, MAC_B, IP_B, MAC_A, IP_A), kind=0x0806))
add(ether(arp(1, MAC_A, IP_A, zero, IP_B, hln=0) + bytes(8), kind=0x0806))
add(ether(bytes(4), vlan=5)[:16])
# 802.1Q: ARP and TCP in VLAN 5, priority 3.
add(ether(arp(1, MAC_A, IP_A, zero, IP_B), kind=0x0806, dst=b'\xff' * 6, vlan=(3 << 13) | 5))
add(ether(ipv4(tcp(40010, 9, 1, 0, SYN, options=mss(1460))), vlan=5))
# Link layer cut short.
add(ether(b'')[:10])

capture.write(sys.argv[1])

