FROM mcr.microsoft.com/windows/servercore
