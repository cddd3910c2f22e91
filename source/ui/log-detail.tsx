import {Text} from 'ink';
import type {LogEntry} from '../session/packet-log.js';
import {type ConnectionNumbers, summarizeFrame} from '../wire/summary.js';
import {fieldLines, frameFields} from './frame-fields.js';
import {hexDump} from './hex-dump.js';
import {Pane} from './pane.js';
import {tint, useTheme} from './theme.js';
import {wrapWords} from './wrap-text.js';

type Props = {
	readonly entry: LogEntry;
	readonly relativeTo?: ConnectionNumbers;
	/** First line shown (j/k scroll). */
	readonly offset: number;
	readonly width: number;
	readonly height: number;
};

/**
 * Lines of the detail view: summary, the decoded fields as a tree, then the hex dump, each wrapped to
 * the width (never cut: a note's verdict is what synack is here to explain). A field's continuation
 * lines start under its value.
 */
export function detailLines(entry: LogEntry, relativeTo: ConnectionNumbers | undefined, width: number): string[] {
	const summary = summarizeFrame(entry.frame, {relativeTo, annotateErrors: true});
	return [
		...wrapWords(summary, width, '    '),
		'',
		...fieldLines(frameFields(entry.frame, entry.annotations)).flatMap(line => wrapWords(line, width, valueIndent(line, width))),
		'',
		...hexDump(entry.bytes).flatMap(line => wrapWords(line, width, '      ')),
	];
}

/** Spaces up to where a `label: value` line's value starts; less when that would leave too little room. */
function valueIndent(line: string, width: number): string {
	const label = /^( *)[^:]*: /.exec(line);
	const indent = label ? label[0].length : (/^ */.exec(line)![0].length + 2);
	return ' '.repeat(indent <= width / 2 ? indent : Math.min(4, Math.max(0, width - 20)));
}

/** A frame opened from the log: every field, and its bytes. */
export function LogDetail({entry, relativeTo, offset, width, height}: Props) {
	const theme = useTheme();
	const lines = detailLines(entry, relativeTo, width);
	const summaryRows = lines.indexOf('');
	const rows = Math.max(0, height - 1);
	const start = Math.max(0, Math.min(offset, lines.length - rows));
	const arrow = entry.direction === 'out' ? theme.glyphs.out : theme.glyphs.in;
	return (
		<Pane title={`Frame ${entry.number} ${arrow} ${entry.direction}`} detail={`${entry.bytes.length} bytes  j/k scroll  Esc back`} width={width} height={height} focused>
			{lines.slice(start, start + rows).map((line, index) => (
				<Text key={start + index} wrap="truncate" color={start + index < summaryRows ? tint(theme, entry.direction === 'out' ? 'out' : 'in') : undefined}>{line === '' ? ' ' : line}</Text>
			))}
		</Pane>
	);
}
