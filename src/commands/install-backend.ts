/**
 * "CC-Net: Install Native TensorFlow Backend": installs @tensorflow/tfjs-node (CPU) or
 * @tensorflow/tfjs-node-gpu (CUDA) into the extension's global storage with npm, so that the
 * kernel can load it (`auto` prefers it over wasm). Needs npm on PATH and internet access:
 * the package's install step downloads libtensorflow. Progress is shown; cancel stops npm.
 */
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { nativeBackendFolder } from '../editor/kernel-settings';

export const NATIVE_BACKEND_VERSION = '4.22.0';


export function registerInstallBackend(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand('ccnet.installNativeBackend', async () => {
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'tensorflow-gpu', description: '@tensorflow/tfjs-node-gpu', detail: 'NVIDIA GPU with CUDA 11.2 and cuDNN 8.1 installed (Linux, Windows)' },
        { label: 'tensorflow', description: '@tensorflow/tfjs-node', detail: 'Native TensorFlow on the CPU (faster than wasm on many cores)' },
      ],
      { title: 'Install a native TensorFlow backend (downloads about 100-400 MB)', ignoreFocusOut: true },
    );
    if (!choice) return;
    const packageName = choice.description;
    const folder = nativeBackendFolder(context);
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(folder));
    const ok = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Installing ${packageName}`, cancellable: true },
      (progress, token) =>
        new Promise<boolean>((resolve) => {
          const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
          const child = spawn(npm, ['install', '--prefix', folder, '--no-audit', '--no-fund', `${packageName}@${NATIVE_BACKEND_VERSION}`], {
            shell: process.platform === 'win32',
          });
          const onOutput = (data: Buffer) => {
            const text = data.toString().trim();
            if (!text) return;
            log.info(`[npm] ${text}`);
            progress.report({ message: text.split('\n').pop()?.slice(0, 80) });
          };
          child.stdout.on('data', onOutput);
          child.stderr.on('data', onOutput);
          token.onCancellationRequested(() => child.kill());
          child.on('error', (error) => {
            void vscode.window.showErrorMessage(`Could not run npm (${error.message}). Install Node.js with npm, or run: npm install --prefix "${folder}" ${packageName}`);
            resolve(false);
          });
          child.on('exit', (code) => {
            if (token.isCancellationRequested) {
              void vscode.window.showInformationMessage(`Installing ${packageName} was cancelled.`);
              resolve(false);
            } else if (code !== 0) {
              void vscode.window.showErrorMessage(`npm could not install ${packageName} (exit code ${code}); see the CC-Net Kernel log. It needs internet access to download libtensorflow.`);
              resolve(false);
            } else {
              resolve(true);
            }
          });
        }),
    );
    if (ok) {
      const restart = 'Restart Kernel';
      const answer = await vscode.window.showInformationMessage(`${packageName} installed. Restart the CC-Net kernel to use it (setting ccnet.backend: auto or ${choice.label}).`, restart);
      if (answer === restart) await vscode.commands.executeCommand('ccnet.restartKernel');
    }
  });
}
