// `npm run demo`: generates the synthetic sample data and executes media/sample.ccnet headlessly
// with the ccnet CLI, writing the executed notebook and its plots under demo-output/.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, 'demo-output');
if (!existsSync(join(root, 'dist', 'cli.js'))) {
  const build = spawnSync(process.execPath, [join(root, 'esbuild.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const result = spawnSync(
  process.execPath,
  [join(root, 'bin', 'ccnet.js'), 'run', join(root, 'media', 'sample.ccnet'), '--out', join(out, 'sample.executed.ccnet'), '--plots', join(out, 'plots')],
  { stdio: 'inherit', env: { ...process.env, CCNET_CACHE_DIR: process.env.CCNET_CACHE_DIR ?? join(out, 'cache') } },
);
if (result.status === 0) {
  console.error(`\ndemo done: open ${join(out, 'sample.executed.ccnet')} in VS Code with CC-Net Studio, or look at the SVG plots in ${join(out, 'plots')}`);
}
process.exit(result.status ?? 1);
