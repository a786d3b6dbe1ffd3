/** Progress without a terminal: phases are logged, segments at most every 10 s (injected clock). */
import assert from "node:assert/strict";
import { progressView } from "../../lib/client/progress.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

Deno.test("without a terminal, progress becomes throttled log lines", () => {
  const { log, lines } = memoryLogger();
  let t = 1_000;
  const view = progressView(7, log, false, () => t);
  view.update({ kind: "phase", phase: "execute", ms: 12 });
  // 50 segments in the same instant: the first is logged, the rest are throttled
  for (let i = 0; i < 50; i++) view.update({ kind: "segment", index: i, total: 60 });
  t += 9_999;
  view.update({ kind: "segment", index: 50, total: 60 });
  t += 1;
  view.update({ kind: "segment", index: 51, total: 60 });
  view.update({ kind: "phase", phase: "prove", ms: 10_000 });
  view.done();
  const msgs = lines.map((l) => JSON.parse(l).msg);
  assert.deepEqual(msgs, [
    "block 7: execute done",
    "block 7: segment 1/60",
    "block 7: segment 52/60",
    "block 7: prove done",
  ]);
});
