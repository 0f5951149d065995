/**
 * Our replacements of library internals were written against exact versions: when an installed
 * version differs (an update of package.json or package-lock.json), this fails, naming the files to
 * read again against the new version.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PATCHED_LIBRARIES } from '../../server/src/patches/patchedLibraries';
import { REPO_ROOT } from './helpers';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

for (const [library, { version, patches }] of Object.entries(PATCHED_LIBRARIES)) {
  test(`${library}: installed and pinned at ${version}, the version its patches were written for`, () => {
    const installed = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', library, 'package.json'), 'utf8')) as { version: string };
    const files = patches.map((p) => p.file).join(', ');
    assert.equal(installed.version, version, `${library} ${installed.version} is installed; read ${files} again against it, then update server/src/patches/patchedLibraries.ts`);
    assert.equal(manifest.dependencies[library], version, `package.json must pin ${library} exactly (patched in ${files})`);
    for (const patch of patches) {
      const source = fs.readFileSync(path.join(REPO_ROOT, patch.file), 'utf8');
      assert.ok(source.includes(`from '${library}`), `${patch.file} is listed as patching ${library} but does not import it`);
    }
  });
}
