package dev.weft.proxy.admin;

/** An admin endpoint's answer. */
public record AdminResponse(int status, String contentType, String body) {

    public static AdminResponse text(int status, String body) {
        return new AdminResponse(status, "text/plain; charset=UTF-8", body);
    }

    public static AdminResponse json(String body) {
        return new AdminResponse(200, "application/json", body);
    }
}
