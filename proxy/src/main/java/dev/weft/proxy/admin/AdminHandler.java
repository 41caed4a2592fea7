package dev.weft.proxy.admin;

import java.util.List;
import java.util.Map;

/** Answers admin requests; implemented by the server, which owns what the endpoints show. */
@FunctionalInterface
public interface AdminHandler {

    AdminResponse handle(String method, String path, Map<String, List<String>> query);
}
