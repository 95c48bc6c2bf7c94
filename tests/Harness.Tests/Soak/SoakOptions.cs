namespace Harness.Tests.Soak;

/// <summary>The faults a soak run injects, one after the other, spread over its duration.</summary>
public enum SoakFault
{
    /// <summary>kill -9 a random silo, then start a new one in its place.</summary>
    KillSilo,

    /// <summary>Each silo stopped with SIGTERM and replaced in turn.</summary>
    RollingRestart,

    /// <summary><c>pg_ctl restart -m immediate</c>: every connection cut.</summary>
    PostgresRestart,

    /// <summary>The engine stand-in the bridges connect to stops and comes back on the same port.</summary>
    EngineRestart,
}

/// <summary>What a soak run does: how long new turns start, how many sessions run side by side, which faults.</summary>
public sealed record SoakOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Concurrent sessions; each runs one turn after another, each turn in a fresh session.</summary>
    public int Sessions { get; init; } = 50;

    public int Silos { get; init; } = 3;

    public IReadOnlyList<SoakFault> Faults { get; init; } =
        [SoakFault.KillSilo, SoakFault.RollingRestart, SoakFault.PostgresRestart, SoakFault.EngineRestart];

    /// <summary>After the duration, how long turns still running get to finish before they count as stuck.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a silo may take to start (2 shared cores: slow).</summary>
    public TimeSpan SiloStartup { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Where progress lines go (null: nowhere).</summary>
    public Action<string>? Log { get; init; }
}
