/** Like Promise.all over a map, with at most `limit` calls running at once; results keep input order. */
export async function mapWithConcurrency<T, R>(
	entries: T[],
	limit: number,
	call: (entry: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(entries.length);
	let next = 0;
	const worker = async () => {
		while (next < entries.length) {
			const index = next++;
			results[index] = await call(entries[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, entries.length) }, worker));
	return results;
}
