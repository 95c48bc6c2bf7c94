global using System.Text.Json;
global using Harness.Messages;
global using Harness.Serialization;
global using Microsoft.Extensions.Logging;
global using Orleans;
global using Harness.Events;
