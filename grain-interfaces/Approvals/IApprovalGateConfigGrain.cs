using Orleans.Concurrency;

namespace Harness.Approvals;

/// <summary>The cluster's one <see cref="ApprovalGateConfig"/> (key <see cref="Key"/>), stored.</summary>
public interface IApprovalGateConfigGrain : IGrainWithStringKey
{
    const string Key = "approval-gate";

    [AlwaysInterleave, ReadOnly]
    Task<ApprovalGateConfig> Get();

    /// <summary>Replaces the entry; throws <see cref="Validation.PayloadValidationException"/> naming the bad field. Answers the previous entry.</summary>
    Task<ApprovalGateConfig> Set(string? defaultMode, string rulesJson);

    /// <summary>
    /// <c>approval::resolve</c> with <c>access_duration:"always"</c>: appends an allow rule for <paramref name="functionId"/>
    /// (idempotent), so later calls of it in every session pass without a human.
    /// </summary>
    Task<ApprovalGateConfig> AllowAlways(string functionId);
}
