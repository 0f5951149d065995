# A .NET app on Nano Server: build in a Server Core stage, copy the output onto Nano Server.
ARG TAG=ltsc2022
FROM mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-${TAG} AS build
WORKDIR C:\\src
COPY . .
RUN dotnet publish -c Release -o C:\\app\\

FROM mcr.microsoft.com/windows/nanoserver:${TAG}
# The escaped trailing backslash above and below is a complete line for Docker, not a continuation.
COPY --from=build C:\\app\\ C:\\app\\
USER ContainerAdministrator
RUN setx /M PATH "%PATH%;C:\\app"
USER ContainerUser
WORKDIR \app
ENTRYPOINT ["C:\\app\\app.exe"]
