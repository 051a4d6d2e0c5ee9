package org.govind.analyst.notebook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One output of a cell as Jupyter display data: MIME type → content. Text types hold a String,
 * {@code image/png} the base64 of the PNG, {@code application/json} a JSON object as nested Maps and
 * Lists of plain values (what a JSON writer turns into an object, never a JSON string).
 */
public record Display(Map<String, Object> data) {
    public Display {
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** Plain text only (magic acknowledgements, %views). */
    public static Display text(String s) {
        return new Display(Map.of("text/plain", s));
    }
}
