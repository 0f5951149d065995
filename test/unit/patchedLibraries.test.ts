/**
 * Our replacements of library internals were written against exact versions: when an installed
 * version differs (an update of package.json or package-lock.json), this fails, naming the files to
 * read again against the new version. Each patch has its note in server/src/patches/README.md.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PATCHED_LIBRARIES } from '../../server/src/patches/patchedLibraries';
import { REPO_ROOT } from './helpers';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const notes = fs.readFileSync(path.join(REPO_ROOT, 'server/src/patches/README.md'), 'utf8');

for (const [library, { version, installedAt, pinnedBy, patches }] of Object.entries(PATCHED_LIBRARIES)) {
  test(`${library}: installed and pinned at ${version}, the version its patches were written for`, () => {
    const installed = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'node_modules', installedAt ?? library, 'package.json'), 'utf8'),
    ) as { version: string };
    const files = [...new Set(patches.map((p) => p.file))].join(', ');
    assert.equal(
      installed.version,
      version,
      `${library} ${installed.version} is installed; read ${files} again against it, then update server/src/patches/patchedLibraries.ts`,
    );
    const direct = pinnedBy ?? library;
    assert.match(
      manifest.dependencies[direct] ?? '',
      /^\d+\.\d+\.\d+$/,
      `package.json must pin ${direct} exactly (${library} is patched in ${files})`,
    );
    for (const patch of patches) {
      const source = fs.readFileSync(path.join(REPO_ROOT, patch.file), 'utf8');
      assert.ok(
        source.includes(`from '${direct}`),
        `${patch.file} is listed as patching ${library} but does not import ${direct}`,
      );
      assert.ok(
        notes.includes(`\n## ${patch.note}\n`),
        `server/src/patches/README.md has no note "## ${patch.note}" for ${patch.file}`,
      );
    }
  });
}

test('every note of server/src/patches/README.md belongs to a listed patch', () => {
  const listed = new Set(Object.values(PATCHED_LIBRARIES).flatMap((library) => library.patches.map((p) => p.note)));
  const headings = [...notes.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  assert.deepEqual(
    headings.filter((heading) => !listed.has(heading)),
    [],
  );
});

test('no module imports a patch module for its side effect, and only the fence installs patches', () => {
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) sources.push(file);
    }
  };
  walk(path.join(REPO_ROOT, 'server/src'));
  for (const file of sources) {
    const text = fs.readFileSync(file, 'utf8');
    const relative = path.relative(REPO_ROOT, file);
    assert.doesNotMatch(
      text,
      /^import '[^']*patches[^']*';/m,
      `${relative} imports a patch module for its side effect`,
    );
    if (!relative.startsWith(path.join('server', 'src', 'patches'))) {
      assert.doesNotMatch(
        text,
        /from '[^']*patches\/(upstreamFixes|messageReader)'/,
        `${relative} reaches a patch past installLibraryPatches()`,
      );
    }
  }
});
