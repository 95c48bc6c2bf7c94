using System.Text.Json;
using Harness.Bridge.Functions;
using Harness.Serialization;
using Harness.Silo.Auth;

namespace Harness.Silo.Endpoints;

/// <summary>
/// The same function catalog the iii bridge publishes, over plain HTTP (for curl, scripts and the terminal chat):
/// <c>GET /v1/functions</c>, <c>POST /v1/functions/{function_id}</c> with the iii payload as the JSON body.
/// </summary>
public static class FunctionEndpoints
{
    public static IEndpointRouteBuilder MapFunctionsApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/functions");
        api.MapGet("/", (BridgeFunctionCatalog catalog) => Results.Json(
            catalog.All.Select(f => new { function_id = f.Id, description = f.Description, request_format = f.RequestFormat, response_format = f.ResponseFormat }),
            WireJson.Options)).RequireAuthorization();
        // The scope depends on the function id (FunctionScopes).
        api.MapPost("/{**functionId}", InvokeAsync).RequireAuthorization(AuthHostingExtensions.FunctionPolicy);
        return app;
    }

    private static async Task<IResult> InvokeAsync(string functionId, HttpRequest request, BridgeFunctionCatalog catalog, CancellationToken cancellationToken)
    {
        if (!catalog.TryGet(functionId, out var function))
        {
            return Error(StatusCodes.Status404NotFound, IiiErrorCodes.FunctionNotFound, $"no function '{functionId}'", null);
        }
        JsonElement payload;
        try
        {
            payload = request.ContentLength is 0 ? WireJson.Empty : (await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken)).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return Error(StatusCodes.Status400BadRequest, IiiErrorCodes.InvalidPayload, $"body is not JSON: {ex.Message}", null);
        }
        try
        {
            var result = await function.Handler(new BridgeInvocation(functionId, payload), cancellationToken);
            return Results.Text(result.GetRawText(), "application/json");
        }
        catch (BridgeFunctionException ex)
        {
            var status = ex.Code == IiiErrorCodes.InvalidPayload ? StatusCodes.Status400BadRequest : StatusCodes.Status502BadGateway;
            return Error(status, ex.Code, ex.Detail, ex.Field);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Error(StatusCodes.Status500InternalServerError, IiiErrorCodes.InvocationFailed, ex.Message, null);
        }
    }

    private static IResult Error(int status, string code, string message, string? field) =>
        Results.Json(new { error = new { code, message, field } }, WireJson.Options, statusCode: status);
}
