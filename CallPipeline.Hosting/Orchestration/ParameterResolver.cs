using System.Text.Json;
using CallPipeline.Hosting.ApplicationModel;
using CallPipeline.Hosting.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace CallPipeline.Hosting.Orchestration;

/// <summary>
/// Gives every parameter its run-mode value: configuration <c>Parameters:{name}</c> first, then a generated secret
/// (kept in the named data directory when there is one, so a kept database keeps its password), then the local default.
/// </summary>
internal static class ParameterResolver
{
    public static void Resolve(IEnumerable<ParameterResource> parameters, IConfiguration configuration, string? dataDirectory)
    {
        var keptFile = dataDirectory is null ? null : Path.Combine(dataDirectory, "parameters.json");
        var kept = keptFile is not null && File.Exists(keptFile)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(keptFile)) ?? []
            : [];
        var missing = new List<string>();

        foreach (var parameter in parameters)
        {
            var configured = configuration[$"Parameters:{parameter.Name}"];
            if (!string.IsNullOrEmpty(configured))
            {
                parameter.SetValue(configured);
            }
            else if (parameter.Generate is { } generate)
            {
                var value = kept.GetValueOrDefault(parameter.Name) ?? SecretGenerator.Generate(generate.MinLength, generate.Special);
                kept[parameter.Name] = value;
                parameter.SetValue(value);
            }
            else if (parameter.LocalDefault is { } localDefault)
            {
                parameter.SetValue(localDefault());
            }
            else if (parameter.DefaultValue is { } defaultValue)
            {
                parameter.SetValue(defaultValue);
            }
            else
            {
                missing.Add(parameter.Name);
            }
        }

        if (keptFile is not null)
        {
            Directory.CreateDirectory(dataDirectory!);
            StateFile.WriteOwnerOnly(keptFile, JsonSerializer.Serialize(kept));
        }
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Missing parameter values: {string.Join(", ", missing)}. Set them with 'dotnet user-secrets set Parameters:<name> <value> --project CallPipeline.AppHost' or the environment variable Parameters__<name>.");
        }
    }
}
