using System.Text.Json;
using System.Text.Json.Serialization;
using SupportBot.Host.Cli;
using SupportBot.Host.Endpoints;

namespace SupportBot.Host;

/// <summary>Source-generated JSON for the host's endpoints and CLI output.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChatMessageRequest))]
[JsonSerializable(typeof(ChatMessageAccepted))]
[JsonSerializable(typeof(ChatActionRequest))]
[JsonSerializable(typeof(ChatReplies))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(DashboardData))]
[JsonSerializable(typeof(ChannelSettings))]
[JsonSerializable(typeof(ArticleQueue))]
[JsonSerializable(typeof(ArticleEdit))]
[JsonSerializable(typeof(SupportBot.Core.Articles.ArticleDraft))]
[JsonSerializable(typeof(ChannelSettingsUpdate))]
[JsonSerializable(typeof(AuditPage))]
[JsonSerializable(typeof(AnalyticsReport))]
[JsonSerializable(typeof(ArticleList))]
[JsonSerializable(typeof(CuratedArticle))]
[JsonSerializable(typeof(CurationRequest))]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(ReadinessReport))]
[JsonSerializable(typeof(AskResult))]
[JsonSerializable(typeof(EraseResult))]
[JsonSerializable(typeof(SupportBot.Host.Evaluation.AnswerQuality))]
[JsonSerializable(typeof(EvalResult))]
internal sealed partial class HostJson : JsonSerializerContext;
