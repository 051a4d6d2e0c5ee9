package org.govind.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** One exit code, one meaning: the enum's codes are distinct and the README's table lists exactly them. */
class ExitCodeTest {
    @Test
    void codesAreDistinctAndTheReadmeListsExactlyThem() throws Exception {
        TreeSet<Integer> codes = new TreeSet<>();
        for (ExitCode c : ExitCode.values()) codes.add(c.code());
        assertEquals(ExitCode.values().length, codes.size(), "two constants share a code");
        for (ExitCode c : ExitCode.values()) assertEquals(c, ExitCode.of(c.code()));

        String readme = Files.readString(Path.of("..", "README.md"));
        int at = readme.indexOf("**Exit codes.**");
        String table = readme.substring(at, readme.indexOf("\n## ", at));
        TreeSet<Integer> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| (\\d+) \\|").matcher(table);
        while (m.find()) documented.add(Integer.parseInt(m.group(1)));
        assertEquals(codes, documented, "README exit-code table vs " + Arrays.toString(ExitCode.values()));
    }
}
