package dev.weft.model.security;

import java.util.List;

/** One rule: any from AND any to AND every when. */
public record Rule(
    List<RuleFrom> from,
    List<RuleTo> to,
    List<Condition> when) {}
