package dev.weft.examples.bookinfo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders productpage's HTML. Stars are wrapped in {@code <font color="black">} or {@code <font color="red">}
 * as in Istio's page, so a test or a person tells v2 from v3 at a glance; v1's reviews carry no rating and
 * show no stars. Everything that came from a peer or a visitor is escaped.
 */
final class ProductPageView {
    private static final int MAX_STARS = 5;
    private static final String FULL_STAR = "&#9733;";
    private static final String EMPTY_STAR = "&#9734;";

    private ProductPageView() {
    }

    static String index() {
        return page("Bookinfo", """
                <h1>Bookinfo sample</h1>
                <p>A bookstore made of four services: productpage calls details and reviews, and reviews v2 and v3 \
                call ratings.</p>
                <ul>
                <li><a href="/productpage">The product page</a></li>
                <li><a href="/api/v1/products">The products API</a></li>
                </ul>
                """);
    }

    static String productPage(Product product, Optional<String> user, Backends.Result details,
            Backends.Result reviews) {
        StringBuilder body = new StringBuilder();
        body.append(navigation(user));
        body.append("<h1>").append(escape(product.title())).append("</h1>\n");
        body.append("<p>").append(product.descriptionHtml()).append("</p>\n");
        body.append("<div id=\"details\">\n<h2>Book Details</h2>\n").append(details(details)).append("</div>\n");
        body.append("<div id=\"reviews\">\n<h2>Book Reviews</h2>\n").append(reviews(reviews)).append("</div>\n");
        return page("Simple Bookstore App", body.toString());
    }

    static String loginRejected(String reason) {
        return page("Login failed", "<p class=\"error\">" + escape(reason) + "</p>\n"
                + "<p><a href=\"/productpage\">Back to the product page</a></p>\n");
    }

    private static String navigation(Optional<String> user) {
        if (user.isPresent()) {
            return "<nav>Signed in as <b id=\"user\">" + escape(user.get())
                    + "</b> <a href=\"/logout\">Sign out</a></nav>\n";
        }
        return """
                <nav><form method="post" action="/login">
                <input type="text" name="username" placeholder="user name">
                <input type="password" name="passwd" placeholder="password">
                <button type="submit">Sign in</button>
                </form></nav>
                """;
    }

    private static String details(Backends.Result result) {
        if (!(result.json() instanceof Map<?, ?> book) || !result.ok()) {
            return error(result, Backends.DETAILS_UNAVAILABLE);
        }
        StringBuilder out = new StringBuilder("<dl>\n");
        for (String field : List.of("type", "pages", "publisher", "language", "ISBN-10", "ISBN-13")) {
            Object value = book.get(field);
            if (value != null) {
                out.append("<dt>").append(escape(field)).append(":</dt><dd>").append(escape(String.valueOf(value)))
                        .append("</dd>\n");
            }
        }
        return out.append("</dl>\n").toString();
    }

    private static String reviews(Backends.Result result) {
        if (!(result.json() instanceof Map<?, ?> document) || !result.ok()
                || !(document.get("reviews") instanceof List<?> reviews)) {
            return error(result, Backends.REVIEWS_UNAVAILABLE);
        }
        StringBuilder out = new StringBuilder();
        for (Object item : reviews) {
            if (item instanceof Map<?, ?> review) {
                out.append(review(review));
            }
        }
        out.append("<p>Reviews served by: <u id=\"reviews-served-by\">")
                .append(escape(String.valueOf(document.get("podname"))))
                .append("</u> (version <span id=\"reviews-version\">")
                .append(escape(String.valueOf(document.get("version"))))
                .append("</span>)</p>\n");
        return out.toString();
    }

    private static String review(Map<?, ?> review) {
        StringBuilder out = new StringBuilder("<blockquote>\n<p>")
                .append(escape(String.valueOf(review.get("text"))))
                .append("</p>\n<small>")
                .append(escape(String.valueOf(review.get("reviewer"))))
                .append("</small>\n");
        if (review.get("rating") instanceof Map<?, ?> rating) {
            if (rating.get("stars") instanceof Number stars) {
                int full = Math.clamp(stars.intValue(), 0, MAX_STARS);
                out.append("<font color=\"").append(escape(String.valueOf(rating.get("color")))).append("\">")
                        .append(FULL_STAR.repeat(full))
                        .append(EMPTY_STAR.repeat(MAX_STARS - full))
                        .append("</font>\n");
            } else if (rating.get("error") != null) {
                out.append("<p><i>").append(escape(String.valueOf(rating.get("error")))).append("</i></p>\n");
            }
        }
        return out.append("</blockquote>\n").toString();
    }

    private static String error(Backends.Result result, String fallback) {
        Object message = result.json() instanceof Map<?, ?> map && map.get("error") != null
                ? map.get("error")
                : fallback;
        return "<p class=\"error\">" + escape(String.valueOf(message)) + "</p>\n";
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
