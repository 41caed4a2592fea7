package dev.weft.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a oneof member whose presence matters (an empty {@code exact: ""} differs from no {@code exact}):
 * the loader leaves it null when absent instead of applying the proto zero value.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface NullWhenAbsent {}
