using Lucene.Net.Index;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupportBot.Core;
using SupportBot.Core.Answering;
using SupportBot.Core.Languages;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Vectors;

namespace SupportBot.Knowledge.Search;

/// <summary>
/// BM25 and dense retrieval fused with weights (<c>Knowledge:Search:Fusion</c>, <c>DenseWeight</c>); in use when an
/// embedding model is configured. The dense query is the whole thread weighted as the BM25 query weighs it
/// (the question 1, earlier turns less). It is embedded while BM25 ranks; then the passages nearest to it (same
/// product filter, same depth: <c>Top × 3</c>) are fused with BM25's candidates, and the fused top is
/// read and analysed exactly as BM25's would be: key sentences and coverage stay lexical, so the
/// answer-or-decline threshold keeps its meaning (a nearest neighbour always exists; a word match does not).
/// If the question cannot be embedded in time, the result is BM25's alone, unchanged.
/// </summary>
internal sealed partial class HybridKnowledgeSearch(
    LuceneKnowledgeSearch lexical,
    KnowledgeIndex index,
    IOptions<KnowledgeSearchOptions> options,
    ILogger<HybridKnowledgeSearch> logger,
    TimeProvider? time = null,
    IOptions<AnsweringOptions>? answering = null,
    IOptions<EmbeddingOptions>? embeddings = null) : IKnowledgeSearch
{
    private readonly double _minCoverage = answering?.Value.MinCoverage ?? new AnsweringOptions().MinCoverage;
    private readonly PassageEmbedder _embedder = index.Embedder ?? throw new ArgumentException("the index has no embedding model", nameof(index));
    private readonly DenseIndex _dense = index.Dense!;
    private readonly KnowledgeSearchOptions _options = options.Value;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly HashSet<string>? _denseLanguages = DenseLanguages(embeddings?.Value, index.Embedder);
    private IndexReader? _checkedReader;
    private string? _reportedModel;

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var language = lexical.LanguageOf(request); // told once: detecting it reads the question and its thread
        if (_denseLanguages is not null && !_denseLanguages.Contains(language))
        {
            // A model that does not know the question's language would fuse in neighbours of noise.
            return await lexical.SearchAsync(request with { Language = language }, cancellationToken);
        }

        var terms = lexical.WeightedTerms(request, language);
        if (terms.Count == 0)
        {
            return []; // As BM25: a question without a searchable word finds nothing, rather than its nearest neighbours.
        }

        // Opened (or built, on first use) before the question's embedding starts its clock.
        await index.EnsureOpenAsync(cancellationToken);
        var question = EmbedQuestionAsync(request, cancellationToken);
        return await index.UseSearcherAsync<IReadOnlyList<SearchHit>>(
            async searcher =>
            {
                var wanted = Math.Max(1, request.Top);
                var depth = wanted * LuceneKnowledgeSearch.Candidates;
                var bm25 = lexical.Rank(searcher, request, terms, depth, out var lookup);
                var vector = await question;
                if (vector is null || request.Sources.Count > 0) // the dense side has no source filter: a source-restricted search is lexical
                {
                    return lexical.Hits(searcher, bm25, wanted, terms, lookup);
                }

                CheckIndexedModel(searcher.IndexReader);
                var dense = _dense.Search(searcher.IndexReader, vector, depth, request.Restricted ? request.Areas : null, _embedder.Space);
                var fused = string.Equals(_options.Fusion, FusionMethods.Score, StringComparison.OrdinalIgnoreCase)
                    ? ScoreFusion.Fuse([bm25, dense], [1.0, _options.DenseWeight])
                    : ReciprocalRankFusion.Fuse([bm25.ConvertAll(r => r.Doc), dense.ConvertAll(r => r.Doc)], weights: [1.0, _options.DenseWeight]);
                var hits = lexical.Hits(searcher, fused, wanted, terms, lookup);
                return _options.CoverageDenseShare > 0 ? WithDenseEvidence(hits, fused, dense) : hits;
            },
            cancellationToken);
    }

    /// <summary>The languages whose questions get the dense side; null for all (<see cref="EmbeddingOptions.Languages"/>).</summary>
    private static HashSet<string>? DenseLanguages(EmbeddingOptions? options, PassageEmbedder? embedder)
    {
        if (options is { Languages.Count: > 0 })
        {
            return options.Languages.Select(l => KnownLanguages.Normalize(l) ?? l).ToHashSet(StringComparer.Ordinal);
        }

        return embedder is { IsLocal: true } ? [KnownLanguages.English] : null;
    }

    /// <summary>
    /// Each hit's coverage blended with its cosine to the query by <c>CoverageDenseShare</c>: a passage that says the
    /// same thing in other words is evidence too. A passage outside the dense candidates gets the lowest cosine among them.
    /// </summary>
    private List<SearchHit> WithDenseEvidence(List<SearchHit> hits, List<(int Doc, float Score)> fused, List<(int Doc, float Score)> dense)
    {
        if (dense.Count == 0)
        {
            return hits;
        }

        var cosines = new Dictionary<int, float>(dense.Count);
        foreach (var (doc, cosine) in dense)
        {
            cosines.TryAdd(doc, cosine);
        }

        var floor = dense.Min(d => d.Score);
        var share = _options.CoverageDenseShare;
        var scale = _options.HybridMinCoverage > 0 ? _minCoverage / _options.HybridMinCoverage : 1.0;
        for (var i = 0; i < hits.Count; i++)
        {
            var cosine = Math.Max(0, cosines.GetValueOrDefault(fused[i].Doc, floor));
            hits[i] = hits[i] with { Coverage = Math.Min(1.0, scale * (((1 - share) * hits[i].Coverage) + (share * cosine))) };
        }

        return hits;
    }

    /// <summary>
    /// The thread's texts with the weights the BM25 query gives their terms: the question 1, each earlier user turn
    /// <c>ContextWeight × ContextDecay^distance</c>, the bot's replies <c>ReplyWeight × ContextDecay^distance</c>;
    /// heaviest first, so a joined query starts with the question.
    /// </summary>
    internal List<(string Text, float Weight)> QueryParts(SearchRequest request)
    {
        var parts = new List<(string Text, float Weight)> { (request.Question, 1f) };
        AddTurns(request.Context, _options.ContextWeight);
        AddTurns(request.Replies ?? [], _options.ReplyWeight);
        return [.. parts.OrderByDescending(p => p.Weight)]; // stable: equal weights keep the thread's order, latest first

        void AddTurns(IReadOnlyList<string> turns, double weight)
        {
            for (var i = turns.Count - 1; i >= 0 && weight > 0.01; i--)
            {
                parts.Add((turns[i], (float)weight));
                weight *= _options.ContextDecay;
            }
        }
    }

    /// <summary>The thread's query vector, or null when the model fails or is slow.</summary>
    private async Task<float[]?> EmbedQuestionAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        using var bounded = new Deadline(_options.EmbeddingTimeout, _time, cancellationToken);
        try
        {
            return await _embedder.EmbedQueryAsync(QueryParts(request), _options.DenseQuery, bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogSlow(logger, _options.EmbeddingTimeout.TotalMilliseconds);
            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>Warns (once per model seen) when the index was last embedded by another model, or by none.</summary>
    private void CheckIndexedModel(IndexReader reader)
    {
        if (ReferenceEquals(Volatile.Read(ref _checkedReader), reader) || reader is not DirectoryReader directory)
        {
            return;
        }

        Volatile.Write(ref _checkedReader, reader);
        var indexed = directory.IndexCommit.UserData.TryGetValue(IndexFields.EmbeddingModelCommitKey, out var model) ? model : "no model";
        if (indexed != _embedder.Model && indexed != Volatile.Read(ref _reportedModel))
        {
            Volatile.Write(ref _reportedModel, indexed);
            LogOtherModel(logger, indexed, _embedder.Model);
        }
    }

    // The exception type only: provider messages can echo request details.
    [LoggerMessage(Level = LogLevel.Warning, Message = "The question could not be embedded ({Error}); searched with BM25 alone")]
    private static partial void LogFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The question was not embedded within {Milliseconds} ms; searched with BM25 alone")]
    private static partial void LogSlow(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The knowledge index was embedded by {Indexed}, not {Configured}: dense retrieval sees only passages embedded by {Configured} until `supportbot ingest` re-embeds the rest")]
    private static partial void LogOtherModel(ILogger logger, string indexed, string configured);
}
