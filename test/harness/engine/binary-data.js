'use strict';
/**
 * Mirrors n8n 2.41.1's packages/cli/src/controllers/binary-data.controller.ts `GET
 * /rest/binary-data/signed?token=…` (no login): the URL `this.helpers.createBinarySignedUrl()` hands
 * out. Exists so Legnext (the simulator) can fetch a workflow's binary file from the engine the way
 * it fetches it from a real n8n: the token is checked by n8n-core's BinaryDataService itself.
 */

/** BinaryDataController.validateBinaryDataId */
function validBinaryDataId(core, binaryDataId) {
	if (!binaryDataId) return 'Missing binary data ID';
	const separatorIndex = binaryDataId.indexOf(':');
	if (separatorIndex === -1) return 'Malformed binary data ID';
	const mode = binaryDataId.substring(0, separatorIndex);
	if (!core.isValidNonDefaultMode(mode)) return 'Invalid binary data mode';
	const path = binaryDataId.substring(separatorIndex + 1);
	if (path === '' || path === '/' || path === '//' || path.split(/[/\\]/).includes('..')) return 'Malformed binary data ID';
	return undefined;
}

/**
 * @param {object} ctx the engine's parts (see harness.js)
 */
function createBinaryDataRoutes(ctx) {
	const { core, Container } = ctx;

	/** BinaryDataController.getSigned */
	async function getSigned(req, res) {
		const binaryDataService = Container.get(core.BinaryDataService);
		let binaryDataId;
		try {
			binaryDataId = binaryDataService.validateSignedToken(String(req.query.token ?? ''));
		} catch (error) {
			res.statusCode = 400;
			return res.end(error.message);
		}
		const problem = validBinaryDataId(core, binaryDataId);
		if (problem) {
			res.statusCode = 400;
			return res.end(problem);
		}
		let stream;
		try {
			try {
				const metadata = await binaryDataService.getMetadata(binaryDataId);
				if (metadata.mimeType) res.setHeader('Content-Type', metadata.mimeType);
				res.setHeader('Content-Length', metadata.fileSize);
				res.setHeader('Content-Disposition', metadata.fileName ? `attachment; filename="${encodeURIComponent(metadata.fileName)}"` : 'attachment');
			} catch {
				// as n8n: headers are best effort
			}
			stream = await binaryDataService.getAsStream(binaryDataId);
		} catch (error) {
			if (error instanceof core.FileNotFoundError) {
				res.statusCode = 404;
				return res.end();
			}
			throw error;
		}
		stream.pipe(res);
	}

	return { getSigned };
}

module.exports = { createBinaryDataRoutes };
