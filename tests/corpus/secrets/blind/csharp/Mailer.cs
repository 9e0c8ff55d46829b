using System.Net;
using System.Net.Mail;

public static class Mailer
{
    static readonly SmtpClient Client = new("smtp.acme-orders.io", 587)
    {
        Credentials = new NetworkCredential("orders@acme-orders.io", "UGm#4!hoGE+c+Eg06H"),
        EnableSsl = true,
    };
    const string PasswordResetUrl = "https://orders.acme-orders.io/account/reset";
}
