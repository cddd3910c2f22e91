import {Box, Text, useApp, useInput} from 'ink';
import {useEffect, useMemo, useReducer, useRef, useState} from 'react';
import {formatFault, parseFault} from '../syntax/fault-text.js';
import type {FaultPlan} from '../engine/faults.js';
import type {Timestamp} from '../wire/timestamp.js';
import {autoPolicies, isAuto, manualPolicies} from '../session/auto-policies.js';
import type {LogEntry} from '../session/packet-log.js';
import {LogStreamFollower} from '../session/log-stream.js';
import {describeReader, nextReaderMode} from '../session/reader.js';
import {Recorder} from '../session/recorder.js';
import type {ConnectionView, Session} from '../session/session.js';
import type {StreamSide} from '../session/stream-reassembly.js';
import {formatEndpoint, formatIpv4, isIpv4, parseIpv4} from '../wire/addresses.js';
import {ConnectionList} from './connection-list.js';
import {connectionName, lastTarget, listedConnections, usualPeer} from './connection-names.js';
import type {ConnectionNumbers} from '../wire/summary.js';
import {ArpPane} from './arp-pane.js';
import {ConnectionPane} from './connection-pane.js';
import {EditorPane, type KeyHandler} from './editor-pane.js';
import {editorPayload, editorReducer, emptyEditor} from './editor-state.js';
import {zeroWindowText} from './fault-items.js';
import {FaultMenu} from './fault-menu.js';
import {HelpOverlay} from './help-overlay.js';
import {type Command, findBinding, focusOrder, keyName, type KeyContext, type PaneId} from './keymap.js';
import {LiveLadder} from './live-ladder.js';
import {LogDetail, detailLines} from './log-detail.js';
import {LogPane} from './log-pane.js';
import {followingView, heldIndex, type LogView, moveView, placeView, tagWidth} from './log-view.js';
import {peerMacFromLog} from './peer-mac.js';
import {type KeyPress, splitKeys, useKeyQueue} from './key-queue.js';
import {StatusBar, type StatusMessage} from './status-bar.js';
import {StreamView} from './stream-view.js';
import {detectTheme, type Theme, ThemeContext} from './theme.js';
import {useSessionSnapshot} from './use-session.js';
import {useTerminalSize} from './use-terminal-size.js';

export type QuitHow = 'quit' | 'rst';

export type AppProps = {
	readonly session: Session;
	readonly theme?: Theme;
	/** From the command that runs the app: startup progress, or why it failed. */
	readonly notice?: StatusMessage;
	/** `w`: writes the log's frames somewhere and says where. */
	readonly onWrite?: () => string;
	readonly onExit?: (how: QuitHow) => void;
	/** The session clock, for timers on screen. */
	readonly now?: () => number;
	/**
	 * Records every action as a script line (`--record`); without one the app keeps its own, for `W`.
	 * The app performs its actions through it.
	 */
	readonly recorder?: Recorder;
	/** The file `--record` writes to, for the status bar. */
	readonly recording?: string;
	/** `W`: saves the script so far somewhere and says where. */
	readonly onSaveScript?: (script: string) => string;
	/** The stream view's `w`: writes one side's octets somewhere and says where. */
	readonly onWriteStream?: (side: StreamSide, bytes: Uint8Array, missing: number) => string;
};

type Overlay = {readonly kind: 'none'} | {readonly kind: 'help'} | {readonly kind: 'quit'} | {readonly kind: 'faults'} | {readonly kind: 'stream'} | {readonly kind: 'detail'; readonly number: number; readonly offset: number}
	| {readonly kind: 'connections'; readonly cursor: number} | {readonly kind: 'open'; readonly text: string};

const layout = {arpWidth: 28, topHeight: 8, editorHeight: 4} as const;

/** States in which quitting would leave the peer with a half-open connection. */
export function isOpen(connection: ConnectionView | undefined): boolean {
	const state = connection?.tcb.state;
	return state !== undefined && state !== 'CLOSED' && state !== 'LISTEN' && state !== 'TIME-WAIT';
}

const sendCommands = {syn: 'SYN', ack: 'ACK', fin: 'FIN', rst: 'RST', data: 'data'} as const;

