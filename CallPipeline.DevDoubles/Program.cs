using CallPipeline.DevDoubles.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTwilioDouble();
builder.AddOpenAiDouble();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTwilioDoubleApi();
app.MapOpenAiDoubleApi();

app.Run();
