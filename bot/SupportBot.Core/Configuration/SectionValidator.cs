using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SupportBot.Core.Configuration;

/// <summary>
/// Validates an options class's data annotations and reports each failure by its configuration
/// key (<c>Queue:Concurrency: …</c>), so an operator knows exactly which setting to fix.
/// </summary>
public sealed class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(r =>
            $"{section}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"));
    }
}
