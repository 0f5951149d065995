/**
 * The IIS image (`mcr.microsoft.com/windows/servercore/iis`, formerly `microsoft/iis`) and the
 * ASP.NET image of .NET Framework (`mcr.microsoft.com/dotnet/framework/aspnet`, formerly
 * `microsoft/aspnet`) set `ENTRYPOINT ["C:\\ServiceMonitor.exe", "w3svc"]`. ServiceMonitor starts
 * IIS, copies the container's environment variables into the application pool and stops the
 * container when IIS stops (microsoft/iis-docker README; microsoft/aspnet-docker#157).
 *
 * - An ENTRYPOINT of the Dockerfile replaces it: unless it runs ServiceMonitor itself (directly or
 *   behind LogMonitor), IIS is not watched and the variables never reach the app pool.
 * - A CMD under that ENTRYPOINT does not run as a command: Docker appends it to the ENTRYPOINT's
 *   arguments, and ServiceMonitor takes the first as the application pool to configure
 *   (IIS.ServiceMonitor `src/ServiceMonitor/Main.cpp`: `w3svc [application pool]`). A CMD of a
 *   single name (`CMD ["MyAppPool"]`) is that documented use and stays quiet.
 *
 * No quick fix: where the ServiceMonitor call belongs (the ENTRYPOINT, or the end of a startup
 * script) depends on the application.
 */
import type { Instruction } from 'dockerfile-ast';
import type { ParsedDocument } from '../dockerfile/document';
import type { Stage } from '../dockerfile/stages';
import { stageConfigs } from '../dockerfile/entrypoints';
import { execForm } from '../dockerfile/execForm';
import { readInstruction } from '../dockerfile/instructionText';
import type { Finding, Rule } from './support/types';

const SERVICEMONITOR_IMAGES = new Set([
  'mcr.microsoft.com/windows/servercore/iis',
  'mcr.microsoft.com/dotnet/framework/aspnet',
  'microsoft/iis',
  'microsoft/aspnet',
]);
const MENTIONS_SERVICEMONITOR = /servicemonitor(?:\.exe)?\b/i;
/** An application pool name: one word, no path, no extension. */
const APP_POOL_NAME = /^[A-Za-z0-9 _-]{1,64}$/;

function builtOnServiceMonitorImage(stage: Stage): string | undefined {
  const name = stage.catalogue.repository?.name ?? stage.catalogue.legacy?.name;
  return name && SERVICEMONITOR_IMAGES.has(name) ? name : undefined;
}

function text(document: ParsedDocument, instruction: Instruction): string {
  const { logical, argsStart } = readInstruction(document, instruction);
  return logical.text.slice(argsStart).trim();
}

export const servicemonitorEntrypointReplaced: Rule = {
  id: 'servicemonitor-entrypoint-replaced',
  description:
    'An ENTRYPOINT or CMD on the IIS or ASP.NET (.NET Framework) image that drops `ServiceMonitor.exe w3svc`: IIS is not watched and environment variables do not reach the app pool.',
  defaultSeverity: 'warning',
  fixable: false,
  check({ document }) {
    const findings: Finding[] = [];
    const seen = new Set<Instruction>();
    for (const stage of document.stages) {
      if (stage.os !== 'windows') continue;
      const image = builtOnServiceMonitorImage(stage);
      if (!image) continue;
      const { entrypoint, cmd } = stageConfigs(document).final[stage.index];
      const report = (instruction: Instruction, message: string) => {
        if (seen.has(instruction)) return;
        seen.add(instruction);
        findings.push({ range: instruction.getInstructionRange(), message });
      };
      const entrypointExec = entrypoint ? execForm(document, entrypoint) : undefined;
      const entrypointKeepsMonitor =
        entrypoint !== undefined && MENTIONS_SERVICEMONITOR.test(text(document, entrypoint));
      if (entrypoint && !entrypointKeepsMonitor) {
        const emptied = entrypointExec !== undefined && entrypointExec.values.length === 0;
        if (emptied && cmd && MENTIONS_SERVICEMONITOR.test(text(document, cmd))) continue;
        report(
          entrypoint,
          `This ENTRYPOINT replaces the ${image} image's ENTRYPOINT C:\\ServiceMonitor.exe w3svc: IIS is not watched (the container keeps running when IIS stops) and the container's environment variables do not reach the application pool. ` +
            'Keep ServiceMonitor as the process the container runs: ENTRYPOINT ["C:\\\\ServiceMonitor.exe", "w3svc"] (behind LogMonitor if you use it), or end your startup script with C:\\ServiceMonitor.exe w3svc.',
        );
        continue;
      }
      // The image's ENTRYPOINT (or one of the Dockerfile that runs ServiceMonitor) is in force: a CMD becomes its arguments.
      if (!cmd || (entrypointExec === undefined && entrypoint !== undefined)) continue;
      const cmdExec = execForm(document, cmd);
      if (
        cmdExec &&
        cmdExec.values.length <= 1 &&
        (cmdExec.values.length === 0 || APP_POOL_NAME.test(cmdExec.values[0]))
      )
        continue;
      report(
        cmd,
        `This CMD does not run as a command: ${entrypoint ? `the ENTRYPOINT on line ${entrypoint.getRange().start.line + 1} runs ServiceMonitor` : `the ${image} image's ENTRYPOINT is C:\\ServiceMonitor.exe w3svc`}, so Docker passes the CMD to it as arguments and ServiceMonitor takes the first one as the application pool name. ` +
          'Do the setup in RUN steps, or run it from a startup script that ends with C:\\ServiceMonitor.exe w3svc and make that script the ENTRYPOINT.',
      );
    }
    return findings;
  },
};
