using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SupportBot.Core.Configuration;

/// <summary>
/// Binds an options class to its section and validates it when the host starts: its data annotations, and that every
/// key under the section is one of its settings (<see cref="UnknownKeysValidator{TOptions}"/>).
/// </summary>
public static class OptionsRegistration
{
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section)));
        services.AddSingleton(new BoundSection(section, typeof(TOptions)));
        services.AddSingleton<IValidateOptions<TOptions>>(sp => new UnknownKeysValidator<TOptions>(section, configuration, sp.GetServices<BoundSection>()));
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }
}
