import type {Verdict} from '../engine/verdict.js';
import type {Annotation} from './packet-log.js';

const annotationCache = new WeakMap<Verdict, Annotation>();
const singleAnnotations = new WeakMap<Verdict, readonly Annotation[]>();

/** Most incoming segments carry the one shared 'acceptable' verdict: share its annotation list too. */
export const noAnnotations: readonly Annotation[] = Object.freeze([]);

/** Verdicts as packet-log annotations; the list for the shared 'acceptable' verdict is made once. */
export function toAnnotations(verdicts: readonly Verdict[]): readonly Annotation[] {
	if (verdicts.length !== 1) return verdicts.map(toAnnotation);
	const only = verdicts[0]!;
	const cached = singleAnnotations.get(only);
	if (cached) return cached;
	const list = [toAnnotation(only)];
	if (only.code === 'acceptable') singleAnnotations.set(only, list);
	return list;
}

export function toAnnotation(verdict: Verdict): Annotation {
	const cached = annotationCache.get(verdict);
	if (cached) return cached;
	const annotation = makeAnnotation(verdict);
	if (verdict.code === 'acceptable') annotationCache.set(verdict, annotation);
	return annotation;
}

function makeAnnotation(verdict: Verdict): Annotation {
	return verdict.rfc === undefined
		? {code: verdict.code, text: verdict.text, severity: verdict.severity}
		: {code: verdict.code, text: verdict.text, severity: verdict.severity, rfc: verdict.rfc};
}

const severityRank = {info: 0, warn: 1, error: 2} as const;

/** The verdict a connection's view shows for the newest segment it took. */
export function mostSevere(verdicts: readonly Verdict[]): Annotation | undefined {
	let worst: Verdict | undefined;
	for (const verdict of verdicts) if (!worst || severityRank[verdict.severity] > severityRank[worst.severity]) worst = verdict;
	return worst && toAnnotation(worst);
}
