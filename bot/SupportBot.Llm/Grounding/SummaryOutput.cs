using System.Text.Json;
using System.Text.Json.Serialization;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Redaction;

namespace SupportBot.Llm.Grounding;

/// <summary>The escalation summary as the model is asked to return it.</summary>
internal sealed record ModelSummary(string? Problem, string? Tried, string? CaseId, string? Ask);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(ModelSummary))]
internal sealed partial class SummaryJson : JsonSerializerContext;

/// <summary>
/// Checks a model's escalation summary before anyone sees it: every part present, plain text, masked
/// and clipped; the case id only one the agent gave or the thread mentions — a model never invents one.
/// </summary>
internal static class SummaryOutput
{
    /// <summary>Reads the JSON object out of a reply that may wrap it in prose or a code fence; null when there is none.</summary>
    public static ModelSummary? Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var start = output.IndexOf('{', StringComparison.Ordinal);
        var end = output.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(output.AsMemory(start, end - start + 1), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = doc.RootElement;
            return root.ValueKind != JsonValueKind.Object
                ? null
                : new ModelSummary(Text(root, "problem"), Text(root, "tried"), Text(root, "caseId") ?? Text(root, "case_id") ?? Text(root, "case"), Text(root, "ask"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The summary to post, or null when the model left a part out.</summary>
    public static EscalationSummary? Check(ModelSummary? parsed, IReadOnlyList<ConversationTurn> thread, string? givenCaseId)
    {
        ArgumentNullException.ThrowIfNull(thread);
        if (parsed is null)
        {
            return null;
        }

        var problem = Clean(parsed.Problem);
        var tried = Clean(parsed.Tried);
        var ask = Clean(parsed.Ask);
        if (problem.Length == 0 || tried.Length == 0 || ask.Length == 0)
        {
            return null;
        }

        return new EscalationSummary(problem, tried, CaseIdFor(parsed.CaseId, thread, givenCaseId), ask);
    }

    /// <summary>The agent's case wins; the model's only if the thread names it; else the thread's own mention.</summary>
    internal static string? CaseIdFor(string? modelCaseId, IReadOnlyList<ConversationTurn> thread, string? givenCaseId)
    {
        if (!string.IsNullOrWhiteSpace(givenCaseId))
        {
            return givenCaseId;
        }

        var mentioned = HeuristicEscalationSummarizer.MentionedCaseIds(thread);
        var claimed = Normalize(modelCaseId);
        return claimed is not null && mentioned.Contains(claimed, StringComparer.OrdinalIgnoreCase)
            ? claimed
            : mentioned.Count > 0 ? mentioned[^1] : null;
    }

    private static string? Normalize(string? caseId)
    {
        var id = caseId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        if (id.StartsWith("case", StringComparison.OrdinalIgnoreCase))
        {
            id = id[4..].TrimStart();
        }

        return id.TrimStart('#').Trim();
    }

    private static string Clean(string? text) =>
        string.IsNullOrWhiteSpace(text) ? string.Empty : EscalationSummary.Clip(SensitiveDataRedactor.Redact(GroundedOutput.Sanitize(text)));

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
