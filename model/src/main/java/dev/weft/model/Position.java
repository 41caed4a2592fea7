package dev.weft.model;

/** A 1-based line and column in a source file. */
public record Position(int line, int column) {}
