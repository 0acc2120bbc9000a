import { VersionedNodeType } from 'n8n-workflow';

import { LegnextV1 } from './LegnextV1.node';
import { LegnextV2 } from './LegnextV2.node';

/**
 * One node type, two versions, as n8n's own nodes do it: a saved node keeps the version it was made
 * with, a new node gets the default (2). Version 1 runs workflows made with Legnext's node 0.1.0.
 * The versions sit next to this file because n8n resolves every version's icon from here, and n8n's
 * lint checks it from the version's own file.
 */
export class Legnext extends VersionedNodeType {
	constructor() {
		const v2 = new LegnextV2();
		super(
			{ 1: new LegnextV1(), 2: v2 },
			{
				displayName: 'Legnext',
				name: 'legnext',
				icon: { light: 'file:legnext.svg', dark: 'file:legnext.dark.svg' },
				group: ['transform'],
				description: v2.description.description,
				defaultVersion: 2,
			},
		);
	}
}
