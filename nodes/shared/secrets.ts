/**
 * Secrets that text from Legnext may echo: a callback URL sent with a job carries the Legnext
 * Trigger's `token`, the resume URL's `referenceToken` (and the node's final-check flag), and an error
 * or a failed job's reason may quote that URL, or the API key. Anyone who can read executions could
 * forge callbacks with them, so every text from Legnext the nodes show goes through maskSecrets().
 */
const SECRET_NAME = '(?:[a-z_-]*token|signature|secret|legnextFinalCheck|[a-z_-]*key)';
/** `?token=…` / `&signature=…`, also URL-encoded (`%3Ftoken%3D…`) when a URL is quoted inside another. */
const IN_QUERY = new RegExp(`((?:[?&]|%3F|%26)${SECRET_NAME}(?:=|%3D))[^&#\\s"'<>%\\\\]+`, 'gi');
/** `"secret": "…"` in quoted JSON. */
const IN_JSON = new RegExp(`("${SECRET_NAME}"\\s*:\\s*")[^"]*`, 'gi');

export const MASK = '***';

/** The text with secret URL parameters, secret JSON fields and the given known secrets (the API key) masked. */
export function maskSecrets(text: string, ...known: Array<string | undefined>): string {
	let masked = text.replace(IN_QUERY, `$1${MASK}`).replace(IN_JSON, `$1${MASK}`);
	for (const secret of known) {
		if (secret && secret.length >= 8) masked = masked.split(secret).join(MASK);
	}
	return masked;
}
