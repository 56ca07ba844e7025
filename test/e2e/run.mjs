// `npm run test:e2e`: prepares code-server and Chromium (scripts/e2e-setup.sh, idempotent),
// then runs test/e2e/notebook.e2e.ts with node's test runner, which builds and packages the
// lean linux-x64 .vsix as `npm run package` does and installs it into code-server. The whole run is
// bounded (CCNET_E2E_DEADLINE_S, default 1200 s including a first-time setup); whatever
// happens, the code-server process group the test started is stopped at the end.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const deadlineS = Number(process.env.CCNET_E2E_DEADLINE_S ?? 1200);
const started = Date.now();
const elapsedS = () => ((Date.now() - started) / 1000).toFixed(1);

// 1. code-server, Chromium, ripgrep (prints the code-server package folder on stdout).
const setup = spawnSync('bash', [join(root, 'scripts', 'e2e-setup.sh')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  timeout: deadlineS * 1000,
});
if (setup.status !== 0) {
  console.error(`e2e: setup failed (status ${setup.status}${setup.error ? `, ${setup.error.message}` : ''})`);
  process.exit(1);
}
const codeServerDir = setup.stdout.trim().split('\n').pop();
console.error(`e2e: setup done after ${elapsedS()} s; code-server in ${codeServerDir}`);

// 2. The test (it packages the .vsix itself, with scripts/packaging/package-vsix.ts), with what is left of the deadline.
const leftMs = Math.max(60_000, deadlineS * 1000 - (Date.now() - started));
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', join(root, 'test', 'e2e', 'notebook.e2e.ts')],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CCNET_CODE_SERVER_DIR: codeServerDir } },
);
let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  console.error(`e2e: deadline of ${deadlineS} s reached; stopping the test`);
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
}, leftMs);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));

const status = await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
clearTimeout(timer);

// 3. If the test could not stop code-server itself (killed), stop its process group here.
const pidFile = join(root, 'test-output', 'e2e', 'code-server.pid');
if (existsSync(pidFile)) {
  const pid = Number(readFileSync(pidFile, 'utf8'));
  if (pid > 0) {
    try {
      process.kill(-pid, 'SIGKILL');
      console.error(`e2e: stopped code-server's process group ${pid}, left running by the test`);
    } catch {
      // already gone
    }
  }
}
console.error(`e2e: ${status === 0 ? 'passed' : timedOut ? 'TIMED OUT' : 'FAILED'} after ${elapsedS()} s; screenshots and logs in test-output/e2e/`);
process.exit(status === 0 && !timedOut ? 0 : 1);
