using System.Text;
using SupportBot.Slack.Interactions;

namespace SupportBot.Slack.Manifest;

/// <summary>
/// The Slack app manifest (YAML) for a deployment. Bot scopes are only those SupportBot uses:
/// <c>app_mentions:read</c> (mentions), <c>channels:history</c>/<c>groups:history</c> (thread follow-ups
/// and <c>conversations.replies</c>), <c>im:history</c> (direct messages), <c>chat:write</c> (replies,
/// ephemeral notices, streamed answers), <c>reactions:write</c> (the working sign), <c>commands</c>, <c>users:read</c>,
/// <c>usergroups:read</c> (escalation responders), <c>assistant:write</c> (the assistant pane: its status, title and
/// suggested prompts).
/// </summary>
internal static class SlackManifest
{
    public const string FileName = "manifest.yaml";

    public static readonly IReadOnlyList<string> BotScopes =
        ["app_mentions:read", "assistant:write", "channels:history", "chat:write", "commands", "groups:history", "im:history", "reactions:write", "usergroups:read", "users:read"];

    public static readonly IReadOnlyList<string> BotEvents =
        ["app_mention", "assistant_thread_context_changed", "assistant_thread_started", "message.channels", "message.groups", "message.im"];

    /// <summary>What the assistant pane says the app does, under its name.</summary>
    public const string AssistantDescription = "Answers product questions from the support knowledge base, with sources, scoped to the channel you are looking at.";

    private static readonly (string Command, string Description, string Hint)[] Commands =
    [
        ("/kb", "Top knowledge-base articles for a query (only you see them)", "QUERY"),
        ("/case", "Look up a support case", "ID"),
        ("/escalate", "Escalate to a specialist team with a form (team, severity, case id, summary)", "[TEAM] [sev1-sev4] [summary]"),
        ("/supportbot", "What SupportBot can do", "help"),
    ];

    /// <param name="baseUrl">Where the bot is reachable, e.g. <c>https://supportbot.example.com</c>.</param>
    /// <param name="socketMode">Events over Socket Mode: no request URLs.</param>
    public static string Render(Uri baseUrl, bool socketMode)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var root = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var yaml = new StringBuilder();
        yaml.Append("""
            # Slack app manifest for SupportBot. Create the app at api.slack.com/apps ("From an app manifest"),
            # install it, then set Slack:SigningSecret and Slack:BotToken (and Slack:AppToken for Socket Mode).
            _metadata:
              major_version: 1
              minor_version: 1
            display_information:
              name: SupportBot
              description: Answers support agents' product questions from the knowledge base, with sources.
              background_color: "#1f3a5f"
            features:
              app_home:
                home_tab_enabled: false
                messages_tab_enabled: true
                messages_tab_read_only_enabled: false
              bot_user:
                display_name: SupportBot
                always_online: true
              assistant_view:

            """);
        yaml.Append("    assistant_description: ").Append(AssistantDescription).Append('\n');
        yaml.Append("    suggested_prompts:\n");
        foreach (var (title, message) in Assistant.SlackAssistant.SuggestedPrompts)
        {
            yaml.Append("      - title: \"").Append(title).Append("\"\n");
            yaml.Append("        message: \"").Append(message).Append("\"\n");
        }

        yaml.Append("  slash_commands:\n");
        foreach (var (command, description, hint) in Commands)
        {
            yaml.Append("    - command: ").Append(command).Append('\n');
            if (!socketMode)
            {
                yaml.Append("      url: ").Append(root).Append("/slack/commands\n");
            }

            yaml.Append("      description: ").Append(description).Append('\n');
            yaml.Append("      usage_hint: \"").Append(hint).Append("\"\n");
            yaml.Append("      should_escape: false\n");
        }

        yaml.Append("  shortcuts:\n");
        foreach (var (callbackId, name, description) in MessageShortcuts.All)
        {
            yaml.Append("    - name: ").Append(name).Append('\n');
            yaml.Append("      type: message\n");
            yaml.Append("      callback_id: ").Append(callbackId).Append('\n');
            yaml.Append("      description: ").Append(description).Append('\n');
        }

        yaml.Append("oauth_config:\n  scopes:\n    bot:\n");
        foreach (var scope in BotScopes)
        {
            yaml.Append("      - ").Append(scope).Append('\n');
        }

        yaml.Append("settings:\n  event_subscriptions:\n");
        if (!socketMode)
        {
            yaml.Append("    request_url: ").Append(root).Append("/slack/events\n");
        }

        yaml.Append("    bot_events:\n");
        foreach (var ev in BotEvents)
        {
            yaml.Append("      - ").Append(ev).Append('\n');
        }

        yaml.Append("  interactivity:\n    is_enabled: true\n");
        if (!socketMode)
        {
            yaml.Append("    request_url: ").Append(root).Append("/slack/interactions\n");
        }

        yaml.Append("  org_deploy_enabled: false\n");
        yaml.Append("  socket_mode_enabled: ").Append(socketMode ? "true" : "false").Append('\n');
        yaml.Append("  token_rotation_enabled: false\n");
        return yaml.ToString();
    }
}
