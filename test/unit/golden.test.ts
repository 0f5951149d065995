/**
 * Golden fixtures: every `test/fixtures/<group>/<case>.Dockerfile` (or `<case>.yaml` / `.yml`: a
 * compose file when its name is one Compose reads, such as `docker-compose.fires.yaml`, else a
 * manifest) has `<case>.expected` with one
 * line per diagnostic (see helpers.formatDiagnostic). Where `<case>.fixed.Dockerfile` (`.fixed.yaml`) exists, the
 * preferred quick fix of each of our diagnostics is applied and must give that file. Where
 * `<case>.settings.json` exists, the case runs with those settings (for example a target host).
 * After the fix none of our diagnostics may remain, unless `<case>.fixed.expected` lists the ones
 * that do (another rule's finding that the fix cannot address, such as an old .NET version kept
 * by a rename).
 * `UPDATE_BASELINES=1 npm run test:unit` rewrites the expected files; review the diff.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../../common/links';
import { normaliseSettings } from '../../common/settings';
import { applyEdits, FIXTURES, formatDiagnostic, fixtureService, sortDiagnostics } from './helpers';

const update = process.env.UPDATE_BASELINES === '1';

for (const group of fs.readdirSync(FIXTURES).sort()) {
  const dir = path.join(FIXTURES, group);
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => /\.(Dockerfile|ya?ml)$/.test(f) && !/\.fixed\.[^.]+$/.test(f))
    .sort()) {
    const extension = /\.(Dockerfile|ya?ml)$/.exec(file)![0];
    const name = file.slice(0, -extension.length);
    const { diagnose, service, snapshot } = fixtureService(path.join(dir, file));
    test(`${group}/${name}`, () => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      // `<case>.settings.json`, when present, holds the `windowsContainers` settings the case runs with.
      const settingsFile = path.join(dir, `${name}.settings.json`);
      const settings = normaliseSettings(
        fs.existsSync(settingsFile) ? JSON.parse(fs.readFileSync(settingsFile, 'utf8')) : undefined,
      );
      const actual = sortDiagnostics(diagnose(text, settings)).map(formatDiagnostic).join('\n') + '\n';
      const expectedFile = path.join(dir, `${name}.expected`);
      if (update) fs.writeFileSync(expectedFile, actual);
      assert.ok(fs.existsSync(expectedFile), `missing ${expectedFile}: run with UPDATE_BASELINES=1 and review it`);
      assert.equal(actual, fs.readFileSync(expectedFile, 'utf8'));

      const fixedFile = path.join(dir, `${name}.fixed${extension}`);
      if (fs.existsSync(fixedFile)) {
        const doc = snapshot(text);
        const ours = service.validate(doc, settings).filter((d) => d.source === DIAGNOSTIC_SOURCE);
        assert.ok(ours.length > 0, 'a .fixed fixture needs a diagnostic of ours to fix');
        const edits = ours.flatMap((d) => {
          const actions: CodeAction[] = service.codeActions(doc, d.range, { diagnostics: [d] }, settings);
          const preferred = actions.find((a) => a.isPreferred) ?? actions[0];
          assert.ok(preferred?.edit?.changes, `no quick fix with an edit for: ${d.message}`);
          return preferred.edit.changes[doc.uri];
        });
        const fixed = applyEdits(text, edits);
        if (update) fs.writeFileSync(fixedFile, fixed);
        assert.equal(fixed, fs.readFileSync(fixedFile, 'utf8'));
        const remaining = sortDiagnostics(diagnose(fixed, settings).filter((d) => d.source === DIAGNOSTIC_SOURCE)).map(
          formatDiagnostic,
        );
        const remainingFile = path.join(dir, `${name}.fixed.expected`);
        if (fs.existsSync(remainingFile)) {
          if (update) fs.writeFileSync(remainingFile, remaining.map((line) => `${line}\n`).join(''));
          const listed = fs.readFileSync(remainingFile, 'utf8').split('\n').filter(Boolean);
          assert.ok(listed.length > 0, `${remainingFile} lists nothing: delete it`);
          assert.deepEqual(remaining, listed, 'after the fix, the diagnostics listed in .fixed.expected remain');
        } else {
          assert.deepEqual(remaining, [], 'the fix must make our diagnostics go away');
        }
      }
    });
  }
}
