FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR C:
RUN dir
