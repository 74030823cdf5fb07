using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Util;
using SupportBot.Knowledge.Articles;
using SupportBot.Knowledge.Index;
using SupportBot.Knowledge.Vectors;

namespace SupportBot.Knowledge.Ingestion;

/// <summary>
/// Writes passages through an <see cref="IndexWriter"/>, each with its vector when an embedding model
/// is configured, so a passage and its vector are committed together. Without a model every operation
/// goes straight to the writer. With one, operations wait until <see cref="PassageEmbedder.BatchSize"/>
/// passages are pending, which are then embedded in one call and everything is applied in the order it
/// was asked (a delete queued after an add still removes it). If the model fails, the run goes on
/// without vectors: the failure is reported once and the next ingest embeds those passages.
/// </summary>
internal sealed class PassageWriter(IndexWriter writer, PassageEmbedder? embedder, Action<Exception> embeddingFailed)
{
    private readonly List<Operation> _pending = [];
    private readonly List<(Document Document, Chunk Chunk)> _unembedded = [];
    private int _dimensions;

    /// <summary>True while passages get vectors: a model is configured and has not failed in this run.</summary>
    public bool Embeds => embedder is not null && !Failed;

    public bool Failed { get; private set; }

    /// <summary>Passages written with a vector.</summary>
    public int Embedded { get; private set; }

    public void Delete(Term term) => Queue(new Operation(term, null, null));

    /// <summary>
    /// Adds the passages; with <paramref name="replacing"/>, first deletes what that term matches (atomically);
    /// <paramref name="amend"/> adds fields of its own to each passage (a remote article's locale).
    /// </summary>
    public Task AddAsync(IReadOnlyList<Chunk> chunks, string? file, string? hash, Term? replacing, CancellationToken cancellationToken, Action<Document>? amend = null)
    {
        var documents = chunks.Select(c => KnowledgeIndex.ToDocument(c, file, hash)).ToList();
        if (amend is not null)
        {
            documents.ForEach(amend);
        }

        if (Embeds)
        {
            for (var i = 0; i < chunks.Count; i++)
            {
                _unembedded.Add((documents[i], chunks[i]));
            }
        }

        Queue(new Operation(replacing, documents, null));
        return _unembedded.Count >= PassageEmbedder.BatchSize ? FlushAsync(cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Runs <paramref name="done"/> once everything asked before it has been written (progress reports).</summary>
    public void Then(Action done) => Queue(new Operation(null, null, done));

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_unembedded.Count > 0)
        {
            await EmbedPendingAsync(cancellationToken);
        }

        foreach (var operation in _pending)
        {
            Apply(operation);
        }

        _pending.Clear();
    }

    /// <summary>
    /// Writes what is pending, records the embedding model and commits; with <paramref name="compact"/>, then
    /// merges the committed index into one segment (<see cref="KnowledgeIndex.Compact"/>).
    /// </summary>
    public async Task CommitAsync(bool compact, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        RecordModel();
        writer.Commit();
        if (compact)
        {
            KnowledgeIndex.Compact(writer);
        }
    }

    /// <summary>Records the embedding model (and its dimensions) in the next commit, when they changed.</summary>
    private void RecordModel()
    {
        if (embedder is null)
        {
            return;
        }

        var data = new Dictionary<string, string>(writer.CommitData ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var before = new Dictionary<string, string>(data, StringComparer.Ordinal);
        if (!data.TryGetValue(IndexFields.EmbeddingModelCommitKey, out var model) || model != embedder.Model)
        {
            data.Remove(IndexFields.EmbeddingDimensionsCommitKey);
        }

        data[IndexFields.EmbeddingModelCommitKey] = embedder.Model;
        if (_dimensions > 0)
        {
            data[IndexFields.EmbeddingDimensionsCommitKey] = _dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (data.Count != before.Count || data.Any(d => !before.TryGetValue(d.Key, out var value) || value != d.Value))
        {
            writer.SetCommitData(data); // Only on a change: an ingest that changed nothing makes no new commit.
        }
    }

    private void Queue(Operation operation)
    {
        if (!Embeds)
        {
            Apply(operation);
            return;
        }

        _pending.Add(operation);
    }

    private async Task EmbedPendingAsync(CancellationToken cancellationToken)
    {
        var pending = _unembedded.ToList();
        _unembedded.Clear();
        if (!Embeds)
        {
            return;
        }

        float[]?[] vectors;
        try
        {
            vectors = await embedder!.EmbedAsync(pending.Select(p => PassageEmbedder.TextOf(p.Chunk)).ToList(), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Failed = true;
            embeddingFailed(ex);
            return;
        }

        for (var i = 0; i < pending.Count; i++)
        {
            if (vectors[i] is not { } vector || (_dimensions != 0 && vector.Length != _dimensions))
            {
                continue;
            }

            _dimensions = vector.Length;
            pending[i].Document.Add(new BinaryDocValuesField(IndexFields.Vector, new BytesRef(VectorCodec.Encode(vector))));
            pending[i].Document.Add(new NumericDocValuesField(IndexFields.VectorSpace, embedder.Space));
            Embedded++;
        }
    }

    private void Apply(Operation operation)
    {
        if (operation.Done is not null)
        {
            operation.Done();
        }
        else if (operation.Documents is null)
        {
            writer.DeleteDocuments(operation.Term!);
        }
        else if (operation.Term is null)
        {
            writer.AddDocuments(operation.Documents);
        }
        else
        {
            writer.UpdateDocuments(operation.Term, operation.Documents);
        }
    }

    private sealed record Operation(Term? Term, List<Document>? Documents, Action? Done);
}
