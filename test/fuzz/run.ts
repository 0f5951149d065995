/**
 * `npm run fuzz -- [--seed N] [--seconds S] [--bound MS] [--minimize S] [--corpus DIR] [--out DIR]`
 * (scripts/fuzz.mjs bundles and runs this file): one fuzz run against dist/server.js. Prints a
 * summary and every finding; writes each finding (its text, minimised when possible, and the
 * request) to `--out` (default out/fuzz/); exits 1 when there are findings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../lsp/lspClient';
import { Finding, fuzz, FuzzReport } from './fuzzer';

function parse(argv: string[]): {
  seed: number;
  seconds: number;
  bound: number;
  minimize: number;
  corpus?: string;
  out: string;
} {
  const options = {
    seed: 1,
    seconds: 60,
    bound: 5000,
    minimize: 120,
    corpus: undefined as string | undefined,
    out: path.join(REPO_ROOT, 'out', 'fuzz'),
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    const number = () => {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number, got ${value}`);
      return n;
    };
    if (flag === '--seed') options.seed = number();
    else if (flag === '--seconds') options.seconds = number();
    else if (flag === '--bound') options.bound = number();
    else if (flag === '--minimize') options.minimize = number();
    else if (flag === '--corpus') options.corpus = path.resolve(value);
    else if (flag === '--out') options.out = path.resolve(value);
    else
      throw new Error(
        `unknown argument ${argv[i]} (usage: fuzz [--seed N] [--seconds S] [--bound MS] [--minimize S] [--corpus DIR] [--out DIR])`,
      );
  }
  return options;
}

export function summary(report: FuzzReport): string {
  const slowest = Object.entries(report.methods)
    .sort((a, b) => b[1].maxMs - a[1].maxMs)
    .slice(0, 3)
    .map(([method, s]) => `${method.replace(/^textDocument\//, '')} ${Math.round(s.maxMs)} ms`)
    .join(', ');
  return (
    `fuzz: seed ${report.seed}, ${report.iterations} changes and ${report.requests} requests on ${report.seeds} seed files in ${Math.round(report.elapsedMs / 1000)} s, ` +
    `${report.restarts} restart(s), ${report.findings.length} finding(s); slowest answers: ${slowest}`
  );
}

export function describeFinding(finding: Finding): string {
  const text = finding.minimized ?? finding.text;
  return [
    `- ${finding.signature} (seen ${finding.count}x, first at change ${finding.iteration})`,
    `  ${finding.detail.split('\n').slice(0, 6).join('\n  ')}`,
    `  request: ${JSON.stringify(finding.params)?.slice(0, 400)}`,
    `  text${finding.minimized !== undefined ? ' (minimised)' : ''}: ${JSON.stringify(text.length > 600 ? text.slice(0, 600) + '…' : text)}`,
  ].join('\n');
}

async function main(): Promise<number> {
  const options = parse(process.argv.slice(2));
  const report = await fuzz({
    seed: options.seed,
    seconds: options.seconds,
    requestBoundMs: options.bound,
    corpusDir: options.corpus,
    minimizeSeconds: options.minimize,
    print: (line) => console.log(line),
  });
  console.log(summary(report));
  if (report.findings.length === 0) return 0;
  fs.mkdirSync(options.out, { recursive: true });
  report.findings.forEach((finding, i) => {
    console.log(describeFinding(finding));
    const base = path.join(options.out, `seed${report.seed}-${i + 1}-${finding.kind}`);
    fs.writeFileSync(`${base}.Dockerfile`, finding.minimized ?? finding.text);
    // The JSON keeps the exact text (lone surrogates survive JSON escapes, not UTF-8).
    fs.writeFileSync(`${base}.json`, JSON.stringify(finding, null, 2));
  });
  console.log(`fuzz: findings written to ${path.relative(process.cwd(), options.out) || '.'}`);
  return 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(2);
    },
  );
}
