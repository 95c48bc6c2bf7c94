global using System.Diagnostics;
global using System.Text.Json;
global using Harness.Serialization;
global using Orleans;
