import {createElement} from 'react';
import {renderToString, Text} from 'ink';
import type {LogLine} from './log-view.js';
import {palette, type Theme, tint} from './theme.js';

/** A packet log row in three parts, styles embedded: `number `, the arrow, ` time [notes] summary`. */
export type RowParts = {readonly number: string; readonly arrow: string; readonly rest: string};

/** dim, bold, inverse, or a colour of the palette (tint's answer). */
type Style = string;
type Codes = {readonly open: string; readonly close: string};

/**
 * The codes Ink's <Text> puts around a text for each style, asked of Ink itself: none when its colour
 * library is off (not a terminal, FORCE_COLOR=0), so that a row drawn from a string is the screen a
 * row of nested <Text>s was. Asked when this module loads: Ink cannot render inside a render.
 */
const probed = new Map<Style, Codes>([...(['dim', 'bold', 'inverse'] as const), ...Object.values(palette)].map(style => {
	const props = style === 'dim' ? {dimColor: true} : style === 'bold' ? {bold: true} : style === 'inverse' ? {inverse: true} : {color: style};
	const [open = '', close = ''] = renderToString(createElement(Text, props, 'x')).split('x');
	return [style, {open, close}];
}));

function paint(text: string, style: Style | undefined, on = true): string {
	if (style === undefined || !on) return text;
	const {open, close} = probed.get(style)!;
	return open + text + close;
}

/**
 * A row's text as it looks: the frame number dimmed, the arrow bold in the direction's colour, the
 * time dimmed, warnings and errors bold in theirs (a fault's inverted), the summary in the
 * direction's colour; the selected row inverted, without the dimming. Styles nest as <Text>s would
 * (outermost first), which keeps the screen identical to the nested layout (test/ui/log-pane.test.tsx).
 */
export function formatRow(line: LogLine, outgoing: boolean, selected: boolean, theme: Theme): RowParts {
	const tone = tint(theme, outgoing ? 'out' : 'in');
	const notes = line.notes.map(note => paint(paint(paint(`[${note.text}]`, tint(theme, note.severity === 'error' ? 'error' : 'warn')), 'bold'), 'inverse', note.code === 'fault' && !selected) + ' ').join('');
	return {
		number: paint(paint(line.number, 'dim', !selected) + ' ', 'inverse', selected),
		arrow: paint(paint(paint(outgoing ? theme.glyphs.out : theme.glyphs.in, tone), 'bold'), 'inverse', selected),
		rest: paint(` ${paint(line.time, 'dim', !selected)} ${notes}${paint(line.text, tone)}`, 'inverse', selected),
	};
}
