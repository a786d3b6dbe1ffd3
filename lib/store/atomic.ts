/**
 * Crash-safe file replacement (a reader sees the old file or the new one, never half of one), and
 * the read that goes with it, where a file not written yet is not an error.
 */
import { basename, dirname, join } from "node:path";

/**
 * Writes `data` to `path` atomically and durably: temp file in the same directory, fsync,
 * rename over the target, fsync the directory (so the rename itself survives a power cut).
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${crypto.randomUUID()}.tmp`);
  const file = await Deno.open(tmp, { write: true, createNew: true, mode: 0o644 });
  try {
    let off = 0;
    while (off < data.length) off += await file.write(data.subarray(off));
    await file.sync();
  } catch (e) {
    file.close();
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  file.close();
  try {
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  await syncDir(dir);
}

/** fsyncs a directory so that entries created or renamed in it are durable. */
export async function syncDir(dir: string): Promise<void> {
  const d = await Deno.open(dir, { read: true });
  try {
    await d.sync();
  } finally {
    d.close();
  }
}

/** Removes temp files an interrupted {@link writeFileAtomic} left in `dir`. */
export async function removeStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.startsWith(".") && e.name.endsWith(".tmp")) {
      await Deno.remove(join(dir, e.name)).catch(() => {});
      removed++;
    }
  }
  return removed;
}

/** The text of `path`, or undefined when there is no such file (any other error is thrown). */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
