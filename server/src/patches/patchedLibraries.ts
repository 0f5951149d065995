/**
 * The library versions that our replacements of library internals were written against. Each file
 * named here rewrites methods of a class or reads private fields of an exactly pinned library
 * (package.json pins them without a range); a new version can move or change what they replace, so
 * test/unit/patchedLibraries.test.ts fails when an installed version differs from the one below,
 * and the patch must be read again against the new version (and dropped where upstream fixed it).
 */
export interface LibraryPatch {
  /** The source file that patches the library. */
  readonly file: string;
  /** What it replaces, and why (the upstream behaviour it works around). */
  readonly reason: string;
}

export interface PatchedLibrary {
  readonly version: string;
  readonly patches: readonly LibraryPatch[];
}

export const PATCHED_LIBRARIES: Readonly<Record<string, PatchedLibrary>> = {
  'dockerfile-ast': {
    version: '0.7.1',
    patches: [
      {
        file: 'server/src/patches/upstreamFixes.ts',
        reason: 'getContainingImage/resolveVariable/getAvailableVariables recurse until the stack overflows for an indented instruction before the first FROM (found by the fuzzer).',
      },
      {
        file: 'server/src/patches/treeQueries.ts',
        reason: 'getFROMs, resolveVariable, getContainingImage, getRawArguments, getVariables, parseVariables and organizeComments rescan the whole tree on every call (quadratic on large files); replaced by answers memoized per parsed tree.',
      },
    ],
  },
  'dockerfile-utils': {
    version: '0.16.3',
    patches: [
      {
        file: 'server/src/patches/upstreamFixes.ts',
        reason: "Validator.checkArguments checks a stage name with a regular expression that backtracks exponentially on a name that does not match; such names get upstream's diagnostic from a linear expression of the same language.",
      },
    ],
  },
  'dockerfile-language-service': {
    version: '0.16.1',
    patches: [
      {
        file: 'server/src/patches/upstreamFixes.ts',
        reason: 'DockerSemanticTokens.createToken recurses until the stack overflows on some escaped line breaks followed by a comment and an empty line (found by the fuzzer).',
      },
      { file: 'server/src/service/semanticTokens.ts', reason: 'Semantic tokens copy the whole token array for every token (quadratic); rewritten token for token in linear time.' },
    ],
  },
};
