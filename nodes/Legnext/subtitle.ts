import type { LegnextResource } from './actions/operation';

/**
 * The canvas subtitle, as n8n's own nodes word it: the operation's name, after its resource unless
 * the name already says it ("Text to Image", "Image → Upscale", "Video → Upscale").
 */
export function subtitleFor(resources: LegnextResource[]): string {
	const labels: Record<string, string> = {};
	for (const resource of resources) {
		for (const operation of resource.operations) {
			const name = operation.option.name;
			const saysResource = name.toLowerCase().includes(resource.option.name.toLowerCase());
			labels[`${resource.option.value}:${operation.option.value}`] = saysResource ? name : `${resource.option.name} → ${name}`;
		}
	}
	// Parenthesised: a bare `{` would start a block, and `}}` would end the expression.
	return `={{ (${JSON.stringify(labels)})[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}
