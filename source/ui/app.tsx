import {Box, Text, useApp} from 'ink';
import {useEffect, useMemo, useReducer, useRef, useState} from 'react';
import {formatFault, parseFault} from '../syntax/fault-text.js';
import type {FaultPlan} from '../engine/faults.js';
import type {Timestamp} from '../wire/timestamp.js';
import {autoPolicies, isAuto, manualPolicies} from '../session/auto-policies.js';
import type {LogEntry} from '../session/packet-log.js';
import {LogStreamFollower} from '../session/log-stream.js';
import {describeReader, nextReaderMode} from '../session/reader.js';
import {Recorder} from '../session/recorder.js';
import type {Session} from '../session/session.js';
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
import {type KeyPress, useKeys} from './key-queue.js';
import {liveLayout} from './layout.js';
import {LogDetail} from './log-detail.js';
import {LogPane} from './log-pane.js';
import {heldIndex, tagWidth} from './log-view.js';
import {peerMacFromLog} from './peer-mac.js';
import {isOpen, quitAnswer, type QuitHow, QuitPrompt} from './quit-prompt.js';
import {StatusBar, type StatusMessage} from './status-bar.js';
import {StreamView} from './stream-view.js';
import {detectTheme, type Theme, ThemeContext} from './theme.js';
import {type DetailOverlay, useLogNavigation} from './use-log-navigation.js';
import {useOverlay} from './use-overlay.js';
import {useStateNow} from './use-state-now.js';
import {useSessionSnapshot} from './use-session.js';
import {useTerminalSize} from './use-terminal-size.js';

export type {QuitHow} from './quit-prompt.js';

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

type Overlay = {readonly kind: 'help'} | {readonly kind: 'quit'} | {readonly kind: 'faults'} | {readonly kind: 'stream'} | DetailOverlay
	| {readonly kind: 'connections'; readonly cursor: number} | {readonly kind: 'open'; readonly text: string};

const sendCommands = {syn: 'SYN', ack: 'ACK', fin: 'FIN', rst: 'RST', data: 'data'} as const;

