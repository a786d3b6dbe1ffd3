/**
 * `up` (what `make run` starts): two real anvils, the contracts, the committer, the server, the
 * proof sender and an exec prover. `--blocks 3` exits 0 with a summary read from the L1
 * contract; a second run on the same data directory continues from what was verified; SIGINT
 * stops every child process; on a terminal (tmux) a person sees the live view.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/cli.ts";
import { alive, allMatches, descendants, spawnMain } from "../helpers/procs.ts";

const HOST_BIN = Deno.env.get("ZKVM_HOST_BIN") ?? join(REPO_ROOT, "zkvm/target/release/zkvm-host");
const hostMissing = await Deno.stat(HOST_BIN).then(() => false, () => true);
if (hostMissing) console.log(`SKIP up tests: zkvm-host not found at ${HOST_BIN} (make host)`);

const tmuxMissing = await new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" })
  .output().then((o) => !o.success, () => true);
if (tmuxMissing) {
  console.log("SKIP up live-view test: no tmux (make setup installs it with apt-get)");
}

const upArgs = (dataDir: string, extra: string[]) => [
  "up",
  "--l1-port",
  "0",
  "--l2-port",
  "0",
  "--backend",
  "exec",
  "--host-bin",
  HOST_BIN,
  "--data-dir",
  dataDir,
  ...extra,
];

const SUMMARY =
  /lastVerifiedBatch=(\d+) lastVerifiedBlock=(\d+) \(from L2 block (\d+); lastCommittedBatch=\d+\); (fresh chains|continued from lastVerifiedBatch=(\d+)): (\d+) batches/;

/** The summary line's numbers. */
function summary(out: string) {
  const m = SUMMARY.exec(out);
  assert.ok(m, `no summary line:\n${out}`);
  return {
    batch: Number(m[1]),
    lastBlock: Number(m[2]),
    genesis: Number(m[3]),
    continuedFrom: m[5] === undefined ? undefined : Number(m[5]),
    batchesThisRun: Number(m[6]),
  };
}

