/**
 * A short fuzz run in `npm test` (test/fuzz/fuzzer.ts; `npm run fuzz` runs longer ones and
 * shrinks what they find): two fixed seeds, 15 s each. It fails on any finding: a crash, a
 * hang, an error answer, a handler failure the server logged, or an answer a client cannot use.
 * FUZZ_SECONDS overrides the time (0 skips).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fuzz } from '../fuzz/fuzzer';
import { describeFinding, summary } from '../fuzz/run';

const SECONDS = process.env.FUZZ_SECONDS === undefined ? 15 : Number(process.env.FUZZ_SECONDS);
const SEEDS = [1, 2];

for (const seed of SEEDS) {
  test(
    `fuzz: seed ${seed}, ${SECONDS} s`,
    { skip: SECONDS <= 0 ? 'FUZZ_SECONDS=0' : false, timeout: (SECONDS + 60) * 1000 },
    async () => {
      const report = await fuzz({ seed, seconds: SECONDS, print: (line) => console.log(line) });
      console.log(summary(report));
      assert.ok(report.iterations >= 50, `the run made progress (${report.iterations} changes)`);
      assert.deepEqual(report.findings.map(describeFinding), []);
    },
  );
}
