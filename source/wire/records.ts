// Typed records for the frames synack speaks: the "Repr" view of each header (see STYLE.md).
// Addresses are plain numbers (IPv4 as an unsigned 32-bit integer, MAC as an unsigned 48-bit
// integer) so that decoding allocates no strings; `addresses.ts` formats them on demand.

export type Ipv4Address = number;
export type MacAddress = number;

export const etherTypes = {
	ipv4: 0x08_00,
	arp: 0x08_06,
	vlan: 0x81_00,
	ipv6: 0x86_dd,
	qinq: 0x88_a8,
} as const;

/**
 * The tag protocol identifiers a tag is recognised by, as tcpdump follows them: IEEE 802.1Q C-tag,
 * 802.1ad S-tag, and the pre-standard QinQ values 0x9100 and 0x9200.
 */
export const vlanTagTypes: ReadonlySet<number> = new Set([etherTypes.vlan, etherTypes.qinq, 0x91_00, 0x92_00]);

export const ipProtocols = {
	icmp: 1,
	tcp: 6,
	udp: 17,
} as const;

export type VlanTag = {
	/** The EtherType that announced the tag (one of vlanTagTypes). */
	readonly tpid: number;
	readonly priority: number; // PCP, 3 bits
	readonly dropEligible: boolean; // DEI, 1 bit
	readonly id: number; // VID, 12 bits
};

export type EthernetRecord = {
	readonly destination: MacAddress;
	readonly source: MacAddress;
	/** VLAN tags (IEEE 802.1Q, stacked per 802.1ad), outermost first; absent on an untagged frame. */
	readonly tags?: readonly VlanTag[];
	/** The EtherType of the payload (after the VLAN tags, if any). */
	readonly etherType: number;
};

export const arpOperations = {
	request: 1,
	reply: 2,
} as const;

export type ArpRecord = {
	readonly hardwareType: number; // 1 = Ethernet
	readonly protocolType: number; // 0x0800 = IPv4
	readonly hardwareLength: number; // 6
	readonly protocolLength: number; // 4
	readonly operation: number; // arpOperations
	readonly senderMac: MacAddress;
	readonly senderIp: Ipv4Address;
	readonly targetMac: MacAddress;
	readonly targetIp: Ipv4Address;
};

export type Ipv4Record = {
	/** Header length in bytes (IHL * 4). */
	readonly headerLength: number;
	readonly dscp: number;
	readonly ecn: number;
	readonly totalLength: number;
	readonly identification: number;
	/** The reserved ("evil") bit, kept so that odd packets round-trip. */
	readonly reservedFlag: boolean;
	readonly dontFragment: boolean;
	readonly moreFragments: boolean;
	/** In 8-byte units, as on the wire. */
	readonly fragmentOffset: number;
	readonly ttl: number;
	readonly protocol: number;
	readonly checksum: number;
	readonly source: Ipv4Address;
	readonly destination: Ipv4Address;
	/** Raw option bytes (headerLength - 20 of them). */
	readonly options: Uint8Array;
};

/** TCP flag bits as they sit in the 16-bit word at offset 12 (data offset excluded). */
export const tcpFlags = {
	FIN: 0x001,
	SYN: 0x002,
	RST: 0x004,
	PSH: 0x008,
	ACK: 0x010,
	URG: 0x020,
	ECE: 0x040,
	CWR: 0x080,
	// RFC 9768 (AccECN) names the former NS bit "AE".
	AE: 0x100,
} as const;

export type TcpOption =
	| {readonly kind: 'eol'}
	| {readonly kind: 'nop'}
	| {readonly kind: 'mss'; readonly value: number}
	| {readonly kind: 'wscale'; readonly shift: number}
	| {readonly kind: 'sackOK'}
	| {readonly kind: 'sack'; readonly blocks: ReadonlyArray<readonly [left: number, right: number]>}
	| {readonly kind: 'timestamps'; readonly value: number; readonly echo: number}
	/** Any other kind, or a known kind with a length it does not allow: the bytes after kind and length. */
	| {readonly kind: 'unknown'; readonly type: number; readonly data: Uint8Array};

export type TcpRecord = {
	readonly sourcePort: number;
	readonly destinationPort: number;
	readonly seq: number; // unsigned 32-bit
	readonly ack: number; // unsigned 32-bit
	/** Header length in bytes (data offset * 4). */
	readonly headerLength: number;
	/** The 9 flag bits of `tcpFlags` (AE included); the 3 remaining reserved bits are in `reserved`. */
	readonly flags: number;
	readonly reserved: number;
	readonly window: number;
	readonly checksum: number;
	readonly urgentPointer: number;
	readonly options: readonly TcpOption[];
	/** Bytes between the end of the parsed options and the end of the header (after EOL, say). */
	readonly optionPadding: Uint8Array;
	readonly payload: Uint8Array;
};

export type Layer = 'frame' | 'ethernet' | 'arp' | 'ipv4' | 'tcp';

/** Why decoding stopped. Decoding never throws: it returns this, with every layer decoded before. */
export type DecodeError = {
	readonly layer: Layer;
	readonly field: string;
	readonly reason: string;
};

/** A frame decoded as far as it could be. */
export type DecodedFrame = {
	/** Number of captured bytes. */
	readonly length: number;
	readonly ethernet?: EthernetRecord;
	readonly arp?: ArpRecord;
	readonly ipv4?: Ipv4Record;
	readonly tcp?: TcpRecord;
	/** Bytes after the last decoded header (the TCP payload, or an unknown protocol's bytes). */
	readonly payload?: Uint8Array;
	/** Set when a header's checksum did not match: flagged, never rejected. */
	readonly ipv4ChecksumOk?: boolean;
	readonly tcpChecksumOk?: boolean;
	/** The capture holds fewer bytes than the IPv4 total length says. */
	readonly truncated?: boolean;
	readonly error?: DecodeError;
};
