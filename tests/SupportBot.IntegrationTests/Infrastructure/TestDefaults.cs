using System.Runtime.CompilerServices;

namespace SupportBot.IntegrationTests.Infrastructure;

/// <summary>Settings every host and CLI process of the test run starts with, unless a test says otherwise.</summary>
internal static class TestDefaults
{
    /// <summary>
    /// Hybrid search with the local embedding model is the product's default, but embedding every index a test builds
    /// and loading the model into every host would cost most of the suite's time for tests about something else. So the
    /// run's environment (inherited by the CLI processes it starts) turns it off; the tests of hybrid search
    /// (<c>LocalEmbeddingTests</c>, <c>HybridSearchTests</c>, <c>DefaultHybridTests</c>) turn it back on by configuration,
    /// which takes precedence over the environment.
    /// </summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: the settings must hold before any test class is touched.")]
    internal static void Apply() => Environment.SetEnvironmentVariable("Knowledge__Embeddings__Provider", "none");
}
