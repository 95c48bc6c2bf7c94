namespace Harness.Silo.Hosting;

/// <summary>Silo identity, endpoints and storage, bound from <c>Harness:Silo</c> (connection string: <c>ConnectionStrings:harness</c>).</summary>
public sealed class HarnessSiloOptions
{
    /// <summary>Membership partition; silos with the same ClusterId form one cluster. Default "harness".</summary>
    public string ClusterId { get; set; } = "harness";

    /// <summary>Part of every stored grain and reminder key: changing it orphans all state. Default "harness".</summary>
    public string ServiceId { get; set; } = "harness";

    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address advertised to other silos. Default 127.0.0.1 (loopback-only cluster).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Detect a dead silo within seconds (probe timeout 1 s, 2 missed probes) so its turns resume on a survivor
    /// quickly. Default true; set false on slow networks to avoid false suspicions.
    /// </summary>
    public bool FastFailover { get; set; } = true;

    /// <summary>
    /// Attempts of a grain call whose target silo is unavailable (backoff 200 ms doubling: 6 attempts span about 6 s,
    /// the failover window with <see cref="FastFailover"/>). Default 6.
    /// </summary>
    public int CallRetryAttempts { get; set; } = 6;

    /// <summary>Map the Orleans dashboard at <see cref="DashboardPath"/> (needs a key with scope <c>admin</c> once keys are configured). Default true.</summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>Dashboard route prefix. Default "/dashboard".</summary>
    public string DashboardPath { get; set; } = "/dashboard";

    /// <summary>Register the demo functions (<c>demo::echo</c>, <c>demo::append_line</c>). Default true.</summary>
    public bool DemoFunctions { get; set; } = true;

    /// <summary>The only folder <c>demo::append_line</c> may write to. Default: a "harness-demo" folder under the temp path.</summary>
    public string DemoDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "harness-demo");
}
