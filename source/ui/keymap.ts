// The one key map: input handling, the help overlay and the status bar all read this table.
import type {Key} from 'ink';
import type {TcpState} from '../engine/states.js';

export type Command =
	| 'syn' | 'ack' | 'data' | 'fin' | 'rst' | 'auto' | 'read' | 'reader'
	| 'edit' | 'focus-next' | 'focus-previous' | 'numbers'
	| 'down' | 'up' | 'page-down' | 'page-up' | 'first' | 'last' | 'open' | 'close'
	| 'write' | 'save-script' | 'faults' | 'ladder' | 'follow' | 'conversations' | 'new-connection' | 'drop' | 'help' | 'quit';

export type PaneId = 'arp' | 'connection' | 'log' | 'editor';

export const focusOrder: readonly PaneId[] = ['log', 'editor', 'connection', 'arp'];

/** The focused pane as the status bar names it. */
export function focusName({focus, editing, ladder}: Pick<KeyContext, 'focus' | 'editing' | 'ladder'>): string {
	if (editing) return 'payload: typing';
	return {log: ladder ? 'ladder' : 'log', editor: 'payload', connection: 'connection', arp: 'ARP'}[focus];
}

/** What the status bar needs to know to offer only the keys that make sense now. */
export type KeyContext = {
	readonly state: TcpState | undefined;
	/** Bytes `d` would send; undefined when the editor's text does not encode. */
	readonly payloadBytes: number | undefined;
	readonly auto: boolean;
	readonly focus: PaneId;
	/** The payload editor has the keyboard: keys are text, not commands. */
	readonly editing?: boolean;
	/** The log pane shows the ladder diagram. */
	readonly ladder?: boolean;
	/** `synack read`: a capture, nothing to send. */
	readonly readOnly?: boolean;
	/** Octets received in order that no reader has taken yet (`R` reads them). */
	readonly unread?: number;
	/** Connections in the live TUI's list (`c` is offered from two on). */
	readonly connections?: number;
	/** The connection has changed state at least once (a CLOSED one has ended, not yet begun). */
	readonly used?: boolean;
};

export type Binding = {
	/** Key names as keyName() gives them. */
	readonly keys: readonly string[];
	/** How the help shows the keys. */
	readonly label: string;
	readonly command: Command;
	readonly group: 'send' | 'move' | 'view';
	readonly description: string;
	/** A later issue builds it: listed in the help as coming, never faked. */
	readonly coming?: boolean;
	/** Only in `synack read`'s viewer. */
	readonly only?: 'read';
	/** Shown in the status bar when this holds. */
	readonly offer?: (context: KeyContext) => string | undefined;
};

const open = (state: TcpState | undefined) => state !== undefined && state !== 'CLOSED' && state !== 'LISTEN' && state !== 'TIME-WAIT';

