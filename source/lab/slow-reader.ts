// The slow reader is Python because Node cannot set SO_RCVBUF on a TCP socket, and a tiny receive
// buffer is the point: a fast sender meets a zero window within a few segments. Accepted sockets
// inherit the listener's buffer size, and setting it locks out the kernel's receive autotuning
// (tcp(7), socket(7)). The kernel doubles the value and enforces a minimum of about 2 KiB.
export const slowReaderReceiveBuffer = 2048;
export const slowReaderReadSize = 100;
export const slowReaderIntervalMs = 100;
const maxConnections = 32;

const script = `
import socket, sys, threading, time
port, rcvbuf, size, interval = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]) / 1000
slots = threading.BoundedSemaphore(${maxConnections})
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
listener.bind(("0.0.0.0", port))
listener.listen(16)
def serve(connection):
    try:
        with connection:
            while connection.recv(size):
                time.sleep(interval)
    except OSError:
        pass
    finally:
        slots.release()
while True:
    connection, _ = listener.accept()
    if not slots.acquire(blocking=False):
        connection.close()
        continue
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
`;

/** The command line that runs the slow reader on `port`; the name is for `ps`. */
export function slowReaderCommand(labName: string, port: number): string[] {
	return ['python3', '-c', script, 'synack-lab-slow-reader', labName, String(port), String(slowReaderReceiveBuffer), String(slowReaderReadSize), String(slowReaderIntervalMs)];
}
