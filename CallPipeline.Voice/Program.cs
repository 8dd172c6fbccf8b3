using CallPipeline.Voice.Apis;
using CallPipeline.Voice.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTwilioApi();
app.MapMediaStreamApi();
app.MapCallsApi();
app.MapBusinessesApi();
app.MapDeadLettersApi();
app.MapQueuesApi();

app.Run();