export const keymap: readonly Binding[] = [
	{keys: ['s'], label: 's', command: 'syn', group: 'send', description: 'send SYN (SYN-ACK after theirs)', offer: ({state}) => state === 'CLOSED' || state === 'SYN-RECEIVED' ? 'SYN' : undefined},
	{keys: ['a'], label: 'a', command: 'ack', group: 'send', description: 'send ACK of all received', offer: ({state}) => state !== undefined && state !== 'CLOSED' && state !== 'LISTEN' ? 'ACK' : undefined},
	{keys: ['d'], label: 'd', command: 'data', group: 'send', description: 'send the payload as data', offer: ({state, payloadBytes}) => state === 'ESTABLISHED' || state === 'CLOSE-WAIT' ? `data ${payloadBytes ?? '?'}B` : undefined},
	{keys: ['f'], label: 'f', command: 'fin', group: 'send', description: 'send FIN', offer: ({state}) => state === 'ESTABLISHED' || state === 'CLOSE-WAIT' || state === 'SYN-RECEIVED' ? 'FIN' : undefined},
	{keys: ['r'], label: 'r', command: 'rst', group: 'send', description: 'send RST', offer: ({state}) => open(state) ? 'RST' : undefined},
	{keys: ['A'], label: 'A', command: 'auto', group: 'send', description: 'auto mode on / off', offer: ({auto}) => auto ? 'manual' : 'auto'},
	{keys: ['R'], label: 'R', command: 'read', group: 'send', description: 'read what arrived (opens window)', offer: ({unread}) => unread ? `read ${unread}B` : undefined},
	{keys: ['ctrl-r'], label: 'C-r', command: 'reader', group: 'send', description: 'reader: arrival / manual / slow'},
	{keys: ['x'], label: 'x', command: 'faults', group: 'send', description: 'fault menu: break segments', offer: ({state}) => state === undefined || state === 'TIME-WAIT' ? undefined : 'faults'},
	{keys: ['e'], label: 'e', command: 'edit', group: 'view', description: 'edit the payload', offer: ({focus}) => focus === 'editor' ? undefined : 'edit'},
	{keys: ['tab'], label: 'Tab', command: 'focus-next', group: 'view', description: 'focus the next pane'},
	{keys: ['shift-tab'], label: 'S-Tab', command: 'focus-previous', group: 'view', description: 'focus the previous pane'},
	{keys: ['n'], label: 'n', command: 'numbers', group: 'view', description: 'relative / absolute numbers'},
	{keys: ['j', 'down'], label: 'j Down', command: 'down', group: 'move', description: 'next frame'},
	{keys: ['k', 'up'], label: 'k Up', command: 'up', group: 'move', description: 'previous frame'},
	{keys: ['pagedown'], label: 'PgDn', command: 'page-down', group: 'move', description: 'page down'},
	{keys: ['pageup'], label: 'PgUp', command: 'page-up', group: 'move', description: 'page up'},
	{keys: ['g', 'home'], label: 'g', command: 'first', group: 'move', description: 'first frame'},
	{keys: ['G', 'end'], label: 'G', command: 'last', group: 'move', description: 'last frame, then follow'},
	{keys: ['return'], label: 'Enter', command: 'open', group: 'move', description: 'frame detail (Payload: edit)', offer: ({focus}) => focus === 'editor' ? 'edit' : undefined},
	{keys: ['escape'], label: 'Esc', command: 'close', group: 'move', description: 'close detail or help'},
	{keys: ['l'], label: 'l', command: 'ladder', group: 'view', description: 'ladder diagram / packet log', offer: ({readOnly}) => readOnly ? 'ladder' : undefined},
	{keys: ['c'], label: 'c', command: 'conversations', group: 'view', description: 'TCP connections: pick one', offer: ({readOnly, connections = 0}) => readOnly ? 'conversations' : connections > 1 ? 'connections' : undefined},
	{keys: ['N'], label: 'N', command: 'new-connection', group: 'send', description: 'open another connection', offer: ({state, used}) => (state === 'CLOSED' && used) || state === 'TIME-WAIT' ? 'new' : undefined},
	{keys: ['D'], label: 'D', command: 'drop', group: 'view', description: 'drop an ended connection'},
	{keys: ['w'], label: 'w', command: 'write', group: 'view', description: 'write the log to a pcap file'},
	{keys: ['W'], label: 'W', command: 'save-script', group: 'view', description: 'save the script (synack run)'},
	{keys: ['o'], label: 'o', command: 'follow', group: 'view', description: 'follow the stream: both sides\' data', offer: ({state, readOnly}) => readOnly || (state !== undefined && state !== 'CLOSED' && state !== 'LISTEN' && state !== 'SYN-SENT') ? 'stream' : undefined},
	{keys: ['?'], label: '?', command: 'help', group: 'view', description: 'this help', offer: () => 'help'},
	{keys: ['q', 'ctrl-c'], label: 'q C-c', command: 'quit', group: 'view', description: 'quit (asks if still open)', offer: () => 'quit'},
];

/** The status bar's offers while the editor has the keyboard. */
export const editingOffers: ReadonlyArray<readonly [label: string, text: string]> = [['Esc', 'done'], ['C-t', 'template'], ['C-x', 'hex'], ['Tab', 'next pane']];

/** Keys the payload editor takes while it has the keyboard; letters are text there, never commands. */
export const editorKeys: ReadonlyArray<readonly [label: string, description: string]> = [
	['Esc', 'leave the editor'],
	['Tab', 'leave it, focus the next pane'],
	['C-t', 'next template (GETs, echo)'],
	['C-x', 'hex / text mode'],
	['C-u', 'clear'],
	['C-d', 'delete forwards'],
	['\\xNN', 'escapes \\r \\n \\t \\0 \\\\ \\xNN'],
];

/** Ink's (input, key) as one name: `s`, `A`, `tab`, `shift-tab`, `down`, `ctrl-c`... */
export function keyName(input: string, key: Key): string {
	if (key.tab) return key.shift ? 'shift-tab' : 'tab';
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.pageUp) return 'pageup';
	if (key.pageDown) return 'pagedown';
	if (key.home) return 'home';
	if (key.end) return 'end';
	if (key.return) return 'return';
	if (key.escape) return 'escape';
	// Ink 6 reports Backspace (0x7f) and Delete (ESC [3~) both as `delete`: both erase backwards here;
	// C-d deletes forwards in the editor.
	if (key.backspace || key.delete) return 'backspace';
	if (key.ctrl) return `ctrl-${input}`;
	return input;
}

/** What a capture viewer can do: look, never send or edit. */
const readOnlyCommands: ReadonlySet<Command> = new Set(['numbers', 'down', 'up', 'page-down', 'page-up', 'first', 'last', 'open', 'close', 'ladder', 'follow', 'conversations', 'help', 'quit']);

/** Whether the binding works in the live TUI (readOnly false) or in `synack read`'s viewer. */
export function available(binding: Binding, readOnly = false): boolean {
	return readOnly ? readOnlyCommands.has(binding.command) : binding.only !== 'read';
}

export function findBinding(name: string, readOnly = false): Binding | undefined {
	return keymap.find(binding => binding.keys.includes(name) && available(binding, readOnly));
}

/** The status bar's offers, in key map order: `s SYN`, `d data 18B`... (the editor's keys while it types). */
export function offers(context: KeyContext): Array<readonly [label: string, text: string]> {
	if (context.editing) return [...editingOffers];
	const out: Array<readonly [string, string]> = [];
	for (const binding of keymap) {
		if (!available(binding, context.readOnly)) continue;
		const text = binding.offer?.(context);
		if (text !== undefined) out.push([binding.label.split(' ')[0]!, text]);
	}

	return out;
}
