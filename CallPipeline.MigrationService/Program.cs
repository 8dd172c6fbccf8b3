using CallPipeline.Data;
using CallPipeline.MigrationService;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDbContext<CallPipelineDbContext>("callsdb", configureDbContextOptions: options => options.UseCallPipelineConventions());
builder.Services.Configure<DemoBusinessOptions>(builder.Configuration.GetSection(DemoBusinessOptions.SectionName));
builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(DatabaseMigrator.ActivitySourceName));
builder.Services.AddHostedService<DatabaseMigrator>();

builder.Build().Run();
