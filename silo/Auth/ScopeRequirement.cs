using Microsoft.AspNetCore.Authorization;

namespace Harness.Silo.Auth;

/// <summary>
/// The request's key must hold <see cref="Scope"/>; with <see cref="Scope"/> null, the scope
/// <see cref="FunctionScopes"/> maps the route's <c>functionId</c> to.
/// </summary>
public sealed record ScopeRequirement(string? Scope) : IAuthorizationRequirement;

/// <summary>Checks a <see cref="ScopeRequirement"/> and leaves the missing scope for the 403 body.</summary>
public sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return Task.CompletedTask;
        }
        var http = context.Resource as HttpContext;
        var scope = requirement.Scope
            ?? FunctionScopes.For(http?.GetRouteValue("functionId") as string ?? "");
        if (context.User.HasClaim(ApiScopes.ClaimType, scope))
        {
            context.Succeed(requirement);
        }
        else if (http is not null)
        {
            http.Items[ApiKeyAuthenticationHandler.MissingScopeItem] = scope;
        }
        return Task.CompletedTask;
    }
}
