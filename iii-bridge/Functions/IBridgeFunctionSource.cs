namespace Harness.Bridge.Functions;

/// <summary>
/// Contributes functions to the <see cref="BridgeFunctionCatalog"/>. Register implementations with
/// <c>services.AddBridgeFunctions&lt;T&gt;()</c> (provider, models and budget functions plug in this way).
/// </summary>
public interface IBridgeFunctionSource
{
    IEnumerable<BridgeFunctionDescriptor> GetFunctions();
}
