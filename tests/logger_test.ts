import assert from "node:assert/strict";
import { Logger, LogSink } from "../lib/log/logger.ts";

function capture(format: "human" | "json", level: "debug" | "info" | "warn" | "error" = "info") {
  const lines: string[] = [];
  const dec = new TextDecoder();
  const sink = new LogSink(level, format, (b) => lines.push(dec.decode(b)));
  return { log: new Logger(sink, "test", { worker: 1 }), lines };
}

Deno.test("logger: json lines carry level, component, fields; bigint and errors are readable", () => {
  const { log, lines } = capture("json");
  log.info("block proved", { block: 12n, err: new Error("boom") });
  const obj = JSON.parse(lines[0]);
  assert.equal(obj.level, "info");
  assert.equal(obj.component, "test");
  assert.equal(obj.msg, "block proved");
  assert.equal(obj.block, "12");
  assert.equal(obj.err, "boom");
  assert.equal(obj.worker, 1);
});

Deno.test("logger: lines below the level are dropped; human lines name component and fields", () => {
  const { log, lines } = capture("human", "warn");
  log.info("hidden");
  log.warn("lease expired", { block: 7 });
  assert.equal(lines.length, 1);
  assert.match(lines[0], /WARN\s+test: lease expired {2}worker=1 block=7/);
});
