import type {Ipv4Address, TcpRecord} from '../wire/records.js';
import type {Entry} from './connection-entry.js';

/** A session's connections by id, in the order they were made, and the lookups the incoming path needs. */
export class ConnectionTable {
	readonly #entries = new Map<number, Entry>();
	#nextId = 1;

	/** Ids are never reused, so a forgotten connection's id names nothing later. */
	nextId(): number {
		return this.#nextId++;
	}

	add(entry: Entry): void {
		this.#entries.set(entry.id, entry);
	}

	get(id: number): Entry | undefined {
		return this.#entries.get(id);
	}

	delete(id: number): void {
		this.#entries.delete(id);
	}

	values(): IterableIterator<Entry> {
		return this.#entries.values();
	}

	/** The connection an incoming segment is for: its own (RFC 9293 §3.10.7), else a listener on the port. */
	find(source: Ipv4Address, tcp: TcpRecord): Entry | undefined {
		return this.findPeer(source, tcp.sourcePort, tcp.destinationPort) ?? this.#listener(tcp.destinationPort);
	}

	/** The last listener on `port` with no peer yet. */
	#listener(port: number): Entry | undefined {
		let listener: Entry | undefined;
		for (const entry of this.#entries.values()) {
			if (entry.localPort === port && entry.remote === undefined && entry.connection.state === 'LISTEN') listener = entry;
		}

		return listener;
	}

	/** The connection with this peer and local port, if any (no listener: a predicted segment belongs to a connection). */
	findPeer(source: Ipv4Address, sourcePort: number, destinationPort: number): Entry | undefined {
		for (const entry of this.#entries.values()) {
			const remote = entry.remote;
			if (remote !== undefined && entry.localPort === destinationPort && remote.ip === source && remote.port === sourcePort) return entry;
		}

		return undefined;
	}

	/** Whether a listener other than `except`, with no peer yet, waits on `port`. */
	listensOn(port: number, except: Entry): boolean {
		for (const other of this.#entries.values()) if (other !== except && other.connection.state === 'LISTEN' && other.localPort === port && other.remote === undefined) return true;
		return false;
	}

	/**
	 * Connections on `port` a listener took that have not reached ESTABLISHED: the queue a backlog
	 * bounds. Linux drops a SYN to a listener whose queue is full rather than resetting it
	 * (tcp_conn_request()); net.ipv4.tcp_abort_on_overflow, 0 by default, only turns the final ACK
	 * that finds the accept queue full into a RST. The peer's SYN retransmission tries again.
	 */
	halfOpen(port: number): number {
		let count = 0;
		for (const entry of this.#entries.values()) if (entry.localPort === port && entry.listening && entry.connection.state === 'SYN-RECEIVED') count++;
		return count;
	}

	/** Ended connections (CLOSED, with a peer) past the newest `kept`, oldest first: what the list forgets. */
	closedBeyond(kept: number): Entry[] {
		const closed = [...this.#entries.values()].filter(entry => entry.connection.state === 'CLOSED' && entry.remote !== undefined);
		return closed.slice(0, Math.max(0, closed.length - kept));
	}
}
