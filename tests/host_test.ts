/**
 * The host driver. Exit codes, progress lines, arguments and aborts are pinned against small
 * shell scripts standing in for zkvm-host (that tests the driver, not the host); the real host,
 * when built, runs a fixture and rejects tampered inputs with its specific error codes.
 */
import assert from "node:assert/strict";
import { fromRlp, type Hex, keccak256, toRlp } from "viem";
import {
  BackendUnavailableError,
  decodeJournal,
  defaultHostBin,
  encodeJournal,
  HostAbortedError,
  HostBadInputError,
  hostBinExists,
  HostCrashError,
  HostError,
  type HostProgress,
  InvalidBlockError,
  JournalDecodeError,
  journalDigest,
  mockSeal,
  runHost,
} from "../lib/host/mod.ts";
import {
  mergeBlockInputs,
  type ProverInput,
  readProverInput,
  rulesDigest,
} from "../lib/input/mod.ts";
import type { RlpItem } from "../lib/witness/trie.ts";

const FIXTURES = new URL("./fixtures/inputs/", import.meta.url);
const INDEX: {
  file: string;
  node: string;
  fork: string;
  quirks: string[];
  blockNumber: number;
  blockHash: Hex;
  parentHash: Hex;
  preStateRoot: Hex;
  postStateRoot: Hex;
}[] = JSON.parse(await Deno.readTextFile(new URL("index.json", FIXTURES)));
const fixture = (name: string) => readProverInput(new URL(name, FIXTURES).pathname);
const facts = (name: string) => INDEX.find((e) => e.file === name)!;

const JOURNAL = {
  chainId: 31337n,
  firstBlock: 5n,
  lastBlock: 5n,
  parentHash: `0x${"11".repeat(32)}`,
  preStateRoot: `0x${"22".repeat(32)}`,
  postStateRoot: `0x${"33".repeat(32)}`,
  lastBlockHash: `0x${"44".repeat(32)}`,
  rulesDigest: `0x${"66".repeat(32)}`,
} as const;

function resultJson(journal = encodeJournal(JOURNAL)) {
  return {
    version: 1,
    ok: true,
    backend: "exec",
    mode: "exec",
    imageId: null,
    journal,
    journalDigest: journalDigest(journal),
    seal: "0x",
    receipt: null,
    cycles: { total: null, user: null, paging: null, phases: {} },
    segments: 0,
    wallMs: 12.5,
    phases: { decodeMs: 1.2, executeMs: 5.6 },
    block: {
      chainId: 31337,
      number: 5,
      hash: JOURNAL.lastBlockHash,
      parentHash: JOURNAL.parentHash,
      preStateRoot: JOURNAL.preStateRoot,
      postStateRoot: JOURNAL.postStateRoot,
      txCount: 3,
      gasUsed: 63000,
    },
  };
}

const FAKE_HOST = `#!/bin/sh
echo "$@" > "$FAKE_DIR/args"
echo "RISC0_DEV_MODE=\${RISC0_DEV_MODE:-unset}" >> "$FAKE_DIR/args"
out=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--output" ]; then out="$2"; fi
  shift
done
case "$FAKE_MODE" in
  ok)
    echo '{"event":"phase","phase":"decode","ms":1.5}' >&2
    echo 'free-form text the driver ignores' >&2
    echo '{"event":"segment","index":0,"total":null}' >&2
    cp "$FAKE_DIR/result.json" "$out"; exit 0 ;;
  bad) echo '{"event":"error","kind":"bad_input","code":"UnsupportedFork","message":"unsupported fork \\"x\\""}' >&2; exit 2 ;;
  invalid) echo '{"event":"error","kind":"invalid_block","code":"MissingNode","message":"witness lacks node 0xab"}' >&2; exit 3 ;;
  unavailable) echo '{"event":"error","kind":"backend_unavailable","code":"Risc0NotBuilt","message":"risc0 backend not compiled in"}' >&2; exit 4 ;;
  crash) echo "thread 'main' panicked at src/main.rs:1" >&2; exit 1 ;;
  weird) exit 7 ;;
  signal) kill -9 $$ ;;
  noresult) exit 0 ;;
  hang) echo '{"event":"phase","phase":"decode","ms":1}' >&2; exec sleep 30 ;;
esac
`;

