/**
 * Hostile text: the server never exits, answers every request within a bound, and stays within a
 * memory bound, whatever a document holds (issue 2 "Bad input", issue 8). Each case runs on a
 * server of its own, so its peak memory (VmHWM, Linux) is its own; the figures are printed at the
 * end (docs/reliability.md quotes them). The bounds are what server/src/dockerfile/limits.ts makes
 * hold: documents over 512 Ki characters are not analysed, lines are analysed up to 16 Ki characters.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { FAILURE_LOG, resultProblem } from '../fuzz/fuzzer';
import { startClient, TestClient, withTimeout } from './lspClient';

/** Every request, and the diagnostics of each version, within these. */
const REQUEST_BOUND_MS = 5000;
const DIAGNOSTICS_BOUND_MS = 10_000;
/** Peak resident memory of the server process. */
const MEMORY_BOUND_MB = 768;

const MiB = 1024 * 1024;
const LIMIT = 512 * 1024;
const WINDOWS_LINES = [
  'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build',
  'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]',
  'RUN Invoke-WebRequest https://example.com/x.zip -OutFile x.zip; Expand-Archive x.zip C:\\x',
  'COPY app/ C:\\app\\',
  'ENV PATH="C:\\tools;${PATH}"',
  'WORKDIR C:\\app',
];

function repeatLines(lines: string[], size: number): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const line = lines[i % lines.length];
    out.push(line);
    length += line.length + 1;
  }
  return out.join('\n') + '\n';
}

/** Bytes that are not UTF-8, decoded as VS Code decodes a file it opens as UTF-8: U+FFFD for each bad sequence. */
function invalidUtf8(): string {
  const bytes: number[] = [];
  const good = Buffer.from('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo ');
  for (let i = 0; i < 2000; i++)
    bytes.push(
      ...good,
      0xc3,
      0x28,
      0xa0,
      0xa1,
      0xe2,
      0x28,
      0xa1,
      0xf0,
      0x28,
      0x8c,
      0xbc,
      0xff,
      0xfe,
      0xed,
      0xa0,
      0x80,
      0x0a,
    );
  return new TextDecoder('utf-8').decode(Buffer.from(bytes));
}

const FROM = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n';

