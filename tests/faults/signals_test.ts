/**
 * Fault suite: stuck exchanges and signals. A server that accepts and never answers, a name that
 * does not resolve, SIGTERM while an exchange hangs, kill -9 of a client while its host runs, and
 * a second SIGTERM while a host ignores SIGTERM. Real CLI processes on loopback.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runProverClient } from "../../lib/client/client.ts";
import { fakeProver } from "../helpers/fake_chain.ts";
import { recordFault, silentListener } from "../helpers/fault_matrix.ts";
import { waitUntil } from "../helpers/wait.ts";
import { alive, spawnMain } from "../helpers/procs.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";
import { HOST_BIN, hostMissing, oneBatchServer, spawnClient } from "./harness.ts";

const noHost = await hostMissing("kill -9 host test");

Deno.test("a silent server is logged, retried, and SIGTERM still ends the exchange at once", async () => {
  const silent = silentListener();
  const dataDir = await Deno.makeTempDir();
  try {
    const { log, lines } = memoryLogger();
    const ctrl = new AbortController();
    const run = runProverClient({
      server: { host: "127.0.0.1", port: silent.port },
      intervalMs: 20,
      dataDir,
      prove: fakeProver(0),
      log,
      tty: false,
      timeouts: { request: 200 },
      backoff: { baseMs: 10, maxMs: 20 },
    }, ctrl.signal);
    await waitUntil(
      () => lines.some((l) => l.includes("sent no answer within 200 ms")),
      10_000,
      "log",
    );
    // Now one with a long deadline: the abort alone must end it.
    const ctrl2 = new AbortController();
    const run2 = runProverClient({
      server: { host: "127.0.0.1", port: silent.port },
      intervalMs: 20,
      dataDir: `${dataDir}/2`,
      prove: fakeProver(0),
      log: memoryLogger().log,
      tty: false,
    }, ctrl2.signal);
    const before = silent.accepted();
    await waitUntil(() => silent.accepted() > before, 5_000, "second client connected");
    const t0 = performance.now();
    ctrl.abort();
    ctrl2.abort();
    await Promise.all([run, run2]);
    const ms = performance.now() - t0;
    await recordFault({
      fault: "silent server (accepts, never answers)",
      expected: "timeout logged; abort ends the exchange < 1 s",
      observed: `logged 'sent no answer'; stopped in ${Math.round(ms)} ms`,
      ok: ms < 1000,
    });
    assert.ok(ms < 1000, `abort took ${ms} ms`);
  } finally {
    silent.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("SIGTERM ends a real client stuck on a silent server promptly", async () => {
  const silent = silentListener();
  const dataDir = await Deno.makeTempDir();
  try {
    const client = spawnMain([
      "prover-client",
      "--server",
      `127.0.0.1:${silent.port}`,
      "--data-dir",
      dataDir,
      "--backend",
      "exec",
      "--request-timeout",
      "300ms",
    ]);
    await client.waitFor(/sent no answer within 300 ms/, 60_000);
    const t0 = performance.now();
    client.kill("SIGTERM");
    const code = await client.exited;
    const ms = performance.now() - t0;
    await recordFault({
      fault: "SIGTERM while the exchange hangs",
      expected: "client logs the stuck server, exits < 3 s",
      observed: `logged; exit ${code} after ${Math.round(ms)} ms`,
      ok: ms < 3000 && code === 0,
    });
    assert.ok(ms < 3000, `exit took ${ms} ms:\n${client.output()}`);
    assert.equal(code, 0, client.output());
  } finally {
    silent.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("an unresolvable server name is logged as a DNS failure", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const { log, lines } = memoryLogger();
    const ctrl = new AbortController();
    const run = runProverClient({
      server: { host: "no-such-host.invalid", port: 3000 },
      intervalMs: 20,
      dataDir,
      prove: fakeProver(0),
      log,
      tty: false,
      backoff: { baseMs: 10, maxMs: 20 },
    }, ctrl.signal);
    await waitUntil(() => lines.some((l) => l.includes("unreachable")), 15_000, "log");
    ctrl.abort();
    await run;
    const line = lines.find((l) => l.includes("unreachable")) ?? "";
    const ok = /DNS lookup of 'no-such-host\.invalid' failed/.test(line);
    await recordFault({
      fault: "server name does not resolve",
      expected: "logged as a DNS lookup failure",
      observed: ok ? "logged 'DNS lookup of … failed'" : line.slice(0, 80),
      ok,
    });
    assert.ok(ok, line);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test({
  name: "kill -9 of the client takes its running host with it",
  ignore: noHost,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await using server = await oneBatchServer(join(dir, "server"));
      // A stand-in that becomes the real zkvm-host (exec keeps its pid and parent), reading its
      // input from a FIFO nobody writes: the host runs, blocked, until something kills it.
      const pidFile = join(dir, "host.pid");
      const fifo = join(dir, "input.fifo");
      const script = join(dir, "host.sh");
      await Deno.writeTextFile(
        script,
        `#!/bin/sh\necho $$ > '${pidFile}'\nmkfifo '${fifo}'\n` +
          `exec '${HOST_BIN}' run --input '${fifo}' --output '${dir}/out.json' --backend exec\n`,
      );
      await Deno.chmod(script, 0o755);
      const client = spawnClient(server.port, join(dir, "client"), script);
      await client.waitFor(/proving batch 5/, 60_000);
      await waitUntil(() => Deno.stat(pidFile).then(() => true, () => false), 10_000, "pid file");
      const pid = Number((await Deno.readTextFile(pidFile)).trim());
      await waitUntil(
        () =>
          Deno.readTextFile(`/proc/${pid}/cmdline`).then(
            (c) => c.includes("zkvm-host"),
            () => false,
          ),
        10_000,
        "host exec'd",
      );
      client.kill("SIGKILL");
      await client.exited;
      const ms = await waitUntil(() => !alive(pid), 5_000, `host ${pid} gone`).catch(
        () => -1,
      );
      if (alive(pid)) Deno.kill(pid, "SIGKILL");
      await recordFault({
        fault: "kill -9 of the client while its host runs",
        expected: "host dies with it (PR_SET_PDEATHSIG)",
        observed: ms < 0 ? `host ${pid} still running` : `host gone ${Math.round(ms)} ms after`,
        ok: ms >= 0,
      });
      assert.ok(ms >= 0, `host ${pid} outlived its client`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a second SIGTERM kills a host that ignores SIGTERM, and its children", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await using server = await oneBatchServer(join(dir, "server"));
    const pids = join(dir, "pids");
    const script = join(dir, "stubborn.sh");
    // Ignores SIGTERM, and so does the child it starts: only the group's SIGKILL stops them.
    await Deno.writeTextFile(
      script,
      `#!/bin/sh\ntrap '' TERM INT\nsleep 1000 &\necho "$$ $!" > '${pids}'\nwait\n`,
    );
    await Deno.chmod(script, 0o755);
    const client = spawnClient(server.port, join(dir, "client"), script);
    await client.waitFor(/proving batch 5/, 60_000);
    await waitUntil(
      () => Deno.readTextFile(pids).then((t) => t.trim().split(" ").length === 2, () => false),
      10_000,
      "pids",
    );
    const [sh, child] = (await Deno.readTextFile(pids)).trim().split(" ").map(Number);
    client.kill("SIGTERM");
    await client.waitFor(/SIGTERM received/, 10_000);
    const t0 = performance.now();
    client.kill("SIGTERM");
    const code = await client.exited;
    const exitMs = performance.now() - t0;
    const goneMs = await waitUntil(() => !alive(sh) && !alive(child), 5_000, "gone")
      .catch(() => -1);
    for (const p of [sh, child]) if (alive(p)) Deno.kill(p, "SIGKILL");
    await recordFault({
      fault: "second SIGTERM, host ignores SIGTERM",
      expected: "client exits at once, host group killed",
      observed: `exit ${code} in ${Math.round(exitMs)} ms; ` +
        (goneMs < 0 ? "host or its child still running" : "host and its child gone"),
      ok: goneMs >= 0 && exitMs < 3000,
    });
    assert.ok(goneMs >= 0, "the host's group outlived the client");
    assert.ok(exitMs < 3000, `exit took ${exitMs} ms`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a restarted client removes the work directories its last run left", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const stale = join(dataDir, "client", "work", "batch-9");
    await Deno.mkdir(stale, { recursive: true });
    await Deno.writeTextFile(join(stale, "input.json"), "{}");
    const ctrl = new AbortController();
    ctrl.abort();
    await runProverClient({
      server: { host: "127.0.0.1", port: 1 },
      intervalMs: 20,
      dataDir,
      prove: fakeProver(0),
      log: memoryLogger().log,
      tty: false,
    }, ctrl.signal);
    const gone = await Deno.stat(stale).then(() => false, () => true);
    await recordFault({
      fault: "client restarted after a crash mid-proof",
      expected: "stale work directory removed",
      observed: gone ? "removed" : "still there",
      ok: gone,
    });
    assert.ok(gone);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
