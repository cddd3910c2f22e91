import {Box, useApp} from 'ink';
import {useMemo, useState} from 'react';
import type {Capture, CaptureConversation} from '../session/capture.js';
import {followCapture, ourSide} from '../session/capture-stream.js';
import {formatEndpoints} from '../session/conversations.js';
import type {StreamSide} from '../session/stream-reassembly.js';
import type {LogEntry} from '../session/packet-log.js';
import type {ConnectionNumbers} from '../wire/summary.js';
import {ConversationList} from './conversation-list.js';
import {ConversationPane} from './conversation-pane.js';
import {HelpOverlay} from './help-overlay.js';
import {type KeyPress, useKeys} from './key-queue.js';
import {type Command, findBinding, keyName, type KeyContext} from './keymap.js';
import {LadderPane} from './ladder-pane.js';
import {ladderEntry} from './ladder-rows.js';
import {readLayout} from './layout.js';
import {LogDetail} from './log-detail.js';
import {LogPane} from './log-pane.js';
import type {LogView} from './log-view.js';
import {StatusBar, type StatusMessage} from './status-bar.js';
import {StreamView} from './stream-view.js';
import {detectTheme, type Theme, ThemeContext} from './theme.js';
import {type DetailOverlay, useLogNavigation} from './use-log-navigation.js';
import {useOverlay} from './use-overlay.js';
import {useTerminalSize} from './use-terminal-size.js';

export type ReadAppProps = {
	readonly capture: Capture;
	readonly theme?: Theme;
	/** A capture cut short, and the like. */
	readonly notice?: StatusMessage;
	readonly onExit?: () => void;
	/** The stream view's `w`: writes one side's octets somewhere and says where. */
	readonly onWriteStream?: (side: StreamSide, bytes: Uint8Array, missing: number) => string;
};

type Overlay =
	| {readonly kind: 'help'}
	| {readonly kind: 'stream'; readonly conversation: number}
	| {readonly kind: 'list'; readonly cursor: number}
	| DetailOverlay;

const startView: LogView = {follow: false, selected: 1, top: 1};
const readOnlyContext: KeyContext = {state: undefined, payloadBytes: undefined, auto: false, focus: 'log', readOnly: true};

/**
 * `synack read FILE`: the capture in the TUI, read-only. The packet log (or the ladder) of every frame
 * or of one TCP conversation, numbered 1..N within it as `read --states` numbers it, and the states two
 * engines reach replaying it.
 */
