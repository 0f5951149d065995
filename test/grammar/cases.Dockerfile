# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
# not a directive: escape=`
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
WORKDIR C:\app
RUN Write-Host $env:PATH; `
    Write-Host ${env:ProgramFiles(x86)}; `
    Copy-Item c:/temp/a.txt C:\out\
COPY --from=build C:\src\bin "C:\Program Files\app\"
RUN echo done``
