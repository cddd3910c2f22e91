"""What the fixture generators (scripts/*-frames.py) share: the two lab hosts they put on the wire,
the internet checksum (RFC 1071), and a pcap writer with one deterministic timestamp per frame."""
import struct

MAC_A = bytes.fromhex('020000000001')
MAC_B = bytes.fromhex('020000000002')
IP_A = bytes([198, 18, 2, 1])
IP_B = bytes([198, 18, 2, 2])


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


class Capture:
    """Frames in order, each kept whole or cut to `captured` octets (a snap length), written as a
    classic pcap: frame N at 1700000000 + N seconds and N milliseconds, so every run gives the same bytes."""

    def __init__(self):
        self.frames = []

    def add(self, frame, captured=None):
        self.frames.append((frame, len(frame) if captured is None else captured))

    def write(self, path):
        with open(path, 'wb') as pcap:
            pcap.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
            for index, (frame, captured) in enumerate(self.frames):
                pcap.write(struct.pack('<IIII', 1700000000 + index, index * 1000, captured, len(frame)))
                pcap.write(frame[:captured])
