using System.Text.Json.Nodes;

namespace SupportBot.Slack.Commands;

/// <summary>A slash command invocation (form fields over HTTP, the same fields as JSON over Socket Mode).</summary>
internal sealed record SlashCommand(string Command, string Text, string UserId, string ChannelId, string? TeamId, string? ResponseUrl, string? TriggerId, string? EnterpriseId = null);

/// <summary>The immediate answer to a slash command; ephemeral unless <see cref="InChannel"/>.</summary>
internal sealed record SlashCommandResponse(string Text, JsonArray? Blocks = null, bool InChannel = false)
{
    /// <summary>Acknowledges with an empty body: nothing is shown (the command opened a modal instead).</summary>
    public static readonly SlashCommandResponse None = new(string.Empty);

    public bool IsNone => Text.Length == 0 && Blocks is null;

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["response_type"] = InChannel ? "in_channel" : "ephemeral",
            ["text"] = Text,
        };
        if (Blocks is not null)
        {
            json["blocks"] = Blocks.DeepClone();
        }

        return json;
    }
}
