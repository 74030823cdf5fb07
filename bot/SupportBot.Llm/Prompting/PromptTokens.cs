using Microsoft.ML.Tokenizers;

namespace SupportBot.Llm.Prompting;

/// <summary>Counts prompt tokens with the o200k encoding (GPT-4o family); close enough for budgeting other models.</summary>
internal static class PromptTokens
{
    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    public static int Count(string text) => Tokenizer.Value.CountTokens(text);
}
