# escape=`
# Mistakes the extension points out, each with a quick fix.
FROM mcr.microsoft.com/windows/servercore:ltsc2022
maintainer someone@example.com
WORKDIR C:
WORKDIR D:\data
RUN dir
