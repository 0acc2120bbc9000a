// The Legnext node's operations in n8n's real engine against the simulator, for this folder's engine
// tests (follow-ups.engine.test.js, standalone.engine.test.js): run one operation, check the finished
// job or the refusal, and the finished jobs the follow-ups start from.
const { legnextWorkflow } = require('./world');

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Runs a Start → Items → Legnext workflow in `world`; returns the run, its output and the API submits it caused.
 * These tests look at the job's JSON, one item per job: Download Files is set to Don't Download (a new
 * node downloads the operation's files; defaults.engine.test.js and waiting.engine.test.js test those).
 */
async function runOperation(world, parameters, { items = [{}], node = {} } = {}) {
	const mark = world.simulator.requests.length;
	const run = await world.engine.runWorkflow(legnextWorkflow(world, { download: 'none', ...parameters }, { items, node }));
	const requests = world.simulator.requests.slice(mark).filter((request) => request.path.startsWith('/api/'));
	return {
		run,
		output: run.status === 'success' ? run.output('Legnext') : [],
		submits: requests.filter((request) => request.method === 'POST'),
		requests,
	};
}

/** A finished job of the operation: one item, completed, of this task type, paired to item 0. */
function expectFinished(result, taskType) {
	if (result.run.status !== 'success') throw result.run.error;
	expect(result.output).toHaveLength(1);
	const [item] = result.output;
	expect(item.json).toMatchObject({ status: 'completed', taskType, jobError: null });
	expect(item.json.jobId).toMatch(JOB_ID);
	expect([undefined, null, false]).toContain(item.json.error);
	expect(item.pairedItem).toEqual({ item: 0 });
	expect(result.submits).toHaveLength(1);
	return item.json;
}

/** Stopped before anything was sent, with an error naming the field. */
function expectRefusedBeforeSending(result, field) {
	expect(result.run.status).toBe('error');
	expect(result.run.error.message).toContain(field);
	expect(result.run.error.message).toContain('(item 0)');
	expect(result.requests).toHaveLength(0);
}

/** A finished Text to Image job, a finished draft job, and a finished video job (Image to Video of the first), each submit checked on the way. */
async function parentJobs(world) {
	const image = await runOperation(world, {
		resource: 'image',
		operation: 'textToImage',
		prompt: 'a lighthouse on a cliff',
		promptOptions: { aspectRatio: '16:9', stylize: 200 },
	});
	const imageJob = expectFinished(image, 'diffusion');
	expect(image.submits[0].body).toEqual({ text: 'a lighthouse on a cliff --ar 16:9 --s 200' });

	const draft = await runOperation(world, {
		resource: 'image',
		operation: 'textToImage',
		prompt: 'a quick sketch of a fox',
		promptOptions: { version: '7', draft: true },
	});
	const draftJob = expectFinished(draft, 'diffusion');
	expect(draft.submits[0].body).toEqual({ text: 'a quick sketch of a fox --v 7 --draft' });

	const video = await runOperation(
		world,
		{ resource: 'video', operation: 'imageToVideo', imageNo: 1, promptOptions: { motion: 'high' } },
		{ items: [{ jobId: imageJob.jobId }] },
	);
	const videoJob = expectFinished(video, 'video_diffusion');
	expect(video.submits[0].body).toEqual({ jobId: imageJob.jobId, imageNo: 1, prompt: '--motion high', videoType: 0 });
	expect(videoJob.videoUrls).toHaveLength(4);
	return { imageJob, draftJob, videoJob };
}

module.exports = { runOperation, expectFinished, expectRefusedBeforeSending, parentJobs };
