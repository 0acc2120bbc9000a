// `npm run lint`: n8n's own lint (strict), then the verification scanner on the source and on the
// packed tarball, as n8n does before it lists a community package.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function run(command, args, options = {}) {
	console.log(`\n$ ${command} ${args.join(' ')}`);
	return execFileSync(command, args, { cwd: root, stdio: 'inherit', ...options });
}

async function scan(label, dir, patterns) {
	const scanner = await import(
		require.resolve('@n8n/scan-community-package/scanner/scanner.mjs', { paths: [root] })
	);
	const result = await scanner.analyzePackage(dir, patterns ?? scanner.SOURCE_FILE_PATTERNS);
	const problems = (result.details ?? []).flatMap((d) => d.messages ?? [d]);
	console.log(`\nverification scan (${label}): ${result.passed ? 'passed' : 'FAILED'}`);
	if (!result.passed) console.log(JSON.stringify(result, null, 2));
	return { passed: result.passed, problems };
}

async function main() {
	run('npx', ['n8n-node', 'lint']);

	const source = await scan('source', root);

	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'legnext-pack-'));
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: root })
		.toString()
		.trim()
		.split('\n')
		.pop();
	execFileSync('tar', ['-xzf', path.join(packDir, tarball), '-C', packDir]);
	const packed = await scan('packed tarball', path.join(packDir, 'package'), ['**/*.js', 'package.json']);
	fs.rmSync(packDir, { recursive: true, force: true });

	if (!source.passed || !packed.passed) process.exit(1);
	console.log('\nlint: n8n-node lint clean, verification scan clean on source and tarball');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
