using Orleans.Concurrency;

namespace Harness.Models;

/// <summary>
/// The models catalog (singleton, key <see cref="Key"/>): every model the registered providers can serve, filled by
/// <see cref="Refresh"/> from each provider's discovery. A provider whose discovery fails keeps its previous entries.
/// </summary>
public interface IModelsCatalogGrain : IGrainWithStringKey
{
    /// <summary>The one key this grain is used with.</summary>
    const string Key = "catalog";

    /// <summary>Asks every registered provider for its models and stores the result; returns the per-provider outcome.</summary>
    Task<ModelsCatalogRefreshResult> Refresh();

    /// <summary>
    /// <c>models::reconcile</c>: replaces every entry of <paramref name="provider"/> with <paramref name="models"/> (a
    /// provider writing its own discovery, e.g. from <c>provider::&lt;id&gt;::refresh_models</c>).
    /// </summary>
    Task<ModelsReconcileResult> Reconcile(string provider, IReadOnlyList<ModelInfo> models);

    /// <summary><c>models::register</c>: adds or replaces one entry of its provider.</summary>
    Task Register(ModelInfo model);

    /// <summary>
    /// <c>provider::&lt;id&gt;::refresh_models</c>: asks one provider for its models and replaces its entries (kept when the
    /// discovery fails); returns the ids now listed for it (empty on failure).
    /// </summary>
    Task<IReadOnlyList<string>> RefreshProvider(string provider);

    /// <summary>All entries, or those of one provider (case-insensitive); sorted by provider then id.</summary>
    [AlwaysInterleave]
    Task<ModelsCatalogList> List(string? provider);

    /// <summary>The entry with this model id, or null. When several providers serve the id, the first by provider name wins.</summary>
    [AlwaysInterleave]
    Task<ModelInfo?> Get(string id);

    /// <summary>
    /// <c>models::get {provider, model_id}</c>: the entry of <paramref name="provider"/> (case-insensitive) with this id, or
    /// null. An empty provider matches any (as <see cref="Get"/>).
    /// </summary>
    [AlwaysInterleave]
    Task<ModelInfo?> Find(string provider, string id);

    /// <summary>The outcome of the last refresh (empty before the first one).</summary>
    [AlwaysInterleave]
    Task<ModelsCatalogRefreshResult> Status();
}
