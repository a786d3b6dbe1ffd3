/**
 * Settlement end to end on two real anvils (L1 and L2): deployLocal, an in-process committer
 * (batches of 2 blocks), `prover-server --on-chain-proposer` and `prover-client --backend exec`
 * as subprocesses. Batches are committed, proved and verified until L1's lastVerifiedBatch
 * reaches the target; a tampered proof is refused by the server before any gas is spent.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { mockSeal } from "../../lib/host/seal.ts";
import { hostImageId } from "../../lib/host/verify.ts";
import { exchange } from "../../lib/protocol/transport.ts";
import { l2FactsFetcher } from "../../lib/server/l2_jobs.ts";
import { journalOf } from "../../lib/protocol/facts.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { fakeProof } from "../helpers/fake_chain.ts";
import { ANVIL_KEYS } from "../helpers/l1.ts";
import { rpcCall } from "../helpers/l2.ts";
import { type MainProcess, spawnMain } from "../helpers/procs.ts";
import { committedChains } from "../helpers/settled.ts";

const HOST_BIN = Deno.env.get("ZKVM_HOST_BIN") ?? join(REPO_ROOT, "zkvm/target/release/zkvm-host");
const hostMissing = await Deno.stat(HOST_BIN).then(() => false, () => true);
if (hostMissing) {
  console.log(`SKIP settlement end-to-end test: zkvm-host not found at ${HOST_BIN} (make host)`);
}
// The risc0 dev-mode run needs a host with the risc0 backend and the dev guest (anvil's quirks).
const noRisc0 = hostMissing
  ? "no zkvm-host"
  : await hostImageId(HOST_BIN, { dev: true }).then(() => undefined, (e) => (e as Error).message);
if (noRisc0 && !hostMissing) {
  console.log(`SKIP settlement end-to-end test in risc0 dev mode: ${noRisc0} (make risc0-build)`);
}

/** Polls `read` until `done` holds; fails naming `what` after `timeoutMs` (a bound, not a timing). */
async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (v: T) => boolean,
  context: () => string,
  timeoutMs = 180_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what} (last ${v})\n${context()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const nonceOf = async (url: string, a: Address) =>
  Number(BigInt(await rpcCall<Hex>(url, "eth_getTransactionCount", [a, "latest"])));

/** The settled chains (tests/helpers/settled.ts) with a server and a client to start on them. */
async function settledChains(blocks: number) {
  const c = await committedChains(blocks);
  const startServer = (extra: string[] = []) =>
    spawnMain([
      "prover-server",
      "--listen-ip",
      "127.0.0.1",
      "--listen-port",
      "0",
      "--l2-rpc",
      c.l2.url,
      "--data-dir",
      join(c.dir, "server"),
      "--accept-exec-proofs",
      "--poll-interval",
      "100ms",
      ...extra,
    ], c.serverEnv);
  const startClient = (port: number, backend: "exec" | "risc0" = "exec") =>
    spawnMain([
      "prover-client",
      "--server",
      `127.0.0.1:${port}`,
      "--interval",
      "100ms",
      "--backend",
      backend,
      "--dev-mode",
      "1",
      "--host-bin",
      HOST_BIN,
      "--data-dir",
      join(c.dir, "client"),
    ]);
  return Object.assign(c, { startServer, startClient });
}

const listening = async (p: MainProcess) =>
  Number((await p.waitFor(/prover-server listening on 127\.0\.0\.1:(\d+)/))[1]);

Deno.test({
  name:
    "settlement e2e: 3 committed batches of 2 blocks are proved and verified on L1; a tampered proof costs no gas",
  ignore: hostMissing,
  async fn() {
    await using c = await settledChains(6);
    const { l1, l2rpc, d, view, verifierAccount } = c;
    await using server = c.startServer();
    const port = await listening(server);
    const addr = { host: "127.0.0.1", port };

    // A tampered proof of the first batch handed out: the right journal, one seal byte flipped. Refused at submit,
    // and the verifier account sends nothing.
    const nonceBefore = await nonceOf(l1.url, verifierAccount);
    const job = await until(
      "batch 1 handed out",
      () => exchange(addr, { kind: "Request" }),
      (r) => r.kind === "Response" && r.batchNumber !== null,
      () => server.output(),
    );
    assert.ok(job.kind === "Response" && job.batchNumber !== null);
    const batch = {
      number: job.batchNumber,
      firstBlock: job.firstBlock!,
      lastBlock: job.lastBlock!,
    };
    // The batch is what the committer posted on L1: 2 blocks, numbered as committed.
    assert.equal(batch.firstBlock, 2 * batch.number);
    assert.equal(batch.lastBlock, 2 * batch.number + 1);
    const facts = await l2FactsFetcher(l2rpc)(batch);
    const right = {
      ...fakeProof(facts),
      imageId: d.imageId,
      seal: mockSeal(d.imageId, journalOf(facts)),
    };
    const flipped = (right.seal.slice(0, -2) + (right.seal.endsWith("00") ? "01" : "00")) as Hex;
    const refused = await exchange(addr, {
      kind: "Submit",
      batchNumber: batch.number,
      proof: { ...right, seal: flipped },
    });
    assert.equal(refused.kind, "Error", JSON.stringify(refused));
    assert.equal(refused.kind === "Error" && refused.code, "verification_failed");
    assert.equal(await nonceOf(l1.url, verifierAccount), nonceBefore);
    assert.equal(await view.lastVerifiedBatch(), 0);
    // The right proof of that batch is taken; the client proves the rest.
    const ack = await exchange(addr, { kind: "Submit", batchNumber: batch.number, proof: right });
    assert.equal(ack.kind, "SubmitAck", JSON.stringify(ack));

    await using client = c.startClient(port);
    const ctx = () => `--- server\n${server.output()}\n--- client\n${client.output()}`;
    await until("lastVerifiedBatch 3", () => view.lastVerifiedBatch(), (n) => n >= 3, ctx);
    // Batches 1..3 took at most one verifyBatches each (fewer when they went together).
    const sent = (await nonceOf(l1.url, verifierAccount)) - nonceBefore;
    assert.ok(sent >= 1 && sent <= 3, `${sent} verify transactions\n${ctx()}`);
    assert.ok(!server.output().includes(ANVIL_KEYS.verifier.slice(2)), "key printed");
    assert.equal(await client.stop(), 0, ctx());
    assert.equal(await server.stop(), 0, ctx());
  },
});

Deno.test({
  name: "settlement e2e, risc0 dev mode: the guest's dev-mode seals are verified on L1",
  ignore: noRisc0 !== undefined,
  async fn() {
    await using c = await settledChains(4);
    await using server = c.startServer(["--dev-mode", "1"]);
    const port = await listening(server);
    await using client = c.startClient(port, "risc0");
    const ctx = () => `--- server\n${server.output()}\n--- client\n${client.output()}`;
    await until("lastVerifiedBatch 2", () => c.view.lastVerifiedBatch(), (n) => n >= 2, ctx);
    // Verified on chain through the mock verifier: the seals name the dev guest's image id.
    assert.equal(c.d.imageId, await hostImageId(HOST_BIN, { dev: true }));
    assert.match(client.output(), /risc0/);
    assert.equal(await client.stop(), 0, ctx());
    assert.equal(await server.stop(), 0, ctx());
  },
});

Deno.test({
  name:
    "settlement e2e: a server killed between sending and confirming verifyBatches resumes without a second transaction",
  ignore: hostMissing,
  async fn() {
    await using c = await settledChains(2);
    const { l1, view, verifierAccount } = c;
    const nonceBefore = await nonceOf(l1.url, verifierAccount);
    // L1 stops mining: the verify transaction stays in the mempool, sent but unconfirmed.
    await rpcCall(l1.url, "evm_setAutomine", [false]);
    const first = c.startServer();
    const client = c.startClient(await listening(first));
    const pending = () =>
      rpcCall<Hex>(l1.url, "eth_getTransactionCount", [verifierAccount, "pending"]).then((h) =>
        Number(BigInt(h))
      );
    await until(
      "verifyBatches in the mempool",
      pending,
      (n) => n > nonceBefore,
      () => first.output(),
    );
    first.kill("SIGKILL");
    await first.exited;
    await client.stop();

    await using second = c.startServer();
    await second.waitFor(/resuming verifyBatches\(1(\.\.1)?\) sent before a restart/);
    await rpcCall(l1.url, "evm_setAutomine", [true]);
    await rpcCall(l1.url, "evm_mine");
    await until(
      "lastVerifiedBatch 1",
      () => view.lastVerifiedBatch(),
      (n) => n >= 1,
      () => second.output(),
    );
    await second.waitFor(/verified batches 1\.\.1 on L1/);
    // One transaction in all: the restarted server rebroadcast the recorded one, sent no other.
    assert.equal(await nonceOf(l1.url, verifierAccount), nonceBefore + 1, second.output());
    assert.equal(await second.stop(), 0, second.output());
  },
});
