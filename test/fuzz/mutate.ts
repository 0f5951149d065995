/**
 * Mutations of Dockerfile text for the fuzzer: each returns one change (an offset range of the
 * current text and its replacement), as an editor would send it, so the server sees incremental
 * edits. Weighted toward what Dockerfile parsers find hard: escape characters at line ends, quotes,
 * JSON brackets, variables, heredocs, directives, line breaks of every kind, and odd code units.
 */
import { Random } from './random';

export interface Change {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly kind: string;
}

const KEYWORDS = [
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
  'from',
  'run',
  'Copy',
];

const TOKENS = [
  ...KEYWORDS.map((k) => `${k} `),
  '\\',
  '\\\\',
  '`',
  '``',
  '"',
  "'",
  '[',
  ']',
  '["',
  '"]',
  '", "',
  '{',
  '}',
  '${',
  '$',
  '%',
  '%PATH%',
  '${PATH}',
  '$env:PATH',
  '${VAR:-default}',
  '${VAR:+x}',
  '=',
  ':',
  ',',
  ';',
  '&&',
  '||',
  '|',
  '>',
  '<',
  '<<EOF',
  '<<-EOT',
  'EOF',
  'RUN <<--',
  '--',
  '<<',
  '<<-',
  'RUN <<',
  'COPY <<-- x',
  '<<"EOF"',
  "<<'EOF'",
  '#',
  '# escape=`',
  '# escape=\\',
  '# syntax=docker/dockerfile:1',
  '# check=skip=all',
  '--from=',
  '--from=build',
  '--chown=1000:1000',
  '--chmod=755',
  '--platform=windows/amd64',
  '--platform=linux/arm64',
  '--platform=$TARGETPLATFORM',
  '--mount=type=cache,target=/root',
  '--network=none',
  '--link',
  '--interval=30s',
  '--retries=3',
  'AS ',
  ' AS build',
  ' as base',
  'mcr.microsoft.com/windows/servercore:ltsc2022',
  'mcr.microsoft.com/windows/nanoserver:1809',
  'mcr.microsoft.com/windows/servercore:ltsc2016',
  'mcr.microsoft.com/windows/server:ltsc2025',
  'mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022',
  'mcr.microsoft.com/dotnet/framework/sdk:4.8',
  'microsoft/windowsservercore',
  'mcr.microsoft.com/windows/servercore',
  ':latest',
  '@sha256:',
  'scratch',
  'alpine:3.20',
  'ubuntu',
  'C:\\',
  'C:',
  'c:/app/',
  'C:\\Windows\\System32\\',
  '\\app',
  'D:\\data',
  'HKLM:\\Software',
  'C:\\Program Files\\',
  'powershell -Command ',
  'pwsh -c ',
  'cmd /S /C ',
  'setx /M PATH ',
  "$ErrorActionPreference = 'Stop'; ",
  "$ProgressPreference = 'SilentlyContinue'; ",
  '["powershell", "-Command"]',
  '["cmd", "/S", "/C"]',
  "[Environment]::SetEnvironmentVariable('A', 'b', 'Machine')",
  'apt-get install -y curl',
  'rm -rf /tmp',
  'chmod +x',
  'Install-WindowsFeature Web-Server',
  'msiexec /i',
  'Invoke-WebRequest ',
  'SIGTERM',
  'SIGKILL',
  'CMD-SHELL',
  'NONE',
  'ARG TAG=ltsc2022',
  'FROM mcr.microsoft.com/windows/servercore:$TAG',
  'ENV PATH="C:\\tools;${PATH}"',
];

const CHARS = [
  ' ',
  ' ',
  ' ',
  '\t',
  '\n',
  '\n',
  '\r\n',
  '\r',
  '\\',
  '`',
  '"',
  "'",
  '$',
  '{',
  '}',
  '[',
  ']',
  ',',
  '=',
  ':',
  '#',
  '-',
  '/',
  '@',
  '&',
  '|',
  ';',
  '(',
  ')',
  '%',
  '*',
  'a',
  'Z',
  '0',
  '9',
  '_',
  '.',
  '\u0000',
  '\u0001',
  '\u001b',
  '\u007f',
  '\u00a0',
  '\u00e9',
  '\ufeff',
  '\ufffd',
  '\u2028',
  '\u200b',
  '\ud83d\udc33',
  '\ud800',
  '\udc00',
  '\uffff',
];

const BREAKS = ['\n', '\r\n', '\r'];

