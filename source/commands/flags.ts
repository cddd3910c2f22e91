// Every flag any subcommand takes. A subcommand lists the names it accepts in subcommands.ts.

export type FlagDefinition = {
	readonly type: 'boolean' | 'string' | 'number';
	readonly shortFlag?: string;
	/** The flag may be given more than once; its value is then a list. */
	readonly isMultiple?: boolean;
	/** One line for the help text. */
	readonly description: string;
};

export const flagDefinitions = {
	print: {type: 'boolean', description: 'print one line per frame, as `tcpdump -n -r` does, and exit'},
	absolute: {type: 'boolean', shortFlag: 'S', description: 'print absolute TCP sequence numbers (tcpdump -S)'},
	ladder: {type: 'boolean', description: 'draw a TCP conversation as a ladder diagram, as plain text'},
	states: {type: 'boolean', description: 'each segment of a conversation with both sides\' RFC 9293 states, replayed through two engines'},
	flow: {type: 'number', description: 'which conversation, 1 for the first (default 1)'},
	stream: {type: 'boolean', description: 'a conversation\'s reassembled octets, raw, to stdout'},
	direction: {type: 'string', description: 'in (to the side shown as ours), out or both (default)'},
	checkChecksums: {type: 'boolean', description: 'judge TCP checksums that look offloaded too'},
	name: {type: 'string', description: 'the lab\'s name (default: lab; namespace synack-NAME)'},
	subnet: {type: 'string', description: 'the lab\'s /24 inside 198.18.0.0/15 (default: 198.18.0.0/24)'},
	json: {type: 'boolean', description: 'machine-readable output'},
	all: {type: 'boolean', description: 'with lab down: remove every synack lab left on this machine'},
	iface: {type: 'string', description: 'the Ethernet interface to use (default: the default route\'s)'},
	ip: {type: 'string', description: 'the IPv4 address synack claims (RFC 5227) and speaks from'},
	mac: {type: 'string', description: 'send from this MAC instead of the interface\'s'},
	sport: {type: 'number', description: 'our TCP port (default: a random ephemeral one)'},
	pcap: {type: 'string', description: 'also write every frame in and out to this pcap file'},
	logSize: {type: 'number', description: 'frames the packet log keeps for display (default 100000); totals count every frame, and --pcap gets every frame'},
	logMemory: {type: 'number', description: 'MiB of frames the packet log keeps at most (default 96): with big frames it holds fewer than --log-size'},
	record: {type: 'string', description: 'write what you do in the TUI to this script as you go (synack run FILE replays it)'},
	lab: {type: 'boolean', description: 'with run: make a fresh lab for the script ($peer is its kernel), remove it after'},
	var: {type: 'string', isMultiple: true, description: 'with run: NAME=VALUE sets $NAME in the script (repeatable)'},
	readerRate: {type: 'number', description: 'bytes per second the slow reader reads (C-r cycles the reader: on arrival, manual, slow; default 10000)'},
	backlog: {type: 'number', description: 'with listen: connections it holds in SYN-RECEIVED at once (default 16); a SYN past them is dropped, as Linux drops it'},
	probe: {type: 'boolean', description: 'with --no-probe: announce the address at once, without RFC 5227 probes'},
} as const satisfies Record<string, FlagDefinition>;

export type FlagName = keyof typeof flagDefinitions;

type FlagValue<Definition> = Definition extends {isMultiple: true} ? string[] : Definition extends {type: 'boolean'} ? boolean : Definition extends {type: 'number'} ? number : string;

export type Flags = {readonly [Name in FlagName]?: FlagValue<(typeof flagDefinitions)[Name]>};

/** The flag as a user types it: `print` -> `--print`, `absolute` -> `-S, --absolute`. */
export function flagSpelling(name: FlagName): string {
	const definition: FlagDefinition = flagDefinitions[name];
	const long = `--${kebabCase(name)}`;
	return definition.shortFlag === undefined ? long : `-${definition.shortFlag}, ${long}`;
}

export function kebabCase(name: string): string {
	return name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}
