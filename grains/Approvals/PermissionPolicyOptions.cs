namespace Harness.Approvals;

/// <summary>Where the YAML permission policy lives and how long the gate waits for it (section <c>Harness:Permissions</c>).</summary>
public sealed class PermissionPolicyOptions
{
    /// <summary>Configuration section the options bind from.</summary>
    public const string SectionName = "Harness:Permissions";

    /// <summary>
    /// Path of <c>iii-permissions.yaml</c>, absolute or relative to the working directory.
    /// Default: <see langword="null"/>, which makes every policy check fail closed (<c>gate_unavailable</c>).
    /// The file is re-read when it changes; a missing or malformed file also fails closed until it is fixed.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>
    /// How long the gate waits for the policy (and the session settings read) before denying with
    /// <c>gate_unavailable</c>. Default: 5 seconds (spec <c>timeoutMs: 5000</c>). Configure as <c>hh:mm:ss</c>.
    /// </summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
