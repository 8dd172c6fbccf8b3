using System.Text.RegularExpressions;
using CallPipeline.DevDoubles.OpenAi.Audio;
using CallPipeline.Twilio.Audio;
using CallPipeline.DevDoubles.OpenAi.Errors;
using CallPipeline.DevDoubles.OpenAi.Faults;
using CallPipeline.DevDoubles.OpenAi.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.OpenAi.Apis;

/// <summary>
/// <c>POST /v1/audio/transcriptions</c> as OpenAI answers it: multipart upload checked like OpenAI checks it (size,
/// model, response_format for that model, language, real audio bytes), answered with what the simulated call said on that audio.
/// </summary>
public static partial class TranscriptionsApi
{
    public static RouteGroupBuilder MapTranscriptionsApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/audio/transcriptions", TranscribeAsync);
        return v1;
    }

    private static async Task<Results<JsonHttpResult<TranscriptionResponse>, JsonHttpResult<VerboseTranscription>, ContentHttpResult, JsonHttpResult<OpenAiErrorBody>>> TranscribeAsync(
        HttpContext context,
        OpenAiRequestLog requestLog,
        OpenAiFaultInjector faults,
        SpokenTranscript transcripts,
        IOptionsMonitor<OpenAiDoubleOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(TranscriptionsApi).FullName!);
        var record = new OpenAiRequestRecord { Endpoint = OpenAiEndpoints.Transcriptions, RequestId = OpenAiRequestId.For(context) };
        var limit = options.CurrentValue.Double.MaxRequestBytes;

        JsonHttpResult<OpenAiErrorBody> Reject(OpenAiError error, bool injected = false)
        {
            requestLog.Add(record with { Status = error.StatusCode, Error = error.Label, FaultInjected = injected });
            LogRejected(logger, record.RequestId, record.Model ?? "none", error.StatusCode, error.Label, injected);
            return error.ToResult();
        }

        if (context.Request.ContentLength is { } contentLength && contentLength > limit)
        {
            return Reject(OpenAiErrors.ContentTooLarge(limit, contentLength));
        }
        if (!context.Request.HasFormContentType)
        {
            return Reject(OpenAiErrors.NotMultipart(context.Request.ContentType));
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A chunked upload has no Content-Length to check up front; the server's own body limit stops it.
            return Reject(OpenAiErrors.ContentTooLarge(limit, context.Request.ContentLength ?? limit + 1));
        }
        catch (Exception unreadable) when (unreadable is InvalidDataException or BadHttpRequestException)
        {
            return Reject(OpenAiErrors.UnparsableMultipart());
        }

        var model = form["model"].ToString();
        var responseFormat = form["response_format"].ToString();
        var language = form["language"].ToString();
        var file = form.Files.GetFile("file");
        record = record with
        {
            Model = model.Length > 0 ? model : null,
            ResponseFormat = responseFormat.Length > 0 ? responseFormat : null,
            Language = language.Length > 0 ? language : null,
            PromptLength = form.ContainsKey("prompt") ? form["prompt"].ToString().Length : null,
            Temperature = form.ContainsKey("temperature") ? form["temperature"].ToString() : null,
            FileName = file?.FileName,
            FileBytes = file?.Length,
        };

        if (model.Length == 0)
        {
            return Reject(OpenAiErrors.ModelMissing());
        }
        if (!TranscriptionModels.IsKnown(model))
        {
            return Reject(OpenAiErrors.ModelNotFound(model));
        }
        if (await InjectedFault.ApplyAsync(faults, context, OpenAiEndpoints.Transcriptions, model, timeProvider) is { } injected)
        {
            return Reject(injected, injected: true);
        }
        if (file is null)
        {
            return Reject(OpenAiErrors.MissingParameter("file"));
        }
        if (file.Length > limit)
        {
            return Reject(OpenAiErrors.ContentTooLarge(limit, file.Length));
        }

        var format = responseFormat.Length > 0 ? responseFormat : TranscriptionModels.Json;
        if (!TranscriptionModels.IsKnownFormat(format))
        {
            return Reject(OpenAiErrors.InvalidValue("response_format", format, TranscriptionModels.AllFormats));
        }
        if (!TranscriptionModels.Accepts(model, format))
        {
            return Reject(OpenAiErrors.ResponseFormatNotCompatible(format, model));
        }
        if (language.Length > 0 && !IsoLanguageCode().IsMatch(language))
        {
            return Reject(OpenAiErrors.InvalidLanguage(language));
        }

        var audio = new byte[file.Length];
        await using (var upload = file.OpenReadStream())
        {
            await upload.ReadExactlyAsync(audio, context.RequestAborted);
        }
        var audioFormat = AudioFormatSniffer.Detect(audio);
        var extension = Path.GetExtension(file.FileName).TrimStart('.');
        if (audioFormat is null || !AudioFormatSniffer.SupportedExtensions.Contains(extension))
        {
            return Reject(OpenAiErrors.InvalidFileFormat());
        }
        record = record with { AudioFormat = audioFormat };

        double? duration = null;
        if (audioFormat == "wav")
        {
            if (WavInfo.TryRead(new MemoryStream(audio, writable: false)) is not { } wav)
            {
                return Reject(OpenAiErrors.CorruptAudio());
            }
            duration = Math.Round(wav.DurationSeconds, 3);
            record = record with { SampleRate = wav.SampleRate, Channels = wav.Channels, BitsPerSample = wav.BitsPerSample, DurationSeconds = duration };
            if (duration < 0.1)
            {
                return Reject(OpenAiErrors.AudioTooShort());
            }
            if (TranscriptionModels.IsTokenBilled(model) && duration > TranscriptionModels.Gpt4oMaximumSeconds)
            {
                return Reject(OpenAiErrors.AudioTooLong(duration.Value, TranscriptionModels.Gpt4oMaximumSeconds));
            }
        }

        var name = RecordingFileName.Parse(file.FileName);
        // Other containers are not decoded: a duration from the text's length keeps usage and timestamps plausible.
        var seconds = duration ?? Math.Max(1, transcripts.For(name, double.MaxValue).Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length * 0.4);
        var answer = transcripts.For(name, seconds);
        var text = answer.Text;
        requestLog.Add(record with
        {
            Status = StatusCodes.Status200OK,
            RecordingSid = name.RecordingSid,
            Part = name.Part,
            RecordingChannel = name.Channel,
            OffsetSeconds = name.OffsetSeconds,
            ResponseLength = text.Length,
        });
        LogTranscribed(logger, record.RequestId, model, format, record.Language ?? "auto", file.Length, audioFormat,
            name.RecordingSid ?? "none", name.Channel?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "mixed", name.Part ?? 1, text.Length);

        var usage = TranscriptionUsage.For(model, text, seconds);
        return format switch
        {
            TranscriptionModels.Text => TypedResults.Text(text, "text/plain; charset=utf-8"),
            TranscriptionModels.Srt => TypedResults.Text(SubtitleWriter.Srt(text, seconds), "text/plain; charset=utf-8"),
            TranscriptionModels.Vtt => TypedResults.Text(SubtitleWriter.Vtt(text, seconds), "text/plain; charset=utf-8"),
            TranscriptionModels.VerboseJson => TypedResults.Json(VerboseTranscription.Create(answer, record.Language, seconds, usage), OpenAiJson.Options),
            _ => TypedResults.Json(new TranscriptionResponse(text, usage), OpenAiJson.Options),
        };
    }

    [GeneratedRegex("^[a-zA-Z]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoLanguageCode();

    [LoggerMessage(1, LogLevel.Information,
        "OpenAI double transcribed {RequestId} with {Model} ({ResponseFormat}, language {Language}): {Bytes} bytes {AudioFormat}, recording {RecordingSid} channel {Channel} part {Part}, {Length} chars")]
    private static partial void LogTranscribed(ILogger logger, string requestId, string model, string responseFormat, string language,
        long bytes, string audioFormat, string recordingSid, string channel, int part, int length);

    [LoggerMessage(2, LogLevel.Warning, "OpenAI double answered transcription {RequestId} ({Model}) with {StatusCode} {Error} (injected: {Injected})")]
    private static partial void LogRejected(ILogger logger, string requestId, string model, int statusCode, string error, bool injected);
}
