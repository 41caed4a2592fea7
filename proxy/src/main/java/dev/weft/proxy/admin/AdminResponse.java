package dev.weft.proxy.admin;

/**
 * An admin endpoint's answer; {@code afterSent}, if not null, runs once the answer is written (or could not be),
 * for endpoints such as {@code /quitquitquit} whose action would otherwise cut their own answer off.
 */
public record AdminResponse(int status, String contentType, String body, Runnable afterSent) {

    public AdminResponse(int status, String contentType, String body) {
        this(status, contentType, body, null);
    }

    public AdminResponse thenRun(Runnable action) {
        return new AdminResponse(status, contentType, body, action);
    }

    public static AdminResponse text(int status, String body) {
        return new AdminResponse(status, "text/plain; charset=UTF-8", body);
    }

    public static AdminResponse json(String body) {
        return new AdminResponse(200, "application/json", body);
    }
}
