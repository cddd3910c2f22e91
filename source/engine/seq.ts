// Sequence numbers live in a 32-bit circle (RFC 9293 §3.4): "a before b" means the signed distance
// from b to a is negative. This holds while the two are less than 2^31 apart, which RFC 7323 §2.3
// guarantees by capping windows at 2^30. Never compare raw sequence numbers with `<`.

/** An unsigned 32-bit sequence number. */
export type Seq = number;

/** a + n, modulo 2^32. `n` may be negative. */
export function seqAdd(a: Seq, n: number): Seq {
	return (a + n) >>> 0;
}

/** a - b as an unsigned distance modulo 2^32: how far b lies behind a going forward. */
export function seqSub(a: Seq, b: Seq): number {
	return (a - b) >>> 0;
}

/** a - b as a signed distance in [-2^31, 2^31). */
export function seqDiff(a: Seq, b: Seq): number {
	return (a - b) | 0;
}

export function seqLt(a: Seq, b: Seq): boolean {
	return ((a - b) | 0) < 0;
}

export function seqLe(a: Seq, b: Seq): boolean {
	return ((a - b) | 0) <= 0;
}

export function seqGt(a: Seq, b: Seq): boolean {
	return ((a - b) | 0) > 0;
}

export function seqGe(a: Seq, b: Seq): boolean {
	return ((a - b) | 0) >= 0;
}

/** low <= x < high, going forward from `low`: the half-open window test of RFC 9293 §3.4. */
export function seqBetween(low: Seq, x: Seq, high: Seq): boolean {
	return seqSub(x, low) < seqSub(high, low);
}

/** low <= x <= high, going forward from `low`. */
export function seqBetweenInclusive(low: Seq, x: Seq, high: Seq): boolean {
	return seqSub(x, low) <= seqSub(high, low);
}

export function seqMax(a: Seq, b: Seq): Seq {
	return seqLt(a, b) ? b : a;
}

export function seqMin(a: Seq, b: Seq): Seq {
	return seqLt(a, b) ? a : b;
}

/** `seq` counted from `base` (ISS or IRS), as Wireshark shows relative sequence numbers. */
export function relativeSeq(seq: Seq, base: Seq): number {
	return seqSub(seq, base);
}
