/** @jsxRuntime automatic */
/** @jsxImportSource react */
// The packet log pane draws rows that fit as three columns (numbers, arrows, the rest) because Ink
// measures a non-ASCII line slowly. These tests hold it to the screen of the plain layout, one <Text>
// per row, cell for cell and style for style: colour is forced (chalk reads FORCE_COLOR when first
// loaded, so Ink and the pane are imported after setting it; each test file runs in its own process).
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {ReactElement} from 'react';
import type {LogEntry} from '../../source/session/packet-log.js';
import type {ConnectionNumbers} from '../../source/wire/summary.js';
import type {LogView} from '../../source/ui/log-view.js';
import type {Theme} from '../../source/ui/theme.js';

process.env['FORCE_COLOR'] = '1';
const {Box, Text} = await import('ink');
const {render} = await import('ink-testing-library');
const {endpointsRule, LogPane} = await import('../../source/ui/log-pane.js');
const {heldIndex, logLine, placeView} = await import('../../source/ui/log-view.js');
const {PaneTitle} = await import('../../source/ui/pane-title.js');
const {makeTheme, ThemeContext, tint} = await import('../../source/ui/theme.js');
const {PacketLog} = await import('../../source/session/packet-log.js');
const {arpFrame, tcpFrame} = await import('../../source/wire/builders.js');
const {tcpFlags} = await import('../../source/wire/records.js');

const ours = 0xc6_12_00_0a;
const theirs = 0xc6_12_00_02;
const fromPeer = {sourceMac: 2, destinationMac: 10, source: theirs, destination: ours, sourcePort: 40_000, destinationPort: 80};
const toPeer = {sourceMac: 10, destinationMac: 2, source: ours, destination: theirs, sourcePort: 80, destinationPort: 40_000};
const relativeTo: ConnectionNumbers = {local: {ip: ours, port: 80}, remote: {ip: theirs, port: 40_000}, iss: 900, irs: 999};
const notes = [
	[],
	[{code: 'retransmission', text: 'retransmission', severity: 'warn'}],
	[{code: 'bad-checksum', text: 'bad TCP checksum', severity: 'error'}],
	[{code: 'fault', text: 'bad TCP checksum (fault): sent with checksum 0x0000', severity: 'warn'}, {code: 'zero-window', text: 'zero window', severity: 'warn'}],
	[{code: 'arp', text: 'only information', severity: 'info'}],
] as const;

/** Frames of every kind a line shows: options, data, flags, notes of each severity, faults, ARP, garbage. */
function mixedLog() {
	const log = new PacketLog(1000);
	for (let i = 0; i < 40; i++) {
		const incoming = i % 3 !== 1;
		const bytes = i === 7
			? Uint8Array.from([1, 2, 3, 4, 5])
			: i === 11
				? arpFrame({senderMac: 2, senderIp: theirs, targetIp: ours})
				: tcpFrame({
					...(incoming ? fromPeer : toPeer),
					seq: 1000 + (i * 100),
					ack: i % 2 ? 5000 : 0,
					flags: i === 0 ? tcpFlags.SYN : (i % 5 === 0 ? tcpFlags.ACK | tcpFlags.PSH | tcpFlags.FIN : tcpFlags.ACK),
					window: 502 + i,
					options: i % 4 === 0 ? [{kind: 'mss', value: 1448}, {kind: 'sackOK'}, {kind: 'timestamps', value: i, echo: 7}, {kind: 'wscale', shift: 7}] : [],
					payload: new Uint8Array((i % 6) * 10),
				});
		log.append({direction: incoming ? 'in' : 'out', timestamp: {seconds: 100 + i, nanoseconds: i * 1_234_567}, bytes, annotations: notes[i % notes.length]!, connection: i % 2 === 0 ? 1 : undefined});
	}

	return log;
}

type PaneProps = {
	readonly log: ReturnType<typeof mixedLog>;
	readonly view: LogView;
	readonly relativeTo?: ConnectionNumbers;
	readonly width: number;
	readonly height: number;
	readonly focused: boolean;
};

/** The plain layout: one truncated <Text> per row, as the pane was first written. */
function PlainPane({log, view, relativeTo: numbers, width, height, focused, theme}: PaneProps & {readonly theme: Theme}) {
	const rows = height - 1;
	const extent = {count: log.count, size: log.size};
	const placed = placeView(view, extent, rows);
	const entries: LogEntry[] = log.slice(heldIndex(placed.top, extent), rows);
	const numberWidth = Math.max(3, String(log.count).length);
	const detail = `${log.count} frames${placed.follow ? '' : `  #${placed.selected}`}  ${numbers ? 'relative' : 'absolute'}  ${endpointsRule}`;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<PaneTitle title="Packet log" detail={detail} width={width} focused={focused} />
			{entries.map(entry => {
				const line = logLine(entry, {width, relativeTo: numbers, connection: 1, origin: {seconds: 100, nanoseconds: 0}, numberWidth, ellipsis: theme.glyphs.ellipsis, faultMark: theme.glyphs.fault});
				const selected = entry.number === placed.selected && (focused || !placed.follow);
				const outgoing = entry.direction === 'out';
				return (
					<Text key={entry.number} wrap="truncate" inverse={selected}>
						<Text dimColor={!selected}>{line.number}</Text>
						{' '}
						<Text bold color={tint(theme, outgoing ? 'out' : 'in')}>{outgoing ? theme.glyphs.out : theme.glyphs.in}</Text>
						{' '}
						<Text dimColor={!selected}>{line.time}</Text>
						{' '}
						{line.notes.map(note => (
							<Text key={`${note.code} ${note.text}`}>
								<Text bold inverse={note.code === 'fault' && !selected} color={tint(theme, note.severity === 'error' ? 'error' : 'warn')}>[{note.text}]</Text>
								{' '}
							</Text>
						))}
						<Text color={tint(theme, outgoing ? 'out' : 'in')}>{line.text}</Text>
					</Text>
				);
			})}
		</Box>
	);
}

