/**
 * The command text of RUN, CMD and ENTRYPOINT as the shell receives it, and a light split of that
 * text into simple commands for cmd and PowerShell. It is not a full parser of either shell: it
 * finds command words, their arguments and the operators between them, which is what the rules
 * about what a Windows stage can run need. Every index maps back to a document offset.
 */
import { EscapeChar, findLineEnd, skipLineBreak } from './buildkit';
import { readExecForm } from './execForm';

/** Text with a map from each index back to an offset in the document. */
export interface ScriptText {
  readonly text: string;
  /** The document offset of the character at `index` (`text.length` maps just past the last one). */
  offsetAt(index: number): number;
}

interface Chunk {
  readonly at: number;
  readonly offset: number;
  readonly length: number;
}

function chunkedText(chunks: readonly Chunk[], text: string, fallback: number): ScriptText {
  return {
    text,
    offsetAt(index: number): number {
      let low = 0;
      let high = chunks.length - 1;
      if (high < 0) return fallback;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (chunks[mid].at <= index) low = mid;
        else high = mid - 1;
      }
      const chunk = chunks[low];
      return chunk.offset + Math.min(Math.max(index - chunk.at, 0), chunk.length);
    },
  };
}

/**
 * The logical line BuildKit hands to the shell for the document text from `start` to `end`
 * (`parser.go`): a line ending in the escape character continues on the next one, the escape
 * character and the blanks after it are dropped, the blanks before it stay; comment lines and
 * blank lines inside a continuation are skipped.
 */
export function joinInstructionLines(text: string, start: number, end: number, escape: EscapeChar): ScriptText {
  const chunks: Chunk[] = [];
  const parts: string[] = [];
  let length = 0;
  let position = start;
  for (let first = true; position < end; first = false) {
    const lineEnd = Math.min(findLineEnd(text, position), end);
    let contentEnd = lineEnd;
    const isLast = lineEnd >= end;
    const line = text.slice(position, lineEnd);
    const trimmed = line.trimStart();
    const skip = !first && (trimmed === '' || trimmed.startsWith('#'));
    if (!skip) {
      if (!isLast) {
        while (contentEnd > position && (text[contentEnd - 1] === ' ' || text[contentEnd - 1] === '\t')) contentEnd--;
        if (text[contentEnd - 1] === escape) contentEnd--;
      }
      chunks.push({ at: length, offset: position, length: contentEnd - position });
      parts.push(text.slice(position, contentEnd));
      length += contentEnd - position;
    }
    const next = skipLineBreak(text, lineEnd);
    if (next === lineEnd) break;
    position = next;
  }
  return chunkedText(chunks, parts.join(''), start);
}

/** One word of a command: its value with quotes and escapes removed, and where it is written. */
export interface Word {
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** Whether any part of the word was quoted. */
  readonly quoted: boolean;
  /** The target of a `>` or `>>` redirection. */
  readonly redirect: boolean;
  /** A JSON string of an exec form: `start`..`end` is its content with JSON escapes. */
  readonly json?: boolean;
  /** PowerShell: the word follows the call operator `&`, so even a quoted word is a command. */
  readonly called?: boolean;
}

