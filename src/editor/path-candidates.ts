/**
 * File path completion inside a cell's string: the entries of the folder typed so far, relative
 * to the notebook's folder. Plain Node (no `vscode`), so it runs where the files are (the
 * remote machine under Remote-SSH) and is tested without an editor. Asynchronous, so a slow or
 * network file system never blocks the extension host.
 */
import { readdir, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { homedir } from 'node:os';

export interface PathCandidate {
  /** The entry's name, inserted after the last '/' typed. */
  name: string;
  folder: boolean;
  /** A folder with images/ and masks/ inside: a dataset folder. */
  dataset: boolean;
}

export interface PathCompletion {
  /** Offset within the partial string token where the inserted name starts. */
  replaceFrom: number;
  candidates: PathCandidate[];
}

/**
 * Candidates for a partial string token (`"../data/he`, with or without its closing quote).
 * Folders are always offered (to go deeper); files only for `kind: 'file'` and, when given, with
 * one of the extensions. Hidden entries only when the typed name starts with a dot.
 */
export async function pathCandidates(partialToken: string, baseDir: string, want: { kind: 'folder' | 'file'; extensions?: readonly string[] }, limit = 500): Promise<PathCompletion> {
  const body = partialToken.replace(/^"/, '').replace(/"$/, '');
  const slash = body.lastIndexOf('/');
  const folderPart = slash >= 0 ? body.slice(0, slash + 1) : '';
  const namePrefix = body.slice(slash + 1);
  const folder = folderPart.startsWith('~/') ? join(homedir(), folderPart.slice(2)) : isAbsolute(folderPart) ? folderPart : resolve(baseDir, folderPart || '.');
  const replaceFrom = 1 + slash + 1;
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return { replaceFrom, candidates: [] };
  }
  const shown = entries.filter((entry) => entry.name.startsWith(namePrefix) && (!entry.name.startsWith('.') || namePrefix.startsWith('.')));
  const described = await Promise.all(
    shown.map(async (entry): Promise<PathCandidate | undefined> => {
      const path = join(folder, entry.name);
      const isFolder = entry.isDirectory() || (entry.isSymbolicLink() && (await isFolderPath(path)));
      if (!isFolder && (want.kind === 'folder' || (want.extensions && !want.extensions.some((ext) => entry.name.toLowerCase().endsWith(ext))))) return undefined;
      const dataset = isFolder && (await isFolderPath(join(path, 'images'))) && (await isFolderPath(join(path, 'masks')));
      return { name: entry.name, folder: isFolder, dataset };
    }),
  );
  const candidates = described.filter((c): c is PathCandidate => c !== undefined);
  candidates.sort((a, b) => Number(b.dataset) - Number(a.dataset) || Number(b.folder) - Number(a.folder) || a.name.localeCompare(b.name));
  return { replaceFrom, candidates: candidates.slice(0, limit) };
}

async function isFolderPath(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}
