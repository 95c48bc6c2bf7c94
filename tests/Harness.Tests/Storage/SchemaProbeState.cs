namespace Harness.Tests.Storage;

/// <summary>Persisted state of <see cref="SchemaProbeGrain"/> (stored as System.Text.Json).</summary>
public sealed class SchemaProbeState
{
    public List<string> Items { get; set; } = [];
}
