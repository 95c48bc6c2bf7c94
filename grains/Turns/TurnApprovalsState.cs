using System.Text.Json.Serialization;
using Harness.Approvals;

namespace Harness.Turns;

/// <summary>
/// Spec scope <c>approvals</c>: human decisions by function call id, never deleted. Stored apart from the turn record
/// so <c>approval::resolve</c> can be written while a step is mid-way without persisting that step's half-done record.
/// </summary>
public sealed class TurnApprovalsState
{
    [JsonPropertyName("decisions")] public Dictionary<string, ApprovalDecision> Decisions { get; set; } = [];
}
