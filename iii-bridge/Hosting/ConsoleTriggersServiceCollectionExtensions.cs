using Harness.Bridge.Events;
using Harness.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Harness.Bridge.Hosting;

public static class ConsoleTriggersServiceCollectionExtensions
{
    /// <summary>
    /// The C4 console's live updates: the worker-provided trigger types, their durable bindings (followed by this silo),
    /// and the <see cref="IConsoleTriggerPublisher"/> that fires them. Also the <c>ui::*</c> subscriptions follower.
    /// </summary>
    public static IServiceCollection AddConsoleTriggers(this IServiceCollection services)
    {
        services.TryAddSingleton<UiSubscriptionsFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<UiSubscriptionsFollower>());
        services.TryAddSingleton<ConsoleTriggerBindingsFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsoleTriggerBindingsFollower>());
        services.TryAddSingleton<ConsoleTriggerTypeHandler>();
        services.AddHostedService<ConsoleTriggerTypeRegistrar>();
        services.TryAddSingleton<ConsoleTriggerFanout>();
        services.Replace(ServiceDescriptor.Singleton<IConsoleTriggerPublisher>(sp => sp.GetRequiredService<ConsoleTriggerFanout>()));
        services.TryAddSingleton<ConsoleTurnEvents>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentEventSink, ConsoleTurnEvents>(sp => sp.GetRequiredService<ConsoleTurnEvents>()));
        services.TryAddSingleton<Functions.ConsoleApprovalResolution>();
        return services;
    }
}
