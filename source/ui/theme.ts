import {createContext, useContext} from 'react';

export type Glyphs = {
	readonly rule: string;
	readonly divider: string;
	readonly out: string;
	readonly in: string;
	readonly ellipsis: string;
	readonly cursor: string;
	/** Marks what a fault did to a frame, and the faults in force. */
	readonly fault: string;
};

export type Theme = {
	/** False under NO_COLOR (https://no-color.org): meaning is then carried by glyphs and words alone. */
	readonly color: boolean;
	readonly ascii: boolean;
	readonly glyphs: Glyphs;
};

const unicode: Glyphs = {rule: '─', divider: '│', out: '→', in: '←', ellipsis: '…', cursor: '█', fault: '✗'};
const ascii: Glyphs = {rule: '-', divider: '|', out: '>', in: '<', ellipsis: '..', cursor: '_', fault: '!'};

/**
 * ASCII when asked (SYNACK_ASCII=1), on the Linux console, or when the locale is not UTF-8 (an SSH
 * session from a terminal without it would print box drawing as garbage).
 */
export function detectTheme(env: NodeJS.ProcessEnv = process.env): Theme {
	const color = (env['NO_COLOR'] ?? '') === '';
	const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
	const asciiOnly = env['SYNACK_ASCII'] === '1' || env['TERM'] === 'linux' || env['TERM'] === 'dumb' || (locale !== '' && !/utf-?8/i.test(locale));
	return makeTheme({color, ascii: asciiOnly});
}

export function makeTheme({color, ascii: asciiOnly}: {color: boolean; ascii: boolean}): Theme {
	return {color, ascii: asciiOnly, glyphs: asciiOnly ? ascii : unicode};
}

export const ThemeContext = createContext<Theme>(makeTheme({color: true, ascii: false}));

export function useTheme(): Theme {
	return useContext(ThemeContext);
}

/** Colours by meaning; undefined (the terminal's default) under NO_COLOR. */
export const palette = {
	out: 'cyan',
	in: 'green',
	info: 'blue',
	warn: 'yellow',
	error: 'red',
	focus: 'magenta',
	muted: 'gray',
	state: 'yellow',
} as const;

export function tint(theme: Theme, meaning: keyof typeof palette): string | undefined {
	return theme.color ? palette[meaning] : undefined;
}
