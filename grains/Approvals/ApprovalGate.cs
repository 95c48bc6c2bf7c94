using Microsoft.Extensions.Options;

namespace Harness.Approvals;

/// <summary>
/// Spec §4.5 <c>consultBefore</c>: human-only and kernel-denied ids are denied without any I/O; then, for a call of a
/// session, the deployment's <c>approval-gate</c> rules (<see cref="IApprovalGateConfigGrain"/>, first match in the session's
/// mode) allow or deny; then the session's mode and grants (one settings snapshot) may allow; otherwise the YAML policy
/// decides allow / deny / pending. Anything that
/// keeps the gate from deciding (timeout, exception from the policy or the settings read) denies with
/// <c>gate_unavailable</c>: the gate fails closed.
/// </summary>
public sealed partial class ApprovalGate(
    IGrainFactory grainFactory,
    IPermissionPolicy policy,
    IOptionsMonitor<PermissionPolicyOptions> policyOptions,
    IOptionsMonitor<ApprovalGateOptions> gateOptions,
    ILogger<ApprovalGate> logger) : IApprovalGate
{
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
        ApprovalGateConfig config;
        try
        {
            config = await grainFactory.GetGrain<IApprovalGateConfigGrain>(IApprovalGateConfigGrain.Key).Get().WaitAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PolicyUnavailableException($"approval-gate configuration unavailable: {Describe(ex)}", ex);
        }
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

    private async Task<ApprovalSettings> ReadSettingsAsync(string? sessionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (sessionId is null)
        {
            // No session to look up: the defaults, as the original's readSettings(undefined) gives.
            return new ApprovalSettings { Mode = gateOptions.CurrentValue.DefaultMode };
        }
        try
        {
            return await grainFactory.GetGrain<IApprovalSettingsGrain>(sessionId).GetSettings().WaitAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PolicyUnavailableException($"approval settings unavailable: {Describe(ex)}", ex);
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        TimeoutException or OperationCanceledException => "timeout",
        _ => ex.Message,
    };
}
