import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * The node as an AI agent's tool. n8n runs it then as its tool variant, "<type>Tool" (the type n8n
 * makes of a node with `usableAsTool`), and hands the model only an error's message: its
 * description, where this package says what to do, is dropped.
 */
export function isToolCall(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/** The error as the model reads it: one message with the reason and what to do, no item suffix (a tool call is one item). */
export function forTheModel(error: Error): Error {
	const message = error.message.replace(/ \(item \d+\)$/, '');
	const description = (error as { description?: unknown }).description;
	const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
	const hint = typeof description === 'string' && !message.includes(description) ? description : '';
	error.message = hint ? `${sentence} ${hint}` : sentence;
	return error;
}
