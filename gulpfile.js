// Copies what tsc does not: node and credential icons, and the codex (.node.json) files.
const path = require('path');
const { task, src, dest, parallel } = require('gulp');

function copyAssets(folder) {
	return () =>
		src(path.join(folder, '**', '*.{png,svg,node.json}'), { encoding: false }).pipe(
			dest(path.join('dist', folder)),
		);
}

task('build:icons', parallel(copyAssets('nodes'), copyAssets('credentials')));
