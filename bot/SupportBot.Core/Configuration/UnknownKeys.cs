using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SupportBot.Core.Configuration;

/// <summary>A configuration section bound to an options class (every one registered with <c>AddValidatedOptions</c>).</summary>
public sealed record BoundSection(string Path, Type OptionsType);

/// <summary>
/// Refuses keys under our sections that no setting reads: a misspelled key (<c>Queue:Concurency</c>) would otherwise
/// be ignored without a word and its default used. Each is reported with the nearest valid name.
/// </summary>
public sealed class UnknownKeysValidator<TOptions>(string section, IConfiguration configuration, IEnumerable<BoundSection> bound) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var subsections = bound.Select(b => b.Path).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = UnknownKeys.Find(configuration.GetSection(section), typeof(TOptions), subsections).ToList();
        return unknown.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(unknown);
    }
}

/// <summary>Finds configuration keys that match no property of an options class, with the nearest property's name.</summary>
public static class UnknownKeys
{
    /// <summary>
    /// The keys under <paramref name="section"/> that <paramref name="type"/> has no property for (nested classes are
    /// walked; the entries of lists and dictionaries are data, not names). A key that is itself another bound
    /// section (<c>Knowledge:Search</c> under <c>Knowledge</c>) is known.
    /// </summary>
    public static IEnumerable<string> Find(IConfigurationSection section, Type type, IReadOnlySet<string> boundSections)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(boundSections);
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (boundSections.Contains(child.Path))
            {
                continue;
            }

            if (!properties.TryGetValue(child.Key, out var property))
            {
                var nearest = Nearest(child.Key, properties.Keys);
                yield return nearest is null
                    ? $"{child.Path}: no such setting"
                    : $"{child.Path}: no such setting; did you mean {section.Path}:{nearest}?";
                continue;
            }

            if (IsNested(property.PropertyType))
            {
                foreach (var inner in Find(child, property.PropertyType, boundSections))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>True for a property type bound as a section of its own (a class of settings), not a value or a list.</summary>
    internal static bool IsNested(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(Uri);

    /// <summary>The candidate within a third of the key's length in edits (at least two), the closest first.</summary>
    private static string? Nearest(string key, IEnumerable<string> candidates) =>
        candidates
            .Select(c => (Name: c, Distance: Distance(key.ToUpperInvariant(), c.ToUpperInvariant())))
            .Where(c => c.Distance <= Math.Max(2, key.Length / 3))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
