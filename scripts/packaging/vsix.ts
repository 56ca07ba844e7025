/**
 * Reads the list of entries of a .vsix (a zip file) from its central directory, so that
 * tests and `npm run bench:package` can count and check what a package holds without
 * unpacking it. Handles the plain zip format vsce writes (no ZIP64: fewer than 65,535 entries
 * and under 4 GiB).
 */
import { readFileSync } from 'node:fs';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;

export interface VsixEntry {
  /** Path inside the zip, e.g. `extension/dist/kernel.js`. */
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
}

/** Every entry (files and any folder entries) of the zip at `path`, in central-directory order. */
export function vsixEntries(path: string): VsixEntry[] {
  const zip = readFileSync(path);
  // the end record is 22 bytes plus a comment of at most 65,535 bytes, at the very end
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 65_535); at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error(`${path} is not a zip file (no end-of-central-directory record)`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: VsixEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_DIRECTORY_HEADER) throw new Error(`${path}: central directory entry ${i} is damaged`);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), size });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The files (not folder entries) of a .vsix. */
export function vsixFiles(path: string): VsixEntry[] {
  return vsixEntries(path).filter((entry) => !entry.name.endsWith('/'));
}
