namespace Harness.Turns;

/// <summary>
/// A run's dispatch policy (C4 <c>harness::send</c> <c>options.functions</c>): a call runs only if its function id
/// matches <see cref="Allow"/> and not <see cref="Deny"/> (deny wins; an empty allow list permits nothing). Patterns are
/// exact ids or end in <c>*</c> (prefix; <c>*</c> alone matches all). A run without a policy (<c>run::start</c>) is not
/// restricted by it: the approval gate alone decides.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FunctionPolicy
{
    [Id(0), JsonPropertyName("allow")] public IReadOnlyList<string> Allow { get; init; } = [];
    [Id(1), JsonPropertyName("deny")] public IReadOnlyList<string> Deny { get; init; } = [];

    public bool Permits(string functionId) => Allow.Any(p => Matches(p, functionId)) && !Deny.Any(p => Matches(p, functionId));

    private static bool Matches(string pattern, string functionId) =>
        pattern.EndsWith('*') ? functionId.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == functionId;
}
