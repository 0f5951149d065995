FROM microsoft/nanoserver:1809
