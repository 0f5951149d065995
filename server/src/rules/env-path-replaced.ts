/**
 * Windows images have no PATH in their image config (the system PATH lives in the registry), so
 * in `ENV PATH="C:\tools;${PATH}"` the builder expands `${PATH}` to nothing and the ENV replaces
 * the system PATH: "It treats $PATH as an empty string and leaves me the c:\somepath part"
 * (moby/moby#30033, #22017; docker/for-win#2306; PowerShell/PowerShell-Docker#164). BuildKit
 * leaves PATH unset for Windows on purpose (moby/buildkit#4895, #5445). ENV does not expand
 * `%PATH%` at all. The fix the Windows images themselves use: `RUN setx /M PATH "%PATH%;C:\tools"`
 * as ContainerAdministrator (dotnet-docker, docker-library golang and openjdk).
 */
import { Env, Property } from 'dockerfile-ast';
import type { TextEdit } from 'vscode-languageserver-types';
import type { EscapeChar } from '../dockerfile/buildkit';
import type { ParsedDocument } from '../dockerfile/document';
import { indentOf, lineEnding } from './support/instructionEdits';
import { effectiveUser, isAdministrator } from '../dockerfile/nanoserver';
import type { Finding, Fix, Rule } from './support/types';
import { WindowsStep, windowsSteps } from '../dockerfile/windowsSteps';

export const envPathReplaced: Rule = {
  id: 'env-path-replaced',
  description: 'ENV PATH that extends ${PATH} or %PATH% in a Windows stage, which replaces the system PATH instead.',
  defaultSeverity: 'warning',
  fixable: true,
  check({ document }) {
    const findings: Finding[] = [];
    for (const step of windowsSteps(document)) {
      if (!(step.instruction instanceof Env) || step.state.pathSetByEnv) continue;
      const properties = step.instruction.getProperties();
      const index = properties.findIndex((p) => p.getName().toLowerCase() === 'path');
      const property = properties[index];
      const valueRange = property?.getValueRange();
      if (!property || !valueRange) continue;
      const raw = document.text.slice(document.offsetAt(valueRange.start), document.offsetAt(valueRange.end));
      const parts = parseEnvValue(raw, document.escapeChar);
      if (!parts) continue;
      // `${PATH:-C:\Windows\system32}` states its own fallback: left alone.
      if (parts.some((p) => p.kind === 'variable' && p.modified && p.name.toLowerCase() === 'path')) continue;
      const reference = parts.find((p): p is VariablePart => p.kind === 'variable' && p.name.toLowerCase() === 'path');
      const literal = parts
        .map((p) => (p.kind === 'text' ? LITERAL_PATH.exec(p.text)?.[0] : undefined))
        .find((t) => t !== undefined);
      if (!reference && !literal) continue;
      const message = reference
        ? `Windows images set no PATH in their image config, so ${reference.written} expands to nothing and this ENV replaces the system PATH with "${render(parts, '')}": programs in C:\\Windows\\system32 are no longer found. Add to the system PATH with RUN setx /M PATH instead.`
        : `ENV does not expand ${literal} here: PATH becomes the literal "${render(parts, '')}", which replaces the system PATH, so programs in C:\\Windows\\system32 are no longer found. Add to the system PATH with RUN setx /M PATH instead.`;
      const fix = setxFix(document, step, properties, index, parts);
      findings.push({ range: property.getRange(), message, fixes: fix ? [fix] : [] });
    }
    return findings;
  },
};

// PATH named in text ENV leaves alone: cmd's %PATH%, or a quoted or escaped $PATH.
const LITERAL_PATH = /%path%|\$\{path\}|\$path\b/i;

type Part = { kind: 'text'; text: string } | VariablePart;
interface VariablePart {
  kind: 'variable';
  name: string;
  written: string;
  /** `${NAME:-word}` and the like, which setx cannot say. */
  modified: boolean;
}

/**
 * An ENV value as BuildKit's lexer reads it (`shell/lex.go`): escapes and quotes applied, `$NAME`
 * and `${NAME...}` kept as variables. Undefined for an unterminated quote.
 */
