using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace SupportBot.Core.Cases;

/// <summary>
/// Cases from a JSON file (<c>Cases:File</c>, docs/configuration.md): an array of cases; unknown fields are
/// ignored. Re-read when the file changes, so an operator can update it without a restart.
/// </summary>
internal sealed class FileCaseProvider(IOptions<CaseOptions> options) : ICaseProvider
{
    private readonly Lock _gate = new();
    private (DateTime Written, Dictionary<string, SupportCase> Cases)? _loaded;

    public async Task<CaseLookup> FindAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var cases = await LoadAsync(cancellationToken);
            return cases.TryGetValue(id, out var found) ? CaseLookup.Found(found) : CaseLookup.NotFound;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return CaseLookup.Unavailable($"the case file cannot be read ({ex.GetType().Name})");
        }
    }

    private async Task<Dictionary<string, SupportCase>> LoadAsync(CancellationToken cancellationToken)
    {
        var path = options.Value.ResolvedFile;
        var written = File.GetLastWriteTimeUtc(path);
        lock (_gate)
        {
            if (_loaded is { } loaded && loaded.Written == written)
            {
                return loaded.Cases;
            }
        }

        await using var stream = File.OpenRead(path);
        var cases = await JsonSerializer.DeserializeAsync(stream, CaseJson.Default.ListSupportCase, cancellationToken) ?? [];
        var byId = cases.ToDictionary(c => c.Id, StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            _loaded = (written, byId);
        }

        return byId;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<SupportCase>))]
internal sealed partial class CaseJson : JsonSerializerContext;
