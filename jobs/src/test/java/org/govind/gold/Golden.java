package org.govind.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Golden files under {@code jobs/src/test/resources/golden/}: a table's rows as sorted TSV with a
 * header, doubles in full precision, null as \N. A mismatch fails with a diff-friendly message;
 * the files are rewritten only with {@code -Dgovind.regen=true}.
 */
final class Golden {
    static final Path ROOT = Path.of("src", "test", "resources", "golden");

    private Golden() {}

    static String tsv(Dataset<Row> df) {
        List<String> lines = new ArrayList<>();
        for (Row r : df.collectAsList()) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length(); i++) {
                if (i > 0) b.append('\t');
                Object v = r.get(i);
                b.append(v == null ? "\\N" : v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString());
            }
            lines.add(b.toString());
        }
        lines.sort(null);
        return String.join("\t", df.columns()) + "\n" + String.join("\n", lines) + "\n";
    }

    static void check(String name, String actual) throws IOException {
        Path file = ROOT.resolve(name);
        if (Boolean.getBoolean("govind.regen")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(file)) fail("golden file " + file + " is missing: run with -Dgovind.regen=true and review it");
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            String[] e = expected.split("\n"), a = actual.split("\n");
            for (int i = 0; i < Math.max(e.length, a.length); i++) {
                String el = i < e.length ? e[i] : "<none>", al = i < a.length ? a[i] : "<none>";
                if (!el.equals(al)) {
                    assertEquals(el, al, name + " differs at line " + (i + 1) + " (regenerate with -Dgovind.regen=true only if the change is intended)");
                }
            }
        }
    }
}
