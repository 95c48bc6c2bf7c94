using Microsoft.Extensions.Options;

namespace Harness.Bridge.Hosting;

/// <summary>Rejects settings that would only fail later: a non-WebSocket engine URL, non-positive timeouts.</summary>
public sealed class IiiBridgeOptionsValidator : IValidateOptions<IiiBridgeOptions>
{
    public ValidateOptionsResult Validate(string? name, IiiBridgeOptions options)
    {
        var failures = new List<string>();
        if (options.Enabled
            && (!Uri.TryCreate(options.EngineUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss")))
        {
            failures.Add($"Harness:Bridge:EngineUrl must be an absolute ws:// or wss:// URL (got '{options.EngineUrl}').");
        }
        if (string.IsNullOrWhiteSpace(options.WorkerName))
        {
            failures.Add("Harness:Bridge:WorkerName must not be empty.");
        }
        foreach (var role in options.WorkerNames.Keys.Where(r => r == Client.IiiWorkerNames.Harness || !Client.IiiWorkerNames.Roles.Contains(r)))
        {
            failures.Add(role == Client.IiiWorkerNames.Harness
                ? "Harness:Bridge:WorkerNames:harness is set through Harness:Bridge:WorkerName."
                : $"Harness:Bridge:WorkerNames:{role} is not a worker role (roles: {string.Join(", ", Client.IiiWorkerNames.Roles.Where(r => r != Client.IiiWorkerNames.Harness))}).");
        }
        if (options.WorkerNames.TryGetValue(Client.IiiWorkerNames.Provider, out var template) && !template.Contains("{name}", StringComparison.Ordinal))
        {
            failures.Add("Harness:Bridge:WorkerNames:provider must contain {name} (e.g. provider-{name}).");
        }
        foreach (var (setting, value) in new[]
        {
            (nameof(options.InvocationTimeout), options.InvocationTimeout),
            (nameof(options.ToolInvocationTimeout), options.ToolInvocationTimeout),
            (nameof(options.EventPublishTimeout), options.EventPublishTimeout),
            (nameof(options.ConnectTimeout), options.ConnectTimeout),
            (nameof(options.ProviderStreamTimeout), options.ProviderStreamTimeout),
            (nameof(options.ProviderChannelGrace), options.ProviderChannelGrace),
            (nameof(options.ReconnectMaxDelay), options.ReconnectMaxDelay),
            (nameof(options.RegistrationCheckInterval), options.RegistrationCheckInterval),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"Harness:Bridge:{setting} must be positive.");
            }
        }
        if (options.ReconnectInitialDelay < TimeSpan.Zero || options.ReconnectInitialDelay > options.ReconnectMaxDelay)
        {
            failures.Add("Harness:Bridge:ReconnectInitialDelay must be between 0 and ReconnectMaxDelay.");
        }
        if (options.ReconnectJitter is < 0 or > 1)
        {
            failures.Add("Harness:Bridge:ReconnectJitter must be between 0 and 1.");
        }
        if (options.EventQueueCapacity < 1 || options.EventBacklogLimit < 1 || options.MaxMessageBytes < 1024)
        {
            failures.Add("Harness:Bridge:EventQueueCapacity and EventBacklogLimit must be ≥ 1 and MaxMessageBytes ≥ 1024.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
