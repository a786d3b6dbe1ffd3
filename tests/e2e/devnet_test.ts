/**
 * `devnet` (what `make run` starts): anvil L2 + tx generator + prover-server + one exec
 * prover-client, proving blocks until Ctrl-C, which stops everything and exits 0.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/cli.ts";
import { storedBlocks } from "../helpers/l2.ts";
import { spawnMain } from "../helpers/procs.ts";

const HOST_BIN = Deno.env.get("ZKVM_HOST_BIN") ?? join(REPO_ROOT, "zkvm/target/release/zkvm-host");
const hostMissing = await Deno.stat(HOST_BIN).then(() => false, () => true);
if (hostMissing) console.log(`SKIP devnet test: zkvm-host not found at ${HOST_BIN} (make host)`);

Deno.test({
  name: "devnet proves blocks and stops cleanly on SIGINT",
  ignore: hostMissing,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "e2e-devnet-" });
    await using devnet = spawnMain([
      "devnet",
      "--listen-port",
      "0",
      "--block-time",
      "1",
      "--data-dir",
      dir,
      "--host-bin",
      HOST_BIN,
    ]);
    const anvilUrl = (await devnet.waitFor(/anvil L2 running at (http:\/\/127\.0\.0\.1:\d+)/))[1];
    await devnet.waitFor(/proof of batch 4 \(blocks 4\.\.4\) verified and stored/, 120_000);
    devnet.kill("SIGINT");
    assert.equal(await devnet.exited, 0, devnet.output());
    assert.match(devnet.output(), /devnet: \d+ blocks proved/);
    const runs = [];
    for await (const e of Deno.readDir(join(dir, "devnet"))) runs.push(e.name);
    assert.equal(runs.length, 1);
    const stored = await storedBlocks(join(dir, "devnet", runs[0]));
    assert.deepEqual(stored.slice(0, 3), [2, 3, 4]);
    await assert.rejects(
      fetch(anvilUrl, { method: "POST", body: "{}" }).then((r) => r.body?.cancel()),
      "anvil was stopped",
    );
    await Deno.remove(dir, { recursive: true });
  },
});
