import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * Where a Legnext Trigger registers itself: the workflow's global static data, which every node of
 * the workflow can read. The Legnext node finds the trigger's callback URL there, so nobody copies
 * URLs or tokens by hand.
 */
export interface TriggerRegistration {
	/** The trigger's webhook URL. */
	webhookUrl: string;
	/** Secret that callbacks must carry as ?token=… */
	token: string;
	/** `webhookUrl` with the token: what the Legnext node sends as `callback`. */
	callbackUrl: string;
	registeredAt: string;
}

const KEY = 'legnextTriggers';

function registrations(staticData: IDataObject): Record<string, TriggerRegistration> {
	const stored = staticData[KEY];
	return typeof stored === 'object' && stored !== null ? (stored as unknown as Record<string, TriggerRegistration>) : {};
}

export function withToken(webhookUrl: string, token: string): string {
	const url = new URL(webhookUrl);
	url.searchParams.set('token', token);
	return url.toString();
}

// n8n notices a change of static data only on its first level (and not an empty object there), so
// every change writes the whole record anew.
export function register(staticData: IDataObject, nodeName: string, webhookUrl: string, token: string): TriggerRegistration {
	const registration = { webhookUrl, token, callbackUrl: withToken(webhookUrl, token), registeredAt: new Date().toISOString() };
	staticData[KEY] = { ...registrations(staticData), [nodeName]: registration } as unknown as IDataObject;
	return registration;
}

export function registrationOf(staticData: IDataObject, nodeName: string): TriggerRegistration | undefined {
	return registrations(staticData)[nodeName];
}

export function unregister(staticData: IDataObject, nodeName: string): void {
	const { [nodeName]: retired, ...rest } = registrations(staticData);
	if (retired) staticData[KEY] = rest as unknown as IDataObject;
}

export function allRegistrations(staticData: IDataObject): Array<[string, TriggerRegistration]> {
	return Object.entries(registrations(staticData));
}

/**
 * The token for a trigger URL a Legnext node was given by hand (a trigger in another workflow, or
 * a test URL). Both nodes hold the same Legnext credential, so the node derives it from the API
 * key and the URL's path, and the trigger checks it the same way: nobody copies a secret, and
 * nobody without the key can forge it. Rotating the API key retires it.
 */
export function derivedToken(apiKey: string, webhookUrl: string): string {
	const path = new URL(webhookUrl).pathname.replace(/\/+$/, '');
	return createHmac('sha256', apiKey).update(`legnext-trigger:${path}`).digest('hex').slice(0, 48);
}
