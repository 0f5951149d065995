/**
 * The corpus check: runs the service over the real Dockerfiles in ../shared/corpus (windows/ and
 * linux/ controls) and compares every finding with test/corpus/expected-findings.json, so each
 * diagnostic on those files has been read and judged. Also checks that no Linux control has a
 * stage taken for Windows and that no Windows rule fires there. The compose/ and kubernetes/
 * folders run through the server's routing (compose files as the `dockercompose` language,
 * manifests as `yaml` under their original path from SOURCES.tsv): files of kind `linux` or
 * `other` (workflows, Helm values, CI files) must get no finding at all. Skips with a notice when the
 * corpus folder is absent. `CORPUS_DIR` overrides the folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ValidationCode } from 'dockerfile-utils';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../../common/links';
import { normaliseSettings } from '../../common/settings';
import { createWindowsDockerfileService } from '../../server/src/service/languageService';
import { withComposeAndKubernetes } from '../../server/src/service/yaml/routedService';

interface ExpectedFinding {
  file: string;
  line: number;
  code: string;
  judgement: string;
}

const REPO_ROOT = path.resolve(__dirname, '../../..');
const CORPUS = path.resolve(process.env.CORPUS_DIR ?? path.join(REPO_ROOT, '..', 'shared', 'corpus'));
const EXPECTED = path.join(REPO_ROOT, 'test', 'corpus', 'expected-findings.json');
/**
 * The findings were judged on this date; lifecycle rules would change them as support ends
 * (Server Core ltsc2016 after 2027-01-12), so the check runs on it. Re-judge and move it forward
 * when the catalogue's dates are reviewed.
 */
const JUDGED_ON = '2026-12-06';

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? walk(path.join(dir, entry.name))
        : entry.name === 'SOURCES.tsv'
          ? []
          : [path.join(dir, entry.name)],
    )
    .sort();
}

function codeOf(d: Diagnostic): string {
  return typeof d.code === 'number' ? `${d.source}:${ValidationCode[d.code] ?? d.code}` : `${d.source}:${d.code}`;
}

function main(): number {
  if (!fs.existsSync(path.join(CORPUS, 'windows')) || !fs.existsSync(path.join(CORPUS, 'linux'))) {
    console.log(`corpus: skipped, no corpus at ${CORPUS} (it lives in ../shared/corpus beside the repository)`);
    return 0;
  }
  const expected: ExpectedFinding[] = JSON.parse(fs.readFileSync(EXPECTED, 'utf8')).findings;
  const key = (f: { file: string; line: number; code: string }) => `${f.file}:${f.line} ${f.code}`;
  const expectedKeys = new Set(expected.map(key));
  const service = createWindowsDockerfileService({
    log: (message) => problems.push(`service logged: ${message}`),
    today: () => JUDGED_ON,
  });
  const settings = normaliseSettings(undefined);
  const problems: string[] = [];
  const seen = new Set<string>();
  let files = 0;
  let windowsStages = 0;
  let stages = 0;
  let findings = 0;
  for (const group of ['windows', 'linux'] as const) {
    for (const file of walk(path.join(CORPUS, group))) {
      files++;
      const relative = path.relative(CORPUS, file).split(path.sep).join('/');
      const snapshot = { uri: `file://${file}`, version: 1, text: fs.readFileSync(file, 'utf8') };
      const parsed = service.parse(snapshot);
      stages += parsed.stages.length;
      windowsStages += parsed.stages.filter((s) => s.os === 'windows').length;
      if (group === 'linux') {
        for (const stage of parsed.stages.filter((s) => s.os === 'windows')) {
          problems.push(
            `${relative}:${stage.from.getRange().start.line + 1} Linux control taken for Windows (${stage.osReason})`,
          );
        }
      }
      for (const diagnostic of service.validate(snapshot, settings)) {
        findings++;
        const finding = { file: relative, line: diagnostic.range.start.line + 1, code: codeOf(diagnostic) };
        seen.add(key(finding));
        if (group === 'linux' && diagnostic.source === DIAGNOSTIC_SOURCE) {
          problems.push(`${key(finding)} a Windows rule fired on a Linux control: ${diagnostic.message}`);
        } else if (!expectedKeys.has(key(finding))) {
          problems.push(`${key(finding)} not in expected-findings.json: ${diagnostic.message}`);
        }
      }
    }
  }
  // Compose files and manifests, by the kind SOURCES.tsv gives each (windows, linux or other).
  // The note on a templated compose file or manifest (skipped, as it should be) is not a problem.
  const routed = withComposeAndKubernetes(service, {
    log: (message) => void (/is not analysed: a template/.test(message) || problems.push(`service logged: ${message}`)),
    today: () => JUDGED_ON,
  });
  for (const [group, languageId] of [
    ['compose', 'dockercompose'],
    ['kubernetes', 'yaml'],
  ] as const) {
    const sources = path.join(CORPUS, group, 'SOURCES.tsv');
    if (!fs.existsSync(sources)) continue;
    for (const row of fs
      .readFileSync(sources, 'utf8')
      .split('\n')
      .slice(1)
      .filter((line) => line.trim())) {
      const [name, , original, , , kind] = row.split('\t');
      const file = path.join(CORPUS, group, name);
      if (!fs.existsSync(file)) continue;
      files++;
      const relative = `${group}/${name}`;
      // The original path decides a manifest's route (a compose file by name), as in an editor.
      const snapshot = {
        uri: `file://${path.dirname(file)}/${encodeURIComponent(path.basename(original))}`,
        version: 1,
        text: fs.readFileSync(file, 'utf8'),
        languageId,
      };
      for (const diagnostic of routed.validate(snapshot, settings)) {
        findings++;
        const finding = { file: relative, line: diagnostic.range.start.line + 1, code: codeOf(diagnostic) };
        seen.add(key(finding));
        if (kind !== 'windows')
          problems.push(`${key(finding)} a finding on a ${kind} ${group} file: ${diagnostic.message}`);
        else if (!expectedKeys.has(key(finding)))
          problems.push(`${key(finding)} not in expected-findings.json: ${diagnostic.message}`);
      }
    }
  }
  for (const finding of expected) {
    if (!seen.has(key(finding)))
      problems.push(`${key(finding)} is expected but no longer reported: remove it from expected-findings.json`);
  }
  console.log(
    `corpus (judged on ${JUDGED_ON}): ${files} files, ${stages} stages (${windowsStages} Windows), ${findings} findings, all judged: ${problems.length === 0 ? 'yes' : 'no'}`,
  );
  for (const problem of problems) console.error(`corpus: ${problem}`);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = main();
