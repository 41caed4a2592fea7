package dev.weft.examples.bookinfo;

import java.util.OptionalInt;

/** Bookinfo's product ids are non-negative integers in the path, as in {@code /details/0}. */
final class ProductId {
    private ProductId() {
    }

    static OptionalInt parse(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(text));
    }
}