/** The pids of the nodes `up` logged, after checking it logged an L1 and an L2 one. */
function nodePids(out: string): number[] {
  const pids = allMatches(out, /(L1|L2) anvil at http:\/\/127\.0\.0\.1:\d+ \(pid (\d+)/);
  assert.deepEqual(pids.map((m) => m[1]), ["L1", "L2"], out);
  return pids.map((m) => Number(m[2]));
}

function assertGone(pids: number[], out: string) {
  for (const pid of pids) {
    assert.equal(alive(pid), false, `pid ${pid} still running after up exited\n${out}`);
  }
}

async function finished(up: { exited: Promise<number>; output(): string }, what: string) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      up.exited,
      new Promise<number>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what} did not finish:\n${up.output()}`)),
          180_000,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test({
  name: "up --blocks 3: batches committed, proved and verified on L1; summary from L1; exit 0",
  ignore: hostMissing,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "e2e-up-" });
    await using up = spawnMain(upArgs(dir, ["--blocks", "3"]));
    const code = await finished(up, "up --blocks 3");
    const out = up.output();
    assert.equal(code, 0, out);
    const s = summary(out);
    assert.equal(s.continuedFrom, undefined, out);
    assert.ok(s.lastBlock - s.genesis >= 3, `only blocks ${s.genesis + 1}..${s.lastBlock}\n${out}`);
    // BatchesVerified events on L1: the summary's batch is the last one they verified.
    const sent = allMatches(
      out,
      /L1 verified batches (\d+)\.\.(\d+) \(L2 blocks to \d+\) in tx 0x/,
    );
    assert.ok(sent.length > 0, out);
    assert.equal(Number(sent[sent.length - 1][2]), s.batch, out);
    assert.match(out, /committed batch 1: blocks/);
    assert.match(out, /proof of batch 1 \(blocks \d+\.\.\d+\) verified and stored/);
    assert.match(out, /client backend: exec \(asked for with --backend\)/);
    assertGone(nodePids(out), out);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "up twice on one data dir: the second run continues the chains and verifies more",
  ignore: hostMissing,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "e2e-up-again-" });
    const runs = [];
    for (const n of [1, 2]) {
      await using up = spawnMain(upArgs(dir, ["--blocks", "2"]));
      assert.equal(await finished(up, `run ${n} of up --blocks 2`), 0, up.output());
      runs.push({ out: up.output(), s: summary(up.output()) });
      assertGone(nodePids(up.output()), up.output());
    }
    const [first, second] = runs;
    const proposer = (out: string) => /OnChainProposer (0x[0-9a-f]{40}):/.exec(out)?.[1];
    assert.equal(proposer(second.out), proposer(first.out), "the deployment is reused");
    assert.match(second.out, /reusing OnChainProposer 0x[0-9a-f]{40}/);
    assert.equal(second.s.continuedFrom, first.s.batch, second.out);
    assert.equal(second.s.genesis, first.s.genesis);
    assert.ok(second.s.batch > first.s.batch, `lastVerifiedBatch did not grow\n${second.out}`);
    assert.ok(second.s.lastBlock - first.s.lastBlock >= 2, second.out);
    // the L2 went on from where it was (its state was saved), and so did the proof store
    assert.match(second.out, /resuming: \d+ proofs stored/);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "up on SIGINT stops every child process and exits 0 with the summary",
  ignore: hostMissing,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "e2e-up-int-" });
    await using up = spawnMain(upArgs(dir, []));
    await up.waitFor(/L1 verified batches 1\.\./, 180_000);
    const children = descendants(up.pid);
    const nodes = nodePids(up.output());
    for (const pid of nodes) assert.ok(children.includes(pid), `node ${pid} not a child of up`);
    up.kill("SIGINT");
    const code = await up.exited;
    const out = up.output();
    assert.equal(code, 0, out);
    summary(out);
    assertGone(children, out);
    await Deno.remove(dir, { recursive: true });
  },
});

/** A tmux server of this test's own (its own socket), so nothing else's sessions are touched. */
class Tmux implements AsyncDisposable {
  readonly socket = `up-test-${Deno.pid}-${Math.random().toString(36).slice(2, 8)}`;
  async run(...args: string[]): Promise<string> {
    const o = await new Deno.Command("tmux", {
      args: ["-L", this.socket, "-f", "/dev/null", ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!o.success) throw new Error(`tmux ${args[0]}: ${new TextDecoder().decode(o.stderr)}`);
    return new TextDecoder().decode(o.stdout);
  }
  /** Runs `up` with `args` in a detached 160x50 session named "up"; the pane then prints EXIT=<code>. */
  startUp(args: string[]): Promise<string> {
    const cmd = [Deno.execPath(), "run", "-A", "main.ts", ...args].map((a) => `'${a}'`).join(" ");
    return this.run(
      "new-session",
      "-d",
      "-s",
      "up",
      "-x",
      "160",
      "-y",
      "50",
      "-c",
      REPO_ROOT,
      `${cmd}; echo "EXIT=$?"; exec cat`,
    );
  }
  /** The visible pane as a person sees it (wrapped lines joined). */
  screen(): Promise<string> {
    return this.run("capture-pane", "-p", "-J", "-t", "up");
  }
  async [Symbol.asyncDispose]() {
    await this.run("kill-server").catch(() => {});
  }
}

Deno.test({
  name: "up --blocks 3 on a terminal (tmux): the live view shows the chain, the provers and why",
  ignore: hostMissing || tmuxMissing,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "e2e-up-tty-" });
    await using tmux = new Tmux();
    await tmux.startUp(upArgs(dir, ["--blocks", "3"]));
    // Poll the screen as a person would glance at it: frames while running, then the end.
    const frames: string[] = [];
    const deadline = Date.now() + 180_000;
    let screen = "";
    while (!/EXIT=\d+/.test(screen)) {
      assert.ok(Date.now() < deadline, `up did not finish in tmux; screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 250));
      screen = await tmux.screen();
      if (/l2-prover up {2}running/.test(screen)) frames.push(screen);
    }
    assert.match(screen, /EXIT=0/, screen);
    assert.ok(frames.length > 0, `never saw the running view; last screen:\n${screen}`);
    assert.match(frames[0], /^L2 head +\d+/m, frames[0]);
    assert.match(frames[0], /^provers \(1\) on exec$/m, frames[0]);
    assert.match(frames[0], /^ {2}why: asked for with --backend$/m, frames[0]);
    assert.match(frames[0], /^ {2}prover-1 +(idle|proving batch \d+)/m, frames[0]);
    // the last frame, then the summary printed below it
    const s = summary(screen);
    assert.match(screen, /^l2-prover up {2}stopped/m, screen);
    assert.match(screen, /^fresh chains/m, screen);
    assert.match(
      screen,
      new RegExp(`^verified L1 +batch ${s.batch} \\(L2 block ${s.lastBlock}\\)$`, "m"),
    );
    assert.match(screen, /^committed +batch \d+ \(L2 block \d+\)$/m, screen);
    assert.match(screen, /^this run +\d+ batches \/ \d+ blocks verified, [\d.]+ blocks\/min/m);
    assert.match(screen, /^per batch +proving \d+(ms|\.\ds) avg, commit to L1 verified/m);
    assert.match(screen, /^log: .*up\.log$/m, screen);
    // the log went to the file, not over the view
    const log = await Deno.readTextFile(join(dir, "up", "up.log"));
    assert.match(log, /L1 verified batches 1\.\./);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "up on a terminal: Ctrl-C (tmux send-keys C-c) stops everything, the view ends, exit 0",
  ignore: hostMissing || tmuxMissing,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "e2e-up-ctrlc-" });
    await using tmux = new Tmux();
    await tmux.startUp(upArgs(dir, []));
    const pane = Number(
      (await tmux.run("display-message", "-p", "-t", "up", "#{pane_pid}")).trim(),
    );
    const until = async (re: RegExp) => {
      const deadline = Date.now() + 180_000;
      for (let screen = "";; screen = await tmux.screen()) {
        if (re.test(screen)) return screen;
        assert.ok(Date.now() < deadline, `screen never matched ${re}:\n${screen}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    await until(/^verified L1 +batch [1-9]/m);
    // the terminal's Ctrl-C reaches the whole foreground process group, as a person's would
    const children = descendants(pane);
    assert.ok(children.length >= 3, `up and its two nodes: ${children}`);
    await tmux.run("send-keys", "-t", "up", "C-c");
    const screen = await until(/EXIT=\d+/);
    assert.match(screen, /EXIT=0/, screen);
    assert.match(screen, /^l2-prover up {2}stopped/m, screen);
    summary(screen);
    assertGone(children, screen);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "up on a terminal that closes (tmux kill-server, SIGHUP): nothing is left running",
  ignore: hostMissing || tmuxMissing,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "e2e-up-hup-" });
    const tmux = new Tmux();
    const cmd = [Deno.execPath(), "run", "-A", "main.ts", ...upArgs(dir, [])]
      .map((a) => `'${a}'`).join(" ");
    await tmux.run("new-session", "-d", "-s", "up", "-x", "160", "-y", "50", "-c", REPO_ROOT, cmd);
    const pane = Number(
      (await tmux.run("display-message", "-p", "-t", "up", "#{pane_pid}")).trim(),
    );
    const deadline = Date.now() + 180_000;
    for (
      let screen = "";
      !/^verified L1 +batch [1-9]/m.test(screen);
      screen = await tmux.screen()
    ) {
      assert.ok(Date.now() < deadline, `no batch verified:\n${screen}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const children = [pane, ...descendants(pane)];
    assert.ok(children.length >= 3, `up and its two nodes: ${children}`);
    await tmux[Symbol.asyncDispose](); // the terminal goes away
    // up stops its nodes (each dumps its state) before it exits: wait for that, not a fixed time
    while (children.some(alive)) {
      assert.ok(Date.now() < deadline, `still running after the hangup: ${children.filter(alive)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // the state it saved on the way out is whole: the next run continues from it
    const saved = JSON.parse(await Deno.readTextFile(join(dir, "up", "deployment.json")));
    assert.match(saved.onChainProposer, /^0x[0-9a-f]{40}$/);
    JSON.parse(await Deno.readTextFile(join(dir, "up", "l2-state.json")));
    await Deno.remove(dir, { recursive: true });
  },
});
