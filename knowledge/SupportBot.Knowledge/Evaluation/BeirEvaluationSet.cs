using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SupportBot.Knowledge.Ingestion;

namespace SupportBot.Knowledge.Evaluation;

/// <summary>A line of <c>queries.jsonl</c>.</summary>
public sealed record BeirQuery([property: JsonPropertyName("_id")] string? Id, [property: JsonPropertyName("text")] string? Text);

/// <summary>A turn of a <c>conversations.jsonl</c> thread.</summary>
public sealed record BeirTurn([property: JsonPropertyName("speaker")] string? Speaker, [property: JsonPropertyName("text")] string? Text);

/// <summary>A line of <c>conversations.jsonl</c>: the thread whose last turn is the question.</summary>
public sealed record BeirConversation([property: JsonPropertyName("_id")] string? Id, [property: JsonPropertyName("turns")] IReadOnlyList<BeirTurn>? Turns);

/// <summary>A line of <c>answers.jsonl</c>.</summary>
public sealed record BeirAnswerability(
    [property: JsonPropertyName("_id")] string? Id,
    [property: JsonPropertyName("answerability")] string? Answerability,
    [property: JsonPropertyName("domain")] string? Domain);

/// <summary>The labelled files of a BEIR-format evaluation set (docs/configuration.md), read strictly: a bad line names its file and number.</summary>
public sealed class BeirEvaluationSet
{
    public required IReadOnlyDictionary<string, string> Queries { get; init; }

    /// <summary>Relevant corpus ids per query id, with their graded relevance.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Qrels { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<BeirTurn>> Conversations { get; init; } = new Dictionary<string, IReadOnlyList<BeirTurn>>();

    public IReadOnlyDictionary<string, BeirAnswerability> Answers { get; init; } = new Dictionary<string, BeirAnswerability>();

    public static async Task<BeirEvaluationSet> LoadAsync(string queries, string qrels, string? conversations, string? answers, CancellationToken cancellationToken)
    {
        var queryMap = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var (query, _) in ReadLinesAsync(queries, KnowledgeJson.Default.BeirQuery, cancellationToken))
        {
            if (query.Id is { } id && query.Text is { } text)
            {
                queryMap[id] = text;
            }
        }

        var qrelMap = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(qrels, cancellationToken))
        {
            lineNumber++;
            if (lineNumber == 1 || string.IsNullOrWhiteSpace(line))
            {
                continue; // The header.
            }

            var parts = line.Split('\t');
            if (parts.Length < 3 || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var score))
            {
                throw new InvalidDataException($"{qrels}:{lineNumber}: expected query-id<TAB>corpus-id<TAB>score");
            }

            if (!qrelMap.TryGetValue(parts[0], out var judged))
            {
                qrelMap[parts[0]] = judged = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            ((Dictionary<string, int>)judged)[parts[1]] = score;
        }

        var conversationMap = new Dictionary<string, IReadOnlyList<BeirTurn>>(StringComparer.Ordinal);
        if (conversations is not null)
        {
            await foreach (var (conversation, number) in ReadLinesAsync(conversations, KnowledgeJson.Default.BeirConversation, cancellationToken))
            {
                if (conversation.Id is null || conversation.Turns is not { Count: > 0 } turns)
                {
                    throw new InvalidDataException($"{conversations}:{number}: a conversation needs _id and turns");
                }

                conversationMap[conversation.Id] = turns;
            }
        }

        var answerMap = new Dictionary<string, BeirAnswerability>(StringComparer.Ordinal);
        if (answers is not null)
        {
            await foreach (var (answer, number) in ReadLinesAsync(answers, KnowledgeJson.Default.BeirAnswerability, cancellationToken))
            {
                if (answer.Id is null || answer.Answerability is null)
                {
                    throw new InvalidDataException($"{answers}:{number}: a line needs _id and answerability");
                }

                answerMap[answer.Id] = answer;
            }
        }

        return new BeirEvaluationSet { Queries = queryMap, Qrels = qrelMap, Conversations = conversationMap, Answers = answerMap };
    }

    private static async IAsyncEnumerable<(T Value, int Line)> ReadLinesAsync<T>(
        string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var number = 0;
        await foreach (var line in File.ReadLinesAsync(path, cancellationToken))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            T? value;
            try
            {
                value = JsonSerializer.Deserialize(line, type);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}:{number}: not valid JSON ({ex.Message})", ex);
            }

            if (value is null)
            {
                throw new InvalidDataException($"{path}:{number}: not a JSON object");
            }

            yield return (value, number);
        }
    }
}
