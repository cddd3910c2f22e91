"""The real TUI in a pseudo-terminal, for the key-to-wire and flood benchmarks (bench/key-to-wire.ts,
bench/flood.ts run it; as root).

Python's pty module rather than tmux: we write each key to the terminal ourselves, so the keypress
time is the moment of the write (CLOCK_REALTIME, the clock the kernel stamps captured frames with),
and we read every byte the TUI draws, stamped as it arrives. tmux would add its own hop (send-keys
-> server -> pane) and poll the screen.

  tui-pty.py keys NAME SUBNET PRESSES          `s` to the SYN on the peer's side, `r` between presses
  tui-pty.py flood NAME SUBNET PCAP SECONDS DRAIN   the peer blasts segments; `n` latency; pcap counts
  tui-pty.py capture IFACE                     (inside the lab namespace) SYN/SYN-ACK/RST times
  tui-pty.py blast IFACE DST_MAC SRC DST PORT SECONDS   (inside the lab namespace) the flood

Prints one JSON object on stdout. The TUI makes the lab itself (`synack lab --name NAME`) and takes
it down when it quits; the caller takes it down again in any case (idempotent).
"""
import json
import os
import queue
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import fcntl
import termios

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ETH_P_ALL = 0x0003
SO_TIMESTAMPNS = 35
PACKET_OUTGOING = 4
ANSI = re.compile(r'\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b[=>78]')


def realtime_ns():
    return time.clock_gettime_ns(time.CLOCK_REALTIME)


def note(message):
    if os.environ.get('SYNACK_BENCH_DEBUG'):
        print(f'{time.strftime("%H:%M:%S")} {message}', file=sys.stderr, flush=True)


def fail(message):
    print(json.dumps({'error': message}))
    sys.exit(1)


