namespace Harness.Compaction;

/// <summary>Spec estimate: total JSON length of the messages / 4.</summary>
public static class TokenEstimator
{
    public static long Estimate(IEnumerable<AgentMessage> messages, string? summary = null) =>
        (messages.Sum(m => (long)JsonSerializer.SerializeToUtf8Bytes(m, WireJson.Options).Length) + (summary?.Length ?? 0)) / 4;
}
