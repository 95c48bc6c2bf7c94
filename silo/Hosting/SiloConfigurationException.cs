namespace Harness.Silo.Hosting;

/// <summary>The silo refuses to start: each problem names the setting to change. Program prints them and exits 78 (EX_CONFIG).</summary>
public sealed class SiloConfigurationException(IReadOnlyList<string> problems)
    : Exception("the silo refuses to start:\n  - " + string.Join("\n  - ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