/** An operator between commands: `&&`, `||`, `&`, `|`, and `;` in PowerShell. */
export interface Operator {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface Commands {
  /** The simple commands, each a list of words (the first is the command word, see `commandWord`). */
  readonly segments: readonly (readonly Word[])[];
  readonly operators: readonly Operator[];
}

export type Dialect = 'cmd' | 'powershell';

/**
 * Exec form: the JSON array of strings BuildKit accepts (execForm.ts readExecForm), or undefined
 * when the text is not one (BuildKit then runs it in shell form). Each word spans its string's content.
 */
export function parseJsonArray(text: string): Word[] | undefined {
  return readExecForm(text)?.strings.map((s) => ({
    value: s.value,
    start: s.start + 1,
    end: s.end - 1,
    quoted: true,
    redirect: false,
    json: true,
  }));
}

/**
 * Splits a command line into simple commands. cmd: `"` quotes, `^` escapes, `&&`, `||`, `&`, `|`
 * and parentheses that open a group separate commands. PowerShell: `'` and `"` quote, `` ` ``
 * escapes, `;`, `|`, `&&`, `||`, braces and parentheses separate, `&` calls, `#` starts a comment.
 * Redirection targets are marked. Linear in the length of the text.
 */
export function splitCommands(text: string, dialect: Dialect): Commands {
  const segments: Word[][] = [];
  const operators: Operator[] = [];
  let words: Word[] = [];
  let value = '';
  let start = -1;
  let quoted = false;
  let redirectNext = false;
  let callNext = false;
  let groups = 0;
  // PowerShell: the commands around the open parentheses and braces.
  const outer: Word[][] = [];
  const endWord = (end: number) => {
    if (start >= 0) {
      words.push({ value, start, end, quoted, redirect: redirectNext, ...(callNext ? { called: true } : {}) });
      redirectNext = false;
      callNext = false;
    }
    value = '';
    start = -1;
    quoted = false;
  };
  const endSegment = () => {
    if (words.length > 0) segments.push(words);
    words = [];
  };
  const begin = (i: number) => {
    if (start < 0) start = i;
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      endWord(i);
      if (c === '\n' && dialect === 'powershell') endSegment();
      continue;
    }
    if (c === '>' || (c === '<' && dialect === 'cmd')) {
      // `2>`, `1>`: the digit names a stream, it is not a word.
      if (start === i - 1 && /^[0-9*]$/.test(value)) {
        value = '';
        start = -1;
        quoted = false;
      } else {
        endWord(i);
      }
      let j = i + 1;
      if (text[j] === '>') j++;
      if (text[j] === '&' && /[0-9]/.test(text[j + 1] ?? '')) {
        i = j + 1;
        continue;
      }
      redirectNext = c === '>';
      i = j - 1;
      continue;
    }
    if (dialect === 'cmd') {
      if (c === '^') {
        begin(i);
        if (i + 1 < n) value += text[++i];
        continue;
      }
      if (c === '"') {
        begin(i);
        quoted = true;
        const close = text.indexOf('"', i + 1);
        const stop = close < 0 ? n : close;
        value += text.slice(i + 1, stop);
        i = stop;
        continue;
      }
      if (c === '&' || c === '|') {
        endWord(i);
        endSegment();
        const op = text[i + 1] === c ? c + c : c;
        operators.push({ text: op, start: i, end: i + op.length });
        i += op.length - 1;
        continue;
      }
      // A parenthesis opens a group only where a command starts or in `if` and `for` (`echo (x)` prints it).
      if (c === '(' && start < 0 && (words.length === 0 || /^(if|for)$/i.test(words[0].value))) {
        endSegment();
        groups++;
        continue;
      }
      if (c === ')' && groups > 0) {
        endWord(i);
        endSegment();
        groups--;
        continue;
      }
      begin(i);
      value += c;
      continue;
    }
    // PowerShell
    if (c === '`') {
      begin(i);
      if (i + 1 < n) value += text[++i];
      continue;
    }
    if (c === "'") {
      begin(i);
      quoted = true;
      let j = i + 1;
      for (; j < n; j++) {
        if (text[j] === "'") {
          if (text[j + 1] !== "'") break;
          j++;
        }
        value += text[j];
      }
      i = j;
      continue;
    }
    if (c === '"') {
      begin(i);
      quoted = true;
      let j = i + 1;
      for (; j < n; j++) {
        const d = text[j];
        if (d === '`' && j + 1 < n) {
          value += text[++j];
          continue;
        }
        if (d === '"') {
          if (text[j + 1] === '"') {
            value += '"';
            j++;
            continue;
          }
          break;
        }
        value += d;
      }
      i = j;
      continue;
    }
    if (c === '#' && start < 0) {
      const close = text.indexOf('\n', i);
      if (close < 0) break;
      i = close - 1;
      continue;
    }
    if (c === '<' && text[i + 1] === '#' && start < 0) {
      const close = text.indexOf('#>', i + 2);
      if (close < 0) break;
      i = close + 1;
      continue;
    }
    if (c === ';' || c === '|' || c === '&') {
      endWord(i);
      endSegment();
      const op = (c === '|' || c === '&') && text[i + 1] === c ? c + c : c;
      operators.push({ text: op, start: i, end: i + op.length });
      callNext = op === '&';
      i += op.length - 1;
      continue;
    }
    if (c === '(' || c === '{') {
      // `$(...)` and `@(...)`: the sigil is not a word of its own.
      if (start === i - 1 && (value === '$' || value === '@')) {
        value = '';
        start = -1;
        quoted = false;
      }
      // The group holds commands of its own; the command around it goes on after it.
      endWord(i);
      outer.push(words);
      words = [];
      continue;
    }
    if (c === ')' || c === '}') {
      endWord(i);
      endSegment();
      words = outer.pop() ?? [];
      continue;
    }
    if (c === ',') {
      endWord(i);
      continue;
    }
    begin(i);
    value += c;
  }
  endWord(n);
  endSegment();
  while (outer.length > 0) {
    words = outer.pop() ?? [];
    endSegment();
  }
  // A command that goes on after a group ends after it: back to the order they are written in.
  segments.sort((a, b) => a[0].start - b[0].start);
  return { segments, operators };
}

