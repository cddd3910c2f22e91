import {UsageError} from './errors.js';
import {flagDefinitions, kebabCase, type FlagDefinition} from './flags.js';
import type {Subcommand} from './subcommands.js';

/**
 * Throws a UsageError for any flag in `argv` (the arguments after the program name) that `subcommand`
 * (or, without one, synack itself) does not take. meow would list such flags on several lines and
 * exit by itself; we want one line.
 */
export function checkFlags(argv: readonly string[], subcommand: Subcommand | undefined): void {
	const allowed = new Set<string>(['help', 'version']);
	for (const name of subcommand?.flags ?? []) {
		const definition: FlagDefinition = flagDefinitions[name];
		allowed.add(kebabCase(name));
		if (definition.shortFlag !== undefined) {
			allowed.add(definition.shortFlag);
		}
	}

	for (const spelled of flagsIn(argv)) {
		const name = spelled.replace(/^-+/, '').replace(/^no-/, '');
		if (!allowed.has(name)) {
			throw new UsageError(`${subcommand?.name ?? 'synack'} does not take ${spelled}; see synack --help`);
		}
	}
}

/** The flags as typed, before any `--`: `--a=1` gives `--a`, `-xy` gives `-x` and `-y`. */
export function flagsIn(argv: readonly string[]): string[] {
	const flags: string[] = [];
	for (const argument of argv) {
		if (argument === '--') {
			break;
		}

		if (argument.startsWith('--')) {
			flags.push(argument.split('=', 1)[0]!);
		} else if (argument.startsWith('-') && argument.length > 1 && !/^-\d/.test(argument)) {
			flags.push(...[...argument.slice(1)].map(letter => `-${letter}`));
		}
	}

	return flags;
}
