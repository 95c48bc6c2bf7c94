using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace Harness.Silo.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> (or HTTP Basic with the key as password, which browsers can
/// send to the dashboard) against the hashed keys of <see cref="HarnessAuthOptions"/>. With no keys configured a
/// loopback client is the local demo user with every scope and anyone else is refused. Keys are only taken from
/// headers (a query string would end up in request logs) and never logged.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptionsMonitor<HarnessAuthOptions> keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>Where the authorization handler leaves the scope a refused request lacked, for the 403 body.</summary>
    public const string MissingScopeItem = "harness.missing-scope";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var configured = keys.CurrentValue.Keys;
        var presented = PresentedKey(Request);
        if (configured.Count == 0)
        {
            return Task.FromResult(IsLoopback(Context.Connection.RemoteIpAddress)
                ? Success("local-demo", ApiScopes.All)
                : AuthenticateResult.Fail("no API keys are configured; only loopback clients are served"));
        }
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        foreach (var (name, entry) in configured)
        {
            if (ApiKeyHash.Parse(entry.Hash) is { } expected && CryptographicOperations.FixedTimeEquals(digest, expected))
            {
                return Task.FromResult(Success(name, entry.Scopes));
            }
        }
        LogRefused(Logger, Context.Connection.RemoteIpAddress?.ToString() ?? "?", Request.Path);
        return Task.FromResult(AuthenticateResult.Fail("the API key matches no configured key"));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = IsDashboard() ? "Basic realm=\"harness\", charset=\"UTF-8\"" : "Bearer realm=\"harness\"";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await WriteErrorAsync("unauthenticated", failure ?? "send an API key: Authorization: Bearer <key>");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var scope = Context.Items[MissingScopeItem] as string ?? "?";
        return WriteErrorAsync("forbidden", $"key '{Context.User.Identity?.Name}' lacks scope '{scope}'");
    }

    private AuthenticateResult Success(string name, IEnumerable<string> scopes)
    {
        var claims = scopes.Select(s => new Claim(ApiScopes.ClaimType, s)).Prepend(new Claim(ClaimTypes.Name, name));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                return pair[(pair.IndexOf(':') + 1)..];  // any user name; the password is the key
            }
            catch (FormatException)
            {
                return null;
            }
        }
        return null;
    }

    internal static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private bool IsDashboard() => Context.GetEndpoint()?.Metadata.GetMetadata<DashboardEndpointMarker>() is not null;

    private Task WriteErrorAsync(string code, string message) =>
        Response.WriteAsJsonAsync(new { error = new { code, message, field = (string?)null } });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an API key from {Remote} for {Path}: it matches no configured key")]
    private static partial void LogRefused(ILogger logger, string remote, string path);
}
