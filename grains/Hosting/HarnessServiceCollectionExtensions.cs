using Harness.Approvals;
using Harness.Compaction;
using Harness.Functions;
using Harness.Providers;
using Harness.Providers.Scripted;
using Harness.Turns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Harness.Hosting;

public static class HarnessServiceCollectionExtensions
{
    /// <summary>
    /// Registers what the harness grains need, bound from the <c>Harness</c> configuration section: turn options,
    /// the in-process function registry/invoker, the scripted provider and the provider registry.
    /// Later registrations (the iii bridge) may replace <see cref="IFunctionInvoker"/>.
    /// </summary>
    public static IServiceCollection AddHarnessCore(this IServiceCollection services, IConfiguration configuration)
    {
        var harness = configuration.GetSection("Harness");
        services.Configure<TurnOptions>(harness.GetSection("Turn"));
        services.Configure<FaultOptions>(harness.GetSection("Faults"));
        services.Configure<ScriptedProviderOptions>(harness.GetSection("Providers:Scripted"));
        services.Configure<CompactionOptions>(harness.GetSection("Compaction"));
        services.Configure<Sessions.SessionAttachmentOptions>(configuration.GetSection(Sessions.SessionAttachmentOptions.SectionName));
        services.TryAddSingleton<ContextCompactor>();
        services.TryAddSingleton<SessionSummariser>();
        services.TryAddSingleton<CompactionModelResolver>();
        // compact_now prunes before it summarises, so the pruner lives with the compaction grain, not only the bridge.
        services.Configure<Sessions.ToolOutputPruneOptions>(configuration.GetSection(Sessions.ToolOutputPruneOptions.SectionName));
        services.TryAddSingleton<Sessions.ToolOutputPruner>();
        services.Configure<Budgets.ModelPricingOptions>(o => harness.GetSection("Pricing").Bind(o.Models));
        services.TryAddSingleton<Budgets.UsagePricing>();
        services.Configure<Budgets.BudgetOptions>(harness.GetSection("Budgets"));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Events.IConsoleTriggerPublisher, Events.NullConsoleTriggerPublisher>();
        services.TryAddSingleton<IFaultInjector, ConfiguredFaultInjector>();
        services.TryAddSingleton<LocalFunctionRegistry>();
        services.TryAddSingleton<IFunctionInvoker, LocalFunctionInvoker>();
        services.TryAddSingleton<ScriptLibrary>();
        services.AddSingleton<IModelProvider, ScriptedProvider>();
        services.AddHarnessProviders(configuration);
        services.AddHarnessApprovals(configuration);
        return services;
    }
}
