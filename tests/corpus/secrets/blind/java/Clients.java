import java.net.PasswordAuthentication;
import org.apache.http.auth.UsernamePasswordCredentials;

class Clients {
    static final UsernamePasswordCredentials PROXY = new UsernamePasswordCredentials("svc_orders", "H6#zFALfk1Cnkc!");
    static final byte[] HMAC_SECRET = "pnw3tz3G5NU4R29HQjS80WNQScZidd1Q".getBytes();
    static final String PASSWORD_HINT = "At least 12 characters";
    static final String TOKEN_HEADER = "X-Orders-Token";
    static final String CUSTOMER_ID = "cus_Q8xYz2LkdIwHu7ixAbCd";
    static final String PRICE_ID = "price_1PXyZ2LkdIwHu7ixAbCdEf12";
}
