import {seqSub} from '../engine/seq.js';
import type {Timestamp} from '../wire/timestamp.js';
import {type Endpoints, formatEndpoints} from '../session/conversations.js';
import type {DecodedFrame} from '../wire/records.js';
import {tcpFlags} from '../wire/records.js';
import {tcpFlagText} from '../wire/summary.js';

/**
 * A ladder (sequence) diagram as plain lines: two lifelines, one arrow per segment, relative numbers,
 * time at the side and notes after the right lifeline. Shared by the TUI's ladder pane and
 * `synack read --ladder`. Pure: no terminal, no colour.
 */
export type LadderRow = {
	readonly timestamp: Timestamp;
	readonly frame: DecodedFrame;
	/** Short notes shown after the arrow (retransmission, dropped, ...). */
	readonly notes?: readonly string[];
	/** The segment never reached the other side (a drop fault): the arrow ends in `x`. */
	readonly lost?: boolean;
};

export type LadderOptions = {
	readonly left: Endpoints;
	readonly right: Endpoints;
	/** Total width in columns (80 by default). */
	readonly width?: number;
	/** `-S`: absolute sequence numbers. */
	readonly absolute?: boolean;
	/** ASCII only (the default): `-`, `>`, `<`, `|`. Unicode uses box-drawing characters. */
	readonly unicode?: boolean;
	/** Each side's initial sequence number, when known (a live connection's ISS and IRS); else the first seen. */
	readonly bases?: {readonly left?: number; readonly right?: number};
	/** Time zero (default: the first row's time). */
	readonly origin?: Timestamp;
	/** Notes read from the segments alone (retransmission, dup ack, SACK); default on. Off when the rows carry verdicts. */
	readonly passive?: boolean;
};

const timeWidth = 10;

/** The header line, then one line per row with TCP (rows without are skipped). */
export function ladderLines(rows: readonly LadderRow[], options: LadderOptions): string[] {
	const width = Math.max(60, options.width ?? 80);
	// Room for the notes: a third of what is left after the time column, at most 24 columns.
	const notesWidth = Math.min(24, Math.floor((width - timeWidth) / 3));
	const arrowWidth = width - timeWidth - 2 - notesWidth - 1;
	const bar = options.unicode ? '│' : '|';
	const dash = options.unicode ? '─' : '-';
	const first = options.origin ?? rows[0]?.timestamp;
	const leftName = formatEndpoints(options.left);
	const rightName = formatEndpoints(options.right);
	const header = `${' '.repeat(timeWidth)}${leftName}${' '.repeat(Math.max(1, arrowWidth + 2 - leftName.length - rightName.length))}${rightName}`;
	const lines = [header.trimEnd()];
	const base = initialNumbers(rows, options);
	const seen = options.passive === false ? [] : passiveNotes(rows, options.left);
	for (const [index, row] of rows.entries()) {
		const tcp = row.frame.tcp;
		if (!tcp || !row.frame.ipv4) continue;
		const rightward = row.frame.ipv4.source === options.left.ip && tcp.sourcePort === options.left.port;
		const label = ` ${segmentLabel(row.frame, rightward ? base.left : base.right, rightward ? base.right : base.left, options.absolute === true)} `;
		const inner = arrowWidth;
		const body = label.length > inner - 4 ? `${label.slice(0, inner - 5)}~ ` : label;
		const fill = inner - body.length - 1;
		const before = Math.max(1, Math.floor(fill / 2));
		const after = Math.max(1, fill - before);
		let arrow = rightward ? `${dash.repeat(before)}${body}${dash.repeat(after)}>` : `<${dash.repeat(before)}${body}${dash.repeat(after)}`;
		if (row.lost) {
			// The arrow stops short of the far lifeline and ends in x.
			arrow = rightward ? `${arrow.slice(0, -4)}x   ` : `   x${arrow.slice(4)}`;
		}

		const time = first === undefined ? '' : elapsed(first, row.timestamp);
		const notes = [...new Set([...(row.notes ?? []), ...(seen[index] ?? [])])].join(', ');
		lines.push(`${time.padStart(timeWidth - 1)} ${bar}${arrow}${bar}${notes ? ` ${notes.length > notesWidth ? `${notes.slice(0, notesWidth - 1)}~` : notes}` : ''}`);
	}

	return lines;
}

