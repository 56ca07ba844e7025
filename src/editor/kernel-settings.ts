/** How the extension starts kernels, from its settings (read each time a kernel starts). */
import * as vscode from 'vscode';
import { nativeBackendFolder } from '../commands/install-backend';

export interface KernelSettings {
  kernelPath: string;
  cacheDir: () => string;
  maxHeapMB: () => number;
  interruptGraceMs: () => number;
  backend: () => string;
  nativeModulePaths: () => string[];
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
