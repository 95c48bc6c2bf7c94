using Harness.Hosting;
using Harness.Validation;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Harness.Approvals;

/// <summary>
/// Per-session permission mode and grants (spec §4.2–4.3), keyed by session id. Reads are tolerant: nothing stored
/// gives the defaults, and a stored record is normalised over them.
/// </summary>
[GrainType("approval-settings")]
public sealed class ApprovalSettingsGrain(
    [PersistentState("settings", HarnessStorage.Name)] IPersistentState<ApprovalSettings> state,
    IOptionsMonitor<ApprovalGateOptions> options) : Grain, IApprovalSettingsGrain
{
    private const string GrantedByUser = "user_click";

    public Task<ApprovalSettings> GetSettings() => CurrentAsync();

    public async Task<ApprovalSettings> SetMode(string mode)
    {
        Require.OneOf(mode, "mode", ApprovalModes.All);
        return await WriteAsync(await CurrentAsync() with { Mode = mode, ModeSetAt = NowMs() });
    }

    public async Task<ApprovalSettings> AddAlwaysAllow(string functionId)
    {
        Require.NonEmpty(functionId, "function_id");
        var current = await CurrentAsync();
        return Contains(current.AlwaysAllow, functionId)
            ? current
            : await WriteAsync(current with { AlwaysAllow = Append(current.AlwaysAllow, functionId) });
    }

    public async Task<ApprovalSettings> RemoveAlwaysAllow(string functionId)
    {
        Require.NonEmpty(functionId, "function_id");
        var current = await CurrentAsync();
        return !Contains(current.AlwaysAllow, functionId)
            ? current
            : await WriteAsync(current with { AlwaysAllow = current.AlwaysAllow.Where(g => g.FunctionId != functionId).ToArray() });
    }

    public async Task<ApprovalSettings> ApproveAlways(string functionId)
    {
        Require.NonEmpty(functionId, "function_id");
        var current = await CurrentAsync();
        return Contains(current.ApprovedAlways, functionId)
            ? current
            : await WriteAsync(current with { ApprovedAlways = Append(current.ApprovedAlways, functionId) });
    }

    public Task Clear() => state.ClearStateAsync();

    /// <summary>The stored settings over the defaults; the default mode is read only for a session that never set one.</summary>
    private async Task<ApprovalSettings> CurrentAsync()
    {
        var modeSet = state.RecordExists && state.State is { ModeSetAt: > 0 } stored && IsMode(stored.Mode);
        return Current(modeSet ? ApprovalModes.Manual : await DefaultModeAsync());
    }

    private ApprovalSettings Current(string defaultMode)
    {
        if (!state.RecordExists || state.State is not { } stored)
        {
            return new ApprovalSettings { Mode = defaultMode };
        }
        return new ApprovalSettings
        {
            // mode_set_at 0 means "never set": such a session follows the configured default, as the
            // original's field-scoped writes (grants only) left `mode` to the defaults merge.
            Mode = stored.ModeSetAt > 0 && IsMode(stored.Mode) ? stored.Mode : defaultMode,
            AlwaysAllow = stored.AlwaysAllow?.ToArray() ?? [],
            ApprovedAlways = stored.ApprovedAlways?.ToArray() ?? [],
            ModeSetAt = stored.ModeSetAt,
        };
    }

    private async Task<ApprovalSettings> WriteAsync(ApprovalSettings updated)
    {
        state.State = updated;
        await state.WriteStateAsync();
        return updated;
    }

    /// <summary>The <c>approval-gate</c> configuration's <c>default_mode</c> (the console's setting), else the silo's option.</summary>
    private async Task<string> DefaultModeAsync()
    {
        var deployment = (await GrainFactory.GetGrain<IApprovalGateConfigGrain>(IApprovalGateConfigGrain.Key).Get()).DefaultMode;
        if (IsMode(deployment))
        {
            return deployment!;
        }
        var configured = options.CurrentValue.DefaultMode;
        return IsMode(configured) ? configured : ApprovalModes.Manual;
    }

    private static bool IsMode(string? mode) => mode is not null && ApprovalModes.All.Contains(mode);

    private static bool Contains(IReadOnlyList<ApprovalGrant> grants, string functionId) =>
        grants.Any(g => g.FunctionId == functionId);

    // Plain arrays, not collection-expression results: the default (Newtonsoft) grain storage serializer writes
    // the runtime type name, and compiler-synthesised list types cannot be resolved when the state is read back.
    private static ApprovalGrant[] Append(IReadOnlyList<ApprovalGrant> grants, string functionId) =>
        [.. grants, new ApprovalGrant { FunctionId = functionId, GrantedAt = NowMs(), GrantedBy = GrantedByUser }];

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