export function ReadApp({capture, theme: givenTheme, notice, onExit, onWriteStream}: ReadAppProps) {
	const theme = useMemo(() => givenTheme ?? detectTheme(), [givenTheme]);
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const [picked, setPicked] = useState<number | undefined>(undefined);
	// Keys that arrive before the next render (a quick `j Enter`) each see what the one before did.
	const overlays = useOverlay<Overlay>();
	const overlay = overlays.shown;
	const [ladder, setLadder] = useState(false);
	const [relative, setRelative] = useState(true);
	const [message, setMessage] = useState<StatusMessage | undefined>(notice);
	const {entries, conversations} = capture;

	const conversation = picked === undefined ? undefined : conversations[picked - 1];
	// Indexes into capture.entries of the frames on show.
	const shownIndexes = useMemo(() => conversation?.frames ?? entries.map((_, index) => index), [conversation, entries]);
	const shown = useMemo(() => (conversation ? conversation.frames.map((index, position) => ({...entries[index]!, number: position + 1})) : entries), [conversation, entries]);
	const log = useMemo(() => ({
		count: shown.length,
		size: shown.length,
		at: (index: number) => shown[index],
		slice: (start: number, count: number) => shown.slice(Math.max(0, start), Math.max(0, start) + count),
	}), [shown]);

	const {topHeight, paneHeight, logRows, fullHeight} = readLayout({columns, rows});
	const extent = {count: shown.length, size: shown.length};
	// relativeTo depends on the selection, so comes after: the detail reads it when a key scrolls it.
	const navigation = useLogNavigation({overlays, extent, logRows, fullHeight, columns, entryAt: number => shown[number - 1], relativeTo: (): ConnectionNumbers | undefined => relativeTo, start: startView, follows: false});
	const placed = navigation.placed;
	const selectedIndex = shownIndexes[placed.selected - 1];
	const selectedEntry = selectedIndex === undefined ? undefined : entries[selectedIndex];
	const around = conversation ?? (selectedEntry?.connection === undefined ? undefined : conversations[selectedEntry.connection - 1]);
	const position = around && selectedIndex !== undefined ? around.frames.indexOf(selectedIndex) : -1;
	// A capture of one conversation numbers its ARP and other frames' neighbours relative too.
	const numbered = around ?? (conversations.length === 1 ? conversations[0] : undefined);
	const relativeTo = useMemo(() => (relative && numbered ? numbersOf(numbered, entries) : undefined), [relative, numbered, entries]);
	const ladderRows = useMemo(() => (around ? around.frames.map(index => ladderEntry(entries[index]!, theme.glyphs.fault)) : []), [around, entries, theme]);

	const pick = (number: number | undefined) => {
		const target = number === undefined ? undefined : conversations[number - 1];
		// The frame selected now stays selected when the new list holds it.
		const current = shownIndexes[navigation.selectedNow() - 1];
		let selected = 1;
		if (current !== undefined) {
			selected = target ? target.frames.indexOf(current) + 1 : current + 1;
			if (selected === 0) selected = 1;
		}

		setPicked(number);
		navigation.set({follow: false, selected, top: selected});
		overlays.close();
		setMessage(target ? {text: `conversation ${target.number}: segments 1-${target.frames.length}`, severity: 'info'} : undefined);
	};

	const perform = (command: Command) => {
		const overlay = overlays.now();
		switch (command) {
			case 'down':
			case 'up':
			case 'page-down':
			case 'page-up':
			case 'first':
			case 'last': {
				if (overlay.kind === 'list') {
					const by = {down: 1, up: -1, 'page-down': 10, 'page-up': -10, first: -Infinity, last: Infinity}[command];
					overlays.open({kind: 'list', cursor: Math.max(0, Math.min(conversations.length, overlay.cursor + by))});
					return;
				}

				navigation.move(command);
				return;
			}

			case 'open': {
				if (overlay.kind === 'list') pick(overlay.cursor === 0 ? undefined : overlay.cursor);
				else navigation.toggleDetail();
				return;
			}

			case 'close': {
				overlays.close();
				return;
			}

			case 'conversations': {
				overlays.toggle({kind: 'list', cursor: picked ?? around?.number ?? 0});
				return;
			}

			case 'ladder': {
				overlays.close();
				setLadder(!ladder);
				return;
			}

			case 'numbers': {
				setRelative(!relative);
				return;
			}

			case 'follow': {
				if (around) overlays.open({kind: 'stream', conversation: around.number});
				else setMessage({text: 'this frame is in no TCP conversation: c picks one', severity: 'warn'});
				return;
			}

			case 'help': {
				overlays.toggle({kind: 'help'});
				return;
			}

			case 'quit': {
				onExit?.();
				exit();
				return;
			}

			default:
		}
	};

	const handleKey = ([input, key]: KeyPress) => {
		// The stream view takes its own keys, and those that came together with `o`.
		if (overlays.now().kind === 'stream') return;
		const name = keyName(input, key);
		const binding = findBinding(name, true);
		if (!binding) {
			if (/^[a-zA-Z]$/.test(name)) setMessage({text: `${name}: not in a capture viewer (read-only); ? lists the keys`, severity: 'warn'});
			return;
		}

		if (overlays.closeHelpOn(binding.command)) return;
		setMessage(undefined);
		perform(binding.command);
	};

	useKeys(handleKey, {elsewhere: () => overlays.now().kind === 'stream'});

	const width = columns;
	const following = overlay.kind === 'stream' ? conversations[overlay.conversation - 1] : undefined;
	const ours = following ? ourSide(following, capture.local) : undefined;
	const stream = useMemo(() => (following && ours ? followCapture(following.frames.map(index => entries[index]!.frame), ours) : undefined), [following, entries]);
	if (following && ours && stream) {
		const theirs = ours === following.client ? following.server : following.client;
		return (
			<ThemeContext.Provider value={theme}>
				<StreamView stream={stream} title={`${formatEndpoints(ours)} ${theme.glyphs.out} ${formatEndpoints(theirs)}`} width={width} height={rows} onSave={onWriteStream} onClose={overlays.close} />
			</ThemeContext.Provider>
		);
	}

	const detailEntry = overlay.kind === 'detail' ? shown[overlay.number - 1] : undefined;
	const body = (() => {
		if (overlay.kind === 'help') return <HelpOverlay readOnly width={width} height={fullHeight} />;
		if (detailEntry && overlay.kind === 'detail') return <LogDetail entry={detailEntry} relativeTo={relativeTo} offset={overlay.offset} width={width} height={fullHeight} />;
		const pane = overlay.kind === 'list'
			? <ConversationList conversations={conversations} cursor={overlay.cursor} frames={entries.length} width={width} height={paneHeight} />
			: ladder
				? <LadderPane rows={ladderRows} selected={position} left={around?.client} right={around?.server} absolute={!relative} detail={around ? `conversation ${around.number}  l log` : 'l log'} width={width} height={paneHeight} focused />
				: <LogPane log={log} view={placed} relativeTo={relativeTo} connection={numbered?.number} origin={shown[0]?.timestamp} width={width} height={paneHeight} focused />;
		return (
			<>
				<ConversationPane conversation={around} total={conversations.length} position={position} picked={conversation !== undefined} frames={entries.length} width={width} height={topHeight} />
				{pane}
			</>
		);
	})();
	return (
		<ThemeContext.Provider value={theme}>
			<Box flexDirection="column" width={width} height={rows} overflow="hidden">
				{body}
				<StatusBar context={readOnlyContext} message={message} width={width} />
			</Box>
		</ThemeContext.Provider>
	);
}

/** Wireshark's relative numbers for a conversation: each side from its first sequence number seen. */
function numbersOf(conversation: CaptureConversation, entries: readonly LogEntry[]): ConnectionNumbers {
	let iss: number | undefined;
	let irs: number | undefined;
	for (const index of conversation.frames) {
		const {ipv4, tcp} = entries[index]!.frame;
		if (!ipv4 || !tcp) continue;
		if (ipv4.source === conversation.client.ip && tcp.sourcePort === conversation.client.port) iss ??= tcp.seq;
		else irs ??= tcp.seq;
		if (iss !== undefined && irs !== undefined) break;
	}

	return {local: conversation.client, remote: conversation.server, iss: iss ?? 0, ...(irs === undefined ? {} : {irs})};
}