/** Offsets of line starts (`\r\n`, `\r`, `\n`), as LSP counts lines. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (c === 10 || c === 13) starts.push(i + 1);
  }
  return starts;
}

function randomRun(random: Random): string {
  const unit = random.weighted<string>([
    [3, random.pick(CHARS)],
    [2, random.pick(TOKENS)],
    [
      1,
      random.pick([
        '\\',
        '`',
        '"',
        "'",
        '\\"',
        '${',
        '[',
        '%',
        ' \\\n',
        ' `\n',
        '\\\\\n',
        '<<',
        '\n<<',
        '\n--',
        '\nRUN <<--',
      ]),
    ],
  ]);
  const count = random.weighted<number>([
    [10, 1],
    [4, random.int(2, 8)],
    [2, random.int(9, 200)],
    [1, random.int(201, 3000)],
  ]);
  return unit.repeat(count);
}

/** One random change of `text`, possibly borrowing lines from `donor` (another real Dockerfile). */
export function mutate(random: Random, text: string, donor: string): Change {
  const starts = lineStarts(text);
  const anyOffset = () => random.int(0, text.length);
  const line = random.int(0, starts.length - 1);
  const lineStart = starts[line];
  const lineEnd = line + 1 < starts.length ? starts[line + 1] : text.length;
  const inLine = () => random.int(lineStart, lineEnd);
  const kind = random.weighted<string>([
    [12, 'insert-token'],
    [10, 'insert-chars'],
    [8, 'delete-range'],
    [6, 'replace-char'],
    [5, 'line-end-escape'],
    [4, 'duplicate-line'],
    [4, 'donor-line'],
    [3, 'delete-line'],
    [3, 'swap-break'],
    [2, 'case-flip'],
    [2, 'insert-run'],
    [1, 'directive'],
    [1, 'all-breaks'],
    [1, 'truncate'],
  ]);
  switch (kind) {
    case 'insert-token': {
      const at = random.chance(0.5) ? inLine() : anyOffset();
      return { start: at, end: at, text: random.pick(TOKENS), kind };
    }
    case 'insert-chars': {
      const at = inLine();
      let s = '';
      for (let n = random.int(1, 6); n > 0; n--) s += random.pick(CHARS);
      return { start: at, end: at, text: s, kind };
    }
    case 'insert-run': {
      const at = inLine();
      return { start: at, end: at, text: randomRun(random), kind };
    }
    case 'delete-range': {
      const a = anyOffset();
      const b = Math.min(
        text.length,
        a +
          random.weighted<number>([
            [6, random.int(1, 5)],
            [3, random.int(6, 80)],
            [1, random.int(81, 2000)],
          ]),
      );
      return { start: a, end: b, text: '', kind };
    }
    case 'replace-char': {
      const a = Math.min(anyOffset(), Math.max(0, text.length - 1));
      return { start: a, end: Math.min(text.length, a + 1), text: random.pick(CHARS), kind };
    }
    case 'line-end-escape': {
      // Where a line ends: the escape character, an escaped one, blanks after it, a comment after it.
      let end = lineEnd;
      while (end > lineStart && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
      return {
        start: end,
        end,
        text: random.pick([
          '\\',
          '`',
          '\\\\',
          '``',
          ' \\',
          '\\ ',
          '\\\t ',
          ' `',
          '\\\n#c\n',
          '\\\n\n',
          '\\\r\n \\\r\n',
        ]),
        kind,
      };
    }
    case 'duplicate-line': {
      const content = text.slice(lineStart, lineEnd);
      return {
        start: lineEnd,
        end: lineEnd,
        text: content === '' || /[\r\n]$/.test(content) ? content : '\n' + content,
        kind,
      };
    }
    case 'donor-line': {
      const donorStarts = lineStarts(donor);
      const d = random.int(0, donorStarts.length - 1);
      const slice = donor.slice(
        donorStarts[d],
        donorStarts[Math.min(donorStarts.length - 1, d + random.int(1, 4))] ?? donor.length,
      );
      return {
        start: lineStart,
        end: lineStart,
        text: slice.length > 0 && !/[\r\n]$/.test(slice) ? slice + '\n' : slice,
        kind,
      };
    }
    case 'delete-line':
      return { start: lineStart, end: lineEnd, text: '', kind };
    case 'swap-break': {
      let end = lineEnd;
      while (end > lineStart && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
      return { start: end, end: lineEnd, text: random.pick(BREAKS), kind };
    }
    case 'case-flip': {
      const a = inLine();
      const b = Math.min(lineEnd, a + random.int(1, 12));
      const part = text.slice(a, b);
      return { start: a, end: b, text: part === part.toUpperCase() ? part.toLowerCase() : part.toUpperCase(), kind };
    }
    case 'directive':
      return {
        start: 0,
        end: 0,
        text: random.pick([
          '# escape=`\n',
          '# escape=\\\n',
          '#escape=`\r\n',
          '# escape=x\n',
          '\ufeff',
          '# syntax=docker/dockerfile:1\n',
          '\n',
        ]),
        kind,
      };
    case 'all-breaks': {
      const brk = random.pick(BREAKS);
      return { start: 0, end: text.length, text: text.replace(/\r\n|\r|\n/g, brk), kind };
    }
    default: {
      const at = anyOffset();
      return { start: at, end: text.length, text: '', kind: 'truncate' };
    }
  }
}

/** A Dockerfile-like text from nothing: random lines of tokens and characters. */
export function randomDocument(random: Random): string {
  const lines: string[] = [];
  if (random.chance(0.3))
    lines.push(random.pick(['# escape=`', '# escape=\\', '\ufeff# escape=`', '# syntax=docker/dockerfile:1']));
  for (let n = random.int(1, 40); n > 0; n--) {
    let line = random.chance(0.8) ? random.pick(KEYWORDS) + ' ' : '';
    for (let k = random.int(0, 6); k > 0; k--) line += random.chance(0.6) ? random.pick(TOKENS) : randomRun(random);
    lines.push(line);
  }
  const brk = random.weighted<string>([
    [6, '\n'],
    [3, '\r\n'],
    [1, '\r'],
  ]);
  return lines.join(brk) + (random.chance(0.7) ? brk : '');
}
