/**
 * End to end: real anvil as the L2, the real CLI as subprocesses (`main.ts prover-server`,
 * `main.ts prover-client`), the real zkvm-host exec backend. Tests that prove blocks skip, with
 * the reason printed, when the host binary is missing; the others need no host.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startAnvil } from "../../lib/devnet/anvil.ts";
import { exchange } from "../../lib/protocol/transport.ts";
import { decodeJournal, mockSeal } from "../../lib/host/mod.ts";
import { rulesDigest } from "../../lib/input/mod.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { fakeFacts, fakeProof } from "../helpers/fake_chain.ts";
import { mineTransfers, storedBlocks, waitForStored } from "../helpers/l2.ts";
import { allMatches, type MainProcess, spawnMain } from "../helpers/procs.ts";
import { rawExchange } from "../helpers/raw_tcp.ts";

const HOST_BIN = Deno.env.get("ZKVM_HOST_BIN") ?? join(REPO_ROOT, "zkvm/target/release/zkvm-host");
const hostMissing = await Deno.stat(HOST_BIN).then(() => false, () => true);
if (hostMissing) {
  console.log(`SKIP proving end-to-end tests: zkvm-host not found at ${HOST_BIN} (make host)`);
}

interface ServerProc extends AsyncDisposable {
  readonly proc: MainProcess;
  readonly port: number;
}

async function startServer(
  l2: string,
  dataDir: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<ServerProc> {
  const portFile = join(dataDir, `port-${crypto.randomUUID()}`);
  await Deno.mkdir(dataDir, { recursive: true });
  const proc = spawnMain([
    "prover-server",
    "--listen-ip",
    "127.0.0.1",
    "--listen-port",
    "0",
    "--port-file",
    portFile,
    "--l2-rpc",
    l2,
    "--data-dir",
    dataDir,
    "--accept-exec-proofs",
    "--poll-interval",
    "200ms",
    "--from-block",
    String(FIRST),
    ...extra,
  ], env);
  const m = await proc.waitFor(/prover-server listening on 127\.0\.0\.1:(\d+)/);
  assert.equal(Number((await Deno.readTextFile(portFile)).trim()), Number(m[1]));
  return { proc, port: Number(m[1]), [Symbol.asyncDispose]: () => proc.stop().then(() => {}) };
}

function startClient(
  port: number,
  dataDir: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): MainProcess {
  return spawnMain([
    "prover-client",
    "--server",
    `127.0.0.1:${port}`,
    "--interval",
    "200ms",
    "--backend",
    "exec",
    "--host-bin",
    HOST_BIN,
    "--data-dir",
    dataDir,
    ...extra,
  ], env);
}

function handedOut(server: MainProcess): number[] {
  return allMatches(server.output(), /handed out batch (\d+)/).map((m) => Number(m[1]));
}

function proving(client: MainProcess): number[] {
  return allMatches(client.output(), /"proving batch (\d+) /).map((m) => Number(m[1]));
}

const e2e = { sanitizeOps: false, sanitizeResources: false };

// anvil's genesis header commits to an empty state root while its state has funded accounts, so
// block 1 cannot be proved statelessly (lib/witness refuses it): the tests prove from block 2.
const FIRST = 2;
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

Deno.test({
  name: "two clients prove 10 blocks: each block proved once, all 10 stored",
  ignore: hostMissing,
  ...e2e,
  async fn() {
    await using anvil = await startAnvil();
    const head = await mineTransfers(anvil.url, 11);
    assert.equal(head, 11);
    const dir = await Deno.makeTempDir({ prefix: "e2e-two-" });
    await using server = await startServer(anvil.url, join(dir, "server"));
    await using a = startClient(server.port, join(dir, "a"));
    await using b = startClient(server.port, join(dir, "b"));
    const stored = await waitForStored(
      join(dir, "server"),
      10,
      180_000,
      () => server.proc.output(),
    );
    assert.deepEqual(stored, range(2, 11));
    // the rule set, chosen by node identity (anvil), logged once at start
    const rules = /proving under rules (\w+) \[anvil\] = (0x[0-9a-f]{64})/.exec(
      server.proc.output(),
    );
    assert.ok(rules, "the server logs the rules it proves under");
    assert.equal(rules[2], rulesDigest(rules[1], ["anvil"]));
    assert.equal(await a.stop(), 0, "SIGTERM: the client exits 0");
    assert.equal(await b.stop(), 0);
    const provedBy = [...proving(a), ...proving(b)].sort((x, y) => x - y);
    assert.deepEqual(provedBy, range(2, 11), "no block proved twice");
    assert.deepEqual(handedOut(server.proc).sort((x, y) => x - y), provedBy);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "a client killed mid-proof: its lease expires and another client proves the block",
  ignore: hostMissing,
  ...e2e,
  async fn() {
    await using anvil = await startAnvil();
    await mineTransfers(anvil.url, 2);
    const dir = await Deno.makeTempDir({ prefix: "e2e-kill-" });
    // A host that hangs before proving: the client is surely mid-proof when it is killed.
    const slowHost = join(dir, "slow-host.sh");
    const hangPid = join(dir, "hang.pid");
    await Deno.writeTextFile(slowHost, `#!/bin/sh\necho $$ > "${hangPid}"\nexec sleep 600\n`);
    await Deno.chmod(slowHost, 0o755);
    await using server = await startServer(anvil.url, join(dir, "server"), [
      "--prover-timeout",
      "2s",
    ]);
    await using doomed = spawnMain([
      "prover-client",
      "--server",
      `127.0.0.1:${server.port}`,
      "--interval",
      "200ms",
      "--backend",
      "exec",
      "--host-bin",
      slowHost,
      "--data-dir",
      join(dir, "doomed"),
    ]);
    await doomed.waitFor(/"proving batch 2 /);
    // the hanging host has started (so the client is inside runHost) before the kill
    for (let i = 0; i < 300 && !(await Deno.stat(hangPid).then(() => true, () => false)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    doomed.kill("SIGKILL");
    await doomed.exited;
    await using rescuer = startClient(server.port, join(dir, "rescuer"));
    assert.deepEqual(await waitForStored(join(dir, "server"), 1, 60_000), [2]);
    await server.proc.waitFor(/lease of batch 2 held by .* expired/);
    assert.deepEqual(proving(rescuer), [2]);
    assert.deepEqual(handedOut(server.proc), [2, 2]);
    await rescuer.stop();
    // The hanging "host" was the killed client's child and outlived it: end it by its pid.
    const pid = Number((await Deno.readTextFile(hangPid)).trim());
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* already gone */ }
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "SIGTERM mid-proof: the client kills the host child and exits 0",
  ignore: hostMissing,
  ...e2e,
  async fn() {
    await using anvil = await startAnvil();
    await mineTransfers(anvil.url, 2);
    const dir = await Deno.makeTempDir({ prefix: "e2e-sigterm-" });
    const slowHost = join(dir, "slow-host.sh");
    const hangPid = join(dir, "hang.pid");
    await Deno.writeTextFile(slowHost, `#!/bin/sh\necho $$ > "${hangPid}"\nexec sleep 600\n`);
    await Deno.chmod(slowHost, 0o755);
    await using server = await startServer(anvil.url, join(dir, "server"));
    await using proving = spawnMain([
      "prover-client",
      "--server",
      `127.0.0.1:${server.port}`,
      "--backend",
      "exec",
      "--host-bin",
      slowHost,
      "--data-dir",
      join(dir, "c2"),
    ]);
    for (let i = 0; i < 300 && !(await Deno.stat(hangPid).then(() => true, () => false)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const pid = Number((await Deno.readTextFile(hangPid)).trim());
    proving.kill("SIGTERM");
    assert.equal(await proving.exited, 0, proving.output());
    assert.throws(() => Deno.kill(pid, "SIGCONT"), "the host child was killed");
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "the server killed and restarted: no proof lost, none handed out again",
  ignore: hostMissing,
  ...e2e,
  async fn() {
    await using anvil = await startAnvil();
    await mineTransfers(anvil.url, 5);
    const dir = await Deno.makeTempDir({ prefix: "e2e-restart-" });
    const serverDir = join(dir, "server");
    const first = await startServer(anvil.url, serverDir);
    const c1 = startClient(first.port, join(dir, "c1"));
    assert.deepEqual(await waitForStored(serverDir, 4, 120_000), [2, 3, 4, 5]);
    await c1.stop();
    first.proc.kill("SIGKILL");
    await first.proc.exited;
    assert.deepEqual(await storedBlocks(serverDir), [2, 3, 4, 5], "nothing lost in the kill");

    await mineTransfers(anvil.url, 3);
    await using second = await startServer(anvil.url, serverDir);
    await second.proc.waitFor(/resuming: 4 proofs stored/);
    await using c2 = startClient(second.port, join(dir, "c2"));
    assert.deepEqual(await waitForStored(serverDir, 7, 120_000), range(2, 8));
    await c2.stop();
    assert.deepEqual(
      handedOut(second.proc).sort(),
      [6, 7, 8],
      "stored blocks not handed out again",
    );
    assert.deepEqual(proving(c2), [6, 7, 8]);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "a wrong journal or a batch not to be proved is rejected and nothing is stored",
  ...e2e,
  async fn() {
    await using anvil = await startAnvil();
    await mineTransfers(anvil.url, 3);
    const dir = await Deno.makeTempDir({ prefix: "e2e-reject-" });
    await using server = await startServer(anvil.url, dir);
    const addr = { host: "127.0.0.1", port: server.port };
    let block: number | null = null;
    for (let i = 0; i < 300 && block === null; i++) {
      const r = await exchange(addr, { kind: "Request" });
      if (r.kind === "Response") block = r.batchNumber;
      if (block === null) await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(block, 2);
    const wrong = await exchange(addr, {
      kind: "Submit",
      batchNumber: 2,
      proof: fakeProof(fakeFacts(2)),
    });
    assert.equal(wrong.kind === "Error" && wrong.code, "journal_mismatch");
    // Batch 3 was not handed out: its proof is checked like any other (a lease record may have
    // been lost), and this one's journal is not batch 3's.
    const unleased = await exchange(addr, {
      kind: "Submit",
      batchNumber: 3,
      proof: fakeProof(fakeFacts(3)),
    });
    assert.equal(unleased.kind === "Error" && unleased.code, "journal_mismatch");
    // Not a batch this server proves at all.
    const never = await exchange(addr, {
      kind: "Submit",
      batchNumber: 5000,
      proof: fakeProof(fakeFacts(5000)),
    });
    assert.equal(never.kind === "Error" && never.code, "not_handed_out");
    assert.deepEqual(await storedBlocks(dir), []);
    await server.proc.waitFor(/rejected proof of batch 3/);
    assert.match(server.proc.output(), /rejected proof of batch 2: journal last block hash/);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "hostile clients get error replies; a normal Request still gets its answer after each",
  ...e2e,
  async fn(t) {
    await using anvil = await startAnvil();
    await mineTransfers(anvil.url, 2);
    const dir = await Deno.makeTempDir({ prefix: "e2e-hostile-" });
    await using server = await startServer(anvil.url, dir, [
      "--max-message-size",
      "64KiB",
      "--read-timeout",
      "500ms",
    ]);
    const port = server.port;
    const normal = async () => {
      const r = await exchange({ host: "127.0.0.1", port }, { kind: "Request" });
      assert.equal(r.kind, "Response");
    };
    const code = (reply: string) => JSON.parse(reply).Error.code;
    const cases: [string, () => Promise<string>, string | null][] = [
      ["malformed JSON", () => rawExchange(port, "{not json"), "malformed_json"],
      ["unknown variant", () => rawExchange(port, '{"Hello":1}'), "unknown_variant"],
      ["over the size limit", () => rawExchange(port, "x".repeat(200_000)), "too_large"],
      ["sends nothing", () => rawExchange(port, "", { closeWrite: false }), "read_timeout"],
      [
        "trickles bytes",
        () => rawExchange(port, '"Request"', { chunk: 1, delayMs: 100 }),
        "read_timeout",
      ],
      ["abrupt disconnect", () => rawExchange(port, '{"Submit":', { abort: true }), null],
    ];
    for (const [name, send, expected] of cases) {
      await t.step(name, async () => {
        const reply = await send();
        if (expected) assert.equal(code(reply), expected);
        await normal();
      });
    }
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name:
    "with PROVER_SERVER_AUTH_TOKEN set, a client with the token proves and one without is refused",
  ignore: hostMissing,
  ...e2e,
  async fn() {
    await using anvil = await startAnvil();
    await mineTransfers(anvil.url, 2);
    const dir = await Deno.makeTempDir({ prefix: "e2e-auth-" });
    const token = "e2e-" + crypto.randomUUID();
    await using server = await startServer(anvil.url, join(dir, "server"), [], {
      PROVER_SERVER_AUTH_TOKEN: token,
    });
    await using stranger = startClient(server.port, join(dir, "stranger"));
    assert.equal(await stranger.exited, 2, "a refused token is a configuration error");
    assert.match(stranger.output(), /refused our token/);
    await using member = startClient(server.port, join(dir, "member"), [], {
      PROVER_CLIENT_AUTH_TOKEN: token,
    });
    assert.deepEqual(await waitForStored(join(dir, "server"), 1, 60_000), [2]);
    await member.stop();
    assert.ok(!server.proc.output().includes(token), "the token is never logged");
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name:
    "--batch-size 3: a 3-block batch is handed out, proved, stored, its journal spans the blocks",
  ignore: hostMissing,
  ...e2e,
  async fn() {
    await using anvil = await startAnvil();
    await mineTransfers(anvil.url, 4);
    const dir = await Deno.makeTempDir({ prefix: "e2e-batch-" });
    // A long batch timeout: only the full batch 2..4 is cut, never a partial one.
    await using server = await startServer(anvil.url, join(dir, "server"), [
      "--batch-size",
      "3",
      "--batch-timeout",
      "1h",
    ]);
    await using client = startClient(server.port, join(dir, "client"));
    const stored = await waitForStored(join(dir, "server"), 1, 120_000, () => server.proc.output());
    assert.deepEqual(stored, [FIRST], "one batch, numbered by its first block");
    assert.equal(await client.stop(), 0);
    assert.match(server.proc.output(), /handed out batch 2 \(blocks 2\.\.4\)/);
    const file = JSON.parse(
      await Deno.readTextFile(join(dir, "server", "proofs", `batch-${"2".padStart(12, "0")}.json`)),
    );
    assert.equal(file.first_block, 2);
    assert.equal(file.last_block, 4);
    const j = decodeJournal(file.proof.journal);
    const rpc = (method: string, params: unknown[]) =>
      fetch(anvil.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      }).then((r) => r.json()).then((r) => r.result);
    const [parent, last] = await Promise.all([
      rpc("eth_getBlockByNumber", ["0x1", false]),
      rpc("eth_getBlockByNumber", ["0x4", false]),
    ]);
    assert.equal(j.firstBlock, 2n);
    assert.equal(j.lastBlock, 4n);
    assert.equal(j.parentHash, parent.hash);
    assert.equal(j.preStateRoot, parent.stateRoot);
    assert.equal(j.postStateRoot, last.stateRoot);
    assert.equal(j.lastBlockHash, last.hash);
    assert.equal(j.rulesDigest, rulesDigest("bpo1", ["anvil"]));
    assert.equal(file.proof.seal, mockSeal(file.proof.image_id, file.proof.journal));
    await Deno.remove(dir, { recursive: true });
  },
});
