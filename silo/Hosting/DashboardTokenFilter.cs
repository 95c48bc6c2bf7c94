using System.Security.Cryptography;
using System.Text;

namespace Harness.Silo.Hosting;

/// <summary>Bearer-token guard for the dashboard (it exposes topology, state and logs) when it is reachable off-box.</summary>
public sealed class DashboardTokenFilter(string token) : IEndpointFilter
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(token);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var header = request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : request.Query["access_token"].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _expected)
            ? next(context)
            : ValueTask.FromResult<object?>(Results.Unauthorized());
    }
}
