import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { DownloadChoice, DownloadOptions, FileLayout } from './files';

/**
 * The output settings, read in one place: from `execute()` (per item) and from the Legnext Trigger's
 * `webhook()`, whose `getNodeParameter` takes no item index. The Legnext node's run and wait settings:
 * ../Legnext/wait/settings.ts.
 */
type ParameterContext = IExecuteFunctions | IWebhookFunctions;

export interface OutputSettings {
	simplify: boolean;
	downloads: DownloadOptions;
}

function parameter<T>(ctx: ParameterContext, name: string, itemIndex: number, fallback: T): T {
	return ('getInputData' in ctx ? ctx.getNodeParameter(name, itemIndex, fallback) : ctx.getNodeParameter(name, fallback)) as T;
}

export function readOutputSettings(ctx: ParameterContext, itemIndex = 0): OutputSettings {
	// The Legnext node keeps Simplify under Options; the trigger shows it on its own.
	const options = parameter<IDataObject>(ctx, 'options', itemIndex, {});
	const simplify = options.simplify ?? parameter(ctx, 'simplify', itemIndex, true);
	return {
		simplify: simplify !== false,
		downloads: {
			download: parameter<DownloadChoice>(ctx, 'download', itemIndex, 'none'),
			imageNumbers: parameter<number[]>(ctx, 'imageNumbers', itemIndex, [0]).map(Number),
			videoNumbers: parameter<number[]>(ctx, 'videoNumbers', itemIndex, [0]).map(Number),
			layout: parameter<FileLayout>(ctx, 'fileLayout', itemIndex, 'itemPerFile'),
			maxFileSizeMb: Number(parameter(ctx, 'maxFileSizeMb', itemIndex, 200)),
		},
	};
}
