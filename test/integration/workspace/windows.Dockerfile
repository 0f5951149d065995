FROM mcr.microsoft.com/windows/servercore:ltsc2022
maintainer x
WORKDIR \app
RUN setx /M PATH C:\\Windows\\System32\\
COPY a b c:/dest/
COPY a b "c:/dest/"
