// Everything the end-to-end tests use, gathered: each concern has its own file beside this one.
// world.js (the simulator and n8n, useWorld), workflows.js (builders), executions.js (n8n's
// executions), webhooks.js (calling webhooks, trigger URLs), chromium.js (the editor test's browser).
module.exports = {
	...require('./world'),
	...require('./workflows'),
	...require('./executions'),
	...require('./webhooks'),
	...require('./chromium'),
};
