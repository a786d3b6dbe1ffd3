/** Prometheus text rendering of the metrics registry. */
import assert from "node:assert/strict";
import { Registry } from "../../lib/metrics/registry.ts";

Deno.test("counters, gauges and summaries render in Prometheus text format", () => {
  const r = new Registry();
  const c = r.counter("x_total", "things");
  const g = r.gauge("y", "level");
  const s = r.summary("z_ms", "time");
  c.inc({ reason: 'say "hi"' });
  c.inc({ reason: "b" }, 2);
  g.set(7);
  s.observe(3);
  s.observe(5);
  assert.equal(
    r.render(),
    [
      "# HELP x_total things",
      "# TYPE x_total counter",
      'x_total{reason="say \\"hi\\""} 1',
      'x_total{reason="b"} 2',
      "# HELP y level",
      "# TYPE y gauge",
      "y 7",
      "# HELP z_ms time",
      "# TYPE z_ms summary",
      "z_ms_sum 8",
      "z_ms_count 2",
      "",
    ].join("\n"),
  );
  assert.deepEqual(c.byLabel("reason"), { 'say \\"hi\\"': 1, b: 2 });
  assert.deepEqual(s.snapshot(), { sum: 8, count: 2, mean: 4, last: 5 });
  assert.throws(() => r.counter("x_total", "again"));
});

Deno.test("an unset gauge renders NaN and a counter without series renders 0", () => {
  const r = new Registry();
  r.gauge("g", "unset");
  r.counter("c_total", "none yet");
  assert.match(r.render(), /^g NaN$/m);
  assert.match(r.render(), /^c_total 0$/m);
});
