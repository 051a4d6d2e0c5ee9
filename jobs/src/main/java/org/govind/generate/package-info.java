/**
 * Realistic district export generator (pure Java, no Spark): {@link org.govind.generate.Generator#run}.
 *
 * <p>Writes {@code OUT/<district_code>/<YYYY-MM-DD>/<entity>.csv} and {@code manifest.json} night by night
 * for the first K of the six contract districts. State (streets, communities, compounds, property
 * companies, branches, members, open cases) is created once per district and evolves day by day; cases,
 * visits and points are incremental, the other four entities are full snapshots. About 2% of
 * district-nights are missed (no folder; a month's last night 25%); the next night catches up the
 * incremental entities. About 4% of cases are first exported 1 to 21 nights after they were reported,
 * in the state they have reached by then (some after their month's books close).
 *
 * <p>Per-district format (fixed, independent of the seed):
 * <pre>
 * code    encoding          headers   enum cells  booleans    timestamps                 line end  other
 * 370829  UTF-8             Chinese   labels      是/否        YYYY-MM-DD HH:mm:ss        \n
 * 370832  GBK (declared)    English   labels      1/0         YYYY-MM-DD HH:mm:ss        \r\n
 * 140921  GBK (undeclared)  English   codes       true/false  YYYY-MM-DD HH:mm:ss        \n        columns shuffled
 * 350505  UTF-8 with BOM    English   codes       true/false  ISO 'T', ~15% rows +08:00  \n
 * 420103  UTF-8             mixed     labels      是/否        YYYY-MM-DD HH:mm:ss        \n        " Case_ID ", UPPER, 中文
 * 440881  UTF-8             Chinese   codes       1/0         YYYY-MM-DD HH:mm:ss        \n        no manifest.json
 * </pre>
 * A quote only opens a quoted field as the field's first character; names with a comma, a doubled quote
 * or (districts 370829, 140921, 420103) an embedded newline occur.
 *
 * <p>With {@code badRows > 0} that fraction of rows is replaced by bad variants cycling through the classes
 * that apply to the entity ({@link org.govind.generate.BadRows.Kind}); all classes are forced on the first
 * two nights of the first district. File-level faults: {@code complaints.csv} (unknown entity, not in the
 * manifest), one manifest entry with rows + 1 or an altered sha256, and an unreadable entity file (zero
 * bytes, or binary bytes starting "PK\3\4" and containing NULs; not listed in the manifest).
 */
package org.govind.generate;
