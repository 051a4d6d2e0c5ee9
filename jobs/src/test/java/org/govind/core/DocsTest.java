package org.govind.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md points at "the one file where it is defined": every file path and every
 * org.govind class it names must exist, so the guide cannot drift from the code unnoticed.
 */
class DocsTest {
    static final Path ROOT = Path.of("..");

    @Test
    void everyPathAndClassTheArchitecturePageNamesExists() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/architecture.md"));
        List<String> missing = new ArrayList<>();
        int paths = 0, classes = 0;
        Matcher m = Pattern.compile("`((?:schemas|jobs|reports|conf|docs|bin)/[^`<>*{ ]+)`").matcher(doc);
        while (m.find()) {
            paths++;
            if (!Files.exists(ROOT.resolve(m.group(1)))) missing.add(m.group(1));
        }
        m = Pattern.compile("\\b(org\\.govind\\.[a-z]+\\.[A-Z][A-Za-z]+)\\b").matcher(doc);
        while (m.find()) {
            classes++;
            try {
                Class.forName(m.group(1), false, DocsTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                missing.add(m.group(1));
            }
        }
        assertTrue(paths >= 5 && classes >= 5, "the page names " + paths + " paths and " + classes + " classes");
        assertTrue(missing.isEmpty(), "docs/architecture.md names what does not exist: " + missing);
    }
}
