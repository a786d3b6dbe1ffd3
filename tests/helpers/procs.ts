/** Long-running CLI subprocesses for end-to-end tests: spawn, watch their output, kill for sure. */
import { REPO_ROOT } from "./cli.ts";

/** A running `deno run -A main.ts …` subprocess. */
export interface MainProcess extends AsyncDisposable {
  readonly pid: number;
  /** stdout + stderr so far. */
  output(): string;
  /** Resolves once the output matches `re` (fails after `timeoutMs` or if the process exits). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends a signal (ignored when it already exited). */
  kill(sig?: Deno.Signal): void;
  /** Resolves to the exit code. */
  readonly exited: Promise<number>;
  /** SIGTERM, then SIGKILL after 5 s; waits for the exit. */
  stop(): Promise<number>;
}

/** Spawns the CLI with `args`; output is captured (and echoed on failure by the caller). */
export function spawnMain(args: readonly string[], env: Record<string, string> = {}): MainProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${REPO_ROOT}main.ts`, ...args],
    env: { LOG_FORMAT: "json", NO_COLOR: "1", ...env },
    cwd: REPO_ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  const listeners = new Set<() => void>();
  const dec = new TextDecoder();
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s) {
      out += dec.decode(chunk, { stream: true });
      for (const l of listeners) l();
    }
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]).catch(() => {});
  let done = false;
  const exited = child.status.then(async (s) => {
    await pumps;
    done = true;
    for (const l of listeners) l();
    return s.code;
  });
  const kill = (sig: Deno.Signal = "SIGTERM") => {
    try {
      child.kill(sig);
    } catch { /* already exited */ }
  };
  const stop = async () => {
    kill("SIGTERM");
    const t = setTimeout(() => kill("SIGKILL"), 5_000);
    const code = await exited;
    clearTimeout(t);
    return code;
  };
  return {
    pid: child.pid,
    output: () => out,
    exited,
    kill,
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
    waitFor(re, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) {
            finish();
            resolve(m);
          } else if (done) {
            finish();
            reject(new Error(`process exited before output matched ${re}; output:\n${out}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`output did not match ${re} within ${timeoutMs} ms; output:\n${out}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Every match of `re` (with the g flag added) in `text`. */
export function allMatches(text: string, re: RegExp): RegExpMatchArray[] {
  return [
    ...text.matchAll(new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g")),
  ];
}

/** The PIDs of every live descendant of `pid` (children, their children, ...), from /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    let stat: string;
    try {
      stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(e.name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Whether a process with this PID exists (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}
