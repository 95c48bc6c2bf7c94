using Harness.Bridge.Channels;
using Harness.Bridge.Client;
using Harness.Bridge.Events;
using Harness.Bridge.Functions;
using Harness.Bridge.Hosting;
using Harness.Bridge.Invoker;
using Harness.Events;
using Harness.Functions;
using Harness.Hosting;
using Harness.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Harness.Tests.Bridge;

/// <summary>What <c>AddIiiBridge</c> registers with the bridge off and on, and which settings it refuses.</summary>
public sealed class BridgeHostingTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static ServiceCollection Services(IConfiguration config)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHarnessCore(config);
        services.AddIiiBridge(config);
        return services;
    }

    [Fact]
    public void Without_an_engine_url_the_bridge_is_off_and_tool_calls_stay_in_process()
    {
        var services = Services(Config());
        Assert.Equal(typeof(LocalFunctionInvoker), services.Last(d => d.ServiceType == typeof(IFunctionInvoker)).ImplementationType);
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IAgentEventSink));
        Assert.Contains(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Null(new IiiBridgeOptions().EngineUrl);
    }

    [Fact]
    public void With_an_engine_url_tool_calls_go_to_the_bus_events_are_mirrored_and_external_providers_join_the_registry()
    {
        var services = Services(Config(
            ("Harness:Bridge:EngineUrl", IiiBridgeOptions.DefaultEngineUrl),
            ("Harness:Bridge:ExternalProviders:0", "Remote"),
            ("Harness:Bridge:InvocationTimeout", "00:00:07")));
        // Building the catalog does not call grains.
        services.AddSingleton<IGrainFactory>(_ => null!);
        using var provider = services.BuildServiceProvider();

        Assert.IsType<IiiFunctionInvoker>(provider.GetRequiredService<IFunctionInvoker>());
        Assert.Single(provider.GetServices<IAgentEventSink>().OfType<IiiAgentEventSink>());
        Assert.Same(provider.GetRequiredService<IiiWorkerClient>(), provider.GetServices<IHostedService>().OfType<IiiWorkerClient>().Single());
        var remote = Assert.IsType<ExternalModelProvider>(provider.GetRequiredService<IProviderRegistry>().Find("Remote"));
        Assert.Equal("remote", remote.Name);
        Assert.DoesNotContain(provider.GetServices<IModelProvider>(), p => p is ExternalModelProvider);
        Assert.Equal(TimeSpan.FromSeconds(7), provider.GetRequiredService<IOptions<IiiBridgeOptions>>().Value.InvocationTimeout);
        Assert.Contains(provider.GetServices<IBridgeFunctionSource>(), s => s is HarnessBridgeFunctions);
    }

    [Theory]
    [InlineData("Harness:Bridge:EngineUrl", "http://127.0.0.1:49134")]
    [InlineData("Harness:Bridge:InvocationTimeout", "00:00:00")]
    [InlineData("Harness:Bridge:ReconnectJitter", "2")]
    [InlineData("Harness:Bridge:WorkerName", " ")]
    public void Settings_that_cannot_work_are_refused_at_startup(string key, string value)
    {
        var config = Config(("Harness:Bridge:EngineUrl", IiiBridgeOptions.DefaultEngineUrl), (key, value));
        using var provider = Services(config).BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<IiiBridgeOptions>>().Value);
    }

    [Fact]
    public void The_function_catalog_refuses_two_sources_publishing_one_id()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IGrainFactory>(_ => null!);
        services.AddBridgeFunctions<HarnessBridgeFunctions>();
        services.AddSingleton<IBridgeFunctionSource>(new DuplicateSource());
        services.AddSingleton<BridgeFunctionCatalog>();
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<BridgeFunctionCatalog>());
        Assert.Contains("run::start", error.Message, StringComparison.Ordinal);
    }

    private sealed class DuplicateSource : IBridgeFunctionSource
    {
        public IEnumerable<BridgeFunctionDescriptor> GetFunctions() =>
            [new("run::start", "again", null, null, (_, _) => Task.FromResult(WireJson.Empty))];
    }
}
