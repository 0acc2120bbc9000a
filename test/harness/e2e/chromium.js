// The Chromium the editor test drives, and where its screenshots go.
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const zlib = require('node:zlib');

const { ROOT } = require('./world');

const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function isExecutable(file) {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/** Unpacks a brotli file of @sparticuz/chromium: a .tar.br into `dir`, a plain .br to `dir/<name>`. */
async function unbrotli(file, dir) {
	if (file.endsWith('.tar.br')) {
		childProcess.execFileSync('tar', ['-x', '-C', dir], { input: zlib.brotliDecompressSync(fs.readFileSync(file)) });
		return;
	}
	const target = path.join(dir, path.basename(file, '.br'));
	const partial = `${target}.partial-${process.pid}`;
	await pipeline(fs.createReadStream(file), zlib.createBrotliDecompress(), fs.createWriteStream(partial, { mode: 0o755 }));
	fs.renameSync(partial, target); // whole or not there, should two runs unpack at once
}

/**
 * CHROMIUM_PATH when set; else the system's Chromium (Debian's /usr/bin/chromium) when installed;
 * else the Chromium that the devDependency @sparticuz/chromium carries inside its npm package,
 * unpacked once into ~/.cache/n8n-nodes-legnext/chromium-<version>. (Its own unpacking goes to the
 * temp folder, where another version's leftovers crash it, and jest's process.env cannot move it.)
 * Its NSS libraries (al2023) are put on the library path only when the system lacks some.
 * Returns {executablePath, env, source}: `env` for playwright's launch.
 */
async function chromiumExecutable() {
	const own = process.env.CHROMIUM_PATH || SYSTEM_CHROMIUM.find(isExecutable);
	if (own) {
		if (!isExecutable(own)) throw new Error(`CHROMIUM_PATH=${own} is not an executable file`);
		return { executablePath: own, env: process.env, source: 'system' };
	}
	// Its exports hide package.json and bin/: find the package folder from its entry point.
	let packageDir = path.dirname(require.resolve('@sparticuz/chromium'));
	while (!fs.existsSync(path.join(packageDir, 'bin', 'chromium.br'))) packageDir = path.dirname(packageDir);
	const bin = path.join(packageDir, 'bin');
	const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const cacheBase =
		process.env.LEGNEXT_N8N_CACHE ||
		path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-legnext');
	const dir = path.join(cacheBase, `chromium-${version}`);
	const executablePath = path.join(dir, 'chromium');
	if (!fs.existsSync(executablePath)) {
		fs.mkdirSync(dir, { recursive: true });
		await unbrotli(path.join(bin, 'swiftshader.tar.br'), dir); // libEGL/libGLESv2 beside the binary
		await unbrotli(path.join(bin, 'chromium.br'), dir);
	}
	const env = { ...process.env };
	if (childProcess.execFileSync('ldd', [executablePath], { encoding: 'utf8' }).includes('not found')) {
		const libDir = path.join(dir, 'al2023', 'lib');
		if (!fs.existsSync(libDir)) {
			fs.mkdirSync(path.join(dir, 'al2023'), { recursive: true });
			await unbrotli(path.join(bin, 'al2023.tar.br'), path.join(dir, 'al2023'));
		}
		env.LD_LIBRARY_PATH = [libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(path.delimiter);
	}
	return { executablePath, env, source: `@sparticuz/chromium ${version}` };
}

module.exports = { SCREENSHOTS, chromiumExecutable };
