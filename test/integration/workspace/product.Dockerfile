FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022
