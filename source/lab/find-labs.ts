import {hostLink, hostLinkNames, namedNamespaces, namespaceLink} from './lab-links.js';
import {labNameFromAlias, labNameFromNamespace, labNames, labPrefix} from './lab-names.js';
import {listLabStateNames} from './state-file.js';

/**
 * The names of the labs on this machine, in order: those with a state file, those whose namespace
 * `synack-NAME` holds a peer interface with the lab marker, and those whose interface in our namespace
 * carries it (the marker survives a lost state file).
 */
export async function findLabs(): Promise<string[]> {
	const names = new Set(listLabStateNames().filter(name => labNameFromNamespace(`${labPrefix}-${name}`) === name));
	for (const namespace of await namedNamespaces()) {
		const name = labNameFromNamespace(namespace);
		if (name !== undefined && !names.has(name) && labNameFromAlias((await namespaceLink(namespace, labNames(name).peerInterface))?.alias) === name) {
			names.add(name);
		}
	}

	for (const link of hostLinkNames(labPrefix)) {
		const name = labNameFromAlias(hostLink(link)?.alias);
		if (name !== undefined && labNames(name).interface === link) {
			names.add(name);
		}
	}

	return [...names].sort();
}
