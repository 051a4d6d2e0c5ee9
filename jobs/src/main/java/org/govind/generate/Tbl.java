package org.govind.generate;

import java.util.HashMap;
import java.util.Map;
import org.govind.schema.ColumnDef;
import org.govind.schema.TableDef;

/** A landing table definition with column lookup by name; rows are Object[] in the definition's column order. */
final class Tbl {
    final String entity;
    final TableDef def;
    final int n;
    private final Map<String, Integer> ix = new HashMap<>();

    Tbl(TableDef def) {
        this.def = def;
        this.entity = def.name();
        this.n = def.columns().size();
        for (int i = 0; i < n; i++) ix.put(def.columns().get(i).name(), i);
    }

    Object[] row() {
        return new Object[n];
    }

    /** Sets a column; a column the definition does not have is ignored. */
    void set(Object[] r, String col, Object v) {
        Integer i = ix.get(col);
        if (i != null) r[i] = v;
    }

    int index(String col) {
        Integer i = ix.get(col);
        return i == null ? -1 : i;
    }

    ColumnDef col(int i) {
        return def.columns().get(i);
    }
}