class Tui:
    """`node bin/synack.js ARGS` on a pty of the given size; everything it draws, stamped on arrival."""

    def __init__(self, args, columns, rows):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', rows, columns, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ('CI', 'CONTINUOUS_INTEGRATION')}
        env['TERM'] = 'xterm-256color'
        self.proc = subprocess.Popen(['node', 'bin/synack.js', *args], cwd=ROOT, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self.master = master
        self.chunks = []  # (arrival ns, text without escapes)
        self.cond = threading.Condition()
        self.closed = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                data = os.read(self.master, 1 << 16)
            except OSError:
                data = b''
            now = realtime_ns()
            with self.cond:
                if not data:
                    self.closed = True
                else:
                    self.chunks.append((now, ANSI.sub('', data.decode('utf-8', 'replace'))))
                self.cond.notify_all()
            if not data:
                return

    def press(self, key):
        """Writes the key; returns the write's time and where the output stood just before it."""
        with self.cond:
            mark = len(self.chunks)
        at = realtime_ns()
        os.write(self.master, key)
        return at, mark

    def wait_text(self, pattern, since=0, timeout=20.0):
        """The arrival time of the first output from chunk `since` on in which `pattern` matches."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        with self.cond:
            while True:
                # Joined, so that a word split across two reads is still found.
                text = ''
                for index in range(since, len(self.chunks)):
                    text += self.chunks[index][1]
                    if regex.search(text[-4096:] if len(text) > 4096 else text):
                        return self.chunks[index][0], index + 1
                if self.closed:
                    return None, len(self.chunks)
                left = deadline - time.monotonic()
                if left <= 0:
                    return None, len(self.chunks)
                self.cond.wait(left)

    def wait_quiet(self, quiet=0.05, limit=1.0):
        """Until nothing has been drawn for `quiet` seconds (at most `limit`): the TUI is idle."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self.cond:
                last = self.chunks[-1][0] if self.chunks else 0
            idle = (realtime_ns() - last) / 1e9
            if idle >= quiet:
                return
            time.sleep(quiet - idle)

    def last_match(self, pattern):
        with self.cond:
            tail = ''.join(text for _, text in self.chunks[-200:])
        found = re.findall(pattern, tail)
        return found[-1] if found else None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        try:
            os.close(self.master)
        except OSError:
            pass


def in_namespace(namespace, *args):
    return subprocess.Popen(['ip', 'netns', 'exec', namespace, sys.executable, os.path.abspath(__file__), *args], stdout=subprocess.PIPE, text=True, bufsize=1)


def lines_of(proc):
    out = queue.Queue()

    def pump():
        for line in proc.stdout:
            out.put(line.split())
        out.put(None)
    threading.Thread(target=pump, daemon=True).start()
    return out


def await_line(lines, kind, timeout):
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            return None
        if line is None:
            return None
        if line[0] == kind:
            return int(line[1]) if len(line) > 1 else 0


def start_lab_tui(name, subnet, extra=()):
    tui = Tui(['lab', '--name', name, '--subnet', subnet, *extra], 80, 24)
    peer = subnet.rsplit('.', 1)[0] + '.2'
    at, _ = tui.wait_text(r'phase claimed', timeout=30)
    if at is None:
        tui.stop()
        fail('the TUI did not claim its address within 30 s')
    at, _ = tui.wait_text(r'CLOSED', timeout=10)
    if at is None:
        tui.stop()
        fail(f'the TUI did not show its connection to {peer}:80 in CLOSED')
    return tui


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def keys(name, subnet, presses):
    namespace = f'synack-{name}'
    tui = start_lab_tui(name, subnet)
    capture = None
    try:
        capture = in_namespace(namespace, 'capture', 'eth0')
        lines = lines_of(capture)
        if await_line(lines, 'ready', 10) is None:
            fail('the capture in the lab namespace did not start')
        latencies = []
        misses = 0
        # The first presses warm up the JIT on the path from key to wire; they are not counted.
        warmup = 10
        for press in range(warmup + presses):
            # A keypress on an idle TUI, as a user's would be: not queued behind the redraws of the
            # previous round (SYN, SYN-ACK, RST each change the screen).
            tui.wait_quiet()
            pressed, _ = tui.press(b's')
            syn = await_line(lines, 'S', 2)
            if syn is None:
                misses += 1
                tui.press(b'r')
                await_line(lines, 'R', 1)
                continue
            if press >= warmup:
                latencies.append((syn - pressed) / 1e6)
            # The kernel's SYN-ACK, then our RST: the connection is CLOSED again, and the next `s`
            # sends a fresh SYN.
            await_line(lines, 'A', 2)
            tui.press(b'r')
            await_line(lines, 'R', 2)
        print(json.dumps({'presses': presses, 'warmup': warmup, 'seen': len(latencies), 'missed': misses,
                          'medianMs': percentile(latencies, 0.5) if latencies else None,
                          'p99Ms': percentile(latencies, 0.99) if latencies else None,
                          'maxMs': max(latencies) if latencies else None}))
    finally:
        if capture:
            capture.terminate()
            capture.wait()
        # Quit as a user would (RST first, so that q does not ask); stop() signals it if that fails.
        try:
            tui.press(b'r')
            time.sleep(0.1)
            tui.press(b'q')
            tui.proc.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        tui.stop()


def interface_counter(interface, name):
    with open(f'/sys/class/net/{interface}/statistics/{name}') as file:
        return int(file.read())


def pcap_records(path, port):
    """Records in a classic pcap file, and how many are TCP to `port` (the flood's)."""
    total = flood = 0
    with open(path, 'rb') as file:
        head = file.read(24)
        if len(head) < 24:
            return 0, 0
        endian = '<' if head[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
        while True:
            record = file.read(16)
            if len(record) < 16:
                break
            length = struct.unpack(endian + 'IIII', record)[2]
            frame = file.read(length)
            if len(frame) < length:
                break
            total += 1
            if len(frame) >= 38 and frame[12:14] == b'\x08\x00' and frame[23] == 6:
                offset = 14 + (frame[14] & 0x0f) * 4
                if struct.unpack('!H', frame[offset + 2:offset + 4])[0] == port:
                    flood += 1
    return total, flood


def file_size(path):
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def flood(name, subnet, pcap, seconds, drain_limit):
    namespace = f'synack-{name}'
    tui = start_lab_tui(name, subnet, ['--pcap', pcap])
    port = 1  # tcpmux: nothing listens, and in manual mode synack answers nothing
    blaster = None
    try:
        interface = host_interface(name)
        with open(f'/sys/class/net/{interface}/address') as file:
            mac = file.read().strip()
        ours = subnet.rsplit('.', 1)[0] + '.10'
        peer = subnet.rsplit('.', 1)[0] + '.2'
        rx_before = interface_counter(interface, 'rx_packets')
        relative = True
        latencies = []
        blaster = in_namespace(namespace, 'blast', 'eth0', mac, peer, ours, str(port), str(seconds))
        lines = lines_of(blaster)
        if await_line(lines, 'ready', 10) is None:
            fail('the sender in the lab namespace did not start')
        # `n` flips the log's sequence numbers between relative and absolute, and the log pane's title
        # says which: the first output after the press that says the new word is the key's answer
        # (the frame count in the same title changes all the time during a flood, so "any output"
        # would not do). The next press waits for the last one's answer, awaited through the drain
        # below too if the flood ends first.
        started = time.monotonic()
        pending = None
        while time.monotonic() - started < seconds:
            if pending is None:
                relative = not relative
                pending = tui.press(b'n')
            pressed, mark = pending
            shown, _ = tui.wait_text(r'relative' if relative else r'absolute', since=mark, timeout=2)
            if shown is not None:
                latencies.append((shown - pressed) / 1e6)
                pending = None
                time.sleep(0.1)
        note(f'presses: {len(latencies)} answered, pending: {pending is not None}')
        sent = await_line(lines, 'sent', seconds + 10)
        blaster.wait()
        blaster = None
        rx = interface_counter(interface, 'rx_packets') - rx_before
        note(f'sent {sent}, interface rx {rx}')
        # The TUI works through what pcap buffered, writing each frame to the pcap file as it logs
        # it: wait (bounded) until the file stops growing, then ask for a redraw to read the log's
        # frame count in the log pane's title.
        drain_started = time.monotonic()
        size = file_size(pcap)
        stable_since = time.monotonic()
        while time.monotonic() - drain_started < drain_limit:
            if pending is None:
                time.sleep(0.5)
            else:
                pressed, mark = pending
                shown, _ = tui.wait_text(r'relative' if relative else r'absolute', since=mark, timeout=0.5)
                if shown is not None:
                    latencies.append((shown - pressed) / 1e6)
                    pending = None
            now = file_size(pcap)
            if now != size:
                size, stable_since = now, time.monotonic()
            elif time.monotonic() - stable_since >= 1.5:
                break
        drained = time.monotonic() - stable_since >= 1.5
        drain_seconds = stable_since - drain_started if drained else None
        note(f'drained: {drained} after {time.monotonic() - drain_started:.1f} s')
        count = None
        if drained and pending is None:
            relative = not relative
            _, mark = tui.press(b'n')
            shown, _ = tui.wait_text(r'relative' if relative else r'absolute', since=mark, timeout=5)
            count = tui.last_match(r'(\d+) frames') if shown is not None else None
        try:
            tui.press(b'q')
            tui.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            note('q: still running after 10 s; SIGTERM')
        tui.stop()
        # On the way out synack prints, as tcpdump does, what it logged and what a flood kept from
        # the log: every frame the capture delivered is one of the two.
        summary = tui.last_match(r'synack: (\d+) frames? \((\d+) in, (\d+) out\)')
        not_logged = tui.last_match(r'(\d+) not logged')
        if summary:
            count = summary[0]
        # From the first flood frame to the TUI's end: how fast synack took frames in meanwhile.
        busy_seconds = time.monotonic() - started
        total, flooded = pcap_records(pcap, port)
        print(json.dumps({'seconds': seconds, 'sent': sent, 'interfaceRx': rx,
                          'pcapRecords': total, 'pcapFlood': flooded,
                          'drained': drained, 'drainSeconds': drain_seconds,
                          'takenPerSecond': flooded / busy_seconds,
                          'logFrames': int(count) if count else None,
                          'notLogged': int(not_logged) if not_logged else 0,
                          'presses': len(latencies) + (pending is not None), 'keyUnanswered': int(pending is not None),
                          'keySlow': sum(1 for latency in latencies if latency > 2000),
                          'keyMedianMs': percentile(latencies, 0.5) if latencies else None,
                          'keyWorstMs': max(latencies) if latencies else None}))
    finally:
        if blaster:
            blaster.terminate()
            blaster.wait()
        tui.stop()


def host_interface(name):
    """The lab's interface in our namespace: the one whose alias is synack-lab:NAME."""
    for interface in os.listdir('/sys/class/net'):
        try:
            with open(f'/sys/class/net/{interface}/ifalias') as file:
                if file.read().strip() == f'synack-lab:{name}':
                    return interface
        except OSError:
            continue
    fail(f'no interface for lab {name}')


def capture(interface):
    """One line per TCP segment to or from port 80: S (our SYN), A (the kernel's SYN-ACK), R (our RST),
    each with the kernel's receive timestamp in ns (CLOCK_REALTIME)."""
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((interface, 0))
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    print('ready', flush=True)
    while True:
        data, ancillary, _, address = sock.recvmsg(256, socket.CMSG_SPACE(16))
        if len(data) < 54 or data[12:14] != b'\x08\x00' or data[23] != 6:
            continue
        offset = 14 + (data[14] & 0x0f) * 4
        source, destination = struct.unpack('!HH', data[offset:offset + 4])
        if 80 not in (source, destination):
            continue
        flags = data[offset + 13]
        stamp = next((struct.unpack('qq', d[:16]) for level, kind, d in ancillary if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS), None)
        ns = stamp[0] * 1_000_000_000 + stamp[1] if stamp else realtime_ns()
        outgoing = address[2] == PACKET_OUTGOING
        if flags & 0x04 and not outgoing:
            print('R', ns, flush=True)
        elif flags & 0x12 == 0x02 and not outgoing:
            print('S', ns, flush=True)
        elif flags & 0x12 == 0x12 and outgoing:
            print('A', ns, flush=True)


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def blast(interface, mac, source, destination, port, seconds):
    """Pre-built ACK segments to `destination`:`port` as fast as one socket sends them, for
    `seconds` (and at most 100 million). Prints `sent N`."""
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((interface, 0))
    ours = bytes.fromhex(open(f'/sys/class/net/{interface}/address').read().strip().replace(':', ''))
    src = socket.inet_aton(source)
    dst = socket.inet_aton(destination)
    tcp = struct.pack('!HHIIBBHHH', 40_001, port, 1, 1, 5 << 4, 0x10, 512, 0, 0)
    tcp = tcp[:16] + struct.pack('!H', checksum(src + dst + struct.pack('!BBH', 0, 6, len(tcp)) + tcp)) + tcp[18:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack('!H', checksum(ip)) + ip[12:]
    frame = bytes.fromhex(mac.replace(':', '')) + ours + b'\x08\x00' + ip + tcp
    sent = 0
    print('ready', flush=True)
    deadline = time.monotonic() + seconds
    while sent < 100_000_000 and time.monotonic() < deadline:
        for _ in range(500):
            try:
                sock.send(frame)
                sent += 1
            except OSError:
                pass  # ENOBUFS: the queue is full; the frame was not sent
    print('sent', sent, flush=True)


def main():
    command, args = sys.argv[1], sys.argv[2:]
    # SIGTERM (the bench's teardown) or Ctrl-C runs the finally blocks once (the TUI stopped, so that
    # it takes its lab down); a second signal must not cut them short.
    stopping = []

    def stop(number, _frame):
        if not stopping:
            stopping.append(number)
            sys.exit(128 + number)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if command == 'keys':
        keys(args[0], args[1], int(args[2]))
    elif command == 'flood':
        flood(args[0], args[1], args[2], float(args[3]), float(args[4]))
    elif command == 'capture':
        capture(args[0])
    elif command == 'blast':
        blast(args[0], args[1], args[2], args[3], int(args[4]), float(args[5]))
    else:
        fail(f'unknown command {command}')


if __name__ == '__main__':
    main()
