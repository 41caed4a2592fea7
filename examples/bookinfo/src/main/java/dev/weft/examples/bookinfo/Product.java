package dev.weft.examples.bookinfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A book in productpage's catalogue. {@code descriptionHtml} is trusted markup written here. */
record Product(int id, String title, String descriptionHtml) {
    static final List<Product> CATALOGUE = List.of(new Product(0, "The Comedy of Errors",
            "<a href=\"https://en.wikipedia.org/wiki/The_Comedy_of_Errors\">Wikipedia Summary</a>: "
                    + "an early comedy by <b>William Shakespeare</b>, and his shortest play. Two pairs of twins "
                    + "separated at birth meet again in Ephesus, and a day of wrong arrests, wrong dinners "
                    + "and wrong wives follows until the family is reunited."));

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("title", title);
        json.put("descriptionHtml", descriptionHtml);
        return json;
    }
}
