package org.govind.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One line out of an error body, whichever API wrote it:
 * <ul>
 *   <li>Airflow 2: {@code application/problem+json} (RFC 7807: type, title, status, detail) → "title: detail";</li>
 *   <li>Airflow 3: {@code {"detail": "…"}}, {@code {"detail": {…}}} (e.g. a unique-constraint violation) or a
 *       validation error {@code {"detail": [{"loc": [...], "msg": …, "type": …}]}} → "field: message; …".</li>
 * </ul>
 * Anything else: the body's first line, clipped.
 */
final class ErrorText {
    private ErrorText() {}

    static String of(Http.Response r) {
        String body = r.body();
        if (body == null || body.isBlank()) return "HTTP " + r.status();
        JsonNode n;
        try {
            n = Http.JSON.readTree(body);
        } catch (IOException e) {
            return clip(body);
        }
        if (n == null || !n.isObject()) return clip(body);
        JsonNode detail = n.get("detail");
        if (n.has("title") && n.has("status")) {   // problem+json
            String title = n.path("title").asText("");
            String d = detail == null || detail.isNull() ? "" : detail.isTextual() ? detail.asText() : detail.toString();
            return oneLine(d.isEmpty() ? title : title.isEmpty() ? d : title + ": " + d);
        }
        if (detail == null) return clip(body);
        if (detail.isTextual()) return oneLine(detail.asText());
        if (detail.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode e : detail) {
                List<String> loc = new ArrayList<>();
                for (JsonNode l : e.path("loc")) if (!"body".equals(l.asText()) && !"query".equals(l.asText())) loc.add(l.asText());
                String type = e.path("type").asText("");
                parts.add((loc.isEmpty() ? "" : String.join(".", loc) + ": ") + e.path("msg").asText("") + (type.isEmpty() ? "" : " (" + type + ")"));
            }
            return oneLine(String.join("; ", parts));
        }
        if (detail.isObject()) {
            if (detail.has("reason")) return oneLine(detail.path("reason").asText() + (detail.has("message") ? ": " + detail.path("message").asText() : ""));
            if (detail.has("message")) return oneLine(detail.path("message").asText());
        }
        return oneLine(detail.toString());
    }

    static String oneLine(String s) {
        String t = s.replaceAll("\\s*\\R\\s*", " ").strip();
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }

    static String clip(String s) { return s == null ? "" : oneLine(s); }
}
