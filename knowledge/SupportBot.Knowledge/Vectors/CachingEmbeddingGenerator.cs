using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace SupportBot.Knowledge.Vectors;

/// <summary>
/// Remembers each text's embedding, optionally in a file, so repeated evaluations (one index, many settings)
/// embed every passage and question once. Keyed by model and text: a file written for one model is never read for another.
/// </summary>
public sealed class CachingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, string? file = null)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private const int FormatVersion = 1;

    private readonly ConcurrentDictionary<string, float[]> _vectors = Load(file, ModelOf(inner));
    private readonly string _model = ModelOf(inner);
    private int _added;

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? [.. values];
        var missing = texts.Where(t => !_vectors.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            var made = await base.GenerateAsync(missing, options, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < missing.Count; i++)
            {
                _vectors[missing[i]] = made[i].Vector.ToArray();
            }

            Interlocked.Add(ref _added, missing.Count);
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        foreach (var text in texts)
        {
            result.Add(new Embedding<float>(_vectors[text]) { ModelId = _model });
        }

        return result;
    }

    /// <summary>Writes the cache to its file when anything was added since it was read.</summary>
    public void Save()
    {
        if (file is null || Interlocked.Exchange(ref _added, 0) == 0)
        {
            return;
        }

        var temporary = file + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(FormatVersion);
            writer.Write(_model);
            var entries = _vectors.ToArray();
            writer.Write(entries.Length);
            foreach (var (text, vector) in entries)
            {
                writer.Write(text);
                writer.Write(vector.Length);
                foreach (var value in vector)
                {
                    writer.Write(value);
                }
            }
        }

        File.Move(temporary, file, overwrite: true);
    }

    private static string ModelOf(IEmbeddingGenerator<string, Embedding<float>> generator) =>
        generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "default";

    private static ConcurrentDictionary<string, float[]> Load(string? file, string model)
    {
        var vectors = new ConcurrentDictionary<string, float[]>(StringComparer.Ordinal);
        if (file is null || !File.Exists(file))
        {
            return vectors;
        }

        using var reader = new BinaryReader(File.OpenRead(file));
        if (reader.ReadInt32() != FormatVersion || reader.ReadString() != model)
        {
            return vectors; // Another format or model: start afresh.
        }

        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var text = reader.ReadString();
            var vector = new float[reader.ReadInt32()];
            for (var d = 0; d < vector.Length; d++)
            {
                vector[d] = reader.ReadSingle();
            }

            vectors[text] = vector;
        }

        return vectors;
    }
}
