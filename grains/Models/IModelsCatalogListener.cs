namespace Harness.Models;

/// <summary>
/// Told after every write of the models catalog (refresh of all providers or one, and any later register/reconcile
/// path that goes through the grain's save). Called on the catalog grain's silo; must return quickly (push in the
/// background), failures are logged and swallowed.
/// </summary>
public interface IModelsCatalogListener
{
    void CatalogChanged();

    /// <summary>The same, with how each provider's entries changed (<c>added</c>, <c>updated</c> or <c>removed</c>).</summary>
    void CatalogChanged(IReadOnlyDictionary<string, string> providers) => CatalogChanged();
}
