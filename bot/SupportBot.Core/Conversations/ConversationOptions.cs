using System.ComponentModel.DataAnnotations;

namespace SupportBot.Core.Conversations;

/// <summary>Settings of the <c>Conversation</c> section.</summary>
public sealed class ConversationOptions
{
    public const string Section = "Conversation";

    /// <summary>Turns kept per thread; older ones are dropped first.</summary>
    [Range(2, 500)]
    public int HistoryLimit { get; set; } = 40;

    /// <summary>How long an idle thread's state is kept.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan HistoryTtl { get; set; } = TimeSpan.FromDays(7);
}
