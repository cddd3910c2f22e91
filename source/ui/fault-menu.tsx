import {Box, Text, useInput} from 'ink';
import {useReducer, useRef} from 'react';
import {parseFault} from '../syntax/fault-text.js';
import type {FaultPlan} from '../engine/faults.js';
import type {FaultView} from '../session/session-faults.js';
import {type FaultItem, faultItems, findFaultItem, incomingItems, otherItems, outgoingItems, type PromptAction, promptReducer, type PromptState, scopeHint} from './fault-items.js';
import {faultStatus} from './fault-status.js';
import {keyName} from './keymap.js';
import {Pane} from './pane.js';
import {tint, useTheme} from './theme.js';

type Props = {
	readonly faults: readonly FaultView[];
	/** The auto ACK policy is off while auto mode is on: `h` would release them. */
	readonly acksHeld: boolean;
	readonly active: boolean;
	readonly width: number;
	readonly height: number;
	readonly onAdd: (plan: FaultPlan) => void;
	readonly onZeroWindow: () => void;
	readonly onHoldAcks: () => void;
	readonly onClear: () => void;
	readonly onClose: () => void;
};

type PromptError = {readonly column: number; readonly message: string};

type MenuState = {
	readonly selected: number;
	readonly prompting: boolean;
	readonly prompt: PromptState;
	readonly error: PromptError | undefined;
};

/**
 * `x`: pick a fault with one key, then take or edit its text on a one-line prompt (the script
 * vocabulary, validated by parseFault as typed words are). Esc goes back a step.
 */
export function FaultMenu({faults, acksHeld, active, width, height, onAdd, onZeroWindow, onHoldAcks, onClear, onClose}: Props) {
	const theme = useTheme();
	// Keys that arrive together (a fast typist, a paste, tmux) are all handled before the next render:
	// each must see what the one before it did, so the menu's state lives in a ref and renders follow it.
	const state = useRef<MenuState>({selected: 0, prompting: false, prompt: {text: '', cursor: 0}, error: undefined});
	const [, rerender] = useReducer((count: number) => count + 1, 0);
	const update = (change: Partial<MenuState>) => {
		state.current = {...state.current, ...change};
		rerender();
	};

	const dispatch = (action: PromptAction) => update({prompt: promptReducer(state.current.prompt, action)});
	const setSelected = (selected: number) => update({selected});
	const setPrompting = (prompting: boolean) => update({prompting});
	const setError = (error: PromptError | undefined) => update({error});
	const {selected, prompting, prompt, error} = state.current;

	const choose = (item: FaultItem) => {
		setSelected(faultItems.indexOf(item));
		switch (item.kind) {
			case 'fault':
			case 'type': {
				dispatch({type: 'clear'});
				dispatch({type: 'insert', text: item.kind === 'fault' ? item.text : 'out '});
				setError(undefined);
				setPrompting(true);
				return;
			}

			case 'zero-window': {
				onZeroWindow();
				return;
			}

			case 'hold-acks': {
				onHoldAcks();
				return;
			}

			case 'clear': {
				onClear();
			}
		}
	};

	const submit = () => {
		const parsed = parseFault(state.current.prompt.text);
		if (parsed.ok) onAdd(parsed.plan);
		else setError({column: parsed.column, message: parsed.message});
	};

	useInput((input, key) => {
		const name = keyName(input, key);
		if (state.current.prompting) {
			switch (name) {
				case 'escape': {
					setPrompting(false);
					setError(undefined);
					return;
				}

				case 'return': return submit();
				case 'backspace': return dispatch({type: 'backspace'});
				case 'ctrl-d': return dispatch({type: 'delete'});
				case 'left': return dispatch({type: 'move', by: -1});
				case 'right': return dispatch({type: 'move', by: 1});
				case 'home':
				case 'ctrl-a': return dispatch({type: 'home'});
				case 'end':
				case 'ctrl-e': return dispatch({type: 'end'});
				case 'ctrl-u': return dispatch({type: 'clear'});
				case 'ctrl-c': return onClose();
				default: {
					if (key.ctrl || key.meta || input === '' || key.tab) return;
					dispatch({type: 'insert', text: input});
					setError(undefined);
				}
			}

			return;
		}

		switch (name) {
			case 'escape':
			case 'x':
			case 'q':
			case 'ctrl-c': return onClose();
			case 'j':
			case 'down': return setSelected((state.current.selected + 1) % faultItems.length);
			case 'k':
			case 'up': return setSelected((state.current.selected - 1 + faultItems.length) % faultItems.length);
			case 'return': return choose(faultItems[state.current.selected]!);
			default: {
				const item = findFaultItem(input);
				if (item) choose(item);
			}
		}
	}, {isActive: active});

	const column = Math.floor((width - 1) / 2);
	const current = faultItems[selected];
	const row = (item: FaultItem) => {
		const label = item.kind === 'hold-acks' && acksHeld ? 'release the held ACKs' : item.label;
		const detail = item.kind === 'fault' ? `  ${item.text.replace(/^(out|in) /, '').replace(/ count 1\b/, '')}` : '';
		return (
			<Text key={item.key} wrap="truncate" inverse={item === current}>
				<Text bold>{item.key}</Text> {label}<Text dimColor>{detail}</Text>
			</Text>
		);
	};

	const heading = (text: string) => <Text key={text} bold underline wrap="truncate">{text}</Text>;
	const listRows = Math.max(0, height - 3);
	const right = [
		heading('Incoming (before the engine)'),
		...incomingItems.map(row),
		<Text key="gap1"> </Text>,
		heading('Other'),
		...otherItems.map(row),
		<Text key="gap2"> </Text>,
		heading(`In force (${faults.length})`),
		...(faults.length === 0 ? [<Text key="none" dimColor>none</Text>] : faults.map(fault => <Text key={fault.id} wrap="truncate" color={tint(theme, 'warn')}>{theme.glyphs.fault} {fault.text}<Text dimColor>  {faultStatus(fault)}</Text></Text>)),
	];
	const promptLine = prompting
		? (
			<Text wrap="truncate">
				<Text bold color={tint(theme, 'warn')}>fault&gt; </Text>
				{prompt.text.slice(0, prompt.cursor)}
				<Text inverse>{prompt.text[prompt.cursor] ?? ' '}</Text>
				{prompt.text.slice(prompt.cursor + 1)}
			</Text>
		)
		: <Text dimColor wrap="truncate">a key picks a fault (j/k Enter too); Esc closes</Text>;
	// `fault> ` is 7 columns; parseFault's columns are 1-based.
	const hint = error
		? <Text wrap="truncate" color={tint(theme, 'error')} bold>{' '.repeat(Math.max(0, 7 + error.column - 1))}^ {error.message}</Text>
		: <Text dimColor wrap="truncate">{prompting ? `${scopeHint}  Enter adds  Esc back` : ' '}</Text>;
	return (
		<Pane title="Faults" detail={prompting ? 'edit, Enter adds, Esc back' : 'x or Esc closes'} width={width} height={height} focused>
			<Box height={listRows}>
				<Box flexDirection="column" width={column}>
					{[heading('Outgoing (our segments)'), ...outgoingItems.map(row)].slice(0, listRows)}
				</Box>
				<Box flexDirection="column" width={column} marginLeft={1}>{right.slice(0, listRows)}</Box>
			</Box>
			{promptLine}
			{hint}
		</Pane>
	);
}
