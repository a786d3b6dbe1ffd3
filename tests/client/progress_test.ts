/** Progress without a terminal: phases are logged, segments at most every 10 s. */
import assert from "node:assert/strict";
import { progressView } from "../../lib/client/progress.ts";
import { memoryLogger } from "../helpers/quiet_log.ts";

Deno.test("without a terminal, progress becomes throttled log lines", () => {
  const { log, lines } = memoryLogger();
  const view = progressView(7, log, false);
  view.update({ kind: "phase", phase: "execute", ms: 12 });
  for (let i = 0; i < 50; i++) view.update({ kind: "segment", index: i, total: 50 });
  view.done();
  const msgs = lines.map((l) => JSON.parse(l).msg);
  assert.equal(msgs[0], "block 7: execute done");
  assert.ok(msgs.length <= 2, `segments are throttled: ${msgs.join(" | ")}`);
});
