package io.passk.report;

/** A PNG the report wrote ({@code file} relative to the report folder) and its caption. */
record Figure(String file, String title, String caption) {
}
