import {wrapWords} from '../ui/wrap-text.js';
import {flagDefinitions, flagSpelling, type FlagName} from './flags.js';
import type {Subcommand} from './subcommands.js';

/** meow indents the help by two columns; with that, no line is wider than an 80-column terminal. */
export const helpWidth = 78;

/** What synack is, wrapped: meow would print package.json's one long line. */
export function helpDescription(description: string): string {
	return wrapWords(description, helpWidth).join('\n');
}

/** The `--help` text: every command's usage, what each does, then every option. Lists only what exists. */
export function helpText(subcommands: readonly Subcommand[]): string {
	const flagNames = [...new Set(subcommands.flatMap(subcommand => subcommand.flags))];
	return [
		'Usage',
		...subcommands.flatMap(subcommand => usageLines(subcommand)),
		'  $ synack COMMAND --help',
		'  $ synack --help | --version',
		'',
		'Commands',
		...columns(subcommands.map(subcommand => [subcommand.name, subcommand.summary] as const)),
		'',
		'Options',
		...options(flagNames),
	].join('\n');
}

/** `synack COMMAND --help`: that command's usage, what it does, and only its options. */
export function subcommandHelpText(subcommand: Subcommand): string {
	return [
		...wrapWords(subcommand.summary, helpWidth),
		'',
		'Usage',
		...usageLines(subcommand),
		'',
		'Options',
		...options(subcommand.flags),
	].join('\n');
}

function usageLines(subcommand: Subcommand): string[] {
	const forms = typeof subcommand.usage === 'string' ? [subcommand.usage] : subcommand.usage;
	return forms.flatMap(usage => wrapWords(`  $ synack ${subcommand.name} ${usage}`, helpWidth, '        '));
}

function options(names: readonly FlagName[]): string[] {
	return columns(names.map(name => [flagSpelling(name), flagDefinitions[name].description] as const));
}

/** Names in a column, their text beside them, wrapped under itself. */
function columns(rows: ReadonlyArray<readonly [string, string]>): string[] {
	const width = Math.max(...rows.map(([left]) => left.length));
	const hang = ' '.repeat(2 + width + 2);
	return rows.flatMap(([left, right]) => wrapWords(`  ${left.padEnd(width)}  ${right}`, helpWidth, hang));
}
