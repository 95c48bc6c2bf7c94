namespace Harness.Models;

/// <summary>Settings of the models catalog, bound from <c>Harness:Models</c>.</summary>
public sealed class ModelsCatalogOptions
{
    public const string SectionName = "Harness:Models";

    /// <summary>How long one provider's discovery may take before it counts as failed. Default 30 seconds (as the TS refresh).</summary>
    public TimeSpan ProviderTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether each silo triggers a catalog refresh once it is active. Default <c>true</c>.</summary>
    public bool RefreshOnStartup { get; set; } = true;
}
