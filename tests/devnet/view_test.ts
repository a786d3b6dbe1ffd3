/** The live view of `up`: a pure rendering of its status record, and the latencies it derives. */
import assert from "node:assert/strict";
import { newStatus, observeL1, renderView, type UpStatus } from "../../lib/devnet/view.ts";

const T0 = 1_700_000_000_000;

function status(): UpStatus {
  return newStatus({
    l2Kind: "anvil",
    backend: "exec",
    backendReason: "risc0 not available: this zkvm-host was built without the risc0 backend",
    dataDir: "/data/up",
  }, T0);
}

Deno.test("renderView: chain marks, prover jobs with segment progress, rates and the log tail", () => {
  const s = status();
  s.phase = "running";
  s.l1Url = "http://127.0.0.1:8545";
  s.l2Url = "http://127.0.0.1:1729";
  s.l2Head = 42;
  s.verifiedAtStart = { batch: 0, lastBlock: 1 };
  observeL1(s, { batch: 5, lastBlock: 11 }, { batch: 0, lastBlock: 1 }, T0);
  observeL1(s, { batch: 6, lastBlock: 13 }, { batch: 4, lastBlock: 9 }, T0 + 30_000);
  s.proved = 5;
  s.txsSent = 120;
  s.provingMs.push(1_500, 2_500);
  s.clients = [
    {
      id: 1,
      proved: 2,
      job: {
        batch: 6,
        firstBlock: 12,
        lastBlock: 13,
        startedAt: T0 + 50_000,
        progress: { kind: "segment", index: 2, total: 4 },
      },
    },
    { id: 2, proved: 3, lastMs: 400 },
  ];
  s.recent.push("INFO  committer: committed batch 6: blocks 12..13");
  const lines = renderView(s, T0 + 60_000, 200);
  const text = lines.join("\n");
  assert.equal(lines[0], "l2-prover up  running  1m00s  data /data/up");
  assert.equal(lines[1], "L1 http://127.0.0.1:8545   L2 anvil http://127.0.0.1:1729");
  assert.match(text, /^fresh chains/m);
  assert.match(text, /^L2 head +42$/m);
  assert.match(text, /^committed +batch 6 \(L2 block 13\)$/m);
  assert.match(text, /^proved +batch 5$/m);
  assert.match(text, /^verified L1 +batch 4 \(L2 block 9\)$/m);
  // 8 blocks in a minute; batches 1..4 committed at T0, verified 30 s later
  assert.match(text, /^this run +4 batches \/ 8 blocks verified, 8\.0 blocks\/min, 120 txs sent$/m);
  assert.match(text, /^per batch +proving 2\.0s avg, commit to L1 verified 30\.0s avg$/m);
  assert.match(text, /^provers \(2\) on exec$/m);
  assert.match(text, /^ {2}why: risc0 not available: .*without the risc0 backend$/m);
  assert.match(
    text,
    /^ {2}prover-1 +proving batch 6 \(blocks 12\.\.13\) +\[#{15}-{5}\] segment 3\/4 +10\.0s$/m,
  );
  assert.match(text, /^ {2}prover-2 +idle +\(3 proved, last 400ms\)$/m);
  assert.match(text, /^ {2}INFO {2}committer: committed batch 6/m);
});

Deno.test("renderView: a continued run says from where; lines fit the width", () => {
  const s = status();
  s.continuedFrom = { batch: 3, lastBlock: 7 };
  s.verifiedAtStart = { batch: 3, lastBlock: 7 };
  observeL1(s, { batch: 3, lastBlock: 7 }, { batch: 3, lastBlock: 7 }, T0);
  const lines = renderView(s, T0, 40);
  assert.match(lines.join("\n"), /^continued from batch 3 \(L2 block 7\) ver…$/m);
  for (const l of lines) assert.ok(l.length <= 40, l);
  assert.match(lines.join("\n"), /^this run +0 batches \/ 0 blocks verif…$/m);
});

Deno.test("observeL1: commit-to-verified latency per batch, each counted once", () => {
  const s = status();
  observeL1(s, { batch: 1, lastBlock: 3 }, { batch: 0, lastBlock: 1 }, T0);
  observeL1(s, { batch: 3, lastBlock: 7 }, { batch: 0, lastBlock: 1 }, T0 + 1_000);
  observeL1(s, { batch: 3, lastBlock: 7 }, { batch: 2, lastBlock: 5 }, T0 + 5_000);
  observeL1(s, { batch: 3, lastBlock: 7 }, { batch: 2, lastBlock: 5 }, T0 + 6_000);
  observeL1(s, { batch: 3, lastBlock: 7 }, { batch: 3, lastBlock: 7 }, T0 + 9_000);
  // batch 1: committed T0, verified T0+5s; batch 2: T0+1s → T0+5s; batch 3: T0+1s → T0+9s
  assert.deepEqual(s.settleMs, [5_000, 4_000, 8_000]);
  assert.equal(s.committedAt.size, 0);
});
