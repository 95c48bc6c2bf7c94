using Harness.Messages;
using Harness.Providers;
using Harness.Tests.Providers.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Harness.Tests.Providers;

/// <summary>
/// Providers built by <see cref="ProviderServiceCollectionExtensions.AddHarnessProviders"/> outside a silo (in-memory
/// key store), every provider pointed at one <see cref="FakeUpstreamServer"/> under its own path prefix, SDK retries off.
/// </summary>
public sealed class ProviderTestHost : IAsyncDisposable
{
    private ProviderTestHost(FakeUpstreamServer server, ServiceProvider services)
    {
        Server = server;
        Services = services;
    }

    public FakeUpstreamServer Server { get; }
    public ServiceProvider Services { get; }
    public IProviderRegistry Registry => Services.GetRequiredService<IProviderRegistry>();

    public static string KeyOf(string provider) => $"sk-test-{provider}-0123456789";

    public static async Task<ProviderTestHost> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var server = await FakeUpstreamServer.StartAsync();
        var settings = BaseSettings(server);
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddHarnessProviders(configuration).BuildServiceProvider();
        return new ProviderTestHost(server, services);
    }

    public static Dictionary<string, string?> BaseSettings(FakeUpstreamServer server)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var name in ProviderNames.All)
        {
            var section = $"Harness:Providers:{name}";
            settings[$"{section}:BaseUrl"] = name == ProviderNames.Anthropic ? server.Url("anthropic") : server.Url($"{name}/v1");
            settings[$"{section}:MaxRetries"] = "0";
            if (name is ProviderNames.OpenAi or ProviderNames.Kimi or ProviderNames.Anthropic)
            {
                settings[$"{section}:ApiKey"] = KeyOf(name);
            }
        }
        return settings;
    }

    public IModelProvider Provider(string name) => Registry.Find(name) ?? throw new InvalidOperationException($"no provider {name}");

    public async Task<List<AssistantMessageEvent>> StreamAsync(string provider, ProviderRequest request)
    {
        var events = new List<AssistantMessageEvent>();
        await foreach (var e in Provider(provider).StreamAsync(request, TestContext.Current.CancellationToken))
        {
            events.Add(e);
        }
        return events;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
