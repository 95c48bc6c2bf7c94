using Harness.Bridge.Channels;
using Harness.Bridge.Client;
using Harness.Bridge.Events;
using Harness.Bridge.Functions;
using Harness.Bridge.Hooks;
using Harness.Bridge.Invoker;
using Harness.Bridge.Telemetry;
using Harness.Events;
using Harness.Functions;
using Harness.Models;
using Harness.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Hosting;

public static class IiiBridgeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the iii bridge to a silo: options from <c>Harness:Bridge</c>, the harness functions, and the worker client
    /// as a hosted service (it connects only when <c>EngineUrl</c> is set). With the bridge on, tool calls go to the
    /// bus (<see cref="IiiFunctionInvoker"/> replaces the registered <see cref="IFunctionInvoker"/>, so call this after
    /// the harness core registrations), agent events are mirrored to the engine's <c>agent::events</c> stream, and each
    /// name in <c>ExternalProviders</c>, and every provider that registers itself
    /// (<c>harness::provider::register</c>), becomes a model provider served over an engine channel.
    /// </summary>
    public static IServiceCollection AddIiiBridge(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(IiiBridgeOptions.SectionName);
        services.AddOptions<IiiBridgeOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IiiBridgeOptions>, IiiBridgeOptionsValidator>());

        services.AddBridgeFunctions<HarnessBridgeFunctions>();
        services.AddBridgeFunctions<SessionBridgeFunctions>();
        services.AddBridgeFunctions<SessionManagerBridgeFunctions>();
        services.AddBridgeFunctions<PruneBridgeFunctions>();
        services.AddBridgeFunctions<CompactionBridgeFunctions>();
        services.AddBridgeFunctions<ContextCompactBridgeFunctions>();
        services.AddBridgeFunctions<ModelsCatalogBridgeFunctions>();
        services.AddBridgeFunctions<UiFanoutBridgeFunctions>();
        services.AddBridgeFunctions<ConsoleTurnFunctions>();
        services.AddBridgeFunctions<ConsoleApprovalFunctions>();
        services.AddBridgeFunctions<ConsoleBindingFunctions>();
        services.TryAddSingleton<SessionTriggers>();
        services.TryAddSingleton<BridgeFunctionCatalog>();
        services.TryAddSingleton<IiiWorkerClient>();
        services.AddHostedService(sp => sp.GetRequiredService<IiiWorkerClient>());

        var options = section.Get<IiiBridgeOptions>() ?? new IiiBridgeOptions();
        if (!options.Enabled)
        {
            return services;
        }

        services.TryAddSingleton<LocalFunctionRegistry>();
        services.AddHostedService<SessionTriggerIntercepts>();
        services.Replace(ServiceDescriptor.Singleton<IFunctionInvoker, IiiFunctionInvoker>());
        services.TryAddSingleton<IiiAgentEventSink>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentEventSink, IiiAgentEventSink>(sp => sp.GetRequiredService<IiiAgentEventSink>()));
        services.AddConsoleTriggers();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelsCatalogListener, RouterModelsChangedListener>());
        services.TryAddSingleton<UiFanout>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentEventSink, UiFanout>(sp => sp.GetRequiredService<UiFanout>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelsCatalogListener, UiFanout>(sp => sp.GetRequiredService<UiFanout>()));

        services.AddIiiTelemetry(configuration);

        services.TryAddSingleton<ExternalProviderClient>();
        // Configured names and bus registrations become providers through the registry, created on first use.
        services.TryAddSingleton<IRemoteProviderFactory, BusProviderFactory>();
        services.AddBridgeFunctions<ProviderRegistrationFunctions>();
        services.TryAddSingleton<HarnessConfigurationPublisher>();
        services.AddHostedService<HarnessConfigurationStartup>();
        services.AddBridgeFunctions<FsReadInlineFunctions>();
        services.AddHookFanout(configuration);
        return services;
    }

    /// <summary>Publishes the functions of <typeparamref name="TSource"/> through the bridge (idempotent).</summary>
    public static IServiceCollection AddBridgeFunctions<TSource>(this IServiceCollection services)
        where TSource : class, IBridgeFunctionSource
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBridgeFunctionSource, TSource>());
        return services;
    }
}
