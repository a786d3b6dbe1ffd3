/**
 * Fault suite: the server's data dir fills up. The data dir is a small tmpfs (mounted here as
 * root; skipped, printed and counted where mounting is not permitted); it is filled while a
 * client proves, so the proof cannot be stored. The server must answer store_failed and show it
 * in /status health.store and /metrics, the proof must wait in the client's outbox, and once
 * space is freed it must be stored, once.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type ProveFn, runProverClient } from "../../lib/client/client.ts";
import type { BatchFacts } from "../../lib/server/facts.ts";
import { startProverServer } from "../../lib/server/server.ts";
import { fakeProof, testServerOptions } from "../helpers/fake_chain.ts";
import { recordFault, recordSkip } from "../helpers/fault_matrix.ts";
import { waitUntil } from "../helpers/wait.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

const CASE = "data dir full (1 MiB tmpfs) while a proof is submitted";
const EXPECTED = "store_failed in health + metrics; proof waits in the outbox; stored once later";

/** Mounts a tmpfs of `size` on `dir`; the reason it cannot, or undefined when mounted. */
async function mountTmpfs(dir: string, size: string): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (out.success) return undefined;
    return `mount -t tmpfs is not permitted here (uid ${Deno.uid()}, needs root or ` +
      `CAP_SYS_ADMIN): ${new TextDecoder().decode(out.stderr).trim().split("\n")[0]}`;
  } catch (e) {
    return `cannot run mount: ${(e as Error).message}`;
  }
}

/** Writes into `path` until the file system refuses (ENOSPC), in smaller and smaller pieces. */
async function fill(path: string): Promise<void> {
  const f = await Deno.open(path, { write: true, create: true, append: true });
  try {
    for (const size of [64 * 1024, 4096, 1]) {
      const chunk = new Uint8Array(size);
      try {
        for (;;) await f.write(chunk);
      } catch { /* full at this piece size */ }
    }
  } finally {
    f.close();
  }
}

/** Unmounts `dir`; throws with umount's words when it cannot. */
async function unmount(dir: string): Promise<void> {
  const out = await new Deno.Command("umount", { args: [dir], stderr: "piped" }).output();
  if (!out.success) throw new Error(`umount ${dir}: ${new TextDecoder().decode(out.stderr)}`);
}

// Tried once up front, so a machine that cannot mount shows the test as ignored, with the reason.
const probe = await Deno.makeTempDir();
const cannotMount = await mountTmpfs(probe, "64k");
if (cannotMount) await recordSkip(CASE, EXPECTED, cannotMount);
else await unmount(probe);
await Deno.remove(probe);

Deno.test({
  name:
    "a full data dir: store_failed shown in health, the proof waits in the outbox and is stored once after space is freed",
  ignore: cannotMount !== undefined,
  fn: fullDisk,
});

async function fullDisk() {
  const dir = await Deno.makeTempDir();
  const data = join(dir, "data");
  await Deno.mkdir(data);
  const cannot = await mountTmpfs(data, "1m");
  if (cannot) throw new Error(cannot);
  const filler = join(data, "filler");
  try {
    const { log, lines } = memoryLogger();
    await using s = await startProverServer(
      testServerOptions(join(data, "server"), { last: 3, log }),
    );
    // The disk fills while batch 1 is proved: its lease is on disk, its proof cannot be.
    const prove: ProveFn = async (job) => {
      if (job.batchNumber === 1) await fill(filler);
      return await Promise.resolve(fakeProof((job.input as { fake: BatchFacts }).fake));
    };
    const clientDir = join(dir, "client");
    const ctrl = new AbortController();
    const clientLog = memoryLogger();
    const client = runProverClient({
      server: { host: "127.0.0.1", port: s.port },
      intervalMs: 10,
      dataDir: clientDir,
      prove,
      log: clientLog.log,
      tty: false,
      backoff: { baseMs: 10, maxMs: 50 },
      maxProofs: 3,
    }, ctrl.signal);
    const outboxed = join(clientDir, "client", "outbox", "block-1.json");
    const health = () => (s.status().health as Record<string, Record<string, unknown>>).store;
    try {
      await waitUntil(
        () => health().up === false && s.metrics.rejected.get({ reason: "store_failed" }) >= 2,
        10_000,
        "store_failed seen twice (a retry)",
      );
      const down = health();
      const metricsText = s.metrics.registry.render();
      const waiting = await Deno.stat(outboxed).then(() => true, () => false);
      const storedWhileFull = s.store.size;
      await Deno.remove(filler);
      await waitUntil(() => s.store.size === 3, 10_000, "3 proofs stored after freeing space");
      const stats = await client;
      const files = [...Deno.readDirSync(join(data, "server", "proofs"))]
        .filter((e) => /^batch-\d+\.json$/.test(e.name)).length;
      const verified = s.metrics.verified.get({ backend: "exec" });
      const shown = down.up === false && /No space left|ENOSPC|os error 28/i.test(
        String(down.last_error),
      ) && /prover_server_store_up 0/.test(metricsText) &&
        /prover_server_store_failures_total [1-9]/.test(metricsText);
      const recovered = health().up === true &&
        lines.some((l) => /data dir takes writes again/.test(l));
      const once = files === 3 && s.metrics.proved.get() === 3 && verified === 3 &&
        s.metrics.duplicates.get() === 0 && stats.acknowledged === 3 && stats.rejected === 0;
      const outboxEmpty = [...Deno.readDirSync(join(clientDir, "client", "outbox"))].length === 0;
      const ok = shown && waiting && storedWhileFull === 0 && recovered && once && outboxEmpty;
      await recordFault({
        fault: CASE,
        expected: EXPECTED,
        observed: `${shown ? "health.store down (ENOSPC), store_up 0" : "NOT shown"}; ` +
          `${waiting ? "proof in the outbox" : "proof NOT in the outbox"}; after freeing: ` +
          `${files} files, proved ${s.metrics.proved.get()}, duplicates ` +
          `${s.metrics.duplicates.get()}${recovered ? ", recovery logged" : ""}`,
        ok,
      });
      assert.ok(shown, `${JSON.stringify(down)}\n${metricsText}`);
      assert.ok(waiting, "the proof waits in the client's outbox");
      assert.equal(storedWhileFull, 0);
      assert.ok(recovered, lines.join(""));
      assert.equal(files, 3);
      assert.equal(s.metrics.proved.get(), 3);
      assert.equal(verified, 3);
      assert.equal(s.metrics.duplicates.get(), 0);
      assert.deepEqual([stats.acknowledged, stats.rejected], [3, 0]);
      assert.ok(outboxEmpty);
    } finally {
      ctrl.abort();
      await client.catch(() => {});
    }
  } finally {
    // The server is closed (await using) before the file system goes away.
    await unmount(data);
    await Deno.remove(dir, { recursive: true });
  }
}
