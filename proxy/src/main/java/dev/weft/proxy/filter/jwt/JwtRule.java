package dev.weft.proxy.filter.jwt;

import dev.weft.proxy.router.RequestMatch;

/** A {@code RequirementRule}: requests its match selects must meet its requirement. */
record JwtRule(RequestMatch match, JwtRequirement requirement) {
}