/** The index of the command word of a simple command (after `do`/`else` in cmd, `.` in PowerShell, redirections). */
export function commandWordIndex(words: readonly Word[], dialect: Dialect): number {
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    const lower = w.value.toLowerCase();
    if (w.redirect) i++;
    else if (dialect === 'cmd' && !w.quoted && (lower === 'do' || lower === 'else' || lower === '@')) i++;
    else if (dialect === 'powershell' && !w.quoted && lower === '.') i++;
    else break;
  }
  return i;
}

/** The program a command word names, lower-cased, without its folder (`C:\x\PowerShell.EXE` gives `powershell.exe`); a leading `@` (cmd's echo-off) is dropped. */
export function programName(word: string): string {
  const slash = Math.max(word.lastIndexOf('\\'), word.lastIndexOf('/'));
  return word
    .slice(slash + 1)
    .replace(/^@/, '')
    .toLowerCase();
}

/** `powershell.exe` → `powershell`. */
export function withoutExe(name: string): string {
  return name.endsWith('.exe') ? name.slice(0, -4) : name;
}

/**
 * Text made of some words of another text, joined with spaces, as a program receives them after
 * its command line is split (`powershell -Command a b` runs `a b`). Indices map back to the words.
 */
export function textOfWords(outer: ScriptText, words: readonly Word[]): ScriptText {
  const chunks: Chunk[] = [];
  const parts: string[] = [];
  let length = 0;
  for (const word of words) {
    if (parts.length > 0) {
      parts.push(' ');
      length++;
    }
    if (word.json) {
      // Map each character of the value to its place in the JSON string, escapes included.
      const raw = outer.text.slice(word.start, word.end);
      for (let i = 0; i < raw.length;) {
        const width = raw[i] !== '\\' ? 1 : raw[i + 1] === 'u' ? 6 : 2;
        chunks.push({ at: length, offset: word.start + i, length: 1 });
        length++;
        i += width;
      }
      parts.push(word.value);
      continue;
    }
    // A word that is one quoted string maps one to one onto the text between the quotes.
    const inner = word.quoted && word.end - word.start === word.value.length + 2 ? word.start + 1 : word.start;
    chunks.push({ at: length, offset: inner, length: word.value.length });
    parts.push(word.value);
    length += word.value.length;
  }
  const local = chunkedText(chunks, parts.join(''), words[0]?.start ?? 0);
  return { text: local.text, offsetAt: (index) => outer.offsetAt(local.offsetAt(index)) };
}
