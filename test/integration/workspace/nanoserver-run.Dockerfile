FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
RUN powershell -Command New-Item -ItemType Directory C:\app
