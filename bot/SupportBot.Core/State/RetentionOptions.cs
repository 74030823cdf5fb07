using Microsoft.Extensions.Options;

namespace SupportBot.Core.State;

/// <summary>
/// How long data is kept (<c>Retention</c> section). Conversations follow <c>Conversation:HistoryTtl</c>;
/// delivery claims the dedupe window; docs/operations.md lists every Redis key family with its retention.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>How long a resolved escalation (and its thread and case indexes) is kept after it was resolved.</summary>
    public TimeSpan Escalations { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long dashboard records (questions asked, knowledge gaps, with who asked) are kept.</summary>
    public TimeSpan Insights { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long the per-day analytics counters (questions, answers, votes and reasons per day and channel: no
    /// personal data) are kept: a little over a year, so a year's trend can be drawn.
    /// </summary>
    public TimeSpan Analytics { get; set; } = TimeSpan.FromDays(400);

    /// <summary>How long audit entries (case lookups, erasures) are kept.</summary>
    public TimeSpan Audit { get; set; } = TimeSpan.FromDays(365);
}

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, value) in new[] { ("Escalations", options.Escalations), ("Insights", options.Insights), ("Analytics", options.Analytics), ("Audit", options.Audit) })
        {
            if (value < TimeSpan.FromHours(1))
            {
                failures.Add($"Retention:{key}: must be at least an hour (is {value}).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
