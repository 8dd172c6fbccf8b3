using CallPipeline.WebhookReceiver.Apis;
using CallPipeline.WebhookReceiver.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapHooksApi();
app.MapFaultsApi();

app.Run();
