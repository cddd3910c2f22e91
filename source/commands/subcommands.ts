import type {FlagName, Flags} from './flags.js';

export type CommandContext = {
	/** The arguments after the subcommand's name. */
	readonly input: readonly string[];
	readonly flags: Flags;
	readonly stdout: NodeJS.WriteStream;
	readonly stderr: NodeJS.WriteStream;
};

export type Subcommand = {
	readonly name: string;
	/** What follows the name in the help text. */
	/** One usage line or several (a command with forms, as `lab` alone and `lab up`). */
	readonly usage: string | readonly string[];
	readonly summary: string;
	readonly flags: readonly FlagName[];
	/** Resolves to the exit code. Imported on demand, so one command never loads another's dependencies. */
	readonly run: (context: CommandContext) => Promise<number>;
};

// One line per subcommand; the help text and flag checks come from this table.
export const subcommands: readonly Subcommand[] = [
	{name: 'lab', usage: ['[--pcap FILE] [--record FILE] [--reader-rate N] [--log-size N]', 'up|down|status [--name N] [--subnet CIDR] [--json] [--all]'], summary: 'a private network with the Linux kernel as the peer; `synack lab` alone: the TUI on it', flags: ['name', 'subnet', 'json', 'all', 'pcap', 'sport', 'probe', 'record', 'logSize', 'logMemory', 'readerRate'], run: async context => (await import('./lab.js')).runLab([...context.input], context.flags, context)},
	{name: 'run', usage: 'SCRIPT (--lab | --ip ADDR [--iface IF]) [--var NAME=VALUE] [--pcap FILE] [--json]', summary: 'run a scenario script headless: N passed, M failed (docs/scenarios.md)', flags: ['lab', 'name', 'subnet', 'iface', 'ip', 'mac', 'pcap', 'probe', 'var', 'json', 'logSize', 'logMemory'], run: async context => (await import('./run.js')).run(context)},
	{name: 'read', usage: 'FILE.pcap [--print [-S|--absolute] | --ladder | --states | --stream [--direction D]] [--flow N]', summary: 'a capture in the TUI, read-only; or print it as `tcpdump -n -r` does, draw a conversation, replay its states, or follow its stream', flags: ['print', 'absolute', 'ladder', 'states', 'stream', 'direction', 'flow', 'checkChecksums'], run: async context => (await import('./read.js')).read(context)},
	{name: 'connect', usage: 'HOST:PORT --ip ADDR [--iface IF] [--mac MAC] [--sport N] [--pcap FILE] [--record FILE] [--log-size N] [--reader-rate N]', summary: 'the TUI: claim ADDR, then drive a TCP connection to HOST:PORT by hand', flags: ['iface', 'ip', 'mac', 'sport', 'pcap', 'probe', 'record', 'logSize', 'logMemory', 'readerRate'], run: async context => (await import('./connect.js')).connect(context)},
	{name: 'listen', usage: 'PORT --ip ADDR [--iface IF] [--mac MAC] [--backlog N] [--pcap FILE] [--record FILE] [--log-size N] [--reader-rate N]', summary: 'the TUI: claim ADDR, then answer connections to PORT by hand', flags: ['iface', 'ip', 'mac', 'backlog', 'pcap', 'probe', 'record', 'logSize', 'logMemory', 'readerRate'], run: async context => (await import('./listen.js')).listen(context)},
];

export function findSubcommand(name: string): Subcommand | undefined {
	return subcommands.find(subcommand => subcommand.name === name);
}
