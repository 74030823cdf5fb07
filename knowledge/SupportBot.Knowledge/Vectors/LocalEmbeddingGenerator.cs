using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace SupportBot.Knowledge.Vectors;

/// <summary>
/// An in-process embedding model: arctic-embed-xs (a 6-layer BERT, 384 dimensions, 22M parameters) run by
/// ONNX Runtime on the CPU. No network, no key. Inputs are WordPiece-tokenized (uncased), cut at 512
/// tokens, batched by length so little padding is computed, and each text's vector is the first ([CLS])
/// token's final hidden state, normalised: the pooling the model was trained with. Thread-safe: ONNX
/// Runtime sessions may be run concurrently.
/// </summary>
/// <remarks>
/// Each run uses one thread. A question's few short texts make one small run, where splitting the work across cores
/// gains little and ONNX Runtime's waiting threads spin: on 2 cores a question cost 9.5 ms of CPU on two threads
/// against 7.1 ms on one (docs/performance.md). Many texts (passages) are split into batches that run side by side,
/// up to the configured threads at once, each with an equal share of the token budget (at least one long passage),
/// so on a few cores memory peaks as with one batch. Calls wait in order for one of the model's own threads (as many
/// as the configured threads), never on the thread pool: acknowledgements and searches do not queue behind a run,
/// and a caller that stops waiting (its embedding timeout) is let go at once.
/// <para>
/// The model was trained with an instruction before each search query and nothing before passages
/// (<see cref="QueryPrefix"/>); <see cref="PassageEmbedder"/> adds it to questions.
/// </para>
/// </remarks>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>What the model card prescribes before a query; passages go in as they are.</summary>
    public const string QueryPrefix = "Represent this sentence for searching relevant passages: ";

    public const int Dimensions = 384;

    // The model's position embeddings end there.
    private const int MaxTokens = 512;

    // Texts per ONNX run: enough to amortise a run over short texts (questions, thread turns).
    private const int MaxBatch = 16;

    // Tokens per ONNX run (texts × the longest): attention holds batch × 12 heads × length² floats per layer, so
    // 16 passages of 512 tokens made the process peak at 1.1 GB; at 2,048 (4 long passages) it peaked at 0.55 GB
    // and used 15 % less CPU (200 corpus passages: 22.9 s → 19.5 s).
    private const int MaxBatchTokens = 2_048;

    private readonly InferenceSession _session;
    private readonly int _parallelism;
    private readonly System.Collections.Concurrent.BlockingCollection<Job> _jobs = [];
    private readonly List<Thread> _workers = [];
    private readonly BertTokenizer _tokenizer;
    private readonly EmbeddingGeneratorMetadata _metadata = new("onnxruntime", defaultModelId: LocalModelFiles.ModelId, defaultModelDimensions: Dimensions);

    /// <summary>Loads the model from <paramref name="modelPath"/> (empty: the copy shipped beside the program).</summary>
    public LocalEmbeddingGenerator(string? modelPath = null, int threads = 0)
        : this(LocalModelFiles.Read(modelPath), threads)
    {
    }

    internal LocalEmbeddingGenerator(LocalModelFiles files, int threads)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        _session = new InferenceSession(files.Model, options);
        _parallelism = threads > 0 ? threads : Environment.ProcessorCount;
        using var vocabulary = new MemoryStream(files.Vocabulary, writable: false);
        _tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true });

        // The model's own threads, idle until texts come (GenerateAsync).
        for (var i = 0; i < _parallelism; i++)
        {
            var worker = new Thread(Work) { IsBackground = true, Name = "embedding" };
            worker.Start();
            _workers.Add(worker);
        }
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? [.. values];

        // Off the caller's thread (a search embeds its question while BM25 ranks) and off the thread pool, so
        // acknowledgements and searches never queue behind a run.
        var job = new Job(texts, cancellationToken);
        _jobs.Add(job, cancellationToken);
        float[][] vectors;
        await using (cancellationToken.Register(static state => ((Job)state!).Cancel(), job))
        {
            // A caller that stops waiting (its time is up) is answered at once; a worker skips the job when it comes to it.
            vectors = await job.Done.Task.ConfigureAwait(false);
        }
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(vectors.Length);
        foreach (var vector in vectors)
        {
            embeddings.Add(new Embedding<float>(vector) { ModelId = LocalModelFiles.ModelId });
        }

        return embeddings;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        _jobs.CompleteAdding();
        foreach (var worker in _workers)
        {
            worker.Join();
        }

        _jobs.Dispose();
        _session.Dispose();
    }

    private void Work()
    {
        foreach (var job in _jobs.GetConsumingEnumerable())
        {
            if (job.CancellationToken.IsCancellationRequested)
            {
                job.Done.TrySetCanceled(job.CancellationToken);
                continue;
            }

            try
            {
                job.Done.TrySetResult(Embed(job.Texts, job.CancellationToken));
            }
            catch (OperationCanceledException) when (job.CancellationToken.IsCancellationRequested)
            {
                job.Done.TrySetCanceled(job.CancellationToken);
            }
            catch (Exception ex)
            {
                job.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>Texts waiting for an embedding thread, and the caller waiting for their vectors.</summary>
    private sealed record Job(IReadOnlyList<string> Texts, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<float[][]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Cancel() => Done.TrySetCanceled(CancellationToken);
    }

    /// <summary>Unit vectors of <paramref name="texts"/>, in order.</summary>
    internal float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var tokens = new IReadOnlyList<int>[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            tokens[i] = _tokenizer.EncodeToIds(texts[i] ?? string.Empty, MaxTokens, addSpecialTokens: true, out _, out _);
        }

        // Similar lengths share a batch, so padding costs little. Batches running side by side share the token budget.
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => tokens[i].Count).ToArray();
        var budget = Math.Max(MaxTokens, MaxBatchTokens / _parallelism);
        var batches = new List<int[]>();
        for (var start = 0; start < order.Length;)
        {
            // Sorted by length, so the last text taken is the longest: the run costs count × its length.
            var count = 1;
            while (start + count < order.Length && count < MaxBatch && (count + 1) * tokens[order[start + count]].Count <= budget)
            {
                count++;
            }

            batches.Add(order.AsSpan(start, count).ToArray());
            start += count;
        }

        var vectors = new float[texts.Count][];
        void RunBatch(int[] batch)
        {
            var embedded = Run([.. batch.Select(i => tokens[i])]);
            for (var b = 0; b < batch.Length; b++)
            {
                vectors[batch[b]] = embedded[b];
            }
        }

        if (batches.Count == 1)
        {
            RunBatch(batches[0]); // a question: on this thread, nothing handed over
        }
        else
        {
            Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken }, RunBatch);
        }

        return vectors;
    }

    private float[][] Run(IReadOnlyList<int>[] batch)
    {
        var length = batch.Max(t => t.Count);
        var shape = new[] { batch.Length, length };
        var ids = new DenseTensor<long>(shape);
        var mask = new DenseTensor<long>(shape);
        var types = new DenseTensor<long>(shape); // one segment: all zero
        for (var b = 0; b < batch.Length; b++)
        {
            for (var t = 0; t < batch[b].Count; t++)
            {
                ids[b, t] = batch[b][t];
                mask[b, t] = 1;
            }
        }

        using var outputs = _session.Run(
        [
            NamedOnnxValue.CreateFromTensor("input_ids", ids),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
            NamedOnnxValue.CreateFromTensor("token_type_ids", types),
        ]);
        var hidden = outputs[0].AsTensor<float>();
        var vectors = new float[batch.Length][];
        Span<float> cls = stackalloc float[Dimensions];
        for (var b = 0; b < batch.Length; b++)
        {
            for (var d = 0; d < Dimensions; d++)
            {
                cls[d] = hidden[b, 0, d];
            }

            vectors[b] = VectorCodec.Normalize(cls) ?? new float[Dimensions];
        }

        return vectors;
    }
}
