package org.govind.util;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** The small JSON objects govind keeps in ops tables (table versions, removed entries). */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    public static Map<String, Object> object(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not a JSON object: " + json, e);
        }
    }

    /** A JSON object of table → version. */
    public static Map<String, Long> versions(String json) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : object(json).entrySet()) out.put(e.getKey(), ((Number) e.getValue()).longValue());
        return out;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Long> versions(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        if (!(v instanceof Map)) throw new IllegalStateException("no table versions under '" + key + "'");
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) out.put(e.getKey(), ((Number) e.getValue()).longValue());
        return out;
    }
}
