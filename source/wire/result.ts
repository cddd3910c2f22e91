import type {DecodeError, Layer} from './records.js';

/** What a `parseX` returns: never thrown, always this. `Extra` carries what the layer adds beside its record. */
export type ParseResult<R, Extra extends Record<string, unknown> = Record<never, never>> =
	| ({readonly ok: true; readonly record: R} & Extra)
	| {readonly ok: false; readonly error: DecodeError; readonly truncated?: boolean};

export function fault(layer: Layer, field: string, reason: string): {readonly ok: false; readonly error: DecodeError} {
	return {ok: false, error: {layer, field, reason}};
}

export function truncatedFault(layer: Layer, field: string, have: number, need: number): {readonly ok: false; readonly error: DecodeError; readonly truncated: true} {
	return {ok: false, error: {layer, field, reason: `truncated: ${Math.max(0, have)} of ${need} bytes`}, truncated: true};
}
