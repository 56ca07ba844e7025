/**
 * Starts and stops a code-server (VS Code in the browser, Node extension host) for the
 * end-to-end test: its own user-data, extensions and config folders, seeded user settings,
 * 127.0.0.1 on a free port chosen by the OS, no authentication.
 *
 * Modelled on code-server's own harness (coder/code-server test/e2e/models/CodeServer.ts):
 * bind to port 0 and read the address from the "HTTP server listening on" line.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CodeServerFolders {
  /** `--user-data-dir`: settings, state, logs, the extension's global storage. */
  userDataDir: string;
  /** `--extensions-dir`: where `--install-extension` puts the .vsix. */
  extensionsDir: string;
  /** `--config`: code-server's own config.yaml (kept out of ~/.config). */
  configPath: string;
}

/** The folders of one code-server instance, all under `root`. */
export function codeServerFolders(root: string): CodeServerFolders {
  return {
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    configPath: join(root, 'config.yaml'),
  };
}

/**
 * User settings that keep the workbench quiet and deterministic: no welcome page, no
 * workspace-trust prompt, no telemetry, no update or recommendation checks.
 */
export const seededUserSettings = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'notebook.experimental.remoteSave': false,
} as const;

/** Writes config.yaml and User/settings.json for a fresh instance. */
export async function seedCodeServerFolders(folders: CodeServerFolders): Promise<void> {
  await mkdir(join(folders.userDataDir, 'User'), { recursive: true });
  await mkdir(folders.extensionsDir, { recursive: true });
  await writeFile(join(folders.userDataDir, 'User', 'settings.json'), JSON.stringify(seededUserSettings, null, 2));
  await writeFile(folders.configPath, 'auth: none\ncert: false\nbind-addr: 127.0.0.1:0\n');
}

/** code-server's entry script inside its npm package folder, checked to exist. */
export function codeServerEntry(packageDir: string): string {
  const entry = join(packageDir, 'out', 'node', 'entry.js');
  if (!existsSync(entry)) {
    throw new Error(`code-server is not installed at ${packageDir} (no out/node/entry.js): run scripts/e2e-setup.sh`);
  }
  return entry;
}

/** Arguments common to every code-server invocation on these folders. */
function folderArgs(folders: CodeServerFolders): string[] {
  return ['--config', folders.configPath, '--user-data-dir', folders.userDataDir, '--extensions-dir', folders.extensionsDir];
}

/** `code-server --install-extension <vsix>`; throws with code-server's output on failure. */
export function installExtension(entry: string, folders: CodeServerFolders, vsixPath: string, timeoutMs: number): string {
  const result = spawnSync(process.execPath, [entry, ...folderArgs(folders), '--install-extension', vsixPath], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: quietEnv(),
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error || result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(
      `code-server --install-extension ${vsixPath} failed (status ${result.status}${result.error ? `, ${result.error.message}` : ''}):\n${output}`,
    );
  }
  return output;
}

function quietEnv(): NodeJS.ProcessEnv {
  // No PASSWORD/HASHED_PASSWORD from the caller's environment may turn authentication back on.
  const env = { ...process.env };
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  delete env.VSCODE_IPC_HOOK_CLI;
  // $PORT would override the port of --bind-addr.
  delete env.PORT;
  return env;
}

export interface RunningCodeServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  process: ChildProcess;
  /** Everything code-server printed so far (for failure reports). */
  log: () => string;
  /** Stops code-server and every process it started (extension host, kernel, watchers). */
  stop: () => Promise<void>;
}

/**
 * Starts code-server in its own process group and resolves once it prints
 * "HTTP server listening on http://127.0.0.1:<port>".
 */
export async function startCodeServer(entry: string, folders: CodeServerFolders, workspaceDir: string, timeoutMs: number): Promise<RunningCodeServer> {
  const args = [
    entry,
    ...folderArgs(folders),
    '--bind-addr',
    '127.0.0.1:0',
    '--auth',
    'none',
    '--disable-workspace-trust',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    workspaceDir,
  ];
  // detached: a process group of its own, so that stop() reaches the extension host and the
  // CC-Net kernel processes too.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: quietEnv() });
  let output = '';
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  const killOnExit = () => killGroup('SIGKILL');
  process.on('exit', killOnExit);

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    process.off('exit', killOnExit);
    killGroup('SIGTERM');
    const graceful = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
    // Children of code-server (extension host, kernel) may outlive it: finish the group.
    killGroup('SIGKILL');
    if (!graceful) await Promise.race([exited, delay(2000)]);
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`code-server did not print "HTTP server listening on" within ${timeoutMs / 1000} s. Output:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /HTTPS? server listening on (https?:\/\/[\d.:]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace(/\/$/, ''));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`code-server could not be started: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (code ${code}, signal ${signal}) before listening. Output:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  // Keep collecting output after startup, for failure reports.
  return { url, process: child, log: () => output, stop };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
