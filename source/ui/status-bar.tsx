import {Box, Text} from 'ink';
import {focusName, type KeyContext, offers} from './keymap.js';
import {QuestionLine} from './question-line.js';
import {tint, useTheme} from './theme.js';

export type StatusMessage = {readonly text: string; readonly severity: 'info' | 'warn' | 'error'};

type Props = {
	readonly context: KeyContext;
	readonly message?: StatusMessage;
	/** Replaces the keys: a prompt's question. */
	readonly question?: string;
	/** The file a `--record` script goes to, shown first. */
	readonly recording?: string;
	/** The connection the keys act on, when there are several (`#2 198.18.0.10:40123 → :80 ESTABLISHED`). */
	readonly connection?: string;
	readonly width: number;
};

/**
 * One line: which pane has focus (and whether keys type into the payload), the newest message, then
 * the keys that make sense now (from the key map).
 */
export function StatusBar({context, message, question, recording, connection, width}: Props) {
	const theme = useTheme();
	if (question) return <QuestionLine text={question} width={width} />;

	const keys = offers(context);
	return (
		<Box width={width} height={1}>
			<Text wrap="truncate">
				{context.readOnly ? null : <><Text bold inverse color={tint(theme, context.editing ? 'warn' : 'focus')}>{` ${focusName(context)} `}</Text><Text> </Text></>}
				{recording === undefined ? null : <Text bold color={tint(theme, 'error')}>REC {recording}  </Text>}
				{connection === undefined ? null : <Text bold>{connection}  </Text>}
				{message ? <Text color={tint(theme, message.severity === 'info' ? 'info' : message.severity)} bold={message.severity !== 'info'}>{message.text}  </Text> : null}
				{keys.map(([key, text]) => (
					<Text key={key}><Text bold inverse>{key}</Text><Text>{` ${text} `}</Text></Text>
				))}
			</Text>
		</Box>
	);
}
