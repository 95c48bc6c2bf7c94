using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Harness.Approvals;

/// <summary>
/// Spec §4.5 <c>consultBefore</c>: human-only and kernel-denied ids are denied without any I/O; then, for a call of a
/// session, the deployment's <c>approval-gate</c> rules (<see cref="IApprovalGateConfigGrain"/>, first match in the session's
/// mode) allow or deny; then the session's mode and grants (one settings snapshot) may allow; otherwise the YAML policy
/// decides allow / deny / pending. Anything that keeps the gate from deciding (timeout, exception from the policy, or
/// the settings read failing after its bounded retries) denies with <c>gate_unavailable</c>: the gate fails closed.
/// </summary>
public sealed partial class ApprovalGate(
    IGrainFactory grainFactory,
    IPermissionPolicy policy,
    IOptionsMonitor<PermissionPolicyOptions> policyOptions,
    IOptionsMonitor<ApprovalGateOptions> gateOptions,
    ILogger<ApprovalGate> logger) : IApprovalGate
{
    /// <summary>A retry started just inside the budget still gets this long to answer.</summary>
    private static readonly TimeSpan MinimumRead = TimeSpan.FromMilliseconds(200);

    public async Task<GateOutcome> ConsultAsync(FunctionCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var functionId = call.FunctionId;
        var args = call.Arguments;

        if (HumanOnlyFunctions.Contains(functionId))
        {
            LogHumanOnly(functionId, call.Id);
            return GateOutcome.Deny(DenialResults.Permissions(functionId, HumanOnlyFunctions.Verdict, args));
        }
        if (KernelDeniedFunctions.Contains(functionId))
        {
            LogHumanOnly(functionId, call.Id);
            return GateOutcome.Deny(DenialResults.Permissions(functionId, KernelDeniedFunctions.Verdict(functionId), args));
        }

        var timeout = policyOptions.CurrentValue.CheckTimeout;
        try
        {
            var sessionId = SessionOf(args);
            var settings = await ReadSettingsAsync(sessionId, timeout, cancellationToken);
            if (sessionId is not null)
            {
                var deployment = (await ReadDeploymentRulesAsync(timeout, cancellationToken)).Evaluate(functionId, args, settings.Mode);
                switch (deployment.Decision)
                {
                    case PermissionVerdict.Allow:
                        return GateOutcome.Allow;
                    case PermissionVerdict.Deny:
                        return GateOutcome.Deny(DenialResults.Permissions(functionId, deployment, args));
                }
            }
            if (SettingsAllow(settings, functionId))
            {
                return GateOutcome.Allow;
            }

            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            // WaitAsync enforces the deadline even on a policy that ignores its token.
            var verdict = await policy.CheckAsync(functionId, args, timeoutSource.Token).WaitAsync(timeout, cancellationToken);
            switch (verdict.Decision)
            {
                case PermissionVerdict.Allow:
                    return GateOutcome.Allow;
                case PermissionVerdict.Deny:
                    return GateOutcome.Deny(DenialResults.Permissions(functionId, verdict, args));
                case PermissionVerdict.NeedsApproval:
                    return GateOutcome.Pending;
                default:
                    throw new PolicyUnavailableException($"policy returned unknown decision '{verdict.Decision}'");
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = $"policy unreachable: {Describe(ex)}";
            LogGateUnavailable(functionId, call.Id, reason);
            return GateOutcome.Deny(DenialResults.GateUnavailable(functionId, reason, args));
        }
    }

    /// <summary>Spec table: full allows all; approved_always in every mode; always_allow only in auto.</summary>
    private static bool SettingsAllow(ApprovalSettings settings, string functionId) => settings.Mode switch
    {
        ApprovalModes.Full => true,
        _ when settings.ApprovedAlways.Any(g => g.FunctionId == functionId) => true,
        ApprovalModes.Auto => settings.AlwaysAllow.Any(g => g.FunctionId == functionId),
        _ => false,
    };

    private static string? SessionOf(JsonElement args) =>
        args.ValueKind == JsonValueKind.Object
        && args.TryGetProperty("session_id", out var sid)
        && sid.ValueKind == JsonValueKind.String
        && sid.GetString() is { Length: > 0 } id
            ? id
            : null;

    /// <summary>The configuration's rules, compiled once per stored version (every session's calls read them).</summary>
    private async Task<PermissionRules> ReadDeploymentRulesAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // One grain for the cluster: when its silo dies every session's calls wait for it, so retried like settings.
        var config = await ReadWithRetriesAsync(IApprovalGateConfigGrain.Key, "approval-gate configuration",
            wait => grainFactory.GetGrain<IApprovalGateConfigGrain>(IApprovalGateConfigGrain.Key).Get().WaitAsync(wait, cancellationToken), timeout, cancellationToken);
        var cached = _deploymentRules;
        if (cached is null || cached.Version != config.Version)
        {
            cached = new CompiledDeploymentRules(config.Version, GateConfigRules.Parse(config.RulesJson));
            _deploymentRules = cached;
        }
        return cached.Rules;
    }

    private volatile CompiledDeploymentRules? _deploymentRules;

    private sealed record CompiledDeploymentRules(long Version, PermissionRules Rules);

    private Task<ApprovalSettings> ReadSettingsAsync(string? sessionId, TimeSpan timeout, CancellationToken cancellationToken) =>
        sessionId is null
            // No session to look up: the defaults, as the original's readSettings(undefined) gives.
            ? Task.FromResult(new ApprovalSettings { Mode = gateOptions.CurrentValue.DefaultMode })
            : ReadWithRetriesAsync(sessionId, "approval settings", wait => grainFactory.GetGrain<IApprovalSettingsGrain>(sessionId).GetSettings().WaitAsync(wait, cancellationToken), timeout, cancellationToken);

    /// <summary>
    /// A read that fails for a moment (its silo just died, PostgreSQL restarting) is retried a few times, within a
    /// budget, before the gate fails closed: a brief fault no longer denies the call.
    /// </summary>
    private async Task<T> ReadWithRetriesAsync<T>(string key, string what, Func<TimeSpan, Task<T>> read, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var options = gateOptions.CurrentValue;
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var left = options.SettingsReadBudget - Stopwatch.GetElapsedTime(started);
            var wait = attempt == 1 || left >= timeout ? timeout : left > MinimumRead ? left : MinimumRead;
            try
            {
                return await read(wait);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var backoff = options.SettingsReadBackoff * Math.Pow(2, attempt - 1);
                if (attempt >= options.SettingsReadAttempts || Stopwatch.GetElapsedTime(started) + backoff >= options.SettingsReadBudget)
                {
                    var tries = attempt > 1 ? $" ({attempt} reads)" : "";
                    throw new PolicyUnavailableException($"{what} unavailable: {Describe(ex)}{tries}", ex);
                }
                LogSettingsRetry(what, key, attempt, options.SettingsReadAttempts, backoff.TotalMilliseconds, Describe(ex));
                await Task.Delay(backoff, cancellationToken);
            }
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        TimeoutException or OperationCanceledException => "timeout",
        _ => ex.Message,
    };
}
