namespace Harness.Approvals;

/// <summary>
/// The deployment's <c>approval-gate</c> configuration entry (console-and-data §1.6 "Gate rules", read and written with
/// <c>configuration::get/set {id:"approval-gate"}</c>): the permission mode of sessions whose mode was never set, and
/// rules that apply to every session (first match wins, before the session's grants and the permissions file).
/// </summary>
[GenerateSerializer]
public sealed record ApprovalGateConfig
{
    /// <summary><c>manual</c> | <c>auto</c> | <c>full</c>; null = never configured (the silo's <c>Harness:Permissions:DefaultMode</c>).</summary>
    [Id(0)] public string? DefaultMode { get; init; }

    /// <summary>
    /// The <c>rules</c> array as JSON text, kept as written (the console round-trips entries it does not understand):
    /// <c>"fn"</c>, <c>"!fn"</c> or <c>{rule_id?, function, action, modes?, args?}</c>.
    /// </summary>
    [Id(1)] public string RulesJson { get; init; } = "[]";

    /// <summary>Bumped by every write, so a reader can cache what it parsed from <see cref="RulesJson"/>.</summary>
    [Id(2)] public long Version { get; init; }
}
