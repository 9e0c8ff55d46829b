using System.Net;
using System.Net.Mail;

public static class Mailer
{
    static readonly SmtpClient Client = new("smtp.acme-orders.io", 587)
    {
        Credentials = new NetworkCredential("orders@acme-orders.io", "ZhUPfW+WWvb35MY*e"),
        EnableSsl = true,
    };
    const string PasswordResetUrl = "https://orders.acme-orders.io/account/reset";
}
