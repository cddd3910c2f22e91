import {flagDefinitions, flagSpelling, type FlagName} from './flags.js';
import type {Subcommand} from './subcommands.js';

/** The `--help` text (meow adds the package description above it). Lists only what exists. */
export function helpText(subcommands: readonly Subcommand[]): string {
	const usages = [
		...subcommands.map(subcommand => [`$ synack ${subcommand.name} ${subcommand.usage}`, subcommand.summary] as const),
		['$ synack --help | --version', ''] as const,
	];
	const flagNames = [...new Set(subcommands.flatMap(subcommand => subcommand.flags))];
	const options = flagNames.map((name: FlagName) => [flagSpelling(name), flagDefinitions[name].description] as const);
	return [
		'Usage',
		...columns(usages),
		'',
		'Options',
		...columns(options),
	].join('\n');
}

function columns(rows: ReadonlyArray<readonly [string, string]>): string[] {
	const width = Math.max(...rows.map(([left]) => left.length));
	return rows.map(([left, right]) => `  ${right === '' ? left : `${left.padEnd(width)}  ${right}`}`);
}
