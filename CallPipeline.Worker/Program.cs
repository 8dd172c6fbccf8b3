using CallPipeline.Worker.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.AddWebhookDispatcher();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
