import {Box, Text} from 'ink';
import {tint, useTheme} from './theme.js';

/** A question in place of the status bar's keys: it takes the next key. */
export function QuestionLine({text, width}: {readonly text: string; readonly width: number}) {
	const theme = useTheme();
	return (
		<Box width={width} height={1}>
			<Text wrap="truncate" bold inverse color={tint(theme, 'warn')}>{text}</Text>
		</Box>
	);
}
