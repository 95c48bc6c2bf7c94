using Harness.Triggers;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>
/// Diagnostics of the C4 live updates: which browser bindings the cluster holds (all, or those targeting one function).
/// Also lets a client know its <c>registertrigger</c>s were stored before it relies on the first event.
/// </summary>
public sealed class ConsoleBindingFunctions(IGrainFactory grains) : IBridgeFunctionSource
{
    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<BindingsRequest, ConsoleTriggerBindings>(
            "harness::console::bindings",
            "The C4 trigger bindings the cluster holds ({function_id} to list only those targeting one function).",
            async (request, _, _) =>
            {
                var all = await grains.GetGrain<IConsoleTriggerBindingsGrain>(IConsoleTriggerBindingsGrain.Key).Get();
                if (request.FunctionId is null)
                {
                    return all;
                }
                Require.NonEmpty(request.FunctionId, "function_id");
                return all with { Bindings = [.. all.Bindings.Where(b => b.FunctionId == request.FunctionId)] };
            },
            responseFormat: BridgeSchemas.For<ConsoleTriggerBindings>());
    }

    public sealed record BindingsRequest
    {
        [JsonPropertyName("function_id")] public string? FunctionId { get; init; }
    }
}