export function App({session, theme: givenTheme, notice, onWrite, onExit, now = () => performance.now(), recorder: givenRecorder, recording, onSaveScript, onWriteStream}: AppProps) {
	const theme = useMemo(() => givenTheme ?? detectTheme(), [givenTheme]);
	const {exit} = useApp();
	const snapshot = useSessionSnapshot(session);
	const {columns, rows} = useTerminalSize();
	const [focus, setFocus] = useState<PaneId>('log');
	// Focus picks a pane; only `e` (or Enter on the payload pane) hands the keyboard to the editor.
	const [typing, setTypingState] = useState(false);
	// Read when keys arrive, before the render that a state change causes (as overlayNow).
	const typingNow = useRef(false);
	const setTyping = (value: boolean) => {
		typingNow.current = value;
		setTypingState(value);
	};

	const editorInput = useRef<KeyHandler | undefined>(undefined);
	const [overlay, setOverlayState] = useState<Overlay>({kind: 'none'});
	// Keys that arrive together are handled before the next render: once `x` opened the fault menu,
	// the keys after it are the menu's, never commands (a quick `x d` must not send data).
	const overlayNow = useRef<Overlay>(overlay);
	const setOverlay = (next: Overlay) => {
		overlayNow.current = next;
		setOverlayState(next);
	};

	const [relative, setRelative] = useState(true);
	const [ladder, setLadder] = useState(false);
	const [view, setView] = useState<LogView>(followingView);
	const [message, setMessage] = useState<StatusMessage | undefined>();
	const [editor, dispatchEditor] = useReducer(editorReducer, emptyEditor);
	const [, tick] = useState(0);
	// The command's notice shows until the user's first key after it.
	const [dismissed, setDismissed] = useState<StatusMessage | undefined>();
	const origin = useRef<Timestamp | undefined>(undefined);
	const [ownRecorder] = useState(() => (givenRecorder ? undefined : new Recorder(session)));
	const recorder = givenRecorder ?? ownRecorder!;
	useEffect(() => () => ownRecorder?.close(), [ownRecorder]);

	// The connection the panes and keys act on: the one picked in the `c` list, else the newest.
	const [selected, setSelected] = useState<number | undefined>();
	const listed = listedConnections(snapshot.connections);
	const current = snapshot.connections.find(connection => connection.id === selected) ?? listed.at(-1);
	// Once shown, a connection stays selected: a new one coming in does not take the panes away.
	useEffect(() => {
		if (current && selected !== current.id) setSelected(current.id);
	}, [current?.id, selected]);
	const announced = useRef<Set<number> | undefined>(undefined);
	useEffect(() => {
		const seen = announced.current;
		const arrived = listed.filter(connection => connection.remote !== undefined && !seen?.has(connection.id));
		announced.current = new Set([...(seen ?? []), ...arrived.map(connection => connection.id)]);
		const news = arrived.filter(connection => connection.passive && connection.id !== current?.id);
		if (seen && news.length > 0) {
			const {id, remote} = news.at(-1)!;
			// Short: it shares the line with the selected connection's name at 80 columns.
			const from = remote!.ip === usualPeer(listed) ? `:${remote!.port}` : `${formatIpv4(remote!.ip)}:${remote!.port}`;
			setMessage({text: `new #${id} from ${from}, c lists`, severity: 'info'});
		}
	}, [snapshot.version]);
	const log = session.log;
	const currentId = current?.id;
	// `o`: the connection's stream, followed from the log as frames arrive (only while on screen).
	const follower = useMemo(() => (currentId === undefined ? undefined : new LogStreamFollower(log, currentId)), [log, currentId]);
	if (overlay.kind === 'stream') follower?.catchUp();
	if (origin.current === undefined && log.size > 0 && log.count === log.size) origin.current = log.at(0)!.timestamp;

	const editorHeight = rows >= 32 ? layout.editorHeight + 2 : layout.editorHeight;
	// The connection pane grows a line for each of the first two faults in force.
	const topHeight = layout.topHeight + Math.min(2, snapshot.faults.length);
	const logHeight = Math.max(3, rows - topHeight - editorHeight - 1);
	const logRows = logHeight - 1;
	const extent = {count: snapshot.log.count, size: snapshot.log.size};
	const placed = placeView(view, extent, logRows);

	const relativeTo: ConnectionNumbers | undefined = relative && current?.remote
		? {local: current.local, remote: current.remote, iss: current.tcb.iss, irs: current.tcb.irs}
		: undefined;
	const remoteIp = current?.remote?.ip;
	const peerMac = useMemo(() => (remoteIp === undefined ? undefined : peerMacFromLog(log, remoteIp)), [log, remoteIp, snapshot.version]);
	const payload = editorPayload(editor);
	const editing = typing && focus === 'editor' && overlay.kind === 'none';
	const acksHeld = isAuto(snapshot.auto) && snapshot.auto.ack === 'off';
	const context: KeyContext = {state: current?.tcb.state, payloadBytes: payload.ok ? payload.bytes.length : undefined, auto: isAuto(snapshot.auto), focus, editing, ladder, unread: current?.reader.unread, connections: listed.length, used: (current?.tcb.transitions.length ?? 0) > 0};
	const host = current?.remote ? (current.remote.port === 80 ? formatIpv4(current.remote.ip) : `${formatIpv4(current.remote.ip)}:${current.remote.port}`) : formatIpv4(snapshot.ip);

	const timing = snapshot.connections.some(connection => connection.tcb.timeWaitUntil !== undefined);
	useEffect(() => {
		if (!timing) return;
		const timer = setInterval(() => tick(value => value + 1), 1000);
		return () => clearInterval(timer);
	}, [timing]);

	// Every open connection, not only the one on show, would be left half-open by quitting.
	const open = listed.filter(connection => isOpen(connection));
	const leave = (how: QuitHow) => {
		if (how === 'rst') {
			for (const connection of open) {
				try {
					recorder.send(connection.id, 'rst');
				} catch {
					// Quitting anyway: the peer times out on its own.
				}
			}
		}

		onExit?.(how);
		exit();
	};

	const moveFocus = (direction: 1 | -1) => {
		const index = focusOrder.indexOf(focus);
		setTyping(false);
		setFocus(focusOrder[(index + direction + focusOrder.length) % focusOrder.length]!);
	};

	const focusLog = () => {
		setTyping(false);
		setFocus('log');
	};

	const send = (command: keyof typeof sendCommands) => {
		if (!current) {
			setMessage({text: 'no connection yet', severity: 'warn'});
			return;
		}

		try {
			if (command === 'data') {
				if (!payload.ok) {
					setMessage({text: `payload: ${payload.error}`, severity: 'error'});
					return;
				}

				if (payload.bytes.length === 0) {
					setMessage({text: 'the payload is empty: e to edit, C-t for a template', severity: 'warn'});
					return;
				}

				recorder.send(current.id, 'data', payload.bytes);
			} else {
				recorder.send(current.id, command);
			}

			setMessage(undefined);
		} catch (error) {
			setMessage({text: `${sendCommands[command]}: ${error instanceof Error ? error.message : String(error)}`, severity: 'error'});
		}
	};

	/** `N`: a new connection in CLOSED to HOST:PORT, selected, ready for `s`. */
	const openConnection = (text: string) => {
		const match = /^(.+):(\d{1,5})$/.exec(text.trim());
		const port = Number(match?.[2]);
		if (!match || !isIpv4(match[1]!) || port < 1 || port > 65_535) {
			setOverlay({kind: 'none'});
			setMessage({text: `open: HOST:PORT, like 198.18.0.2:80 (not ${JSON.stringify(text)})`, severity: 'error'});
			return;
		}

		setOverlay({kind: 'none'});
		setMessage({text: `resolving ${match[1]}...`, severity: 'info'});
		session.connect({ip: parseIpv4(match[1]!), port}).then(id => {
			setSelected(id);
			setMessage({text: `#${id} to ${match[1]}:${port} in CLOSED: s sends the SYN`, severity: 'info'});
		}, (error: unknown) => {
			setMessage({text: `open: ${error instanceof Error ? error.message : String(error)}`, severity: 'error'});
		});
	};

	/** `D`: forgets an ended connection; the selection moves to the newest if it was that one. */
	const drop = (id: number | undefined) => {
		if (id === undefined) return;
		try {
			session.drop(id);
			if (id === selected) setSelected(undefined);
			setMessage({text: `#${id} dropped from the list`, severity: 'info'});
		} catch (error) {
			setMessage({text: `drop: ${error instanceof Error ? error.message : String(error)}`, severity: 'warn'});
		}
	};

	const detailEntry = (number: number): LogEntry | undefined => log.at(heldIndex(number, {count: log.count, size: log.size}));

	const perform = (command: Command) => {
		switch (command) {
			case 'syn':
			case 'ack':
			case 'data':
			case 'fin':
			case 'rst': {
				send(command);
				return;
			}

			case 'auto': {
				const on = !isAuto(snapshot.auto);
				recorder.setAuto(on ? autoPolicies : manualPolicies);
				setMessage({text: on ? 'auto mode: the engine completes handshakes, ACKs data, retransmits' : 'manual mode: nothing is sent unless you ask', severity: 'info'});
				return;
			}

			case 'read': {
				if (!current) {
					setMessage({text: 'no connection yet', severity: 'warn'});
					return;
				}

				const read = recorder.read(current.id);
				setMessage(read > 0
					? {text: `read ${read} B: our window opens${snapshot.auto.windowUpdate ? '' : '; a announces it'}`, severity: 'info'}
					: {text: `nothing unread (reader: ${describeReader(snapshot.auto.read, session.readerRate)}; C-r changes it)`, severity: 'info'});
				return;
			}

			case 'reader': {
				const mode = nextReaderMode(snapshot.auto.read);
				recorder.setReader(mode);
				const why = {arrival: 'data is read as it arrives', manual: 'R reads; until then the window closes', slow: 'watch the window open bit by bit'}[mode];
				setMessage({text: `reader ${describeReader(mode, session.readerRate)}: ${why}`, severity: 'info'});
				return;
			}

			case 'edit': {
				setFocus('editor');
				setTyping(true);
				return;
			}

			case 'focus-next':
			case 'focus-previous': {
				moveFocus(command === 'focus-next' ? 1 : -1);
				return;
			}

			case 'numbers': {
				setRelative(!relative);
				return;
			}

			case 'down':
			case 'up':
			case 'page-down':
			case 'page-up':
			case 'first':
			case 'last': {
				if (overlay.kind === 'detail') {
					const entry = detailEntry(overlay.number);
					const length = entry ? detailLines(entry, relativeTo, columns).length : 0;
					const page = rows - 3;
					const by = {down: 1, up: -1, 'page-down': page, 'page-up': -page, first: -Infinity, last: Infinity}[command];
					setOverlay({...overlay, offset: Math.max(0, Math.min(length - (rows - 2), overlay.offset + by))});
					return;
				}

				focusLog();
				setView(moveView(view, command, extent, logRows));
				return;
			}

			case 'open': {
				if (overlay.kind === 'detail') {
					setOverlay({kind: 'none'});
				} else if (focus === 'editor' && overlay.kind === 'none') {
					setTyping(true);
				} else if (placed.selected > 0) {
					setOverlay({kind: 'detail', number: placed.selected, offset: 0});
				}

				return;
			}

			case 'close': {
				setOverlay({kind: 'none'});
				return;
			}

			case 'write': {
				if (!onWrite) {
					setMessage({text: 'writing a pcap is not available here', severity: 'warn'});
					return;
				}

				try {
					setMessage({text: onWrite(), severity: 'info'});
				} catch (error) {
					setMessage({text: `write: ${error instanceof Error ? error.message : String(error)}`, severity: 'error'});
				}

				return;
			}

			case 'save-script': {
				if (!onSaveScript) {
					setMessage({text: 'saving a script is not available here', severity: 'warn'});
					return;
				}

				try {
					setMessage({text: onSaveScript(recorder.text), severity: 'info'});
				} catch (error) {
					setMessage({text: `save: ${error instanceof Error ? error.message : String(error)}`, severity: 'error'});
				}

				return;
			}

			case 'faults': {
				setOverlay({kind: 'faults'});
				return;
			}

			case 'conversations': {
				const at = listed.findIndex(connection => connection.id === current?.id);
				setOverlay({kind: 'connections', cursor: Math.max(0, at)});
				return;
			}

			case 'new-connection': {
				setOverlay({kind: 'open', text: lastTarget(snapshot.connections)});
				return;
			}

			case 'drop': {
				drop(current?.id);
				return;
			}

			case 'ladder': {
				setLadder(!ladder);
				focusLog();
				return;
			}

			case 'follow': {
				if (current) setOverlay({kind: 'stream'});
				else setMessage({text: 'no connection yet: nothing to follow', severity: 'warn'});
				return;
			}

			case 'help': {
				setOverlay(overlay.kind === 'help' ? {kind: 'none'} : {kind: 'help'});
				return;
			}

			case 'quit': {
				// The session as it is now: the last render may be older than a close that just happened.
				if (listedConnections(session.getSnapshot().connections).some(connection => isOpen(connection))) setOverlay({kind: 'quit'});
				else leave('quit');
			}
		}
	};

	const handleKey = ([input, key]: KeyPress) => {
		// Keys queued behind `x` were typed for the menu, never as commands (a quick `x d` must not send
		// data); the stream view reads its own keys.
		if (overlay.kind === 'faults' || overlay.kind === 'stream') return;
		setDismissed(notice);
		// The refs, not `editing`: a key read right after `e`, before the render, is the editor's.
		if (typingNow.current && overlayNow.current.kind === 'none') {
			editorInput.current?.(input, key);
			return;
		}

		const name = keyName(input, key);
		// The ref: keys that came together with `N` or `c` are the prompt's or the list's.
		const shown = overlayNow.current;
		if (shown.kind === 'open') {
			if (name === 'return') openConnection(shown.text);
			else if (name === 'escape') setOverlay({kind: 'none'});
			else if (name === 'backspace') setOverlay({kind: 'open', text: shown.text.slice(0, -1)});
			else if (name === 'ctrl-u') setOverlay({kind: 'open', text: ''});
			else if (/^[\w.:-]$/.test(name)) setOverlay({kind: 'open', text: shown.text + name});
			return;
		}

		if (shown.kind === 'connections') {
			const last = Math.max(0, listed.length - 1);
			const cursor = Math.min(shown.cursor, last);
			if (name === 'j' || name === 'down') setOverlay({kind: 'connections', cursor: Math.min(last, cursor + 1)});
			else if (name === 'k' || name === 'up') setOverlay({kind: 'connections', cursor: Math.max(0, cursor - 1)});
			else if (name === 'D') drop(listed[cursor]?.id);
			else if (name === 'escape' || name === 'c') setOverlay({kind: 'none'});
			else if (name === 'q' || name === 'ctrl-c') perform('quit');
			else if (name === 'return' && listed[cursor]) {
				const picked = listed[cursor];
				setSelected(picked.id);
				setOverlay({kind: 'none'});
				setMessage({text: `#${picked.id} selected: the panes and keys act on it`, severity: 'info'});
			}

			return;
		}

		if (overlay.kind === 'quit') {
			if (name === 'r') leave('rst');
			else if (name === 'q' || name === 'y' || name === 'ctrl-c') leave('quit');
			else if (name === 'escape' || name === 'n') setOverlay({kind: 'none'});
			return;
		}

		const binding = findBinding(name);
		if (!binding) return;
		if (overlay.kind === 'help' && binding.command !== 'quit') {
			setOverlay({kind: 'none'});
			return;
		}

		perform(binding.command);
	};

	useInput((input, key) => {
		if (overlayNow.current.kind === 'faults' || overlayNow.current.kind === 'stream') return;
		keys.receive(splitKeys(input, key, typingNow.current));
	}, {isActive: overlay.kind !== 'faults' && overlay.kind !== 'stream'});
	const keys = useKeyQueue(handleKey);

	// The fault menu acts on the selected connection, as the send keys do; with none yet, on every one.
	const addFault = (plan: FaultPlan, why?: string) => {
		recorder.addFault(plan, current?.id);
		setOverlay({kind: 'none'});
		setMessage({text: why ?? `fault added${current && listed.length > 1 ? ` on #${current.id} only` : ''}: ${formatFault(plan)}`, severity: 'warn'});
	};

	const faultActions = {
		onAdd: (plan: FaultPlan) => addFault(plan),
		onZeroWindow() {
			const parsed = parseFault(zeroWindowText);
			if (parsed.ok) addFault(parsed.plan, 'every segment now advertises window 0: a sends one; x C clears, then a reopens');
		},
		onHoldAcks() {
			recorder.setAuto({ack: acksHeld ? 'delayed' : 'off'});
			setOverlay({kind: 'none'});
			setMessage(acksHeld
				? {text: 'ACKs released: auto mode ACKs data again', severity: 'info'}
				: {text: isAuto(snapshot.auto) ? 'ACKs held: auto mode sends no ACKs (watch the peer retransmit)' : 'ACKs held (manual mode sends none anyway; A for auto mode)', severity: 'warn'});
		},
		onClear() {
			recorder.clearFaults();
			setOverlay({kind: 'none'});
			setMessage({text: 'all faults cleared', severity: 'info'});
		},
		onClose: () => setOverlay({kind: 'none'}),
	};

	const width = columns;
	const connectionWidth = Math.max(10, width - layout.arpWidth - 1);
	const entry = overlay.kind === 'detail' ? detailEntry(overlay.number) : undefined;
	const fullScreen = overlay.kind === 'help' || entry !== undefined;
	if (overlay.kind === 'stream' && follower && current) {
		return (
			<ThemeContext.Provider value={theme}>
				<StreamView stream={follower.stream} title={`${formatEndpoint(current.local)} ${theme.glyphs.out} ${current.remote ? formatEndpoint(current.remote) : '(listening)'}`} read={current.bytesRead} version={snapshot.version} width={width} height={rows} onSave={onWriteStream} onClose={() => setOverlay({kind: 'none'})} />
			</ThemeContext.Provider>
		);
	}

	const body = (() => {
		if (overlay.kind === 'help') return <HelpOverlay width={width} height={rows - 1} />;
		if (overlay.kind === 'connections') return <ConnectionList connections={listed} cursor={Math.min(overlay.cursor, Math.max(0, listed.length - 1))} selected={current?.id} width={width} height={rows - editorHeight - 1} />;
		if (overlay.kind === 'faults') return <FaultMenu faults={snapshot.faults} acksHeld={acksHeld} active width={width} height={rows - editorHeight - 1} {...faultActions} />;
		if (overlay.kind === 'detail' && entry) return <LogDetail entry={entry} relativeTo={relativeTo} offset={overlay.offset} width={width} height={rows - 1} />;
		return (
			<>
				<Box height={topHeight}>
					<ArpPane snapshot={snapshot} peerMac={peerMac} width={layout.arpWidth} height={topHeight} focused={focus === 'arp'} />
					<Box width={1} flexDirection="column">{Array.from({length: topHeight}, (_, index) => <Box key={index}><DividerGlyph theme={theme} /></Box>)}</Box>
					<ConnectionPane connection={current} relative={relative} auto={isAuto(snapshot.auto)} acksHeld={acksHeld} faults={snapshot.faults} now={now()} width={connectionWidth} height={topHeight} focused={focus === 'connection'} />
				</Box>
				{ladder ? <LiveLadder log={log} selected={placed.selected} connections={snapshot.connections} current={current?.id} relative={relative} origin={origin.current} width={width} height={logHeight} focused={focus === 'log'} /> : <LogPane log={log} view={placed} relativeTo={relativeTo} connection={current?.id} origin={origin.current} width={width} height={logHeight} focused={focus === 'log'} overload={snapshot.log} tagWidth={tagWidth(snapshot.connections.at(-1)?.id, listed.length)} />}
			</>
		);
	})();
	const question = overlay.kind === 'quit' && open.length > 1
		? `${open.length} connections open (${open.map(connection => `#${connection.id} ${connection.tcb.state}`).join(', ')}): r send RSTs and quit, q quit, Esc stay`
		: overlay.kind === 'quit' && open[0]
		? `${open[0].tcb.state} to ${open[0].remote ? `${formatIpv4(open[0].remote.ip)}:${open[0].remote.port}` : 'peer'}: r send RST and quit, q quit, Esc stay`
		: overlay.kind === 'quit' ? 'nothing is open any more: q quits, Esc stays'
		: overlay.kind === 'open' ? `open a connection to HOST:PORT ${overlay.text}${theme.glyphs.cursor}  Enter opens, Esc cancels` : undefined;
	const naming = current && listed.length > 1 ? connectionName(current, theme.glyphs.out, usualPeer(listed)) : undefined;
	return (
		<ThemeContext.Provider value={theme}>
			<Box flexDirection="column" width={width} height={rows} overflow="hidden">
				{body}
				{fullScreen ? null : <EditorPane
					state={editor}
					dispatch={dispatchEditor}
					active={editing}
					input={editorInput}
					focused={focus === 'editor'}
					host={host}
					width={width}
					height={editorHeight}
					onLeave={focusLog}
					onFocus={moveFocus}
					onQuit={() => perform('quit')}
				/>}
				<StatusBar context={context} connection={naming} message={message ?? (notice === dismissed ? undefined : notice)} question={question} recording={recording} width={width} />
			</Box>
		</ThemeContext.Provider>
	);
}

function DividerGlyph({theme}: {readonly theme: Theme}) {
	return <Text dimColor>{theme.glyphs.divider}</Text>;
}
