package dev.weft.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a host field (or list of hosts) that the loader expands from a short name to an FQDN in the
 * namespace of the rule that holds it. The text as written stays available through
 * {@link Origin#textOf(String)}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface FqdnHost {}
