namespace Harness.Bridge.Hosting;

/// <summary>Settings of the iii bridge, bound from <c>Harness:Bridge</c>.</summary>
public sealed class IiiBridgeOptions
{
    public const string SectionName = "Harness:Bridge";

    /// <summary>The engine's default worker socket (iii spells out IPv4 loopback: <c>localhost</c> may resolve to ::1).</summary>
    public const string DefaultEngineUrl = "ws://127.0.0.1:49134";

    /// <summary>
    /// Worker socket of the iii engine, e.g. <see cref="DefaultEngineUrl"/>. Default <c>null</c>: the bridge is off and
    /// the silo neither connects nor replaces the in-process function invoker.
    /// </summary>
    public string? EngineUrl { get; set; }

    /// <summary>
    /// Name of the <c>harness</c> worker (shown by <c>engine::workers::list</c>, and as <c>worker_name</c> of
    /// <c>harness::*</c>, <c>ui::*</c>, <c>policy::*</c> and of every id no rule of <see cref="Client.IiiWorkerNames"/>
    /// matches). Its connection also makes the bridge's outgoing calls and binds its triggers. Default <c>harness</c>
    /// (the name the iii console looks for).
    /// </summary>
    public string WorkerName { get; set; } = "harness";

    /// <summary>Free-text description of the <see cref="WorkerName"/> worker, sent with <c>engine::workers::register</c>.</summary>
    public string WorkerDescription { get; set; } = "iii agent harness on Orleans: harness::*, ui::*, policy::check_permissions";

    /// <summary>
    /// Worker name per role (<c>turn-orchestrator</c>, <c>approval-gate</c>, <c>session</c>, <c>context-compaction</c>,
    /// <c>models-catalog</c>, <c>llm-budget</c>, <c>hook-fanout</c>, and <c>provider</c>, a template with
    /// <c>{name}</c>). A role left out keeps its own name (<c>provider-{name}</c> for providers). Roles mapped to one
    /// name share one connection; map them all to <see cref="WorkerName"/> for a single connection. Default empty.
    /// </summary>
    public Dictionary<string, string> WorkerNames { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Re-register ids a disconnected sibling bridge took down (binds <c>engine::workers-available</c> to a bridge-internal
    /// function and checks the engine's catalog). Needed with two or more bridge silos; harmless with one. Default true.
    /// </summary>
    public bool ReclaimOrphanedIds { get; set; } = true;

    /// <summary>
    /// How often each bridge silo checks that every id it serves is still registered on the engine (a safety net
    /// behind the <c>engine::workers-available</c> trigger that re-registers ids a dead sibling took down). Default 30 s.
    /// </summary>
    public TimeSpan RegistrationCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of outgoing invocations (the SDKs' default). Surfaces as code <c>TIMEOUT</c>. Default 30 s.</summary>
    public TimeSpan InvocationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of a tool call made for a turn (<c>agent_trigger</c> → bus). Default 30 s, like the TS harness.</summary>
    public TimeSpan ToolInvocationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one <c>stream::set</c> that mirrors an agent event into the engine. Default 10 s.</summary>
    public TimeSpan EventPublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Agent events kept per session until the engine takes them (they are retried in order while it is slow or away);
    /// a new frame beyond it is dropped with a warning. Default 10 000.
    /// </summary>
    public int EventQueueCapacity { get; set; } = 10_000;

    /// <summary>The same bound across all sessions of this silo (memory: roughly 1–2 KB per frame). Default 100 000.</summary>
    public int EventBacklogLimit { get; set; } = 100_000;

    /// <summary>First reconnect delay; doubles per failed attempt. Default 1 s.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the reconnect delay. Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Random spread applied to each reconnect delay (0.3 = ±30 %), so bridge silos do not reconnect in lockstep. Default 0.3.</summary>
    public double ReconnectJitter { get; set; } = 0.3;

    /// <summary>Gives up on a WebSocket opening handshake after this long. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>WebSocket-level ping cadence. Default 20 s (the SDKs' value).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Drop the socket (and reconnect) when a ping is not answered within this time. Default 40 s.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>Largest inbound message accepted; bigger ones drop the connection. Default 64 MiB (the engine's limit).</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Timeout of a call to <c>provider::&lt;name&gt;::stream</c> for an external provider. Default 300 s, as the harness.</summary>
    public TimeSpan ProviderStreamTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// How long to keep reading a provider's channel after its stream call answered, for frames still in flight. A
    /// provider that answers without ever writing ends its turn with an error after this. Default 5 s.
    /// </summary>
    public TimeSpan ProviderChannelGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Providers served by iii workers outside the cluster: each name becomes an <c>IModelProvider</c> that calls
    /// <c>provider::&lt;name&gt;::stream</c> through an engine channel. Default none.
    /// </summary>
    public List<string> ExternalProviders { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(EngineUrl);
}
