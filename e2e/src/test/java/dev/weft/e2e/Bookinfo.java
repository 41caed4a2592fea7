package dev.weft.e2e;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Bookinfo user at the ingress (its root URL, with or without the final {@code /}): loads the product page, optionally logged in, and reads what it shows. */
final class Bookinfo {
  private static final Pattern VERSION = Pattern.compile("<span id=\"reviews-version\">([^<]*)</span>");

  /** One page load: status, what it showed and how long it took. */
  record Page(int status, String body, Duration took) {
    /** The reviews version that answered (v1, v2, v3), or empty when reviews were unavailable. */
    String reviewsVersion() {
      Matcher m = VERSION.matcher(body);
      return m.find() ? m.group(1) : "";
    }

    String stars() {
      if (body.contains("<font color=\"red\">")) {
        return "red";
      }
      return body.contains("<font color=\"black\">") ? "black" : "none";
    }

    boolean reviewsUnavailable() {
      return body.contains("Sorry, product reviews are currently unavailable for this book.");
    }

    boolean ratingsUnavailable() {
      return body.contains("Ratings service is currently unavailable");
    }

    /** A page a user would call broken: an error status or a section that could not be loaded. */
    boolean failed() {
      return status != 200 || body.contains("Sorry, product");
    }
  }

  private final String ingress;
  private final HttpClient client;

  private Bookinfo(String ingress, HttpClient client) {
    this.ingress = ingress;
    this.client = client;
  }

  static Bookinfo anonymous(String ingress) {
    return new Bookinfo(ingress, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
        .proxy(HttpClient.Builder.NO_PROXY).build());
  }

  /** Logs in through productpage's form, as Istio's task does for {@code jason}. */
  static Bookinfo loggedIn(String ingress, String user) {
    Bookinfo bookinfo = new Bookinfo(ingress, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
        .cookieHandler(new CookieManager()).proxy(HttpClient.Builder.NO_PROXY).build());
    bookinfo.send(HttpRequest.newBuilder(URI.create(ingress).resolve("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&passwd=password")));
    return bookinfo;
  }

  Page productPage() {
    long start = System.nanoTime();
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(ingress).resolve("/productpage")).GET());
    return new Page(response.statusCode(), response.body(), Duration.ofNanos(System.nanoTime() - start));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("the ingress did not answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