export function App({session, theme: givenTheme, notice, onWrite, onExit, now = () => performance.now(), recorder: givenRecorder, recording, onSaveScript, onWriteStream}: AppProps) {
	const theme = useMemo(() => givenTheme ?? detectTheme(), [givenTheme]);
	const {exit} = useApp();
	const snapshot = useSessionSnapshot(session);
	const {columns, rows} = useTerminalSize();
	const [focus, setFocus] = useState<PaneId>('log');
	// Focus picks a pane; only `e` (or Enter on the payload pane) hands the keyboard to the editor.
	// Read when keys arrive, before the render that a state change causes (as overlays.now()).
	const typingState = useStateNow(false);
	const {value: typing, set: setTyping} = typingState;

	const editorInput = useRef<KeyHandler | undefined>(undefined);
	// Once `x` opened the fault menu, the keys after it are the menu's, never commands (a quick `x d`
	// must not send data): overlays.now() is what the key before left, before the next render.
	const overlays = useOverlay<Overlay>();
	const overlay = overlays.shown;

	const [relative, setRelative] = useState(true);
	const [ladder, setLadder] = useState(false);
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

	const layout = liveLayout({columns, rows}, snapshot.faults.length);
	const {editorHeight, topHeight, logHeight} = layout;
	const extent = {count: snapshot.log.count, size: snapshot.log.size};
	const relativeTo: ConnectionNumbers | undefined = relative && current?.remote
		? {local: current.local, remote: current.remote, iss: current.tcb.iss, irs: current.tcb.irs}
		: undefined;
	const detailEntry = (number: number): LogEntry | undefined => log.at(heldIndex(number, {count: log.count, size: log.size}));
	const navigation = useLogNavigation({overlays, extent, logRows: layout.logRows, fullHeight: layout.fullHeight, columns, entryAt: detailEntry, relativeTo: () => relativeTo});
	const placed = navigation.placed;
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
			overlays.close();
			setMessage({text: `open: HOST:PORT, like 198.18.0.2:80 (not ${JSON.stringify(text)})`, severity: 'error'});
			return;
		}

		overlays.close();
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
				if (navigation.move(command)) focusLog();
				return;
			}

			case 'open': {
				// Enter on the payload pane types into it; anywhere else it opens (or closes) the frame's detail.
				if (focus === 'editor' && overlays.now().kind === 'none') setTyping(true);
				else navigation.toggleDetail();
				return;
			}

			case 'close': {
				overlays.close();
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
				overlays.open({kind: 'faults'});
				return;
			}

			case 'conversations': {
				const at = listed.findIndex(connection => connection.id === current?.id);
				overlays.open({kind: 'connections', cursor: Math.max(0, at)});
				return;
			}

			case 'new-connection': {
				overlays.open({kind: 'open', text: lastTarget(snapshot.connections)});
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
				if (current) overlays.open({kind: 'stream'});
				else setMessage({text: 'no connection yet: nothing to follow', severity: 'warn'});
				return;
			}

			case 'help': {
				overlays.toggle({kind: 'help'});
				return;
			}

			case 'quit': {
				// The session as it is now: the last render may be older than a close that just happened.
				if (listedConnections(session.getSnapshot().connections).some(connection => isOpen(connection))) overlays.open({kind: 'quit'});
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
		if (typingState.now() && overlays.now().kind === 'none') {
			editorInput.current?.(input, key);
			return;
		}

		const name = keyName(input, key);
		// The ref: keys that came together with `N` or `c` are the prompt's or the list's.
		const shown = overlays.now();
		if (shown.kind === 'open') {
			if (name === 'return') openConnection(shown.text);
			else if (name === 'escape') overlays.close();
			else if (name === 'backspace') overlays.open({kind: 'open', text: shown.text.slice(0, -1)});
			else if (name === 'ctrl-u') overlays.open({kind: 'open', text: ''});
			else if (/^[\w.:-]$/.test(name)) overlays.open({kind: 'open', text: shown.text + name});
			return;
		}

		if (shown.kind === 'connections') {
			const last = Math.max(0, listed.length - 1);
			const cursor = Math.min(shown.cursor, last);
			if (name === 'j' || name === 'down') overlays.open({kind: 'connections', cursor: Math.min(last, cursor + 1)});
			else if (name === 'k' || name === 'up') overlays.open({kind: 'connections', cursor: Math.max(0, cursor - 1)});
			else if (name === 'D') drop(listed[cursor]?.id);
			else if (name === 'escape' || name === 'c') overlays.close();
			else if (name === 'q' || name === 'ctrl-c') perform('quit');
			else if (name === 'return' && listed[cursor]) {
				const picked = listed[cursor];
				setSelected(picked.id);
				overlays.close();
				setMessage({text: `#${picked.id} selected: the panes and keys act on it`, severity: 'info'});
			}

			return;
		}

		if (overlay.kind === 'quit') {
			const answer = quitAnswer(name);
			if (answer === 'stay') overlays.close();
			else if (answer) leave(answer);
			return;
		}

		const binding = findBinding(name);
		if (!binding || overlays.closeHelpOn(binding.command)) return;
		perform(binding.command);
	};

	useKeys(handleKey, {
		isActive: overlay.kind !== 'faults' && overlay.kind !== 'stream',
		pasting: () => typingState.now(),
		elsewhere: () => overlays.now().kind === 'faults' || overlays.now().kind === 'stream',
	});

	// The fault menu acts on the selected connection, as the send keys do; with none yet, on every one.
	const addFault = (plan: FaultPlan, why?: string) => {
		recorder.addFault(plan, current?.id);
		overlays.close();
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
			overlays.close();
			setMessage(acksHeld
				? {text: 'ACKs released: auto mode ACKs data again', severity: 'info'}
				: {text: isAuto(snapshot.auto) ? 'ACKs held: auto mode sends no ACKs (watch the peer retransmit)' : 'ACKs held (manual mode sends none anyway; A for auto mode)', severity: 'warn'});
		},
		onClear() {
			recorder.clearFaults();
			overlays.close();
			setMessage({text: 'all faults cleared', severity: 'info'});
		},
		onClose: overlays.close,
	};

	const width = columns;
	const entry = overlay.kind === 'detail' ? detailEntry(overlay.number) : undefined;
	const fullScreen = overlay.kind === 'help' || entry !== undefined;
	if (overlay.kind === 'stream' && follower && current) {
		return (
			<ThemeContext.Provider value={theme}>
				<StreamView stream={follower.stream} title={`${formatEndpoint(current.local)} ${theme.glyphs.out} ${current.remote ? formatEndpoint(current.remote) : '(listening)'}`} read={current.bytesRead} version={snapshot.version} width={width} height={rows} onSave={onWriteStream} onClose={overlays.close} />
			</ThemeContext.Provider>
		);
	}

	const body = (() => {
		if (overlay.kind === 'help') return <HelpOverlay width={width} height={layout.fullHeight} />;
		if (overlay.kind === 'connections') return <ConnectionList connections={listed} cursor={Math.min(overlay.cursor, Math.max(0, listed.length - 1))} selected={current?.id} width={width} height={layout.bodyHeight} />;
		if (overlay.kind === 'faults') return <FaultMenu faults={snapshot.faults} acksHeld={acksHeld} active width={width} height={layout.bodyHeight} {...faultActions} />;
		if (overlay.kind === 'detail' && entry) return <LogDetail entry={entry} relativeTo={relativeTo} offset={overlay.offset} width={width} height={layout.fullHeight} />;
		return (
			<>
				<Box height={topHeight}>
					<ArpPane snapshot={snapshot} peerMac={peerMac} width={layout.arpWidth} height={topHeight} focused={focus === 'arp'} />
					<Box width={1} flexDirection="column">{Array.from({length: topHeight}, (_, index) => <Box key={index}><DividerGlyph theme={theme} /></Box>)}</Box>
					<ConnectionPane connection={current} relative={relative} auto={isAuto(snapshot.auto)} acksHeld={acksHeld} faults={snapshot.faults} now={now()} width={layout.connectionWidth} height={topHeight} focused={focus === 'connection'} />
				</Box>
				{ladder ? <LiveLadder log={log} selected={placed.selected} connections={snapshot.connections} current={current?.id} relative={relative} origin={origin.current} width={width} height={logHeight} focused={focus === 'log'} /> : <LogPane log={log} view={placed} relativeTo={relativeTo} connection={current?.id} origin={origin.current} width={width} height={logHeight} focused={focus === 'log'} overload={snapshot.log} tagWidth={tagWidth(snapshot.connections.at(-1)?.id, listed.length)} />}
			</>
		);
	})();
	const question = overlay.kind === 'open' ? `open a connection to HOST:PORT ${overlay.text}${theme.glyphs.cursor}  Enter opens, Esc cancels` : undefined;
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
				{overlay.kind === 'quit'
					? <QuitPrompt open={open} width={width} />
					: <StatusBar context={context} connection={naming} message={message ?? (notice === dismissed ? undefined : notice)} question={question} recording={recording} width={width} />}
			</Box>
		</ThemeContext.Provider>
	);
}

function DividerGlyph({theme}: {readonly theme: Theme}) {
	return <Text dimColor>{theme.glyphs.divider}</Text>;
}
