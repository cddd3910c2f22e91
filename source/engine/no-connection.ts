import {type TcpRecord, tcpFlags} from '../wire/records.js';
import {tcpFlagText} from '../wire/summary-tcp.js';
import {hasFlag, makeSegment, segmentLength} from './segment.js';
import {seqAdd} from './seq.js';
import {type Verdict, verdict} from './verdict.js';

export type NoConnectionAnswer = {
	readonly verdicts: readonly Verdict[];
	/** The RST a real host sends back, with ports swapped; undefined when it stays silent. */
	readonly respond: TcpRecord | undefined;
};

/**
 * What a host answers to a segment for which no connection exists (CLOSED, RFC 9293 §3.10.7.1): a
 * RST is dropped; a segment with ACK draws <SEQ=SEG.ACK><CTL=RST>; any other draws
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
 */
export function answerWithoutConnection(segment: TcpRecord): NoConnectionAnswer {
	const where = `port ${segment.destinationPort}`;
	if (hasFlag(segment, tcpFlags.RST)) {
		return {
			verdicts: [verdict('ignored', `RST for no connection (${where}): dropped silently`, 'RFC 9293 §3.10.7.1')],
			respond: undefined,
		};
	}

	const base = {sourcePort: segment.destinationPort, destinationPort: segment.sourcePort, window: 0, options: []};
	const respond = hasFlag(segment, tcpFlags.ACK)
		? makeSegment({...base, seq: segment.ack, ack: 0, flags: tcpFlags.RST})
		: makeSegment({...base, seq: 0, ack: seqAdd(segment.seq, segmentLength(segment)), flags: tcpFlags.RST | tcpFlags.ACK});
	return {
		verdicts: [verdict(
			'no-connection',
			`no connection for ${where} [${tcpFlagText(segment.flags)}]: a real host answers with RST`,
			'RFC 9293 §3.10.7.1',
		)],
		respond,
	};
}
