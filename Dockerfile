# syntax=docker/dockerfile:1
# SupportBot's image: built with the SDK, run on the chiseled ASP.NET Core runtime with ICU and time zone data
# ("extra": routes' business hours name IANA zones), with no shell, no package manager, and the non-root user "app".
# The root file system can be read-only: the process writes nothing outside its volumes and /tmp. The sample
# knowledge index is built at build time; deployments with their own articles mount an index volume that the ingest
# job (deploy/compose.yaml, the Helm chart's Job) fills, and set Knowledge__IndexPath.
#   docker build -t supportbot .
#   docker run --rm -p 8080:8080 supportbot      → http://localhost:8080/chat

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY bot/ bot/
COPY knowledge/ knowledge/
COPY manifests/ manifests/
RUN dotnet publish bot/SupportBot.Host -c Release -r linux-x64 --self-contained false -o /app \
 && dotnet /app/supportbot.dll ingest /app/samples/kb --index /app/index

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Knowledge__IndexPath=/app/index
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "/app/supportbot.dll"]
CMD ["serve"]
