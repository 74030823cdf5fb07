using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using SupportBot.Core.Answering;

namespace SupportBot.Host.Cli;

/// <summary>The JSON printed by <c>ask --json</c> (docs/configuration.md).</summary>
public sealed record AskResult(string Answer, IReadOnlyList<Citation> Citations, bool Confident, string Provider, bool Fallback, string? Language);

/// <summary><c>supportbot ask "QUESTION" [--json]</c>: one answer, with citations, on the terminal.</summary>
internal static class AskCommand
{
    public static Command Create()
    {
        var question = new Argument<string>("question") { Description = "The question, in quotes." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("ask", "Answer one question from the knowledge base, with citations.") { question, json };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) =>
            RunAsync(result.GetValue(question) ?? string.Empty, result.GetValue(json), result.UnmatchedTokens, cancellationToken));
        return command;
    }

    private static Task<int> RunAsync(string question, bool json, IReadOnlyList<string> configuration, CancellationToken cancellationToken) =>
        SupportBotCli.GuardConfigurationAsync(async () =>
        {
            if (string.IsNullOrWhiteSpace(question))
            {
                await Console.Error.WriteLineAsync("ask: QUESTION must not be empty, e.g. supportbot ask \"How do I respond to a dispute?\"");
                return SupportBotCli.BadUsage;
            }

            using var host = CliHost.Build(configuration);
            await host.StartAsync(cancellationToken);
            var answers = host.Services.GetRequiredService<AnswerService>();
            // Masked like every chat message before it is searched or sent to a model.
            var answer = await answers.AnswerAsync(new AnswerRequest(SupportBot.Core.Redaction.SensitiveDataRedactor.Redact(question).Trim(), []), cancellationToken);
            await host.StopAsync(cancellationToken);

            Console.WriteLine(json ? ToJson(answer) : ToText(answer));
            return SupportBotCli.Success;
        });

    // Readable output for a terminal: no \u escapes of quotes and dashes.
    private static readonly HostJson ReadableJson = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    internal static string ToJson(Answer answer) =>
        JsonSerializer.Serialize(new AskResult(answer.Text, answer.Citations, answer.Confident, answer.Provider, answer.Fallback, answer.Language), ReadableJson.AskResult);

    private static string ToText(Answer answer)
    {
        var lines = new List<string> { answer.Text, string.Empty };
        if (answer.Citations.Count > 0)
        {
            lines.Add("Sources:");
            lines.AddRange(answer.Citations.Select(c => $"  [{c.N}] {c.Title} — {(c.Url.Length > 0 ? c.Url : c.Source)}{(c.StaleNote is { } note ? $" ({note})" : string.Empty)}"));
        }

        if (!answer.Confident)
        {
            lines.Add("(Not confident: the knowledge base does not clearly answer this.)");
        }

        return string.Join(Environment.NewLine, lines).TrimEnd();
    }
}
