package dev.weft.examples.httpbin;

import dev.weft.examples.app.Endpoint;
import dev.weft.examples.app.Response;
import dev.weft.examples.app.Request;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A failure switched on and off at run time, so a test can make one endpoint of a service unhealthy while its
 * twin stays healthy (outlier detection). While a status is set, every guarded request answers it.
 */
final class SwitchableFault {
    private final AtomicReference<OptionalInt> status = new AtomicReference<>(OptionalInt.empty());

    /** {@code POST /fault/{status}}: from now on every guarded request answers this status. */
    Response set(Request request) {
        String text = request.pathParam("status");
        if (!text.matches("[1-5][0-9][0-9]") || Integer.parseInt(text) < 200) {
            return Response.prettyJson(400, Map.of("status_code", 400,
                    "error", "invalid fault status \"" + text + "\": expected 200 to 599"));
        }
        status.set(OptionalInt.of(Integer.parseInt(text)));
        return Response.prettyJson(200, Map.of("fault", Integer.parseInt(text)));
    }

    /** {@code DELETE /fault}: requests are answered normally again. */
    Response clear(Request request) {
        status.set(OptionalInt.empty());
        return Response.empty(204);
    }

    Endpoint guard(Endpoint endpoint) {
        return request -> {
            OptionalInt fault = status.get();
            return fault.isPresent() ? Response.empty(fault.getAsInt()) : endpoint.handle(request);
        };
    }
}