export function parseEnvValue(raw: string, escape: EscapeChar): Part[] | undefined {
  const parts: Part[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push({ kind: 'text', text });
    text = '';
  };
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else text += c;
      continue;
    }
    if (
      c === escape &&
      i + 1 < raw.length &&
      (!quote || raw[i + 1] === '"' || raw[i + 1] === '$' || raw[i + 1] === escape)
    ) {
      text += raw[++i];
      continue;
    }
    if (c === '"' || (c === "'" && !quote)) {
      quote = quote === c ? undefined : c;
      continue;
    }
    if (c === '$') {
      const braced = raw[i + 1] === '{';
      const nameStart = braced ? i + 2 : i + 1;
      let j = nameStart;
      while (j < raw.length && /[A-Za-z0-9_]/.test(raw[j]) && !(j === nameStart && /[0-9]/.test(raw[j]))) j++;
      if (j === nameStart) {
        text += c;
        continue;
      }
      let end = j;
      if (braced) {
        end = raw.indexOf('}', j);
        if (end < 0) return undefined;
        end++;
      }
      flush();
      parts.push({
        kind: 'variable',
        name: raw.slice(nameStart, j),
        written: raw.slice(i, end),
        modified: braced && end !== j + 1,
      });
      i = end - 1;
      continue;
    }
    text += c;
  }
  if (quote) return undefined;
  flush();
  return parts;
}

/** The value as written, with PATH references shown as `path`. */
function render(parts: readonly Part[], path: string): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : p.name.toLowerCase() === 'path' ? path : p.written)).join('');
}

/**
 * `RUN setx /M PATH "..."` in place of the PATH pair (the whole ENV when PATH is its only pair),
 * as ContainerAdministrator when the stage runs as another user. None when the value uses
 * `${VAR:-...}` forms, quotes, variables of the same ENV, or when shell or user are unknown.
 */
function setxFix(
  document: ParsedDocument,
  step: WindowsStep,
  properties: Property[],
  index: number,
  parts: readonly Part[],
): Fix | undefined {
  const shell = step.state.shell.kind;
  if (shell === 'other') return undefined;
  const sameEnv = new Set(properties.map((p) => p.getName().toLowerCase()));
  const value = setxValue(parts, shell === 'cmd', sameEnv);
  if (value === undefined) return undefined;
  const user = effectiveUser(document, step.stage, step.state.user);
  if (!user) return undefined;
  const run = `RUN setx /M PATH "${value}"`;
  const lines = isAdministrator(user) ? [run] : ['USER ContainerAdministrator', run, `USER ${user}`];
  const eol = lineEnding(document);
  const range = step.instruction.getRange();
  const indent = indentOf(document, range.start.line);
  const edits: TextEdit[] = [];
  if (properties.length === 1) {
    edits.push({ range, newText: lines.join(eol + indent) });
  } else {
    const removal =
      index > 0
        ? { start: properties[index - 1].getRange().end, end: properties[index].getRange().end }
        : { start: properties[0].getRange().start, end: properties[1].getRange().start };
    edits.push({ range: removal, newText: '' });
    edits.push({ range: { start: range.end, end: range.end }, newText: lines.map((l) => eol + indent + l).join('') });
  }
  return { title: 'Add to the system PATH with RUN setx /M PATH', edits, preferred: true };
}

function setxValue(parts: readonly Part[], cmd: boolean, sameEnv: ReadonlySet<string>): string | undefined {
  let value = '';
  for (const part of parts) {
    if (part.kind === 'text') {
      if (part.text.includes('"')) return undefined;
      const text = part.text.replace(new RegExp(LITERAL_PATH.source, 'gi'), '%PATH%');
      value += cmd ? text : text.replace(/[`$]/g, '`$&').replace(/%([A-Za-z_][A-Za-z0-9_]*)%/g, '$${env:$1}');
      continue;
    }
    const name = part.name.toLowerCase();
    if (part.modified || (name !== 'path' && sameEnv.has(name))) return undefined;
    value += cmd ? `%${part.name}%` : `\${env:${part.name}}`;
  }
  // A trailing backslash would escape the closing quote of setx's argument. (A loop: `/\\+$/` is
  // quadratic on a long run of backslashes, since the regex retries the run from each of them.)
  let end = value.length;
  while (end > 0 && value[end - 1] === '\\') end--;
  return value.slice(0, end);
}
