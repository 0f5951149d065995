/**
 * ServiceMonitor.exe was hosted at `https://dotnetbinaries.blob.core.windows.net/servicemonitor/…`
 * until 2025-06-10, when that storage account was taken offline; downloads from it now fail with
 * `PublicAccessNotPermitted` (microsoft/iis-docker#211; dotnet/announcements#351;
 * microsoft/IIS.ServiceMonitor#96). The release is on GitHub:
 * `https://github.com/microsoft/IIS.ServiceMonitor/releases/download/v2.0.1.10/ServiceMonitor.exe`.
 * GitHub needs TLS 1.2, which Windows PowerShell on Windows Server 2016 images does not use by
 * default (iis-docker#211), so no automatic fix is offered there.
 */
import { logicalRange, readAsBuildKit } from '../dockerfile/instructionText';
import type { Finding, Rule } from './support/types';

export const SERVICEMONITOR_RELEASE_URL =
  'https://github.com/microsoft/IIS.ServiceMonitor/releases/download/v2.0.1.10/ServiceMonitor.exe';

/** The retired address, up to the end of the URL (a quote, blank, backtick, `;` or `)` ends it). */
const RETIRED_URL = /https?:\/\/dotnetbinaries\.blob\.core\.windows\.net\/servicemonitor\/[^\s"'`;)]*/gi;

export const servicemonitorUrlRetired: Rule = {
  id: 'servicemonitor-url-retired',
  description:
    'ServiceMonitor.exe downloaded from dotnetbinaries.blob.core.windows.net, offline since 2025-06-10: the build fails; it is published on GitHub.',
  defaultSeverity: 'error',
  fixable: true,
  check({ document }) {
    const findings: Finding[] = [];
    for (const { instruction, keyword, logical } of readAsBuildKit(document, document.dockerfile.getInstructions())) {
      if (keyword === 'FROM') continue;
      const stage = document.stageAt(instruction.getRange().start.line);
      const onWs2016 = stage?.catalogue.tag?.version?.id === 'ltsc2016';
      for (const match of logical.text.matchAll(RETIRED_URL)) {
        const url = match[0];
        const at = match.index ?? 0;
        const range = logicalRange(document, logical, at, at + url.length);
        const fixable = /\/ServiceMonitor\.exe$/i.test(url) && !onWs2016;
        findings.push({
          range,
          message:
            `ServiceMonitor.exe is downloaded from ${url}: that storage account has been offline since 2025-06-10, so the download fails. ` +
            `It is published at ${SERVICEMONITOR_RELEASE_URL}` +
            (onWs2016
              ? ' (on Windows Server 2016 images set [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12 before downloading from GitHub).'
              : '.'),
          fixes: fixable
            ? [
                {
                  title: 'Download ServiceMonitor.exe 2.0.1.10 from its GitHub release',
                  edits: [{ range, newText: SERVICEMONITOR_RELEASE_URL }],
                  preferred: true,
                },
              ]
            : [],
        });
      }
    }
    return findings;
  },
};
