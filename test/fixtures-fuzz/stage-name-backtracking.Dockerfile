FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS my-build-stage-for-nano-server-ltsc2022/
