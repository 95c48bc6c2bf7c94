namespace Harness.Tests.Bridge;

/// <summary>
/// Two bridge silos and a stand-in engine for the workers that join over the bus (providers registering themselves,
/// hook subscribers, a shell worker). Credentials are served (opt-in on); the YAML allows everything, so only the
/// gate's kernel rules stand between an agent and the control plane.
/// </summary>
public sealed class BusWorkersFixture : IAsyncLifetime
{
    public const string Permissions = """
        rules:
          - "*"
        """;

    public BridgeCluster H { get; private set; } = null!;

    public async ValueTask InitializeAsync() => H = await BridgeCluster.StartAsync(
        silos: 2,
        permissions: Permissions,
        settings: new Dictionary<string, string?> { ["Harness:ProviderRegistry:ServeCredentials"] = "true" });

    public async ValueTask DisposeAsync() => await H.DisposeAsync();
}
