/** How the extension starts kernels, from its settings (read each time a kernel starts). */
import * as vscode from 'vscode';
import type { KernelSettings } from '../host/kernel-settings';

export type { KernelSettings };

/** The folder whose node_modules holds the native backends that CC-Net: Install Native TensorFlow Backend installs. */
export function nativeBackendFolder(context: vscode.ExtensionContext): string {
  return vscode.Uri.joinPath(context.globalStorageUri, 'native-backend').fsPath;
}

export function kernelSettings(context: vscode.ExtensionContext): KernelSettings {
  const config = () => vscode.workspace.getConfiguration('ccnet');
  return {
    kernelPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'kernel.js').fsPath,
    cacheDir: () => config().get<string>('cacheDirectory') || vscode.Uri.joinPath(context.globalStorageUri, 'cache').fsPath,
    maxHeapMB: () => config().get<number>('kernel.maxHeapMB', 8192),
    interruptGraceMs: () => 1000 * config().get<number>('kernel.interruptGraceSeconds', 10),
    backend: () => config().get<string>('backend', 'auto'),
    nativeModulePaths: () => [nativeBackendFolder(context)],
  };
}
