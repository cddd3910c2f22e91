import {Box, Text, useInput} from 'ink';
import {useRef, useState} from 'react';
import type {StreamReassembler, StreamSide} from '../session/stream-reassembly.js';
import {keyName} from './keymap.js';
import {PaneTitle} from './pane-title.js';
import {StreamLayout, type StreamMode, type StreamRow} from './stream-lines.js';
import type {StatusMessage} from './status-bar.js';
import {tint, useTheme} from './theme.js';

type Props = {
	readonly stream: StreamReassembler;
	/** What the two sides are: `198.18.0.10:40000 → 198.18.0.2:80`. */
	readonly title: string;
	/** Octets of `in` the application has read (live); none in a capture. */
	readonly read?: number;
	readonly width: number;
	readonly height: number;
	/** `w`: writes the octets of one side somewhere and says where. */
	readonly onSave?: (side: StreamSide, bytes: Uint8Array, missing: number) => string;
	readonly onClose: () => void;
	/** Redraws when the stream grows (the session's snapshot version). */
	readonly version?: number;
};

type Scroll = {readonly top: number; readonly follow: boolean};

const sideNames: Record<StreamSide, string> = {in: 'in (received)', out: 'out (sent)'};

/**
 * Follow TCP Stream: both directions of one connection, in the order they were sent, ours (`→`)
 * and theirs (`←`) told apart by the margin and, with colour, by colour. Only the rows on screen are
 * made (see stream-lines.ts), so a 2 MiB body scrolls as fast as a short one.
 */
export function StreamView({stream, title, read, width, height, onSave, onClose, version}: Props) {
	const theme = useTheme();
	const [mode, setMode] = useState<StreamMode>('text');
	const [side, setSide] = useState<StreamSide>('in');
	const [scroll, setScroll] = useState<Scroll>({top: 0, follow: false});
	const [message, setMessage] = useState<StatusMessage | undefined>();
	const layoutRef = useRef<StreamLayout | undefined>(undefined);
	if (layoutRef.current?.width !== width || layoutRef.current.mode !== mode) layoutRef.current = new StreamLayout(width, mode);
	const layout = layoutRef.current;
	const data = {runs: stream.runs(), bytesOf: stream.bytesOf.bind(stream)};
	layout.update(data);
	const rowsShown = Math.max(1, height - 2);
	const total = layout.displayRows(read);
	const bottom = Math.max(0, total - rowsShown);
	const top = scroll.follow ? bottom : Math.min(scroll.top, bottom);
	// Keys that arrive in one read are handled before the next render: each sees the last one's scroll.
	const now = useRef({top, follow: scroll.follow});
	now.current = {top, follow: scroll.follow};
	const move = (to: number, follow = false) => {
		const next = {top: Math.max(0, Math.min(bottom, to)), follow};
		now.current = next;
		setScroll(next);
	};

	useInput((input, key) => {
		const name = keyName(input, key);
		const at = now.current.top;
		switch (name) {
			case 'j':
			case 'down': {
				move(at + 1);
				break;
			}

			case 'k':
			case 'up': {
				move(at - 1);
				break;
			}

			case 'pagedown':
			case ' ': {
				move(at + rowsShown);
				break;
			}

			case 'pageup': {
				move(at - rowsShown);
				break;
			}

			case 'g':
			case 'home': {
				move(0);
				break;
			}

			case 'G':
			case 'end': {
				// Stays at the end as data arrives, like the packet log's G.
				move(bottom, true);
				break;
			}

			case 'x': {
				setMode(mode === 'text' ? 'hex' : 'text');
				break;
			}

			case 'd':
			case 'tab': {
				setSide(side === 'in' ? 'out' : 'in');
				setMessage({text: `w now writes ${sideNames[side === 'in' ? 'out' : 'in']}`, severity: 'info'});
				break;
			}

			case 'w': {
				if (!onSave) {
					setMessage({text: 'writing the stream is not available here', severity: 'warn'});
					break;
				}

				try {
					setMessage({text: onSave(side, stream.bytes(side), stream.totals(side).missing), severity: 'info'});
				} catch (error) {
					setMessage({text: `write: ${error instanceof Error ? error.message : String(error)}`, severity: 'error'});
				}

				break;
			}

			case 'escape':
			case 'o':
			case 'q': {
				onClose();
				break;
			}

			default:
		}
	});

	const rows = layout.rows(data, top, rowsShown, read);
	const totals = (name: StreamSide) => {
		const {length, missing} = stream.totals(name);
		return `${name} ${length} B${missing > 0 ? ` (${missing} missing)` : ''}`;
	};

	// Where the window is comes first: it is what a narrow terminal must not cut off.
	const detail = `rows ${total === 0 ? 0 : top + 1}-${Math.min(total, top + rowsShown)}/${total}  ${totals('out')}  ${totals('in')}${read === undefined ? '' : `  read ${read}`}  ${mode}`;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<PaneTitle title={`Stream ${title}`} detail={detail} width={width} focused />
			<Box flexDirection="column" height={rowsShown}>
				{total === 0 ? <Text dimColor>no data in either direction yet</Text> : rows.map((row, index) => <Row key={index} row={row} selected={row.side === side} />)}
			</Box>
			<Text wrap="truncate">
				{message ? <Text color={tint(theme, message.severity === 'info' ? 'info' : message.severity)} bold={message.severity !== 'info'}>{message.text}  </Text> : null}
				<Key label="j/k PgUp/PgDn g/G" text="scroll" />
				<Key label="x" text={mode === 'text' ? 'hex' : 'text'} />
				<Key label="d" text={`side: ${side}`} />
				<Key label="w" text={`write ${side}`} />
				<Key label="Esc" text="back" />
			</Text>
		</Box>
	);
}

function Key({label, text}: {readonly label: string; readonly text: string}) {
	return <Text><Text bold inverse>{label}</Text>{` ${text} `}</Text>;
}

function Row({row, selected}: {readonly row: StreamRow; readonly selected: boolean}) {
	const theme = useTheme();
	if (row.kind === 'marker') {
		return <Text wrap="truncate" bold color={tint(theme, 'focus')}>{theme.glyphs.rule.repeat(2)} {row.text} {theme.glyphs.rule.repeat(2)}</Text>;
	}

	const glyph = row.side === 'out' ? theme.glyphs.out : theme.glyphs.in;
	const color = row.kind === 'gap' ? tint(theme, 'warn') : tint(theme, row.side);
	return (
		<Text wrap="truncate" color={color} dimColor={!selected && row.kind === 'data'}>
			<Text bold>{glyph}</Text> {row.text}
		</Text>
	);
}
