import type {Autopilot} from '../engine/autopilot.js';
import type {Connection, ConnectionConfig, EngineEvent, Reply} from '../engine/connection.js';
import type {Endpoint} from '../wire/addresses.js';
import type {DecodedFrame, MacAddress} from '../wire/records.js';
import type {AppFactory, AppIo, ConnectionApp} from './apps.js';
import type {Deadline} from './clock.js';
import type {Annotation} from './packet-log.js';
import type {ReadBudget} from './reader.js';

/** A connection as the session runs it: the engine and its autopilot, timers, app, reader and counters. */
export type Entry = {
	readonly id: number;
	readonly connection: Connection;
	readonly localPort: number;
	remote: Endpoint | undefined;
	remoteMac: MacAddress | undefined;
	readonly deadline: Deadline;
	/** When the deadline's timer fires; it may fire early (then it is re-armed), never late. */
	armedAt: number | undefined;
	readonly autopilot: Autopilot;
	bytesRead: number;
	/** The slow reader's timer and allowance. */
	readonly readTimer: Deadline;
	readonly readBudget: ReadBudget;
	events: EngineEvent[];
	/** The answers a conformant stack would have sent for the newest segment this connection took. */
	replies: readonly Reply[];
	/** Every connection this one accepts gets an app from here (a listener that `serve` was called on). */
	serve: AppFactory | undefined;
	app: ConnectionApp | undefined;
	io: AppIo | undefined;
	/** Incoming frames a `reorder` fault holds until the next one for this connection has been taken. */
	reordered: DecodedFrame[];
	/** Set on a listener (and the listeners that replace it): its engine's config and backlog. */
	listening: Listening | undefined;
	readonly spawned: boolean;
	bytesIn: number;
	bytesOut: number;
	lastVerdict: Annotation | undefined;
};

export type Listening = {readonly config: Partial<Omit<ConnectionConfig, 'localPort' | 'remotePort'>>; readonly backlog: number};

/** Engine events a connection's view shows, newest last. */
export const keptEvents = 50;

/** Keeps the newest events; the list is cut back only when it doubles, not on every event. */
export function recordEvents(entry: Entry, events: readonly EngineEvent[]): void {
	if (events.length === 0) return;
	const kept = entry.events;
	for (const event of events) kept.push(event);
	if (kept.length > 2 * keptEvents) kept.splice(0, kept.length - keptEvents);
}
