// Generated Windows Dockerfiles for `npm run bench` (scripts/bench.mjs): deterministic, exactly
// `lines` lines, made of repeated multi-stage blocks (Server Core build stage, Nano Server runtime
// stage) written with the backtick escape, multi-line PowerShell RUNs, ENV PATH, COPY --from,
// USER switches and a few mistakes, so that upstream validation and every Windows rule have work.
// Nothing is written to the repository: the bench puts the files in a temporary folder.

const BT = '`';

const HEADER = [
  '# escape=`',
  '',
  '# A generated Windows Dockerfile for the benchmark (scripts/bench-input.mjs).',
  'ARG WINDOWS_TAG=ltsc2022',
  'ARG SDK_TAG=4.8.1-windowsservercore-ltsc2022',
  '',
];

/** One block: two stages; `k` makes names and values unique. */
function block(k) {
  return [
    `# Stage pair ${k}: build with the .NET Framework SDK, run on Nano Server.`,
    `FROM mcr.microsoft.com/dotnet/framework/sdk:$SDK_TAG AS build${k}`,
    `SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]`,
    `WORKDIR C:\\src\\app${k}`,
    `ENV APP_HOME=C:\\app${k} ${BT}`,
    `    TOOLS=C:\\tools\\${k}`,
    `COPY *.sln *.csproj ./`,
    `RUN Invoke-WebRequest -Uri https://example.com/tools/tool${k}.zip -OutFile tool.zip; ${BT}`,
    `    Expand-Archive tool.zip -DestinationPath C:\\tools; ${BT}`,
    `    Remove-Item tool.zip -Force; ${BT}`,
    `    Write-Host "installed tool ${k}"`,
    `RUN nuget restore; msbuild /p:Configuration=Release /p:OutDir=C:\\out\\ App${k}.sln`,
    k % 13 === 6 ? `ENV PATH="C:\\tools;\${PATH}"` : `COPY . .`,
    k % 7 === 3 ? `RUN apt-get update && apt-get install -y curl` : `RUN dotnet --info`,
    ``,
    `FROM mcr.microsoft.com/windows/nanoserver:${k % 5 === 4 ? '1809' : '$WINDOWS_TAG'} AS run${k}`,
    `COPY --from=build${k} C:\\out\\ C:\\app\\`,
    `USER ContainerAdministrator`,
    `RUN setx /M PATH "%PATH%;C:\\app;C:\\tools"`,
    `USER ContainerUser`,
    k % 11 === 5 ? `WORKDIR D:\\data` : `WORKDIR C:\\app`,
    `LABEL org.opencontainers.image.title="app${k}" ${BT}`,
    `      org.opencontainers.image.version="1.${k}.0"`,
    `HEALTHCHECK --interval=30s --timeout=5s CMD ["C:\\\\app\\\\health.exe"]`,
    `EXPOSE ${8000 + (k % 1000)}`,
    `ENTRYPOINT ["C:\\\\app\\\\app${k}.exe"]`,
    ``,
  ];
}

/** A Windows Dockerfile of exactly `lines` lines (`\n` line breaks, final line break included). */
export function generateWindowsDockerfile(lines) {
  const out = [...HEADER];
  for (let k = 0; out.length < lines; k++) out.push(...block(k));
  // Cut at a blank line so no instruction is left half-written, then pad with comments.
  let end = Math.min(out.length, lines);
  while (end > HEADER.length && out[end - 1] !== '') end--;
  const result = out.slice(0, end);
  for (let i = 0; result.length < lines; i++) result.push(`# padding ${i}`);
  return result.join('\n') + '\n';
}

/** Where the bench types and asks: line numbers in a generated file of `lines` lines. */
export function probePositions(text) {
  const all = text.split('\n');
  const middle = Math.floor(all.length / 2);
  const find = (from, predicate) => {
    for (let i = from; i < all.length; i++) if (predicate(all[i])) return i;
    for (let i = from; i >= 0; i--) if (predicate(all[i])) return i;
    return -1;
  };
  const runLine = find(middle, (l) => l.startsWith('RUN Invoke-WebRequest'));
  const fromLine = find(middle, (l) => l.startsWith('FROM mcr.microsoft.com/windows/nanoserver:'));
  const blankLine = find(middle, (l) => l === '');
  const keywordLine = find(middle, (l) => l.startsWith('COPY --from='));
  return { runLine, fromLine, blankLine, keywordLine, lines: all };
}
