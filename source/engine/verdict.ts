// What a conformant stack would make of a segment, in or out: the packet log's annotations.

export type Severity = 'info' | 'warn' | 'error';

/** Every verdict code, with its default severity and the rule it comes from. */
export const verdictCatalog = {
	acceptable: {severity: 'info', rfc: 'RFC 9293 §3.10.7.4'},
	'bad-checksum': {severity: 'error', rfc: 'RFC 9293 §3.1'},
	'out-of-window': {severity: 'warn', rfc: 'RFC 9293 §3.10.7.4'},
	'old-duplicate': {severity: 'info', rfc: 'RFC 9293 §3.10.7.4'},
	retransmission: {severity: 'info', rfc: 'RFC 9293 §3.8.1'},
	'out-of-order': {severity: 'info', rfc: 'RFC 9293 §3.10.7.4'},
	'duplicate-ack': {severity: 'info', rfc: 'RFC 5681 §2'},
	'zero-window-probe': {severity: 'info', rfc: 'RFC 9293 §3.8.6.1'},
	keepalive: {severity: 'info', rfc: 'RFC 9293 §3.8.4'},
	'challenge-ack': {severity: 'warn', rfc: 'RFC 5961'},
	'window-update': {severity: 'info', rfc: 'RFC 9293 §3.10.7.4'},
	'zero-window': {severity: 'warn', rfc: 'RFC 9293 §3.8.6'},
	'would-reset': {severity: 'error', rfc: 'RFC 9293 §3.10.7'},
	'unsent-ack': {severity: 'error', rfc: 'RFC 5961 §5.2'},
	'old-ack': {severity: 'info', rfc: 'RFC 9293 §3.10.7.4'},
	paws: {severity: 'warn', rfc: 'RFC 7323 §5.3'},
	'missing-timestamp': {severity: 'warn', rfc: 'RFC 7323 §3.2'},
	reset: {severity: 'error', rfc: 'RFC 9293 §3.10.7.4'},
	ignored: {severity: 'info', rfc: 'RFC 9293 §3.10.7'},
	fin: {severity: 'info', rfc: 'RFC 9293 §3.10.7.4'},
	trimmed: {severity: 'info', rfc: 'RFC 9293 §3.10.7.4'},
	'data-on-syn': {severity: 'info', rfc: 'RFC 9293 §3.10.7.2'},
	'not-in-state': {severity: 'warn', rfc: 'RFC 9293 §3.10'},
	'tcb-unchanged': {severity: 'warn', rfc: 'RFC 9293 §3.10'},
	'beyond-window': {severity: 'warn', rfc: 'RFC 9293 §3.8.6'},
	'exceeds-mss': {severity: 'warn', rfc: 'RFC 9293 §3.7.1'},
	'data-after-fin': {severity: 'error', rfc: 'RFC 9293 §3.10.4'},
	'ack-unreceived': {severity: 'warn', rfc: 'RFC 9293 §3.4'},
	'no-connection': {severity: 'warn', rfc: 'RFC 9293 §3.10.7.1'},
	'option-ignored': {severity: 'info', rfc: 'RFC 7323 §2.3'},
	'probe-answer': {severity: 'info', rfc: 'RFC 9293 §3.10.7.4'},
} as const satisfies Record<string, {readonly severity: Severity; readonly rfc: string}>;

export type VerdictCode = keyof typeof verdictCatalog;

export type Verdict = {
	readonly code: VerdictCode;
	readonly text: string;
	readonly rfc: string;
	readonly severity: Severity;
};

/** A verdict with the catalog's severity and RFC unless given. */
export function verdict(code: VerdictCode, text: string, rfc?: string, severity?: Severity): Verdict {
	const entry = verdictCatalog[code];
	return {code, text, rfc: rfc ?? entry.rfc, severity: severity ?? entry.severity};
}

/** The worst severity among `verdicts`, or undefined for none. */
export function worstSeverity(verdicts: readonly Verdict[]): Severity | undefined {
	let worst: Severity | undefined;
	for (const {severity} of verdicts) {
		if (severity === 'error') return 'error';
		if (severity === 'warn') worst = 'warn';
		else worst ??= 'info';
	}

	return worst;
}

export function hasVerdict(verdicts: readonly Verdict[], code: VerdictCode): boolean {
	return verdicts.some(v => v.code === code);
}
