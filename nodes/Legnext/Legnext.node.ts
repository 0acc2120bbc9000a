import type { INodeTypeBaseDescription } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { LEGNEXT_DESCRIPTION } from './description';
import { LegnextV1 } from './v1/LegnextV1.node';
import { LegnextV2 } from './v2/LegnextV2.node';

/**
 * One node type, two versions, as n8n's own nodes do it: a saved node keeps the version it was made
 * with, a new node gets the default (2). Version 1 runs workflows made with Legnext's node 0.1.0.
 */
export class Legnext extends VersionedNodeType {
	constructor() {
		const v2 = new LegnextV2();
		const { group, description, defaultVersion } = LEGNEXT_DESCRIPTION;
		const base: INodeTypeBaseDescription = {
			displayName: 'Legnext',
			name: 'legnext',
			icon: { light: 'file:legnext.svg', dark: 'file:legnext.dark.svg' },
			group,
			description,
			defaultVersion,
		};
		super({ 1: new LegnextV1(), 2: v2 }, base);
		// n8n finds every version's icon from this file's folder, while n8n's lint checks each
		// version's icon from the version's own folder (v1/, v2/): the versions take this file's.
		for (const version of Object.values(this.nodeVersions)) version.description.icon = base.icon;
	}
}
