namespace Harness.Hosting;

/// <summary>Names baked into stored rows: changing any of them orphans existing state.</summary>
public static class HarnessStorage
{
    /// <summary>Grain storage provider used by every harness grain.</summary>
    public const string Name = "harness";
}
