using Harness.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddHarnessSilo();

var app = builder.Build();
app.MapHarnessEndpoints();
app.Run();

/// <summary>Visible to tests that host the silo in-process.</summary>
public partial class Program;