const CASES: Record<string, () => string> = {
  '10 MB file': () => repeatLines(WINDOWS_LINES, 10 * MiB),
  '512 KiB file (the limit) of real lines': () => repeatLines(WINDOWS_LINES, LIMIT - 200),
  '1 MB line (over the limit)': () => `${FROM}RUN echo ${'x'.repeat(1_000_000)}\nWORKDIR C:\n`,
  '500 KB line': () => `${FROM}RUN echo ${'x'.repeat(500_000)}\nWORKDIR C:\n`,
  '500 KB line of short words': () => `${FROM}RUN echo ${'ab '.repeat(166_000)}\nWORKDIR C:\n`,
  '500 KB line of escaped quotes, ending in an escape': () =>
    `${FROM}RUN echo ${'\\"'.repeat(250_000)} \\\nWORKDIR C:\n`,
  '500 KB indented line': () => `${FROM}${' '.repeat(300_000)}RUN echo ${'y'.repeat(200_000)}\n`,
  binary: () => Array.from({ length: 65536 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join(''),
  'NUL bytes': () => `${FROM}RUN \u0000\u0000dir\nWORKDIR C:\u0000\n` + '\u0000'.repeat(200_000) + '\nRUN x\u0000y\n',
  'invalid UTF-8 (decoded with replacement characters)': invalidUtf8,
  'lone surrogates': () => `${FROM}RUN echo ${'\ud800'.repeat(50_000)}\nENV A=${'\udc00x'.repeat(50_000)}\n`,
  BOMs: () => `\ufeff\ufeff# escape=\`\n\ufeff${FROM}\ufeffRUN $x\nWORKDIR C:\n` + '\ufeff'.repeat(100_000) + '\n',
  'CR-only line ends': () =>
    (FROM + 'WORKDIR C:\nRUN a \\\n  b\nCOPY a b C:\\\\x\\\\\n').repeat(5000).replace(/\n/g, '\r'),
  'mixed line ends': () =>
    Array.from({ length: 20_000 }, (_, i) => `RUN a${i} \\`)
      .join('\r\n')
      .replace(/(\d)0 \\\r\n/g, '$1 \\\r')
      .replace(/5 \\\r\n/g, '5 \\\n') + '\rFROM x\r\n',
  '10,000 continuation lines': () => `${FROM}RUN a \\\n` + '  b \\\n'.repeat(10_000) + '  c\n',
  '10,000 continuation lines of words and variables': () =>
    `${FROM}ENV A=1\nRUN a \\\n` + '  $A ${A} "q" \\\n'.repeat(10_000) + '  c\n',
  // dockerfile-ast starts an instruction on each of these lines while BuildKit joins them all: read
  // from every start, the joined text was quadratic (4.8 s for 8,000 lines; the fuzzer found it).
  '30,000 lines of only the escape character, after an empty line': () => `${FROM}RUN a\n\n` + ' \\\n'.repeat(30_000),
  // The trigger of an ONBUILD is made anew for each use: its tokens each read the whole line again.
  '100 KB ONBUILD line': () => `${FROM}ONBUILD COPY ${'a '.repeat(50_000)}$X b\n`,
  '10,000 stages, each on the one before': () =>
    FROM.replace('\n', ' AS s0\n') +
    Array.from({ length: 9_999 }, (_, i) => `FROM s${i} AS s${i + 1}\nCOPY --from=s${i} a b\n`).join(''),
  '10,000 ARG-templated stages': () =>
    'ARG B=mcr.microsoft.com/windows/servercore:ltsc2022\n' +
    Array.from({ length: 10_000 }, (_, i) => `FROM $B AS s${i}\nRUN echo $B\n`).join(''),
  'escape runs': () => `${FROM}RUN a ${'\\'.repeat(200_000)}\nRUN b\n# escape=\`\n${'\\ '.repeat(50_000)}\n`,
  'backtick runs under # escape=`': () =>
    `# escape=\`\n${FROM}RUN ${'`'.repeat(200_000)}\nWORKDIR C:\\\nRUN ${'` '.repeat(50_000)}\n`,
  'quote runs': () =>
    `${FROM}RUN "${'"'.repeat(100_000)}\nRUN ${"'".repeat(100_000)}\nRUN ${'\\"'.repeat(50_000)}\nLABEL a="${'\\\\'.repeat(50_000)}\n`,
  'variable runs': () =>
    `${FROM}ENV A=${'${'.repeat(50_000)}\nRUN ${'$A'.repeat(50_000)}\nRUN ${'%PATH%'.repeat(20_000)}\n`,
  'JSON bracket runs': () =>
    `${FROM}CMD ${'['.repeat(100_000)}\nENTRYPOINT ["${'\\\\'.repeat(50_000)}"]\nSHELL [${'"a",'.repeat(30_000)}\n`,
  'rule patterns repeated': () =>
    `FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN powershell ${'[Environment]::SetEnvironmentVariable('.repeat(400)} \\\n`.repeat(
      10,
    ) +
    `ENV PATH=${'C:\\'.repeat(4_000)}\\\\\n`.repeat(10) +
    `RUN ${'usr/'.repeat(3_000)} \\\n`.repeat(10) +
    'RUN x\n',
  'unterminated quotes': () => `${FROM}COPY a b "C:\\app\\\nENV A="x\nLABEL b='y\nWORKDIR "C:\n`,
  'unterminated JSON': () => `${FROM}SHELL ["powershell", "-Command\nCMD ["a", \nENTRYPOINT [\nRUN ["\\\n`,
  'indented instruction with a variable before FROM': () => ' RUN echo $HOME\n\t L $e\n',
  empty: () => '',
  'directive only': () => '# escape=`',
};

/** Peak resident memory of a process in MB (Linux; undefined elsewhere). */
function peakMemoryMb(pid: number | undefined): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Row {
  name: string;
  chars: number;
  diagnosticsMs: number;
  editMs: number;
  slowest: string;
  slowestMs: number;
  peakMb?: number;
}

describe('hostile text: answered within bounds, memory bounded, the server stays up', () => {
  const rows: Row[] = [];
  after(() => {
    console.log('hostile input        | characters | diagnostics | after an edit | slowest request | peak memory');
    for (const r of rows) {
      console.log(
        `${r.name.padEnd(20).slice(0, 40)} | ${String(r.chars).padStart(10)} | ${String(Math.round(r.diagnosticsMs)).padStart(8)} ms | ${String(Math.round(r.editMs)).padStart(10)} ms | ${r.slowest} ${Math.round(r.slowestMs)} ms | ${r.peakMb === undefined ? '-' : Math.round(r.peakMb) + ' MB'}`,
      );
    }
  });

  for (const [name, make] of Object.entries(CASES)) {
    test(name, async () => {
      const text = make();
      const client: TestClient = await startClient({ settings: { catalogue: { liveRefresh: false } } });
      try {
        const uri = `file:///bad/${encodeURIComponent(name)}.Dockerfile`;
        let doc = TextDocument.create(uri, 'dockerfile', 1, text);
        let started = performance.now();
        client.open(uri, text);
        let diagnostics: Diagnostic[] = await client.diagnosticsForVersion(uri, 1, DIAGNOSTICS_BOUND_MS);
        const diagnosticsMs = performance.now() - started;

        // Typing at the end of the first long line, as an editor sends it.
        const line = Math.min(1, doc.lineCount - 1);
        const end = doc.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }) - doc.offsetAt({ line, character: 0 });
        const change = { range: { start: { line, character: end }, end: { line, character: end } }, text: ' z' };
        doc = TextDocument.update(doc, [change], 2);
        started = performance.now();
        await client.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version: 2 },
          contentChanges: [change],
        });
        diagnostics = await client.diagnosticsForVersion(uri, 2, DIAGNOSTICS_BOUND_MS);
        const editMs = performance.now() - started;

        const textDocument = { uri };
        const options = { tabSize: 4, insertSpaces: true };
        const last = doc.positionAt(doc.getText().length);
        const positions = [
          { line: 0, character: 0 },
          { line, character: Math.floor(end / 2) },
          { line, character: end + 1 },
          last,
        ];
        const requests: [string, unknown][] = [
          ['textDocument/documentSymbol', { textDocument }],
          ['textDocument/foldingRange', { textDocument }],
          ['textDocument/semanticTokens/full', { textDocument }],
          ['textDocument/documentLink', { textDocument }],
          ['textDocument/formatting', { textDocument, options }],
          ['textDocument/rangeFormatting', { textDocument, range: { start: positions[0], end: last }, options }],
          [
            'textDocument/codeAction',
            { textDocument, range: { start: positions[0], end: last }, context: { diagnostics } },
          ],
        ];
        for (const position of positions) {
          for (const method of [
            'completion',
            'hover',
            'signatureHelp',
            'definition',
            'documentHighlight',
            'prepareRename',
          ]) {
            requests.push([`textDocument/${method}`, { textDocument, position }]);
          }
          requests.push(['textDocument/onTypeFormatting', { textDocument, position, ch: '\\', options }]);
          requests.push(['textDocument/rename', { textDocument, position, newName: 'X' }]);
        }
        let slowest = '';
        let slowestMs = 0;
        for (const [method, params] of requests) {
          started = performance.now();
          const result = await withTimeout(
            client.connection.sendRequest(method, params),
            REQUEST_BOUND_MS,
            `${name}: ${method}`,
          );
          const ms = performance.now() - started;
          if (ms > slowestMs) [slowest, slowestMs] = [method.replace('textDocument/', ''), ms];
          assert.equal(resultProblem(method, result, doc), undefined, `${method} answers something a client can use`);
        }
        const peakMb = peakMemoryMb(client.process.pid);
        rows.push({ name, chars: text.length, diagnosticsMs, editMs, slowest, slowestMs, peakMb });
        assert.equal(client.process.exitCode, null, 'the server is still running');
        assert.deepEqual(
          client.logs.filter((l) => FAILURE_LOG.test(l)),
          [],
          'no handler failed',
        );
        if (peakMb !== undefined)
          assert.ok(peakMb < MEMORY_BOUND_MB, `peak memory ${Math.round(peakMb)} MB is under ${MEMORY_BOUND_MB} MB`);
        if (text.length > LIMIT)
          assert.equal(
            client.logs.filter((l) => l.includes('is not analysed')).length,
            1,
            'an oversized document is logged once',
          );
      } finally {
        await client.stop();
      }
    });
  }

  test('positions and ranges far past the end, negative or not numbers are clamped to the document', async () => {
    const text = `${FROM}RUN echo hi \\
  there
WORKDIR C:\\app
`;
    const client = await startClient({ settings: { catalogue: { liveRefresh: false } } });
    try {
      const uri = 'file:///bad/positions.Dockerfile';
      const doc = TextDocument.create(uri, 'dockerfile', 1, text);
      client.open(uri, text);
      const diagnostics = await client.diagnosticsForVersion(uri, 1, DIAGNOSTICS_BOUND_MS);
      const textDocument = { uri };
      const options = { tabSize: 4, insertSpaces: true };
      const hostile: unknown[] = [
        { line: 2_147_483_647, character: 0 },
        { line: 50_000_000, character: 50_000_000 },
        { line: 1, character: 2_147_483_647 },
        { line: -5, character: -1 },
        { line: 1.5, character: 'x' },
        { line: null, character: 1e308 },
      ];
      const requests: [string, unknown][] = [];
      for (const end of hostile) {
        const range = { start: { line: 0, character: 0 }, end };
        const reversed = { start: end, end: { line: 0, character: 0 } };
        requests.push(['textDocument/rangeFormatting', { textDocument, range, options }]);
        requests.push(['textDocument/rangeFormatting', { textDocument, range: reversed, options }]);
        const stale = diagnostics.map((d) => ({ ...d, range }));
        requests.push(['textDocument/codeAction', { textDocument, range, context: { diagnostics: stale } }]);
        for (const method of [
          'completion',
          'hover',
          'signatureHelp',
          'definition',
          'documentHighlight',
          'prepareRename',
        ]) {
          requests.push([`textDocument/${method}`, { textDocument, position: end }]);
        }
        requests.push(['textDocument/onTypeFormatting', { textDocument, position: end, ch: '\\', options }]);
        requests.push(['textDocument/rename', { textDocument, position: end, newName: 'X' }]);
      }
      for (const [method, params] of requests) {
        const result = await withTimeout(client.connection.sendRequest(method, params), REQUEST_BOUND_MS, method);
        assert.equal(
          resultProblem(method, result, doc),
          undefined,
          `${method} ${JSON.stringify(params).slice(0, 160)} answers something a client can use`,
        );
      }
      const peakMb = peakMemoryMb(client.process.pid);
      if (peakMb !== undefined) assert.ok(peakMb < 200, `peak memory ${Math.round(peakMb)} MB is under 200 MB`);
      assert.equal(client.process.exitCode, null, 'the server is still running');
      assert.deepEqual(
        client.logs.filter((l) => FAILURE_LOG.test(l)),
        [],
        'no handler failed',
      );
    } finally {
      await client.stop();
    }
  });

  test('a request on a document that was never opened is answered with the empty result', async () => {
    const client = await startClient();
    try {
      const result = await withTimeout(
        client.connection.sendRequest('textDocument/hover', {
          textDocument: { uri: 'file:///never-opened' },
          position: { line: 0, character: 0 },
        }),
        5000,
        'hover',
      );
      assert.equal(result, null);
      assert.equal(client.process.exitCode, null);
    } finally {
      await client.stop();
    }
  });
});

test('a frame without a Content-Length header is logged as an error, and the server goes on', async () => {
  const client = await startClient();
  try {
    const logged = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log within 5 s: ${client.logs.join(' | ')}`)), 5000);
      client.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
        if (/could not be read/.test(params.message)) {
          clearTimeout(timer);
          resolve(`${params.type} ${params.message}`);
        }
      });
    });
    client.process.stdin!.write('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Length: 12\r\n\r\n');
    assert.match(
      await logged,
      /^1 a message could not be read and was dropped: Header must provide a Content-Length property/,
    );
    const uri = 'file:///bad/after-frame.Dockerfile';
    client.open(uri, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n');
    const hover = await withTimeout(
      client.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line: 0, character: 8 },
      }),
      5000,
      'hover',
    );
    assert.ok(hover, 'answered after the bad frame');
  } finally {
    await client.stop();
  }
});
