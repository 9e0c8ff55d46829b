using SendGrid;

namespace Orders.Api.Services;

public class EmailService
{
    private const string SendGridApiKey = "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";
    private readonly string _fallback = Environment.GetEnvironmentVariable("SENDGRID_API_KEY") ?? string.Empty;

    public SendGridClient Client() => new SendGridClient(SendGridApiKey);
}
