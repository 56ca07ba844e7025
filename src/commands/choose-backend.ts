/** "CC-Net: Choose TensorFlow Backend": sets ccnet.backend and offers to restart the kernel. */
import * as vscode from 'vscode';

const CHOICES = [
  { label: 'auto', detail: 'The best available: tensorflow-gpu, then tensorflow, then wasm, then cpu' },
  { label: 'tensorflow-gpu', detail: '@tensorflow/tfjs-node-gpu: CUDA GPU (install it with "Install Native TensorFlow Backend")' },
  { label: 'tensorflow', detail: '@tensorflow/tfjs-node: native TensorFlow on the CPU' },
  { label: 'wasm', detail: 'WebAssembly with SIMD and CC-Net\'s training kernels: works everywhere, no install' },
  { label: 'cpu', detail: 'Pure JavaScript: slowest (a U-Net training step took 190x as long as on wasm in npm run bench:train); for debugging' },
];

export function registerChooseBackend(): vscode.Disposable {
  return vscode.commands.registerCommand('ccnet.chooseBackend', async () => {
    const current = vscode.workspace.getConfiguration('ccnet').get<string>('backend', 'auto');
    const picked = await vscode.window.showQuickPick(
      CHOICES.map((c) => ({ ...c, description: c.label === current ? '(current)' : undefined })),
      { title: 'TensorFlow.js backend for CC-Net kernels' },
    );
    if (!picked || picked.label === current) return;
    await vscode.workspace.getConfiguration('ccnet').update('backend', picked.label, vscode.ConfigurationTarget.Global);
    const restart = 'Restart Kernel';
    const answer = await vscode.window.showInformationMessage(`CC-Net backend set to ${picked.label}; running kernels keep theirs until restarted.`, restart);
    if (answer === restart) await vscode.commands.executeCommand('ccnet.restartKernel');
  });
}
