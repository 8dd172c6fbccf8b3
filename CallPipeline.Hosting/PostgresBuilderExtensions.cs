using CallPipeline.Hosting.ApplicationModel;

namespace CallPipeline.Hosting;

public static class PostgresBuilderExtensions
{
    /// <summary>A PostgreSQL server with a generated password parameter <c>{name}-password</c>.</summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource>? password = null) =>
        builder.AddResource(new PostgresServerResource(name, password?.Resource ?? ParameterResourceBuilderExtensions.CreateGeneratedPassword($"{name}-password")));

    /// <summary>A database that the AppHost creates on the server once it is up.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.Databases.Add(database);
        return builder.ApplicationBuilder.AddResource(database);
    }
}
