import type { IExecuteFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE, DEFAULT_BASE_URL } from './api';

/**
 * Whether a URL points at this machine or a private network: an address Legnext's cloud cannot open.
 * Loopback, unspecified, private (RFC 1918), link-local and carrier-grade NAT IPv4 ranges, IPv6
 * loopback, unique-local and link-local, and names that only resolve locally.
 */
export function isLocalUrl(url: string): boolean {
	let host: string;
	try {
		host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
	} catch {
		return false;
	}
	if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
	if (!host.includes('.') && !host.includes(':')) return true; // a bare name (e.g. a Docker service name)
	const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	if (ipv4) {
		const [a, b] = [Number(ipv4[1]), Number(ipv4[2])];
		return (
			a === 127 ||
			a === 0 ||
			a === 10 ||
			(a === 172 && b >= 16 && b <= 31) ||
			(a === 192 && b === 168) ||
			(a === 169 && b === 254) ||
			(a === 100 && b >= 64 && b <= 127)
		);
	}
	if (host.includes(':')) {
		return host === '::1' || host === '::' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host) || host.startsWith('::ffff:127.');
	}
	return false;
}

/**
 * Whether Legnext can open a URL of this n8n (a resume URL, a signed file URL): n8n's address is
 * public, or the credential's Legnext itself runs on this machine or network (a proxy, the simulator).
 * The one check for every address the node hands Legnext, before anything is paid.
 */
export async function legnextCanReach(ctx: IExecuteFunctions, url: string): Promise<boolean> {
	if (!isLocalUrl(url)) return true;
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	return isLocalUrl(String(credentials.baseUrl || DEFAULT_BASE_URL));
}
