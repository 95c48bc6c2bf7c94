using Harness.Silo.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Harness.Silo.Auth;

/// <summary>API-key authentication and scope policies of the HTTP API, and the refusal to start exposed without keys.</summary>
public static class AuthHostingExtensions
{
    /// <summary>Policy of <c>POST /v1/functions/{function_id}</c>: the scope <see cref="FunctionScopes"/> maps the id to.</summary>
    public const string FunctionPolicy = "function-scope";

    public static WebApplicationBuilder AddHarnessAuth(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(HarnessAuthOptions.Section);
        var options = section.Get<HarnessAuthOptions>() ?? new HarnessAuthOptions();
        var problems = options.Problems().ToList();
        var exposed = ApiExposure.BeyondLoopback(builder.Configuration);
        if (options.Keys.Count == 0 && exposed.Count > 0)
        {
            problems.Add($"the HTTP API listens beyond loopback ({string.Join(", ", exposed)}) and no API key is configured: " +
                $"set {HarnessAuthOptions.Section}:Keys:<name>:Hash and :Scopes (Harness.Silo hash-key prints a new key and its hash), or bind Urls to 127.0.0.1");
        }
        if (!string.IsNullOrEmpty(builder.Configuration["Harness:Silo:DashboardToken"]))
        {
            problems.Add($"Harness:Silo:DashboardToken is replaced by {HarnessAuthOptions.Section}:Keys (a key with scope '{ApiScopes.Admin}' opens the dashboard): move it there as a hash");
        }
        if (problems.Count > 0)
        {
            throw new SiloConfigurationException(problems);
        }

        builder.Services.Configure<HarnessAuthOptions>(section);
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        var authorization = builder.Services.AddAuthorizationBuilder()
            // Anything mapped without its own policy still needs a valid key.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build())
            .AddPolicy(FunctionPolicy, p => p.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(null)));
        foreach (var scope in ApiScopes.All)
        {
            authorization.AddPolicy(ApiScopes.Policy(scope), p => p.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scope)));
        }
        builder.Services.AddHostedService<AuthModeReporter>();
        return builder;
    }
}
