namespace Harness.Silo.Auth;

/// <summary>Endpoint metadata marking the dashboard, whose 401 asks browsers for Basic credentials (the key as password).</summary>
public sealed class DashboardEndpointMarker;
