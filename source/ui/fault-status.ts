import type {FaultView} from '../session/session-faults.js';

/** How far a fault has got: `pending`, `applied 2, 1 left`, `4s left`. */
export function faultStatus(fault: FaultView): string {
	const parts = [fault.applied === 0 ? 'pending' : `applied ${fault.applied}`];
	if (fault.remaining !== undefined) parts.push(`${fault.remaining} left`);
	if (fault.remainingMs !== undefined) parts.push(`${Math.ceil(fault.remainingMs / 1000)}s left`);
	return parts.join(', ');
}
