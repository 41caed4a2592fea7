package dev.weft.examples.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesTest {
    private final Routes routes = Routes.builder()
            .get("/details/{id}", request -> Response.text(200, "details " + request.pathParam("id")))
            .post("/login", request -> Response.text(200, "login"))
            .anyMethod("/anything/*", request -> Response.text(200, "anything " + request.path()))
            .build();

    @Test
    void capturesPathParameters() {
        assertThat(dispatch("GET", "/details/42").bodyText()).isEqualTo("details 42");
        assertThat(dispatch("GET", "/details/42/").bodyText()).isEqualTo("details 42");
    }

    @Test
    void headIsServedByTheGetRoute() {
        assertThat(dispatch("HEAD", "/details/1").status()).isEqualTo(200);
    }

    @Test
    void aTrailingStarMatchesAnyRestIncludingNone() {
        assertThat(dispatch("PUT", "/anything/a/b").bodyText()).isEqualTo("anything /anything/a/b");
        assertThat(dispatch("DELETE", "/anything").bodyText()).isEqualTo("anything /anything");
    }

    @Test
    void unknownPathsAre404AndWrongMethods405WithAllow() {
        assertThat(dispatch("GET", "/details").status()).isEqualTo(404);
        assertThat(dispatch("GET", "/details/1/2").status()).isEqualTo(404);
        Response wrongMethod = dispatch("GET", "/login");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.headers().getFirst("Allow")).isEqualTo("POST");
    }

    private Response dispatch(String method, String path) {
        return routes.dispatch(new Request(method, URI.create(path), new Headers(), new byte[0], "127.0.0.1", Map.of()));
    }
}
