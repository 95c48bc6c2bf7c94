namespace Harness.Approvals;

/// <summary>
/// The permissions file is malformed. <see cref="Location"/> names the rule and field
/// (e.g. <c>rules[2].action</c>) so the operator can fix the file; the whole file is rejected.
/// </summary>
public sealed class PolicyFormatException(string location, string problem)
    : Exception($"{location}: {problem}")
{
    public string Location { get; } = location;

    public string Problem { get; } = problem;
}
