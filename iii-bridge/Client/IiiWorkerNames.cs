using Harness.Bridge.Hosting;

namespace Harness.Bridge.Client;

/// <summary>
/// Function id → iii worker name, as the TypeScript harness splits its package into workers (console-and-data §3):
/// the console finds workers by the name <c>engine::workers::list</c> shows, so each name is its own connection.
/// This is the one table: a new function id lands on the right worker by its prefix alone. Ids no rule matches go to
/// the <c>harness</c> worker, named <see cref="IiiBridgeOptions.WorkerName"/>. Names are overridable per role through
/// <see cref="IiiBridgeOptions.WorkerNames"/> (<c>Harness:Bridge:WorkerNames:&lt;role&gt;</c>); roles given the same
/// name share one connection.
/// </summary>
public sealed class IiiWorkerNames
{
    public const string Harness = "harness";
    public const string TurnOrchestrator = "turn-orchestrator";
    public const string ApprovalGate = "approval-gate";
    public const string Session = "session";
    public const string ContextCompaction = "context-compaction";
    public const string ModelsCatalog = "models-catalog";
    public const string LlmBudget = "llm-budget";
    public const string HookFanout = "hook-fanout";

    /// <summary>Role of <c>provider::&lt;name&gt;::*</c>; its name is a template where <c>{name}</c> is the provider id.</summary>
    public const string Provider = "provider";

    public const string ProviderTemplate = "provider-{name}";

    private const string ProviderPrefix = "provider::";

    /// <summary>Prefix → role, longest prefix first (the TS package's ownership: <c>harness/src/*/register.ts</c>).</summary>
    private static readonly (string Prefix, string Role)[] Rules =
    [
        ("context-compaction::", ContextCompaction),
        ("session-inbox::", Session),
        ("session-tree::", Session),
        ("hook-fanout::", HookFanout),
        ("approval::", ApprovalGate),
        ("harness::", Harness),
        ("models::", ModelsCatalog),
        ("policy::", Harness),
        ("budget::", LlmBudget),
        ("turn::", TurnOrchestrator),
        ("run::", TurnOrchestrator),
        ("ui::", Harness),
    ];

    /// <summary>What each worker shows as its description (from the TS package's worker list).</summary>
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        [TurnOrchestrator] = "Durable turn state machine (run::start, run::abort, turn::*) on Orleans grains",
        [ApprovalGate] = "approval::resolve and the per-session permission-mode settings",
        [Session] = "Session storage (session-tree::*) and per-session inbox (session-inbox::*)",
        [ContextCompaction] = "Session-history compaction (context-compaction::*)",
        [ModelsCatalog] = "Model capabilities catalog (models::*)",
        [LlmBudget] = "LLM spend caps with alerts and period rollover (budget::*)",
        [HookFanout] = "Publish-collect hook primitive (hook-fanout::*)",
        [Provider] = "LLM provider {name} (provider::{name}::*)",
    };

    private readonly IiiBridgeOptions _options;

    public IiiWorkerNames(IiiBridgeOptions options) => _options = options;

    /// <summary>Every role with a fixed name, for validation and docs.</summary>
    public static IReadOnlyList<string> Roles { get; } =
        [Harness, TurnOrchestrator, ApprovalGate, Session, ContextCompaction, ModelsCatalog, LlmBudget, HookFanout, Provider];

    /// <summary>The name of the worker the harness role runs as (the fallback for unmatched ids).</summary>
    public string HarnessName => _options.WorkerName;

    /// <summary>The worker name that publishes <paramref name="functionId"/>.</summary>
    public string For(string functionId) => Describe(functionId).Name;

    /// <summary>Worker name and description for <paramref name="functionId"/>.</summary>
    public (string Name, string Description) Describe(string functionId)
    {
        if (ProviderId(functionId) is { } provider)
        {
            var template = Configured(Provider) ?? ProviderTemplate;
            return (template.Replace("{name}", provider, StringComparison.Ordinal), Descriptions[Provider].Replace("{name}", provider, StringComparison.Ordinal));
        }
        foreach (var (prefix, role) in Rules)
        {
            if (functionId.StartsWith(prefix, StringComparison.Ordinal))
            {
                return role == Harness ? (HarnessName, _options.WorkerDescription) : (Configured(role) ?? role, Descriptions[role]);
            }
        }
        return (HarnessName, _options.WorkerDescription);
    }

    private string? Configured(string role) =>
        _options.WorkerNames.TryGetValue(role, out var name) && !string.IsNullOrWhiteSpace(name) ? name.Trim() : null;

    /// <summary><c>provider::&lt;id&gt;::…</c> → <c>&lt;id&gt;</c>; null for anything else.</summary>
    private static string? ProviderId(string functionId)
    {
        if (!functionId.StartsWith(ProviderPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = functionId.AsSpan(ProviderPrefix.Length);
        var end = rest.IndexOf("::", StringComparison.Ordinal);
        return end > 0 ? rest[..end].ToString() : null;
    }
}
