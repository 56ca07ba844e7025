/**
 * Writes a file through a temporary one beside it that is renamed into place, so that a reader
 * (or a process that resumes after a crash) never sees half a file. The temporary name carries
 * the process id and a random suffix, so concurrent writers of the same path do not collide;
 * a failed write removes its temporary file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
}
