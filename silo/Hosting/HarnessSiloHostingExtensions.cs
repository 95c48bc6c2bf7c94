using System.Net;
using Harness.Bridge.Functions;
using Harness.Bridge.Hosting;
using Harness.Silo.Auth;
using Harness.Silo.Endpoints;
using Harness.Silo.Functions;
using Harness.Silo.Secrets;
using Harness.Turns;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Harness.Silo.Hosting;

/// <summary>All DI and Orleans wiring of the silo host (keeps Program.cs to a few lines).</summary>
public static class HarnessSiloHostingExtensions
{
    public static WebApplicationBuilder AddHarnessSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var siloOptions = configuration.GetSection("Harness:Silo").Get<HarnessSiloOptions>() ?? new HarnessSiloOptions();
        var turnOptions = configuration.GetSection("Harness:Turn").Get<TurnOptions>() ?? new TurnOptions();
        var connectionString = configuration.GetConnectionString("harness");

        builder.Services.Configure<HarnessSiloOptions>(configuration.GetSection("Harness:Silo"));
        builder.Services.AddHarnessCore(configuration);
        builder.Services.AddIiiBridge(configuration);
        builder.Services.AddBridgeFunctions<ModelBridgeFunctions>();
        builder.Services.AddBridgeFunctions<RouterBridgeFunctions>();
        builder.Services.AddBridgeFunctions<BudgetBridgeFunctions>();
        builder.Services.AddHostedService<DemoFunctions>();
        builder.Services.AddHostedService<StorageModeReporter>();
        builder.AddHarnessTelemetry();
        builder.AddHarnessAuth();
        // Before UseOrleans: the key ring is loaded before any grain can encrypt or decrypt.
        builder.AddHarnessDataProtection(connectionString, siloOptions.ServiceId);

        builder.UseOrleans(silo =>
        {
            silo.AddHarnessClustering(siloOptions, connectionString)
                .AddHarnessStorage(connectionString)
                .AddHarnessRuntime(turnOptions.WakeReminderPeriod);
            silo.AddOutgoingGrainCallFilter<TransientCallRetryFilter>();
            if (siloOptions.Dashboard)
            {
                silo.AddDashboard();
            }
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")))
            {
                // In a pod: silo name = pod name, advertise the pod IP, listen on all addresses, and declare silos dead
                // as soon as their pods are deleted (needs the RBAC of deploy/k8s/rbac.yaml).
                silo.UseKubernetesHosting();
                // The package keeps an address that is already set, and the loopback default would hide the silo from
                // its peers: advertise the pod IP (downward API env POD_IP) unless another address was configured.
                if (IPAddress.TryParse(Environment.GetEnvironmentVariable("POD_IP"), out var podIp))
                {
                    silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.IsLoopback(o.AdvertisedIPAddress) ? podIp : o.AdvertisedIPAddress);
                }
            }
        });
        return builder;
    }

    public static WebApplication MapHarnessEndpoints(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<HarnessSiloOptions>>().Value;
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).AllowAnonymous();
        app.MapFunctionsApiV1();
        app.MapEventsApiV1();
        if (options.Dashboard)
        {
            app.MapOrleansDashboard(routePrefix: options.DashboardPath)
                .RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
                .WithMetadata(new DashboardEndpointMarker());
        }
        return app;
    }
}
