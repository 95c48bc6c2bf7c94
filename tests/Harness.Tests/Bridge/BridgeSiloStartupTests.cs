using System.Text.Json.Nodes;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Tests.Storage;

namespace Harness.Tests.Bridge;

/// <summary>The real silo host with the bridge on: it starts, connects and publishes, whatever providers are configured.</summary>
public sealed class BridgeSiloStartupTests
{
    /// <summary>
    /// Regression: a configured external provider made the worker client depend (through the function catalog, the
    /// provider functions and the registry) on itself, and the silo hung at start without a log line.
    /// </summary>
    [Fact]
    public async Task A_silo_with_an_engine_url_and_a_configured_external_provider_becomes_healthy_and_lists_it()
    {
        await using var engine = await EngineStandIn.StartAsync();
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules: []\n");
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = new SiloSettings($"bstart-{id}", $"bstart-{id}", PostgresDatabase.ConnectionString, workspace, workspace.Root);
        await using var silo = SiloProcess.Start(settings, new Dictionary<string, string>
        {
            ["Harness__Bridge__EngineUrl"] = engine.Url.ToString(),
            ["Harness__Bridge__WorkerName"] = "startup-check",
            ["Harness__Bridge__ExternalProviders__0"] = "Remote",
        });

        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await EngineStandIn.WaitUntilAsync(() => engine.FunctionOwner("harness::provider::register") is not null, TimeSpan.FromSeconds(30), "the silo to publish its functions");
        var listed = await engine.InvokeAsync("harness::provider::list", new JsonObject());

        Assert.Contains(listed!["providers"]!.AsArray(), p => p!["id"]!.GetValue<string>() == "remote");
        Assert.Equal("startup-check", engine.WorkerNamed("startup-check")?.Name);
    }
}
