using Harness.Serialization;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>Builds descriptors from typed handlers: payload parsing, schemas and error mapping in one place.</summary>
public static class BridgeFunction
{
    /// <summary>
    /// A function taking <typeparamref name="TRequest"/> and answering <typeparamref name="TResponse"/>. Schemas come
    /// from the types unless given; JSON type errors and <see cref="PayloadValidationException"/> become
    /// <c>invalid_payload</c> naming the field.
    /// </summary>
    public static BridgeFunctionDescriptor Create<TRequest, TResponse>(
        string id,
        string description,
        Func<TRequest, BridgeInvocation, CancellationToken, Task<TResponse>> handler,
        JsonNode? requestFormat = null,
        JsonNode? responseFormat = null)
        where TRequest : class =>
        new(
            id,
            description,
            requestFormat ?? BridgeSchemas.For<TRequest>(),
            responseFormat ?? BridgeSchemas.For<TResponse>(),
            async (invocation, ct) =>
            {
                var request = BridgePayload.Read<TRequest>(invocation.Data);
                try
                {
                    var response = await handler(request, invocation, ct);
                    // A handler that built its JSON already (e.g. a deep session tree) keeps it as is: re-serialising
                    // would apply the default 64-level limit, not the frame's.
                    return response is JsonElement built ? built : WireJson.ToElement(response);
                }
                catch (PayloadValidationException ex)
                {
                    throw BridgePayload.FromValidation(ex);
                }
            });
}
