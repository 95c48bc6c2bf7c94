using Harness.Bridge.Hosting;
using Harness.Turns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Harness.Bridge.Hooks;

public static class HookFanoutServiceCollectionExtensions
{
    /// <summary>
    /// <c>hook-fanout::publish_collect</c> and the turn's after-function-call hook, with <see cref="HookFanoutOptions"/>
    /// from <c>Harness:HookFanout</c>. Part of the bridge: both need the bus.
    /// </summary>
    public static IServiceCollection AddHookFanout(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HookFanoutOptions>()
            .Bind(configuration.GetSection(HookFanoutOptions.SectionName))
            .Validate(o => o.DefaultTimeoutMs > 0 && o.MinTimeoutMs > 0 && o.QuiescenceMs >= 0 && o.AfterHookTimeoutMs > 0,
                $"{HookFanoutOptions.SectionName}: timeouts must be positive and QuiescenceMs not negative")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.SubscriberCacheTtl >= TimeSpan.Zero,
                $"{HookFanoutOptions.SectionName}: PollInterval must be positive and SubscriberCacheTtl not negative")
            .ValidateOnStart();
        services.TryAddSingleton<HookFanout>();
        services.TryAddSingleton<SubscriberPresence>();
        services.TryAddSingleton<IAfterFunctionCallHook, AfterFunctionCallHook>();
        services.AddBridgeFunctions<HookFanoutFunctions>();
        return services;
    }
}
