import type {SynOptions} from './options.js';
import type {Seq} from './seq.js';
import type {TcpState, Transition} from './states.js';

/**
 * The transmission control block of RFC 9293 §3.3.1, with the negotiated options of RFC 7323 and
 * RFC 2018. Windows are in octets, already scaled. The connection owns the one mutable copy; callers
 * get `TcbSnapshot`s.
 */
export type Tcb = {
	iss: Seq;
	/** Undefined until the peer's SYN arrives. */
	irs: Seq | undefined;
	sndUna: Seq;
	sndNxt: Seq;
	sndWnd: number;
	sndWl1: Seq;
	sndWl2: Seq;
	/** The largest window the peer ever offered (RFC 5961 §5.2: MAX.SND.WND). */
	maxSndWnd: number;
	rcvNxt: Seq;
	/** The MSS we announce. */
	mss: number;
	/** The peer's announced MSS (536 when it announced none, RFC 9293 §3.7.1). */
	peerMss: number;
	/** The most payload one segment of ours may carry: peer MSS less the timestamps option. */
	sndMss: number;
	/** RFC 7323 §2: shifts in use; both 0 unless both SYNs carried the option. */
	sndWscale: number;
	rcvWscale: number;
	wscaleOk: boolean;
	sackOk: boolean;
	tsOk: boolean;
	/** RFC 7323 §4.3: the TSval to echo. */
	tsRecent: number | undefined;
	/** RFC 7323 §4.3: the ACK field of the latest segment we sent (Last.ACK.sent). */
	lastAckSent: Seq | undefined;
	/** The options our SYN carried, and the peer's SYN's. */
	ourSyn: SynOptions | undefined;
	peerSyn: SynOptions | undefined;
	/** Sequence number of our FIN once sent, and of the peer's once received in order. */
	finSeq: Seq | undefined;
	peerFinSeq: Seq | undefined;
	/** RFC 5681 §2: consecutive duplicate ACKs received. */
	dupAcks: number;
	/** The raw window field of the previous segment from the peer (RFC 5681 §2, condition e). */
	peerWindowField: number | undefined;
	timeWaitUntil: number | undefined;
};

export type NegotiatedOptions = {
	readonly mss: number;
	readonly peerMss: number;
	readonly sndMss: number;
	/** Undefined when window scaling is off. */
	readonly windowScale: {readonly snd: number; readonly rcv: number} | undefined;
	readonly sackPermitted: boolean;
	readonly timestamps: {readonly tsRecent: number | undefined} | undefined;
};

/** An immutable view of the connection for the UI and for tests. */
export type TcbSnapshot = {
	readonly state: TcpState;
	readonly localPort: number;
	readonly remotePort: number | undefined;
	readonly iss: Seq;
	readonly irs: Seq | undefined;
	readonly sndUna: Seq;
	readonly sndNxt: Seq;
	readonly sndWnd: number;
	readonly sndWl1: Seq;
	readonly sndWl2: Seq;
	readonly rcvNxt: Seq;
	readonly rcvWnd: number;
	/**
	 * The window our next segment announces (field << scale): less than RCV.WND while receiver SWS
	 * avoidance holds the right edge (RFC 9293 §3.8.6.2.2).
	 */
	readonly rcvWndAnnounced: number;
	/** SND.NXT - SND.UNA. */
	readonly bytesInFlight: number;
	/** Received in order, not yet read. */
	readonly readable: number;
	/** Received out of order, held for reassembly. */
	readonly heldOutOfOrder: number;
	readonly retransmissionQueueLength: number;
	readonly dupAcks: number;
	readonly finSent: boolean;
	readonly finReceived: boolean;
	readonly options: NegotiatedOptions;
	readonly timeWaitUntil: number | undefined;
	readonly transitions: readonly Transition[];
};
