using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Harness.Bridge.Functions;
using Harness.Budgets;
using Harness.Functions;
using Harness.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Harness.Tests.Budgets;

/// <summary>
/// A harness cluster on the real PostgreSQL with a manual budget clock, the <c>budget::*</c> bridge functions called
/// as the bus calls them, and an in-process alert callback (<see cref="CallbackId"/>) that records what it receives.
/// </summary>
public sealed class BudgetFunctionsHarness : IAsyncDisposable
{
    public const string CallbackId = "test::budget_alert";

    private Dictionary<string, BridgeFunctionDescriptor> _functions = null!;

    private BudgetFunctionsHarness(ManualClock clock, LocalFunctionRegistry tools)
    {
        Clock = clock;
        Tools = tools;
    }

    public ManualClock Clock { get; }

    public LocalFunctionRegistry Tools { get; }

    public HarnessCluster H { get; private set; } = null!;

    /// <summary>Every payload the alert callback received, in order.</summary>
    public ConcurrentQueue<JsonObject> Alerts { get; } = new();

    public IReadOnlyCollection<BridgeFunctionDescriptor> Functions => _functions.Values;

    public static Task<BudgetFunctionsHarness> StartAsync(DateTimeOffset now, bool registerCallback = true, IReadOnlyDictionary<string, string?>? settings = null) =>
        new BudgetFunctionsHarness(new ManualClock(now), new LocalFunctionRegistry()).BootAsync(registerCallback, serviceId: null, settings);

    /// <summary>Stops every silo and starts a new cluster on the same stored state (same service id, clock and tools).</summary>
    public async Task RestartAsync()
    {
        var serviceId = H.ServiceId;
        var workspace = H.Workspace;
        await H.StopAsync();
        H = await HarnessCluster.StartAsync(services: Services, serviceId: serviceId, workspace: workspace, tools: Tools, settings: _settings);
        _functions = Catalog(H);
    }

    private IReadOnlyDictionary<string, string?>? _settings;

    private async Task<BudgetFunctionsHarness> BootAsync(bool registerCallback, string? serviceId, IReadOnlyDictionary<string, string?>? settings)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Harness:Budgets:AlertRetryInterval"] = "00:00:00.200",
            ["Harness:Budgets:AlertReminderPeriod"] = "00:00:02",
            ["Harness:Budgets:AlertMaxAttempts"] = "100000",
        }.Concat(settings ?? new Dictionary<string, string?>()).ToDictionary(kv => kv.Key, kv => kv.Value);
        if (registerCallback)
        {
            RegisterCallback();
        }
        H = await HarnessCluster.StartAsync(services: Services, serviceId: serviceId, tools: Tools, settings: _settings);
        _functions = Catalog(H);
        return this;
    }

    public void RegisterCallback() => Tools.Register(CallbackId, (payload, _) =>
    {
        Alerts.Enqueue(JsonNode.Parse(payload.GetRawText())!.AsObject());
        return Task.FromResult(JsonSerializer.SerializeToElement(new { ok = true }));
    });

    private void Services(IServiceCollection services) => services.AddKeyedSingleton<TimeProvider>(BudgetGrain.ClockKey, Clock);

    private static Dictionary<string, BridgeFunctionDescriptor> Catalog(HarnessCluster h) =>
        new BudgetBridgeFunctions(h.Grains).GetFunctions().ToDictionary(f => f.Id);

    public BridgeFunctionDescriptor Function(string id) => _functions[id];

    /// <summary>Calls a function as the bus would and returns its JSON result.</summary>
    public async Task<JsonElement> CallAsync(string id, object payload) =>
        await _functions[id].Handler(new BridgeInvocation(id, JsonSerializer.SerializeToElement(payload)), CancellationToken.None);

    /// <summary>Calls a function that must fail with <c>invalid_payload</c>; returns the field it names.</summary>
    public async Task<BridgeFunctionException> InvalidAsync(string id, object payload)
    {
        var error = await Assert.ThrowsAsync<BridgeFunctionException>(() => CallAsync(id, payload));
        Assert.Equal("invalid_payload", error.Code);
        return error;
    }

    public async Task<string> CreateAsync(object payload) => (await CallAsync("budget::create", payload)).GetProperty("budget_id").GetString()!;

    public async Task<JsonElement> GetAsync(string budgetId) => (await CallAsync("budget::get", new { budget_id = budgetId })).GetProperty("budget");

    /// <summary>Waits (bounded) until the callback has received <paramref name="count"/> alerts.</summary>
    public async Task<JsonObject[]> WaitForAlertsAsync(int count, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Alerts.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.True(Alerts.Count >= count, $"expected {count} alert callbacks, got {Alerts.Count}");
        return [.. Alerts];
    }

    /// <summary>Waits (bounded) until the budget has no undelivered alert callback left.</summary>
    public async Task WaitForDeliveriesAsync(string budgetId, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var pending = -1;
        while (DateTime.UtcNow < deadline)
        {
            pending = (await GetAsync(budgetId)).GetProperty("pending_alert_deliveries").GetInt32();
            if (pending == 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"budget {budgetId} still has {pending} undelivered alerts");
    }

    public async ValueTask DisposeAsync() => await H.DisposeAsync();
}
