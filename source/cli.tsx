import {readFileSync} from 'node:fs';
import process from 'node:process';
import meow from 'meow';
import {checkFlags} from './commands/check-flags.js';
import {describeError, UsageError} from './commands/errors.js';
import {flagDefinitions, type Flags} from './commands/flags.js';
import {helpDescription, helpText, subcommandHelpText} from './commands/help.js';
import {findSubcommand, subcommands} from './commands/subcommands.js';

const exitCodes = {
	usageOrEnvironment: 2,
	internal: 1,
} as const;

const packageDescription = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {description: string}).description;

function parse(argv: readonly string[]) {
	// meow must not see our `description` keys, and validates nothing we need beyond types.
	const flags = Object.fromEntries(Object.entries(flagDefinitions).map(([name, {description: _, ...flag}]) => [name, flag]));
	try {
		return meow(helpText(subcommands), {importMeta: import.meta, argv: [...argv], flags, allowUnknownFlags: true, description: helpDescription(packageDescription)});
	} catch (error) {
		// meow throws plain Errors for flag misuse (a flag given twice, say).
		throw new UsageError(error instanceof Error ? error.message : String(error));
	}
}

async function main(): Promise<number> {
	const argv = process.argv.slice(2);
	const cli = parse(argv);
	if (cli.flags['version'] === true) {
		cli.showVersion();
	}

	const [name, ...input] = cli.input;
	if (cli.flags['help'] === true) {
		const named = name === undefined ? undefined : findSubcommand(name);
		if (named === undefined) cli.showHelp(0);
		else process.stdout.write(`\n${indent(subcommandHelpText(named))}\n\n`);
		return 0;
	}

	if (name === undefined) {
		checkFlags(argv, undefined);
		cli.showHelp(exitCodes.usageOrEnvironment);
		return exitCodes.usageOrEnvironment;
	}

	const subcommand = findSubcommand(name);
	if (subcommand === undefined) {
		throw new UsageError(`unknown command '${name}'; commands: ${subcommands.map(({name}) => name).join(', ')} (see synack --help)`);
	}

	checkFlags(argv, subcommand);
	return subcommand.run({input, flags: cli.flags as Flags, stdout: process.stdout, stderr: process.stderr});
}

/** As meow prints its help: two columns in. */
function indent(text: string): string {
	return text.split('\n').map(line => (line === '' ? '' : `  ${line}`)).join('\n');
}

function debugEnabled(): boolean {
	return (process.env['DEBUG'] ?? '').split(/[\s,]+/).some(name => name === 'synack' || name === '*');
}

try {
	process.exitCode = await main();
} catch (error) {
	const {message, expected} = describeError(error);
	process.stderr.write(`synack: ${message}\n`);
	if (debugEnabled() && error instanceof Error && error.stack !== undefined) {
		process.stderr.write(`${error.stack}\n`);
	}

	process.exitCode = expected ? exitCodes.usageOrEnvironment : exitCodes.internal;
}
