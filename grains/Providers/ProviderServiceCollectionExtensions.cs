using Harness.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Harness.Providers;

/// <summary>Registers the model providers ("self-registration" happens here, at silo start).</summary>
public static class ProviderServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="IModelProvider"/> singleton per built-in provider whose
    /// <c>Harness:Providers:&lt;name&gt;:Enabled</c> is not false (anthropic, openai, kimi, lmstudio, llamacpp), with
    /// <see cref="ProviderOptions"/> bound per name; plus <see cref="IProviderRegistry"/>, <see cref="ProviderAdmin"/> with
    /// <see cref="ProviderRegistryOptions"/> from <c>Harness:ProviderRegistry</c>,
    /// the key store (grain-backed inside a silo, in-memory elsewhere), <see cref="ModelsCatalogOptions"/> from
    /// <c>Harness:Models</c> and the silo-start catalog refresh.
    /// </summary>
    public static IServiceCollection AddHarnessProviders(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        foreach (var profile in ProviderProfile.BuiltIn)
        {
            var section = configuration.GetSection($"{ProviderOptions.SectionName}:{profile.Name}");
            services.AddOptions<ProviderOptions>(profile.Name)
                .Bind(section)
                .Validate(o => o.BaseUrl is null || Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), $"{ProviderOptions.SectionName}:{profile.Name}:BaseUrl must be an absolute URL")
                .Validate(o => o.MaxTokens is null or (>= 1 and <= ProviderConfigureRequest.MaxTokensLimit), $"{ProviderOptions.SectionName}:{profile.Name}:MaxTokens must be between 1 and {ProviderConfigureRequest.MaxTokensLimit}")
                .Validate(o => o.MaxRetries is >= 0 and <= 10, $"{ProviderOptions.SectionName}:{profile.Name}:MaxRetries must be between 0 and 10")
                .Validate(o => o.NetworkTimeout > TimeSpan.Zero, $"{ProviderOptions.SectionName}:{profile.Name}:NetworkTimeout must be positive")
                .ValidateOnStart();
            if (section.GetValue<bool?>(nameof(ProviderOptions.Enabled)) ?? true)
            {
                services.AddSingleton<IModelProvider>(sp => Create(profile, sp));
            }
        }
        services.TryAddSingleton<IProviderKeyStore>(sp => sp.GetService<IGrainFactory>() is { } grains
            ? new ProviderKeyStore(grains, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ProviderKeyStore>>())
            : new InMemoryProviderKeyStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ProviderKeyProtector(sp.GetService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()));
        services.TryAddSingleton<ProviderConnectionResolver>();
        services.TryAddSingleton<IProviderRegistry, ProviderRegistry>();
        services.TryAddSingleton<ProviderAdmin>();
        services.AddOptions<ProviderRegistryOptions>()
            .Bind(configuration.GetSection(ProviderRegistryOptions.SectionName))
            .Validate(o => o.RegistrationCacheTtl > TimeSpan.Zero, $"{ProviderRegistryOptions.SectionName}:RegistrationCacheTtl must be positive")
            .ValidateOnStart();
        services.AddOptions<ModelsCatalogOptions>()
            .Bind(configuration.GetSection(ModelsCatalogOptions.SectionName))
            .Validate(o => o.ProviderTimeout > TimeSpan.Zero, $"{ModelsCatalogOptions.SectionName}:ProviderTimeout must be positive");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, ModelsCatalogStartup>());
        return services;
    }

    private static IModelProvider Create(ProviderProfile profile, IServiceProvider services)
    {
        var resolver = services.GetRequiredService<ProviderConnectionResolver>();
        var time = services.GetRequiredService<TimeProvider>();
        return profile.Protocol switch
        {
            ProviderProtocol.AnthropicMessages => new AnthropicProvider(profile, resolver, time, services.GetRequiredService<ILogger<AnthropicProvider>>()),
            _ => new OpenAiCompatibleProvider(profile, resolver, time, services.GetRequiredService<ILogger<OpenAiCompatibleProvider>>()),
        };
    }
}
