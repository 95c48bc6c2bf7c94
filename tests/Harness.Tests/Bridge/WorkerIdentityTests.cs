using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Tests.Bridge.StandIn;
using Microsoft.Extensions.DependencyInjection;

namespace Harness.Tests.Bridge;

/// <summary>
/// A bridge silo shows up on the engine as the TypeScript harness's workers, one connection per worker name, each
/// owning the ids it owns in the TS package.
/// </summary>
public sealed class WorkerIdentityTests : IAsyncLifetime
{
    private BridgeCluster _h = null!;

    public async ValueTask InitializeAsync() => _h = await BridgeCluster.StartAsync();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Workers_list_shows_the_original_worker_names_each_with_the_functions_it_owns()
    {
        var bridge = _h.Bridge;
        await bridge.WaitForAllRegistrationsAsync(TestContext.Current.CancellationToken).WaitAsync(TestClients.Patience, TestContext.Current.CancellationToken);
        var listed = await _h.Engine.InvokeAsync("engine::functions::list", new JsonObject());
        var ours = listed!["functions"]!.AsArray().Select(f => f!["function_id"]!.GetValue<string>())
            .Where(id => bridge.Workers.Values.Contains(_h.Engine.FunctionOwner(id))).ToList();
        await EngineStandIn.WaitUntilAsync(() => bridge.Workers.Values.All(id => id is not null && _h.Engine.Workers.Any(w => w.Id == id && w.Name is not null)),
            TestClients.Patience, "every connection to announce its name");

        var workers = (await _h.Engine.InvokeAsync("engine::workers::list", new JsonObject()))!["workers"]!.AsArray();
        var names = workers.Select(w => w!["name"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { BridgeCluster.WorkerName, "turn-orchestrator", "approval-gate", "session" }, names);
        Assert.All(workers.Where(w => bridge.Workers.Values.Contains(w!["id"]!.GetValue<string>())), w => Assert.Equal("dotnet", w!["runtime"]!.GetValue<string>()));

        foreach (var (name, workerId) in bridge.Workers)
        {
            var owned = _h.Engine.FunctionsOwnedBy(workerId!);
            Assert.All(owned, id => Assert.Equal(name, bridge.WorkerNameOf(id)));
        }
        Assert.Contains("run::start", _h.Engine.FunctionsOwnedBy(bridge.Workers["turn-orchestrator"]!));
        Assert.Contains("turn::get_state", _h.Engine.FunctionsOwnedBy(bridge.Workers["turn-orchestrator"]!));
        Assert.Contains("approval::resolve", _h.Engine.FunctionsOwnedBy(bridge.Workers["approval-gate"]!));
        Assert.Contains("session-tree::messages", _h.Engine.FunctionsOwnedBy(bridge.Workers["session"]!));
        Assert.Contains("harness::trigger", _h.Engine.FunctionsOwnedBy(bridge.Workers[BridgeCluster.WorkerName]!));
        Assert.Contains("policy::check_permissions", _h.Engine.FunctionsOwnedBy(bridge.Workers[BridgeCluster.WorkerName]!));
        Assert.NotEmpty(ours);
    }
}
