// Pins what the editor shows of both node versions and the trigger: every parameter, default, option
// and text. A change here must be made on purpose and show in review: accept it with
// `npx jest test/versions/descriptions -u` and commit the snapshot beside this file.
const path = require('path');

const dist = path.join(__dirname, '../../dist');
const { Legnext } = require(path.join(dist, 'nodes/Legnext/Legnext.node'));
const { LegnextTrigger } = require(path.join(dist, 'nodes/LegnextTrigger/LegnextTrigger.node'));
const { LegnextApi } = require(path.join(dist, 'credentials/LegnextApi.credentials'));

const legnext = new Legnext();

test.each([
	['the versioned entry', () => legnext.description],
	['version 1 (0.1.0)', () => legnext.nodeVersions[1].description],
	['version 2', () => legnext.nodeVersions[2].description],
	['the Legnext Trigger', () => new LegnextTrigger().description],
	['the credential', () => {
		const { name, displayName, documentationUrl, icon, properties, authenticate, test } = new LegnextApi();
		return { name, displayName, documentationUrl, icon, properties, authenticate, test };
	}],
])('%s is described as pinned', (_name, describeIt) => {
	expect(JSON.parse(JSON.stringify(describeIt()))).toMatchSnapshot();
});
