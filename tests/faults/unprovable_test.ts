/**
 * Fault suite: a batch that can never be proved. Real prover-client processes run a stand-in
 * host that rejects the block every time (exit 3, as zkvm-host does for an invalid block); they
 * report it, and after --unprovable-after independent reports the server sets the batch aside.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Logger } from "../../lib/log/logger.ts";
import { recordFault } from "../helpers/fault_matrix.ts";
import { waitUntil } from "../helpers/wait.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";
import { oneBatchServer, spawnClient } from "./harness.ts";

const server = (dataDir: string, log: Logger) =>
  oneBatchServer(dataDir, { log, unprovableAfter: 3 });

Deno.test("a batch every host rejects is reported, set aside after 3 reports, and stays aside", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const runs = join(dir, "runs");
    const script = join(dir, "reject.sh");
    await Deno.writeTextFile(
      script,
      `#!/bin/sh\necho run >> '${runs}'\n` +
        `echo '{"event":"error","kind":"invalid_block","code":"StateRootMismatch",` +
        `"message":"post-state root differs"}' >&2\nexit 3\n`,
    );
    await Deno.chmod(script, 0o755);
    const { log, lines } = memoryLogger();
    const dataDir = join(dir, "server");
    {
      await using s = await server(dataDir, log);
      const client = (i: number) =>
        spawnClient(s.port, join(dir, `client${i}`), script, [
          "--interval",
          "50ms",
          "--log-level",
          "debug",
        ]);
      const clients = [client(1), client(2)];
      try {
        await waitUntil(() => s.metrics.unprovable.get() === 1, 60_000, "unprovable");
        // More polls by both clients after that: the batch must not go out again.
        const seen = clients.map((c) => c.output().length);
        await waitUntil(
          () => clients.every((c, i) => c.output().slice(seen[i]).includes("no work")),
          10_000,
          "polls after the batch was set aside",
        );
      } finally {
        await Promise.all(clients.map((c) => c.stop()));
      }
      const hostRuns = (await Deno.readTextFile(runs)).trim().split("\n").length;
      const status = s.status();
      const listed = status.unprovable as { batch: number; code: string; failures: number }[];
      const errorLine = lines.find((l) => l.includes("is UNPROVABLE")) ?? "";
      const metricsText = s.metrics.registry.render();
      const reported = clients.some((c) => /reported the failure of batch 5/.test(c.output()));
      const ok = hostRuns === 3 && s.metrics.handedOut.get() === 3 && listed.length === 1 &&
        listed[0].code === "StateRootMismatch" && /remove batch 5 from/.test(errorLine) &&
        /prover_server_unprovable_batches 1/.test(metricsText) && reported;
      await recordFault({
        fault: "block the host rejects every time (exit 3)",
        expected: "reported; unprovable after 3; not handed out again",
        observed: `${hostRuns} host runs, ${s.metrics.handedOut.get()} hand-outs; /status ` +
          `unprovable [${listed.map((u) => `${u.batch} ${u.code}`)}]; metric 1; error logged`,
        ok,
      });
      assert.equal(hostRuns, 3, clients.map((c) => c.output()).join("\n"));
      assert.equal(s.metrics.handedOut.get(), 3);
      assert.equal(listed[0]?.batch, 5);
      assert.match(errorLine, /remove batch 5 from/);
      assert.match(metricsText, /prover_server_unprovable_batches 1/);
      assert.ok(reported);
    }
    // A restart remembers it.
    const again = memoryLogger();
    await using s2 = await server(dataDir, again.log);
    await waitUntil(() => (s2.status().prepared as number[]).length === 0, 1_000, "settled");
    assert.ok(again.lines.some((l) => /batch 5 is held unprovable/.test(l)));
    assert.equal(s2.metrics.unprovable.get(), 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
