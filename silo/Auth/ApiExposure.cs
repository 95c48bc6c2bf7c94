using System.Net;

namespace Harness.Silo.Auth;

/// <summary>
/// Which of the addresses the web host is configured to listen on reach beyond loopback: <c>Urls</c> (also
/// <c>ASPNETCORE_URLS</c>, <c>--urls</c>), <c>HTTP_PORTS</c>/<c>HTTPS_PORTS</c> (all addresses) and
/// <c>Kestrel:Endpoints:*:Url</c>. Nothing configured means ASP.NET Core's default, <c>http://localhost:5000</c>.
/// </summary>
public static class ApiExposure
{
    public static IReadOnlyList<string> BeyondLoopback(IConfiguration configuration)
    {
        var urls = Split(configuration["urls"])
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>())
            .ToList();
        var ports = Split(configuration["http_ports"]).Select(p => $"http://*:{p}")
            .Concat(Split(configuration["https_ports"]).Select(p => $"https://*:{p}"));
        return urls.Where(u => !IsLoopback(u)).Concat(ports).ToList();
    }

    internal static bool IsLoopback(string url)
    {
        string host;
        try
        {
            host = BindingAddress.Parse(url).Host;
        }
        catch (FormatException)
        {
            return false;
        }
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    private static IEnumerable<string> Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
