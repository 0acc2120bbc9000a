// n8n's forms as a browser uses them, for the e2e tests of the examples.
'use strict';

/**
 * What a browser does with n8n's form: POST the fields (multipart, `field-0` …) to the Form Trigger's
 * production URL (n8n at `baseUrl`), then follow the `formWaitingUrl` it answers with: each Form page, once it shows
 * (`until`), is POSTed with its fields, the Form Ending page with none, as its own script does.
 */
async function submitForm(baseUrl, workflow, fields, pages) {
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.formTrigger');
	const url = `${baseUrl}/form/${trigger.parameters.path || trigger.webhookId}`;
	const multipart = (values) => {
		const body = new FormData();
		for (const [name, value] of Object.entries(values)) {
			if (value && typeof value === 'object' && value.bytes) body.append(name, new Blob([value.bytes], { type: value.type }), value.name);
			else body.append(name, value);
		}
		return body;
	};
	let answer;
	// Just after activation n8n may answer 404 for a moment: a 404 starts nothing, so try again.
	for (let tries = 0; tries < 120; tries++) {
		answer = await fetch(url, { method: 'POST', body: multipart(fields), signal: AbortSignal.timeout(60_000) });
		if (answer.status !== 404) break;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	const submitted = { status: answer.status, json: await answer.json() };
	let waitingUrl = submitted.json.formWaitingUrl;
	const shown = [];
	for (const page of pages) {
		// As the browser's waiting page does: ask n8n's status endpoint until a Form page waits (a GET of
		// the page itself is not answered while the execution runs), then open the page.
		const status = new URL(waitingUrl);
		status.pathname += '/n8n-execution-status';
		for (const deadline = Date.now() + 5 * 60 * 1000; Date.now() < deadline; ) {
			const state = await (await fetch(status, { signal: AbortSignal.timeout(30_000) })).text();
			if (state === 'form-waiting') break;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		const html = await (await fetch(waitingUrl, { signal: AbortSignal.timeout(60_000) })).text();
		shown.push(page.until.test(html) ? html : `(not the page expected) ${html}`);
		const sent = await fetch(waitingUrl, { method: 'POST', body: multipart(page.fields ?? {}), signal: AbortSignal.timeout(60_000) });
		const next = (sent.headers.get('content-type') ?? '').includes('json') ? await sent.json().catch(() => ({})) : {};
		if (next.formWaitingUrl) waitingUrl = next.formWaitingUrl;
	}
	return { submitted, waitingUrl, pages: shown };
}

module.exports = { submitForm };
