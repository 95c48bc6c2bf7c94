global using Harness.Hosting;
global using Microsoft.Extensions.Options;
global using Orleans;
global using Orleans.Hosting;
