"""A minimal scapy TCP client doing bench/bulk.ts's download: handshake, GET /bytes/N, ACK every
second segment that arrives in order, FIN after the server's. For the bulk benchmark's scapy column (run with
/usr/bin/python3, where Debian's python3-scapy installs).

  scapy-download.py IFACE OUR_IP OUR_MAC PEER_IP PEER_MAC SIZE TIME_LIMIT

It speaks from OUR_IP on the lab's veth, an address no kernel on this side owns (the interface has
no address), so no kernel answers the server with a RST; the caller gives the lab's kernel a
permanent neighbour entry for OUR_IP, so nobody has to answer ARP either. Prints `BYTES SECONDS`
(payload bytes received, from the SYN to the server's FIN).
"""
import random
import sys
import time

from scapy.all import Ether, IP, TCP, conf

iface, our_ip, our_mac, peer_ip, peer_mac = sys.argv[1:6]
size, time_limit = int(sys.argv[6]), float(sys.argv[7])
sport = random.randint(40000, 60000)
sock = conf.L2socket(iface=iface, filter=f'tcp and src host {peer_ip} and src port 80 and dst port {sport}')
head = Ether(src=our_mac, dst=peer_mac) / IP(src=our_ip, dst=peer_ip)
iss = random.getrandbits(32)
window = 65535


def segment(flags, seq, ack, payload=b'', options=()):
    sock.send(head / TCP(sport=sport, dport=80, flags=flags, seq=seq, ack=ack, window=window, options=list(options)) / payload)


def receive(deadline):
    while time.monotonic() < deadline:
        packet = sock.recv()
        if packet is not None and TCP in packet:
            return packet[TCP]
    raise SystemExit('scapy-download: time limit')


deadline = time.monotonic() + time_limit
start = time.perf_counter()
# Without an MSS option the server would send 536-byte segments (RFC 9293 §3.7.1).
segment('S', iss, 0, options=[('MSS', 1460)])
while True:
    tcp = receive(deadline)
    if tcp.flags.S and tcp.flags.A:
        break
rcv_nxt = (tcp.seq + 1) & 0xffffffff
snd_nxt = (iss + 1) & 0xffffffff
request = b'GET /bytes/%d HTTP/1.0\r\n\r\n' % size
segment('A', snd_nxt, rcv_nxt)
segment('PA', snd_nxt, rcv_nxt, request)
snd_nxt = (snd_nxt + len(request)) & 0xffffffff
received = 0
unacked = 0
while True:
    tcp = receive(deadline)
    data = bytes(tcp.payload)
    if tcp.seq == rcv_nxt:
        received += len(data)
        rcv_nxt = (rcv_nxt + len(data)) & 0xffffffff
        if tcp.flags.F:
            rcv_nxt = (rcv_nxt + 1) & 0xffffffff
            segment('FA', snd_nxt, rcv_nxt)
            break
        # Every second segment, as a kernel's delayed ACK does (RFC 9293 §3.8.6.3; building and
        # sending an ACK costs scapy more than taking a segment in), and at once on PSH: the end of
        # a burst, after which the server may wait for us (we keep no delayed-ACK timer).
        unacked += 1
        if unacked >= 2 or tcp.flags.P:
            segment('A', snd_nxt, rcv_nxt)
            unacked = 0
    elif data:
        # Out of order: a duplicate ACK at once (fast retransmit).
        segment('A', snd_nxt, rcv_nxt)
        unacked = 0
seconds = time.perf_counter() - start
sock.close()
print(received, seconds)