/** A fake zkvm-host in a temp dir; `mode` picks its behaviour. */
async function fakeHost() {
  const dir = await Deno.makeTempDir({ prefix: "fake-host-" });
  const bin = `${dir}/zkvm-host`;
  await Deno.writeTextFile(bin, FAKE_HOST);
  await Deno.chmod(bin, 0o755);
  await Deno.writeTextFile(`${dir}/result.json`, JSON.stringify(resultJson()));
  return {
    bin,
    dir,
    env: (mode: string) => ({ FAKE_MODE: mode, FAKE_DIR: dir }),
    args: () => Deno.readTextFile(`${dir}/args`),
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

const TINY: ProverInput = {
  version: 1,
  chainId: 31337,
  fork: "prague",
  block: "0xc0",
  witness: { state: [], codes: [], keys: [], headers: ["0xc0"] },
};

Deno.test("driver: exit 0 reads the result, streams progress, passes the documented arguments", async () => {
  await using fake = await fakeHost();
  const events: HostProgress[] = [];
  const r = await runHost({
    input: TINY,
    backend: "risc0",
    devMode: true,
    receipt: "succinct",
    hostBin: fake.bin,
    env: fake.env("ok"),
    onProgress: (e) => events.push(e),
  });
  assert.equal(r.block.number, 5);
  assert.equal(r.block.postStateRoot, JOURNAL.postStateRoot);
  assert.equal(r.mode, "exec");
  assert.equal(r.phases.executeMs, 5.6);
  assert.deepEqual(events.map((e) => e.event), ["phase", "segment"]);
  const args = await fake.args();
  assert.match(
    args,
    /^run --input \S+input\.json --output \S+result\.json --backend risc0 --receipt succinct\n/,
  );
  assert.match(args, /RISC0_DEV_MODE=1/);
});

Deno.test("driver: the risc0 backend with dev mode off sets RISC0_DEV_MODE=0; exec sets nothing", async () => {
  await using fake = await fakeHost();
  await runHost({
    input: TINY,
    backend: "risc0",
    devMode: false,
    hostBin: fake.bin,
    env: fake.env("ok"),
  });
  assert.match(await fake.args(), /RISC0_DEV_MODE=0/);
  await runHost({ input: TINY, backend: "exec", hostBin: fake.bin, env: fake.env("ok") });
  // exec names the image id its mock seal's claim covers (the built guest's, else zero).
  assert.match(
    await fake.args(),
    /--backend exec --image-id 0x[0-9a-f]{64}\nRISC0_DEV_MODE=unset/,
  );
});

Deno.test("driver: a work dir keeps the input and result files", async () => {
  await using fake = await fakeHost();
  const work = `${fake.dir}/work/job-1`;
  await runHost({
    input: TINY,
    backend: "exec",
    hostBin: fake.bin,
    env: fake.env("ok"),
    workDir: work,
  });
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${work}/input.json`)).fork, "prague");
  assert.ok((await Deno.stat(`${work}/result.json`)).isFile);
});

const EXITS: [
  string,
  new (...a: never[]) => HostError,
  number | null,
  string | undefined,
  RegExp,
][] = [
  [
    "bad",
    HostBadInputError,
    2,
    "UnsupportedFork",
    /rejected the input: UnsupportedFork: unsupported fork/,
  ],
  [
    "invalid",
    InvalidBlockError,
    3,
    "MissingNode",
    /invalid block: MissingNode: witness lacks node 0xab/,
  ],
  ["unavailable", BackendUnavailableError, 4, "Risc0NotBuilt", /unavailable: Risc0NotBuilt/],
  ["crash", HostCrashError, 1, undefined, /failed \(exit 1\): thread 'main' panicked/],
  ["weird", HostCrashError, 7, undefined, /failed \(exit 7\)/],
  ["signal", HostCrashError, null, undefined, /killed by SIGKILL/],
  ["noresult", HostCrashError, 0, undefined, /result file is unreadable/],
];

for (const [mode, type, exitCode, code, message] of EXITS) {
  Deno.test(`driver: host '${mode}' gives ${type.name}`, async () => {
    await using fake = await fakeHost();
    const err = await runHost({
      input: TINY,
      backend: "exec",
      hostBin: fake.bin,
      env: fake.env(mode),
    }).catch((e) => e);
    assert.ok(err instanceof type, `got ${err}`);
    assert.equal(err.exitCode, exitCode);
    assert.equal(err.info?.code, code);
    assert.match(err.message, message);
    if (err instanceof InvalidBlockError) assert.equal(err.code, "MissingNode");
  });
}

Deno.test("driver: a result whose journal contradicts its block fields is a crash", async () => {
  await using fake = await fakeHost();
  const lying = resultJson(encodeJournal({ ...JOURNAL, postStateRoot: `0x${"55".repeat(32)}` }));
  await Deno.writeTextFile(`${fake.dir}/result.json`, JSON.stringify(lying));
  await assert.rejects(
    runHost({ input: TINY, backend: "exec", hostBin: fake.bin, env: fake.env("ok") }),
    (e: Error) => e instanceof HostCrashError && /journal does not match/.test(e.message),
  );
});

Deno.test("driver: a result with an empty journal is a crash", async () => {
  await using fake = await fakeHost();
  await Deno.writeTextFile(`${fake.dir}/result.json`, JSON.stringify(resultJson("0x")));
  await assert.rejects(
    runHost({ input: TINY, backend: "exec", hostBin: fake.bin, env: fake.env("ok") }),
    (e: Error) => e instanceof HostCrashError && /zkvm-host result journal/.test(e.message),
  );
});

Deno.test("driver: a result that breaks the contract names the field", async () => {
  await using fake = await fakeHost();
  const broken = { ...resultJson(), backend: "gpu" };
  await Deno.writeTextFile(`${fake.dir}/result.json`, JSON.stringify(broken));
  await assert.rejects(
    runHost({ input: TINY, backend: "exec", hostBin: fake.bin, env: fake.env("ok") }),
    /backend: expected one of exec, risc0/,
  );
});

Deno.test("driver: abort kills the host and rejects with HostAbortedError", async () => {
  await using fake = await fakeHost();
  const ctl = new AbortController();
  const run = runHost({
    input: TINY,
    backend: "exec",
    hostBin: fake.bin,
    env: fake.env("hang"),
    signal: ctl.signal,
    onProgress: () => ctl.abort(new Error("operator pressed ^C")),
  });
  await assert.rejects(
    run,
    (e: Error) => e instanceof HostAbortedError && /operator pressed/.test(e.message),
  );
});

Deno.test("driver: a missing binary is BackendUnavailableError with the build hint", async () => {
  const err = await runHost({ input: TINY, backend: "exec", hostBin: "/nonexistent/zkvm-host" })
    .catch((e) => e);
  assert.ok(err instanceof BackendUnavailableError);
  assert.match(err.message, /cargo build --release -p zkvm-host/);
});

Deno.test("defaultHostBin: ZKVM_HOST_BIN wins, else this checkout's release build", () => {
  assert.equal(
    defaultHostBin({ get: (k) => (k === "ZKVM_HOST_BIN" ? "/opt/zkvm-host" : undefined) }),
    "/opt/zkvm-host",
  );
  assert.match(defaultHostBin({ get: () => undefined }), /zkvm\/target\/release\/zkvm-host$/);
});

Deno.test("journal: encode/decode round-trip, eight words, sha256 digest", () => {
  const hex = encodeJournal(JOURNAL);
  assert.equal(hex.length, 2 + 256 * 2);
  assert.equal(hex.slice(2, 66), "7a69".padStart(64, "0"));
  assert.deepEqual(decodeJournal(hex), JOURNAL);
  assert.match(journalDigest(hex), /^0x[0-9a-f]{64}$/);
  assert.throws(() => decodeJournal(`${hex}00`), JournalDecodeError);
  assert.throws(() => decodeJournal("0x1234"), /journal must be 256 bytes/);
});

// ---- the real host ----

const HOST = defaultHostBin();
const haveHost = hostBinExists(HOST);
if (!haveHost) {
  console.log(`real-host tests skipped: no zkvm-host at ${HOST} (build it or set ZKVM_HOST_BIN)`);
}

Deno.test({
  name: "real host: every fixture verifies and its journal says what the node says",
  ignore: !haveHost,
  async fn() {
    assert.ok(INDEX.some((f) => f.node === "geth"), "fixtures from a spec node (geth) too");
    for (const f of INDEX) {
      const r = await runHost({ input: await fixture(f.file), backend: "exec", hostBin: HOST });
      const j = decodeJournal(r.journal);
      const at = `${f.file}: `;
      assert.equal(j.firstBlock, BigInt(f.blockNumber), at + "first block");
      assert.equal(j.lastBlock, BigInt(f.blockNumber), at + "last block");
      assert.equal(j.lastBlockHash, f.blockHash, at + "block hash");
      assert.equal(j.rulesDigest, rulesDigest(f.fork, f.quirks), at + "rules digest");
      assert.equal(j.parentHash, f.parentHash, at + "parent hash");
      assert.equal(j.preStateRoot, f.preStateRoot, at + "pre-state root");
      assert.equal(j.postStateRoot, f.postStateRoot, at + "post-state root");
      assert.equal(r.journalDigest, journalDigest(r.journal), at + "journal digest");
    }
  },
});

/** Runs the real host on a modified fixture and returns the typed error. */
async function rejectWith(input: ProverInput) {
  return await runHost({ input, backend: "exec", hostBin: HOST }).then(() => undefined, (e) => e);
}

const items = (rlp: Hex) => fromRlp(rlp, "hex") as RlpItem[];
// deno-lint-ignore no-explicit-any
const rlp = (x: RlpItem[]) => toRlp(x as any);

Deno.test({
  name: "real host: a tampered transaction is an invalid block (TransactionsRootMismatch)",
  ignore: !haveHost,
  async fn() {
    const input = await fixture("bpo1-transfers-2.json");
    const block = items(input.block);
    const txs = block[1] as RlpItem[];
    const legacy = txs.findIndex((t) => Array.isArray(t));
    const tx = [...(txs[legacy] as RlpItem[])];
    tx[4] = "0x0de0b6b3a7640001"; // value: 1 ether + 1 wei instead of 1 ether
    txs[legacy] = tx;
    const err = await rejectWith({ ...input, block: rlp(block) });
    assert.ok(err instanceof InvalidBlockError, `got ${err}`);
    assert.equal(err.code, "TransactionsRootMismatch");
  },
});

Deno.test({
  name: "real host: a removed witness node is an invalid block (MissingNode)",
  ignore: !haveHost,
  async fn() {
    const name = "bpo1-storage-6.json";
    const input = await fixture(name);
    const root = facts(name).preStateRoot;
    const state = input.witness.state.filter((n) => keccak256(n) !== root);
    assert.equal(state.length, input.witness.state.length - 1);
    const err = await rejectWith({ ...input, witness: { ...input.witness, state } });
    assert.ok(err instanceof InvalidBlockError, `got ${err}`);
    assert.equal(err.code, "MissingNode");
  },
});

Deno.test({
  name:
    "real host: a changed witness node is an invalid block (MissingNode: nodes are found by hash)",
  ignore: !haveHost,
  async fn() {
    const name = "bpo1-storage-6.json";
    const input = await fixture(name);
    const root = facts(name).preStateRoot;
    const state = input.witness.state.map((n) => {
      if (keccak256(n) !== root) return n;
      const branch = items(n);
      const i = branch.findIndex((c) => typeof c === "string" && c.length === 66);
      branch[i] = keccak256(branch[i] as Hex); // point a child elsewhere
      return rlp(branch);
    });
    const err = await rejectWith({ ...input, witness: { ...input.witness, state } });
    assert.ok(err instanceof InvalidBlockError, `got ${err}`);
    assert.equal(err.code, "MissingNode");
  },
});

Deno.test({
  name: "real host: a wrong parent header is an invalid block (MissingParentHeader)",
  ignore: !haveHost,
  async fn() {
    const input = await fixture("bpo1-storage-6.json");
    const headers = [...input.witness.headers];
    const parent = items(headers[headers.length - 1]);
    parent[3] = `0x${"ab".repeat(32)}`; // a different state root
    headers[headers.length - 1] = rlp(parent);
    const err = await rejectWith({ ...input, witness: { ...input.witness, headers } });
    assert.ok(err instanceof InvalidBlockError, `got ${err}`);
    assert.equal(err.code, "MissingParentHeader");
  },
});

Deno.test({
  name: "real host: an unsupported fork is bad input (exit 2)",
  ignore: !haveHost,
  async fn() {
    const input = await fixture("bpo1-storage-6.json");
    const err = await rejectWith({ ...input, fork: "frontier" });
    assert.ok(err instanceof HostBadInputError, `got ${err}`);
    assert.equal(err.exitCode, 2);
    assert.equal(err.info?.code, "UnsupportedFork");
  },
});

Deno.test({
  name: "real host: a 2-block batch merged from per-block inputs proves the span, with a mock seal",
  ignore: !haveHost,
  async fn() {
    const names = ["prague-storage-5.json", "prague-storage-6.json"];
    const parts = await Promise.all(names.map(fixture));
    const batch = mergeBlockInputs(parts);
    assert.equal(batch.blocks.length, 2);
    const imageId = `0x${"ab".repeat(32)}` as const;
    const r = await runHost({ input: batch, backend: "exec", hostBin: HOST, imageId });
    const [a, b] = names.map(facts);
    const j = decodeJournal(r.journal);
    assert.equal(j.firstBlock, BigInt(a.blockNumber));
    assert.equal(j.lastBlock, BigInt(b.blockNumber));
    assert.equal(j.parentHash, a.parentHash);
    assert.equal(j.preStateRoot, a.preStateRoot);
    assert.equal(j.postStateRoot, b.postStateRoot);
    assert.equal(j.lastBlockHash, b.blockHash);
    assert.deepEqual(r.batch?.blocks.map((x) => x.number), [a.blockNumber, b.blockNumber]);
    assert.equal(r.imageId, imageId);
    assert.equal(r.seal, mockSeal(imageId, r.journal));
    // Out of order, the chain does not link: an invalid block, named.
    const swapped = mergeBlockInputs([parts[1], parts[0]]);
    await assert.rejects(
      runHost({ input: swapped, backend: "exec", hostBin: HOST }),
      (e: Error) => e instanceof InvalidBlockError,
    );
  },
});
