namespace SupportBot.Host.Cli;

/// <summary>A host for one-shot commands: the same composition as <c>serve</c>, no web server, logs on stderr.</summary>
internal static class CliHost
{
    /// <param name="configure">Changes to the composition, applied after it (the eval command shares one embedding model between hosts).</param>
    public static IHost Build(IEnumerable<string> args, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configure = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. args],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // stdout carries the command's output (e.g. JSON); warnings and errors go to stderr.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddSupportBot(serving: false);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