type Bases = {left: number | undefined; right: number | undefined};

/** Wireshark's relative numbers: each side counts from its first sequence number seen (its ISN when the SYN is in view). */
function initialNumbers(rows: readonly LadderRow[], options: LadderOptions): Bases {
	const bases: Bases = {left: options.bases?.left, right: options.bases?.right};
	if (options.absolute) return {left: undefined, right: undefined};
	for (const {frame} of rows) {
		const tcp = frame.tcp;
		if (!tcp || !frame.ipv4) continue;
		const side = frame.ipv4.source === options.left.ip && tcp.sourcePort === options.left.port ? 'left' : 'right';
		bases[side] ??= tcp.seq;
	}

	return bases;
}

/** The segment's length on the wire, from the IP header: a capture cut by its snap length holds less. */
function payloadLength(frame: DecodedFrame): number {
	const {ipv4, tcp} = frame;
	return ipv4 && tcp ? Math.max(0, ipv4.totalLength - ipv4.headerLength - tcp.headerLength) : 0;
}

/**
 * What can be told from the segments alone, as Wireshark's analysis does: data a side already sent
 * (retransmission), the same ACK again with nothing new (duplicate ACK, RFC 5681 §2), SACK blocks.
 */
function passiveNotes(rows: readonly LadderRow[], left: Endpoints): Array<string[] | undefined> {
	const sides = {
		left: {highest: undefined as number | undefined, lastAck: undefined as number | undefined, lastWindow: -1, dups: 0},
		right: {highest: undefined as number | undefined, lastAck: undefined as number | undefined, lastWindow: -1, dups: 0},
	};
	return rows.map(({frame}) => {
		const tcp = frame.tcp;
		if (!tcp || !frame.ipv4) return undefined;
		const side = sides[frame.ipv4.source === left.ip && tcp.sourcePort === left.port ? 'left' : 'right'];
		const notes: string[] = [];
		const length = payloadLength(frame) + (tcp.flags & (tcpFlags.SYN | tcpFlags.FIN) ? 1 : 0);
		const end = (tcp.seq + length) >>> 0;
		if (length > 0 && side.highest !== undefined && seqSub(side.highest, end) < 2 ** 31) notes.push('retransmission');
		if (length > 0 && (side.highest === undefined || seqSub(end, side.highest) < 2 ** 31)) side.highest = end;
		if (tcp.flags & tcpFlags.ACK) {
			const pure = length === 0 && !(tcp.flags & (tcpFlags.SYN | tcpFlags.FIN | tcpFlags.RST));
			if (pure && tcp.ack === side.lastAck && tcp.window === side.lastWindow) {
				side.dups++;
				notes.push(`dup ack #${side.dups}`);
			} else if (tcp.ack !== side.lastAck) {
				side.dups = 0;
			}

			side.lastAck = tcp.ack;
			side.lastWindow = tcp.window;
		}

		if (tcp.options.some(option => option.kind === 'sack')) notes.push('SACK');
		return notes.length > 0 ? notes : undefined;
	});
}

function segmentLabel(frame: DecodedFrame, ours: number | undefined, theirs: number | undefined, absolute: boolean): string {
	const tcp = frame.tcp!;
	const length = payloadLength(frame);
	const relative = (value: number, base: number | undefined) => (absolute || base === undefined ? value : seqSub(value, base));
	const seq = relative(tcp.seq, ours);
	const parts = [tcpFlagText(tcp.flags)];
	parts.push(length > 0 ? `${seq}:${(seq + length) >>> 0}` : `seq ${seq}`);
	if (tcp.flags & tcpFlags.ACK) parts.push(`ack ${relative(tcp.ack, theirs)}`);
	if (tcp.window === 0 && !(tcp.flags & tcpFlags.RST)) parts.push('win 0');
	return parts.join(' ');
}

function elapsed(from: Timestamp, to: Timestamp): string {
	const ns = (to.seconds - from.seconds) * 1e9 + (to.nanoseconds - from.nanoseconds);
	return (ns / 1e9).toFixed(6);
}
