// The packet log's frames as ladder rows: which frames of a connection are around the log's selection,
// and what each one's annotations say in a word or two. Pure: a render reads only a bounded stretch of
// the log, however many frames it holds.
import type {Annotation, LogEntry, PacketLog} from '../session/packet-log.js';
import type {LadderRow} from './ladder-lines.js';

export type LadderEntry = LadderRow & {readonly number: number; readonly direction: LogEntry['direction']};

export type LadderWindow = {
	readonly rows: readonly LadderEntry[];
	/** Index in rows of the selected frame, or -1 when it is not one of them (ARP, another connection). */
	readonly selected: number;
};

/** Annotations that say nothing worth a ladder's margin. */
const quiet = new Set(['acceptable', 'explain', 'fin', 'window-update', 'no-connection']);

/** A fault that kept the segment from the other side: its arrow ends in x. */
export function isLost(annotations: readonly Annotation[]): boolean {
	return annotations.some(note => note.code === 'dropped' || (note.code === 'fault' && /^dropped\b/.test(note.text)));
}

/** Short notes: verdict codes as they are (`retransmission`, `out-of-window`), faults cut to what was done. */
export function ladderNotes(annotations: readonly Annotation[], faultMark: string): string[] {
	const notes: string[] = [];
	for (const note of annotations) {
		if (quiet.has(note.code) || note.code.startsWith('arp-')) continue;
		const text = note.code === 'fault' ? `${faultMark} ${note.text.replace(/ \(fault\).*$/, '').replace(/:.*$/, '')}` : note.code === 'dropped' ? `${faultMark} dropped` : note.code;
		if (!notes.includes(text)) notes.push(text);
	}

	return notes;
}

export function ladderEntry(entry: LogEntry, faultMark: string): LadderEntry {
	const notes = ladderNotes(entry.annotations, faultMark);
	return {number: entry.number, direction: entry.direction, timestamp: entry.timestamp, frame: entry.frame, notes, lost: isLost(entry.annotations)};
}

export type WindowOptions = {
	/** Frame number (1-based) selected in the log. */
	readonly selected: number;
	/** Show this connection's frames (default: the selected frame's connection). */
	readonly connection?: number;
	/** Rows wanted on screen: about half before the selection and half after. */
	readonly rows: number;
	readonly faultMark: string;
	/** Frames looked at on each side of the selection at most (other connections' and ARP frames cost a look too). */
	readonly reach?: number;
};

/**
 * The connection's frames around the selection, in order: enough before it to fill the pane above and
 * after it below, so that the selection stays in view as j/k move it.
 */
export function ladderWindow(log: Pick<PacketLog, 'at' | 'count' | 'size'>, options: WindowOptions): LadderWindow & {readonly connection: number | undefined} {
	const oldest = log.count - log.size + 1;
	if (log.size === 0 || options.selected < oldest) return {rows: [], selected: -1, connection: options.connection};
	const index = (number: number) => number - oldest;
	const selectedEntry = log.at(index(options.selected));
	const connection = selectedEntry?.connection ?? options.connection;
	if (connection === undefined) return {rows: [], selected: -1, connection};
	const reach = options.reach ?? 5000;
	const wanted = Math.max(1, options.rows);
	const belongs = (entry: LogEntry | undefined): entry is LogEntry => entry !== undefined && entry.connection === connection && entry.frame.tcp !== undefined;
	const before: LogEntry[] = [];
	const after: LogEntry[] = [];
	const isSelected = belongs(selectedEntry);
	for (let number = options.selected - 1; number >= Math.max(oldest, options.selected - reach) && before.length < wanted; number--) {
		const entry = log.at(index(number));
		if (belongs(entry)) before.push(entry);
	}

	for (let number = options.selected + 1; number <= Math.min(log.count, options.selected + reach) && after.length < wanted; number++) {
		const entry = log.at(index(number));
		if (belongs(entry)) after.push(entry);
	}

	// Half the pane above the selection, unless there are too few after it to fill the rest.
	const slots = isSelected ? wanted - 1 : wanted;
	const above = Math.min(before.length, Math.max(Math.floor(slots / 2), slots - after.length));
	const chosen = [...before.slice(0, above).reverse(), ...(isSelected ? [selectedEntry] : [])];
	const selected = isSelected ? chosen.length - 1 : -1;
	chosen.push(...after.slice(0, Math.max(0, wanted - chosen.length)));
	return {rows: chosen.map(entry => ladderEntry(entry, options.faultMark)), selected, connection};
}
