FROM mcr.microsoft.com/windows/servercore:ltsc2025
RUN echo hello
