// A connection as a session keeps it (session/connection-entry.ts), for testing session/'s parts
// (the table, the incoming and outgoing paths) without a whole Session around them.
import {Autopilot} from '../../source/engine/autopilot.js';
import {Connection} from '../../source/engine/connection.js';
import {type Clock, Deadline} from '../../source/session/clock.js';
import type {Entry, Listening} from '../../source/session/connection-entry.js';
import {manualPolicies} from '../../source/session/auto-policies.js';
import {defaultReaderRate, ReadBudget} from '../../source/session/reader.js';
import type {Endpoint} from '../../source/wire/addresses.js';
import type {MacAddress} from '../../source/wire/records.js';

export type EntryFields = {
	readonly id?: number;
	readonly connection?: Connection;
	readonly localPort?: number;
	readonly remote?: Endpoint;
	readonly remoteMac?: MacAddress;
	readonly listening?: Listening;
};

/** An entry whose timers run on `clock` and do nothing when they fire; CLOSED on port 40000 unless told. */
export function sessionEntry(clock: Clock, fields: EntryFields = {}): Entry {
	const localPort = fields.localPort ?? 40_000;
	const connection = fields.connection ?? new Connection({localPort, remotePort: fields.remote?.port ?? 80});
	return {
		id: fields.id ?? 1,
		connection,
		localPort,
		remote: fields.remote,
		remoteMac: fields.remoteMac,
		deadline: new Deadline(clock, () => undefined),
		armedAt: undefined,
		autopilot: new Autopilot(connection, manualPolicies),
		bytesRead: 0,
		readTimer: new Deadline(clock, () => undefined),
		readBudget: new ReadBudget(defaultReaderRate),
		events: [],
		replies: [],
		serve: undefined,
		app: undefined,
		io: undefined,
		reordered: [],
		listening: fields.listening,
		spawned: false,
		bytesIn: 0,
		bytesOut: 0,
		lastVerdict: undefined,
	};
}
