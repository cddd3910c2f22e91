#!/usr/bin/env python3
"""Writes vlan-stack.pcap: frames with stacked VLAN tags (IEEE 802.1ad S-tag 0x88a8 over an 802.1Q
C-tag, the pre-standard 0x9100 and 0x9200, three tags deep) carrying ARP, IPv4 and IPv6, and stacks
cut short, so that tcpdump's own output for them pins down how synack follows tags. Only frames
tcpdump prints on one line are here. Deterministic: the same bytes on every run.

Usage: scripts/vlan-stack-frames.py OUT.pcap
"""
import struct
import sys

from frame_kit import IP_A, IP_B, MAC_A, MAC_B, Capture, checksum

BROADCAST = b'\xff' * 6
C_TAG, S_TAG, QINQ_9100, QINQ_9200 = 0x8100, 0x88a8, 0x9100, 0x9200


def ether(payload, kind, tags, src=MAC_A, dst=MAC_B, pad=True):
    """`tags` is a list of (TPID, TCI), outermost first."""
    header = dst + src + b''.join(struct.pack('!HH', tpid, tci) for tpid, tci in tags) + struct.pack('!H', kind)
    frame = header + payload
    return frame + b'\0' * max(0, 60 - len(frame)) if pad else frame


def arp(op, sha, spa, tha, tpa):
    return struct.pack('!HHBBH', 1, 0x0800, 6, 4, op) + sha + spa + tha + tpa


def syn(sport, dport, seq, src=IP_A, dst=IP_B):
    options = struct.pack('!BBH', 2, 4, 1460) + b'\x01\x01\x04\x02'
    header = struct.pack('!HHIIHHHH', sport, dport, seq, 0, (7 << 12) | 0x2, 64240, 0, 0) + options
    pseudo = src + dst + struct.pack('!BBH', 0, 6, len(header))
    tcp = header[:16] + struct.pack('!H', checksum(pseudo + header)) + header[18:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, src, dst)
    return ip[:10] + struct.pack('!H', checksum(ip)) + ip[12:] + tcp


def udp6(sport, dport, payload):
    src = bytes.fromhex('fe800000000000000000000000000001')
    dst = bytes.fromhex('ff020000000000000000000000000001')
    udp = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
    return struct.pack('!IHBB', 6 << 28, len(udp), 17, 64) + src + dst + udp


capture = Capture()
add = capture.add


def tci(vid, pcp=0, dei=0):
    return (pcp << 13) | (dei << 12) | vid


QINQ = [(S_TAG, tci(100, 3)), (C_TAG, tci(5))]
# 802.1ad: ARP request and reply, and a TCP SYN, under an S-tag and a C-tag.
add(ether(arp(1, MAC_A, IP_A, bytes(6), IP_B), 0x0806, QINQ, dst=BROADCAST))
add(ether(arp(2, MAC_B, IP_B, MAC_A, IP_A), 0x0806, QINQ, src=MAC_B, dst=MAC_A))
add(ether(syn(40000, 9999, 1000), 0x0800, QINQ))
# One S-tag alone; the pre-standard identifiers; three tags; priority and drop-eligible bits.
add(ether(syn(40001, 9999, 2000), 0x0800, [(S_TAG, tci(7))]))
add(ether(syn(40002, 9999, 3000), 0x0800, [(QINQ_9100, tci(200)), (C_TAG, tci(6))]))
add(ether(syn(40003, 9999, 4000), 0x0800, [(QINQ_9200, tci(300, 7, 1))]))
add(ether(arp(1, MAC_A, IP_A, bytes(6), IP_B), 0x0806, [(S_TAG, tci(1)), (S_TAG, tci(2)), (C_TAG, tci(3))], dst=BROADCAST))
add(ether(syn(40004, 9999, 5000), 0x0800, [(C_TAG, tci(4095, 1)), (C_TAG, tci(0, 2, 1))]))
# IPv6 under two tags.
add(ether(udp6(40006, 9999, b'hello'), 0x86dd, QINQ))
# A snaplen that cuts the TCP segment under the tags; the tag stack cut short.
whole = ether(syn(40005, 9999, 6000), 0x0800, QINQ)
add(whole, 14 + 8 + 20 + 10)
add(ether(b'', 0x0800, QINQ, pad=False)[:16])
add(ether(b'', 0x0800, QINQ, pad=False)[:20])
add(ether(b'', 0x0800, QINQ, pad=False)[:21])

capture.write(sys.argv[1])
