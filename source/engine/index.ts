export {
	type ConnectionConfig,
	Connection,
	type EngineEvent,
	type PollResult,
	type ReceiveInfo,
	type ReceiveResult,
	type Reply,
	type ReplyKind,
	type SendResult,
} from './connection.js';
export {answerWithoutConnection, type NoConnectionAnswer} from './no-connection.js';
export {defaultPeerMss, findTimestamps, maxWindowScale, readSynOptions, segmentOptions, type SynOffer, type SynOptions, synOptions, timestampsOverhead} from './options.js';
export {type HoldResult, Reassembly} from './reassembly.js';
export {ReceiveQueue} from './receive-queue.js';
export {RetransmissionQueue, type Unacked, unackedLength} from './retransmission-queue.js';
export {flagString, hasFlag, makeSegment, segmentEnd, type SegmentFields, segmentLength, type SegmentOverrides} from './segment.js';
export {relativeSeq, type Seq, seqAdd, seqBetween, seqBetweenInclusive, seqDiff, seqGe, seqGt, seqLe, seqLt, seqMax, seqMin, seqSub} from './seq.js';
export {isSynchronized, receivesData, sendsData, type TcpState, tcpStates, type Transition} from './states.js';
export type {NegotiatedOptions, Tcb, TcbSnapshot} from './tcb.js';
export {hasVerdict, type Severity, type Verdict, verdict, verdictCatalog, type VerdictCode, worstSeverity} from './verdict.js';