const themes = [makeTheme({color: true, ascii: false}), makeTheme({color: false, ascii: false}), makeTheme({color: true, ascii: true})];
const views: ReadonlyArray<readonly [focused: boolean, view: LogView]> = [
	[false, {follow: true, selected: 0, top: 0}],
	[true, {follow: true, selected: 0, top: 0}],
	[true, {follow: false, selected: 12, top: 5}],
];

const themed = (theme: Theme, tree: ReactElement) => <ThemeContext.Provider value={theme}>{tree}</ThemeContext.Provider>;

function frameOf(tree: ReactElement): string {
	const instance = render(tree);
	const frame = instance.lastFrame() ?? '';
	instance.unmount();
	return frame;
}

describe('log pane: the same screen as one text per row', () => {
	test('every theme, width and selection, with colours and styles', () => {
		const log = mixedLog();
		let compared = 0;
		for (const theme of themes) {
			for (const width of [40, 80, 133, 200]) {
				for (const [focused, view] of views) {
					for (const numbers of [undefined, relativeTo]) {
						const props = {log, view, relativeTo: numbers, width, height: 30, focused};
						const expected = frameOf(themed(theme, <PlainPane {...props} theme={theme} />));
						const actual = frameOf(themed(theme, <LogPane {...props} connection={1} origin={{seconds: 100, nanoseconds: 0}} />));
						assert.equal(actual, expected, `${theme.color ? 'colour' : 'NO_COLOR'} ${theme.ascii ? 'ascii' : 'unicode'} ${width} columns, ${focused ? 'focused' : 'not focused'}, ${JSON.stringify(view)}, ${numbers ? 'relative' : 'absolute'}`);
						compared++;
					}
				}
			}
		}

		assert.equal(compared, 72);
		// The comparison sees styles: colour is on, and a selected row is inverted.
		const sample = frameOf(<LogPane log={log} view={{follow: false, selected: 12, top: 5}} width={80} height={30} focused />);
		assert.match(sample, /\u001B\[36m/);
		assert.match(sample, /\u001B\[7m 12 /);
		// 40 columns: some rows are wider than the pane, and Ink cuts them.
		assert.match(frameOf(<LogPane log={log} view={{follow: true, selected: 0, top: 0}} width={40} height={30} />), /…/);
	});

	test('scrolling, resizing and switching numbering redraw every row as a fresh render does', () => {
		const log = mixedLog();
		const theme = themes[0]!;
		const steps: PaneProps[] = [
			{log, view: {follow: true, selected: 0, top: 0}, width: 120, height: 20, focused: true, relativeTo},
			{log, view: {follow: false, selected: 30, top: 20}, width: 120, height: 20, focused: true, relativeTo},
			{log, view: {follow: false, selected: 29, top: 19}, width: 120, height: 20, focused: true, relativeTo},
			{log, view: {follow: false, selected: 29, top: 19}, width: 120, height: 20, focused: false, relativeTo},
			{log, view: {follow: false, selected: 29, top: 19}, width: 120, height: 20, focused: false},
			{log, view: {follow: false, selected: 29, top: 19}, width: 47, height: 20, focused: false},
			{log, view: {follow: false, selected: 29, top: 19}, width: 47, height: 12, focused: false, relativeTo: {...relativeTo, irs: 5}},
		];
		const pane = (props: PaneProps) => themed(theme, <LogPane {...props} connection={1} origin={{seconds: 100, nanoseconds: 0}} />);
		const live = render(pane(steps[0]!));
		for (const [index, props] of steps.entries()) {
			live.rerender(pane(props));
			assert.equal(live.lastFrame(), frameOf(themed(theme, <PlainPane {...props} theme={theme} />)), `step ${index}`);
		}

		live.unmount();
	});

	test('a new log of the same size shows its own frames, not lines kept from the last', () => {
		const first = mixedLog();
		const second = new PacketLog(1000);
		for (let i = 0; i < 40; i++) second.append({direction: 'out', timestamp: {seconds: 100 + i, nanoseconds: 0}, bytes: tcpFrame({...toPeer, seq: 77_000 + i, flags: tcpFlags.RST}), annotations: []});
		const props = {view: {follow: true, selected: 0, top: 0}, width: 100, height: 10, connection: 1} as const;
		const live = render(<LogPane log={first} {...props} />);
		live.rerender(<LogPane log={second} {...props} />);
		const screen = live.lastFrame() ?? '';
		live.unmount();
		assert.match(screen, /Flags \[R\], seq 77039/);
		assert.doesNotMatch(screen, /Flags \[\.\]/);
	});
});
