using System.Text.Json;
using System.Text.Json.Serialization;
using SupportBot.Core.Conversations;
using SupportBot.Core.Escalations;
using SupportBot.Core.Insights;
using SupportBot.Core.State;

namespace SupportBot.Redis;

/// <summary>Source-generated JSON for everything stored in Redis (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InboundMessage))]
[JsonSerializable(typeof(ConversationTurn))]
[JsonSerializable(typeof(LoggedReply))]
[JsonSerializable(typeof(QuestionRecord))]
[JsonSerializable(typeof(FeedbackRecord))]
[JsonSerializable(typeof(SupportBot.Core.Articles.ArticleDraft))]
[JsonSerializable(typeof(Escalation))]
[JsonSerializable(typeof(SlaTimer))]
[JsonSerializable(typeof(SupportBot.Core.Audit.AuditEntry))]
[JsonSerializable(typeof(SupportBot.Core.Curation.ArticleCuration))]
[JsonSerializable(typeof(SupportBot.Core.PastThreads.PastThread))]
internal sealed partial class RedisJson : JsonSerializerContext;
