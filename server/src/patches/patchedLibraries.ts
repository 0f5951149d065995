/**
 * The library versions that our replacements of library internals were written against. Each file
 * named here rewrites methods of a class or reads private fields of an exactly pinned library
 * (package.json pins them without a range); a new version can move or change what they replace, so
 * test/unit/patchedLibraries.test.ts fails when an installed version differs from the one below,
 * and the patch must be read again against the new version (and dropped where upstream fixed it).
 * The upstream bug or gap each patch works around is in README.md in this folder, under the
 * heading named by `note`, written so it can be offered upstream.
 */
export interface LibraryPatch {
  /** The source file that patches the library. */
  readonly file: string;
  /** The heading (`## ...`) of its note in server/src/patches/README.md. */
  readonly note: string;
}

export interface PatchedLibrary {
  readonly version: string;
  /** Where it is installed, under node_modules, when not at the top (a copy that a dependency brings). */
  readonly installedAt?: string;
  /** The dependency of package.json that brings it, when it is not one itself (that one pins it exactly). */
  readonly pinnedBy?: string;
  readonly patches: readonly LibraryPatch[];
}

export const PATCHED_LIBRARIES: Readonly<Record<string, PatchedLibrary>> = {
  'dockerfile-ast': {
    version: '0.7.1',
    patches: [
      {
        file: 'server/src/patches/upstreamFixes.ts',
        note: 'dockerfile-ast: variables before the first FROM recurse forever',
      },
      { file: 'server/src/patches/upstreamFixes.ts', note: 'dockerfile-ast: nested ONBUILD triggers' },
      { file: 'server/src/patches/upstreamFixes.ts', note: 'dockerfile-ast: getHeredocs reads past its arguments' },
      {
        file: 'server/src/patches/treeQueries.ts',
        note: 'dockerfile-ast: whole-tree queries rescan the tree on every call',
      },
      {
        file: 'server/src/patches/upstreamParse.ts',
        note: 'dockerfile-utils and dockerfile-language-service: no way to pass a parsed tree',
      },
    ],
  },
  'dockerfile-utils': {
    version: '0.16.3',
    patches: [
      {
        file: 'server/src/patches/upstreamFixes.ts',
        note: 'dockerfile-utils: the stage name check backtracks exponentially',
      },
    ],
  },
  'dockerfile-language-service': {
    version: '0.16.1',
    patches: [
      {
        file: 'server/src/patches/upstreamFixes.ts',
        note: 'dockerfile-language-service: createToken recurses forever',
      },
      {
        file: 'server/src/service/semanticTokens.ts',
        note: 'dockerfile-language-service: semantic tokens are quadratic',
      },
    ],
  },
  'vscode-jsonrpc': {
    version: '9.0.3',
    installedAt: 'vscode-languageserver/node_modules/vscode-jsonrpc',
    pinnedBy: 'vscode-languageserver',
    patches: [
      {
        file: 'server/src/patches/messageReader.ts',
        note: 'vscode-jsonrpc: an unreadable message vanishes without a word',
      },
    ],
  },
};
