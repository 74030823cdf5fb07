using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using SupportBot.Core.Conversations;
using SupportBot.Core.Queue;
using SupportBot.Core.State;
using SupportBot.Core.Insights;
using SupportBot.Core.Surfaces;
using SupportBot.Host.Web;
using SupportBot.Host.WebChat;

namespace SupportBot.Host.Endpoints;

/// <summary>The local web chat: the page at <c>/chat</c> and the JSON API it calls.</summary>
public static partial class ChatEndpoints
{
    public const int MaxTextLength = 4_000;
    private const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapChat(this IEndpointRouteBuilder app)
    {
        var access = app.ServiceProvider.GetRequiredService<WebAccess>();
        if (!access.Chat)
        {
            return app;
        }

        app.MapGet("/chat", () => Pages.Serve("chat.html")).Protect(access, WebAccess.AgentPolicy);

        var api = app.MapGroup("/chat/api").WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes)).Protect(access, WebAccess.AgentPolicy);
        api.MapPost("/messages", PostMessageAsync).RequireAntiforgeryHeader(access).RequireRateLimiting(WebAccess.ChatRateLimit);
        api.MapGet("/threads/{threadId}/replies", GetRepliesAsync);
        api.MapPost("/actions", PostActionAsync).RequireAntiforgeryHeader(access).RequireRateLimiting(WebAccess.ChatRateLimit);
        return app;
    }

    internal static async Task<IResult> PostMessageAsync(ChatMessageRequest request, HttpContext context, InboundGateway gateway, TimeProvider time, CancellationToken cancellationToken)
    {
        var text = request.Text?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return Results.BadRequest(new ApiError("Type a question first."));
        }

        if (text.Length > MaxTextLength)
        {
            return Results.BadRequest(new ApiError($"Questions are limited to {MaxTextLength.ToString(CultureInfo.InvariantCulture)} characters."));
        }

        var threadId = string.IsNullOrEmpty(request.ThreadId) ? NewId() : request.ThreadId;
        if (!IsValidId(threadId))
        {
            return Results.BadRequest(new ApiError("threadId must be 1–64 letters, digits or dashes."));
        }

        var (owner, userId, userName) = Speaker(context, request.User);
        var message = new InboundMessage(
            NewId(), WebChatSurface.Conversation(owner, threadId), userId, userName, text, time.GetUtcNow(), Tenant: WebChatSurface.SurfaceName, Scope: ConversationScope.Direct);
        await gateway.AcceptAsync(message, cancellationToken);
        return Results.Accepted(value: new ChatMessageAccepted(threadId, message.Id));
    }

    internal static async Task<IResult> GetRepliesAsync(string threadId, long? after, HttpContext context, IReplyLog replies, CancellationToken cancellationToken)
    {
        if (!IsValidId(threadId))
        {
            return Results.BadRequest(new ApiError("threadId must be 1–64 letters, digits or dashes."));
        }

        // Threads live under their owner: another user's thread id names an empty thread of one's own.
        var logged = await replies.ReadAfterAsync(WebChatSurface.Conversation(Speaker(context, null).Owner, threadId), after ?? 0, cancellationToken);
        return Results.Ok(new ChatReplies([.. logged.Select(ToChatReply)]));
    }

    internal static async Task<IResult> PostActionAsync(ChatActionRequest request, HttpContext context, InboundGateway gateway, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.ThreadId is not { } threadId || !IsValidId(threadId) || request.ReplyTo <= 0)
        {
            return Results.BadRequest(new ApiError("threadId and replyTo name the reply the action belongs to."));
        }

        if (request.Action is not (ActionIds.Helpful or ActionIds.NotHelpful or ActionIds.DraftReply or ActionIds.FeedbackReason))
        {
            return Results.BadRequest(new ApiError($"Unknown action '{request.Action}'."));
        }

        var target = request.MessageId;
        if (request.Action == ActionIds.FeedbackReason)
        {
            if (!FeedbackReasons.TryParse(request.Reason, out var reason) || string.IsNullOrEmpty(request.MessageId))
            {
                return Results.BadRequest(new ApiError($"reason is one of {string.Join(", ", FeedbackReasons.All.Select(r => r.Name))}, and messageId names the answer."));
            }

            if (request.Comment?.Length > FeedbackReasons.MaxComment)
            {
                return Results.BadRequest(new ApiError($"comment is at most {FeedbackReasons.MaxComment} characters."));
            }

            target = FeedbackReasons.Pack(reason, request.MessageId);
        }

        // One rating, one reason and one draft per reply: a second click (or a double submit) is a duplicate.
        var kind = request.Action switch
        {
            ActionIds.DraftReply => "draft",
            ActionIds.FeedbackReason => "reason",
            _ => "feedback",
        };
        var (owner, userId, userName) = Speaker(context, request.User);
        var id = string.Create(CultureInfo.InvariantCulture, $"{owner}-{threadId}-{request.ReplyTo}-{kind}");
        var text = request.Action == ActionIds.FeedbackReason ? (request.Comment ?? string.Empty).Trim() : string.Empty;
        var message = new InboundMessage(
            id, WebChatSurface.Conversation(owner, threadId), userId, userName, text, time.GetUtcNow(), InboundKind.Action, request.Action, target,
            Tenant: WebChatSurface.SurfaceName, Scope: ConversationScope.Direct);
        await gateway.AcceptAsync(message, cancellationToken);

        // A draft is answered like a message: the page polls for the reply to this id.
        return Results.Accepted(value: new ChatMessageAccepted(threadId, id));
    }

    private static ChatReply ToChatReply(LoggedReply logged)
    {
        var reply = logged.Reply;
        return new ChatReply(
            logged.Seq,
            logged.InReplyTo,
            reply.Kind.ToString().ToLowerInvariant(),
            reply.Text,
            reply.Citations,
            reply.Confident,
            [.. reply.Actions.Select(a => new ChatAction(a.Id, a.Label))],
            logged.At);
    }

    /// <summary>
    /// Who speaks: the signed-in identity when there is one (a name the client sends is ignored); in the open
    /// local default, the name typed on the page, all in one local space.
    /// </summary>
    private static (string Owner, string UserId, string UserName) Speaker(HttpContext context, string? typed)
    {
        if (WebUser.From(context.User) is { } user)
        {
            return (user.Owner, user.Id, user.Name);
        }

        var name = UserName(typed);
        return (WebChatSurface.LocalOwner, name, name);
    }

    private static string UserName(string? user)
    {
        var name = string.IsNullOrWhiteSpace(user) ? "agent" : user.Trim();
        return name.Length > 64 ? name[..64] : name;
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static bool IsValidId(string id) => ThreadIdPattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ThreadIdPattern();
}
