package org.govind.analyst.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A code cell split the way the notebook contract says: magic lines ({@code %name args}) at the top
 * (blank lines between them allowed), then at most one SQL statement, the rest of the cell. A line
 * starting with % after the SQL has begun belongs to the SQL.
 *
 * @param magics the magic lines in order
 * @param sql    the statement, trimmed; empty when the cell holds only magics
 */
record Cell(List<Magic> magics, String sql) {

    /** One magic line: its name without the %, lower case, and the rest of the line, trimmed. */
    record Magic(String name, String args) {
        @Override
        public String toString() {
            return "%" + name + (args.isEmpty() ? "" : " " + args);
        }
    }

    static Cell parse(String code) {
        List<Magic> magics = new ArrayList<>();
        String[] lines = code.replace("\r\n", "\n").split("\n", -1);
        int i = 0;
        for (; i < lines.length; i++) {
            String t = lines[i].strip();
            if (t.isEmpty()) continue;
            if (!t.startsWith("%")) break;
            String body = t.substring(1).strip();
            int sp = body.indexOf(' ');
            String name = (sp < 0 ? body : body.substring(0, sp)).toLowerCase(Locale.ROOT);
            magics.add(new Magic(name, sp < 0 ? "" : body.substring(sp + 1).strip()));
        }
        StringBuilder sql = new StringBuilder();
        for (int j = i; j < lines.length; j++) sql.append(lines[j]).append('\n');
        return new Cell(List.copyOf(magics), sql.toString().strip());
    }
}
