FROM mcr.microsoft.com/windows/servercore:ltsc2019 AS build
FROM mcr.microsoft.com/windows/nanoserver:1809
