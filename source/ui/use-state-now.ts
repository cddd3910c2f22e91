// State that keys arriving before the next render must already see: what the key before set.
import {useRef, useState} from 'react';

export type StateNow<T> = {
	/** What this render shows. */
	readonly value: T;
	/** What the last `set` left, rendered or not. */
	now(): T;
	set(next: T): void;
};

export function useStateNow<T>(initial: T): StateNow<T> {
	const [value, setValue] = useState(initial);
	const current = useRef(value);
	return {
		value,
		now: () => current.current,
		set(next) {
			current.current = next;
			setValue(next);
		},
	};
}
